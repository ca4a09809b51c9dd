"""The published directory as page models: what every page shows, in Swedish.

No jinja2 and no rich: plain data that `render.export` writes as HTML or Markdown
with the templates. Paths are site-relative without extension ("npo/akut-vard"); each
writer adds its extension and makes links relative to the page.

Names are shown as people say them (a healthcare region by its official name, "Västra
sjukvårdsregionen"), every list is in Swedish alphabetical order, a fact that carries its
own sources shows the newest one's publication date and how sure the registry is of it,
and a table column that is empty on every row is left out. The start page, the catalogue
and search pages are in `render.overview`; the history of changes in `render.changes`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ksctl import domain, kinds, layout
from ksctl.labels import CONFIDENCE_LABELS, ROLE_LABELS, STAGE_LABELS
from ksctl.registry import Entity, Registry
from ksctl.text import family_first, sort_key

if TYPE_CHECKING:
    from ksctl.history import History

ROLE = {key: label.capitalize() for key, label in ROLE_LABELS.items()}
STAGE = {key: label.capitalize() for key, label in STAGE_LABELS.items()}
KS_TYPE = {
    "nationell-riktlinje": "Nationell riktlinje",
    "vardprogram": "Nationellt vårdprogram",
    "vardriktlinje": "Vårdriktlinje",
    "vardforlopp": "Personcentrerat och sammanhållet vårdförlopp",
    "svf": "Standardiserat vårdförlopp (SVF)",
    "vip": "Vård- och insatsprogram (VIP)",
    "kliniskt-kunskapsstod": "Kliniskt kunskapsstöd",
    "behandlingsrekommendation": "Behandlingsrekommendation",
    "other": "Annat",
}
BODY_TYPE = {
    "steering-group": "Styrgrupp",
    "preparation-group": "Beredningsgrupp",
    "support-function": "Stödfunktion",
    "council": "Råd",
    "reference-group": "Referensgrupp",
    "knowledge-support-unit": "Kunskapsstödsenhet",
    "chairs-forum": "Ordförandeforum",
    "other": "Annat",
}
ORGANISATION_TYPE = {
    "association": "Förening eller förbund",
    "agency": "Myndighet",
    "cooperation": "Samverkan",
    "patient-organisation": "Patientorganisation",
    "company": "Företag",
    "university-hospital": "Universitetssjukhus",
    "university": "Universitet",
    "other": "Organisation",
}
WORKING_GROUP_STATUS = {"active": "Pågår", "dormant": "Vilande", "finished": "Avslutad"}
WORKING_GROUP_FORM = {"working-group": "Arbetsgrupp", "focus-area": "Insatsområde"}
GOVERNANCE_TOPIC = {
    "commissioning": "Uppdrag",
    "decisions": "Beslut",
    "line-responsibility": "Linjeansvar",
    "nominations": "Nominering",
    "conflict-of-interest": "Jäv",
    "programme-areas": "Programområden",
    "working-groups": "Arbetsgrupper",
    "patient-representatives": "Patient- och närståendeföreträdare",
    "municipalities": "Kommunerna",
    "knowledge-support-process": "Kunskapsstödsprocessen",
    "other": "Övrigt",
}
LEVEL = {
    "national": "Nationell nivå",
    "healthcare-regional": "Sjukvårdsregional nivå",
    "local": "Lokal nivå",
}
CONFIDENCE = CONFIDENCE_LABELS
SOURCE_COLUMN = "Källa publicerad"
HISTORY_ROWS = 20  # commits shown in an entity's section of changes
CONFIDENCE_COLUMN = "Säkerhet"


@dataclass
class Cell:
    text: str
    href: str | None = None  # site-relative page path, no extension; or an absolute URL
    meta: bool = False  # a side note to what stands before it (a date, a source)


@dataclass
class Entry:
    """One statement in words: a duty, a task, a step of a process, an open question."""

    text: str
    title: str | None = None
    meta: list[Cell] = field(default_factory=list)  # where it comes from, how sure
    lang: str = "sv"
    about: list[Cell] = field(default_factory=list)  # what it concerns


@dataclass
class Section:
    title: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    empty: str = "Inga uppgifter i registret."
    caption: str | None = None
    entries: list[Entry] = field(default_factory=list)
    lead: str | None = None  # a sentence above the table
    anchors: list[str] = field(default_factory=list)  # an id per row, where rows are linked to
    ident: str | None = None  # the section's own id

    @property
    def has_links(self) -> bool:
        """Whether a keyboard can reach the table through a link in it."""
        return any(c.href for row in self.rows for c in row)

    @property
    def is_empty(self) -> bool:
        return not self.rows and not self.entries

    def prune(self) -> None:
        """Leave out the columns (never the first) that are empty on every row."""
        if not self.rows:
            return
        keep = [
            i
            for i in range(len(self.columns))
            if i == 0 or any(i < len(r) and r[i].text for r in self.rows)
        ]
        if len(keep) == len(self.columns):
            return
        self.columns = [self.columns[i] for i in keep]
        self.rows = [[r[i] for i in keep if i < len(r)] for r in self.rows]


@dataclass(frozen=True)
class Note:
    """A free-text note from the registry and the language it is written in."""

    text: str
    lang: str = "sv"

    def __str__(self) -> str:
        return self.text


# Words that occur in almost every sentence of one language and hardly ever in the other
# (and a few that the registry's English notes use often): enough to tell an English note
# from a Swedish one, the same way on every run.
_ENGLISH = """a about after also an and any are as at be been before but by can could date does
    for formerly found from has have host how if in into is it its later may more name
    named no not now of older on one only or other our page pages same says seed seen
    shows since so some source sources still than that the their there these this those
    to until was were what when where whether which while who whose will with without
    would write written yet"""
_SWEDISH = """alla att av bara blir de dem den denna deras dess det detta efter eller en ett finns
    från för genom har hos här i icke inga inom inte kan man med men mot när och om samt
    sedan sig sin sina ska skall som till under upp ut utan var vara vid än är även
    över"""
_ENGLISH_WORDS = frozenset(_ENGLISH.split())
_SWEDISH_WORDS = frozenset(_SWEDISH.split())


def text_language(text: str) -> str:
    """The language of `text`: "en" with more English than Swedish function words, else "sv"."""
    words = re.findall(r"[^\W\d_]+", text.casefold())
    english = sum(w in _ENGLISH_WORDS for w in words)
    swedish = sum(w in _SWEDISH_WORDS for w in words)
    return "en" if english > swedish else "sv"


@dataclass
class Page:
    path: str
    title: str
    kind: str
    breadcrumbs: list[Cell] = field(default_factory=list)
    facts: list[tuple[str, list[Cell]]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    sources: list[Cell] = field(default_factory=list)
    template: str = "entity"
    extra: dict[str, Any] = field(default_factory=dict)
    context: str | None = None  # where the page's subject sits, for its <title>: a region
    lead: str | None = None  # a paragraph under the heading

    def finish(self) -> None:
        """Leave out empty columns and sections that say nothing the page needs."""
        for s in self.sections:
            s.prune()


LINK_SCHEMES = ("http", "https", "mailto", "tel")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Browsers drop tabs and line breaks inside a URL and spaces around it ("java\tscript:"),
# so an address holding any of them, or any control character, is never a link.
_UNSAFE_CHAR = re.compile(r"[\x00-\x20\x7f-\x9f]")


def safe_href(target: str | None) -> str | None:
    """`target` if it is a web, mail or phone address that may go out as a link; None for
    anything else (javascript:, data:, a scheme-relative //host, spaces or control
    characters), which the site then shows as text."""
    if not target or _UNSAFE_CHAR.search(target):
        return None
    scheme = _SCHEME.match(target)
    if scheme is None or scheme[1].lower() not in LINK_SCHEMES:
        return None
    return target


def phone_href(number: str) -> str | None:
    """A tel: link for a phone number written with spaces and dashes, if it is one."""
    digits = re.sub(r"[\s()./-]", "", number)
    return f"tel:{digits}" if re.fullmatch(r"\+?[0-9]{3,20}", digits) else None


def section_of(kind: str) -> str:
    section = kinds.get(kind).section
    assert section is not None, f"{kind} has no pages"
    return section


def page_path(kind: str, ident: str) -> str:
    if kinds.get(kind).ident == "fixed":
        return f"{section_of(kind)}/index"
    return f"{section_of(kind)}/{ident}"


def municipality_anchor(code: str) -> str:
    return f"kommun-{code}"


def display_name(entity: Entity) -> str:
    """The name people use: a healthcare region's official name ("Västra
    sjukvårdsregionen"), else the entity's own."""
    data = entity.data or {}
    if entity.kind == "healthcare-region" and data.get("official_name"):
        return str(data["official_name"])
    if entity.kind == "municipality":
        return f"{entity.label} kommun"
    return entity.label


