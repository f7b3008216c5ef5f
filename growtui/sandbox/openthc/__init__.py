"""A local OpenTHC API server (seeds 002/003, /work/shared/reference/openthc-trace.md Part A, and the
OpenAPI description in shared/upstream/openthc-api), behaving like the reference server (the CRE)
where it differs from the spec, with each such place and each self-contradiction of the spec noted
in the module that serves it.

Entry points: ``runner.OpenTHCConfig``, ``runner.build_app`` (ASGI, in-process),
``runner.serve_in_thread`` (real HTTP on loopback), ``runner.sign_in_form(account)`` and
``seed.users_public()`` (the demo sign-ins). State: ``store.OpenTHCWorld``; plumbing: ``http``;
routes: ``auth``, ``config_routes``, ``inventory``, ``plants``, ``lab``, ``b2b``.
"""
