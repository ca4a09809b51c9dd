"""Canonical formatting and scaffolding of registry files, written atomically.

Layer 5. `format_text` puts keys in the order the schema declares them, indents mappings by
two and list items by four with the dash at two, quotes only where YAML needs it, and sorts
members by role then person, keeping every comment. The result must load to the same data
as the original (checked on every file before it is written), so formatting never changes
meaning; a file that does not parse is left untouched and reported.
"""

from __future__ import annotations

import os
import tempfile
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ksctl import layout, yamlio
from ksctl.labels import ROLE_LABELS
from ksctl.schemacheck import _model_in

ROLE_ORDER = list(ROLE_LABELS)


class FormatError(Exception):
    """The file cannot be formatted (it does not parse, or formatting would change it)."""


def _seat_key(item: Any) -> tuple[int, str]:
    if not yamlio.is_mapping(item):
        return (len(ROLE_ORDER), "")
    role = str(item.get("role", "member"))
    return (
        ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER),
        str(item.get("person") or "~vacant"),
    )


FIRST = [
    "id",
    "name",
    "title",
    "term",
    "official_name",
    "abbreviation",
    "aliases",
    "type",
    "category",
    "status",
    "person",
    "vacant",
    "role",
    "host",
    "dormant_host",
    "stage",
    "hosting",
]
DOCUMENTATION = ["sources", "notes", "confidence"]


def _fields(model: type[BaseModel], *, nested: bool) -> list[tuple[str, Any]]:
    """The schema's keys in reading order: what names the thing first, its documentation
    last; in a nested part (a seat, a hosting period) its period just before that."""
    fields = [(f.alias or name, f.annotation) for name, f in model.model_fields.items()]
    last = (["from", "to"] if nested else []) + DOCUMENTATION
    first = sorted((f for f in fields if f[0] in FIRST), key=lambda f: FIRST.index(f[0]))
    middle = [f for f in fields if f[0] not in FIRST and f[0] not in last]
    end = sorted((f for f in fields if f[0] in last), key=lambda f: last.index(f[0]))
    return first + middle + end


def _item_type(annotation: Any) -> Any:
    for arg in typing.get_args(annotation) or ():
        if typing.get_origin(arg) is list:
            return typing.get_args(arg)[0]
    if typing.get_origin(annotation) is list:
        return typing.get_args(annotation)[0]
    return None


def _canonical(node: Any, model: type[BaseModel] | None, *, nested: bool = False) -> None:
    if model is None:
        return
    if yamlio.is_mapping(node):
        fields = _fields(model, nested=nested)
        yamlio.reorder(node, [name for name, _ in fields])
        for name, annotation in fields:
            if name not in node:
                continue
            value = node[name]
            if yamlio.is_sequence(value):
                if name == "members":
                    yamlio.sort_sequence(value, _seat_key)
                item_model = _model_in(_item_type(annotation))
                for item in value:
                    _canonical(item, item_model, nested=True)
            elif yamlio.is_mapping(value):
                _canonical(value, _model_in(annotation), nested=True)


def _comparable(data: Any) -> Any:
    """Data with members in canonical order, to compare before and after formatting."""
    if isinstance(data, dict):
        out = {k: _comparable(v) for k, v in data.items()}
        if isinstance(out.get("members"), list):
            out["members"] = sorted(out["members"], key=lambda s: (_seat_key_plain(s), repr(s)))
        return out
    if isinstance(data, list):
        return [_comparable(v) for v in data]
    return data


def _seat_key_plain(item: Any) -> tuple[int, str]:
    if not isinstance(item, dict):
        return (len(ROLE_ORDER), "")
    role = str(item.get("role") or "member")
    return (
        ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER),
        str(item.get("person") or "~vacant"),
    )


