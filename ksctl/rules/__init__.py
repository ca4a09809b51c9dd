"""The rules of kunskapsstyrning, as checks over a loaded registry.

Schemas catch malformed files; these catch a structure that breaks the system's own rules.
Each rule is a function registered with `rule`, keyed by its stable code (documented in
`diagnostics.CODES`), run as of a date; each diagnostic points at the member entry, hosting
entry or field that breaks it. `rules:` in ksctl.yaml may change a rule's severity or turn
it off.

Every rule declares what it reads, so that a re-check after a change (`ksctl validate`
with a snapshot, `--changed-since`) knows which files it must look at again
(`ksctl.fast.scope`):

- `reports`: the kinds it reports on, gone through with `registry.reporting(kind)`;
- `follows`: how many references deep it reads from what it reports on (a seat's person
  is 1, that person's employer 2);
- `referred`: it reads what names the entity it reports on (who seats a person);
- `suggests`: its message names the closest id there is to one that is missing (so it
  changes wherever something names a missing id when ids come or go);
- `gathers`: the kinds it reads whole, each with what it reads of them: which ids exist
  (`IDS`, as the missing RPOs need every national area's id), some fields (`("name",
  "aliases")`), or everything (a kind given alone).

A rule registered without `reports` cannot be scoped: any change then checks everything.
A rule must read only what it declares; `tests/test_scope.py` applies random edits and
compares every rule's re-checked diagnostics with a cold run's.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from ksctl.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from typing import Any

    from ksctl.model import Settings
    from ksctl.registry import Entity, Registry
    from ksctl.yamlio import Loc

EVERY_KIND = "*"
IDS: tuple[str, ...] = ()  # a gathered kind of which only the ids are read
GROUPS = "@groups"  # every kind with seats, as the table of kinds has them when scoped
NATIONAL_GROUPS = "@national-groups"


@dataclass(frozen=True)
class Context:
    at: datetime.date
    settings: Settings
    policies: Mapping[str, Any]  # the settings' policies as plain data, for `ksctl.domain`
    latest: datetime.date  # the latest day a record of what has happened may carry


Check = Callable[["Registry", Context], Iterable[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    code: str
    check: Check
    reports: frozenset[str] | None  # None: undeclared, any change checks everything
    follows: int = 0
    referred: bool = False
    suggests: bool = False
    # kind -> the fields read of every entity of it (empty: only which ids exist; None: all)
    gathers: Mapping[str, frozenset[str] | None] = dataclasses.field(default_factory=dict)

    def reported_kinds(self) -> frozenset[str] | None:
        """The kinds it reports on, with `GROUPS` and `NATIONAL_GROUPS` spelled out (as the
        table of kinds is now); `EVERY_KIND` stays as it is."""
        if self.reports is None:
            return None
        from ksctl import kinds

        out = set(self.reports - {GROUPS, NATIONAL_GROUPS})
        if GROUPS in self.reports:
            out.update(kinds.group_kinds())
        if NATIONAL_GROUPS in self.reports:
            out.update(kinds.kinds_at("national"))
        return frozenset(out)


RULES: dict[str, Rule] = {}


def rule(
    code: str,
    *,
    reports: Iterable[str] | None = None,
    follows: int = 0,
    referred: bool = False,
    suggests: bool = False,
    gathers: Iterable[str] | Mapping[str, tuple[str, ...]] = (),
) -> Callable[[Check], Check]:
    """Register `check` as the rule `code`, with what it reads (see the module's doc)."""

    def register(fn: Check) -> Check:
        read: dict[str, frozenset[str] | None] = (
            {k: frozenset(v) for k, v in gathers.items()}
            if isinstance(gathers, Mapping)
            else dict.fromkeys(gathers)
        )
        RULES[code] = Rule(
            code,
            fn,
            frozenset(reports) if reports is not None else None,
            follows,
            referred,
            suggests,
            read,
        )
        return fn

    return register


def at(
    entity: Entity,
    code: str,
    message: str,
    loc: Loc = (),
    *,
    severity: Severity | None = None,
    hint: str | None = None,
    key: bool = False,
) -> Diagnostic:
    """A diagnostic on `entity`, at the node `loc` inside it."""
    line, col = entity.position(loc, key=key)
    return Diagnostic.make(
        code, message, path=entity.path, line=line, column=col, severity=severity, hint=hint
    )


M = TypeVar("M")


def models(
    registry: Registry, kind: str, cls: type[M], *, every: bool = False
) -> Iterator[tuple[Entity, M]]:
    """The entities of `kind` to report on (all of them, unless the registry is scoped to
    what a change can reach) with their models, or with `every` all of them, for a rule
    that gathers."""
    source = registry.of_kind(kind) if every else registry.reporting(kind)
    for entity in source.values():
        if isinstance(entity.model, cls):
            yield entity, entity.model


def run(
    registry: Registry,
    day: datetime.date,
    *,
    focus: Callable[[str], None] | None = None,
    latest: datetime.date | None = None,
) -> list[Diagnostic]:
    """Every rule's diagnostics as of `day`, before `rules:` changes their severities;
    `focus` is told each rule's code before it runs."""
    from ksctl.model import Settings

    settings = registry.settings or Settings()
    from ksctl.dates import latest_day

    ctx = Context(day, settings, settings.policies.model_dump(), latest or latest_day(day))
    out: list[Diagnostic] = []
    for code, r in every_rule().items():
        if settings.rules.get(code) == "off":
            continue
        if focus is not None:
            focus(code)
        out.extend(r.check(registry, ctx))
    return out


def _load() -> None:
    """Register the rules (their modules register themselves on import)."""
    from ksctl.rules import (  # noqa: F401  (imported for their registrations)
        composition,
        handling,
        hosting,
        hygiene,
        jav,
        mirroring,
        periods,
        sources,
    )


def every_rule() -> dict[str, Rule]:
    """Every rule by code, in the order of the codes."""
    _load()
    return dict(sorted(RULES.items()))
