"""The detail pane: every field of the row under the cursor, then its lazily loaded sub-lists.

Everything here is API data, rendered as rich Text (never markup).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from growtui.ui.common import as_mapping, field_of
from growtui.ui.sections import SubList
from growtui.ui.widgets.record_list import clean_cell

# Fields that identify a row best come first in the pane.
_FIRST = (
    "label", "name", "manifestNumber", "item.name", "itemName", "strainName", "quantity",
    "unitOfMeasureAbbreviation", "unitOfMeasureName", "locationName", "labTestingState", "id",
)
# Upstream bookkeeping shared by every object: shown last.
_LAST = ("hostname", "dataModel", "retrievedAt", "licenseNumber", "index")


def flatten(raw: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Nested objects become dotted keys; lists of scalars are joined, other lists shown as JSON."""
    out: list[tuple[str, str]] = []
    for key, value in raw.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            out.extend(flatten(value, f"{name}."))
        elif isinstance(value, list):
            if all(not isinstance(v, (Mapping, list)) for v in value):
                out.append((name, ", ".join(shown_value(v) for v in value)))
            else:
                out.append((name, json.dumps(value, ensure_ascii=False, default=str)))
        else:
            out.append((name, shown_value(value)))
    return out


def shown_value(value: Any) -> str:
    """As people read it: yes/no, blank for nothing (never "None" or "True")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


# The fields people know by another name than the API's.
_LABELS = {
    "label": "Tag", "id": "Id", "itemName": "Item", "item.name": "Item", "strainName": "Strain",
    "item.strainName": "Strain", "locationName": "Location", "unitOfMeasureAbbreviation": "Unit",
    "unitOfMeasureName": "Unit name", "labTestingState": "Lab testing", "labTestingStateName": "Lab testing",
    "manifestNumber": "Manifest", "hostname": "Host", "licenseNumber": "License", "packagedDate": "Packaged",
}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def field_label(path: str) -> str:
    """ "isOnHold" -> "On hold", "item.unitOfMeasureName" -> "Item › Unit of measure name"."""
    if path in _LABELS:
        return _LABELS[path]
    words = []
    for key in path.split("."):
        key = key[2:] if key.startswith("is") and key[2:3].isupper() else key
        spaced = _CAMEL.sub(" ", key).replace("_", " ").strip()
        words.append(spaced[:1].upper() + spaced[1:].lower())
    return " › ".join(words)


def with_units(raw: Mapping[str, Any], pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A quantity reads with its unit: "240 ea", "1,599.72 g"."""
    unit = raw.get("unitOfMeasureAbbreviation") or raw.get("unitOfMeasureName")
    if not unit:
        return pairs
    return [(k, f"{v} {unit}" if k == "quantity" and v else v) for k, v in pairs]


SUB_ROWS_SHOWN = 30  # per sub-list; a plant's history can be long


def ordered_fields(raw: Mapping[str, Any]) -> list[tuple[str, str]]:
    pairs = with_units(raw, flatten(raw))
    rank = {k: i for i, k in enumerate(_FIRST)}
    first = sorted((p for p in pairs if p[0] in rank), key=lambda p: rank[p[0]])
    last = [p for p in pairs if p[0] in _LAST]
    middle = [p for p in pairs if p[0] not in rank and p[0] not in _LAST]
    # Fields with a value before the empty ones: what a floor worker looks for comes first.
    middle = [p for p in middle if p[1]] + [p for p in middle if not p[1]]
    return first + middle + last


