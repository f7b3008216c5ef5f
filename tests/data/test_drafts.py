"""Local drafts: atomic JSON files per user and license, restored by a new store instance."""

from __future__ import annotations

import json
import os

import pytest

from growtui.data.drafts import DraftKey, DraftStore, default_drafts_root

KEY = DraftKey("ca.metrc.com", "Grower.CA", "CCL21-0000123", "transfer")


def test_save_then_load_in_a_new_store_instance(tmp_path):
    DraftStore(tmp_path).save(KEY, {"destinations": [{"planned_route": "I-80"}]}, now=1000.0)
    draft = DraftStore(tmp_path).load(KEY)
    assert draft is not None
    assert draft.data == {"destinations": [{"planned_route": "I-80"}]}
    assert draft.saved_at == 1000.0


def test_default_root_is_in_the_user_data_dir():
    # conftest points XDG_DATA_HOME at a temp dir; drafts must live under it, not in the cwd.
    assert str(default_drafts_root()).startswith(os.environ["XDG_DATA_HOME"])


def test_users_and_licenses_do_not_see_each_others_drafts(tmp_path):
    store = DraftStore(tmp_path)
    store.save(KEY, {"n": 1})
    assert store.load(DraftKey("ca.metrc.com", "someone", "CCL21-0000123", "transfer")) is None
    assert store.load(DraftKey("ca.metrc.com", "grower.ca", "OTHER", "transfer")) is None
    assert store.load(DraftKey("ca.metrc.com", "grower.ca", "CCL21-0000123", "transfer")) is not None  # case


def test_overwrite_is_atomic_and_leaves_no_temp_files(tmp_path, monkeypatch):
    store = DraftStore(tmp_path)
    store.save(KEY, {"v": 1})

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError):
        store.save(KEY, {"v": 2})
    monkeypatch.undo()
    assert store.load(KEY).data == {"v": 1}  # the previous version, whole
    assert [p.name for p in store.path(KEY).parent.iterdir()] == [store.path(KEY).name]


def test_corrupt_file_reads_as_no_draft_and_discard_removes(tmp_path):
    store = DraftStore(tmp_path)
    path = store.path(KEY)
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert store.load(KEY) is None
    store.save(KEY, {"v": 3})
    assert json.loads(path.read_text())["data"] == {"v": 3}
    assert store.discard(KEY) is True
    assert store.load(KEY) is None and store.discard(KEY) is False


def test_hostile_names_stay_inside_the_root(tmp_path):
    store = DraftStore(tmp_path / "root")
    key = DraftKey("../../etc", "../x", "a/b", "transfer", "../../passwd")
    store.save(key, {"v": 1})
    assert store.path(key).resolve().is_relative_to((tmp_path / "root").resolve())
    assert store.load(key).data == {"v": 1}


def test_drafts_lists_newest_first(tmp_path):
    store = DraftStore(tmp_path)
    store.save(DraftKey("ca.metrc.com", "grower.ca", "L1", "transfer", "a"), {"a": 1}, now=1.0)
    store.save(DraftKey("ca.metrc.com", "grower.ca", "L1", "transfer", "b"), {"b": 1}, now=2.0)
    names = [d.key.name for d in store.drafts("ca.metrc.com", "grower.ca", "L1", "transfer")]
    assert names == ["b", "a"]
