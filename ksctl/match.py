"""Finding entities by the words people use: ids, official names, aliases, abbreviations.

Layer 4. Case-, diacritic- and punctuation-insensitive; tolerant of partial words ("akut",
"barn och unga") and typos (rapidfuzz). Exact beats prefix beats fuzzy; a tie between
entities is reported as ambiguous, never guessed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ksctl.errors import NoMatch
from ksctl.registry import Entity, Registry

_STOP = {"och", "i", "for", "med", "av", "vid", "samt"}
_PREFIXES = ("npo ", "rpo ", "lpo ", "nsg ", "nag ", "nationellt programomrade ")
FUZZY_ACCEPT = 88
FUZZY_SUGGEST = 50


def norm(text: str) -> str:
    """'Öron-, näs- och halssjukdomar' -> 'oron nas och halssjukdomar'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def _acronym(normalized: str) -> str | None:
    words = [w for w in normalized.split() if w not in _STOP]
    return "".join(w[0] for w in words) if len(words) > 1 else None


def keys_of(entity: Entity) -> list[str]:
    """Every normalized way to name `entity`."""
    data = entity.data or {}
    names = [entity.id, entity.id.rsplit("/", 1)[-1].replace("-", " "), entity.label]
    names += [str(a) for a in data.get("aliases") or []]
    for key in ("abbreviation", "official_name", "term"):
        if data.get(key):
            names.append(str(data[key]))
    out: list[str] = []
    for name in names:
        n = norm(name)
        if n and n not in out:
            out.append(n)
    for n in list(out):
        acronym = _acronym(n)
        if acronym and acronym not in out:
            out.append(acronym)
    return out


@dataclass(frozen=True)
class Found:
    entity: Entity
    how: str  # exact, prefix or fuzzy


def _prefix_match(query: list[str], key: str) -> bool:
    words = key.split()
    return all(any(w.startswith(q) for w in words) for q in query)


def _prefer(candidates: list[Entity], order: list[str]) -> list[Entity]:
    """Among equally good candidates of several kinds, those of the kind listed first
    ("akut" is the NPO, not the RPO or LPO that mirror it)."""
    best = min(order.index(e.kind) for e in candidates)
    return [e for e in candidates if order.index(e.kind) == best]


def find(registry: Registry, text: str, kinds: Iterable[str], what: str) -> Found:
    """The one entity of `kinds` that `text` names; raises NoMatch otherwise.

    `kinds` is in order of preference: a tie between kinds goes to the earlier kind.
    """
    order = list(kinds)
    entities = [e for k in order for e in registry.of_kind(k).values()]
    if ":" in text:
        kind, _, ident = text.partition(":")
        hit = registry.get(kind, ident)
        if hit is not None and hit in entities:
            return Found(hit, "exact")
    query = norm(text)
    for lead in _PREFIXES:
        if query.startswith(lead) and len(query) > len(lead):
            query = query[len(lead) :]
    keyed = [(e, keys_of(e)) for e in entities]
    exact = [e for e, keys in keyed if query in keys]
    exact = _prefer(exact, order) if exact else exact
    if len(exact) == 1:
        return Found(exact[0], "exact")
    if len(exact) > 1:
        raise NoMatch(text, what, _pairs(exact), ambiguous=True)
    words = query.split()
    partial = [e for e, keys in keyed if words and any(_prefix_match(words, k) for k in keys)]
    partial = _prefer(partial, order) if partial else partial
    if len(partial) == 1:
        return Found(partial[0], "prefix")
    if len(partial) > 1:
        raise NoMatch(text, what, _pairs(partial), ambiguous=True)
    scored = _fuzzy(query, keyed)
    good = [(e, s) for e, s in scored if s >= FUZZY_ACCEPT]
    if len(good) == 1 or (len(good) > 1 and good[0][1] - good[1][1] >= 6):
        return Found(good[0][0], "fuzzy")
    if good:
        raise NoMatch(text, what, _pairs([e for e, _ in good]), ambiguous=True)
    suggestions = [(e.id, e.label) for e, s in scored[:3] if s >= FUZZY_SUGGEST]
    raise NoMatch(text, what, suggestions, ambiguous=False)  # best first


def _fuzzy(query: str, keyed: list[tuple[Entity, list[str]]]) -> list[tuple[Entity, float]]:
    from rapidfuzz import fuzz, process  # only typos need it; exact and partial names don't

    best: dict[int, float] = {}
    choices: list[str] = []
    owners: list[int] = []
    for i, (_, keys) in enumerate(keyed):
        for k in keys:
            choices.append(k)
            owners.append(i)
    if not query or not choices:
        return []
    for _, score, index in process.extract(query, choices, scorer=fuzz.WRatio, limit=None):
        owner = owners[index]
        best[owner] = max(best.get(owner, 0.0), float(score))
    ranked = sorted(best.items(), key=lambda kv: (-kv[1], keyed[kv[0]][0].id))
    return [(keyed[i][0], s) for i, s in ranked]


def _pairs(entities: list[Entity]) -> list[tuple[str, str]]:
    return [(e.id, e.label) for e in sorted(entities, key=lambda e: e.id)]
