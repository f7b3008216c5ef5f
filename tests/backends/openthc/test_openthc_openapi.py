"""Every OpenTHC sandbox answer the backend uses (sign-in, the lists it reads, sign-out),
recorded as the backend received it and validated against the published OpenAPI description in
../shared/upstream/openthc-api (tests/sandbox/openthc/openapi_spec.py says how, and lists each
noted deviation of the reference server). Skipped where ../shared is absent."""

from __future__ import annotations

import httpx
import pytest

from growtui.backends.base import BackendError
from growtui.backends.openthc.backend import LISTS, OpenTHCBackend
from tests.backends.openthc.conftest import CODE, creds

pytest.importorskip("yaml", reason="pyyaml is in the [test] extra")
from tests.sandbox.openthc.openapi_spec import ENTRY, Recorded, Spec  # noqa: E402

pytestmark = pytest.mark.skipif(not ENTRY.exists(), reason=f"the OpenTHC OpenAPI description is not at {ENTRY} (no ../shared here)")


async def test_every_answer_the_backend_reads_matches_the_spec(server):
    server.world.empty_meta = "object"  # ping's and Response_Failure's schemas say object
    log: list[Recorded] = []

    async def record(response: httpx.Response) -> None:
        await response.aread()
        log.append(Recorded(response.request.method, response.request.url.path, response.status_code, response.json()))

    backend = OpenTHCBackend(server.base_url)
    backend.client.http.event_hooks["response"].append(record)
    try:
        with pytest.raises(BackendError):
            await backend.login(creds(**{"license-key": "wrong-license-key"}))  # a refusal, 403
        await backend.login(creds())
        for collection in LISTS:
            await backend.fetch_page(CODE, collection, 1, 100)
        await backend.logout()
    finally:
        await backend.aclose()
    used = {(r.method, r.status) for r in log}
    assert ("POST", 403) in used and ("POST", 200) in used and ("GET", 200) in used
    assert {r.path for r in log} >= {"/auth/open", "/license/010PENTHC0SANDB0XL1CENSE0G", "/section", "/product",
                                      "/variety", "/inventory", "/plant", "/auth/shut"}
    spec = Spec()
    problems = [p for r in log for p in spec.problems(r)]
    assert not problems, "\n".join(problems)
