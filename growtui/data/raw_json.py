"""Cached rows as JSON text: how a raw row is written to the cache and read back.

A row stays the JSON text upstream sent (``JsonRows``) from the wire to the cache: storing it never
decodes it whole. The display cells need only a dozen of a package's two hundred fields, so
``FieldPicker`` decodes just those (msgspec skips the rest without building them). Rows that
arrive as dicts (other backends, tests) are encoded once.

Nested objects repeated on many rows (a package's whole item) are stored once per id in ``parts``;
the row keeps ``{"$part": id}`` in their place. For JSON text that is a splice of the bytes, made
only where the field's text is found right after its key; anything else takes the dict path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import msgspec
import msgspec.structs

PART_REF = "$part"

_astuple = msgspec.structs.astuple
_encode = msgspec.json.encode
_decode = msgspec.json.decode


def encode_raw(raw: Mapping[str, Any]) -> bytes:
    """A raw row as JSON text (ids past 64 bits kept exact)."""
    try:
        return _encode(raw)
    except (TypeError, ValueError, OverflowError):  # not plain JSON data (a Decimal, a proxy…)
        return _encode(json.loads(json.dumps(raw, default=str)))


def decode_raw(blob: bytes) -> Any:
    """A stored row or part back as plain dicts and lists."""
    try:
        return _decode(blob)
    except msgspec.DecodeError:  # text json accepts but msgspec does not (NaN from a dict row)
        return json.loads(blob)


def _tree(paths: Iterable[str]) -> dict[str, Any]:
    """Dotted paths as a tree: {"id": None, "item": {"name": None}} (None: read the value)."""
    tree: dict[str, Any] = {}
    for path in paths:
        node = tree
        *heads, leaf = path.split(".")
        for head in heads:
            if not isinstance(node.get(head), dict):
                node[head] = {}
            node = node[head]
        node.setdefault(leaf, None)
    return tree


class _Level:
    """Decodes one JSON object into a dict of just the keys of one tree level; nested objects
    come as raw text and are decoded by their own level (so one that is not an object, or is
    malformed, reads as None, as ``dict.get`` on a non-dict would)."""

    def __init__(self, tree: dict[str, Any], keep: frozenset[str] = frozenset()) -> None:
        self.keys = list(tree)
        self.nested = {k: _Level(sub) for k, sub in tree.items() if isinstance(sub, dict)}
        self.keep = keep & set(self.nested)  # nested keys whose raw text the caller wants too
        fields = [
            (f"f{i}", msgspec.Raw if k in self.nested else Any, None) for i, k in enumerate(self.keys)
        ]
        struct = msgspec.defstruct("Fields", fields, rename={f"f{i}": k for i, k in enumerate(self.keys)})
        self._decode = msgspec.json.Decoder(struct).decode

    def read(self, text: bytes | msgspec.Raw, memo: dict[bytes, Any]) -> tuple[dict[str, Any], dict[str, bytes]]:
        """(the fields, the raw text of each ``keep`` field present). ``memo`` caches nested
        objects by their text: a page's rows share a few hundred items."""
        out = dict(zip(self.keys, _astuple(self._decode(text))))
        kept: dict[str, bytes] = {}
        for key, level in self.nested.items():
            value = out[key]
            if value is None:
                continue
            blob = bytes(value)
            if key in self.keep:
                kept[key] = blob
            hit = memo.get(blob)
            if hit is None:
                hit = memo[blob] = level.object(blob, memo)
            out[key] = hit
        return out, kept

    def object(self, blob: bytes, memo: dict[bytes, Any]) -> dict[str, Any] | None:
        if blob[:1] != b"{":
            return None
        try:
            return self.read(blob, memo)[0]
        except msgspec.MsgspecError:
            return None


class FieldPicker:
    """Reads the fields at ``paths`` out of a row's JSON text, and cuts ``part_fields`` out of it."""

    def __init__(
        self, paths: Iterable[str], part_fields: tuple[str, ...], part_key: Callable[[Any], Any]
    ) -> None:
        """``part_key``: a part's id as the ``parts`` table keys it (and the row refers to it)."""
        self.part_key = part_key
        tree = _tree(paths)
        for name in part_fields:  # a part's id keys it in `parts`
            sub = tree.get(name)
            tree[name] = dict(sub, id=None) if isinstance(sub, dict) else {"id": None}
        self.part_fields = part_fields
        self._top = _Level(tree, frozenset(part_fields))

    def pick(
        self, text: bytes, memo: dict[bytes, Any]
    ) -> tuple[dict[str, Any], bytes, list[tuple[str, Any, bytes]]] | None:
        """(the fields read, the text to store, [(part field, part id, part text)]), or None when
        the text is not one plain JSON object this way can cut (the caller decodes it whole)."""
        try:
            fields, kept = self._top.read(text, memo)
        except msgspec.MsgspecError:
            return None
        parts = []
        for name, blob in kept.items():
            part = fields.get(name)
            part_id = part.get("id") if isinstance(part, dict) else None
            if not isinstance(part_id, int | float | str):
                continue
            part_id = self.part_key(part_id)
            cut = _splice(text, name, blob, part_id)
            if cut is None:
                return None
            text = cut
            parts.append((name, part_id, blob))
        return fields, text, parts


def _splice(text: bytes, name: str, blob: bytes, part_id: Any) -> bytes | None:
    """``text`` with the value ``blob`` of top-level key ``name`` replaced by a part reference;
    None unless the place found is right after ``"name":`` and is that key's value."""
    key = b'"' + name.encode() + b'"'
    # The short key is found far faster than the value's first bytes (a package's 3 KB item
    # is half its row); the first place where the key holds ``blob`` is the first place
    # ``blob`` follows the key.
    at = text.find(key)
    while at >= 0:
        colon = _COLON.match(text, at + len(key))
        if (
            colon is not None
            and text.startswith(blob, colon.end())
            and text[:at].rstrip()[-1:] in (b"{", b",")  # not a longer key ending in \"name"
        ):
            start, end = colon.end(), colon.end() + len(blob)
            cut = text[:start] + _encode({PART_REF: part_id}) + text[end:]
            # ``blob`` is the top-level value, so where it occurs once that is the place; where
            # it occurs again (the same object under the same key, nested), the cut is right only
            # if the top-level value is now the reference. (Two places of one JSON value never
            # overlap, so the search goes on after this one.)
            return cut if text.find(blob[:48], end) < 0 or _top_ref(name)(cut) else None
        at = text.find(key, at + 1)
    return None


_COLON = re.compile(rb"[ \t\r\n]*:[ \t\r\n]*")  # JSON's whitespace only


_REF_READERS: dict[str, Any] = {}


def _top_ref(name: str) -> Any:
    """A check that a row's top-level ``name`` is a part reference (one decoder per field)."""
    check = _REF_READERS.get(name)
    if check is None:
        ref = msgspec.defstruct("Ref", [("f", dict[str, Any] | None, None)], rename={"f": name})
        decode = msgspec.json.Decoder(ref).decode

        def check(cut: bytes) -> bool:
            try:
                value = decode(cut).f
            except msgspec.MsgspecError:
                return False
            return isinstance(value, dict) and list(value) == [PART_REF]

        check = _REF_READERS[name] = check
    return check