def split_fields(raw: Mapping[str, Any]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(the identifying fields shown above the sub-lists, every other field shown below them)."""
    pairs = ordered_fields(raw)
    head = [p for p in pairs if p[0] in _FIRST]
    return head, [p for p in pairs if p[0] not in _FIRST]


def fields_text(pairs: list[tuple[str, str]]) -> Text:
    """One "name: value" line per field; long values wrap under a narrow pane."""
    text = Text()
    for i, (name, value) in enumerate(pairs):
        if i:
            text.append("\n")
        text.append(clean_cell(field_label(name)), style="bold")
        text.append(": ")
        text.append(clean_cell(value))
    return text


def summarize(row: Any) -> str:
    """One line per sub-list row: history events, lab results, packages, plants, transporters."""
    upstream = getattr(row, "raw", None)  # domain models keep the upstream JSON
    if isinstance(upstream, Mapping) and upstream:
        row = upstream
    descriptions = field_of(row, "descriptions")
    if descriptions is not None:  # history
        when = field_of(row, "actualDate", "actual_date", "recordedDateTime", "recorded_date_time", default="")
        who = field_of(row, "userName", "user_name", default="")
        text = "; ".join(map(str, descriptions)) if isinstance(descriptions, list) else str(descriptions)
        return f"{str(when)[:10]}  {who}  {text}"
    test = field_of(row, "testTypeName", "test_type_name")
    if test is not None:  # lab result
        passed = field_of(row, "testPassed", "test_passed")
        level = field_of(row, "testResultLevel", "test_result_level", default="")
        verdict = "" if passed is None else ("pass" if passed else "FAIL")
        return f"{test}  {level}  {verdict}".strip()
    driver = field_of(row, "driverName", "driver_name")
    if driver is not None:  # transporter
        plate = field_of(row, "vehicleLicensePlateNumber", "vehicle_license_plate_number", default="")
        return f"{field_of(row, 'transporterFacilityName', 'transporter_facility_name', default='')}  {driver}  {plate}"
    label = field_of(row, "label", "packageLabel", "package_label", "tag")
    if label is not None:  # plant / package
        what = field_of(row, "itemName", "item_name", "productName", "strainName", "strain_name", default="")
        qty = field_of(row, "quantity", "shippedQuantity", "shipped_quantity")
        unit = field_of(row, "unitOfMeasureName", "unit_of_measure_name", "shippedUnitOfMeasureName", default="")
        return f"{label}  {what}" + (f"  {qty} {unit}" if qty is not None else "")
    pairs = [(k, v) for k, v in as_mapping(row).items() if not isinstance(v, (Mapping, list))]
    return "  ".join(f"{k}={v}" for k, v in pairs[:4])


class DetailPane(VerticalScroll, can_focus=True):
    """Fields of one object and its sub-lists ("loading…" until the worker reports)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.row_id: Any = None
        self.subs: tuple[SubList, ...] = ()
        self._plain: dict[str, str] = {}  # what the pane shows, as plain text
        self._sub_widgets: list[Static] = []

    def compose(self):
        yield Static(Text("Move the cursor to a row."), id="detail-head")
        yield Static(id="detail-fields")

    def show(self, row_id: Any, raw: Mapping[str, Any] | None, subs: tuple[SubList, ...]) -> None:
        self.row_id = row_id
        self.subs = subs if raw is not None else ()
        self.query(".sub-list").remove()
        head_widget = self.query_one("#detail-head", Static)
        fields_widget = self.query_one("#detail-fields", Static)
        if raw is None:
            self._plain = {"head": "No row under the cursor."}
            head_widget.update(Text(self._plain["head"]))
            fields_widget.update("")
            return
        # Identity first, then the lazily loaded sub-lists, then every other field.
        head, rest = split_fields(raw)
        head_text, rest_text = fields_text(head), fields_text(rest)
        head_widget.update(head_text)
        fields_widget.update(rest_text)
        self._plain = {"head": head_text.plain}  # what the pane shows, not the raw values
        self._plain.update((s.sub.value, f"{s.title}: loading…") for s in self.subs)
        self._plain["fields"] = rest_text.plain
        self._sub_widgets = [
            Static(Text(f"{s.title}: loading…", style="italic"), classes="sub-list") for s in self.subs
        ]
        self.mount_all(self._sub_widgets, before=fields_widget)
        self.scroll_home(animate=False)

    def set_sub(self, sub: Any, rows: list[Any] | None, error: str | None = None) -> None:
        for i, s in enumerate(self.subs):
            if s.sub != sub:
                continue
            widget = self._sub_widgets[i]
            text = Text(f"{s.title}", style="bold")
            if error is not None:
                text.append(f": could not load ({error})", style="red")
            elif not rows:
                text.append(": none")
            else:
                text.append(f" ({len(rows)})")
                for row in rows[:SUB_ROWS_SHOWN]:
                    text.append("\n  " + clean_cell(summarize(row)), style="")
                if len(rows) > SUB_ROWS_SHOWN:
                    text.append(f"\n  … {len(rows) - SUB_ROWS_SHOWN} more", style="dim")
            widget.update(text)
            self._plain[s.sub.value] = text.plain

    @property
    def text(self) -> str:
        """Everything the pane shows, as plain text (tests, screen readers)."""
        return "\n".join(self._plain.values())