def titled(entity: Entity) -> str:
    """A group's name as people use it, with its kind's abbreviation where the name does
    not say what it is (`Kind.titled`)."""
    return kinds.get(entity.kind).titled(display_name(entity))


def order_name(entity: Entity) -> str:
    """What a list is ordered by: the part of the name that tells entities apart (a
    region's "Region" and a healthcare region's "sjukvårdsregion" left aside), a person by
    family name."""
    if entity.kind == "region":
        return entity.label.removeprefix("Region ")
    if entity.kind == "person":
        family = (entity.data or {}).get("family_name")
        return family_first(entity.label, family if isinstance(family, str) else None)
    return entity.label


def order_key(entity: Entity) -> tuple[tuple[str, str], str]:
    return (sort_key(order_name(entity)), entity.id)


def written(value: Any) -> str:
    return "" if value is None else str(value)


class SiteBuilder:
    """Builds every page of the directory from a registry, deterministically."""

    def __init__(
        self,
        registry: Registry,
        *,
        include_private: bool = False,
        at: str = "",
        history: History | None = None,
    ) -> None:
        self.reg = registry
        self.private = include_private
        self.at = at or datetime.date.today().isoformat()
        self.history = history
        self.memo: dict[str, Any] = {}  # what more than one page needs, made once
        self._changes = history.by_ref() if history is not None else {}
        self._sorted: dict[str, list[Entity]] = {}
        # Indexes built once, so that no page scans the whole registry (export stays linear).
        self._seats: dict[str, list[tuple[str, Entity, Mapping[str, Any]]]] = {}
        self._children: dict[tuple[str, str], list[Entity]] = {}
        for kind in kinds.page_kinds():
            for entity in self.entities(kind):
                if kind in kinds.group_kinds():
                    for seat in (entity.data or {}).get("members") or []:
                        if seat.get("person"):
                            self._seats.setdefault(seat["person"], []).append((kind, entity, seat))
                if "/" in entity.id:
                    place = entity.id.split("/", 1)[0]
                    self._children.setdefault((kind, place), []).append(entity)
        self._handling_by_region: dict[str, list[Entity]] = {}
        self._handling_by_support: dict[str, list[Entity]] = {}
        for h in sorted(self.reg.of_kind("handling").values(), key=lambda e: e.id):
            region, _, ks = h.id.partition("/")
            self._handling_by_region.setdefault(region, []).append(h)
            self._handling_by_support.setdefault(ks, []).append(h)
        for table in (self._handling_by_region, self._handling_by_support):
            for key, found in table.items():
                table[key] = sorted(found, key=self._handling_order)
        self._owned: dict[str, list[Entity]] = {}
        for support in self.entities("knowledge-support"):
            owner = (support.data or {}).get("owner")
            if owner:
                self._owned.setdefault(owner, []).append(support)
        self._produced_by: dict[str, list[Entity]] = {}
        for kind in kinds.group_kinds():
            for group in self.entities(kind):
                for ks in (group.data or {}).get("knowledge_supports") or []:
                    self._produced_by.setdefault(ks, []).append(group)
        # The groups a file's path puts under another group (a NAG under its NPO or NSG).
        self._parent: dict[str, Entity] = {}
        self._under: dict[str, list[Entity]] = {}
        for kind in kinds.levelled_kinds():
            for group in self.entities(kind):
                parent = self._path_parent(group)
                if parent is not None:
                    self._parent[group.ref] = parent
                    self._under.setdefault(parent.ref, []).append(group)
        self._bodies_under: dict[str, list[Entity]] = {}
        for body in self.entities("body"):
            parent = (body.data or {}).get("parent")
            if parent:
                self._bodies_under.setdefault(parent, []).append(body)
        self._run_by: dict[str, list[Entity]] = {}
        for org in self.entities("organisation"):
            runs = (org.data or {}).get("region") or domain.region_of(org)
            if runs:
                self._run_by.setdefault(runs, []).append(org)
        self._questions: dict[str, list[Mapping[str, Any]]] = {}
        for question in self.registry_questions():
            for ref in question.get("concerns") or []:
                self._questions.setdefault(ref, []).append(question)

    def _path_parent(self, entity: Entity) -> Entity | None:
        """The group an entity's path names, if it names one (not a place)."""
        rel = entity.path.split("/", 1)[1] if "/" in entity.path else entity.path
        located = layout.locate(rel)
        for alternatives, ident in located.path_refs if located is not None else ():
            for kind in alternatives.split("|"):
                found = self.reg.get(kind, ident)
                if found is not None and kind in kinds.group_kinds():
                    return found
        return None

    def _handling_order(self, h: Entity) -> tuple[Any, ...]:
        region, _, ks = h.id.partition("/")
        r = self.reg.get("region", region)
        k = self.reg.get("knowledge-support", ks)
        return (order_key(r) if r else ((region, region), region), k.label if k else ks)

    # ------------------------------------------------------------------ helpers

    def entities(self, kind: str) -> list[Entity]:
        if kind not in self._sorted:
            self._sorted[kind] = sorted(self.reg.of_kind(kind).values(), key=order_key)
        return self._sorted[kind]

    def children(self, kind: str, place: str) -> list[Entity]:
        """Entities of `kind` whose id starts with `place/` (an LPO of a region...)."""
        return self._children.get((kind, place), [])

    def name(self, kind: str, ident: str | None) -> str:
        found = self.reg.get(kind, ident) if ident else None
        return display_name(found) if found is not None else (ident or "—")

    def link(self, kind: str, ident: str | None) -> Cell:
        if not ident:
            return Cell("—")
        entity = self.reg.get(kind, ident)
        if entity is None:
            return Cell(ident)
        if kind in kinds.page_kinds():
            return Cell(display_name(entity), page_path(kind, ident))
        if kind == "municipality":
            region = domain.region_of(entity) or ""
            return Cell(
                display_name(entity),
                f"{page_path('region', region)}#{municipality_anchor(entity.id)}",
            )
        return Cell(display_name(entity))

    def ref(self, ref: str | None) -> Cell:
        if not ref:
            return Cell("—")
        if ref == "self":
            return Cell("sig själv")
        kind, _, ident = ref.partition(":")
        return self.link(kind, ident)

    def place_of(self, entity: Entity) -> Cell | None:
        """The healthcare region or region an entity's file sits in, as a link."""
        parts = entity.path.split("/")
        for folder, kind in (("regions", "region"), ("healthcare-regions", "healthcare-region")):
            if folder in parts and parts.index(folder) + 1 < len(parts):
                return self.link(kind, parts[parts.index(folder) + 1])
        return None

    def contacts(self, data: Mapping[str, Any]) -> list[Cell]:
        cells = []
        for c in data.get("contact") or []:
            if c.get("public") or self.private:
                value = str(c["value"])
                href = {
                    "email": safe_href(f"mailto:{value}"),
                    "url": safe_href(value),
                    "phone": phone_href(value),
                }.get(c["type"])
                cells.append(Cell(value, href))
        return cells

    def evidence(self, item: Mapping[str, Any]) -> list[Cell]:
        """Where a fact with its own sources comes from: the newest source's publication
        date (linked to it), and how sure the registry is; [source, confidence] cells,
        empty text where the fact says nothing."""
        return [source_cell(item), Cell(CONFIDENCE.get(item.get("confidence") or "", ""))]

    def evidence_note(self, item: Mapping[str, Any]) -> list[Cell]:
        """The same as side notes beside a fact: "källa 2024-04-16", "säkerhet medel"."""
        source, confidence = self.evidence(item)
        out = []
        if source.text:
            out.append(Cell(f"källa {source.text}", source.href, meta=True))
        if confidence.text:
            out.append(Cell(f"säkerhet {confidence.text}", meta=True))
        return out

    def common(self, page: Page, entity: Entity) -> None:
        data = entity.data or {}
        aliases = data.get("aliases") or []
        if aliases:
            page.facts.append(("Även kallad", [Cell(", ".join(aliases))]))
        if data.get("from") or data.get("to"):
            page.facts.append(("Period", [Cell(period(data))]))
        if data.get("url"):
            page.facts.append(("Webbplats", [Cell(data["url"], safe_href(data["url"]))]))
        if data.get("confidence"):
            page.facts.append(("Säkerhet i uppgifterna", [Cell(CONFIDENCE[data["confidence"]])]))
        page.notes.extend(Note(n, text_language(n)) for n in data.get("notes") or [])
        questions = [*(data.get("open_questions") or []), *self._questions.get(entity.ref, [])]
        if questions:
            page.sections.append(self.questions(questions, besides=entity.ref))
        for s in data.get("sources") or []:
            page.sources.append(source_listing(s))
        changes = self._changes.get(entity.ref)
        if changes:
            page.sections.append(self.changes_section(changes))

    def changes_section(self, changes: list[Any]) -> Section:
        """An entity's own changes, newest first: one row per commit and line."""
        from ksctl.render.changes import grouped, link_cell

        rows: list[list[Cell]] = []
        by_revision: dict[str, list[Any]] = {}
        revisions = []
        for revision, change in changes:
            if revision.commit not in by_revision:
                revisions.append(revision)
            by_revision.setdefault(revision.commit, []).append(change)
        for revision in revisions[:HISTORY_ROWS]:
            lines = (
                ["Tillagd när registret skapades"]
                if revision.first
                else grouped(by_revision[revision.commit], revision.names, subject=False)
            )
            rows.extend([Cell(revision.date), Cell(line), link_cell(revision)] for line in lines)
        lead = None
        if len(revisions) > HISTORY_ROWS:
            lead = f"De {HISTORY_ROWS} senaste av {len(revisions)} commits som ändrat den."
        return Section(
            "Ändringar", ["Datum", "Ändring", "Commit"], rows, lead=lead, ident="andringar"
        )

    def questions(self, questions: Iterable[Mapping[str, Any]], besides: str = "") -> Section:
        """Open questions: what the sources leave open about this (`besides`: the page's own
        entity, not named again among what a question concerns)."""
        entries = []
        for q in questions:
            concerns = [self.ref(r) for r in q.get("concerns") or [] if r != besides]
            entries.append(
                Entry(
                    q["question"],
                    meta=self.evidence_note(q),
                    lang=text_language(q["question"]),
                    about=concerns,
                )
            )
        return Section("Öppna frågor", entries=entries, ident="oppna-fragor")

    def statements(self, title: str, items: Iterable[Mapping[str, Any]]) -> Section:
        entries = []
        for item in items:
            heading = item.get("name")
            if item.get("topic") and not heading:
                heading = GOVERNANCE_TOPIC.get(item["topic"], "")
            meta = self.evidence_note(item)
            if item.get("person"):
                meta = [self.link("person", item["person"]), *meta]
            if item.get("body"):
                meta = [self.link("body", item["body"]), *meta]
            entries.append(Entry(item["text"], heading, meta, text_language(item["text"])))
        return Section(title, entries=entries)

    def registry_questions(self) -> list[Mapping[str, Any]]:
        """The open questions of the registry as a whole (in ksctl.yaml)."""
        settings = self.reg.settings
        if settings is None:
            return []
        return [q.model_dump(mode="json", by_alias=True) for q in settings.open_questions]

    def crumbs(self, *cells: Cell) -> list[Cell]:
        return [Cell("Start", "index"), *cells]

    def seat_sections(self, data: Mapping[str, Any]) -> list[Section]:
        """ "Ledamöter", and when the group has them "Stöd till gruppen": the process
        leader, secretary and contact person serve the group but hold no seat in it."""
        support = self.members(data, "Stöd till gruppen", support=True)
        return [self.members(data), *([support] if support.rows else [])]

    def members(
        self, data: Mapping[str, Any], title: str = "Ledamöter", *, support: bool = False
    ) -> Section:
        """The seats held on the site's date and those that begin later ("tillträder
        <datum>"), by role then the person's family name; seats that have ended are left
        out. With `support`, the functions that serve the group instead of its seats."""
        rows = []
        seats = [
            s
            for s in domain.seats(data)
            if domain.seat_state(s, self.at, data) != "ended"
            and (s.get("role") in domain.SUPPORT_ROLES) == support
        ]
        names = {
            s["person"]: (
                order_name(p) if (p := self.reg.get("person", s["person"])) else s["person"]
            )
            for s in seats
            if s.get("person")
        }
        seats.sort(
            key=lambda s: (
                list(ROLE).index(s.get("role", "member")) if s.get("role") in ROLE else 99,
                1 if s.get("vacant") else 0,
                sort_key(names.get(s.get("person", ""), "")),
            )
        )
        for s in seats:
            who = Cell("Vakant") if s.get("vacant") else self.link("person", s.get("person"))
            rows.append(
                [
                    who,
                    Cell(ROLE.get(s.get("role", ""), s.get("role", ""))),
                    self.ref(s.get("represents")) if s.get("represents") else Cell(""),
                    Cell(s.get("function") or ""),
                    Cell(self.seat_when(s, data)),
                    *self.evidence(s),
                ]
            )
        return Section(
            title,
            ["Namn", "Roll", "Företräder", "Funktion", "Period", SOURCE_COLUMN, CONFIDENCE_COLUMN],
            rows,
            empty="Ledamöterna finns inte i registret.",
        )

    def seat_when(self, seat: Mapping[str, Any], group: Mapping[str, Any] | None = None) -> str:
        """A seat's period as a reader needs it: "tillträder <datum>" for one that has not
        begun (a vacant one "från <datum>"), "enligt källa <datum>" for one known only from
        a source's date."""
        if domain.seat_state(seat, self.at, group) == "upcoming" and seat.get("from"):
            # not yet begun: among the seats held now, it says so in its first word
            ends = seat.get("to") or domain.mandate_only_end(seat)
            begins = "tillträder" if seat.get("person") else "från"
            until = "till" if seat.get("role") in domain.SUPPORT_ROLES else "mandat till"
            return f"{begins} {seat['from']}" + (f", {until} {ends}" if ends else "")
        text = seat_period(seat)
        if seat.get("as_of") and not seat.get("from") and not seat.get("to"):
            # Known only from a source's date, and held until said otherwise: say when the
            # source is old, so that a seat from 2018 does not read as today's fact.
            known = domain.day_of(seat["as_of"])
            if known is not None and domain.stale_from(known, self.reg.policies) < domain.as_day(
                self.at
            ):
                text += f" (uppgiften är äldre än {domain.stale_years(self.reg.policies)} år)"
        return text

    def listing(self, title: str, entities: Iterable[Entity], kind: str) -> Section:
        return Section(title, ["Namn"], [[self.link(kind, e.id)] for e in entities])

    # ------------------------------------------------------------------ pages

    def pages(self) -> list[Page]:
        from ksctl.render import overview

        out = overview.pages(self)
        for kind in kinds.page_kinds():
            for entity in self.entities(kind):
                out.append(self.entity_page(entity))
        for page in out:
            page.finish()
        return out

    def index(self) -> Page:
        """The start page (see `render.overview`)."""
        from ksctl.render import overview

        return overview.index(self)

    def kind_index(self, kind: str) -> Page:
        """A kind's catalogue page (see `render.overview`)."""
        from ksctl.render import overview

        return overview.kind_index(self, kind)

    def entity_page(self, entity: Entity) -> Page:
        page = Page(page_path(entity.kind, entity.id), display_name(entity), entity.kind)
        handler = getattr(self, "_" + entity.kind.replace("-", "_"), None)
        page.facts.append(("Typ", [Cell(kinds.get(entity.kind).label)]))
        if handler is not None:
            handler(page, entity)
        elif kinds.get(entity.kind).group:
            self._group(page, entity)
        else:  # no seats, so no table of members (the system's page, a kind added as a row)
            page.breadcrumbs = self._place_crumbs(entity)
        self.common(page, entity)
        return page

    def _place_crumbs(self, entity: Entity) -> list[Cell]:
        parts = entity.path.split("/")
        if "regions" in parts:
            region = self.reg.get("region", parts[parts.index("regions") + 1])
            hr = (region.data or {}).get("healthcare_region") if region else None
            crumbs = [self.link("healthcare-region", hr)] if hr else []
            return self.crumbs(*crumbs, self.link("region", region.id if region else None))
        if "healthcare-regions" in parts:
            return self.crumbs(
                self.link("healthcare-region", parts[parts.index("healthcare-regions") + 1])
            )
        return self.crumbs(Cell(kinds.get(entity.kind).plural, f"{section_of(entity.kind)}/index"))

    def _group(self, page: Page, entity: Entity) -> None:
        data = entity.data or {}
        page.breadcrumbs = self._place_crumbs(entity)
        place = self.place_of(entity)
        if place is not None:
            page.context = place.text
        if entity.kind in ("rpo", "lpo"):
            area = domain.mirrored_area(entity)
            if self.reg.get("npo", area):
                page.facts.append(("Speglar", [self.link("npo", area)]))
            if place is not None:
                label = "Sjukvårdsregion" if entity.kind == "rpo" else "Region"
                page.facts.append((label, [place]))
            if data.get("status") == "not-established":
                page.facts.append(("Status", [Cell("Inte inrättat")]))
            if data.get("contact_person"):
                page.facts.append(("Kontaktperson", [self.link("person", data["contact_person"])]))
        if entity.kind in ("nag", "rag", "lag"):
            self._working_group(page, entity)
        elif place is not None and entity.kind not in ("rpo", "lpo"):
            page.facts.append(("Hör hemma i", [place]))
        if entity.kind == "body":
            page.facts[0] = ("Typ", [Cell(BODY_TYPE.get(data.get("type", ""), "Organ"))])
            if data.get("abbreviation"):
                page.facts.append(("Förkortning", [Cell(data["abbreviation"])]))
            if data.get("parent"):
                page.facts.append(("Hör till", [self.link("body", data["parent"])]))
            if data.get("organisation"):
                page.facts.append(
                    ("Organisation", [self.link("organisation", data["organisation"])])
                )
        for h in data.get("hosting") or []:
            page.facts.append(
                (
                    "Värd",
                    [self.ref(h.get("host")), Cell(period(h), meta=True), *self.evidence_note(h)],
                )
            )
        contact = self.contacts(data)
        if contact:
            page.facts.append(("Kontakt", contact))
        nomination = data.get("nomination")
        if nomination:
            page.facts.append(
                (
                    "Nominering öppen till",
                    [Cell(nomination["deadline"]), *self._nomination_link(nomination)],
                )
            )
            if nomination.get("competences"):
                page.facts.append(
                    ("Kompetenser som söks", [Cell(", ".join(nomination["competences"]))])
                )
        if data.get("tasks"):
            page.sections.append(self.statements("Uppgifter", data["tasks"]))
        page.sections.extend(self.seat_sections(data))
        if entity.kind == "body":
            subs = self._bodies_under.get(entity.id, [])
            if subs:
                page.sections.append(self.listing("Organ som hör hit", subs, "body"))
        groups = self._under.get(entity.ref, [])
        if groups and entity.kind != "npo":  # an NPO's page lists them in its own place
            page.sections.append(self.working_groups(kinds.get(groups[0].kind).plural, groups))
        self._history_of_seats(page, data)

    def _nomination_link(self, nomination: Mapping[str, Any]) -> list[Cell]:
        href = safe_href(nomination.get("url"))
        return [Cell("om nomineringen", href, meta=True)] if href else []

    def _history_of_seats(self, page: Page, data: Mapping[str, Any]) -> None:
        ended = [s for s in domain.seats(data) if domain.seat_state(s, self.at, data) == "ended"]
        if not ended:
            return
        rows = [
            [
                Cell("Vakant") if s.get("vacant") else self.link("person", s.get("person")),
                Cell(ROLE.get(s.get("role", ""), s.get("role", ""))),
                self.ref(s.get("represents")) if s.get("represents") else Cell(""),
                Cell(s.get("function") or ""),
                Cell(seat_period(s)),
            ]
            for s in sorted(ended, key=lambda s: written(s.get("to")), reverse=True)
        ]
        page.sections.append(
            Section(
                "Tidigare ledamöter", ["Namn", "Roll", "Företräder", "Funktion", "Period"], rows
            )
        )

    def _working_group(self, page: Page, entity: Entity) -> None:
        data = entity.data or {}
        parent = self._parent.get(entity.ref)
        if parent is not None:
            label = "Programområde" if parent.kind in ("npo", "rpo", "lpo") else "Grupp"
            page.facts.append((label, [self.link(parent.kind, parent.id)]))
        if data.get("form") == "focus-area":
            page.facts.append(("Form", [Cell("Insatsområde (utan egen arbetsgrupp)")]))
        if status := self.group_status(data):
            page.facts.append(("Status", [Cell(status)]))
        if data.get("predecessor"):
            page.facts.append(("Fortsätter arbetet i", [Cell(data["predecessor"])]))
        supports = data.get("knowledge_supports") or []
        if supports:
            found = sorted(
                (s for s in (self.reg.get("knowledge-support", k) for k in supports) if s),
                key=order_key,
            )
            page.sections.append(
                self.listing("Kunskapsstöd som gruppen tagit fram", found, "knowledge-support")
            )

    def group_status(self, data: Mapping[str, Any]) -> str:
        """A working group's status as of the site's date: one that is to begin later
        "Startar <datum>", one whose period has ended "Avslutad", whatever its file says;
        else its status."""
        start, end = domain.span(data)
        day = domain.as_day(self.at)
        if data.get("from") and start is not None and day < start:
            return f"Startar {data['from']}"
        if data.get("to") and end is not None and end < day:
            return WORKING_GROUP_STATUS["finished"]
        return WORKING_GROUP_STATUS.get(data.get("status") or "", "")

    def working_groups(self, title: str, groups: Iterable[Entity]) -> Section:
        rows = []
        for g in groups:
            data = g.data or {}
            rows.append(
                [
                    self.link(g.kind, g.id),
                    Cell(WORKING_GROUP_FORM.get(data.get("form") or "", "")),
                    Cell(self.group_status(data)),
                    Cell(period(data)),
                ]
            )
        return Section(title, ["Namn", "Form", "Status", "Period"], rows)

    def _npo(self, page: Page, entity: Entity) -> None:
        data = entity.data or {}
        page.breadcrumbs = self.crumbs(Cell(kinds.get("npo").plural, "npo/index"))
        if data.get("category") == "council":
            page.facts[0] = ("Typ", [Cell("Nationellt primärvårdsråd")])
        current = domain.hosting_at(data, self.at)
        for h in current:
            since = f"sedan {h['from']}" if h.get("from") else "sedan okänt datum"
            page.facts.append(
                ("Värd", [self.ref(h.get("host")), Cell(since, meta=True), *self.evidence_note(h)])
            )
            if h.get("dormant_host"):
                page.facts.append(
                    ("Vilande värd", [self.link("healthcare-region", h["dormant_host"])])
                )
        if not current:
            page.facts.append(("Värd", [Cell("Ingen värd i registret")]))
        if data.get("municipal_participation") is not None:
            page.facts.append(
                ("Kommuner deltar", [Cell("ja" if data["municipal_participation"] else "nej")])
            )
        reach = self.contacts(data)
        if reach:
            page.facts.append(("Kontakt", reach))
        page.sections.append(
            Section(
                "Värdskap över tid",
                ["Värd", "Vilande värd", "Period", SOURCE_COLUMN, CONFIDENCE_COLUMN],
                [
                    [
                        self.ref(h.get("host")),
                        self.link("healthcare-region", h["dormant_host"])
                        if h.get("dormant_host")
                        else Cell(""),
                        Cell(period(h)),
                        *self.evidence(h),
                    ]
                    for h in data.get("hosting") or []
                ],
            )
        )
        page.sections.extend(self.seat_sections(data))
        self._history_of_seats(page, data)
        regions_hr = self.entities("healthcare-region")
        rpo_rows = []
        for hr in regions_hr:
            rpo = self.mirror("rpo", hr.id, entity.id)
            rpo_rows.append(
                [
                    self.link("healthcare-region", hr.id),
                    self.link("rpo", rpo.id) if rpo else Cell("Saknas i registret"),
                ]
            )
        have = sum(1 for r in rpo_rows if r[1].href)
        page.sections.append(
            Section(
                "RPO i varje sjukvårdsregion",
                ["Sjukvårdsregion", "RPO"],
                rpo_rows,
                lead=f"{have} av {len(rpo_rows)} sjukvårdsregioner har ett RPO i registret.",
            )
        )
        lpo_rows = []
        have = 0
        for region in self.entities("region"):
            lpo = self.mirror("lpo", region.id, entity.id)
            if lpo is None:
                status = Cell("Saknas i registret")
            elif (lpo.data or {}).get("status") == "not-established":
                contact = (lpo.data or {}).get("contact_person")
                who = self.reg.get("person", contact) if contact else None
                status = Cell(
                    f"Inte inrättat – kontaktperson {who.label if who else '—'}",
                    page_path("lpo", lpo.id),
                )
                have += 1
            else:
                status = self.link("lpo", lpo.id)
                have += 1
            lpo_rows.append([self.link("region", region.id), status])
        page.sections.append(
            Section(
                "LPO i varje region",
                ["Region", "LPO"],
                lpo_rows,
                lead=f"{have} av {len(lpo_rows)} regioner har ett LPO eller en kontaktperson "
                "i registret.",
            )
        )
        page.sections.append(
            self.working_groups("Nationella arbetsgrupper", self._under.get(entity.ref, []))
        )
        page.sections.append(
            self.listing(
                "Kunskapsstöd",
                self._owned.get(f"npo:{entity.id}", []),
                "knowledge-support",
            )
        )

    def mirror(self, kind: str, place: str, area: str) -> Entity | None:
        return domain.mirror(self.reg, kind, place, area)

    def _healthcare_region(self, page: Page, entity: Entity) -> None:
        data = entity.data or {}
        page.breadcrumbs = self.crumbs(
            Cell(kinds.get("healthcare-region").plural, "sjukvardsregion/index")
        )
        page.facts.append(("Kortnamn", [Cell(entity.label)]))
        body = data.get("cooperation_body")
        if body:
            page.facts.append(("Samverkansorgan", [Cell(body["name"], safe_href(body.get("url")))]))
        regions = [
            r
            for r in self.entities("region")
            if (r.data or {}).get("healthcare_region") == entity.id
        ]
        page.sections.append(self.listing("Regioner", regions, "region"))
        role = {"host": "Värd", "dormant host": "Vilande värd"}
        hosted = [
            [
                self.link("npo", h.area.id),
                Cell(role[h.role]),
                Cell(written(h.hosting.get("from"))),
                *self.evidence(h.hosting),
            ]
            for h in sorted(
                domain.hosted_by(self.reg, f"healthcare-region:{entity.id}", self.at),
                key=lambda h: order_key(h.area),
            )
        ]
        page.sections.append(
            Section(
                "Värdskap för nationella programområden",
                ["Programområde", "Roll", "Sedan", SOURCE_COLUMN, CONFIDENCE_COLUMN],
                hosted,
                empty="Sjukvårdsregionen har inget värdskap i registret.",
            )
        )
        rpos = self.children("rpo", entity.id)
        areas = len(self.reg.of_kind("npo"))
        page.sections.append(
            Section(
                "Sjukvårdsregionala programområden (RPO)",
                ["Namn"],
                [[self.link("rpo", e.id)] for e in rpos],
                lead=f"{len(rpos)} av {areas} RPO finns i registret." if areas else None,
                empty="Sjukvårdsregionens RPO finns inte i registret ännu.",
            )
        )
        for kind in ("rsg", "rag"):
            found = self.children(kind, entity.id)
            if kind == "rag":
                found = [g for rpo in rpos for g in self._under.get(rpo.ref, [])]
            if found:
                page.sections.append(self.listing(kinds.get(kind).plural, found, kind))
        if data.get("governance"):
            page.sections.append(self.statements("Så styrs arbetet", data["governance"]))
        shares = data.get("participation_shares") or []
        if shares:
            page.sections.append(
                Section(
                    "Regionernas andel av sjukvårdsregionens nationella uppdrag",
                    ["Region", "Andel", "Per", SOURCE_COLUMN, CONFIDENCE_COLUMN],
                    [
                        [
                            self.link("region", s["region"]),
                            Cell(f"{s['percent']:g} %".replace(".", ",")),
                            Cell(s["as_of"]),
                            *self.evidence(s),
                        ]
                        for s in sorted(
                            shares, key=lambda s: sort_key(self.order_of("region", s["region"]))
                        )
                    ],
                )
            )
        bodies = self.children("body", entity.id)
        if bodies:
            page.sections.append(self.listing("Organ", bodies, "body"))

    def parent_of(self, entity: Entity) -> Entity | None:
        """The group a working group belongs to (its programme area, or an NSG)."""
        return self._parent.get(entity.ref)

    def order_of(self, kind: str, ident: str) -> str:
        found = self.reg.get(kind, ident)
        return order_name(found) if found is not None else ident

    def _region(self, page: Page, entity: Entity) -> None:
        data = entity.data or {}
        page.breadcrumbs = self.crumbs(
            self.link("healthcare-region", data.get("healthcare_region"))
        )
        page.facts.append(("Länskod", [Cell(data.get("county_code", ""))]))
        page.facts.append(
            ("Sjukvårdsregion", [self.link("healthcare-region", data.get("healthcare_region"))])
        )
        if data.get("local_process"):
            page.facts.append(("Lokal process", [Cell(data["local_process"])]))
        if data.get("knowledge_support_unit"):
            page.facts.append(
                ("Kunskapsstödsenhet", [self.link("body", data["knowledge_support_unit"])])
            )
        contact = self.contacts(data)
        if contact:
            page.facts.append(("Kontakt", contact))
        lpos = self.children("lpo", entity.id)
        areas = len(self.reg.of_kind("npo"))
        page.sections.append(
            Section(
                "Lokala programområden (LPO)",
                ["Namn", "Status"],
                [
                    [
                        self.link("lpo", e.id),
                        Cell(
                            "Inte inrättat"
                            if (e.data or {}).get("status") == "not-established"
                            else ""
                        ),
                    ]
                    for e in lpos
                ],
                lead=f"{len(lpos)} LPO i registret, för {areas} nationella programområden."
                if areas
                else None,
                empty="Regionens LPO finns inte i registret ännu.",
            )
        )
        for kind, title in (
            ("lsg", "Lokala samverkansgrupper"),
            ("body", "Organ"),
        ):
            found = self.children(kind, entity.id)
            if found:
                page.sections.append(self.listing(title, found, kind))
        lags = [g for lpo in lpos for g in self._under.get(lpo.ref, [])]
        if lags:
            page.sections.append(self.working_groups("Lokala arbetsgrupper", lags))
        run = self._run_by.get(entity.id, [])
        if run:
            page.sections.append(
                Section(
                    "Sjukhus och organisationer som regionen driver",
                    ["Namn", "Typ"],
                    [
                        [
                            self.link("organisation", o.id),
                            Cell(ORGANISATION_TYPE.get((o.data or {}).get("type") or "", "")),
                        ]
                        for o in run
                    ],
                )
            )
        if data.get("governance"):
            page.sections.append(self.statements("Så styrs arbetet", data["governance"]))
        handling = self._handling_by_region.get(entity.id, [])
        if handling:
            page.sections.append(
                Section(
                    "Hantering av nationella kunskapsstöd",
                    ["Kunskapsstöd", "Steg", "Nästa uppföljning"],
                    [
                        [
                            self.link("knowledge-support", h.id.split("/", 1)[1]),
                            Cell(STAGE.get((h.data or {}).get("stage", ""), "")),
                            Cell(((h.data or {}).get("follow_up") or {}).get("next") or ""),
                        ]
                        for h in handling
                    ],
                )
            )
        rows, anchors = [], []
        municipalities = sorted(
            data.get("municipalities") or [], key=lambda m: (sort_key(m["name"]), m["code"])
        )
        for m in municipalities:
            other = m.get("healthcare_region")
            rows.append(
                [
                    Cell(m["name"]),
                    Cell(m["code"]),
                    self.link("healthcare-region", other) if other else Cell(""),
                ]
            )
            anchors.append(municipality_anchor(m["code"]))
        page.sections.append(
            Section(
                f"Kommuner ({len(rows)})",
                ["Kommun", "Kommunkod", "Samverkar med annan sjukvårdsregion"],
                rows,
                anchors=anchors,
                ident="kommuner",
            )
        )

    def _organisation(self, page: Page, entity: Entity) -> None:
        data = entity.data or {}
        page.breadcrumbs = self.crumbs(Cell(kinds.get("organisation").plural, "organisation/index"))
        page.facts[0] = (
            "Typ",
            [Cell(ORGANISATION_TYPE.get(data.get("type") or "", "Organisation"))],
        )
        if data.get("abbreviation"):
            page.facts.append(("Förkortning", [Cell(data["abbreviation"])]))
        region = data.get("region") or domain.region_of(entity)
        if region:
            page.facts.append(("Drivs av", [self.link("region", region)]))

    def _person(self, page: Page, entity: Entity) -> None:
        data = entity.data or {}
        page.breadcrumbs = self._place_crumbs(entity)
        for label, key in (("Titel", "title"), ("Enhet", "unit")):
            if data.get(key):
                page.facts.append((label, [Cell(data[key])]))
        if data.get("employer"):
            page.facts.append(("Arbetsgivare", [self.ref(data["employer"])]))
        contact = self.contacts(data)
        if contact:
            page.facts.append(("Kontakt", contact))
        now: list[tuple[Any, list[Cell]]] = []
        before: list[tuple[Any, list[Cell]]] = []
        for kind, group, s in self._seats.get(entity.id, []):
            gdata = group.data or {}
            state = domain.seat_state(s, self.at, gdata)
            place = self.place_of(group)
            row = [
                Cell(titled(group), page_path(kind, group.id)),
                Cell(place.text if place else ""),
                Cell(ROLE.get(s.get("role", ""), "")),
                Cell(s.get("function") or ""),
                self.ref(s.get("represents")) if s.get("represents") else Cell(""),
                Cell(self.seat_when(s, gdata) if state != "ended" else seat_period(s)),
                *self.evidence(s),
            ]
            (before if state == "ended" else now).append((order_key(group), row))
        columns = [
            "Grupp",
            "Var",
            "Roll",
            "Funktion",
            "Företräder",
            "Period",
            SOURCE_COLUMN,
            CONFIDENCE_COLUMN,
        ]
        page.sections.append(
            Section(
                "Uppdrag",
                columns,
                [r for _, r in sorted(now, key=lambda x: x[0])],
                empty="Inga pågående eller kommande uppdrag i registret.",
            )
        )
        if before:
            page.sections.append(
                Section(
                    "Tidigare uppdrag", columns, [r for _, r in sorted(before, key=lambda x: x[0])]
                )
            )

    def _knowledge_support(self, page: Page, entity: Entity) -> None:
        data = entity.data or {}
        page.breadcrumbs = self.crumbs(
            Cell(kinds.get("knowledge-support").plural, "kunskapsstod/index")
        )
        page.facts[0] = ("Typ", [Cell(KS_TYPE.get(data.get("type", ""), ""))])
        if data.get("owner"):
            page.facts.append(("Ägare", [self.ref(data["owner"])]))
        remiss = data.get("remiss") or {}
        if remiss.get("from") or remiss.get("to"):
            page.facts.append(("Remiss", [Cell(period(remiss))]))
        if data.get("decided"):
            page.facts.append(("Beslutat", [Cell(data["decided"])]))
        producers = self._produced_by.get(entity.id, [])
        if producers:
            page.facts.append(("Framtaget av", [self.link(g.kind, g.id) for g in producers]))
        rows = []
        for h in self._handling_by_support.get(entity.id, []):
            region = h.id.partition("/")[0]
            hd = h.data or {}
            rows.append(
                [
                    self.link("region", region),
                    Cell(STAGE.get(hd.get("stage", ""), "")),
                    Cell(((hd.get("follow_up") or {}).get("next")) or ""),
                ]
            )
        page.sections.append(
            Section(
                "Regionernas hantering",
                ["Region", "Steg", "Nästa uppföljning"],
                rows,
                empty="Ingen region har registrerat sin hantering ännu.",
            )
        )

    def _system(self, page: Page, entity: Entity) -> None:
        data = entity.data or {}
        page.breadcrumbs = self.crumbs()
        page.facts = []
        levels = data.get("levels") or []
        if levels:
            page.sections.append(
                Section(
                    "Tre nivåer",
                    ["Nivå", "Uppdrag", SOURCE_COLUMN, CONFIDENCE_COLUMN],
                    [
                        [
                            Cell(LEVEL.get(lv["level"], lv["level"])),
                            Cell(lv["role"]),
                            *self.evidence(lv),
                        ]
                        for lv in levels
                    ],
                )
            )
        if data.get("duties"):
            page.sections.append(
                self.statements(
                    "Vad varje region gör med ett nationellt kunskapsstöd", data["duties"]
                )
            )
        if data.get("representation"):
            page.sections.append(
                self.statements("Vilka som deltar i grupperna", data["representation"])
            )
        history = data.get("history") or []
        if history:
            page.sections.append(
                Section(
                    "Historia",
                    ["När", "Vad hände", SOURCE_COLUMN, CONFIDENCE_COLUMN],
                    [
                        [Cell(written(h["date"])), Cell(h["event"]), *self.evidence(h)]
                        for h in history
                    ],
                    ident="historia",
                )
            )

    def site_title(self) -> str:
        settings = self.reg.settings
        return settings.site.title if settings else "Nationellt system för kunskapsstyrning"


