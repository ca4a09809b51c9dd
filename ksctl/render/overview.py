"""The pages about the directory as a whole: the start page with its diagram of the three
levels and the hosting matrix, one catalogue page per kind, the glossary, the open
questions, the latest changes, and the search page with its lists of every name, A–Ö.

Counts are honest: a level's programme areas are given out of those that exist ("RPO: 73
av 156"), a kind with nothing registered is said once, and its empty page is not linked
as if it held something.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ksctl import domain, kinds
from ksctl.render.opendata import license_name
from ksctl.render.site import (
    ORGANISATION_TYPE,
    WORKING_GROUP_FORM,
    Cell,
    Entry,
    Page,
    Section,
    display_name,
    page_path,
    section_of,
    text_language,
)
from ksctl.text import breakable, sort_key

if TYPE_CHECKING:
    from ksctl.registry import Entity
    from ksctl.render.site import SiteBuilder

# What each level does, as the system's own pages put it.
LEVEL_ROLES = {
    "national": "ta fram, förvalta och följa upp",
    "healthcare-regional": "anpassa och samordna",
    "local": "anpassa och införa",
}
LEVEL_NAMES = {
    "national": "Nationell nivå",
    "healthcare-regional": "Sjukvårdsregional nivå",
    "local": "Lokal nivå",
}
# Where the groups of a level sit: (the place kind, its Swedish plural).
PLACES = {
    "healthcare-regional": ("healthcare-region", "sjukvårdsregioner"),
    "local": ("region", "regioner"),
}
MIRRORED = {"rpo": "healthcare-region", "lpo": "region"}


@dataclass(frozen=True)
class Coverage:
    """How much of a kind the registry holds: `count` entities, of `expected` where that
    is known (an RPO per national area and healthcare region), spread over `places` of
    `places_total` places (one named in `only` when all are in one)."""

    kind: str
    count: int
    expected: int | None = None
    places: int = 0
    places_total: int = 0
    only: str | None = None

    @property
    def amount(self) -> str:
        if self.expected is not None:
            return f"{self.count} av {self.expected}"
        return str(self.count)

    @property
    def spread(self) -> str:
        """Where they are: "alla i Sjukvårdsregion Mellansverige", "i 4 av 6
        sjukvårdsregioner"; "" for national kinds and nothing registered."""
        level = kinds.get(self.kind).level
        if not self.count or level not in PLACES:
            return ""
        if self.only is not None:
            return f"alla i {self.only}"
        return f"i {self.places} av {self.places_total} {PLACES[level][1]}"


def coverage(builder: SiteBuilder, kind: str) -> Coverage:
    """What the registry holds of `kind`, against what exists where that is known."""
    found = builder.entities(kind)
    level = kinds.get(kind).level
    areas = {a.id for a in builder.entities("npo")}
    if kind in MIRRORED:
        place_kind = MIRRORED[kind]
        places = builder.entities(place_kind)
        counted: dict[str, set[str]] = {}
        for e in found:
            area = domain.mirrored_area(e)
            if area in areas:
                counted.setdefault(e.id.split("/", 1)[0], set()).add(area)
        count = sum(len(v) for v in counted.values())
        return _spread(kind, count, len(areas) * len(places), counted, places)
    if level in PLACES:
        place_kind = PLACES[level][0]
        places = builder.entities(place_kind)
        by_place: dict[str, set[str]] = {}
        for e in found:
            place = builder.place_of(e)
            key = _place_id(e, place_kind)
            if place is not None and key:
                by_place.setdefault(key, set()).add(e.id)
        return _spread(kind, len(found), None, by_place, places)
    return Coverage(kind, len(found))


def _place_id(entity: Entity, place_kind: str) -> str | None:
    folder = "regions" if place_kind == "region" else "healthcare-regions"
    parts = entity.path.split("/")
    return parts[parts.index(folder) + 1] if folder in parts else None


def _spread(
    kind: str,
    count: int,
    expected: int | None,
    by_place: Mapping[str, set[str]],
    places: list[Entity],
) -> Coverage:
    held = [p for p in places if by_place.get(p.id)]
    only = display_name(held[0]) if len(held) == 1 and len(places) > 1 else None
    return Coverage(kind, count, expected, len(held), len(places), only)


