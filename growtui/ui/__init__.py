"""The Textual UI: GrowApp (app.py), its factory create_app, screens, widgets and modals.

Nothing below growtui.ui imports it; it reaches the data layer only through workers.
"""
