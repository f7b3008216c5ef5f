"""Operations realism: rate limit, concurrency cap, latency and every fault, in-process and over HTTP."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware

from growtui.sandbox.t3.http import Ctx, Routes
from growtui.sandbox.t3.ops import UNKNOWN_ENUM_VALUE, Fault, Ops, OpsMiddleware, parse_faults
from growtui.sandbox.t3.runner import SandboxConfig
from growtui.sandbox.t3.store import World
from tests.sandbox_fixtures import CA_LOGIN, MAIN_LICENSE, bearer

PARAMS = {"licenseNumber": MAIN_LICENSE, "pageSize": 5}


async def test_sliding_window_rate_limit_answers_429_and_counts(asgi_client, auth_headers, sandbox_world):
    ops: Ops = sandbox_world.ops
    now = [1000.0]
    ops.clock = lambda: now[0]
    ops.set_rate_limit(3, window_s=10.0)
    codes = [(await asgi_client.get("/v2/strains", params=PARAMS, headers=auth_headers)).status_code for _ in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    r = await asgi_client.get("/v2/strains", params=PARAMS, headers=auth_headers)
    assert r.json()["error"]["status_code"] == 429 and r.json()["error"]["type"] == "TooManyRequests"
    now[0] += 10.5  # the window slid past the first three
    assert (await asgi_client.get("/v2/strains", params=PARAMS, headers=auth_headers)).status_code == 200
    stats = ops.stats()
    assert stats["requests_by_user"]["grower.ca"] == 7
    assert stats["rate_limited"] == 3 and stats["max_in_window"] == 3
    # budgets are per user: another user is not limited by grower.ca's traffic
    other = bearer(sandbox_world, "grower.mi")
    assert (await asgi_client.get("/v2/licenses", headers=other)).status_code == 200


async def test_rejected_requests_count_against_the_window_and_429_says_when_to_retry(asgi_client, auth_headers, sandbox_world):
    ops: Ops = sandbox_world.ops
    now = [0.0]
    ops.clock = lambda: now[0]
    ops.set_rate_limit(2, window_s=10.0)

    async def get() -> httpx.Response:
        return await asgi_client.get("/v2/strains", params=PARAMS, headers=auth_headers)

    assert [(await get()).status_code for _ in range(2)] == [200, 200]
    now[0] = 5.0
    limited = await get()
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "5"  # t=0 arrivals leave at 10
    await get()
    now[0] = 10.5  # the admitted pair aged out, but the two refused at t=5 still count
    limited = await get()
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "5"  # the t=5 arrival leaves at 15
    now[0] = 15.5
    assert (await get()).status_code == 200
    assert ops.stats()["max_in_window"] == 2


async def test_concurrency_cap_per_user(asgi_client, auth_headers, sandbox_world):
    ops = sandbox_world.ops
    ops.set_max_concurrent(1)
    ops.set_latency(150)
    results = await asyncio.gather(*(asgi_client.get("/v2/strains", params=PARAMS, headers=auth_headers) for _ in range(2)))
    assert sorted(r.status_code for r in results) == [200, 429]


async def test_latency_is_applied(asgi_client, auth_headers, sandbox_world):
    sandbox_world.ops.set_latency(120, jitter_ms=30)
    start = time.perf_counter()
    await asgi_client.get("/v2/strains", params=PARAMS, headers=auth_headers)
    assert 0.12 <= time.perf_counter() - start < 2.0


@pytest.mark.parametrize("kind", ["500", "503"])
async def test_json_server_errors_for_next_n_requests(asgi_client, auth_headers, sandbox_world, kind):
    sandbox_world.ops.add_fault(kind, next=2)
    codes = [(await asgi_client.get("/v2/items", params=PARAMS, headers=auth_headers)) for _ in range(3)]
    assert [r.status_code for r in codes] == [int(kind), int(kind), 200]
    assert codes[0].json()["error"]["status_code"] == int(kind)
    assert sandbox_world.ops.stats()["faults_served"] == {kind: 2}


async def test_faults_narrow_by_path_and_method(asgi_client, auth_headers, sandbox_world):
    sandbox_world.ops.add_fault("503", next=1, path="/v2/packages")
    assert (await asgi_client.get("/v2/items", params=PARAMS, headers=auth_headers)).status_code == 200
    assert (await asgi_client.get("/v2/packages/active", params=PARAMS, headers=auth_headers)).status_code == 503
    sandbox_world.ops.add_fault("500", next=1, method="POST")
    assert (await asgi_client.get("/v2/items", params=PARAMS, headers=auth_headers)).status_code == 200
    assert sandbox_world.ops.faults  # still armed for the next POST


async def test_gateway_timeout_on_get_is_html(asgi_client, auth_headers, sandbox_world):
    sandbox_world.ops.add_fault("504", next=1)
    r = await asgi_client.get("/v2/items", params=PARAMS, headers=auth_headers)
    assert r.status_code == 504 and r.headers["content-type"].startswith("text/html") and "<!DOCTYPE html>" in r.text


async def test_expire_tokens_fault(asgi_client, auth_headers, sandbox_world):
    sandbox_world.ops.add_fault("expire_tokens", next=1)
    assert (await asgi_client.get("/v2/items", params=PARAMS, headers=auth_headers)).status_code == 401
    assert (await asgi_client.get("/v2/items", params=PARAMS, headers=auth_headers)).status_code == 401
    assert (await asgi_client.get("/v2/items", params=PARAMS, headers=bearer(sandbox_world))).status_code == 200


async def test_schema_drift_faults(asgi_client, auth_headers, sandbox_world):
    sandbox_world.ops.add_fault("unknown_enum", next=1, path="/v2/packages")
    rows = (await asgi_client.get("/v2/packages/active", params=PARAMS, headers=auth_headers)).json()["data"]
    assert rows and all(row["packageType"] == UNKNOWN_ENUM_VALUE for row in rows)
    sandbox_world.ops.add_fault("extra_fields", rate=1.0)
    rows = (await asgi_client.get("/v2/strains", params=PARAMS, headers=auth_headers)).json()["data"]
    assert all("sandboxExtraNote" in row for row in rows)


async def test_reset_in_process_raises_transport_error(asgi_client, auth_headers, sandbox_world):
    sandbox_world.ops.add_fault("reset", next=1)
    with pytest.raises(httpx.TransportError):
        await asgi_client.get("/v2/items", params=PARAMS, headers=auth_headers)
    assert (await asgi_client.get("/v2/items", params=PARAMS, headers=auth_headers)).status_code == 200


def test_parse_faults_spec():
    faults = parse_faults("503:0.05, 504:x2@post, reset:0.1~/v2/packages")
    assert faults == [
        Fault("503", rate=0.05),
        Fault("504", next=2, method="POST"),
        Fault("reset", rate=0.1, path="/v2/packages"),
    ]
    with pytest.raises(ValueError):
        parse_faults("teapot:1")


def test_probabilistic_fault_rate_is_roughly_honoured():
    ops = Ops(faults=[Fault("503", rate=0.25)], seed=3)
    fired = sum(ops.take(frozenset({"503"}), "GET", "/v2/items") is not None for _ in range(2000))
    assert 400 < fired < 600


# --- a write route built on http.Routes: the 504-after-write hook ------------------------------


def _write_app(world: World) -> Starlette:
    routes = Routes()

    @routes.post("/v2/packages/notes")
    def notes(ctx: Ctx) -> dict:
        pkg = ctx.license.packages[ctx.body[0]["id"]]
        if not ctx.submit:
            return {"message": "Dry run"}
        pkg["note"] = ctx.body[0]["note"]
        ctx.license.touch(pkg)
        ctx.applied()
        return {"message": "Success"}

    app = Starlette(routes=routes, middleware=[Middleware(OpsMiddleware, world=world)])
    app.state.world = world
    return app


async def test_504_after_write_keeps_the_write(sandbox_world):
    world = sandbox_world
    pkg_id = next(iter(world.licenses[MAIN_LICENSE].packages))
    world.ops.add_fault("504", next=1, method="POST")
    transport = httpx.ASGITransport(app=_write_app(world))
    async with httpx.AsyncClient(transport=transport, base_url="http://t3") as client:
        params = {"licenseNumber": MAIN_LICENSE, "submit": "true"}
        r = await client.post("/v2/packages/notes", params=params, json=[{"id": pkg_id, "note": "after 504"}], headers=bearer(world))
        assert r.status_code == 504 and "<html>" in r.text
        assert world.licenses[MAIN_LICENSE].packages[pkg_id]["note"] == "after 504"
        dry = await client.post("/v2/packages/notes", params={"licenseNumber": MAIN_LICENSE}, json=[{"id": pkg_id, "note": "x"}], headers=bearer(world))
        assert dry.json() == {"message": "Dry run"}
        bad = await client.post("/v2/packages/notes", params=params, content=b"{not json", headers=bearer(world))
        assert bad.status_code == 400 and bad.json()["error"]["status_code"] == 400


# --- over real HTTP on loopback ----------------------------------------------------------------


@pytest.fixture
def sandbox_config() -> SandboxConfig:
    return SandboxConfig(packages=200, rate_limit=4, rate_window_s=30.0)


def test_real_http_rate_limit_faults_and_reset(sandbox_server):
    world = sandbox_server.world
    headers = bearer(world)
    with httpx.Client(base_url=sandbox_server.base_url, headers=headers, timeout=5) as client:
        assert client.get("/v2/items", params=PARAMS).status_code == 200
        world.ops.add_fault("503", next=1)
        r = client.get("/v2/items", params=PARAMS)
        assert r.status_code == 503 and r.json()["error"]["status_code"] == 503
        world.ops.add_fault("reset", next=1)
        with pytest.raises(httpx.TransportError):
            client.get("/v2/items", params=PARAMS)
        assert client.get("/v2/items", params=PARAMS).status_code == 200
        assert client.get("/v2/items", params=PARAMS).status_code == 429  # 4 admitted in the window
    assert world.ops.stats()["max_in_window"] == 4


def test_real_http_login_and_paging(sandbox_server):
    with httpx.Client(base_url=sandbox_server.base_url, timeout=5) as client:
        token = client.post("/v2/auth/credentials", json=CA_LOGIN).json()["accessToken"]
        body = client.get("/v2/packages/active", params={"licenseNumber": MAIN_LICENSE, "pageSize": 50, "page": 2}, headers={"Authorization": f"Bearer {token}"}).json()
        assert body["page"] == 2 and len(body["data"]) == 50


async def test_routes_options_control_auth_paid_and_license_checks(sandbox_world):
    routes = Routes()

    @routes.get("/open", auth=False)
    def open_route(ctx: Ctx) -> dict:
        return {"user": ctx.user}

    @routes.get("/free", license=False, paid=False)
    def free_route(ctx: Ctx) -> dict:
        return {"user": ctx.user.username}

    @routes.get("/paid")
    def paid_route(ctx: Ctx) -> dict:
        return {"license": ctx.license.license_number}

    app = Starlette(routes=routes)
    app.state.world = sandbox_world
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t3") as client:
        assert (await client.get("/open")).json() == {"user": None}
        assert (await client.get("/free")).status_code == 401
        free_user = bearer(sandbox_world, "free.ca")
        assert (await client.get("/free", headers=free_user)).json() == {"user": "free.ca"}
        assert (await client.get("/paid", params={"licenseNumber": "CCL21-0000999"}, headers=free_user)).status_code == 403
        ca = bearer(sandbox_world)
        assert (await client.get("/paid", headers=ca)).status_code == 400
        assert (await client.get("/paid", params={"licenseNumber": MAIN_LICENSE}, headers=ca)).json() == {"license": MAIN_LICENSE}