def pages(builder: SiteBuilder) -> list[Page]:
    from ksctl.render import changes, search

    out = [index(builder), glossary(builder), open_questions(builder)]
    out.extend(changes.pages(builder))
    out.extend(search.pages(builder))
    for kind in kinds.page_kinds():
        if kinds.get(kind).ident != "fixed":
            out.append(kind_index(builder, kind))
    return out


def catalogue(builder: SiteBuilder) -> list[tuple[Cell, str]]:
    """Every kind with pages and how many it holds: its catalogue page (a kind of one
    entity, the system: that page) linked where it holds something."""
    out = []
    for kind in kinds.page_kinds():
        k = kinds.get(kind)
        cover = coverage(builder, kind)
        if not cover.count:
            out.append((Cell(k.plural), "inga i registret ännu"))
        elif k.ident == "fixed":
            only = builder.entities(kind)[0]
            out.append((Cell(k.plural, page_path(kind, only.id)), ""))
        else:
            out.append((Cell(k.plural, f"{section_of(kind)}/index"), cover.amount))
    return out


def index(builder: SiteBuilder) -> Page:
    page = Page("index", builder.site_title(), "start", template="index")
    levels = []
    for level in kinds.LEVELS:
        groups, missing = [], []
        for kind in kinds.kinds_at(level):
            k = kinds.get(kind)
            cover = coverage(builder, kind)
            if not cover.count:
                missing.append(k.short or k.label)
                continue
            groups.append(
                {
                    "short": k.short or k.label,
                    "plural": k.plural.split(" (", 1)[0],
                    "amount": cover.amount,
                    "spread": cover.spread,
                    "href": f"{section_of(kind)}/index",
                }
            )
        if groups and missing:
            none = f"Ännu inte i registret: {', '.join(missing)}."
        elif missing:
            none = "Inga grupper på denna nivå finns i registret ännu."
        else:
            none = ""
        levels.append(
            {
                "name": LEVEL_NAMES[level],
                "role": LEVEL_ROLES[level],
                "groups": groups,
                "none": none,
            }
        )
    page.extra["levels"] = levels
    page.extra["matrix"] = _matrix(builder)
    page.extra["catalogue"] = catalogue(builder)
    page.extra["sections"] = [cell for cell, _ in page.extra["catalogue"]]
    more = [Cell("Öppna frågor", "oppna-fragor")]
    more.append(Cell("Senaste ändringar", "andringar"))
    more.append(Cell("Ordlista", "ordlista"))
    more.append(Cell("Alla namn A–Ö", "sok"))
    more.append(Cell("Öppna data", OPEN_DATA))
    page.extra["more"] = more
    return page


def _matrix(builder: SiteBuilder) -> dict[str, Any]:
    """National areas × hosts on the site's date; hosts that host nothing are left out."""
    regions = builder.entities("healthcare-region")
    hosts = [
        (f"healthcare-region:{hr.id}", builder.link("healthcare-region", hr.id)) for hr in regions
    ]
    others = sorted(
        {
            str(h.get("host"))
            for area in builder.entities("npo")
            for h in domain.hosting_at(area.data or {}, builder.at)
            if not str(h.get("host", "")).startswith("healthcare-region:")
        }
    )
    hosts += [(ref, builder.ref(ref)) for ref in others]
    rows: list[dict[str, Any]] = []
    for area in builder.entities("npo"):
        current = domain.hosting_at(area.data or {}, builder.at)
        cells = []
        for ref, _ in hosts:
            mark = ""
            for h in current:
                if h.get("host") == ref:
                    mark = "Värd"
                elif (
                    ref.startswith("healthcare-region:")
                    and h.get("dormant_host") == ref.split(":", 1)[1]
                ):
                    mark = "Vilande värd"
                else:
                    continue
                if h.get("confidence") == "low":
                    mark += UNSURE  # shown, as on the area's page: the sources are weak
            cells.append(Cell(mark))
        rows.append({"area": _breakable(builder.link("npo", area.id)), "cells": cells})
    used = [i for i in range(len(hosts)) if any(r["cells"][i].text for r in rows)]
    return {
        "columns": [_breakable(hosts[i][1]) for i in used],
        "rows": [{"area": r["area"], "cells": [r["cells"][i] for i in used]} for r in rows],
        "unsure": any(c.text.endswith(UNSURE) for r in rows for c in r["cells"]),
    }


