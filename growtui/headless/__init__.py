"""Headless commands for scripts and cron: ``growtui sync``, ``growtui export``, ``growtui outbox``.

They sit above the data layer like the UI does and run the very same code (DataStore, SyncEngine,
Journal, the list index) on the very same per-account cache, so a 5 a.m. ``growtui sync`` warms
exactly the lists the app then opens. No Textual here (an import-linter contract holds that).
"""
