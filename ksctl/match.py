"""Finding entities by the words people use: ids, official names, aliases, abbreviations.

Case-, diacritic- and punctuation-insensitive; tolerant of partial words ("akut",
"barn och unga") and typos (rapidfuzz). Exact beats prefix beats fuzzy; a tie between
entities is reported as ambiguous, never guessed.

Acronyms ("ÖNH", made of the initials of three or more words of a name), stated
abbreviations and a glossary term's expansion match only exactly: a short key like "av"
(Akut vård) is contained in too many words for a partial or fuzzy comparison to mean
anything.

Swedish shortens compounds that share their end: "Lung- och allergisjukdomar" names
lungsjukdomar and allergisjukdomar, "Öron-, näs- och halssjukdomar" öronsjukdomar too. The
first parts and the word they share an end with are read from the names themselves
(`compounds`); a word of a query that joins such a first part to an end of that word
matches partially. A name with an alias in parentheses, as source documents write areas
("Öron-, näs- och halssjukdomar (ÖNH)"), is read as the name and the alias.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from ksctl import kinds
from ksctl.errors import NoMatch, UsageError
from ksctl.registry import Entity, Registry
from ksctl.text import sort_key

_STOP = {"och", "i", "for", "med", "av", "vid", "samt"}
# A leading kind word says which kind is meant: "RPO Akut vård" is an RPO, not the NPO
# (`kinds.leads`). Words of the domain's own vocabulary, and the kind words, are matched
# only as whole words: "region" is not a partial "Regionala cancercentrum".
_GENERIC = {
    "region",
    "regioner",
    "regional",
    "regionalt",
    "regionala",
    "sjukvardsregion",
    "kommun",
    "kommuner",
    "nationell",
    "nationellt",
    "nationella",
    "lokal",
    "lokalt",
    "lokala",
    "programomrade",
}
FUZZY_ACCEPT = 88
FUZZY_SUGGEST = 50
FUZZY_MIN_KEY = 4  # shorter keys ("skr", "onh") match only exactly
FUZZY_MIN_WORD = 4  # words compared one by one must be at least this long
# The end a shortened compound shares ("sjukdomar", "vård") is at least this long, and the
# part it replaces at least two letters: "lungar" is not "Lung- och allergisjukdomar".
COMPOUND_MIN_TAIL = 4
_SHORTENED = re.compile(r"(\w+)-,?")
_PARENTHESES = re.compile(r"\(([^()]*)\)")


def norm(text: str) -> str:
    """'Öron-, näs- och halssjukdomar' -> 'oron nas och halssjukdomar'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def _acronym(normalized: str) -> str | None:
    """'oron nas och halssjukdomar' -> 'onh'; none of two letters, which say too little
    ("av" is a word, not Akut vård)."""
    words = [w for w in normalized.split() if w not in _STOP]
    return "".join(w[0] for w in words) if len(words) > 2 else None


def compounds(name: str) -> list[tuple[str, str]]:
    """The shortened compounds of a name as (first part, the word whose end it shares),
    normalized: 'Öron-, näs- och halssjukdomar' -> [('oron', 'halssjukdomar'), ('nas',
    'halssjukdomar')]."""
    out: list[tuple[str, str]] = []
    pending: list[str] = []
    for token in name.split():
        shortened = _SHORTENED.fullmatch(token)
        if shortened:
            pending.append(norm(shortened.group(1)))
            continue
        words = norm(token).split()
        if not words or words[0] in ("och", "eller", "samt"):
            continue  # "och", "," or a dash between the parts
        out += [(part, words[0]) for part in pending if part]
        pending = []
    return out


def _completes(query_word: str, part: str, word: str) -> bool:
    """`query_word` joins `part` to an end of `word`, or to the start of one: "lungsjukdomar"
    and "lungsjukdom" for ("lung", "allergisjukdomar")."""
    tail = query_word[len(part) :]
    return query_word.startswith(part) and len(tail) >= COMPOUND_MIN_TAIL and tail in word[2:]


def _norms(texts: Iterable[object]) -> list[str]:
    return [n for n in dict.fromkeys(norm(str(t)) for t in texts if t) if n]


def _tiers(entity: Entity) -> tuple[list[str], list[str], list[str], list[str]]:
    """The keys of `entity`: its own id, name, official name or term; its stated
    abbreviation; its aliases; the acronyms of its names and a glossary term's expansion."""
    data = entity.data or {}
    own = _norms(
        [entity.id, entity.id.rsplit("/", 1)[-1].replace("-", " "), entity.label]
        + [data.get(k) for k in ("official_name", "term")]
    )
    aliases = [a for a in _norms(data.get("aliases") or []) if a not in own]
    stated = [a for a in _norms([data.get("abbreviation")]) if a not in own + aliases]
    weak = _norms([data.get("expansion")])
    for name in own + aliases:
        acronym = _acronym(_lead(name)[1])
        if acronym:
            weak.append(acronym)
    weak = [k for k in dict.fromkeys(weak) if k not in own + aliases + stated]
    return own, stated, aliases, weak


