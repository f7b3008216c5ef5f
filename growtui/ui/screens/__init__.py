"""Screens (sign-in, license picker, main, lock) and the dialogs and helpers they share."""
