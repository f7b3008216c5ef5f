"""ZPL rendering: every fact of the label is on it, upstream text cannot inject printer commands."""

from datetime import date
from decimal import Decimal

from growtui.domain.models import Package, Plant
from growtui.domain.units import Quantity, Unit
from growtui.labels.content import for_package, for_plant
from growtui.domain.documents import LabelSize
from growtui.labels.zpl import field_text, render

TAG = "1A4FF0100000022000000123"


def _package(**kw) -> Package:
    base = dict(id=1, label=TAG, item_name="Blue Dream Flower", strain_name="Blue Dream",
                quantity=Quantity(Decimal("28.5"), Unit.G), packaged_date=date(2026, 12, 1))
    base.update(kw)
    return Package(**base)


def test_package_label_has_barcode_qr_and_every_fact():
    zpl = render(for_package(_package(), "LIC-0001"))
    assert zpl.startswith("^XA") and zpl.rstrip().endswith("^XZ")
    assert f"^BCN,91,Y,N,N^FH^FD{TAG}^FS" in zpl  # Code 128 of the tag, 0.45 in at 203 dpi
    assert f"^BQN,2,4^FH^FDQA,{TAG}^FS" in zpl
    for fact in ("Blue Dream Flower", "Blue Dream", str(Quantity(Decimal("28.5"), Unit.G)),
                 "Packaged 2026-12-01", "LIC-0001"):
        assert f"^FH^FD{fact}^FS" in zpl


def test_label_size_sets_print_width_and_length():
    zpl = render(for_package(_package(), "L"), LabelSize(width_in=2.0, height_in=1.0, dpi=300))
    assert "^PW600" in zpl and "^LL300" in zpl


def test_upstream_carets_and_tildes_cannot_start_commands():
    zpl = render(for_package(_package(item_name="Evil^XZ~JR item"), "L"))
    assert "Evil_5EXZ_7EJR item" in zpl
    assert zpl.count("^XZ") == 1 and "~JR" not in zpl


def test_non_ascii_is_hex_escaped_as_utf8():
    assert field_text("Jaé") == "Ja_C3_A9"


def test_missing_facts_leave_no_empty_lines():
    zpl = render(for_package(Package(id=None, label=TAG), ""))
    assert zpl.count("^A0N") == 0


def test_long_upstream_text_is_bounded():
    zpl = render(for_package(_package(item_name="x" * 5000), "L"))
    assert "x" * 60 in zpl and "x" * 61 not in zpl


def test_plant_label():
    plant = Plant(id=2, label="1A4FF0300000022000000777", growth_phase="Flowering",
                  strain_name="OG Kush", planted_date=date(2026, 10, 2))
    zpl = render(for_plant(plant, "LIC-0001"))
    for fact in ("1A4FF0300000022000000777", "Flowering", "OG Kush", "Planted 2026-10-02", "LIC-0001"):
        assert fact in zpl
