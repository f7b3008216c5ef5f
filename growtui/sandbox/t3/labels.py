"""T3's label routes (reference §7, "Labels"; free, watermarked without T3+): the layouts on offer,
the content data for package tags, and label PDFs.

* ``GET /v2/files/labels/label-template-layouts`` (paper: page and label size, grid) and
  ``…/label-content-layouts`` (what goes on a label: ``text1``… keys), each ``{data: {data: [...]}}``;
  the ``/v2/labels/…`` twins answer the same.
* ``POST /v2/files/labels/content-data/packages/active|intransit`` ``{labelTemplateLayoutId,
  labelContentLayoutId, data: [tags]}`` -> ``{data: [{text1..text8}]}`` for the user's packages.
* ``POST /v2/files/labels/generate`` (those content data) and ``POST /v2/labels/generate`` (raw
  layout configs, ``{{ key.path }}`` templates over ``labelContentDataList``) -> a PDF with one
  label per entry and copy, laid out on the template's pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from growtui.sandbox.t3.documents import pdf_response
from growtui.sandbox.t3.errors import ApiError
from growtui.sandbox.t3.http import Ctx, Routes
from growtui.sandbox.t3.pdf import POINTS_PER_INCH, Line, document
from growtui.sandbox.t3.route_table import Collection, Family
from growtui.sandbox.t3.store import Obj

routes = Routes()

MAX_LABELS = 2000  # one request's labels (entries x copies); more is refused rather than rendered


def _template(ident: int, layout_id: str, description: str, printers: list[str], **config: float) -> Obj:
    return {
        "id": ident, "labelTemplateLayoutId": layout_id, "description": description, "requiresT3plus": False,
        "enabled": True, "visible": True, "printerTypes": printers,
        "labelTemplateLayoutConfig": {"labelPaddingXIn": 0.1, "labelPaddingYIn": 0.1, "pageMarginTopIn": 0,
                                      "pageMarginLeftIn": 0, "xGapIn": 0, "yGapIn": 0, **config},
    }  # fmt: skip


TEMPLATE_LAYOUTS: tuple[Obj, ...] = (
    _template(1, "THERMAL_4X2", '4" x 2" thermal roll (Zebra, Dymo)', ["THERMAL"], numRows=1, numColumns=1,
              pageSizeXIn=4, pageSizeYIn=2, labelWidthIn=4, labelHeightIn=2),
    _template(2, "THERMAL_2X1", '2" x 1" thermal roll', ["THERMAL"], numRows=1, numColumns=1,
              pageSizeXIn=2, pageSizeYIn=1, labelWidthIn=2, labelHeightIn=1),
    _template(3, "LETTER_2X5", 'Letter sheet, 10 labels of 4" x 2" (Avery 5163)', ["LASER", "INKJET"], numRows=5,
              numColumns=2, pageSizeXIn=8.5, pageSizeYIn=11, labelWidthIn=4, labelHeightIn=2, xGapIn=0.19,
              pageMarginTopIn=0.5, pageMarginLeftIn=0.16),
)  # fmt: skip

# text1..text8 of T3LabelContentData, as package label content data fills them
CONTENT_KEYS = {
    "text1": "Package tag", "text2": "Item", "text3": "Strain", "text4": "Quantity",
    "text5": "Packaged date", "text6": "License", "text7": "Lab testing state", "text8": "Production batch",
}
CONTENT_LAYOUTS: tuple[Obj, ...] = (
    {
        "id": "PACKAGE_STANDARD", "description": "Tag barcode with item, strain, quantity, dates and license",
        "requiresT3plus": False, "minAspectRatio": 1.5, "maxAspectRatio": 2.5,
        "elements": [{"description": "Package tag", "element_type": "CODE128_BARCODE", "labelContentDataKey": "text1"},
                     *({"description": what, "element_type": "TEXT", "labelContentDataKey": key}
                       for key, what in CONTENT_KEYS.items())],
    },
    {
        "id": "PACKAGE_COMPACT", "description": "Tag QR code and item name",
        "requiresT3plus": False, "minAspectRatio": 1.0, "maxAspectRatio": 3.0,
        "elements": [{"description": "Package tag", "element_type": "QR_CODE", "labelContentDataKey": "text1"},
                     {"description": "Item", "element_type": "TEXT", "labelContentDataKey": "text2"}],
    },
)  # fmt: skip


@routes.get("/v2/files/labels/label-template-layouts", license=False, paid=False)
@routes.get("/v2/labels/label-template-layouts", license=False, paid=False)
def template_layouts(ctx: Ctx) -> Obj:
    return {"data": {"data": list(TEMPLATE_LAYOUTS)}}


@routes.get("/v2/files/labels/label-content-layouts", license=False, paid=False)
@routes.get("/v2/labels/label-content-layouts", license=False, paid=False)
def content_layouts(ctx: Ctx) -> Obj:
    return {"data": {"data": list(CONTENT_LAYOUTS)}}


def _by_id(layouts: tuple[Obj, ...], key: str, wanted: Any, what: str) -> Obj:
    for layout in layouts:
        if layout[key] == wanted:
            return layout
    known = ", ".join(str(layout[key]) for layout in layouts)
    raise ApiError(400, "BadRequest", f"Unknown {what} {wanted!r}; use one of: {known}")


def _body(ctx: Ctx) -> Obj:
    if not isinstance(ctx.body, dict):
        raise ApiError(400, "BadRequest", "The request body must be a JSON object")
    return ctx.body


# --- content data ---------------------------------------------------------------------------------


def content_data(pkg: Obj, license_number: str) -> dict[str, str]:
    """``T3LabelContentData`` of one package (every value a string)."""
    item = pkg.get("item") or {}
    quantity = f"{pkg.get('quantity')} {pkg.get('unitOfMeasureAbbreviation') or ''}".strip()
    values = (pkg.get("label"), item.get("name"), item.get("strainName"), quantity, pkg.get("packagedDate"),
              license_number, pkg.get("labTestingStateName"), pkg.get("productionBatchNumber"))  # fmt: skip
    return {key: "" if value is None else str(value) for key, value in zip(CONTENT_KEYS, values, strict=True)}


def _content_data_route(state: str) -> None:
    coll = Collection(Family.PACKAGES, state)

    def handler(ctx: Ctx) -> Obj:
        body = _body(ctx)
        _by_id(TEMPLATE_LAYOUTS, "labelTemplateLayoutId", body.get("labelTemplateLayoutId"), "labelTemplateLayoutId")
        _by_id(CONTENT_LAYOUTS, "id", body.get("labelContentLayoutId"), "labelContentLayoutId")
        tags = body.get("data")
        if not isinstance(tags, list) or not tags or not all(isinstance(t, str) for t in tags):
            raise ApiError(400, "BadRequest", "data must be a non-empty array of package tags")
        if len(tags) > MAX_LABELS:
            raise ApiError(400, "BadRequest", f"At most {MAX_LABELS} tags per request")
        assert ctx.user is not None
        wanted = set(tags)
        found: dict[str, dict[str, str]] = {}
        for lic in ctx.world.licenses_of(ctx.user):  # no licenseNumber here: every license of the user
            for pkg in lic.members(coll):
                if pkg.get("label") in wanted:
                    found.setdefault(pkg["label"], content_data(pkg, lic.license_number))
        missing = [t for t in tags if t not in found]
        if missing:
            raise ApiError(400, "BadRequest", f"No {state} package with tag {', '.join(missing[:10])}")
        return {"data": [found[t] for t in tags]}

    handler.__name__ = f"label_content_data_{state}"
    routes.post(f"/v2/files/labels/content-data/packages/{state}", license=False, paid=False)(handler)


_content_data_route("active")
_content_data_route("intransit")


# --- label PDFs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sheet:
    """Where labels go: page size and the grid of labels on it, in points."""

    page: tuple[float, float]
    label: tuple[float, float]
    columns: int
    rows: int
    origin: tuple[float, float]  # top-left of the first label, from the page's top-left
    gap: tuple[float, float]

    @classmethod
    def from_config(cls, config: Obj) -> Sheet:
        def inches(*names: str, default: float) -> float:
            for name in names:
                value = config.get(name)
                if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 100:
                    return float(value) * POINTS_PER_INCH
            return default * POINTS_PER_INCH

        label = (inches("labelWidthIn", default=4), inches("labelHeightIn", default=2))
        page = (inches("pageSizeXIn", "pagesizeXIn", default=label[0] / 72), inches("pageSizeYIn", "pagesizeYIn", default=label[1] / 72))
        columns, rows = (max(1, min(50, int(config.get(k) or 1))) for k in ("numColumns", "numRows"))
        origin = (inches("pageMarginLeftIn", default=0), inches("pageMarginTopIn", default=0))
        return cls(page, label, columns, rows, origin, (inches("xGapIn", default=0), inches("yGapIn", default=0)))


def render_labels(sheet: Sheet, labels: list[list[str]], *, title: str, watermark: bool) -> bytes:
    """One PDF page per sheet; each label's lines start at its cell's top-left (clipped to the cell)."""
    per_page = sheet.columns * sheet.rows
    pages: list[list[Line]] = []
    for start in range(0, max(1, len(labels)), per_page):
        page: list[Line] = []
        for n, lines in enumerate(labels[start : start + per_page]):
            col, row = n % sheet.columns, n // sheet.columns
            left = sheet.origin[0] + col * (sheet.label[0] + sheet.gap[0]) + 6
            top = sheet.origin[1] + row * (sheet.label[1] + sheet.gap[1]) + 4
            size = max(5.0, min(10.0, sheet.label[1] / 10))
            texts = [*lines, "T3 FREE - WATERMARKED"] if watermark else lines
            capacity = max(1, int((sheet.label[1] - 8) // (size * 1.3)))
            for k, text in enumerate(texts[:capacity]):
                page.append(Line(text, size, bold=k == 0, at=(left, sheet.page[1] - top - (k + 1) * size * 1.3)))
        pages.append(page)
    return document(pages, title=title, size=sheet.page)


def _copies(body: Obj) -> int:
    options = body.get("renderingOptions") if isinstance(body.get("renderingOptions"), dict) else {}
    copies = options.get("labelCopies", 1)
    if not isinstance(copies, int) or isinstance(copies, bool) or copies < 1:
        raise ApiError(400, "BadRequest", "renderingOptions.labelCopies must be an integer of at least 1")
    return copies


def _bounded(labels: list[list[str]], copies: int, body: Obj) -> list[list[str]]:
    if len(labels) * copies > MAX_LABELS:
        raise ApiError(400, "BadRequest", f"At most {MAX_LABELS} labels per request")
    options = body.get("renderingOptions") if isinstance(body.get("renderingOptions"), dict) else {}
    out = [lines for lines in labels for _ in range(copies)]
    return out[::-1] if options.get("reversePrintOrder") is True else out


@routes.post("/v2/files/labels/generate", license=False, paid=False)
def generate(ctx: Ctx) -> Response:
    body = _body(ctx)
    template = _by_id(TEMPLATE_LAYOUTS, "labelTemplateLayoutId", body.get("labelTemplateLayoutId"), "labelTemplateLayoutId")
    content = _by_id(CONTENT_LAYOUTS, "id", body.get("labelContentLayoutId"), "labelContentLayoutId")
    entries = body.get("labelContentData")
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise ApiError(400, "BadRequest", "labelContentData must be a non-empty array of objects")
    keys = [e["labelContentDataKey"] for e in content["elements"]]
    labels = [[str(e.get(k)) for k in dict.fromkeys(keys) if e.get(k) not in (None, "")] for e in entries]
    labels = _bounded(labels, _copies(body), body)
    assert ctx.user is not None
    watermark = not ctx.user.has_t3plus or body.get("forcePromo") is True
    pdf = render_labels(Sheet.from_config(template["labelTemplateLayoutConfig"]), labels, title="Labels", watermark=watermark)
    return pdf_response(pdf, "labels.pdf", str(body.get("disposition") or "inline"))


_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z0-9_.]+)\s*\}\}")


def _fill(template: str, data: Obj) -> str:
    """``{{ package.label }}`` interpolation (the subset of T3's Jinja templates the sandbox needs)."""

    def value(match: re.Match[str]) -> str:
        node: Any = data
        for part in match.group(1).split("."):
            node = node.get(part) if isinstance(node, dict) else None
        return "" if node is None else str(node)

    return _PLACEHOLDER.sub(value, template)


@routes.post("/v2/labels/generate", license=False, paid=False)
def generate_from_configs(ctx: Ctx) -> Response:
    body = _body(ctx)
    template, content, entries = (body.get(k) for k in ("labelTemplateLayoutConfig", "labelContentLayoutConfig", "labelContentDataList"))
    if not isinstance(template, dict) or not isinstance(content, dict):
        raise ApiError(400, "BadRequest", "labelTemplateLayoutConfig and labelContentLayoutConfig must be objects")
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise ApiError(400, "BadRequest", "labelContentDataList must be a non-empty array of objects")
    elements = [e for e in content.get("labelContentLayoutElements") or [] if isinstance(e, dict) and e.get("enabled", True)]
    common = body.get("commonContentData") if isinstance(body.get("commonContentData"), dict) else {}
    labels = []
    for entry in entries:
        data = {**entry, "common": common}
        lines = [_fill(str(e.get("valueTemplate") or ""), data) for e in elements]
        labels.append([line for line in lines if line.strip()])
    labels = _bounded(labels, _copies(body), body)
    assert ctx.user is not None
    pdf = render_labels(Sheet.from_config(template), labels, title="Labels", watermark=not ctx.user.has_t3plus)
    return pdf_response(pdf, "labels.pdf", str(body.get("disposition") or "inline"))
