"""The "Trace" strain API (seed 004; reference openthc-trace.md Part B): the ``trace`` backend."""
