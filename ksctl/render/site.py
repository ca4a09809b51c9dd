"""The published directory as page models: what every page shows, in Swedish.

No jinja2 and no rich: plain data that `render.export` writes as HTML or Markdown
with the templates. Paths are site-relative without extension ("npo/akut-vard"); each
writer adds its extension and makes links relative to the page.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ksctl import domain, kinds
from ksctl.labels import ROLE_LABELS, STAGE_LABELS
from ksctl.registry import Entity, Registry
from ksctl.text import norm, sort_key

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
CONFIDENCE = {"high": "hög", "medium": "medel", "low": "låg"}


@dataclass
class Cell:
    text: str
    href: str | None = None  # site-relative page path, no extension; or an absolute URL


@dataclass
class Section:
    title: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    empty: str = "Inga uppgifter i registret."
    caption: str | None = None

    @property
    def has_links(self) -> bool:
        """Whether a keyboard can reach the table through a link in it."""
        return any(c.href for row in self.rows for c in row)


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


def _section(kind: str) -> str:
    section = kinds.get(kind).section
    assert section is not None, f"{kind} has no pages"
    return section


def page_path(kind: str, ident: str) -> str:
    return f"{_section(kind)}/{ident}"


class SiteBuilder:
    """Builds every page of the directory from a registry, deterministically."""

    def __init__(self, registry: Registry, *, include_private: bool = False, at: str = "") -> None:
        self.reg = registry
        self.private = include_private
        self.at = at or datetime.date.today().isoformat()
        self._sorted: dict[str, list[Entity]] = {}
        # Indexes built once, so that no page scans the whole registry (export stays linear).
        self._seats: dict[str, list[tuple[str, Entity, Mapping[str, Any]]]] = {}
        self._children: dict[tuple[str, str], list[Entity]] = {}
        for kind in kinds.group_kinds():
            for group in self.entities(kind):
                for seat in (group.data or {}).get("members") or []:
                    if seat.get("person"):
                        self._seats.setdefault(seat["person"], []).append((kind, group, seat))
                if "/" in group.id:
                    place = group.id.split("/", 1)[0]
                    self._children.setdefault((kind, place), []).append(group)
        self._handling_by_region: dict[str, list[Entity]] = {}
        self._handling_by_support: dict[str, list[Entity]] = {}
        for h in sorted(self.reg.of_kind("handling").values(), key=lambda e: e.id):
            region, _, ks = h.id.partition("/")
            self._handling_by_region.setdefault(region, []).append(h)
            self._handling_by_support.setdefault(ks, []).append(h)
        self._owned: dict[str, list[Entity]] = {}
        for support in self.entities("knowledge-support"):
            owner = (support.data or {}).get("owner")
            if owner:
                self._owned.setdefault(owner, []).append(support)

    # ------------------------------------------------------------------ helpers

    def entities(self, kind: str) -> list[Entity]:
        if kind not in self._sorted:
            self._sorted[kind] = sorted(
                self.reg.of_kind(kind).values(), key=lambda e: (sort_key(e.label), e.id)
            )
        return self._sorted[kind]

    def children(self, kind: str, place: str) -> list[Entity]:
        """Entities of `kind` whose id starts with `place/` (an LPO of a region...)."""
        return self._children.get((kind, place), [])

    def link(self, kind: str, ident: str | None) -> Cell:
        if not ident:
            return Cell("—")
        entity = self.reg.get(kind, ident)
        if entity is None:
            return Cell(ident)
        if kind in kinds.page_kinds():
            return Cell(entity.label, page_path(kind, ident))
        if kind == "municipality":
            region = entity.path.split("/regions/", 1)[1].split("/", 1)[0]
            return Cell(f"{entity.label} kommun", page_path("region", region))
        return Cell(entity.label)

    def ref(self, ref: str | None) -> Cell:
        if not ref:
            return Cell("—")
        if ref == "self":
            return Cell("sig själv")
        kind, _, ident = ref.partition(":")
        return self.link(kind, ident)

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
        for s in data.get("sources") or []:
            text = s.get("title") or s.get("url") or s.get("document") or ""
            if s.get("retrieved"):
                text += f" (hämtad {s['retrieved']})"
            page.sources.append(Cell(text, safe_href(s.get("url"))))

    def crumbs(self, *cells: Cell) -> list[Cell]:
        return [Cell("Start", "index"), *cells]

    def members(self, data: Mapping[str, Any], title: str = "Ledamöter") -> Section:
        """The seats held on the site's date and those that begin later ("från <datum>"), by
        role then the person's family name; seats that have ended are left out."""
        rows = []
        seats = [s for s in domain.seats(data) if domain.seat_state(s, self.at, data) != "ended"]
        names = {
            s["person"]: (p.label if (p := self.reg.get("person", s["person"])) else s["person"])
            for s in seats
            if s.get("person")
        }
        seats.sort(
            key=lambda s: (
                list(ROLE).index(s.get("role", "member")) if s.get("role") in ROLE else 99,
                1 if s.get("vacant") else 0,
                _family_first(names.get(s.get("person", ""), "")),
            )
        )
        for s in seats:
            who = Cell("Vakant") if s.get("vacant") else self.link("person", s.get("person"))
            upcoming = domain.seat_state(s, self.at, data) == "upcoming"
            rows.append(
                [
                    Cell(ROLE.get(s.get("role", ""), s.get("role", ""))),
                    who,
                    self.ref(s.get("represents")) if s.get("represents") else Cell(""),
                    Cell(s.get("function") or ""),
                    Cell(f"från {s.get('from')}" if upcoming else seat_period(s)),
                ]
            )
        return Section(
            title,
            ["Roll", "Namn", "Företräder", "Funktion", "Period"],
            rows,
            empty="Ledamöterna finns inte i registret.",
        )

    def listing(self, title: str, entities: Iterable[Entity], kind: str) -> Section:
        return Section(title, ["Namn"], [[self.link(kind, e.id)] for e in entities])

    # ------------------------------------------------------------------ pages

    def pages(self) -> list[Page]:
        out = [self.index(), self.glossary(), self.search()]
        for kind in kinds.page_kinds():
            out.append(self.kind_index(kind))
            for entity in self.entities(kind):
                out.append(self.entity_page(entity))
        return out

    def entity_page(self, entity: Entity) -> Page:
        page = Page(page_path(entity.kind, entity.id), entity.label, entity.kind)
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
        return self.crumbs(Cell(kinds.get(entity.kind).plural, f"{_section(entity.kind)}/index"))

    def _group(self, page: Page, entity: Entity) -> None:
        data = entity.data or {}
        page.breadcrumbs = self._place_crumbs(entity)
        if entity.kind in ("rpo", "lpo"):
            area = data.get("mirrors") or entity.id.rsplit("/", 1)[-1]
            if self.reg.get("npo", area):
                page.facts.append(("Speglar", [self.link("npo", area)]))
            if data.get("status") == "not-established":
                page.facts.append(("Status", [Cell("Inte inrättat")]))
            if data.get("contact_person"):
                page.facts.append(("Kontaktperson", [self.link("person", data["contact_person"])]))
        if entity.kind in ("nag", "rag", "lag"):
            area = entity.id.split("/")[-2]
            if self.reg.get("npo", area):
                page.facts.append(("Programområde", [self.link("npo", area)]))
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
            page.facts.append(("Värd", [self.ref(h.get("host")), Cell(period(h))]))
        contact = self.contacts(data)
        if contact:
            page.facts.append(("Kontakt", contact))
        nomination = data.get("nomination")
        if nomination:
            page.facts.append(("Nominering öppen till", [Cell(nomination["deadline"])]))
            if nomination.get("competences"):
                page.facts.append(
                    ("Kompetenser som söks", [Cell(", ".join(nomination["competences"]))])
                )
        page.sections.append(self.members(data))

    def _npo(self, page: Page, entity: Entity) -> None:
        data = entity.data or {}
        page.breadcrumbs = self.crumbs(Cell(kinds.get("npo").plural, "npo/index"))
        if data.get("category") == "council":
            page.facts[0] = ("Typ", [Cell("Nationellt primärvårdsråd")])
        current = domain.hosting_at(data, self.at)
        for h in current:
            page.facts.append(("Värd", [self.ref(h.get("host"))]))
            if h.get("dormant_host"):
                page.facts.append(
                    ("Vilande värd", [self.link("healthcare-region", h["dormant_host"])])
                )
            page.facts.append(("Värd sedan", [Cell(h.get("from") or "okänt")]))
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
                ["Värd", "Vilande värd", "Period"],
                [
                    [
                        self.ref(h.get("host")),
                        self.link("healthcare-region", h["dormant_host"])
                        if h.get("dormant_host")
                        else Cell(""),
                        Cell(period(h)),
                    ]
                    for h in data.get("hosting") or []
                ],
            )
        )
        page.sections.append(self.members(data))
        rpo_rows = []
        for hr in self.entities("healthcare-region"):
            rpo = self.mirror("rpo", hr.id, entity.id)
            rpo_rows.append(
                [
                    self.link("healthcare-region", hr.id),
                    self.link("rpo", rpo.id) if rpo else Cell("Saknas i registret"),
                ]
            )
        page.sections.append(
            Section("RPO i varje sjukvårdsregion", ["Sjukvårdsregion", "RPO"], rpo_rows)
        )
        lpo_rows = []
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
            else:
                status = self.link("lpo", lpo.id)
            lpo_rows.append([self.link("region", region.id), status])
        page.sections.append(Section("LPO i varje region", ["Region", "LPO"], lpo_rows))
        page.sections.append(
            self.listing(
                "Nationella arbetsgrupper",
                self.children("nag", entity.id),
                "nag",
            )
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
        page.facts.append(("Officiellt namn", [Cell(data.get("official_name", ""))]))
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
            [self.link("npo", h.area.id), Cell(role[h.role]), Cell(h.hosting.get("from") or "")]
            for h in sorted(
                domain.hosted_by(self.reg, f"healthcare-region:{entity.id}", self.at),
                key=lambda h: (sort_key(h.area.label), h.area.id),
            )
        ]
        page.sections.append(
            Section(
                "Värdskap för nationella programområden", ["Programområde", "Roll", "Sedan"], hosted
            )
        )
        page.sections.append(
            self.listing(
                "Sjukvårdsregionala programområden (RPO)",
                self.children("rpo", entity.id),
                "rpo",
            )
        )
        shares = data.get("participation_shares") or []
        if shares:
            page.sections.append(
                Section(
                    "Regionernas andel av sjukvårdsregionens nationella uppdrag",
                    ["Region", "Andel", "Per"],
                    [
                        [
                            self.link("region", s["region"]),
                            Cell(f"{s['percent']:g} %"),
                            Cell(s["as_of"]),
                        ]
                        for s in shares
                    ],
                )
            )
        bodies = self.children("body", entity.id)
        if bodies:
            page.sections.append(self.listing("Organ", bodies, "body"))

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
        page.sections.append(
            self.listing(
                "Lokala programområden (LPO)",
                self.children("lpo", entity.id),
                "lpo",
            )
        )
        for kind, title in (
            ("lsg", "Lokala samverkansgrupper"),
            ("lag", "Lokala arbetsgrupper"),
            ("body", "Organ"),
        ):
            found = self.children(kind, entity.id)
            if found:
                page.sections.append(self.listing(title, found, kind))
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
        rows = []
        for m in data.get("municipalities") or []:
            other = m.get("healthcare_region")
            rows.append(
                [
                    Cell(m["code"]),
                    Cell(m["name"]),
                    self.link("healthcare-region", other) if other else Cell(""),
                ]
            )
        page.sections.append(
            Section(
                f"Kommuner ({len(rows)})",
                ["Kod", "Kommun", "Samverkar med annan sjukvårdsregion"],
                rows,
            )
        )

    def _organisation(self, page: Page, entity: Entity) -> None:
        data = entity.data or {}
        page.breadcrumbs = self.crumbs(Cell(kinds.get("organisation").plural, "organisation/index"))
        if data.get("abbreviation"):
            page.facts.append(("Förkortning", [Cell(data["abbreviation"])]))

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
        rows = []
        for kind, group, s in self._seats.get(entity.id, []):
            rows.append(
                [
                    self.link(kind, group.id),
                    Cell(ROLE.get(s.get("role", ""), "")),
                    self.ref(s.get("represents")) if s.get("represents") else Cell(""),
                    Cell(period(s)),
                ]
            )
        page.sections.append(Section("Uppdrag", ["Grupp", "Roll", "Företräder", "Period"], rows))

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
            Section("Regionernas hantering", ["Region", "Steg", "Nästa uppföljning"], rows)
        )

    def kind_index(self, kind: str) -> Page:
        page = Page(f"{_section(kind)}/index", kinds.get(kind).plural, "index")
        page.breadcrumbs = self.crumbs()
        rows = []
        for e in self.entities(kind):
            row = [self.link(kind, e.id)]
            if kind == "npo":
                hosting = domain.hosting_at(e.data or {}, self.at)
                row.append(self.ref(hosting[0].get("host")) if hosting else Cell("—"))
            rows.append(row)
        page.sections.append(
            Section(
                "", ["Namn", *(["Värd"] if kind == "npo" else [])], rows, empty="Inga i registret."
            )
        )
        return page

    def glossary(self) -> Page:
        page = Page("ordlista", "Ordlista", "glossary")
        page.breadcrumbs = self.crumbs()
        terms = sorted(self.reg.of_kind("term").values(), key=lambda e: sort_key(e.label))
        page.sections.append(
            Section(
                "",
                ["Förkortning", "Betydelse", "Förklaring"],
                [
                    [
                        Cell((t.data or {}).get("term", "")),
                        Cell((t.data or {}).get("expansion", "")),
                        Cell((t.data or {}).get("explanation", "")),
                    ]
                    for t in terms
                ],
            )
        )
        return page

    def search(self) -> Page:
        page = Page("sok", "Sök i katalogen", "search", template="search")
        page.breadcrumbs = self.crumbs()
        items = []
        for kind in kinds.page_kinds():
            for e in self.entities(kind):
                data = e.data or {}
                words = [
                    e.label,
                    *(data.get("aliases") or []),
                    data.get("abbreviation") or "",
                    data.get("title") or "",
                ]
                items.append(
                    {
                        "text": e.label,
                        "kind": kinds.get(kind).label,
                        "href": page_path(kind, e.id),
                        "key": norm(" ".join(words)),
                    }
                )
        page.extra["items"] = items
        return page

    def index(self) -> Page:
        page = Page("index", self.site_title(), "start", template="index")
        counts = {k: len(self.reg.of_kind(k)) for k in kinds.page_kinds()}
        page.extra["counts"] = counts
        regions = self.entities("healthcare-region")
        hosts = [Cell(hr.label, page_path("healthcare-region", hr.id)) for hr in regions]
        skr = self.reg.get("organisation", "skr")
        columns = [
            *hosts,
            *([Cell(skr.label if skr else "SKR", "organisation/skr")] if skr else []),
        ]
        rows = []
        for area in self.entities("npo"):
            current = domain.hosting_at(area.data or {}, self.at)
            cells = []
            for hr in regions:
                mark = ""
                for h in current:
                    if h.get("host") == f"healthcare-region:{hr.id}":
                        mark = "Värd"
                    elif h.get("dormant_host") == hr.id:
                        mark = "Vilande värd"
                cells.append(Cell(mark))
            if skr:
                cells.append(
                    Cell(
                        "Värd" if any(h.get("host") == "organisation:skr" for h in current) else ""
                    )
                )
            rows.append({"area": Cell(area.label, page_path("npo", area.id)), "cells": cells})
        page.extra["matrix"] = {"columns": columns, "rows": rows}
        page.extra["sections"] = [
            Cell(kinds.get(k).plural, f"{_section(k)}/index") for k in kinds.page_kinds()
        ]
        return page

    def site_title(self) -> str:
        settings = self.reg.settings
        return settings.site.title if settings else "Nationellt system för kunskapsstyrning"


def _family_first(name: str) -> tuple[str, str]:
    parts = name.split()
    return sort_key(" ".join([parts[-1], *parts[:-1]]) if len(parts) > 1 else name)


def seat_period(seat: Mapping[str, Any]) -> str:
    """A seat's period, or for a seat known only from a source's date, "enligt källa
    <date>" (its start is unknown)."""
    if not seat.get("from") and not seat.get("to") and seat.get("as_of"):
        return f"enligt källa {seat['as_of']}"
    return period(seat)


def period(item: Mapping[str, Any]) -> str:
    start, end = item.get("from"), item.get("to")
    if not start and not end:
        return ""
    return f"{start or '…'} – {end or ''}".strip()
