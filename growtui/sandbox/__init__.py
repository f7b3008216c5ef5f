"""Local stand-ins for the track-and-trace services growtui talks to (no network, real HTTP).

``growtui.sandbox.t3`` is a faithful T3 API sandbox; run it with ``growtui sandbox serve``.
The sandbox shares only the domain vocabulary with the app (never data/ or backends/).
"""
