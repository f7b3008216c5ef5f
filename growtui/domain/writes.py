"""The write registry: one declarative spec per kind of write.

Everything growtui does around a write is derived from its spec: the main screen's key binding and
footer label, the command-palette entry, which marked rows it takes, the form and confirmation
titles, the capability a backend must declare, which lists to refresh afterwards (incrementally or
in full), and how the Outbox looks upstream for its effect. A backend supplies only the wire
mapping for the kinds it supports. Adding a kind of write is its action (domain/actions.py), one
``WriteSpec`` here (with ``inputs`` and ``build`` when a plain form will do) and that mapping in
each backend that can send it.

The journal records a write under its ``kind`` (the action class name), so kinds never change.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from growtui.domain.actions import (
    AddNote,
    CreatePackage,
    CreateStrain,
    CreateTransfer,
    DiscontinueItem,
    DiscontinueStrain,
    SaveTransferTemplate,
    Unfinish,
)
from growtui.domain.capabilities import Capability
from growtui.domain.floor import FinishPackages, MovePackages, MovePlants, parse_day
from growtui.domain.harvest_work import (
    FinishHarvests,
    HarvestPackage,
    HarvestWaste,
    UnfinishHarvests,
    typed_waste_type,
)
from growtui.domain.package_adjust import AdjustPackages, Change
from growtui.domain.plant_batches import (
    BatchGrowthPhase,
    CreatePlantings,
    DestroyBatchPlants,
    typed_batch_type,
    typed_count,
)
from growtui.domain.deletion import (
    CONFIRM_WORD,
    FAMILIES as DELETABLE,
    ConfirmDeletion,
    MarkForDeletion,
    family_of,
    is_marked,
    labels_of,
    markable,
)
from growtui.domain.lot_work import ConvertPackages, DestroyLots, SplitPackage, typed_amount, typed_takes
from growtui.domain.plant_collect import CollectPlants, typed_collect_type
from growtui.domain.plant_edits import CreatePlantsFromLot, ModifyPlants
from growtui.domain.b2b_work import AcceptB2BIncoming, CommitB2BOutgoing, CreateB2BOutgoing, waiting
from growtui.domain.plant_changes import (
    ChangeGrowthPhase,
    DestroyPlants,
    HarvestPlants,
    typed_phase,
    typed_weight,
)
from growtui.domain.strains import PERCENT_FIELDS, STRAIN_STATES, UpdateStrain, build_update
from growtui.domain.collections import Family
from growtui.domain.tags import normalize_tag


class Rows(StrEnum):
    """Which rows of the list a write takes when it is opened."""

    NONE = "none"  # none: the form starts empty
    SELECTED = "selected"  # the marked rows, else the row under the cursor; at least one
    ONE = "one"  # the first of those
    MARKED = "marked"  # the marked rows if any (optional)
    SCANNED = "scanned"  # the marked rows, then more scanned into the form one tag at a time


class Evidence(StrEnum):
    """How the effect of a sent write is recognised by re-reading upstream (data/effects.py)."""

    NONE = "none"  # cannot be told from the lists
    NOTE_SET = "note_set"  # every package carries the note
    ACTIVE_AGAIN = "active_again"  # every package is listed outside the inactive list
    LABEL_EXISTS = "label_exists"  # an object with the new tag exists
    NAME_EXISTS = "name_exists"  # an object with the new name exists
    ID_GONE = "id_gone"  # the object is no longer listed
    TRANSFER_EXISTS = "transfer_exists"  # an outgoing transfer per destination, created since


@dataclass(frozen=True, slots=True)
class Applies:
    """Which of the taken rows a write keeps, and what the user is told about the rest."""

    rows: Rows = Rows.NONE
    keep: Callable[[Any], bool] | None = None  # None: every row
    left_out: str = ""  # "{n} selected package(s) are not finished; left out."
    none_left: str = ""  # said when no row is kept (the form does not open)


@dataclass(frozen=True, slots=True)
class FormInput:
    """One typed field of a write kind's declared form (for kinds without a form of their own)."""

    name: str  # the key ``WriteSpec.build`` reads, and the error path of the action's checks
    label: str
    placeholder: str = ""


