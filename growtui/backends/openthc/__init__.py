"""The OpenTHC API (seeds 002/003; reference openthc-trace.md Part A): the ``openthc`` backend."""
