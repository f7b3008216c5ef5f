"""A local T3 API ("Track & Trace Tools", https://api.trackandtrace.tools) for tests, demos and
benchmarks. Wire shapes follow /work/shared/reference/t3-api.md.

Entry points: ``runner.SandboxConfig``, ``runner.build_app`` (ASGI, in-process),
``runner.serve_in_thread`` (real HTTP on loopback). State lives in ``store`` (``World``,
``LicenseState``); ``http`` holds the route plumbing write routes build on; ``ops`` the rate
limiter, latency and fault switches.
"""