@dataclass(frozen=True, slots=True)
class WriteSpec:
    kind: str  # the action class name: the journal's kind and the backends' key
    action: type
    capability: Capability
    title: str  # the form's and the confirmation's title
    confirm_label: str  # the confirm button
    command: str = ""  # the main screen's command id ("note"); "" when opened from elsewhere
    key: str = ""  # its key binding ("n")
    footer: str = ""  # its label in the footer and the keys help ("Note")
    in_footer: bool = True  # False: only in the keys help (the footer wraps at 80 columns)
    key_display: str | None = None
    palette: str = ""  # the command-palette entry
    palette_help: str = ""
    lists: frozenset[Family] | None = None  # lists it is offered on; None: everywhere
    applies: Applies = Applies()
    affects: tuple[Family, ...] = ()  # lists refreshed after it applied
    full_reload: tuple[Family, ...] = ()  # ... reloaded in full (increments cannot see the change)
    creates: bool = False  # creates objects whose ids only a re-read tells
    evidence: Evidence = Evidence.NONE
    evidence_family: Family | None = None  # where ID_GONE / NAME_EXISTS / LABEL_EXISTS look
    aliases: tuple[str, ...] = ()  # older journal kinds meaning the same write
    # A declared form: the inputs, and the action built from the rows taken and what was typed.
    # Kinds with these need no form code in the UI (ui/modals/forms/declared.py renders them).
    inputs: tuple[FormInput, ...] = ()
    build: Callable[[Sequence[Any], Mapping[str, str]], Any] | None = None


def _finished(package: Any) -> bool:
    return bool(package.is_finished)


def _usable_source(package: Any) -> bool:
    return not package.is_finished and not package.is_in_transit and not package.is_on_hold


WRITES: tuple[WriteSpec, ...] = (
    WriteSpec(
        "AddNote", AddNote, Capability.PACKAGE_NOTE, "Add a note to packages", "Add note",
        command="note", key="n", footer="Note",
        palette="Add a note to the selected packages",
        palette_help="Marked rows, or the row under the cursor (n)",
        lists=frozenset({Family.PACKAGES}), applies=Applies(Rows.SELECTED),
        affects=(Family.PACKAGES,), evidence=Evidence.NOTE_SET,
    ),
    WriteSpec(
        "Unfinish", Unfinish, Capability.PACKAGE_UNFINISH, "Unfinish packages", "Unfinish",
        command="unfinish", key="f", footer="Unfinish", in_footer=False,
        palette="Unfinish the selected packages",
        palette_help="Finished packages become active again (f)",
        lists=frozenset({Family.PACKAGES}),
        applies=Applies(Rows.SELECTED, _finished, "{n} selected package(s) are not finished; left out."),
        affects=(Family.PACKAGES,), evidence=Evidence.ACTIVE_AGAIN, aliases=("UnfinishPackages",),
    ),
    WriteSpec(
        "CreatePackage", CreatePackage, Capability.PACKAGE_CREATE, "Create package", "Create",
        command="create_package", key="p", footer="New pkg",
        palette="Create a package from the selected packages", palette_help="Split or repackage (p)",
        lists=frozenset({Family.PACKAGES}),
        applies=Applies(Rows.SELECTED, _usable_source, none_left="Choose active packages as sources."),
        affects=(Family.PACKAGES,), creates=True,
        evidence=Evidence.LABEL_EXISTS, evidence_family=Family.PACKAGES,
    ),
    *(
        WriteSpec(
            action.__name__, action, capability, f"Discontinue {what}", "Discontinue",
            command="discontinue", key="x", footer="Discontinue",
            palette="Discontinue the selected item or strain", palette_help="It leaves the list (x)",
            lists=frozenset({family}), applies=Applies(Rows.ONE),
            affects=(family,), full_reload=(family,),
            evidence=Evidence.ID_GONE, evidence_family=family,
        )
        for action, capability, family, what in (
            (DiscontinueItem, Capability.ITEM_DISCONTINUE, Family.ITEMS, "item"),
            (DiscontinueStrain, Capability.STRAIN_DISCONTINUE, Family.STRAINS, "strain"),
        )
    ),
    WriteSpec(
        "CreateStrain", CreateStrain, Capability.STRAIN_CREATE, "Create strain", "Create",
        command="create_strain", key="plus", footer="New strain", key_display="+",
        palette="Create a strain", palette_help="Name, THC/CBD, indica/sativa (+)",
        lists=frozenset({Family.STRAINS}),
        affects=(Family.STRAINS,), full_reload=(Family.STRAINS,), creates=True,
        evidence=Evidence.NAME_EXISTS, evidence_family=Family.STRAINS,
    ),
    WriteSpec(
        "CreateTransfer", CreateTransfer, Capability.TRANSFER_CREATE, "Transfer", "Create transfer",
        command="transfer", key="t", footer="Transfer",
        palette="Build a transfer", palette_help="Destinations, transporter, packages by scan (t)",
        applies=Applies(Rows.MARKED),
        affects=(Family.TRANSFERS_OUTGOING, Family.PACKAGES), creates=True,
        evidence=Evidence.TRANSFER_EXISTS,
    ),
    WriteSpec(
        "SaveTransferTemplate", SaveTransferTemplate, Capability.TRANSFER_TEMPLATE,
        "Transfer", "Save template",
    ),
)

