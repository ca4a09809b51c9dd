"""The site as a reader meets it (issue 15): honest coverage instead of zeros, names as
people say them in Swedish order, a seat's function and start, where a fact comes from,
and the data beyond groups and seats (open questions, governance, tasks, focus areas, the
system page, the hospitals a region runs); search over every entity, ranked."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import site_registry

from ksctl import loader
from ksctl.render import export, search
from ksctl.render.site import SiteBuilder


@pytest.fixture(scope="module")
def registry_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return site_registry.build(tmp_path_factory.mktemp("reader"))


@pytest.fixture(scope="module")
def site(registry_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    registry = loader.load(registry_dir).registry
    export.export_html(registry, out, export.Stamp("2026-12-02", "abc1234"))
    return out


def _main(site: Path, page: str) -> str:
    text = (site / page).read_text(encoding="utf-8")
    return text.split("<main", 1)[1].split("</main>", 1)[0]


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", fragment))).strip()


def _section(page: str, title: str) -> str:
    found = re.split(rf"<h2[^>]*>{re.escape(title)}</h2>", page)
    assert len(found) == 2, f"no section {title!r}"
    return found[1].split("</section>", 1)[0]


def _column(section: str, n: int) -> list[str]:
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", section, re.S)[1:]
    return [_text(re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)[n]) for r in rows]


def _headers(section: str) -> list[str]:
    head = re.search(r"<thead>(.*?)</thead>", section, re.S)
    assert head is not None
    return [_text(h) for h in re.findall(r"<th[^>]*>(.*?)</th>", head[1])]


# ---------------------------------------------------------------- honest coverage


def test_the_start_page_says_what_is_registered_out_of_what_exists(site) -> None:
    levels = _text(_section(_main(site, "index.html"), "Tre nivåer i registret"))
    assert (
        "RPO 26 av 156 Sjukvårdsregionala programområden alla i Sjukvårdsregion Mellansverige"
        in levels
    )
    assert "LPO 1 av 546 Lokala programområden alla i Region Örebro län" in levels
    assert "NPO 26 Nationella programområden" in levels
    # kinds with nothing registered are said once per level, never as zeros
    assert "Ännu inte i registret: RSG, RAG." in levels
    assert "Ännu inte i registret: LSG, LAG." in levels
    assert not re.search(r"\b[A-Z]{3} 0\b", levels)


def test_empty_catalogue_pages_are_not_linked_as_if_they_held_something(site) -> None:
    catalogue = _section(_main(site, "index.html"), "Hela katalogen")
    assert 'href="rsg/index.html"' not in catalogue
    assert "Sjukvårdsregionala samverkansgrupper (RSG) (inga i registret ännu)" in _text(catalogue)
    assert '<a href="rpo/index.html">' in catalogue
    empty = _text(_main(site, "rsg/index.html"))
    assert "finns i registret ännu" in empty


def test_level_pages_give_coverage_per_place(site) -> None:
    page = _main(site, "rpo/index.html")
    assert "26 av 156 i registret, alla i Sjukvårdsregion Mellansverige." in _text(page)
    per_place = _section(page, "Per sjukvårdsregion")
    assert dict(zip(_column(per_place, 0), _column(per_place, 1), strict=True)) == {
        "Sjukvårdsregion Mellansverige": "26 av 26",
        "Norra sjukvårdsregionen": "0 av 26",
        "Sjukvårdsregion Stockholm-Gotland": "0 av 26",
        "Sydöstra sjukvårdsregionen": "0 av 26",
        "Södra sjukvårdsregionen": "0 av 26",
        "Västra sjukvårdsregionen": "0 av 26",
    }


# ---------------------------------------------------------------- names and order


def test_healthcare_regions_go_by_their_official_names(site) -> None:
    assert "<h1>Västra sjukvårdsregionen</h1>" in _main(site, "sjukvardsregion/vastra.html")
    npo = _main(site, "npo/akut-vard.html")
    assert re.search(r"<dt>Värd</dt><dd><a [^>]*>Sjukvårdsregion Mellansverige</a>", npo)
    matrix = _main(site, "index.html").split('<table class="matrix">', 1)[1]
    # a soft hyphen lets a long name break where it is too wide; it is not seen otherwise
    assert [h.replace("\u00ad", "") for h in _headers(matrix)[1:7]] == [
        "Sjukvårdsregion Mellansverige",
        "Norra sjukvårdsregionen",
        "Sjukvårdsregion Stockholm-Gotland",
        "Sydöstra sjukvårdsregionen",
        "Södra sjukvårdsregionen",
        "Västra sjukvårdsregionen",
    ]
    title = (site / "rpo/mellansverige/akut-vard.html").read_text(encoding="utf-8")
    assert "<title>RPO Akut vård, Sjukvårdsregion Mellansverige – " in title


def test_every_list_is_in_swedish_alphabetical_order(site) -> None:
    regions = _column(_section(_main(site, "npo/akut-vard.html"), "LPO i varje region"), 0)
    assert regions[-3:] == ["Västra Götalandsregionen", "Region Örebro län", "Region Östergötland"]
    assert regions.index("Region Norrbotten") < regions.index("Region Skåne")
    names = _column(_main(site, "npo/index.html"), 0)
    assert names[-3:] == [
        "Äldres hälsa och palliativ vård",
        "Ögonsjukdomar",
        "Öron-, näs- och halssjukdomar",
    ]
    people = _column(_main(site, "person/index.html"), 0)
    assert people[0] == "Mats Bojestig" and people[-1] == "Ingmar Ångman"  # by family name
    municipalities = _column(_section(_main(site, "region/orebro.html"), "Kommuner (12)"), 0)
    assert municipalities[-1] == "Örebro" and municipalities.index(
        "Hällefors"
    ) > municipalities.index("Hallsberg")


# ---------------------------------------------------------------- seats and sources


def test_the_person_page_shows_the_seats_function_and_when_it_holds(site) -> None:
    seats = _section(_main(site, "person/ulla-upcoming.html"), "Uppdrag")
    assert _headers(seats) == [
        "Grupp",
        "Roll",
        "Funktion",
        "Företräder",
        "Period",
        "Källa publicerad",
        "Säkerhet",
    ]
    assert _column(seats, 0) == ["NPO Akut vård", "NSG Patientsäkerhet"]
    assert _column(seats, 2) == ["Ledamot för sjukvårdsregionen", ""]
    assert _column(seats, 4) == ["tillträder 2099-01-01", "enligt källa 2024-04-16"]
    assert _column(seats, 5) == ["", "2024-04-16"]
    assert _column(seats, 6) == ["", "medel"]
    assert '<a href="https://example.org/nsg-patientsakerhet">2024-04-16</a>' in seats
    members = _section(_main(site, "npo/akut-vard.html"), "Ledamöter")
    assert "tillträder 2099-01-01" in _text(members)


def test_columns_empty_on_every_row_are_left_out(site) -> None:
    members = _section(_main(site, "organ/orebro/rmks.html"), "Ledamöter")
    headers = _headers(members)
    assert "Företräder" not in headers and "Säkerhet" not in headers
    assert headers[:2] == ["Namn", "Roll"] and "Funktion" in headers


def test_facts_carry_their_sources_date_and_confidence(site) -> None:
    governance = _text(_section(_main(site, "region/orebro.html"), "Så styrs arbetet"))
    assert "Uppdragsgivare. Hälso- och sjukvårdsdirektören är uppdragsgivare" in governance
    assert "källa 2024-04-16 · säkerhet hög" in governance
    history = _section(_main(site, "om/index.html"), "Historia")
    assert _headers(history) == ["När", "Vad hände", "Källa publicerad", "Säkerhet"]
    assert _column(history, 2) == ["2017-05", ""]
    assert _column(history, 3) == ["hög", "medel"]


# ---------------------------------------------------------------- the new data


def test_open_questions_show_where_they_belong_and_on_a_page_of_their_own(site) -> None:
    npo = _text(_section(_main(site, "npo/akut-vard.html"), "Öppna frågor"))
    assert "Vem är ordförande från 2026?" in npo
    council = _text(_section(_main(site, "npo/primarvardsradet.html"), "Öppna frågor"))
    assert "Vilket är det 26:e nationella programområdet?" in council  # from ksctl.yaml
    everything = _text(_main(site, "oppna-fragor.html"))
    assert "Vilket är det 26:e nationella programområdet?" in everything
    assert "Vem är ordförande från 2026? Gäller Akut vård" in everything
    assert "Vilket datum beslutade SKL:s styrelse rekommendationen?" in everything


def test_governance_tasks_and_working_groups(site) -> None:
    vastra = _text(_section(_main(site, "sjukvardsregion/vastra.html"), "Så styrs arbetet"))
    assert (
        "Nominering. Sjukvårdsregionen nominerar ledamöter till nationella grupper. Ulla Kommande"
        in vastra
    )
    tasks = _text(_section(_main(site, "organ/orebro/rmks.html"), "Uppgifter"))
    assert "Godkänna LPO. Godkänna sammansättningen av varje lokalt programområde." in tasks
    group = _text(_main(site, "nag/akut-vard/sepsis-insats.html"))
    assert "Form Insatsområde (utan egen arbetsgrupp)" in group
    assert "Status Vilande" in group
    assert "Fortsätter arbetet i Nationella programrådet för akut vård" in group
    made = _section(
        _main(site, "nag/akut-vard/sepsis-insats.html"), "Kunskapsstöd som gruppen tagit fram"
    )
    assert _column(made, 0) == ["Sepsis"]
    support = _text(_main(site, "kunskapsstod/vf-sepsis.html"))
    assert "Framtaget av Insatsområde sepsis" in support
    listed = _section(_main(site, "npo/akut-vard.html"), "Nationella arbetsgrupper")
    assert _column(listed, 1) == ["Insatsområde"] and _column(listed, 2) == ["Vilande"]


def test_the_system_page(site) -> None:
    page = _main(site, "om/index.html")
    assert "<h1>Nationellt system för kunskapsstyrning hälso- och sjukvård</h1>" in page
    assert _column(_section(page, "Tre nivåer"), 0) == [
        "Nationell nivå",
        "Sjukvårdsregional nivå",
        "Lokal nivå",
    ]
    assert "Remiss. Varje region svarar på remissen" in _text(
        _section(page, "Vad varje region gör med ett nationellt kunskapsstöd")
    )
    assert "Patientföreträdare." in _text(_section(page, "Vilka som deltar i grupperna"))
    nav = (site / "index.html").read_text(encoding="utf-8").split('aria-label="Huvudmeny"', 1)[1]
    assert '<a href="om/index.html">Om systemet</a>' in nav


def test_a_region_lists_the_hospitals_it_runs(site) -> None:
    run = _section(
        _main(site, "region/skane.html"), "Sjukhus och organisationer som regionen driver"
    )
    assert _column(run, 0) == ["Skånes universitetssjukhus"]
    assert _column(run, 1) == ["Universitetssjukhus"]
    org = _text(_main(site, "organisation/skane/skanes-universitetssjukhus.html"))
    assert "Drivs av Region Skåne" in org


# ---------------------------------------------------------------- search


def _index(site: Path, name: str) -> dict:
    text = (site / f"static/sok/{name}.js").read_text(encoding="utf-8")
    found = re.fullmatch(r'ksctlSok\("([\w-]+)",(.*)\);\n', text, re.S)
    assert found and found[1] == name
    return json.loads(found[2])


def _item(site: Path, n: int) -> list:
    chunk = _index(site, f"i-{n // search.CHUNK}")
    item = chunk["items"][n % search.CHUNK]
    return [item[0], chunk["kinds"][item[1]], *item[2:]]


def test_every_entity_is_indexed_municipalities_and_terms_included(site, registry_dir) -> None:
    registry = loader.load(registry_dir).registry
    items = search.items(SiteBuilder(registry))
    hrefs = {i.href.split("#")[0] for i in items}
    for entity in registry:
        if entity.kind in ("person", "npo", "region", "body", "knowledge-support", "lpo"):
            assert any(h.endswith("/" + entity.id) for h in hrefs), entity.ref
    assert len([i for i in items if i.kind == "Kommun"]) == len(registry.of_kind("municipality"))
    kumla = search.ids_of(_index(site, "w-kum")["names"]["kumla"])
    assert [_item(site, n)[:3] for n in kumla] == [
        ["Kumla kommun", "Kommun", "region/orebro#kommun-1881"]
    ]
    assert 'id="kommun-1881"' in _main(site, "region/orebro.html")
    chunks = sorted((site / "static/sok").glob("i-*.js"))
    assert sum(len(_index(site, c.stem)["items"]) for c in chunks) == len(items)


def test_programme_areas_and_groups_rank_before_people_and_notes(site) -> None:
    words = _index(site, "w-psy")
    ids = search.ids_of
    named = sorted({n for w, d in words["names"].items() if w.startswith("psyk") for n in ids(d)})
    noted = sorted({n for w, d in words["notes"].items() if w.startswith("psyk") for n in ids(d)})
    found = [_item(site, n) for n in named]
    assert found[0][:2] == ["Psykisk hälsa", "Nationellt programområde"]
    kinds = [f[1] for f in found]
    assert "Person" not in kinds[: kinds.index("Lokalt programområde")]
    people = [n for n in noted if _item(site, n)[1] == "Person"]
    assert people and min(people) > max(
        named[: len(kinds) - kinds[::-1].index("Lokalt programområde")]
    )
    top = _index(site, "t-ps")
    assert search.ids_of(top["top"])[: len(named)] == named[:100]


def test_the_search_page_is_small_and_has_one_search_box(site, registry_dir) -> None:
    page = (site / "sok.html").read_text(encoding="utf-8")
    assert page.count('type="search"') == 1
    assert len(page.encode()) < 20_000
    # Without JavaScript, the lists A–Ö name every searchable thing once.
    letters = re.findall(r'href="(alla/[^"]+)"', page)
    assert letters[0] == "alla/a.html" and "alla/oe.html" in letters
    listed = sum(
        len(re.findall(r"<tr>", (site / link).read_text(encoding="utf-8"))) - 1 for link in letters
    )
    items = search.items(SiteBuilder(loader.load(registry_dir).registry))
    assert listed == len(items)
    other = (site / "npo/akut-vard.html").read_text(encoding="utf-8")
    assert other.count('type="search"') == 1


def test_a_seat_known_only_from_an_old_source_says_the_source_is_old(registry_dir) -> None:
    """A seat a 2018 page lists holds until said otherwise; in 2026 the site says that
    what it rests on is older than the policy's years, not only "enligt källa 2018"."""
    registry = loader.load(registry_dir).registry
    seat = {"person": "x", "role": "member", "as_of": "2018"}
    assert SiteBuilder(registry, at="2026-12-02").seat_when(seat) == (
        "enligt källa 2018 (uppgiften är äldre än 3 år)"
    )
    assert SiteBuilder(registry, at="2020-06-01").seat_when(seat) == "enligt källa 2018"
    ended = {**seat, "to": "2020"}
    assert SiteBuilder(registry, at="2026-12-02").seat_when(ended) == "enligt källa 2018 – 2020"


