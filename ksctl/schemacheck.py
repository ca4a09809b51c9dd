"""Turning pydantic's validation errors into located diagnostics.

Each error's `loc` is a path into the file's data; the YAML positions recorded
while loading give its line and column: the key itself for an unknown key, the parent
mapping for a missing field, the value otherwise.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from ksctl.diagnostics import CODES, Diagnostic, did_you_mean
from ksctl.labels import CONFIDENCE_LABELS, CONTACT_LABELS, KEY_LABELS, ROLE_LABELS, STAGE_LABELS
from ksctl.text import norm
from ksctl.yamlio import Loaded, Loc

# The values the registry writes in English, with the Swedish words people write for them.
_VALUE_LABELS = {**ROLE_LABELS, **STAGE_LABELS, **CONFIDENCE_LABELS, **CONTACT_LABELS}

_CODE_BY_TYPE = {
    "extra_forbidden": "KS201",
    "missing": "KS203",
    "bad_date": "KS204",
    "literal_error": "KS205",
    "enum": "KS205",
    "string_pattern_mismatch": "KS205",
    "string_too_short": "KS205",
    "greater_than_equal": "KS205",
    "less_than_equal": "KS205",
    "greater_than": "KS205",
    "less_than": "KS205",
    "value_error": "KS205",
    "unknown_code": "KS205",
}

_WHAT = {
    "string_type": "text",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "float_parsing": "a number",
    "float_type": "a number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
}


# What each of the schema's patterns asks for, in words (pydantic prints the pattern).
_PATTERNS = {
    r"^https?://\S+$": "a web address begins with https:// (or http://) and has no spaces",
    r"^https?://\S+/$": "the address begins with https:// (or http://) and ends in /",
    r"^[a-z0-9][a-z0-9-]*$": "an id is written with a-z, 0-9 and '-' (no capitals, spaces "
    "or å, ä, ö)",
    r"^\d{4}$": "a municipality code has four digits",
    r"^\d{2}$": "a county code has two digits",
    r"^[^@\s]+@[^@\s]+$": "an e-mail address is name@example.se",
    r"^(@[A-Za-z0-9-]+(/[A-Za-z0-9._-]+)?|[^@\s]+@[^@\s]+)$": "a maintainer is @user, "
    "@organisation/team or an e-mail address",
}


def _with_scheme(value: str, pattern: str) -> str | None:
    """The way to write a web address given without its scheme (`www.vgregion.se`), when
    that passes: not for an e-mail address, a `mailto:` or text with spaces."""
    if ":" in value or "@" in value or "." not in value or value.lower().startswith("http"):
        return None  # a scheme mistyped (http//), an e-mail address: no guess
    written = f"https://{value.strip()}"
    if pattern.endswith("/$") and not written.endswith("/"):
        written += "/"
    return f"write {written}" if re.fullmatch(pattern, written) else None


def validate(
    model: type[BaseModel], loaded: Loaded, path: str
) -> tuple[BaseModel | None, list[Diagnostic]]:
    try:
        return model.model_validate(loaded.data), []
    except ValidationError as exc:
        return None, [to_diagnostic(err, model, loaded, path) for err in exc.errors()]


def _data_loc(data: Any, loc: tuple[Any, ...]) -> Loc:
    """The part of pydantic's loc that names real keys and indexes (drops union tags)."""
    result: list[str | int] = []
    node = data
    for step in loc:
        if step == "[key]":  # pydantic's mark of a mapping's key, not a key named so
            break
        if isinstance(node, dict) and isinstance(step, str):
            result.append(step)  # a key that is not there is missing, or extra at the end
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            result.append(step)
            node = node[step]
    return tuple(result)


