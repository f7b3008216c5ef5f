"""A local Metrc API v2 (the integrator API: Basic auth with vendor and user keys, PascalCase JSON)
for tests, demos and benchmarks. Wire shapes follow /work/shared/reference/metrc-api.md (§4-§12).
It imports nothing from the client (growtui.backends, growtui.data, growtui.domain): it owns its
vocabulary and arithmetic, so it can catch the client's mistakes instead of sharing them.

Entry points: ``runner.MetrcSandboxConfig``, ``runner.build_app`` (ASGI, in-process),
``runner.serve_in_thread`` (real HTTP on loopback), ``seed.users_public`` (the demo keys),
``seed.VENDOR_KEY``/``seed.GROWER_KEY``/``seed.MAIN``. State: ``world`` (``World``, ``Facility``,
``Settings``); reads: ``lists``; writes: ``writes`` (§9); limits, latency, faults: ``limits``.
"""
