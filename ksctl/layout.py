"""Where each kind of file lives, and the id its path gives it, from the table of kinds.

Folders follow ownership (national, each healthcare region, each region), so the three
levels look alike. A kind's id is the path's variable parts joined by "/": the RPO for Akut
vård in Mellansverige is `rpo:mellansverige/akut-vard`. People are the exception: their id
is the file name alone and unique across the registry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ksctl import kinds, model

_SEG = r"([a-z0-9][a-z0-9-]*)"


@dataclass(frozen=True)
class Rule:
    kind: str
    pattern: re.Pattern[str]
    template: str  # how to build the path from the id parts, for `new` and hints
    # What the path itself refers to: (kind, id template over the path's parts).
    path_refs: tuple[tuple[str, str], ...] = ()

    def match(self, relpath: str) -> tuple[str, ...] | None:
        m = self.pattern.fullmatch(relpath)
        return m.groups() if m else None

    @property
    def model(self) -> type[Any]:
        return model_of(self.kind)


@dataclass(frozen=True)
class Located:
    kind: str
    id: str
    parts: tuple[str, ...]
    # What the path names, as (kind, id); a kind may be alternatives ("npo|nsg": a working
    # group's folder is its programme area's or collaboration group's id).
    path_refs: tuple[tuple[str, str], ...]

    @property
    def named(self) -> set[tuple[str, str]]:
        """Every (kind, id) the path may name, alternatives spelled out."""
        return {(k, ident) for kinds_, ident in self.path_refs for k in kinds_.split("|")}

    @property
    def model(self) -> type[Any]:
        return model_of(self.kind)


def model_of(kind: str) -> type[Any]:
    """The model class of `kind`: the table names a class of `ksctl.model`, or holds one."""
    named = kinds.get(kind).model
    found: type[Any] = getattr(model, named) if isinstance(named, str) else named
    return found


class _Table:
    """The rules of one version of the table of kinds, and their one alternation: one match
    per file instead of one per rule (a tenth of the time at 20,000 files)."""

    def __init__(self) -> None:
        self.version = kinds.version()
        self.rules = tuple(
            Rule(k.id, re.compile(re.escape(p.template).replace(r"\{\}", _SEG)), p.template, p.refs)
            for k in kinds.every()
            for p in k.places
        )
        self.any = re.compile(
            "|".join(f"(?P<r{i}>{r.pattern.pattern})" for i, r in enumerate(self.rules))
        )
        self.groups = {
            f"r{i}": (rule, self.any.groupindex[f"r{i}"]) for i, rule in enumerate(self.rules)
        }


_table: _Table | None = None


def _current() -> _Table:
    global _table
    if _table is None or _table.version != kinds.version():
        _table = _Table()
    return _table


def rules() -> tuple[Rule, ...]:
    """Every place a file may be, one rule per path template."""
    return _current().rules


def locate(relpath: str) -> Located | None:
    """The kind and id of the file at `relpath` (relative to the registry, with "/")."""
    table = _current()
    m = table.any.fullmatch(relpath)
    if m is not None and m.lastgroup is not None:
        rule, at = table.groups[m.lastgroup]
        parts = m.groups()[at : at + rule.pattern.groups]
        how = kinds.get(rule.kind).ident
        if how == "fixed":
            ident = rule.kind
        elif how == "name":
            ident = parts[-1]
        else:
            ident = "/".join(parts)
        refs = tuple((kind, tpl.format(*parts)) for kind, tpl in rule.path_refs)
        return Located(rule.kind, ident, parts, refs)
    return None


def suggest(relpath: str) -> str | None:
    """The path the layout would give the file at `relpath` (which it does not know), from
    the file's own name and folders: 'regions/orebro/personer/Eva Ek.yml' ->
    'regions/orebro/people/eva-ek.yaml'. None when no place is close."""
    import difflib
    from itertools import combinations

    *folders, name = relpath.split("/")
    stem = _slug(name.split(".", 1)[0])
    words = [w for w in map(_slug, folders) if w]
    fixed = {part for r in rules() for part in r.template.split("/") if "{}" not in part}
    # A folder named for a kind ("lpo", "personer") says what the file is, and names no
    # region or area.
    meant = {_kind_named(w) for w in words if w not in fixed} - {None}
    values = [w for w in words if w not in fixed and _kind_named(w) is None]
    written = "/".join([*words, stem])
    best: tuple[float, str] | None = None
    for rule in rules():
        holes = rule.template.count("{}")
        named_by_file = rule.template.endswith("{}.yaml")  # else a fixed name: region.yaml
        pool = [*values, stem] if stem and (named_by_file or stem not in fixed) else values
        for chosen in combinations(pool, holes):  # in order, as the folders nest
            if named_by_file and chosen[-1] != stem:
                continue
            candidate = rule.template.format(*chosen)
            if locate(candidate) is None:
                continue
            score = difflib.SequenceMatcher(None, written, candidate.removesuffix(".yaml")).ratio()
            score += 0.3 if rule.kind in meant else 0.0
            if best is None or score > best[0]:
                best = (score, candidate)
    return best[1] if best is not None and best[0] >= 0.6 else None


def _slug(text: str) -> str:
    from ksctl.text import norm

    return norm(text).replace(" ", "-")


def _kind_named(word: str) -> str | None:
    """The kind a folder's name says, in English or Swedish ("lpo", "people", "personer")."""
    found = kinds.by_word(word)
    if found is None:
        for k in kinds.every():
            if k.places and word in {_slug(k.label), _slug(k.plural.split(" (")[0])}:
                return k.id
    return found