def dotted(loc: Loc) -> str:
    out = ""
    for step in loc:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def _got(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


def to_diagnostic(err: Any, model: type[BaseModel], loaded: Loaded, path: str) -> Diagnostic:
    kind = err["type"]
    loc = _data_loc(loaded.data, tuple(err["loc"]))
    on_key = tuple(err["loc"][-1:]) == ("[key]",)  # the key is wrong, not its value
    code = _CODE_BY_TYPE.get(kind, "KS202")
    value = err.get("input")
    where = dotted(loc)
    hint = None
    if code == "KS201":
        line, col = loaded.position(loc, key=True)
        key = str(loc[-1]) if loc else "?"
        parent = dotted(loc[:-1])
        message = f"unknown key {key!r}" + (f" in {parent}" if parent else "")
        allowed = _field_names(model, loc[:-1])
        hint = _in_english(key, {k: KEY_LABELS.get(k, ()) for k in allowed}, "key")
        hint = hint or did_you_mean(key, allowed) or _belongs(model, loc[:-1], key)
    elif code == "KS203":
        line, col = loaded.position(loc[:-1])
        field = str(loc[-1]) if loc else "?"
        parent = dotted(loc[:-1])
        message = f"missing required field {field!r}" + (f" in {parent}" if parent else "")
    elif kind == "literal_error":
        line, col = loaded.position(loc)
        expected = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        message = f"{where}: {value!r} is not one of: {', '.join(expected)}"
        swedish: dict[str, tuple[str, ...]] = {
            e: (_VALUE_LABELS[e],) for e in expected if e in _VALUE_LABELS
        }
        hint = _in_english(str(value), swedish, "value")
        hint = (
            hint
            or did_you_mean(str(value), expected)
            or _in_english(str(value), swedish, "value", close=True)
        )
    elif code in ("KS204", "KS205"):
        line, col = loaded.position(loc, key=on_key)
        where = dotted(loc[:-1]) if on_key else where
        msg = str(err["msg"]).removeprefix("Value error, ")
        pattern = str(err.get("ctx", {}).get("pattern", ""))
        if kind == "string_pattern_mismatch" and pattern in _PATTERNS:
            msg = _PATTERNS[pattern]
            if pattern.startswith("^https?") and isinstance(value, str):
                hint = _with_scheme(value, pattern)
        shown = (
            "" if kind in ("bad_date", "value_error", "unknown_code") else f" (got {_got(value)})"
        )
        message = f"{where}: {msg}{shown}" if where else msg
        if kind == "unknown_code":
            upper = str(value).upper()
            hint = (
                f"did you mean {upper!r}?"
                if upper in CODES
                else "the codes are listed under Diagnostic codes in the README"
            )
    else:
        line, col = loaded.position(loc)
        what = _WHAT.get(kind)
        message = (
            f"{where}: expected {what}, got {_got(value)}"
            if what
            else f"{where}: {err['msg']} (got {_got(value)})"
        )
    return Diagnostic.make(code, message, path=path, line=line, column=col, hint=hint)


def _in_english(
    word: str, swedish: dict[str, tuple[str, ...]], what: str, *, close: bool = False
) -> str | None:
    """The English `what` for a Swedish word (ksctl writes and prints the English ones):
    exactly, case and diacritics aside, or with `close`, the closest of them."""
    folded = norm(word)
    words = {norm(sv): en for en, labels in swedish.items() for sv in labels}
    found = words.get(folded)
    if found is None and close:
        near = difflib.get_close_matches(folded, list(words), n=1, cutoff=0.6)
        found = words[near[0]] if near else None
    if found is None:
        return None
    if word.casefold() == found.casefold():
        return f"write it in lower case: {found!r}"
    if norm(found) == folded:  # the value is the word itself, written without å, ä, ö
        return f"{word!r} is written {found!r} (without å, ä and ö)"
    return f"{word!r} is Swedish: the {what} is {found!r}"


def _model_at(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model of the mapping at `loc` of a file of `model`."""
    current: Any = model
    for step in loc:
        current = _step(current, step)
        if current is None:
            return None
    return model_in(current)


def _field_names(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys allowed in the mapping at `loc` of a file of `model`."""
    sub = _model_at(model, loc)
    return [f.alias or name for name, f in sub.model_fields.items()] if sub else []


def _keys(model: type[BaseModel]) -> set[str]:
    return {f.alias or name for name, f in model.model_fields.items()}


def _belongs(model: type[BaseModel], loc: Loc, key: str) -> str | None:
    """Where an unknown `key` at `loc` has its place: one level in (`declared` goes under
    `conflict_of_interest:`), or at the top of another kind's files (only an NPO takes
    `municipal_participation`)."""
    from ksctl.model import nested_models

    parent = _model_at(model, loc)
    if parent is None:
        return None
    under = sorted(
        f.alias or name
        for name, f in parent.model_fields.items()
        if any(key in _keys(m) for m in nested_models(f.annotation))
    )
    if under:
        return f"{key!r} belongs under {' or '.join(f'{u}:' for u in under)}"
    if loc:
        return None
    from ksctl import kinds, layout

    others = [
        k
        for k in kinds.entity_kinds()
        if layout.model_of(k) is not model and key in _keys(layout.model_of(k))
    ]
    if 0 < len(others) <= 3:  # a key many kinds take (from, to) says nothing of where
        return f"only {', '.join(others)} files take {key!r}"
    return None


def model_in(tp: Any) -> type[BaseModel] | None:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp
    for arg in typing.get_args(tp):
        found = model_in(arg)
        if found is not None:
            return found
    return None


def _step(tp: Any, step: str | int) -> Any:
    if isinstance(step, int):
        origin = typing.get_origin(tp)
        if origin in (list, tuple):
            return typing.get_args(tp)[0]
        if origin in (typing.Union, types.UnionType):
            for arg in typing.get_args(tp):
                if typing.get_origin(arg) in (list, tuple):
                    return typing.get_args(arg)[0]
        return None
    sub = model_in(tp)
    if sub is None:
        return None
    for name, field in sub.model_fields.items():
        if step in (name, field.alias):
            return field.annotation
    return None