# Floor work (issue 11), declared forms: the rows taken plus what was typed.
_ROOM = FormInput("location", "Room", "type or scan the destination room")
_SUBROOM = FormInput("sublocation", "Sublocation", "optional")
_DAY = FormInput("date", "Date", "YYYY-MM-DD; blank for today")


def _open(package: Any) -> bool:
    return not package.is_finished and not package.is_in_transit


def _alive(plant: Any) -> bool:
    return not getattr(plant, "destroyed_date", None)


WRITES += (
    WriteSpec(
        "MovePackages", MovePackages, Capability.PACKAGE_MOVE, "Move packages", "Move",
        command="move", key="m", footer="Move", in_footer=False,
        palette="Move the selected packages to another room", palette_help="Scan or type the room (m)",
        lists=frozenset({Family.PACKAGES}),
        applies=Applies(Rows.SCANNED, _open, "{n} selected package(s) are finished or in transit; left out."),
        affects=(Family.PACKAGES,),
        inputs=(_ROOM, _SUBROOM, _DAY),
        build=lambda rows, typed: MovePackages(
            tuple(r.id for r in rows), tuple(r.label for r in rows), typed["location"].strip(),
            typed["sublocation"].strip(), parse_day(typed["date"]),
        ),
    ),
    WriteSpec(
        "MovePlants", MovePlants, Capability.PLANT_MOVE, "Move plants", "Move",
        command="move", key="m", footer="Move", in_footer=False,
        palette="Move the selected plants to another room", palette_help="Scan or type the room (m)",
        lists=frozenset({Family.PLANTS}), applies=Applies(Rows.SCANNED, _alive),
        affects=(Family.PLANTS,),
        inputs=(_ROOM, _SUBROOM, _DAY),
        build=lambda rows, typed: MovePlants(
            tuple(r.id for r in rows), tuple(r.label for r in rows), typed["location"].strip(),
            typed["sublocation"].strip(), parse_day(typed["date"]),
        ),
    ),
    WriteSpec(
        "FinishPackages", FinishPackages, Capability.PACKAGE_FINISH, "Finish packages", "Finish",
        command="finish", key="o", footer="Finish", in_footer=False,
        palette="Finish the selected packages", palette_help="They move to Inactive (o)",
        lists=frozenset({Family.PACKAGES}),
        applies=Applies(Rows.SELECTED, _open, "{n} selected package(s) are already finished; left out."),
        affects=(Family.PACKAGES,),
        inputs=(_DAY,),
        build=lambda rows, typed: FinishPackages(
            tuple(r.id for r in rows), tuple(r.label for r in rows), parse_day(typed["date"]),
        ),
    ),
)

# Plant and package changes (issue 11): Metrc's floor writes past moving and finishing.
def _vegetative(plant: Any) -> bool:
    return str(plant.growth_phase).lower() != "flowering"