def test_the_hosting_matrix_says_where_the_sources_are_weak(tmp_path) -> None:
    """Five hostings the sources barely support looked as sure as the rest."""
    from conftest import SETTINGS, build_tree

    from ksctl.render import overview

    hr = "name: {0}\nofficial_name: {0} sjukvårdsregionen\n"
    root = build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            "registry/healthcare-regions/norra/healthcare-region.yaml": hr.format("Norra"),
            "registry/healthcare-regions/vastra/healthcare-region.yaml": hr.format("Västra"),
            "registry/national/programme-areas/akut-vard.yaml": (
                "name: Akut vård\nhosting:\n  - {host: healthcare-region:norra, from: 2018}\n"
            ),
            "registry/national/programme-areas/tandvard.yaml": (
                "name: Tandvård\nhosting:\n"
                "  - {host: healthcare-region:vastra, from: 2018, confidence: low}\n"
            ),
        },
    )
    registry = loader.load(root / "registry").registry
    matrix = overview._matrix(SiteBuilder(registry, at="2026-12-02"))
    assert [[c.text for c in row["cells"]] for row in matrix["rows"]] == [
        ["Värd", ""],
        ["", "Värd (osäkert)"],
    ]
    assert matrix["unsure"] is True


def test_an_index_reads_back_the_ids_it_was_written_with() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    @given(st.sets(st.integers(min_value=0, max_value=10**6)))
    def round_trip(found: set[int]) -> None:
        ids = sorted(found)
        assert search.ids_of(search._deltas(ids)) == ids

    round_trip()


