"""The async data layer: what the UI talks to for data (no textual imports here).

* ``store.DataStore`` — the facade: login, licenses, open_list, refresh, submit/reconcile.
* ``index.ListIndex`` — one collection's display rows in memory (filter, sort, find_label, raw).
* ``sync.SyncEngine`` — full loads (bounded concurrency, resumable) and incremental refreshes.
* ``cache.Cache`` — the per-user SQLite file (0600, WAL): rows, display cells, sync state.
* ``journal.Journal`` — every write recorded before it is sent, then its outcome.
* ``effects`` — how a write shows upstream (discovery of created ids, reconciliation).
* ``columns`` — display columns per family; ``types`` — SyncProgress, SyncResult, WriteOutcome.
"""