WRITES += (
    WriteSpec(
        "ChangeGrowthPhase", ChangeGrowthPhase, Capability.PLANT_PHASE, "Change growth phase", "Change phase",
        command="phase", key="g", footer="Phase", in_footer=False,
        palette="Change the selected plants' growth phase", palette_help="Vegetative to flowering (g)",
        lists=frozenset({Family.PLANTS}),
        applies=Applies(Rows.SELECTED, _vegetative, "{n} selected plant(s) are already flowering; left out.",
                        none_left="Choose vegetative plants."),
        affects=(Family.PLANTS,),
        inputs=(FormInput("phase", "New phase", "Flowering or Vegetative (F / V)"), _ROOM, _SUBROOM, _DAY),
        build=lambda rows, typed: ChangeGrowthPhase(
            tuple(r.id for r in rows), tuple(r.label for r in rows), typed_phase(typed["phase"]),
            typed["location"].strip(), typed["sublocation"].strip(), parse_day(typed["date"]),
        ),
    ),
    WriteSpec(
        # Its own form (ui/modals/forms/harvest.py): scan a plant, the scale types its weight, Enter.
        "HarvestPlants", HarvestPlants, Capability.PLANT_HARVEST, "Harvest plants", "Harvest",
        command="harvest", key="h", footer="Harvest", in_footer=False,
        palette="Harvest flowering plants, weighing each", palette_help="Scan, weigh, Enter; repeat (h)",
        lists=frozenset({Family.PLANTS}), applies=Applies(Rows.MARKED),
        affects=(Family.PLANTS, Family.HARVESTS), creates=True,
    ),
    WriteSpec(
        "DestroyPlants", DestroyPlants, Capability.PLANT_DESTROY, "Destroy plants", "Destroy",
        command="destroy", key="X", footer="Destroy", in_footer=False, key_display="X",
        palette="Destroy the selected plants, with their waste", palette_help="Weight, method, reason (shift+x)",
        lists=frozenset({Family.PLANTS}),
        applies=Applies(Rows.SELECTED, _alive, "{n} selected plant(s) are already destroyed; left out."),
        affects=(Family.PLANTS,),
        inputs=(
            FormInput("waste", "Waste weight (all plants)", "e.g. 1.2 kg; the scale can type it"),
            FormInput("method", "Waste method", "e.g. Grinder, Compost"),
            FormInput("material_mixed", "Mixed with", "e.g. soil, cat litter"),
            FormInput("reason", "Reason", "e.g. Male Plants, Contamination"),
            FormInput("note", "Note", "required by some reasons"),
            _DAY,
        ),
        build=lambda rows, typed: DestroyPlants(
            tuple(r.id for r in rows), tuple(r.label for r in rows), typed_weight(typed["waste"]),
            typed["method"].strip(), typed["material_mixed"].strip(), typed["reason"].strip(),
            typed["note"].strip(), parse_day(typed["date"]),
        ),
    ),
    WriteSpec(
        "AdjustPackages", AdjustPackages, Capability.PACKAGE_ADJUST, "Adjust packages", "Adjust",
        command="adjust", key="a", footer="Adjust", in_footer=False,
        palette="Adjust the selected packages' quantity", palette_help="A signed change and a reason (a)",
        lists=frozenset({Family.PACKAGES}),
        applies=Applies(Rows.SELECTED, _open, "{n} selected package(s) are finished or in transit; left out."),
        affects=(Family.PACKAGES,),
        inputs=(
            FormInput("change", "Change", "-2.5 g taken off, +1 ea added"),
            FormInput("reason", "Reason", "e.g. Drying, Scale Variance, Entry Error"),
            FormInput("note", "Note", "required by some reasons"),
            _DAY,
        ),
        build=lambda rows, typed: AdjustPackages(
            tuple(r.id for r in rows), tuple(r.label for r in rows), Change.parse(typed["change"]),
            typed["reason"].strip(), typed["note"].strip(), parse_day(typed["date"]),
            tuple(getattr(r, "quantity", None) for r in rows),
        ),
    ),
)

# Plant batches and harvests (issue 11): the rest of a grow's cycle, in Metrc's writes.
_WASTE_INPUTS = (
    FormInput("waste", "Waste weight", "e.g. 1.2 kg; the scale can type it"),
    FormInput("method", "Waste method", "e.g. Grinder, Compost"),
    FormInput("material_mixed", "Mixed with", "e.g. soil, cat litter"),
    FormInput("reason", "Reason", "e.g. Male Plants, Contamination"),
    FormInput("note", "Note", "required by some reasons"),
)
_COUNT = FormInput("count", "Plants", "how many")


def _untagged(batch: Any) -> int | None:
    return getattr(batch, "untracked_count", None)


def _unfinished(harvest: Any) -> bool:
    return not harvest.is_finished


