"""Full screens only: sign-in, license picker, main list, lock, Outbox, transfer builder.
Dialogs live in ui/modals (write forms in ui/modals/forms), widgets in ui/widgets."""