def format_text(text: str, relpath: str) -> str:
    """The canonical form of the registry file at `relpath` (relative to the registry)."""
    before = yamlio.load(text.encode("utf-8"), relpath)
    if before.data is None or before.diagnostics:
        first = before.diagnostics[0] if before.diagnostics else None
        where = f"{first.line}:{first.column}: {first.message}" if first else "no data"
        raise FormatError(f"does not parse ({where}); left untouched")
    located = layout.locate(relpath)
    # Minimal quoting first; ruamel occasionally drops quotes a value needs (": 0" in a flow
    # list), which the check below catches: then the author's own quoting is kept.
    for preserve_quotes in (False, True):
        try:
            node = yamlio.rt_load(text, preserve_quotes=preserve_quotes)
        except Exception as exc:  # ruamel raises many kinds; any of them means "leave it"
            raise FormatError(f"does not parse: {exc}; left untouched") from None
        _canonical(node, located.model if located else None)
        result = yamlio.rt_dump(node)
        after = yamlio.load(result.encode("utf-8"), relpath)
        if _comparable(after.data) == _comparable(before.data):
            break
    else:
        raise FormatError("formatting would change its data; left untouched")
    return result


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and a rename: never half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        if path.exists():
            Path(tmp).chmod(path.stat().st_mode & 0o777)
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


PLACE_FOLDER = {"region": "regions/", "healthcare-region": "healthcare-regions/"}


def scaffold(
    kind: str, ident: str, values: dict[str, str], *, place: str | None = None
) -> tuple[str, str]:
    """The registry-relative path and text of a new entity of `kind`.

    `ident` is the id the path gives (`orebro/akut-vard` for an LPO); people and bodies
    live nationally unless `place` (`region:orebro`, `healthcare-region:norra`) says where.
    `values` fills the fields; every required one must be there.
    """
    rule = _rule_for(kind, place)
    parts = ident.split("/")
    if place is not None:
        parts = [place.partition(":")[2], *parts]
    holes = rule.template.count("{}")
    if holes != len(parts):
        raise FormatError(f"a {kind} id has {holes} part(s): {rule.template.replace('{}', '<id>')}")
    relpath = rule.template.format(*parts)
    if layout.locate(relpath) is None:
        raise FormatError(f"{ident!r} is not a valid id: use a-z, 0-9 and '-'")
    fields = {name: (f.alias or name) for name, f in rule.model.model_fields.items()}
    missing = [
        fields[n]
        for n, f in rule.model.model_fields.items()
        if f.is_required() and fields[n] not in values
    ]
    if missing:
        raise FormatError(f"a new {kind} needs: {', '.join(missing)} (give --set KEY=VALUE)")
    unknown = [k for k in values if k not in fields.values()]
    if unknown:
        raise FormatError(f"a {kind} has no field {', '.join(unknown)}")
    node = yamlio.rt_load("".join(f"{k}: {_yaml_value(v)}\n" for k, v in values.items()))
    _canonical(node, rule.model)
    modeline = "../" * relpath.count("/") + f"../schemas/{kind}.schema.json"
    return relpath, f"# yaml-language-server: $schema={modeline}\n" + yamlio.rt_dump(node)


def _yaml_value(value: str) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _rule_for(kind: str, place: str | None) -> layout.Rule:
    rules = [r for r in layout.RULES if r.kind == kind and kind not in ("settings", "glossary")]
    if not rules:
        kinds = sorted({r.kind for r in layout.RULES} - {"settings", "glossary"})
        raise FormatError(f"unknown kind {kind!r}; one of: {', '.join(kinds)}")
    if len(rules) == 1:
        if place is not None:
            raise FormatError(f"a {kind}'s place is in its id; drop --in")
        return rules[0]
    if place is None:
        return next(r for r in rules if r.template.startswith("national/"))
    place_kind = place.partition(":")[0]
    if place_kind not in PLACE_FOLDER:
        raise FormatError(f"--in takes region:<id> or healthcare-region:<id>, not {place!r}")
    return next(r for r in rules if r.template.startswith(PLACE_FOLDER[place_kind]))