WRITES += (
    WriteSpec(
        "CreatePlantings", CreatePlantings, Capability.BATCH_PLANTINGS, "New plant batch", "Plant",
        command="plantings", key="b", footer="New batch", in_footer=False,
        palette="Start a plant batch from seeds or clones", palette_help="Name, count, strain, room (b)",
        lists=frozenset({Family.PLANT_BATCHES}),
        affects=(Family.PLANT_BATCHES,), creates=True,
        inputs=(FormInput("name", "Batch name", "e.g. GEL-2026-11-20"), FormInput("batch_type", "Type", "Seed or Clone"),
                _COUNT, FormInput("strain", "Strain", "as the strains list names it"), _ROOM, _SUBROOM, _DAY),
        build=lambda rows, typed: CreatePlantings(
            typed["name"].strip(), typed_batch_type(typed["batch_type"]), typed_count(typed["count"]),
            typed["strain"].strip(), typed["location"].strip(), typed["sublocation"].strip(), parse_day(typed["date"]),
        ),
    ),
    WriteSpec(
        "BatchGrowthPhase", BatchGrowthPhase, Capability.BATCH_PHASE, "Tag batch plants", "Tag plants",
        command="phase", key="g", footer="Phase", in_footer=False,
        palette="Tag plants of the batch into a growth phase", palette_help="Starting tag, count, room (g)",
        lists=frozenset({Family.PLANT_BATCHES}), applies=Applies(Rows.ONE),
        affects=(Family.PLANT_BATCHES, Family.PLANTS), creates=True,
        inputs=(_COUNT, FormInput("starting_tag", "Starting tag", "scan the first tag of the run"),
                FormInput("phase", "Phase", "Vegetative or Flowering (V / F)"), _ROOM, _SUBROOM, _DAY),
        build=lambda rows, typed: BatchGrowthPhase(
            rows[0].id, rows[0].name, typed_count(typed["count"]), normalize_tag(typed["starting_tag"]),
            typed_phase(typed["phase"]), typed["location"].strip(), typed["sublocation"].strip(),
            parse_day(typed["date"]), _untagged(rows[0]),
        ),
    ),
    WriteSpec(
        "DestroyBatchPlants", DestroyBatchPlants, Capability.BATCH_DESTROY, "Destroy batch plants", "Destroy",
        command="destroy", key="X", footer="Destroy", in_footer=False, key_display="X",
        palette="Destroy plants of the batch, with their waste", palette_help="Count, weight, method, reason (shift+x)",
        lists=frozenset({Family.PLANT_BATCHES}), applies=Applies(Rows.ONE),
        affects=(Family.PLANT_BATCHES,),
        inputs=(_COUNT, *_WASTE_INPUTS, _DAY),
        build=lambda rows, typed: DestroyBatchPlants(
            rows[0].id, rows[0].name, typed_count(typed["count"]), typed_weight(typed["waste"]),
            typed["method"].strip(), typed["material_mixed"].strip(), typed["reason"].strip(), typed["note"].strip(),
            parse_day(typed["date"]), _untagged(rows[0]),
        ),
    ),
    WriteSpec(
        "HarvestWaste", HarvestWaste, Capability.HARVEST_WASTE, "Record harvest waste", "Record",
        command="waste", key="r", footer="Waste", in_footer=False,
        palette="Record waste from the harvest", palette_help="Type and weight; it comes off the harvest (r)",
        lists=frozenset({Family.HARVESTS}), applies=Applies(Rows.ONE, _unfinished, none_left="Choose an open harvest."),
        affects=(Family.HARVESTS,),
        inputs=(FormInput("waste_type", "Waste type", "Plant Material, Fibrous or Root Ball"),
                FormInput("weight", "Weight", "e.g. 350 g"), _DAY),
        build=lambda rows, typed: HarvestWaste(
            rows[0].id, rows[0].name, typed_waste_type(typed["waste_type"]), typed_weight(typed["weight"]),
            parse_day(typed["date"]), rows[0].current_weight,
        ),
    ),
    WriteSpec(
        "HarvestPackage", HarvestPackage, Capability.HARVEST_PACKAGE, "Package from harvest", "Create",
        command="create_package", key="p", footer="New pkg",
        palette="Create a package from the harvest", palette_help="Tag, item, weight off the harvest (p)",
        lists=frozenset({Family.HARVESTS}), applies=Applies(Rows.ONE, _unfinished, none_left="Choose an open harvest."),
        affects=(Family.HARVESTS, Family.PACKAGES), creates=True,
        evidence=Evidence.LABEL_EXISTS, evidence_family=Family.PACKAGES,
        inputs=(FormInput("tag", "New tag", "scan the package tag"), FormInput("item", "Item", "as the items list names it"),
                FormInput("weight", "Weight", "e.g. 453.6 g"), _ROOM, _SUBROOM, _DAY),
        build=lambda rows, typed: HarvestPackage(
            rows[0].id, rows[0].name, normalize_tag(typed["tag"]), typed["item"].strip(), typed_weight(typed["weight"]),
            typed["location"].strip(), typed["sublocation"].strip(), parse_day(typed["date"]), rows[0].current_weight,
        ),
    ),
    WriteSpec(
        "FinishHarvests", FinishHarvests, Capability.HARVEST_FINISH, "Finish harvests", "Finish",
        command="finish", key="o", footer="Finish", in_footer=False,
        palette="Finish the selected harvests", palette_help="They move to Inactive (o)",
        lists=frozenset({Family.HARVESTS}),
        applies=Applies(Rows.SELECTED, _unfinished, "{n} selected harvest(s) are already finished; left out."),
        affects=(Family.HARVESTS,), inputs=(_DAY,),
        build=lambda rows, typed: FinishHarvests(tuple(r.id for r in rows), tuple(r.name for r in rows),
                                                 parse_day(typed["date"])),
    ),
    WriteSpec(
        "UnfinishHarvests", UnfinishHarvests, Capability.HARVEST_UNFINISH, "Unfinish harvests", "Unfinish",
        command="unfinish", key="f", footer="Unfinish", in_footer=False,
        palette="Unfinish the selected harvests", palette_help="Finished harvests become active again (f)",
        lists=frozenset({Family.HARVESTS}),
        applies=Applies(Rows.SELECTED, lambda h: h.is_finished, "{n} selected harvest(s) are not finished; left out."),
        affects=(Family.HARVESTS,), inputs=(),
        build=lambda rows, typed: UnfinishHarvests(tuple(r.id for r in rows), tuple(r.name for r in rows)),
    ),
)

