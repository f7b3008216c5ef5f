"""Local drafts: atomic JSON files per user and license, restored by a new store instance."""

from __future__ import annotations

import json
import os

import pytest

from growtui.config import AccountKey
from growtui.data.drafts import DraftKey, DraftStore, default_drafts_root

API = "https://api.trackandtrace.tools"
ACCOUNT = AccountKey.of(API, "ca.metrc.com", "Grower.CA")
KEY = DraftKey(ACCOUNT, "CCL21-0000123", "transfer")


def key(username: str = "grower.ca", license: str = "CCL21-0000123", api: str = API, **kw) -> DraftKey:
    return DraftKey(AccountKey.of(api, "ca.metrc.com", username), license, "transfer", **kw)


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
    assert store.load(key("someone")) is None
    assert store.load(key(license="OTHER")) is None
    assert store.load(key(api="https://staging.trackandtrace.tools")) is None  # another API: its own drafts
    assert store.load(key()) is not None  # case
    assert store.load(key(api=API + "/")) is not None  # the same API, spelled differently


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
    hostile = DraftKey(AccountKey.of("http://../..", "../../etc", "../x"), "a/b", "transfer", "../../passwd")
    store.save(hostile, {"v": 1})
    assert store.path(hostile).resolve().is_relative_to((tmp_path / "root").resolve())
    assert store.load(hostile).data == {"v": 1}


def test_drafts_lists_newest_first(tmp_path):
    store = DraftStore(tmp_path)
    store.save(key(license="L1", name="a"), {"a": 1}, now=1.0)
    store.save(key(license="L1", name="b"), {"b": 1}, now=2.0)
    names = [d.key.name for d in store.drafts(ACCOUNT, "L1", "transfer")]
    assert names == ["b", "a"]