def source_cell(item: Mapping[str, Any]) -> Cell:
    """The newest publication date among an item's own sources, linked to that source; a
    source without a date says so. Empty for an item without sources of its own."""
    sources = item.get("sources") or []
    if not sources:
        return Cell("")
    dated = [
        (day, s)
        for s in sources
        if (day := domain.day_of(s.get("published"), end=True)) is not None
    ]
    if dated:
        _, newest = max(dated, key=lambda pair: pair[0])
        return Cell(str(newest["published"]), safe_href(newest.get("url")))
    first = sources[0]
    return Cell("utan datum", safe_href(first.get("url")))


def source_listing(source: Mapping[str, Any]) -> Cell:
    text = source.get("title") or source.get("url") or source.get("document") or ""
    when = []
    if source.get("published"):
        when.append(f"publicerad {source['published']}")
    if source.get("retrieved"):
        when.append(f"hämtad {source['retrieved']}")
    if when:
        text += f" ({', '.join(when)})"
    return Cell(text, safe_href(source.get("url")))


def seat_period(seat: Mapping[str, Any]) -> str:
    """A seat's period, or for a seat known only from a source's date, "enligt källa
    <date>" (its start is unknown); a mandate given in years says when it ends."""
    if not seat.get("from") and seat.get("as_of"):
        end = f" – {seat['to']}" if seat.get("to") else ""
        return f"enligt källa {seat['as_of']}{end}"
    ends = domain.mandate_only_end(seat)
    if ends:
        return f"{seat['from']} – (mandat till {ends})"
    return period(seat)


def period(item: Mapping[str, Any]) -> str:
    start, end = item.get("from"), item.get("to")
    if not start and not end:
        return ""
    return f"{start or '…'} – {end or ''}".strip()