# A strain changed in place (issue 13, Trace): blank inputs keep the current value.
WRITES += (
    WriteSpec(
        "UpdateStrain", UpdateStrain, Capability.STRAIN_UPDATE, "Update strain", "Update",
        command="update_strain", key="equals_sign", footer="Update", in_footer=False, key_display="=",
        palette="Update the strain under the cursor", palette_help="New values or a new state (=)",
        lists=frozenset({Family.STRAINS}), applies=Applies(Rows.ONE),
        affects=(Family.STRAINS,), full_reload=(Family.STRAINS,),
        inputs=(
            FormInput("name", "New name", "blank keeps the name"),
            *(FormInput(attr, label, "blank keeps it") for attr, label in PERCENT_FIELDS),
            FormInput("state", "New state", ", ".join(STRAIN_STATES)),
            FormInput("reason", "Reason", "why the state changes"),
        ),
        build=build_update,
    ),
)

# Collecting from plants (issue 13, OpenTHC): raw (wet) or net (dry), one weight for the chosen plants.
WRITES += (
    WriteSpec(
        "CollectPlants", CollectPlants, Capability.PLANT_COLLECT, "Collect from plants", "Collect",
        command="collect", key="C", footer="Collect", in_footer=False, key_display="C",
        palette="Collect raw or net weight from the selected plants", palette_help="Type and weight (shift+c)",
        lists=frozenset({Family.PLANTS}), applies=Applies(Rows.SELECTED),
        affects=(Family.PLANTS,),
        inputs=(FormInput("collect_type", "Type", "raw (wet) or net (dry)"),
                FormInput("weight", "Weight (all plants)", "e.g. 1.2 kg; the scale can type it"), _DAY),
        build=lambda rows, typed: CollectPlants(
            tuple(r.id for r in rows), tuple(r.label for r in rows), typed_collect_type(typed["collect_type"]),
            typed_weight(typed["weight"]), parse_day(typed["date"]),
        ),
    ),
)

# The two-step delete (issue 13, OpenTHC): marking and confirming are separate writes, each with its
# own confirmation; confirming takes only rows already marked (the Inactive list) and a typed word.
WRITES += (
    WriteSpec(
        "MarkForDeletion", MarkForDeletion, Capability.TWO_STEP_DELETE, "Mark for deletion", "Mark",
        command="mark_delete", key="delete", footer="Delete", in_footer=False, key_display="Del",
        palette="Mark the selected rows for deletion", palette_help="Step 1 of 2; confirm on Inactive (Del)",
        lists=frozenset(DELETABLE),
        applies=Applies(Rows.SELECTED, markable, "{n} selected row(s) are already marked (or a transfer is committed); left out."),
        affects=DELETABLE, full_reload=DELETABLE,
        inputs=(),
        build=lambda rows, typed: MarkForDeletion(family_of(rows), tuple(r.id for r in rows), labels_of(rows)),
    ),
    WriteSpec(
        "ConfirmDeletion", ConfirmDeletion, Capability.TWO_STEP_DELETE, "Delete for good", "Delete",
        command="confirm_delete", key="Z", footer="Confirm delete", in_footer=False, key_display="Z",
        palette="Delete the marked-for-deletion rows for good", palette_help="Step 2 of 2, on Inactive (shift+z)",
        lists=frozenset(DELETABLE),
        applies=Applies(Rows.SELECTED, is_marked, "{n} selected row(s) are not marked for deletion; left out.",
                        none_left="Mark rows for deletion first (Del); they wait on the Inactive list."),
        affects=DELETABLE, full_reload=DELETABLE,
        inputs=(FormInput("typed", f"Type {CONFIRM_WORD}", f"{CONFIRM_WORD}: they are deleted for good"),),
        build=lambda rows, typed: ConfirmDeletion(family_of(rows), tuple(r.id for r in rows),
                                                  labels_of(rows), typed["typed"]),
    ),
)

# Converting and splitting lots (issue 13, OpenTHC): quantities typed with their unit, 4 decimals.
def _unmarked(row: Any) -> bool:
    return not is_marked(row)