def test_a_mandate_given_in_years_says_when_it_ends_on_the_site() -> None:
    from ksctl.render.site import seat_period

    assert seat_period({"from": "2024-03-01", "mandate_years": 2}) == (
        "2024-03-01 – (mandat till 2026-02-28)"
    )
    assert seat_period({"from": "2024-03-01", "to": "2025", "mandate_years": 2}) == (
        "2024-03-01 – 2025"
    )


def test_a_working_group_that_begins_later_says_when_it_starts(registry_dir: Path) -> None:
    """A NAG from 2027-03-01 with `status: active` read "Pågår" in 2026."""
    built = SiteBuilder(loader.load(registry_dir).registry, at="2026-12-02")
    later = {"status": "active", "from": "2027-03-01"}
    assert built.group_status(later) == "Startar 2027-03-01"
    assert built.group_status({"status": "active", "from": "2026-03-01"}) == "Pågår"
    assert built.group_status({"status": "dormant"}) == "Vilande"
    assert SiteBuilder(built.reg, at="2027-03-01").group_status(later) == "Pågår"
    assert built.group_status({"status": "active", "from": 2027}) == "Startar 2027"
    assert built.group_status({"status": "active", "to": "2021"}) == "Avslutad"
    assert built.group_status({"from": "2027-03-01"}) == "Startar 2027-03-01"  # no status


