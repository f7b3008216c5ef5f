"""Modal screens: confirmation, messages, PIN, columns, re-auth, and the write forms (forms/)."""