UNSURE = " (osäkert)"


def _breakable(cell: Cell) -> Cell:
    """A heading whose long compounds may break with a hyphen (`text.breakable`), so that
    the matrix fits a wide screen and its names a narrow first column."""
    return Cell(breakable(cell.text), cell.href, cell.meta)


def kind_index(builder: SiteBuilder, kind: str) -> Page:
    k = kinds.get(kind)
    page = Page(f"{section_of(kind)}/index", k.plural, "index")
    page.breadcrumbs = builder.crumbs()
    cover = coverage(builder, kind)
    found = builder.entities(kind)
    columns, rows = _columns(builder, kind, found)
    lead = None
    if cover.count and (cover.expected is not None or cover.spread):
        lead = f"{cover.amount} i registret" + (f", {cover.spread}" if cover.spread else "") + "."
    page.sections.append(
        Section(
            "",
            columns,
            rows,
            empty=f"Inga {k.plural.split(' (', 1)[0].lower()} finns i registret ännu.",
            lead=lead,
        )
    )
    if kind in MIRRORED and found:
        page.sections.append(_per_place(builder, kind))
    return page


def _per_place(builder: SiteBuilder, kind: str) -> Section:
    place_kind = MIRRORED[kind]
    areas = {a.id for a in builder.entities("npo")}
    rows = []
    for place in builder.entities(place_kind):
        held = {domain.mirrored_area(e) for e in builder.children(kind, place.id)} & areas
        rows.append([builder.link(place_kind, place.id), Cell(f"{len(held)} av {len(areas)}")])
    title = "Per sjukvårdsregion" if place_kind == "healthcare-region" else "Per region"
    return Section(title, ["Var", f"{kinds.get(kind).short} i registret"], rows)


def _columns(
    builder: SiteBuilder, kind: str, found: list[Entity]
) -> tuple[list[str], list[list[Cell]]]:
    rows: list[list[Cell]] = []
    if kind == "npo":
        for e in found:
            hosting = domain.hosting_at(e.data or {}, builder.at)
            rows.append(
                [
                    builder.link(kind, e.id),
                    builder.ref(hosting[0].get("host")) if hosting else Cell("—"),
                ]
            )
        return ["Namn", "Värd"], rows
    if kind in ("nag", "rag", "lag"):
        for e in found:
            data = e.data or {}
            parent = builder.parent_of(e)
            rows.append(
                [
                    builder.link(kind, e.id),
                    builder.link(parent.kind, parent.id) if parent else Cell(""),
                    Cell(WORKING_GROUP_FORM.get(data.get("form") or "", "")),
                    Cell(builder.group_status(data)),
                ]
            )
        return ["Namn", "Hör till", "Form", "Status"], rows
    if kind == "region":
        for e in found:
            data = e.data or {}
            rows.append(
                [
                    builder.link(kind, e.id),
                    builder.link("healthcare-region", data.get("healthcare_region")),
                    Cell(str(data.get("county_code") or "")),
                ]
            )
        return ["Namn", "Sjukvårdsregion", "Länskod"], rows
    if kind == "knowledge-support":
        from ksctl.render.site import KS_TYPE

        for e in found:
            data = e.data or {}
            rows.append(
                [
                    builder.link(kind, e.id),
                    Cell(KS_TYPE.get(data.get("type") or "", "")),
                    builder.ref(data.get("owner")) if data.get("owner") else Cell(""),
                ]
            )
        return ["Namn", "Typ", "Ägare"], rows
    if kind == "organisation":
        for e in found:
            data = e.data or {}
            region = data.get("region") or domain.region_of(e)
            rows.append(
                [
                    builder.link(kind, e.id),
                    Cell(ORGANISATION_TYPE.get(data.get("type") or "", "")),
                    builder.link("region", region) if region else Cell(""),
                ]
            )
        return ["Namn", "Typ", "Drivs av"], rows
    if kind == "person":
        for e in found:
            data = e.data or {}
            rows.append(
                [
                    builder.link(kind, e.id),
                    Cell(str(data.get("title") or "")),
                    builder.ref(data.get("employer")) if data.get("employer") else Cell(""),
                ]
            )
        return ["Namn", "Titel", "Arbetsgivare"], rows
    if kind == "healthcare-region":
        for e in found:
            rows.append([builder.link(kind, e.id), Cell(e.label)])
        return ["Namn", "Kortnamn"], rows
    for e in found:
        place = builder.place_of(e)
        rows.append([builder.link(kind, e.id), place or Cell("")])
    return ["Namn", "Var"], rows


