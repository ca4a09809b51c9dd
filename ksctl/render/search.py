"""Search that scales: every entity (municipalities and glossary terms included) in an
inverted index split into small files (words by their first letters, items in chunks), so
that a reader downloads the search page, its script, a word file per word typed and the
chunks of the hits shown before the first result, however large the registry. Without
JavaScript, the pages "Alla namn A–Ö" list every name.

Results are ranked as people expect: matches in names before matches in notes, then
programme areas and groups before places, organisations and knowledge supports, people
last; then an exact name before a name that starts with the words, then Swedish order.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ksctl import domain, kinds
from ksctl.render.site import Cell, Page, Section, display_name, municipality_anchor, page_path
from ksctl.text import norm, sort_key

if TYPE_CHECKING:
    from ksctl.render.site import SiteBuilder

INDEX_DIR = "static/sok"  # the index's files (see `index_files`)
PREFIX = 2  # letters: a query word needs this many before it is looked up
TRIE = 3  # letters of a word file's name: a word typed this long has all its hits
TOP = 100  # the hits a query of two letters gets, and the most a result list shows
CHUNK = 100  # items per chunk file

# Swedish letters get pages of their own after z; their file names stay ASCII.
LETTER_SLUG = {"å": "aa", "ä": "ae", "ö": "oe", "#": "0-9"}


@dataclass(frozen=True)
class Item:
    text: str  # the name shown
    kind: str  # the kind's Swedish label
    href: str  # site path (no extension), maybe with a #fragment
    context: str  # where it sits: a region, a programme area
    names: str  # the normalized words of its names, aliases and abbreviation
    notes: str  # the normalized words of its notes and seat functions
    tier: int  # the kind's rank (lower first)
    order: tuple[str, str]  # Swedish order of the name


def _tiers() -> dict[str, int]:
    """Programme areas and groups first (national to local, bodies last of them), then the
    places, organisations, knowledge supports, the system, the glossary; people last."""
    groups = kinds.group_kinds()
    rest = ("healthcare-region", "region", "municipality", "organisation", "knowledge-support")
    tail = ("system", "term", "person")
    order = [
        *groups,
        *rest,
        *(k for k in kinds.entity_kinds() if k not in (*groups, *rest, *tail)),
        *tail,
    ]
    return {k: i for i, k in enumerate(order)}


def items(builder: SiteBuilder) -> list[Item]:
    """Every searchable thing (made once per builder: the pages A–Ö and the index share it)."""
    found = builder.memo.get("search")
    if found is None:
        found = builder.memo["search"] = _items(builder)
    result: list[Item] = found
    return result


def _items(builder: SiteBuilder) -> list[Item]:
    from ksctl.render.overview import term_anchor

    tiers = _tiers()
    out: list[Item] = []
    for kind in kinds.page_kinds():
        for e in builder.entities(kind):
            data = e.data or {}
            names = [
                display_name(e),
                e.label,
                *(data.get("aliases") or []),
                str(data.get("abbreviation") or ""),
            ]
            notes = [*(data.get("notes") or [])]
            if kind == "person":
                notes.append(str(data.get("title") or ""))
            for seat in data.get("members") or []:
                notes.append(str(seat.get("function") or ""))
            place = builder.place_of(e)
            context = place.text if place and place.text != display_name(e) else ""
            out.append(
                Item(
                    display_name(e),
                    kinds.get(kind).label,
                    page_path(kind, e.id),
                    context,
                    _words(names),
                    _words(notes),
                    tiers.get(kind, len(tiers)),
                    sort_key(display_name(e)),
                )
            )
    for m in sorted(
        builder.reg.of_kind("municipality").values(), key=lambda m: (sort_key(m.label), m.id)
    ):
        region = domain.region_of(m) or ""
        out.append(
            Item(
                display_name(m),
                "Kommun",
                f"{page_path('region', region)}#{municipality_anchor(m.id)}",
                builder.name("region", region),
                _words([m.label, m.id]),
                "",
                tiers["municipality"],
                sort_key(m.label),
            )
        )
    for t in sorted(builder.reg.of_kind("term").values(), key=lambda t: (sort_key(t.label), t.id)):
        data = t.data or {}
        out.append(
            Item(
                str(data.get("term") or t.label),
                "Ordlista",
                f"ordlista#{term_anchor(t.id)}",
                str(data.get("expansion") or ""),
                _words([str(data.get("term") or ""), str(data.get("expansion") or "")]),
                _words([str(data.get("explanation") or "")]),
                tiers["term"],
                sort_key(t.label),
            )
        )
    return out


def _words(texts: list[str]) -> str:
    seen: dict[str, None] = {}
    for text in texts:
        for word in norm(text).split():
            seen.setdefault(word, None)
    return " ".join(seen)


def letter_of(item: Item) -> str:
    first = sort_key(item.text)[0][:1]
    back = {"{": "å", "|": "ä", "}": "ö"}
    letter = back.get(first, first)
    return letter if letter.isalpha() else "#"


def letter_slug(letter: str) -> str:
    return LETTER_SLUG.get(letter, letter)


def _letters(found: list[Item]) -> dict[str, list[Item]]:
    by_letter: dict[str, list[Item]] = {}
    for item in found:
        by_letter.setdefault(letter_of(item), []).append(item)
    for letter in by_letter:
        by_letter[letter].sort(key=lambda i: (i.order, i.href))
    order = sorted(by_letter, key=lambda letter: sort_key(letter) if letter != "#" else ("~", ""))
    return {letter: by_letter[letter] for letter in order}


def pages(builder: SiteBuilder) -> list[Page]:
    found = items(builder)
    letters = _letters(found)
    links = [
        Cell(letter.upper() if letter != "#" else "0–9", f"alla/{letter_slug(letter)}")
        for letter in letters
    ]
    page = Page("sok", "Sök i katalogen", "search", template="search")
    page.breadcrumbs = builder.crumbs()
    page.extra["letters"] = links
    page.extra["count"] = len(found)
    out = [page]
    for letter, shown in letters.items():
        name = letter.upper() if letter != "#" else "0–9"
        lp = Page(f"alla/{letter_slug(letter)}", f"Alla namn: {name}", "letter", template="letter")
        lp.breadcrumbs = builder.crumbs(Cell("Sök", "sok"))
        lp.extra["letters"] = links
        lp.sections.append(
            Section(
                "",
                ["Namn", "Typ", "Var"],
                [[Cell(i.text, i.href), Cell(i.kind), Cell(i.context)] for i in shown],
            )
        )
        out.append(lp)
    return out


def ranked(builder: SiteBuilder) -> list[Item]:
    """The items in rank order: an item's number in this list is its id in the index, so
    that the lower id is the better hit (kind first, then Swedish order)."""
    return sorted(items(builder), key=lambda i: (i.tier, i.order, i.href))


def _deltas(ids: list[int]) -> list[int]:
    """Sorted ids as the first and the steps between them: small numbers, short files."""
    return [b - a for a, b in zip([0, *ids], ids, strict=False)]


def ids_of(deltas: list[int]) -> list[int]:
    """The ids an index file's steps stand for, as the site's search.js reads them: for
    the tests and the benchmark, which read an index as the browser does."""
    return list(itertools.accumulate(deltas))


def _postings(found: list[Item]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    names: dict[str, list[int]] = {}
    notes: dict[str, list[int]] = {}
    for n, item in enumerate(found):
        own = item.names.split()
        for word in own:
            names.setdefault(word, []).append(n)
        for word in item.notes.split():
            if word not in own:
                notes.setdefault(word, []).append(n)
    return names, notes


def _script(name: str, doc: object) -> str:
    data = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return f'ksctlSok("{name}",{data});\n'


def index_files(builder: SiteBuilder) -> Iterator[tuple[str, str]]:
    """The index as (path, text) files, each a script calling `ksctlSok(name, data)` (so
    that the search also works from a folder on disk, where a page may not fetch files):

    - `w-<abc>.js`: for every word starting with those three letters, the ids of the
      items whose names (and, apart, whose notes) hold it;
    - `t-<ab>.js`: for a query of two letters, the best ids among all words starting with
      them and how many there are, and the words of just two letters;
    - `i-<n>.js`: the items with ids from n × CHUNK on: name, kind, page, place, the words
      of its names, its rank.

    A reader downloads the page, its script, one word file per word typed and the chunks of
    the hits shown, however large the registry."""
    found = ranked(builder)
    names, notes = _postings(found)
    for prefix in sorted({w[:TRIE] for w in (*names, *notes) if len(w) >= TRIE}):
        doc: dict[str, Any] = {
            "names": {w: _deltas(ids) for w, ids in names.items() if w[:TRIE] == prefix},
            "notes": {w: _deltas(ids) for w, ids in notes.items() if w[:TRIE] == prefix},
        }
        yield f"{INDEX_DIR}/w-{prefix}.js", _script(f"w-{prefix}", doc)
    for prefix in sorted({w[:PREFIX] for w in (*names, *notes) if len(w) >= PREFIX}):
        named = sorted({n for w, ids in names.items() if w.startswith(prefix) for n in ids})
        noted = sorted(
            {n for w, ids in notes.items() if w.startswith(prefix) for n in ids} - set(named)
        )
        doc = {
            "top": _deltas((named + noted)[:TOP]),
            "named": min(len(named), TOP),
            "count": len(named) + len(noted),
            "names": {w: _deltas(ids) for w, ids in names.items() if w == prefix},
            "notes": {w: _deltas(ids) for w, ids in notes.items() if w == prefix},
        }
        yield f"{INDEX_DIR}/t-{prefix}.js", _script(f"t-{prefix}", doc)
    labels = sorted({i.kind for i in found})
    for start in range(0, len(found), CHUNK):
        chunk = found[start : start + CHUNK]
        doc = {
            "kinds": labels,
            # [name, kind, page, place, name words, rank of its kind]
            "items": [
                [i.text, labels.index(i.kind), i.href, i.context, i.names, i.tier] for i in chunk
            ],
        }
        yield f"{INDEX_DIR}/i-{start // CHUNK}.js", _script(f"i-{start // CHUNK}", doc)
