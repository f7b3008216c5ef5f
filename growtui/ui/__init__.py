"""The Textual UI: GrowApp (app.py), its factory create_app, screens/, widgets/ and modals/, plus
the UI-side helpers next to them (workers, write flow and commands, list adapters, export).

Nothing below growtui.ui imports it; it reaches the data layer only through workers.
"""