def test_a_seat_not_yet_begun_says_so_first(registry_dir: Path) -> None:
    """An incoming chair read "från 2027-01-01 till 2029-12-31" beside the chair of today,
    as if both held the seat."""
    built = SiteBuilder(loader.load(registry_dir).registry, at="2026-12-02")
    seat = {"person": "eva", "role": "chair", "from": "2027-01-01", "to": "2029-12-31"}
    assert built.seat_when(seat) == "tillträder 2027-01-01, mandat till 2029-12-31"
    assert built.seat_when({"person": "eva", "from": "2027-01-01", "mandate_years": 2}) == (
        "tillträder 2027-01-01, mandat till 2028-12-31"
    )
    assert built.seat_when({"vacant": True, "from": "2027-01-01"}) == "från 2027-01-01"
    secretary = {"person": "eva", "role": "secretary", "from": "2027-01-01", "to": "2028"}
    assert built.seat_when(secretary) == "tillträder 2027-01-01, till 2028"  # no mandate


def test_the_functions_that_serve_a_group_are_apart_from_its_seats(tmp_path: Path) -> None:
    """The process leader and the secretary were listed under "Ledamöter" as if they held
    seats."""
    import shutil

    from conftest import append_text, build_tree

    case = Path(__file__).parent / "cases/positive/rules-clean-structure/registry"
    root = tmp_path / "registry"
    shutil.copytree(case, root)
    build_tree(tmp_path, {"registry/regions/norrbotten/people/cia.yaml": "name: Cia Berg\n"})
    append_text(
        root / "national/programme-areas/akut-vard.yaml",
        "  - {person: cia, role: process-leader, from: 2024-01-01}\n",
    )
    registry = loader.load(root).registry
    out = tmp_path / "site"
    export.export_html(registry, out, export.Stamp("2026-12-02", "abc1234"))
    page = _main(out, "npo/akut-vard.html")
    assert "Cia Berg" not in _text(_section(page, "Ledamöter"))
    support = _section(page, "Stöd till gruppen")
    assert _column(support, 0) == ["Cia Berg"] and _column(support, 1) == ["Processledare"]
    group = _main(out, "nag/akut-vard/sepsis.html")  # no support functions: no section
    assert "Stöd till gruppen" not in group