_LIVE_LOTS = Applies(Rows.SELECTED, _unmarked, "{n} selected lot(s) are marked for deletion; left out.")


def _held(rows: Sequence[Any]) -> tuple[Any, ...]:
    return tuple(getattr(r, "quantity", None) for r in rows)


def _unit_of(rows: Sequence[Any]) -> Any:
    held = _held(rows[:1])
    return held[0].unit if held and held[0] is not None else None


WRITES += (
    WriteSpec(
        "ConvertPackages", ConvertPackages, Capability.PACKAGE_CONVERT, "Convert lots", "Convert",
        command="convert", key="V", footer="Convert", in_footer=False, key_display="V",
        palette="Convert the selected lots into one lot of a product",
        palette_help="Many sources, or parts of them, into one output (shift+v)",
        lists=frozenset({Family.PACKAGES}),
        applies=_LIVE_LOTS,
        affects=(Family.PACKAGES,), full_reload=(Family.PACKAGES,), creates=True,
        inputs=(FormInput("takes", "Taken from each", "blank: all of each; or one per lot: 900 g, all, 100 g"),
                FormInput("product", "Output product", "as the Items list names it"),
                FormInput("output", "Output quantity", "e.g. 1000 g, 1.2 kg, 250 ml, 40 ea")),
        build=lambda rows, typed: ConvertPackages(
            tuple(r.id for r in rows), tuple(r.label for r in rows), typed_takes(typed["takes"], _held(rows)),
            typed["product"].strip(), typed_amount(typed["output"], _unit_of(rows), "Output"), _held(rows),
        ),
    ),
    WriteSpec(
        "SplitPackage", SplitPackage, Capability.PACKAGE_SPLIT, "Split a lot", "Split",
        command="split", key="S", footer="Split", in_footer=False, key_display="S",
        palette="Split a portion off the lot under the cursor", palette_help="Into a new lot of the same product (shift+s)",
        lists=frozenset({Family.PACKAGES}),
        applies=Applies(Rows.ONE, _unmarked, none_left="Choose a live lot (not marked for deletion)."),
        affects=(Family.PACKAGES,), full_reload=(Family.PACKAGES,), creates=True,
        inputs=(FormInput("portion", "Portion", "sliced off into a new lot, e.g. 500 g"),),
        build=lambda rows, typed: SplitPackage(
            rows[0].id, rows[0].label, typed_amount(typed["portion"], _unit_of(rows), "Portion"), _held(rows)[0],
        ),
    ),
    WriteSpec(
        "DestroyLots", DestroyLots, Capability.PACKAGE_DESTROY, "Destroy lots", "Destroy",
        command="destroy", key="X", footer="Destroy", in_footer=False, key_display="X",
        palette="Destroy the selected lots", palette_help="With a reason; they are emptied (shift+x)",
        lists=frozenset({Family.PACKAGES}),
        applies=_LIVE_LOTS,
        affects=(Family.PACKAGES,), full_reload=(Family.PACKAGES,),
        inputs=(FormInput("reason_code", "Reason code", "e.g. waste, mould, contamination"),
                FormInput("reason_text", "Why", "in words; needed without a code")),
        build=lambda rows, typed: DestroyLots(tuple(r.id for r in rows), tuple(r.label for r in rows),
                                              typed["reason_code"].strip(), typed["reason_text"].strip()),
    ),
)

# Plants from a seed or clone lot, and plants' variety or room (issue 13, OpenTHC).
WRITES += (
    WriteSpec(
        "CreatePlantsFromLot", CreatePlantsFromLot, Capability.PLANT_FROM_LOT, "Plants from a lot", "Plant",
        command="plantings", key="b", footer="New batch", in_footer=False,
        palette="Plant from the seed or clone lot under the cursor", palette_help="Count, room, variety (b)",
        lists=frozenset({Family.PACKAGES}),
        applies=Applies(Rows.ONE, _unmarked, none_left="Choose a live seed or clone lot."),
        affects=(Family.PACKAGES, Family.PLANTS), full_reload=(Family.PACKAGES, Family.PLANTS), creates=True,
        inputs=(_COUNT, _ROOM, FormInput("variety", "Variety", "blank: the lot's own")),
        build=lambda rows, typed: CreatePlantsFromLot(
            rows[0].id, rows[0].label, typed_count(typed["count"]), typed["location"].strip(),
            typed["variety"].strip(), _held(rows)[0],
        ),
    ),
    WriteSpec(
        "ModifyPlants", ModifyPlants, Capability.PLANT_MODIFY, "Change plants", "Change",
        command="modify_plants", key="M", footer="Modify", in_footer=False, key_display="M",
        palette="Change the selected plants' variety or room", palette_help="Blank keeps it (shift+m)",
        lists=frozenset({Family.PLANTS}),
        applies=Applies(Rows.SELECTED, _unmarked, "{n} selected plant(s) are marked for deletion; left out."),
        affects=(Family.PLANTS,), full_reload=(Family.PLANTS,),
        inputs=(FormInput("variety", "New variety", "as the strains list names it; blank keeps it"),
                FormInput("location", "New room", "blank keeps it")),
        build=lambda rows, typed: ModifyPlants(
            tuple(r.id for r in rows), tuple(r.label for r in rows), typed["variety"].strip(), typed["location"].strip(),
        ),
    ),
)

