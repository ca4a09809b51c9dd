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
    with (tmp_path / "csv/memberships.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    npo_seats = [
        (r["person"], r["role"], r["represents"], r["from"])
        for r in rows
        if r["group_kind"] == "npo" and r["group_id"] == "akut-vard"
    ]
    assert npo_seats == [
        ("anna", "chair", "healthcare-region:norra", "2024-01-01"),
        ("bo", "member", "healthcare-region:vastra", "2024-01-01"),
    ]
    with (tmp_path / "csv/region.csv").open(encoding="utf-8") as f:
        regions = list(csv.DictReader(f))
    assert [(r["id"], r["county_code"]) for r in regions] == [
        ("norrbotten", "25"),
        ("vastra-gotaland", "14"),
    ]


def test_export_needs_a_target(run_line, registry_copy) -> None:
    r = run_line(["ksctl", "export"], cwd=registry_copy)
    assert r.exit_code == 2 and "--html DIR" in r.stderr