class Found(NamedTuple):
    entity: Entity
    how: str  # exact, partial or fuzzy


class _Keyed(NamedTuple):
    entity: Entity
    names: list[str]  # matched exactly, partially or with typos
    tiers: tuple[list[str], ...]  # matched exactly, strongest first
    compounds: list[tuple[str, str]]  # (first part, word) of its shortened compounds


def _word_prefix(query: str, word: str) -> bool:
    return word == query or (
        query not in _GENERIC and query not in kinds.leads() and word.startswith(query)
    )


def _prefix_match(query: list[str], key: str, shortened: Sequence[tuple[str, str]] = ()) -> bool:
    words = key.split()
    return all(
        any(_word_prefix(q, w) for w in words) or any(_completes(q, p, w) for p, w in shortened)
        for q in query
    )


def _prefer(candidates: list[Entity], order: list[str], *, across_kinds: bool) -> list[Entity]:
    """Among equally good candidates, those of the kind listed first.

    With `across_kinds`, any earlier kind wins (an exact name of an NPO beats the same name
    of a term). Otherwise only levelled groups give way ("akut" is the NPO, not the RPO or
    LPO that mirror it), and candidates of other kinds stay, to be listed as ambiguous.
    """
    if not candidates:
        return candidates
    # Groups mirror each other across levels; an NPO named like its RPOs and LPOs wins.
    levelled = kinds.levelled_kinds()
    ranked = candidates if across_kinds else [e for e in candidates if e.kind in levelled]
    if not ranked:
        return candidates
    best = min(order.index(e.kind) for e in ranked)
    return [e for e in candidates if e not in ranked or order.index(e.kind) == best]


def _lead(query: str) -> tuple[str | None, str]:
    """('rpo', 'akut vard') for 'rpo akut vard'; (None, query) without a kind word."""
    for lead, kind in kinds.leads().items():
        if query.startswith(lead + " "):
            return kind, query[len(lead) + 1 :]
    return None, query


_HOW = ("exact", "partial", "fuzzy")


def find(registry: Registry, text: str, kinds: Iterable[str], what: str) -> Found:
    """The one entity of `kinds` that `text` names; raises NoMatch otherwise.

    `kinds` is in order of preference: a tie between kinds goes to the earlier kind. A name
    with an alias in parentheses is found by either, when the other does not name
    something else; naming two things it is ambiguous. A blank `text` asks for nothing: a
    usage error, as `search` gives.
    """
    if not text.strip():
        raise UsageError(f"which {what}? give its id or name")
    order = list(kinds)
    keyed = [_keyed(e) for k in order for e in registry.of_kind(k).values()]
    inner = [p.strip() for p in _PARENTHESES.findall(text) if p.strip()]
    outer = _PARENTHESES.sub(" ", text).strip()
    if not inner or not outer:
        return _find(registry, text, order, what, keyed)
    whole: Found | NoMatch
    try:  # exactly or partially: a typo is looked for in the parts
        whole = _find(registry, text, order, what, keyed, fuzzy=False)
    except NoMatch as exc:
        whole = exc
    if isinstance(whole, Found) and whole.how == "exact":
        return whole
    readings: list[Found] = []
    for part in [outer, *inner]:
        try:
            readings.append(_find(registry, part, order, what, keyed))
        except NoMatch:
            continue
    if not readings:
        return whole if isinstance(whole, Found) else _find(registry, text, order, what, keyed)
    best = min(_HOW.index(f.how) for f in readings)
    strongest = _distinct([f.entity for f in readings if _HOW.index(f.how) == best])
    if len(strongest) > 1:
        raise NoMatch(text, what, _pairs(strongest), ambiguous=True)
    # A weaker reading of another entity makes the stronger one no more than partial.
    agreed = len(_distinct([f.entity for f in readings])) == 1
    return Found(strongest[0], _HOW[best if agreed else max(best, 1)])


def _distinct(entities: list[Entity]) -> list[Entity]:
    return list({(e.kind, e.id): e for e in entities}.values())


