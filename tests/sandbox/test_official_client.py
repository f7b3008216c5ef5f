"""The official ``t3api`` 0.6.0 client against the sandbox over loopback, for every operation it
serves: each answer must parse with the client's own models (the generated client validates every
field's type and enum while it deserializes), and each document must be a real file.

An emulator that only agrees with growtui cannot catch growtui's mistakes; agreeing with the
client T3 generates from its own spec is the check that the wire format is T3's.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

t3api = pytest.importorskip("t3api", reason="the official client is a [test] extra: pip install -e '.[test]'")
pypdf = pytest.importorskip("pypdf", reason="pypdf is a [test] extra")

from growtui.sandbox.t3.route_table import Collection, Family  # noqa: E402
from growtui.sandbox.t3.runner import SandboxConfig, SandboxServer, serve_in_thread  # noqa: E402
from growtui.sandbox.t3.server import all_routes  # noqa: E402
from growtui.sandbox.t3.store import LicenseState, Obj  # noqa: E402
from growtui.sandbox.t3.tokens import mint_token  # noqa: E402
from tests.sandbox.test_mutations_helpers import (  # noqa: E402
    active_packages,
    destination,
    free_tags,
    package_location,
    unit_id,
    weight_item,
)
from tests.sandbox_fixtures import CA_LOGIN, MAIN_LICENSE  # noqa: E402

LIC = MAIN_LICENSE
MI_USER, MI_LICENSE = "grower.mi", "PC-000321"  # CA-style licenses have no vegetative plants
PAGE = {"page_size": 500}  # one page holds every row of the small world: all of them are parsed

# Operations of the client the sandbox does not serve, and why (everything else must be served).
NOT_SERVED = {
    "v2_sales_active_get": "retail sales receipts: not part of a grow floor",
    "v2_sales_inactive_get": "retail sales receipts: not part of a grow floor",
    "v2_sales_active_report_get": "retail sales receipts: not part of a grow floor",
    "v2_sales_transactions_get": "retail sales receipts: not part of a grow floor",
    "v2_sales_unfinalize_post": "retail sales receipts: not part of a grow floor",
    "v2_sales_void_post": "retail sales receipts: not part of a grow floor",
}


def client_operations() -> dict[str, tuple[str, str]]:
    """Every operation of the installed client: name -> (method, path), read from its API classes."""
    import t3api.api as api_package

    ops: dict[str, tuple[str, str]] = {}
    pattern = re.compile(r"def _(\w+)_serialize\(.*?method='(\w+)',\s*resource_path='([^']+)'", re.S)
    for source in sorted(Path(api_package.__path__[0]).glob("*_api.py")):
        for name, method, path in pattern.findall(source.read_text()):
            ops[name] = (method, path)
    return ops


# --- the world the calls pick their ids from ------------------------------------------------------


@dataclass
class Picks:
    lic: LicenseState
    michigan: Any  # an ApiClient signed in as grower.mi, whose license has vegetative plants

    def first(self, store: str, test: Callable[[Obj], bool] = lambda o: True) -> Obj:
        return next(o for o in getattr(self.lic, store).values() if test(o))

    @property
    def tested_package(self) -> Obj:
        return self.first("packages", lambda p: bool(p.get("labTestResultDocumentFileId")))

    @property
    def manifest(self) -> int:
        """The client sends manifest numbers as integers (no zero padding)."""
        return int(self.first("outgoing")["manifestNumber"])

    @property
    def delivery_id(self) -> int:
        return self.first("outgoing")["deliveryId"]

    @property
    def harvest_id(self) -> int:
        return next(h for h in self.lic.harvests.values() if self.lic.harvest_plants.get(h["id"]))["id"]

    @property
    def item_with_photo(self) -> Obj:
        return self.first("items", lambda i: bool(i.get("productImages")))


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with serve_in_thread(SandboxConfig(packages=120, rate_limit=None)) as srv:
        yield srv


@pytest.fixture(scope="module")
def api(server: SandboxServer) -> Iterator[Any]:
    """One signed-in official ``ApiClient`` (the login itself goes through the client's models)."""
    with t3api.ApiClient(t3api.Configuration(host=server.base_url)) as anonymous:
        login = t3api.AuthenticationApi(anonymous).v2_auth_credentials_post(t3api.V2AuthCredentialsPostRequest(**CA_LOGIN))
    with t3api.ApiClient(t3api.Configuration(host=server.base_url, access_token=login.access_token)) as client:
        yield client


@pytest.fixture(scope="module")
def picks(server: SandboxServer) -> Iterator[Picks]:
    world = server.world
    token = mint_token(world, world.users[MI_USER])  # its TOTP login is covered by test_auth.py
    with t3api.ApiClient(t3api.Configuration(host=server.base_url, access_token=token)) as michigan:
        yield Picks(world.licenses[LIC], michigan)


def _call(api: Any, name: str, **kwargs: Any) -> Any:
    """Call ``name`` on whichever of the client's API classes defines it."""
    for attr in dir(t3api):
        cls = getattr(t3api, attr)
        if attr.endswith("Api") and isinstance(cls, type) and hasattr(cls, name):
            return getattr(cls(api), name)(**kwargs)
    raise AssertionError(f"t3api has no operation {name}")


def _paged(name: str, **extra: Callable[[Picks], Any]) -> Callable[[Any, Picks], Any]:
    return lambda api, p: _call(api, name, license_number=LIC, **PAGE, **{k: f(p) for k, f in extra.items()})


def _report(name: str) -> Callable[[Any, Picks], Any]:
    return lambda api, p: _call(api, name, license_number=LIC, content_type="json")


def _pdf(data: Any) -> None:
    reader = pypdf.PdfReader(io.BytesIO(bytes(data)))
    assert len(reader.pages) >= 1
    assert reader.pages[0].extract_text().strip()


# name -> call(api, picks). The result of every call has already been parsed by the client's models.
CALLS: dict[str, Callable[[Any, Picks], Any]] = {
    # auth and account
    "v2_auth_whoami_get": lambda api, p: _call(api, "v2_auth_whoami_get"),
    "v2_auth_credentials_post": lambda api, p: _call(
        api, "v2_auth_credentials_post", v2_auth_credentials_post_request=t3api.V2AuthCredentialsPostRequest(**CA_LOGIN)
    ),
    "v2_auth_apikey_post": lambda api, p: _call(
        api,
        "v2_auth_apikey_post",
        v2_auth_apikey_post_request=t3api.V2AuthApikeyPostRequest(
            api_key=f"{CA_LOGIN['username']}:{CA_LOGIN['password']}", state_code="CA"
        ),
    ),
    "v2_auth_secretkey_post": lambda api, p: _call(
        api, "v2_auth_secretkey_post", v2_auth_secretkey_post_request=t3api.V2AuthSecretkeyPostRequest(**CA_LOGIN)
    ),
    "v2_licenses_get": lambda api, p: _call(api, "v2_licenses_get"),
    "v2_states_get": lambda api, p: _call(api, "v2_states_get"),
    "v2_permissions_views_get": lambda api, p: _call(api, "v2_permissions_views_get", license_number=LIC),
    "v2_permissions_get": lambda api, p: _call(
        api, "v2_permissions_get", license_number=LIC, view=_call(api, "v2_permissions_views_get", license_number=LIC)[0]
    ),
    "v2_search_get": lambda api, p: _call(api, "v2_search_get", license_number=LIC, query=p.tested_package["label"][-6:]),
    # top-level collections
    **{
        name: _paged(name)
        for name in (
            "v2_plants_flowering_get", "v2_plants_onhold_get", "v2_plants_inactive_get",
            "v2_plantbatches_active_get", "v2_plantbatches_onhold_get", "v2_plantbatches_inactive_get",
            "v2_harvests_active_get", "v2_harvests_onhold_get", "v2_harvests_inactive_get",
            "v2_packages_active_get", "v2_packages_onhold_get", "v2_packages_inactive_get", "v2_packages_intransit_get",
            "v2_packages_transferred_get", "v2_items_get", "v2_strains_get",
            "v2_transfers_incoming_active_get", "v2_transfers_incoming_inactive_get",
            "v2_transfers_outgoing_active_get", "v2_transfers_outgoing_inactive_get", "v2_transfers_rejected_get",
            "v2_packages_create_source_items_get", "v2_packages_create_source_packages_get",
            "v2_transfers_create_destinations_get", "v2_transfers_create_transporters_get",
            "v2_transfers_create_packages_get",
        )
    },  # fmt: skip
    "v2_plants_vegetative_get": lambda api, p: _call(p.michigan, "v2_plants_vegetative_get", license_number=MI_LICENSE, **PAGE),
    "v2_plants_vegetative_report_get": lambda api, p: _call(
        p.michigan, "v2_plants_vegetative_report_get", license_number=MI_LICENSE, content_type="json"
    ),
    "v2_packages_active_super_get": _paged(
        "v2_packages_active_super_get", include=lambda p: ["labResults", "labResultBatches", "sourceHarvests", "history"]
    ),
    "v2_packages_intransit_super_get": _paged(
        "v2_packages_intransit_super_get", include=lambda p: ["labResults", "labResultBatches", "sourceHarvests", "history"]
    ),
    "v2_packages_create_inputs_get": lambda api, p: _call(api, "v2_packages_create_inputs_get", license_number=LIC),
    "v2_transfers_create_inputs_get": lambda api, p: _call(api, "v2_transfers_create_inputs_get", license_number=LIC),
    # sub-collections (T3 has no single-object routes: the parent's id is a query parameter)
    "v2_plants_history_get": _paged("v2_plants_history_get", plant_id=lambda p: p.first("plants")["id"]),
    "v2_plantbatches_history_get": _paged("v2_plantbatches_history_get", plant_batch_id=lambda p: p.first("plant_batches")["id"]),
    "v2_harvests_history_get": _paged("v2_harvests_history_get", plant_id=lambda p: p.harvest_id),
    "v2_harvests_plants_get": _paged("v2_harvests_plants_get", plant_id=lambda p: p.harvest_id),
    "v2_harvests_packages_get": _paged("v2_harvests_packages_get", package_id=lambda p: p.harvest_id),
    "v2_packages_history_get": _paged("v2_packages_history_get", package_id=lambda p: p.tested_package["id"]),
    "v2_packages_source_harvests_get": _paged("v2_packages_source_harvests_get", package_id=lambda p: p.tested_package["id"]),
    "v2_packages_labresults_get": _paged("v2_packages_labresults_get", package_id=lambda p: p.tested_package["id"]),
    "v2_packages_labresult_batches_get": _paged(
        "v2_packages_labresult_batches_get", package_id=lambda p: p.tested_package["id"]
    ),
    "v2_items_history_get": _paged("v2_items_history_get", item_id=lambda p: p.first("items")["id"]),
    "v2_items_photos_get": _paged("v2_items_photos_get", item_id=lambda p: p.item_with_photo["id"]),
    "v2_transfers_history_get": _paged("v2_transfers_history_get", manifest_number=lambda p: p.manifest),
    "v2_transfers_deliveries_get": _paged("v2_transfers_deliveries_get", manifest_number=lambda p: p.manifest),
    "v2_transfers_transporter_details_get": _paged(
        "v2_transfers_transporter_details_get", manifest_number=lambda p: p.manifest
    ),
    "v2_transfers_packages_get": _paged("v2_transfers_packages_get", delivery_id=lambda p: p.delivery_id),
    "v2_transfers_transporters_get": _paged("v2_transfers_transporters_get", delivery_id=lambda p: p.delivery_id),
    # labels (free routes: no licenseNumber)
    **{
        name: (lambda n: lambda api, p: _call(api, n))(name)
        for name in (
            "v2_files_labels_label_template_layouts_get", "v2_files_labels_label_content_layouts_get",
            "v2_labels_label_template_layouts_get", "v2_labels_label_content_layouts_get",
        )
    },  # fmt: skip
    "v2_files_labels_content_data_packages_active_post": lambda api, p: _call(
        api, "v2_files_labels_content_data_packages_active_post",
        v2_files_labels_content_data_packages_active_post_request=_label_request(p),
    ),
    "v2_files_labels_content_data_packages_intransit_post": lambda api, p: _call(
        api, "v2_files_labels_content_data_packages_intransit_post",
        v2_files_labels_content_data_packages_active_post_request=_label_request(p, "intransit"),
    ),
    # reports the floor reads
    **{
        name: _report(name)
        for name in (
            "v2_harvests_active_report_get", "v2_harvests_inactive_report_get", "v2_items_report_get",
            "v2_packages_active_report_get", "v2_packages_intransit_report_get", "v2_packages_transferred_report_get",
            "v2_plantbatches_active_report_get", "v2_plants_flowering_report_get",
            "v2_strains_report_get", "v2_transfers_incoming_manifest_report_get",
            "v2_transfers_outgoing_manifest_report_get",
        )
    },  # fmt: skip
}



def _write(name: str, model: str, body: Callable[[Picks], Any], submit: str | None = None) -> Callable[[Any, Picks], Any]:
    """A write through the client's own request model; a dry run unless ``submit`` says "true"."""

    def call(api: Any, p: Picks) -> Any:
        raw = body(p)
        request_model = getattr(t3api, model)
        payload = [request_model.from_dict(e) for e in raw] if isinstance(raw, list) else request_model.from_dict(raw)
        arg = next(n for n in _signature(api, name) if n.endswith("_request") or n.endswith("_request_inner"))
        result = _call(api, name, license_number=LIC, submit=submit, **{arg: payload})
        assert result.message == ("Success" if submit == "true" else "Dry run")
        return result

    return call


def _signature(api: Any, name: str) -> list[str]:
    import inspect

    for attr in dir(t3api):
        cls = getattr(t3api, attr)
        if attr.endswith("Api") and isinstance(cls, type) and hasattr(cls, name):
            return list(inspect.signature(getattr(cls, name)).parameters)
    raise AssertionError(name)


def _create_package(p: Picks) -> list[Obj]:
    source = active_packages(p.lic, "g")[0]
    return [{
        "actualDate": p.lic.world.now().date().isoformat(), "itemId": weight_item(p.lic)["id"],
        "locationId": package_location(p.lic)["id"], "tagId": free_tags(p.lic)[0]["id"], "quantity": 1,
        "unitOfMeasureId": unit_id(p.lic, "g"),
        "ingredients": [{"packageId": source["id"], "quantity": 1, "unitOfMeasureId": unit_id(p.lic, "g")}],
    }]  # fmt: skip


WRITES: dict[str, Callable[[Any, Picks], Any]] = {
    "v2_packages_create_post": _write("v2_packages_create_post", "V2PackagesCreatePostRequestInner", _create_package),
    "v2_packages_notes_post": _write(
        "v2_packages_notes_post", "V2PackagesNotesPostRequestInner",
        lambda p: [{"id": active_packages(p.lic)[0]["id"], "note": "checked by the official client"}], submit="true",
    ),
    "v2_packages_unfinish_post": _write(
        "v2_packages_unfinish_post", "V2PackagesUnfinishPostRequestInner",
        lambda p: [{"id": p.first("packages", lambda o: bool(o.get("isFinished")))["id"]}],
    ),
    "v2_strains_create_post": _write(
        "v2_strains_create_post", "V2StrainsCreatePostRequestInner",
        lambda p: [{"name": "Official Client Kush", "cbdLevel": 0.1, "thcLevel": 0.2, "indicaPercentage": 60,
                    "sativaPercentage": 40, "testingStatus": "None"}], submit="true",
    ),
    "v2_strains_discontinue_post": _write(
        "v2_strains_discontinue_post", "V2StrainsDiscontinuePostRequest", lambda p: {"id": p.first("strains")["id"]}
    ),
    "v2_items_discontinue_post": _write(
        "v2_items_discontinue_post", "V2ItemsDiscontinuePostRequest", lambda p: {"id": p.first("items")["id"]}
    ),
    "v2_transfers_create_post": _write(
        "v2_transfers_create_post", "V2TransfersCreatePostRequestInner",
        lambda p: [{"destinations": [destination(p.lic, active_packages(p.lic)[:1])]}],
    ),
    "v2_transfers_templates_create_post": _write(
        "v2_transfers_templates_create_post", "V2TransfersTemplatesCreatePostRequestInner",
        lambda p: [{"name": "Official client template", "destinations": [destination(p.lic, active_packages(p.lic)[:1])]}],
        submit="true",
    ),
}  # fmt: skip


def _photo_file(api: Any, p: Picks) -> Any:
    item = p.item_with_photo
    photo = _call(api, "v2_items_photos_get", license_number=LIC, item_id=item["id"]).data[0]
    return _call(api, "v2_items_photos_file_get", license_number=LIC, item_id=item["id"],
                 image_file_id=photo.image_file_id, file_type=photo.file_type)  # fmt: skip


def _coa(api: Any, p: Picks) -> Any:
    pkg = p.tested_package
    result = _call(api, "v2_packages_labresults_get", license_number=LIC, package_id=pkg["id"]).data[0]
    return _call(api, "v2_packages_labresults_document_get", license_number=LIC, package_id=pkg["id"],
                 lab_test_result_document_file_id=result.lab_test_result_document_file_id)  # fmt: skip


def _label_request(p: Picks, state: str = "active") -> Any:
    packages = p.lic.members(Collection(Family.PACKAGES, state))[:3]
    return t3api.V2FilesLabelsContentDataPackagesActivePostRequest(
        label_template_layout_id="LETTER_2X5", label_content_layout_id="PACKAGE_STANDARD", data=[x["label"] for x in packages]
    )


def _label_pdf(api: Any, p: Picks) -> Any:
    content = _call(api, "v2_files_labels_content_data_packages_active_post",
                    v2_files_labels_content_data_packages_active_post_request=_label_request(p))  # fmt: skip
    request = t3api.V2FilesLabelsGeneratePostRequest.from_dict({
        "labelTemplateLayoutId": "LETTER_2X5", "labelContentLayoutId": "PACKAGE_STANDARD",
        "labelContentData": [c.to_dict() for c in content.data], "renderingOptions": {"reversePrintOrder": True},
    })  # fmt: skip
    return _call(api, "v2_files_labels_generate_post", v2_files_labels_generate_post_request=request)


def _raw_label_pdf(api: Any, p: Picks) -> Any:
    # 0.6.0's V2LabelsGeneratePostRequest types both configs as dicts yet calls .to_dict() on them
    # when sending (and its from_dict names a model it never imports): build it around the config
    # models without validation, which is what the client can actually send.
    template = t3api.T3LabelTemplateLayoutConfig.from_dict(
        {"pagesizeXIn": 4, "pagesizeYIn": 2, "labelWidthIn": 4, "labelHeightIn": 2, "numColumns": 1, "numRows": 1}
    )
    content = t3api.T3LabelContentLayoutConfig.from_dict({"labelContentLayoutElements": [
        {"elementType": "CODE128_BARCODE", "valueTemplate": "{{ package.label }}"},
        {"elementType": "TEXT", "valueTemplate": "{{ package.item.name }} - {{ common.license }}"},
    ]})  # fmt: skip
    request = t3api.V2LabelsGeneratePostRequest.model_construct(  # (pydantic warns when it serialises this)
        label_template_layout_config=template,
        label_content_layout_config=content,
        label_content_data_list=[{"package": x} for x in p.lic.members(Collection(Family.PACKAGES, "active"))[:2]],
        common_content_data={"license": LIC},
    )
    return _call(api, "v2_labels_generate_post", v2_labels_generate_post_request=request)


# name -> (call, check of the bytes the client hands back)
DOCUMENTS: dict[str, tuple[Callable[[Any, Picks], Any], Callable[[Any], None]]] = {
    "v2_transfers_manifest_get": (
        lambda api, p: _call(api, "v2_transfers_manifest_get", license_number=LIC, manifest_number=p.manifest), _pdf
    ),
    "v2_packages_labresults_document_get": (_coa, _pdf),
    "v2_files_labels_generate_post": (_label_pdf, _pdf),
    "v2_labels_generate_post": (_raw_label_pdf, _pdf),
    "v2_items_photos_file_get": (_photo_file, lambda data: bytes(data).startswith(b"\x89PNG\r\n\x1a\n") or _fail("not a PNG")),
}


def _fail(message: str) -> None:
    raise AssertionError(message)


@pytest.mark.filterwarnings("ignore::UserWarning:pydantic")
@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_documents_are_real_files(api, picks, name):
    call, check = DOCUMENTS[name]
    check(call(api, picks))


@pytest.mark.parametrize("name", sorted(WRITES))
def test_write_answers_parse_with_the_official_models(api, picks, name):
    WRITES[name](api, picks)


@pytest.mark.parametrize("status", [400, 500, 503])
def test_write_refusals_parse_with_the_official_error_models(api, picks, server, status):
    """Writes declare 400/500/503 bodies: the client parses each into its error model."""
    finished = picks.first("packages", lambda o: bool(o.get("isFinished")))
    if status != 400:
        server.world.ops.add_fault(str(status), next=1, method="POST", path="/v2/packages/notes")
    with pytest.raises(t3api.ApiException) as refused:
        _call(api, "v2_packages_notes_post", license_number=LIC, submit="true",
              v2_packages_notes_post_request_inner=[t3api.V2PackagesNotesPostRequestInner(id=finished["id"], note="x")])  # fmt: skip
    assert refused.value.status == status
    error = refused.value.data.error  # e.g. V2ItemsDiscontinuePost400Response(error=...(type, message, ...))
    assert error.status_code == status and error.message


@pytest.mark.parametrize("name", sorted(CALLS))
def test_answer_parses_with_the_official_models(api, picks, name):
    result = CALLS[name](api, picks)
    assert result is not None
    data = getattr(result, "data", result)
    data = getattr(data, "data", data)  # label layouts: {data: {data: [...]}}
    if isinstance(data, list) and "permissions" not in name:
        assert data, f"{name}: the seeded world should give the client something to parse"


def test_every_operation_is_called_or_knowingly_not_served():
    ops = client_operations()
    assert len(ops) == 93  # t3api 0.6.0
    served = {(m, r.path) for r in all_routes() for m in (r.methods or ()) if m != "HEAD"}
    for name, (method, path) in ops.items():
        if name in NOT_SERVED:
            assert (method, path) not in served, f"{name} is served now: test it"
        else:
            assert (method, path) in served, f"the sandbox does not serve {method} {path} ({name})"
            assert name in CALLS or name in WRITES or name in DOCUMENTS, f"no official-client test for {name}"
