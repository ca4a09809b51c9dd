"""The published directory: HTML, Markdown, JSON and CSV from the same registry."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from conftest import build_tree

CASE = Path(__file__).parent / "cases/positive/rules-clean-structure"
EVIL = "registry/regions/norrbotten/people/evil.yaml"


@pytest.fixture
def registry_copy(tmp_path: Path) -> Path:
    import shutil

    repo = tmp_path / "repo"
    shutil.copytree(CASE / "registry", repo / "registry")
    build_tree(
        repo,
        {
            EVIL: "name: <script>alert('x')</script> Eva\ntitle: Tester & granskare\n"
            "contact:\n  - {type: email, value: hemlig@example.org}\n"
            "  - {type: email, value: publik@example.org, public: true}\n",
        },
    )
    return repo


def _export(run_line, repo: Path, *args: str) -> None:
    r = run_line(["ksctl", "export", *args], cwd=repo)
    assert r.exit_code == 0, r.stderr


def test_html_site_has_a_page_per_entity_and_escapes_everything(
    registry_copy, run_line, tmp_path
) -> None:
    out = tmp_path / "site"
    _export(run_line, registry_copy, "--html", str(out))
    for page in [
        "index.html",
        "sok.html",
        "ordlista.html",
        "npo/akut-vard.html",
        "rpo/norra/akut-vard.html",
        "lpo/vastra-gotaland/akut-vard.html",
        "region/norrbotten.html",
        "sjukvardsregion/norra.html",
        "nag/akut-vard/sepsis.html",
        "kunskapsstod/vf-sepsis.html",
        "person/evil.html",
        "static/style.css",
        "static/search.js",
    ]:
        assert (out / page).is_file(), page
    evil = (out / "person/evil.html").read_text(encoding="utf-8")
    assert "<script>alert" not in evil
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Eva" in evil
    assert "Tester &amp; granskare" in evil
    assert 'lang="sv"' in evil


def test_private_contact_details_only_with_include_private(
    registry_copy, run_line, tmp_path
) -> None:
    public, private = tmp_path / "public", tmp_path / "private"
    _export(
        run_line,
        registry_copy,
        "--html",
        str(public),
        "--markdown",
        str(public / "md"),
        "--json",
        str(public / "all.json"),
        "--csv",
        str(public / "csv"),
    )
    everything = "".join(p.read_text(encoding="utf-8") for p in public.rglob("*") if p.is_file())
    assert "hemlig@example.org" not in everything
    assert "publik@example.org" in everything
    _export(run_line, registry_copy, "--html", str(private), "--include-private")
    assert "hemlig@example.org" in (private / "person/evil.html").read_text(encoding="utf-8")


def test_export_is_deterministic(registry_copy, run_line, tmp_path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    _export(run_line, registry_copy, "--html", str(a))
    _export(run_line, registry_copy, "--html", str(b))
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_npo_page_shows_its_mirror_with_missing_ones(registry_copy, run_line, tmp_path) -> None:
    (registry_copy / "registry/healthcare-regions/vastra/programme-areas/akut-vard.yaml").unlink()
    out = tmp_path / "site"
    _export(run_line, registry_copy, "--html", str(out))
    page = (out / "npo/akut-vard.html").read_text(encoding="utf-8")
    assert '<a href="../rpo/norra/akut-vard.html">RPO Akut vård</a>' in page
    assert "Saknas i registret" in page
    assert "Inte inrättat – kontaktperson Bo Ek" in page
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<td class="host">Värd</td>' in index and '<td class="dormant">' not in index


def test_reexport_replaces_its_own_files_but_refuses_a_foreign_folder(
    registry_copy, run_line, tmp_path
) -> None:
    out = tmp_path / "site"
    _export(run_line, registry_copy, "--html", str(out))
    (registry_copy / EVIL).unlink()
    _export(run_line, registry_copy, "--html", str(out))
    assert not (out / "person/evil.html").exists()
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "important.txt").write_text("keep me")
    r = run_line(["ksctl", "export", "--html", str(foreign)], cwd=registry_copy)
    assert r.exit_code == 2 and "not empty" in r.stderr
    assert (foreign / "important.txt").read_text() == "keep me"


def test_markdown_links_all_resolve(registry_copy, run_line, tmp_path) -> None:
    out = tmp_path / "md"
    _export(run_line, registry_copy, "--markdown", str(out))
    pages = sorted(out.rglob("*.md"))
    assert len(pages) > 20
    checked = 0
    for page in pages:
        for target in re.findall(r"\]\(([^)]+)\)", page.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target):
                continue
            assert (page.parent / target).resolve().is_file(), f"{page}: {target}"
            checked += 1
    assert checked > 100
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "| [Akut vård](npo/akut-vard.md) | Värd |" in index


def test_json_and_csv_documents(registry_copy, run_line, tmp_path) -> None:
    _export(
        run_line,
        registry_copy,
        "--json",
        str(tmp_path / "all.json"),
        "--csv",
        str(tmp_path / "csv"),
    )
    doc = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert list(doc) == ["commit", "data_as_of", "entities", "ksctl", "version"]
    assert doc["version"] == 1
    npo = next(e for e in doc["entities"] if e["kind"] == "npo" and e["id"] == "akut-vard")
    assert npo["data"]["hosting"][0]["host"] == "healthcare-region:norra"
    # a file's id is its path's, also where the file does not write it (it was null)
    files = [e for e in doc["entities"] if "id" in e["data"]]
    assert files and all(e["data"]["id"] == e["id"] for e in files)
    rows = _rows(tmp_path / "csv/memberships.csv")
    npo_seats = [
        (r["person"], r["role"], r["represents"], r["from"])
        for r in rows
        if r["ref"] == "npo:akut-vard"
    ]
    assert npo_seats == [
        ("anna", "chair", "healthcare-region:norra", "2024-01-01"),
        ("bo", "member", "healthcare-region:vastra", "2024-01-01"),
    ]
    assert [r["item"] for r in rows if r["ref"] == "npo:akut-vard"] == ["members/0", "members/1"]
    regions = _rows(tmp_path / "csv/region.csv")
    assert [(r["id"], r["county_code"]) for r in regions] == [
        ("norrbotten", "25"),
        ("vastra-gotaland", "14"),
    ]


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def open_data(registry_copy: Path, tmp_path: Path) -> Path:
    """The CSV export of the case registry with a handling, a formula-like value and a
    nested source, plus a Popolo file beside it."""
    build_tree(
        registry_copy,
        {
            "registry/regions/vastra-gotaland/handling/vf-sepsis.yaml": "stage: kartlaggning\n"
            "steps:\n  - {stage: remiss, date: 2020-02-01}\n"
            "  - {stage: kartlaggning, date: 2021-03-01}\n",
            "registry/regions/norrbotten/region.yaml": "name: Region Norrbotten\n"
            "county_code: '25'\nhealthcare_region: norra\n"
            "municipalities:\n  - {code: '2580', name: Luleå}\n  - {code: '2584', name: Kiruna}\n",
            "registry/regions/norrbotten/people/formel.yaml": "name: Formel Fredrik\n"
            'title: \'=HYPERLINK("http://example.org","klicka")\'\n'
            "unit: '@SUM(A1:A2)'\n"
            "aliases: ['+46 kontakt', '-minus', 'Vanlig']\n",
        },
    )
    return registry_copy


def test_csv_tables_join_by_id(open_data, run_line, tmp_path) -> None:
    out = tmp_path / "csv"
    _export(run_line, open_data, "--csv", str(out))
    entities = {r["ref"]: r for r in _rows(out / "entities.csv")}
    municipalities = _rows(out / "municipality.csv")
    regions = {r["id"]: r for r in _rows(out / "region.csv")}
    assert municipalities, "no municipalities"
    for m in municipalities:
        assert m["region"] in regions, m
        assert m["healthcare_region"], m
        assert f"municipality:{m['id']}" in entities
    steps = _rows(out / "handling_steps.csv")
    assert [(s["ref"], s["stage"], s["date"]) for s in steps if "vastra" in s["ref"]] == [
        ("handling:vastra-gotaland/vf-sepsis", "remiss", "2020-02-01"),
        ("handling:vastra-gotaland/vf-sepsis", "kartlaggning", "2021-03-01"),
    ]
    handling = _rows(out / "handling.csv")
    assert [(h["id"], h["region"], h["knowledge_support"]) for h in handling] == [
        ("norrbotten/vf-sepsis", "norrbotten", "vf-sepsis"),
        ("vastra-gotaland/vf-sepsis", "vastra-gotaland", "vf-sepsis"),
    ]
    aliases = [(a["ref"], a["value"]) for a in _rows(out / "aliases.csv")]
    assert ("person:formel", "Vanlig") in aliases
    for table in ("memberships", "hosting", "handling_steps", "sources", "aliases", "notes"):
        rows = _rows(out / f"{table}.csv")
        assert all(r["ref"] in entities for r in rows if r["ref"]), table
    for path in out.glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        assert "; " not in text.split("\n", 1)[0], path  # no flattened lists in a header
        assert "=" not in "".join(c[:1] for r in _rows(path) for c in r.values()), path


def test_csv_cells_never_start_a_formula(open_data, run_line, tmp_path) -> None:
    out = tmp_path / "csv"
    _export(run_line, open_data, "--csv", str(out))
    people = {r["id"]: r for r in _rows(out / "person.csv")}
    assert people["formel"]["title"] == '\'=HYPERLINK("http://example.org","klicka")'
    assert people["formel"]["unit"] == "'@SUM(A1:A2)"
    aliases = sorted(a["value"] for a in _rows(out / "aliases.csv") if a["ref"] == "person:formel")
    assert aliases == ["'+46 kontakt", "'-minus", "Vanlig"]
    for path in out.glob("*.csv"):
        for row in _rows(path):
            for cell in row.values():
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path.name, cell)


def test_datapackage_is_valid_for_frictionless(open_data, run_line, tmp_path) -> None:
    frictionless = pytest.importorskip("frictionless")
    out = tmp_path / "csv"
    _export(run_line, open_data, "--csv", str(out))
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in package["resources"]}
    assert {"entities", "municipality", "memberships", "handling_steps", "sources"} <= names
    assert {p.stem for p in out.glob("*.csv")} == names
    memberships = next(r for r in package["resources"] if r["name"] == "memberships")
    assert {"fields": "ref", "reference": {"resource": "entities", "fields": "ref"}} in (
        memberships["schema"]["foreignKeys"]
    )
    # Every column a reference field fills joins, by id where the field admits one kind
    # and by ref (kind:id) where it admits several; `represents` may say `self`, so not it.
    keys = {
        r["name"]: {
            f["fields"]: (f["reference"]["resource"], f["reference"]["fields"])
            for f in r["schema"].get("foreignKeys", [])
        }
        for r in package["resources"]
    }
    # Every column has a Swedish title, as the site names the key.
    hosting = next(r for r in package["resources"] if r["name"] == "hosting")
    titles = {f["name"]: f["title"] for f in hosting["schema"]["fields"]}
    assert (titles["host"], titles["dormant_host"]) == ("Värd", "Vilande värd")
    assert titles["ref"] == "Post"
    # ... every column, each part of its name by a Swedish label (never the key itself)
    from ksctl.labels import FIELD_LABELS
    from ksctl.render.opendata import BASE_TITLES

    for resource in package["resources"]:
        for f in resource["schema"]["fields"]:
            parts = f["name"].split(".")
            assert all(p in FIELD_LABELS or p in BASE_TITLES for p in parts), f["name"]
    assert keys["hosting"]["host"] == ("entities", "ref")
    assert keys["hosting"]["dormant_host"] == ("healthcare-region", "id")
    assert keys["person"]["employer"] == ("entities", "ref")
    assert keys["memberships"]["person"] == ("person", "id")
    assert "represents" not in keys["memberships"]
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])
    # ... and the validator does check: a dangling reference fails it.
    with (out / "memberships.csv").open("a", encoding="utf-8") as f:
        f.write(
            "npo:finns-inte,npo,finns-inte"
            + "," * (len(memberships["schema"]["fields"]) - 3)
            + "\n"
        )
    assert not frictionless.validate(out / "datapackage.json").valid


def test_dcat_description_names_the_dataset_and_its_distributions(
    open_data, run_line, tmp_path
) -> None:
    rdflib = pytest.importorskip("rdflib")
    build_tree(
        open_data,
        {
            "registry/ksctl.yaml": (open_data / "registry/ksctl.yaml").read_text(encoding="utf-8")
            + "site:\n  url: https://example.se/katalog/\n  publisher: Exempelregionen\n"
            "  license: https://creativecommons.org/publicdomain/zero/1.0/\n"
            "  contact: data@example.se\n",
        },
    )
    out = tmp_path / "csv"
    _export(run_line, open_data, "--csv", str(out), "--popolo", str(tmp_path / "popolo.json"))
    graph = rdflib.Graph()
    # Its addresses are relative to the description: they resolve where it is published.
    base = "https://example.se/katalog/data/csv/dcat.rdf"
    graph.parse(out / "dcat.rdf", format="xml", publicID=base)
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    dct = rdflib.Namespace("http://purl.org/dc/terms/")
    foaf = rdflib.Namespace("http://xmlns.com/foaf/0.1/")
    datasets = list(graph.subjects(rdflib.RDF.type, dcat.Dataset))
    assert datasets == [rdflib.URIRef(base + "#dataset")]
    dataset = datasets[0]
    for mandatory in (dct.title, dct.description, dct.publisher):
        assert graph.value(dataset, mandatory) is not None, mandatory
    publisher = graph.value(dataset, dct.publisher)
    assert str(graph.value(publisher, foaf.name)) == "Exempelregionen"
    assert str(graph.value(dataset, dcat.landingPage)) == "https://example.se/katalog/"
    catalog = graph.value(None, dcat.dataset, dataset)
    assert (catalog, rdflib.RDF.type, dcat.Catalog) in graph
    distributions = list(graph.objects(dataset, dcat.distribution))
    assert sorted(str(graph.value(d, dcat.accessURL)) for d in distributions) == [
        "https://example.se/katalog/data/csv/datapackage.json",
        "https://example.se/katalog/data/popolo.json",
    ]
    for d in distributions:
        assert (d, rdflib.RDF.type, dcat.Distribution) in graph
        assert str(graph.value(d, dct.license)).startswith("https://creativecommons.org/")
        assert graph.value(d, dct["format"]) is not None


def test_popolo_export(open_data, run_line, tmp_path) -> None:
    target = tmp_path / "popolo.json"
    r = run_line(["ksctl", "export", "--popolo", str(target), "--include-private"], cwd=open_data)
    assert r.exit_code == 0, r.stderr
    assert "memberships written" in r.stdout
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert sorted(doc) == ["memberships", "organizations", "persons", "posts"]
    people = {p["id"]: p for p in doc["persons"]}
    orgs = {o["id"]: o for o in doc["organizations"]}
    posts = {p["id"]: p for p in doc["posts"]}
    assert people["person:anna"]["name"] == "Anna Ek"
    assert orgs["npo:akut-vard"]["name"] == "Akut vård"
    assert orgs["nag:akut-vard/sepsis"]["parent_id"] == "npo:akut-vard"
    assert orgs["municipality:2580"]["parent_id"] == "region:norrbotten"
    assert orgs["region:norrbotten"]["parent_id"] == "healthcare-region:norra"
    chair = next(
        m
        for m in doc["memberships"]
        if m["organization_id"] == "npo:akut-vard" and m["person_id"] == "person:anna"
    )
    assert chair["role"] == "ordförande"
    assert chair["start_date"] == "2024-01-01"
    assert chair["on_behalf_of_id"] == "healthcare-region:norra"
    assert posts[chair["post_id"]]["organization_id"] == "npo:akut-vard"
    for m in doc["memberships"]:
        assert m["person_id"] in people and m["organization_id"] in orgs and m["post_id"] in posts
    for p in doc["posts"]:
        assert p["organization_id"] in orgs
    for o in doc["organizations"]:
        assert o.get("parent_id") is None or o["parent_id"] in orgs, o
    # public contact details only, even when the other exports are asked for private ones
    text = target.read_text(encoding="utf-8")
    assert "publik@example.org" in text
    assert "hemlig@example.org" not in text


def test_export_needs_a_target(run_line, registry_copy) -> None:
    r = run_line(["ksctl", "export"], cwd=registry_copy)
    assert r.exit_code == 2 and "--html DIR" in r.stderr and "--popolo FILE" in r.stderr


def test_popolo_overwrites_only_an_earlier_popolo_export(registry_copy, run_line, tmp_path) -> None:
    target = tmp_path / "popolo.json"
    assert run_line(["ksctl", "export", "--popolo", str(target)], cwd=registry_copy).exit_code == 0
    assert run_line(["ksctl", "export", "--popolo", str(target)], cwd=registry_copy).exit_code == 0
    foreign = tmp_path / "annat.json"
    foreign.write_text('{"mitt": "eget"}\n', encoding="utf-8")
    r = run_line(["ksctl", "export", "--popolo", str(foreign)], cwd=registry_copy)
    assert r.exit_code == 2 and "not an earlier export" in r.stderr
    assert foreign.read_text(encoding="utf-8") == '{"mitt": "eget"}\n'


def _site_settings(repo: Path, extra: str) -> None:
    settings = repo / "registry/ksctl.yaml"
    build_tree(repo, {"registry/ksctl.yaml": settings.read_text(encoding="utf-8") + extra})


def test_site_serves_its_open_data(open_data, run_line, tmp_path) -> None:
    """The site carries the open data in data/ (the same bytes as the exports made on their
    own) and a page that links every file with its terms."""
    _site_settings(
        open_data,
        "site:\n  publisher: Exempelregionen\n"
        "  license: https://creativecommons.org/publicdomain/zero/1.0/\n"
        "  contact: data@example.se\n",
    )
    site, alone = tmp_path / "site", tmp_path / "alone"
    _export(
        run_line,
        open_data,
        "--html",
        str(site),
        "--csv",
        str(alone / "csv"),
        "--json",
        str(alone / "registry.json"),
        "--popolo",
        str(alone / "popolo.json"),
    )
    data = site / "data"
    for name in ("registry.json", "popolo.json"):
        assert (data / name).read_bytes() == (alone / name).read_bytes(), name
    tables = sorted(p.name for p in (alone / "csv").glob("*.csv"))
    assert tables and sorted(p.name for p in data.glob("*.csv")) == tables
    for name in [*tables, "datapackage.json"]:
        assert (data / name).read_bytes() == (alone / "csv" / name).read_bytes(), name
    everything = "".join(p.read_text(encoding="utf-8") for p in data.iterdir())
    assert "publik@example.org" in everything
    assert "hemlig@example.org" not in everything

    page = (site / "oppna-data.html").read_text(encoding="utf-8")
    links = re.findall(r'href="([^"#]+)"', page)
    files = {f"data/{p.name}" for p in data.iterdir()}
    assert files <= set(links), files - set(links)
    for link in links:
        if not re.match(r"^[a-z]+:", link):
            assert (site / link).is_file(), link
    assert 'href="https://creativecommons.org/publicdomain/zero/1.0/"' in page
    assert 'href="mailto:data@example.se"' in page
    assert "Exempelregionen" in page
    # A table is named in Swedish; its file beside the name, with what it holds.
    assert '<a href="data/memberships.csv">Platser i grupperna (ledamöter)</a>' in page
    assert re.search(r"memberships\.csv: \d+ rader, \d+ kolumner", page)
    assert '<a href="https://creativecommons.org/publicdomain/zero/1.0/">CC0 1.0' in page
    assert "Utgivaren har ännu inte" not in page
    assert "Så kopplar du ihop tabellerna" in page and "npo:akut-vard" in page
    assert 'href="oppna-data.html"' in (site / "index.html").read_text(encoding="utf-8")

    rdflib = pytest.importorskip("rdflib")
    graph = rdflib.Graph()
    base = "https://example.se/katalog/data/dcat.rdf"
    graph.parse(data / "dcat.rdf", format="xml", publicID=base)
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    dataset = rdflib.URIRef(base + "#dataset")
    assert sorted(
        str(graph.value(d, dcat.accessURL)) for d in graph.objects(dataset, dcat.distribution)
    ) == [
        "https://example.se/katalog/data/datapackage.json",
        "https://example.se/katalog/data/popolo.json",
        "https://example.se/katalog/data/registry.json",
    ]


def test_open_data_page_says_what_is_not_known_and_what_is_private(
    registry_copy, run_line, tmp_path
) -> None:
    public, private = tmp_path / "public", tmp_path / "private"
    _export(run_line, registry_copy, "--html", str(public))
    page = (public / "oppna-data.html").read_text(encoding="utf-8")
    assert re.search(r"<dt>Licens</dt>\s*<dd>ingen angiven ännu</dd>", page), page
    assert "Utgivaren har ännu inte angett någon licens" in page
    assert "utelämnade" in page
    _export(run_line, registry_copy, "--html", str(private), "--include-private")
    page = (private / "oppna-data.html").read_text(encoding="utf-8")
    assert "får inte publiceras" in page
    assert "hemlig@example.org" in (private / "data/registry.json").read_text(encoding="utf-8")


def test_sizes_and_counts_are_written_the_swedish_way() -> None:
    from ksctl.render.overview import count_text, size_text

    sizes = (512, 999, 1000, 34_567, 999_499, 999_500, 1_234_567)
    assert [size_text(n).replace("\u00a0", " ") for n in sizes] == [
        "512 byte",
        "999 byte",
        "1 kB",
        "35 kB",
        "999 kB",
        "1,0 MB",
        "1,2 MB",
    ]
    assert count_text(1451) == "1\u00a0451"
    assert " " not in size_text(273)  # "273 byte" stays on one line
    assert count_text(12) == "12"


def test_open_data_inside_the_site_is_refused_as_the_site_carries_it(
    registry_copy, run_line, tmp_path
) -> None:
    site = tmp_path / "site"
    r = run_line(
        ["ksctl", "export", "--html", str(site), "--csv", str(site / "data")], cwd=registry_copy
    )
    assert r.exit_code == 2
    assert "carries the open data itself" in r.stderr and "--csv" in r.stderr
    assert not site.exists()  # refused before anything is written
    _export(run_line, registry_copy, "--html", str(site), "--json", str(tmp_path / "all.json"))
    assert (site / "data/registry.json").read_bytes() == (tmp_path / "all.json").read_bytes()


def test_exports_that_would_clear_each_other_are_refused(registry_copy, run_line, tmp_path) -> None:
    site = tmp_path / "site"
    for args in (["--csv", str(site)], ["--markdown", str(site)]):
        r = run_line(["ksctl", "export", "--html", str(site), *args], cwd=registry_copy)
        assert r.exit_code == 2, args
        assert "choose separate folders" in r.stderr
    assert not site.exists()


def test_a_site_refuses_open_data_an_earlier_export_left_in_its_data_folder(
    registry_copy, run_line, tmp_path
) -> None:
    """The open data was once written with `--csv site/data --json site/data/registret.json`
    beside the site; those files would be published out of date beside the site's own."""
    site = tmp_path / "site"
    _export(run_line, registry_copy, "--html", str(site))
    (site / "data/registret.json").write_text("{}", encoding="utf-8")
    r = run_line(["ksctl", "export", "--html", str(site)], cwd=registry_copy)
    assert r.exit_code == 2
    assert "data/registret.json" in r.stderr and "remove" in r.stderr
    (site / "data/registret.json").unlink()
    _export(run_line, registry_copy, "--html", str(site))  # its own files it replaces
    # The open data alone, into the site's data/: the site is named, not "no export".
    r = run_line(["ksctl", "export", "--csv", str(site / "data")], cwd=registry_copy)
    assert r.exit_code == 2
    assert f"part of the export in {site.resolve()}" in r.stderr


def test_a_site_without_its_address_is_told_what_a_catalogue_needs(
    registry_copy, run_line, tmp_path
) -> None:
    """dcat.rdf and the feed give relative addresses without site.url, and the export
    said nothing about it."""
    r = run_line(["ksctl", "export", "--html", str(tmp_path / "site")], cwd=registry_copy)
    assert r.exit_code == 0, r.stderr
    assert "ksctl: note: site.url is not set in ksctl.yaml" in r.stderr
    r = run_line(["ksctl", "export", "--csv", str(tmp_path / "csv")], cwd=registry_copy)
    assert "site.url" not in r.stderr  # tables alone carry no addresses
    settings = registry_copy / "registry/ksctl.yaml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + "site:\n  url: https://example.se/katalog/\n",
        encoding="utf-8",
    )
    r = run_line(["ksctl", "export", "--html", str(tmp_path / "site2")], cwd=registry_copy)
    assert r.exit_code == 0, r.stderr
    assert "site.url" not in r.stderr
