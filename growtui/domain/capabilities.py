"""What a backend can do. The UI offers only what the active backend declares; each write kind
in ``domain.writes`` names the capability it needs."""

from __future__ import annotations

from enum import StrEnum


class Capability(StrEnum):
    """What a backend can do; the UI offers only what the active backend declares."""

    DRY_RUN = "dry_run"  # validates a write upstream without applying it
    SERVER_FILTER = "server_filter"
    PACKAGE_NOTE = "package_note"
    PACKAGE_UNFINISH = "package_unfinish"
    PACKAGE_CREATE = "package_create"
    ITEM_DISCONTINUE = "item_discontinue"
    STRAIN_CREATE = "strain_create"
    STRAIN_DISCONTINUE = "strain_discontinue"
    TRANSFER_CREATE = "transfer_create"
    TRANSFER_TEMPLATE = "transfer_template"
    HISTORY = "history"
    LAB_RESULTS = "lab_results"
    PACKAGE_MOVE = "package_move"  # change a package's room (Metrc)
    PACKAGE_FINISH = "package_finish"
    PLANT_MOVE = "plant_move"
    PLANT_PHASE = "plant_phase"  # vegetative -> flowering (Metrc)
    PLANT_HARVEST = "plant_harvest"  # whole plants cut, each with its wet weight (Metrc)
    PLANT_DESTROY = "plant_destroy"  # with the waste weighed, its method and reason (Metrc)
    BATCH_PLANTINGS = "batch_plantings"  # a new plant batch from seeds or clones (Metrc)
    BATCH_PHASE = "batch_phase"  # batch plants tagged into a growth phase (Metrc)
    BATCH_DESTROY = "batch_destroy"
    HARVEST_WASTE = "harvest_waste"
    HARVEST_PACKAGE = "harvest_package"  # a package whose weight comes off a harvest (Metrc)
    HARVEST_FINISH = "harvest_finish"
    HARVEST_UNFINISH = "harvest_unfinish"
    PACKAGE_ADJUST = "package_adjust"  # a signed change with a reason (Metrc)
    STRAIN_UPDATE = "strain_update"  # new values or a new state for a strain (Trace)
    STRAIN_HISTORY = "strain_history"  # a strain's state history can be read (Trace)
    COA_DOCUMENT = "coa_document"  # a package's certificate of analysis as a file (T3)
    MANIFEST_DOCUMENT = "manifest_document"  # a transfer's manifest as a file (T3)
    PLANT_COLLECT = "plant_collect"  # raw or net weight collected from plants (OpenTHC)
    PACKAGE_CONVERT = "package_convert"  # many lots (or parts) into one lot of a product (OpenTHC)
    PACKAGE_DESTROY = "package_destroy"  # lots destroyed with a reason (OpenTHC)
    PACKAGE_SPLIT = "package_split"  # a portion of a lot sliced off into a new lot (OpenTHC)
    PLANT_FROM_LOT = "plant_from_lot"  # plants made from a seed or clone lot (OpenTHC)
    PLANT_MODIFY = "plant_modify"  # plants' variety or room changed (OpenTHC)
    B2B_OUTGOING = "b2b_outgoing"  # an outgoing transfer created with its items, committed separately (OpenTHC)
    B2B_ACCEPT = "b2b_accept"  # an incoming transfer accepted into new lots (OpenTHC)
    TWO_STEP_DELETE = "two_step_delete"  # mark for deletion, then confirm it separately (OpenTHC)
    LABEL_PDF = "label_pdf"  # package labels rendered upstream as a PDF (T3)
