"""A local Metrc API v2 (the integrator API: Basic auth with vendor and user keys, PascalCase JSON)
for tests, demos and benchmarks. Wire shapes follow /work/shared/reference/metrc-api.md (§4-§12).
It imports nothing from the client (growtui.backends, growtui.data, growtui.domain): it owns its
vocabulary and arithmetic, so it can catch the client's mistakes instead of sharing them.

Entry points: ``runner.MetrcSandboxConfig``, ``runner.build_app`` (ASGI, in-process),
``runner.serve_in_thread`` (real HTTP on loopback), ``seed.users_public`` (the demo keys),
``seed.VENDOR_KEY``/``seed.GROWER_KEY``/``seed.MAIN``. State: ``world`` (``World``, ``Facility``,
``Settings``); reads: ``lists``; writes: ``writes`` (§9); limits, latency, faults: ``limits``.

Switches while it runs (``world = app.state.world`` or ``server.world``):
``world.settings``: ``max_window_hours`` (24 = v1's rule), ``no_window`` ("recent"/"all"),
``max_objects`` (413 above), ``oversize_page`` ("reject"/"clamp"), ``ids_on_every_write``,
``license_denied_status``; ``world.ops``: ``set_limits(per_facility=…, per_vendor=…,
concurrent_facility=…, concurrent_vendor=…)``, ``set_latency``, ``add_fault`` (400, 500, 503, 504,
reset, extra_fields, unknown_enum), ``stats()``; ``world.clock`` (LastModified and windows).
"""