def _find(
    registry: Registry,
    text: str,
    order: list[str],
    what: str,
    keyed: list[_Keyed],
    *,
    fuzzy: bool = True,
) -> Found:
    if ":" in text:
        kind, _, ident = text.partition(":")
        hit = registry.get(kind, ident) if kind in order else None
        if hit is not None:
            return Found(hit, "exact")
    query = norm(text)
    lead, rest = _lead(query)
    if lead is not None:
        # An exact name with its kind word ("RPO Akut vård") wins; otherwise the kind word
        # narrows the search to that kind, when it is one asked for.
        exact = _exact(query, keyed, order)
        if exact:
            return _one(exact, text, what, "exact")
        query = rest
        if lead in order:
            keyed = [k for k in keyed if k.entity.kind == lead]
    exact = _exact(query, keyed, order)
    if exact:
        return _one(exact, text, what, "exact")
    words = query.split()
    # Words as typed, then with two neighbours joined: "öron sjukdomar" is öronsjukdomar.
    for variant in [words] + [
        [*words[:i], words[i] + words[i + 1], *words[i + 2 :]] for i in range(len(words) - 1)
    ]:
        partial = [
            k.entity
            for k in keyed
            if variant and any(_prefix_match(variant, n, k.compounds) for n in k.names)
        ]
        if partial:
            return _one(_prefer(partial, order, across_kinds=False), text, what, "partial")
    if not fuzzy:
        raise NoMatch(text, what, [], ambiguous=False)
    scored = _fuzzy(query, keyed)
    good = sorted(((e, a) for e, a, _ in scored if a >= FUZZY_ACCEPT), key=lambda t: -t[1])
    if len(good) == 1 or (len(good) > 1 and good[0][1] - good[1][1] >= 6):
        return Found(good[0][0], "fuzzy")
    if good:
        close = [e for e, a in good if good[0][1] - a < 6]
        return _one(_prefer(close, order, across_kinds=False), text, what, "fuzzy")
    near = [e for e, _, s in scored[:3] if s >= FUZZY_SUGGEST]
    via = {e.id: other for e in near if (other := _resembling(e, query)) is not None}
    raise NoMatch(text, what, [(e.kind, e.id, e.label) for e in near], ambiguous=False, via=via)


def _resembling(entity: Entity, query: str) -> str | None:
    """The other name of a suggestion that resembles the query more than its own does
    ('Endokrinologi' for kardiologi, suggesting Endokrina sjukdomar), or None."""
    from rapidfuzz import fuzz

    data = entity.data or {}
    written = [str(n) for n in (data.get("official_name"), *(data.get("aliases") or [])) if n]
    best = max(written, key=lambda n: fuzz.WRatio(query, norm(n)), default=None)
    if best is None or fuzz.WRatio(query, norm(best)) <= fuzz.WRatio(query, norm(entity.label)):
        return None
    return best


def _keyed(entity: Entity) -> _Keyed:
    own, stated, aliases, weak = _tiers(entity)
    data = entity.data or {}
    written = [entity.label, data.get("official_name"), *(data.get("aliases") or [])]
    shortened = [c for name in written if isinstance(name, str) for c in compounds(name)]
    return _Keyed(
        entity,
        list(dict.fromkeys(own + aliases)),
        (own + stated, aliases, weak),
        list(dict.fromkeys(shortened)),
    )


def _exact(query: str, keyed: list[_Keyed], order: list[str]) -> list[Entity]:
    """The entities `query` names exactly: by their own name or abbreviation before an
    alias, by an alias before an acronym ("RSS" is the term, not the acronym of "RPO
    Sällsynta sjukdomar"; "RCC i samverkan" the organisation, not the NPO's alias)."""
    for tier in range(3):
        hits = [k.entity for k in keyed if query in k.tiers[tier]]
        if hits:
            return _prefer(hits, order, across_kinds=True)
    return []


def _one(candidates: list[Entity], text: str, what: str, how: str) -> Found:
    if len(candidates) == 1:
        return Found(candidates[0], how)
    raise NoMatch(text, what, _pairs(candidates), ambiguous=True)


def _similarity(query: str, key: str) -> float:
    """How close `query` is to the whole of `key`, 0-100, as a typo: the edit similarity of
    the whole (words in any order), or, word by word, that of the worst-matched word of the
    query. A short key inside a long query, or the reverse, scores low."""
    from rapidfuzz import fuzz  # only typos need it; exact and partial names don't

    if len(key) < FUZZY_MIN_KEY:
        return 0.0
    whole = max(fuzz.ratio(query, key), fuzz.token_sort_ratio(query, key))
    words = [w for w in query.split() if w not in _STOP]
    key_words = [w for w in key.split() if len(w) >= FUZZY_MIN_WORD]
    if not words or not key_words:
        return whole
    worst = 100.0
    for q in words:
        if any(_word_prefix(q, w) for w in key.split()):
            continue
        if len(q) < FUZZY_MIN_WORD:
            return whole
        worst = min(worst, max(fuzz.ratio(q, w) for w in key_words))
    return max(whole, worst)


def _fuzzy(query: str, keyed: list[_Keyed]) -> list[tuple[Entity, float, float]]:
    """Every entity with its best typo score and its score as a suggestion, best
    suggestion first; a suggestion may also be a longer name the query is found in."""
    from rapidfuzz import fuzz

    if not query:
        return []
    out = []
    for k in keyed:
        accept = max((_similarity(query, n) for n in k.names), default=0.0)
        suggest = max(
            (fuzz.WRatio(query, n) for n in k.names if len(n) >= FUZZY_MIN_KEY), default=0.0
        )
        out.append((k.entity, accept, max(accept, suggest)))
    out.sort(key=lambda t: (-t[2], t[0].id))
    return out


def _pairs(entities: list[Entity]) -> list[tuple[str, str, str]]:
    """Candidates as (kind, id, name), in Swedish alphabetical order of their names."""
    ordered = sorted(entities, key=lambda e: (sort_key(e.label), e.id))
    return [(e.kind, e.id, e.label) for e in ordered]