def glossary(builder: SiteBuilder) -> Page:
    page = Page("ordlista", "Ordlista", "glossary")
    page.breadcrumbs = builder.crumbs()
    terms = sorted(builder.reg.of_kind("term").values(), key=lambda e: (sort_key(e.label), e.id))
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
            anchors=[term_anchor(t.id) for t in terms],
        )
    )
    return page


def term_anchor(ident: str) -> str:
    return "term-" + "".join(c if c.isalnum() and c.isascii() else "-" for c in ident)


def open_questions(builder: SiteBuilder) -> Page:
    """Every open question: the registry's own, then each entity's, in the order of kinds
    and names."""
    page = Page("oppna-fragor", "Öppna frågor", "questions")
    page.breadcrumbs = builder.crumbs()
    general = builder.registry_questions()
    if general:
        section = builder.questions(general)
        section.title = "Om registret som helhet"
        page.sections.append(section)
    entries: list[Entry] = []
    for kind in kinds.show_order():
        if kind not in kinds.page_kinds():
            continue
        for e in builder.entities(kind):
            for q in (e.data or {}).get("open_questions") or []:
                entries.append(
                    Entry(
                        q["question"],
                        meta=builder.evidence_note(q),
                        lang=text_language(q["question"]),
                        about=[builder.link(kind, e.id)],
                    )
                )
    page.sections.append(
        Section("Om enskilda delar", entries=entries, empty="Inga öppna frågor i registret.")
    )
    page.lead = "Det som källorna lämnar öppet. Frågorna står också på sidorna de gäller."
    return page


OPEN_DATA = "oppna-data"


@dataclass(frozen=True)
class Download:
    """A file of open data the site links to."""

    path: str  # relative to the site's root
    title: str
    what: str
    format: str
    size: int  # bytes
    group: str  # "whole", "kind" (a table per kind), "list" (a table per list) or "meta"


def count_text(count: int) -> str:
    """A count as Swedish writes it, thousands set apart by a space: "1 451"."""
    return f"{count:,}".replace(",", "\u00a0")


def size_text(size: int) -> str:
    """A file's size as a Swedish reader writes it, on one line: "512 byte", "35 kB",
    "1,2 MB"."""
    if size < 1000:
        return f"{size}\u00a0byte"
    if round(size / 1000) < 1000:
        return f"{round(size / 1000)}\u00a0kB"
    return f"{size / 1_000_000:.1f}\u00a0MB".replace(".", ",")


JOINING = [
    Entry(
        "Varje post har en ref, typ och id: npo:akut-vard är raden med id akut-vard i "
        "npo.csv och raden med ref npo:akut-vard i entities.csv.",
        title="Poster",
    ),
    Entry(
        "Listorna har en rad per värde med postens ref. Vem som är värd för ett "
        "programområde står i hosting.csv (ref npo:…, host, from, to); vilka som sitter i en "
        "grupp står i memberships.csv (ref npo:…, nag:… eller lpo:…, person, role, "
        "represents, from, to, as_of), och personen på raden med samma id i person.csv. "
        "Kolumnen item säger var i posten raden står (members/0 är första platsen); of säger "
        "vilken rad i en annan lista den hör till: en källa med of members/0 gäller den "
        "platsen, inte hela posten. Rader med typen registry och tom ref hör till registret "
        "självt (ksctl.yaml: dess öppna frågor och deras källor).",
        title="Listor",
    ),
    Entry(
        "Ett fält som kan peka på flera typer skrivs typ:id (host: healthcare-region:vastra, "
        "employer: region:orebro); ett som bara kan peka på en typ skrivs med id "
        "(person: anna-stahl, dormant_host: norra, en sjukvårdsregion). Kolumnerna region, "
        "healthcare_region, rpo, lpo och npo_or_nsg säger var postens fil ligger och vad den "
        "hör till: npo_or_nsg i nag.csv är arbetsgruppens programområde eller "
        "samverkansgrupp (npo:akut-vard), så en grupps arbetsgrupper är raderna med dess ref "
        "där.",
        title="Hänvisningar",
    ),
    Entry(
        "Datum står som källan skriver dem: år, månad eller dag (2018, 2020-02, "
        "2021-01-01); from och to gäller till och med. En plats som källan anger utan datum "
        "har as_of, källans datum, och gäller från då. Rollerna är nycklar på engelska "
        "(chair, member, process-leader …) som sidorna visar på svenska (ordförande, "
        "ledamot, processledare …).",
        title="Datum och roller",
    ),
    Entry(
        "Filerna är UTF-8 utan byte-order mark, med komma mellan fälten; i Excel öppnas "
        "de med Data > Från text/CSV. datapackage.json beskriver varje tabells kolumner, "
        "typer och nycklar.",
        title="Format",
    ),
]