# B2B transfers (issue 13, OpenTHC): create with items, then commit separately; accept incoming.
WRITES += (
    WriteSpec(
        "CreateB2BOutgoing", CreateB2BOutgoing, Capability.B2B_OUTGOING, "New outgoing transfer", "Create",
        command="ship", key="T", footer="Ship", in_footer=False, key_display="T",
        palette="New outgoing transfer of the selected lots", palette_help="To another license; commit it after (shift+t)",
        lists=frozenset({Family.PACKAGES}),
        applies=_LIVE_LOTS,
        affects=(Family.TRANSFERS_OUTGOING,), full_reload=(Family.TRANSFERS_OUTGOING,), creates=True,
        inputs=(FormInput("target", "To license", "the receiving license's OpenTHC id"),
                FormInput("takes", "Amount of each", "blank: all of each; or one per lot: 5 g, all")),
        build=lambda rows, typed: CreateB2BOutgoing(
            tuple(r.id for r in rows), tuple(r.label for r in rows), typed_takes(typed["takes"], _held(rows)),
            typed["target"].strip(), _held(rows),
        ),
    ),
    WriteSpec(
        "CommitB2BOutgoing", CommitB2BOutgoing, Capability.B2B_OUTGOING, "Commit outgoing transfer", "Commit",
        command="finish", key="o", footer="Finish", in_footer=False,
        palette="Commit the outgoing transfer under the cursor", palette_help="The receiver sees it then (o)",
        lists=frozenset({Family.TRANSFERS_OUTGOING}),
        applies=Applies(Rows.ONE, lambda t: t.index == "open", none_left="Choose an open outgoing transfer."),
        affects=(Family.TRANSFERS_OUTGOING, Family.PACKAGES), full_reload=(Family.TRANSFERS_OUTGOING, Family.PACKAGES),
        inputs=(),
        build=lambda rows, typed: CommitB2BOutgoing(rows[0].id, rows[0].manifest_number),
    ),
    WriteSpec(
        "AcceptB2BIncoming", AcceptB2BIncoming, Capability.B2B_ACCEPT, "Accept incoming transfer", "Accept",
        command="accept", key="A", footer="Accept", in_footer=False, key_display="A",
        palette="Accept the incoming transfer under the cursor", palette_help="Its items become your lots (shift+a)",
        lists=frozenset({Family.TRANSFERS_INCOMING}),
        applies=Applies(Rows.ONE, waiting, none_left="Choose a transfer waiting to be accepted."),
        affects=(Family.TRANSFERS_INCOMING, Family.PACKAGES), full_reload=(Family.TRANSFERS_INCOMING, Family.PACKAGES),
        inputs=(FormInput("location", "Room", "blank: OpenTHC's receiving room"),),
        build=lambda rows, typed: AcceptB2BIncoming(rows[0].id, rows[0].manifest_number, typed["location"].strip()),
    ),
)

BY_KIND: dict[str, WriteSpec] = {
    **{alias: spec for spec in WRITES for alias in spec.aliases},
    **{spec.kind: spec for spec in WRITES},
}


def spec_of(kind_or_action: str | Any) -> WriteSpec | None:
    """The spec of a journal kind or an action object (None for a kind growtui no longer knows)."""
    kind = kind_or_action if isinstance(kind_or_action, str) else type(kind_or_action).__name__
    return BY_KIND.get(kind)


def commands() -> dict[str, tuple[WriteSpec, ...]]:
    """Main-screen commands in registry order -> the specs behind each (one per list kind)."""
    out: dict[str, tuple[WriteSpec, ...]] = {}
    for spec in WRITES:
        if spec.command:
            out[spec.command] = (*out.get(spec.command, ()), spec)
    return out


def for_list(command: str, family: Family | None) -> WriteSpec | None:
    """The spec a command means on a list (``x`` discontinues an item on Items, a strain on Strains)."""
    for spec in commands().get(command, ()):
        if spec.lists is None or (family is not None and family in spec.lists):
            return spec
    return None
