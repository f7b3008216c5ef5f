"""Domain actions -> exact T3 request bodies (t3-api.md §6.2)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from growtui.backends.t3.payloads import (
    SUPPORTED_ACTIONS,
    PayloadError,
    action_to_request,
    json_number,
)
from growtui.domain.actions import (
    AddNote,
    CreatePackage,
    CreateStrain,
    CreateTransfer,
    DiscontinueItem,
    DiscontinueStrain,
    Ingredient,
    SaveTransferTemplate,
    TransferDestination,
    TransferPackage,
    TransferTransporter,
    TransporterDetail,
    Unfinish,
)
from growtui.domain.models import TransferType
from growtui.domain.units import Quantity, Unit

TAG = "1A4FF0100000022000099999"
SRC1, SRC2 = "1A4FF0100000022000012345", "1A4FF0100000022000012346"


def test_notes_body_is_an_array_of_id_note():
    path, body = action_to_request(AddNote((5077333, 5077334), (SRC1, SRC2), "Moved to vault"))
    assert path == "/v2/packages/notes"
    assert body == [{"id": 5077333, "note": "Moved to vault"}, {"id": 5077334, "note": "Moved to vault"}]


def test_unfinish_body_is_an_array_of_ids():
    assert action_to_request(Unfinish((1, 2), (SRC1, SRC2))) == ("/v2/packages/unfinish", [{"id": 1}, {"id": 2}])


def test_discontinues_are_single_objects():
    assert action_to_request(DiscontinueItem(1160223, "Blue Dream - Flower")) == (
        "/v2/items/discontinue", {"id": 1160223}
    )
    assert action_to_request(DiscontinueStrain(12, "Blue Dream")) == ("/v2/strains/discontinue", {"id": 12})


def test_create_strain_body():
    action = CreateStrain("Blue Dream", Decimal("21.3"), Decimal("0.10"), Decimal(40), Decimal("60.0"), "ThirdParty")
    path, body = action_to_request(action)
    assert path == "/v2/strains/create"
    assert body == [{"name": "Blue Dream", "cbdLevel": 0.1, "thcLevel": 21.3, "indicaPercentage": 40,
                     "sativaPercentage": 60, "testingStatus": "ThirdParty"}]
    assert type(body[0]["indicaPercentage"]) is int and type(body[0]["thcLevel"]) is float


def create_package(**changes) -> CreatePackage:
    base = CreatePackage(
        tag=TAG, tag_id=1527333, item_id=1160223, item_name="Blue Dream - Flower", location_id=50901,
        location_name="Vault", quantity=Quantity(Decimal("123.45"), Unit.G), unit_of_measure_id=1,
        ingredients=(
            Ingredient(5077333, SRC1, Quantity(Decimal("56.3"), Unit.LB), unit_of_measure_id=4),
            Ingredient(5077334, SRC2, Quantity(Decimal("10"), Unit.G), unit_of_measure_id=1, finish=True),
            Ingredient(5077335, TAG[:-1] + "8", Quantity(Decimal("1.00005"), Unit.G), 1, finish=date(2024, 8, 9)),
        ),
        actual_date=date(2024, 8, 8),
    )
    return replace(base, **changes)


def test_create_package_body_matches_the_documented_example():
    path, body = action_to_request(create_package())
    assert path == "/v2/packages/create"
    assert body == [
        {
            "actualDate": "2024-08-08",
            "ingredients": [
                {"packageId": 5077333, "quantity": 56.3, "unitOfMeasureId": 4},
                {"packageId": 5077334, "quantity": 10, "unitOfMeasureId": 1, "finishDate": "2024-08-08"},
                {"packageId": 5077335, "quantity": 1, "unitOfMeasureId": 1, "finishDate": "2024-08-09"},
            ],
            "itemId": 1160223,
            "locationId": 50901,
            "quantity": 123.45,
            "tagId": 1527333,
            "unitOfMeasureId": 1,
        }
    ]


def test_create_package_optional_fields_only_when_set():
    action = create_package(note="Split", production_batch_number="PB-1", expiration_date=date(2025, 8, 8),
                            use_by_date=date(2025, 7, 8), sell_by_date=date(2025, 6, 8))
    (body,) = action_to_request(action)[1]
    assert (body["note"], body["productionBatchNumber"]) == ("Split", "PB-1")
    assert (body["expirationDate"], body["useByDate"], body["sellByDate"]) == ("2025-08-08", "2025-07-08", "2025-06-08")
    (plain,) = action_to_request(create_package())[1]
    assert not {"note", "productionBatchNumber", "expirationDate", "useByDate", "sellByDate"} & set(plain)


@pytest.mark.parametrize(
    ("changes", "message"),
    [({"tag_id": None}, "id of tag"), ({"item_id": None}, "item's id"), ({"location_id": None}, "location's id"),
     ({"unit_of_measure_id": None}, "unit of measure")],
)
def test_create_package_without_ids_is_refused(changes, message):
    with pytest.raises(PayloadError, match=message):
        action_to_request(create_package(**changes))


WHOLESALE = TransferType(id=1, name="Wholesale Manifest", transaction_type="Wholesale")
DEPART = datetime(2025, 9, 23, 15, 0, tzinfo=UTC)
DETAIL = TransporterDetail("Sam Driver", "OL-1", "D1234567", "Ford", "Transit", "8ABC123")


def destination(**changes) -> TransferDestination:
    base = TransferDestination(
        recipient_id=5005, recipient_name="Main St Dispensary", transfer_type=WHOLESALE,
        planned_route="I-5 S to exit 12", estimated_departure=DEPART,
        estimated_arrival=DEPART + timedelta(hours=2, minutes=30),
        packages=(
            TransferPackage(5077333, SRC1, Decimal("1200.00")),
            TransferPackage(5077334, SRC2, Decimal("80.5"), Quantity(Decimal("1.1"), Unit.LB), gross_unit_id=4),
        ),
        transporters=(TransferTransporter(6006, "Fast Freight", "916-555-0199", (DETAIL,)),),
    )
    return replace(base, **changes)


EXPECTED_DESTINATION = {
    "recipientId": 5005,
    "plannedRoute": "I-5 S to exit 12",
    "transferTypeId": 1,
    "estimatedDepartureDateTime": "2025-09-23T15:00:00+00:00",
    "estimatedArrivalDateTime": "2025-09-23T17:30:00+00:00",
    "transporters": [
        {
            "transporterId": 6006,
            "phoneNumberForQuestions": "916-555-0199",
            "transporterDetails": [
                {"driverName": "Sam Driver", "driverOccupationalLicenseNumber": "OL-1",
                 "driverLicenseNumber": "D1234567", "vehicleMake": "Ford", "vehicleModel": "Transit",
                 "vehicleLicensePlateNumber": "8ABC123"}
            ],
        }
    ],
    "packages": [
        {"id": 5077333, "wholesalePrice": 1200},
        {"id": 5077334, "wholesalePrice": 80.5, "grossWeight": 1.1, "grossUnitOfWeightId": 4},
    ],
}


def test_create_transfer_body():
    path, body = action_to_request(CreateTransfer((destination(),)))
    assert path == "/v2/transfers/create"
    assert body == [{"destinations": [EXPECTED_DESTINATION]}]


def test_destination_optionals():
    dest = destination(invoice_number="INV-1", gross_weight=Quantity(Decimal("12.5"), Unit.LB), gross_unit_id=4,
                       transporters=(TransferTransporter(6006, "F", "555",
                                                         (replace(DETAIL, driver_layover_leg="FromLayover"),)),))
    (d,) = action_to_request(CreateTransfer((dest,)))[1][0]["destinations"]
    assert (d["invoiceNumber"], d["grossWeight"], d["grossUnitOfWeightId"]) == ("INV-1", 12.5, 4)
    assert d["transporters"][0]["transporterDetails"][0]["driverLayoverLeg"] == "FromLayover"
    with pytest.raises(PayloadError, match="unit id of the gross weight"):
        action_to_request(CreateTransfer((replace(dest, gross_unit_id=None),)))
    with pytest.raises(PayloadError, match="destination facility"):
        action_to_request(CreateTransfer((replace(dest, recipient_id=None),)))
    with pytest.raises(PayloadError, match="transporter Fast"):
        bad = TransferTransporter(None, "Fast", "555", (DETAIL,))
        action_to_request(CreateTransfer((replace(dest, transporters=(bad,)),)))


def test_template_body():
    path, body = action_to_request(SaveTransferTemplate("Weekly", (destination(),)))
    assert path == "/v2/transfers/templates/create"
    assert body == [{"name": "Weekly", "destinations": [EXPECTED_DESTINATION]}]


def test_json_numbers():
    assert [json_number(Decimal(v)) for v in ("5", "5.000", "0.1", "453.59237", "1E+3")] == [5, 5, 0.1, 453.5924, 1000]
    assert json.dumps(json_number(Decimal("453.5924"))) == "453.5924"
    with pytest.raises(PayloadError):
        json_number(Decimal("NaN"))


def test_every_body_is_plain_json():
    actions = [AddNote((1,), (SRC1,), "n"), Unfinish((1,)), create_package(),
               CreateStrain("S", Decimal(1), Decimal(1), Decimal(50), Decimal(50)), DiscontinueItem(1),
               DiscontinueStrain(1), CreateTransfer((destination(),)), SaveTransferTemplate("t", (destination(),))]
    assert {type(a) for a in actions} == set(SUPPORTED_ACTIONS)
    for action in actions:
        path, body = action_to_request(action)
        assert path.startswith("/v2/")
        assert json.loads(json.dumps(body)) == body  # no Decimal/date objects left


def test_unknown_action_is_a_type_error():
    with pytest.raises(TypeError, match="no request for str"):
        action_to_request("discontinue everything")