DOWNLOAD_SECTIONS = (
    ("whole", "Hela registret", None),
    (
        "kind",
        "CSV-tabeller, en per typ",
        "En rad per post med postens id. I Alla poster står varje post med sin ref: typ och "
        "id, till exempel npo:akut-vard för raden akut-vard i npo.csv.",
    ),
    (
        "list",
        "CSV-tabeller för listorna i posterna",
        "En rad per värde i en lista (ledamöter, värdskap, källor …). Kolumnen ref säger vilken "
        "post raden hör till: npo:akut-vard är raden akut-vard i npo.csv.",
    ),
    (
        "meta",
        "Beskrivningar av uppgifterna",
        "Tabellernas kolumner och nycklar, och datamängden som helhet för dataportal.se och "
        "andra kataloger.",
    ),
)


def open_data(
    builder: SiteBuilder, downloads: list[Download], data_as_of: str, *, feed: bool
) -> Page:
    """The page that links the open data written beside the site: what each file holds,
    its format and size, and the terms (licence, publisher, contact) from `site` in
    ksctl.yaml; with `feed`, the Atom feed of changes (the HTML site has one)."""
    page = Page(OPEN_DATA, "Öppna data", "data")
    page.breadcrumbs = builder.crumbs()
    site = builder.reg.settings.site if builder.reg.settings is not None else None
    license_url = site.license if site is not None else None
    page.lead = (
        "Registrets uppgifter att ladda ner: hela registret som JSON, personer och uppdrag "
        "enligt Popolo (en öppen standard för personer, organisationer och uppdrag) och "
        "CSV-tabeller som går att koppla ihop."
    )
    if builder.private:
        page.lead += (
            " Filerna innehåller kontaktuppgifter som inte är offentliga och får inte publiceras."
        )
    else:
        page.lead += " Kontaktuppgifter som inte är offentliga är utelämnade."
    if not license_url:
        page.lead += " Utgivaren har ännu inte angett någon licens för uppgifterna."
    page.facts.append(("Uppgifterna gäller per", [Cell(data_as_of)]))
    page.facts.append(
        (
            "Licens",
            [Cell(license_name(license_url), license_url)]
            if license_url
            else [Cell("ingen angiven ännu")],
        )
    )
    if site is not None and site.publisher:
        page.facts.append(("Utgivare", [Cell(site.publisher)]))
    if site is not None and site.contact:
        page.facts.append(("Frågor om uppgifterna", [Cell(site.contact, f"mailto:{site.contact}")]))
    if feed:
        page.facts.append(("Ändringar", [Cell("Atom-flöde", "andringar.xml")]))
    page.sections.append(Section("Så kopplar du ihop tabellerna", entries=JOINING))
    for group, title, lead in DOWNLOAD_SECTIONS:
        found = [d for d in downloads if d.group == group]
        csv = group in ("kind", "list")
        columns = (
            ["Innehåll", "Fil", "Storlek"] if csv else ["Innehåll", "Fil", "Format", "Storlek"]
        )
        rows = []
        for d in found:
            name = d.path.rsplit("/", 1)[-1]
            row = [Cell(d.title, d.path), Cell(f"{name}: {d.what}")]
            rows.append(
                [*row, Cell(size_text(d.size))]
                if csv
                else [*row, Cell(d.format), Cell(size_text(d.size))]
            )
        page.sections.append(Section(title, columns, rows, lead=lead))
    return page
