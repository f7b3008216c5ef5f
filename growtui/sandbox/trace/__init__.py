"""A local "Trace" strain API (seed 004; /work/shared/reference/openthc-trace.md, Part B).

Entry points: ``runner.TraceConfig``, ``runner.build_app`` (ASGI, in-process),
``runner.serve_in_thread`` (real HTTP on loopback), ``seed.users_public()`` (the demo sign-ins).
State lives in ``store`` (``TraceWorld``); ``strains`` holds the routes and ``checks`` the body rules.
"""
