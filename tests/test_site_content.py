"""What the site's pages show: the language of free-text notes, contact details on
national programme areas, each region's handling of a knowledge support, the footer's
data date and commit, a registry's own templates, the progress of an export."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import NATIONAL_FIXTURE, build_tree

from ksctl import loader
from ksctl.render import export
from ksctl.render.site import text_language

CASE = Path(__file__).parent / "cases/positive/rules-clean-structure"
NPO = "registry/national/programme-areas/akut-vard.yaml"
ENGLISH = "2021 official wording counts it apart from the 26 NPO; host only from seed"
SWEDISH = "Hette Sveriges Kommuner och Landsting (SKL) till 2019."


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(CASE / "registry", root / "registry")
    return root


def _export(run_line, repo: Path, *args: str) -> None:
    r = run_line(["ksctl", "export", *args], cwd=repo)
    assert r.exit_code == 0, r.stderr


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (ENGLISH, "en"),
        ("host not found", "en"),
        ("formerly Landstinget Blekinge", "en"),
        ("older sources write Stockholm och Gotlands sjukvårdsregion", "en"),
        ("approved at the same SKS meeting as hjärtsvikt", "en"),
        (SWEDISH, "sv"),
        ("Mandatperiodernas start är inte publicerad.", "sv"),
        ("Tar fram nationella riktlinjer.", "sv"),  # no function word: the site's language
        ("municipal_participation: false betyder bara att området inte fanns", "sv"),
        ("Samverkar med Västra sjukvårdsregionen (SFS 1982:777 i lydelse 1997:927)", "sv"),
    ],
)
def test_text_language_tells_english_notes_from_swedish(text: str, lang: str) -> None:
    assert text_language(text) == lang


def test_english_notes_are_marked_lang_en(repo, run_line, tmp_path) -> None:
    npo = repo / NPO
    npo.write_text(
        npo.read_text(encoding="utf-8") + f"notes:\n  - '{ENGLISH}'\n  - '{SWEDISH}'\n",
        encoding="utf-8",
    )
    _export(run_line, repo, "--html", str(tmp_path / "site"), "--markdown", str(tmp_path / "md"))
    page = (tmp_path / "site/npo/akut-vard.html").read_text(encoding="utf-8")
    assert f'<li lang="en">{ENGLISH}</li>' in page
    assert f"<li>{SWEDISH}</li>" in page
    assert page.count('lang="en"') == 1
    markdown = (tmp_path / "md/npo/akut-vard.md").read_text(encoding="utf-8")
    assert f"- {ENGLISH}\n" in markdown


COUNCIL = "registry/national/programme-areas/primarvardsradet.yaml"


@pytest.fixture
def contacts_repo(repo: Path) -> Path:
    npo = repo / NPO
    npo.write_text(
        npo.read_text(encoding="utf-8") + "contact:\n"
        "  - {type: email, value: npo-akut@example.org, public: true}\n"
        "  - {type: email, value: hemlig-npo@example.org}\n",
        encoding="utf-8",
    )
    (repo / COUNCIL).write_text(
        "name: Nationellt primärvårdsråd\ncategory: council\n"
        "hosting:\n  - {host: healthcare-region:vastra, from: 2020-01-01}\n"
        "contact:\n"
        "  - {type: url, value: 'https://example.org/primarvard', public: true}\n"
        "  - {type: phone, value: '010-123 45 67'}\n",
        encoding="utf-8",
    )
    return repo


def test_npo_and_council_pages_show_public_contacts(contacts_repo, run_line, tmp_path) -> None:
    _export(run_line, contacts_repo, "--html", str(tmp_path / "site"))
    npo = (tmp_path / "site/npo/akut-vard.html").read_text(encoding="utf-8")
    assert '<a href="mailto:npo-akut@example.org">npo-akut@example.org</a>' in npo
    assert "<dt>Kontakt</dt>" in npo
    assert "hemlig-npo" not in npo
    council = (tmp_path / "site/npo/primarvardsradet.html").read_text(encoding="utf-8")
    assert "Nationellt primärvårdsråd</dd>" in council
    assert '<a href="https://example.org/primarvard">' in council
    assert "123 45 67" not in council


def test_npo_and_council_pages_show_private_contacts_only_when_asked(
    contacts_repo, run_line, tmp_path
) -> None:
    _export(run_line, contacts_repo, "--html", str(tmp_path / "site"), "--include-private")
    npo = (tmp_path / "site/npo/akut-vard.html").read_text(encoding="utf-8")
    assert '<a href="mailto:hemlig-npo@example.org">' in npo
    council = (tmp_path / "site/npo/primarvardsradet.html").read_text(encoding="utf-8")
    assert '<a href="tel:0101234567">010-123 45 67</a>' in council


# ---------------------------------------------------------------- the export itself


class _Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[int, int]] = []

    def __call__(self, done: int, total: int) -> None:
        self.calls.append((done, total))


def test_progress_is_reported_page_by_page(tmp_path) -> None:
    registry = loader.load(CASE / "registry").registry
    stamp = export.Stamp("2025-06-01", "abc1234")
    for writer, out, ext in (
        (export.export_html, tmp_path / "site", ".html"),
        (export.export_markdown, tmp_path / "md", ".md"),
    ):
        record = _Recorder()
        writer(registry, out, stamp, progress=record)
        pages = len(list(out.rglob("*" + ext)))
        assert pages > 20
        assert record.calls == [(i, pages) for i in range(1, pages + 1)], ext


def test_the_print_stylesheet_is_linked_from_every_page(tmp_path) -> None:
    registry = loader.load(CASE / "registry").registry
    export.export_html(registry, tmp_path, export.Stamp("2025-06-01", "abc1234"))
    css = (tmp_path / "static/style.css").read_text(encoding="utf-8")
    assert "@media print" in css
    printing = css.split("@media print", 1)[1]
    assert re.search(r"\.site-header[^{]*\{\s*display:\s*none", printing)
    pages = sorted(tmp_path.rglob("*.html"))
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        links = re.findall(r"<link [^>]*>", html)
        root = "../" * (len(page.relative_to(tmp_path).parts) - 1)
        assert f'<link rel="stylesheet" href="{root}static/style.css">' in links, page


class _Resources(HTMLParser):
    """Every address a page loads by itself (not the links a reader follows)."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("src", "srcset", "poster", "data", "background") or (
                name == "href" and tag != "a"
            ):
                self.loaded.append(f"<{tag} {name}={value}>")
            if name == "style" and "url(" in value:
                self.loaded.append(f"<{tag} style={value}>")


def _outside(address: str) -> bool:
    return re.search(r"(^|[\s=(\"'])(https?:)?//", address) is not None


@pytest.mark.parametrize("name", ["fixture", "national"])
def test_no_page_loads_anything_from_another_host(name, tmp_path) -> None:
    root = CASE / "registry" if name == "fixture" else NATIONAL_FIXTURE
    if not (root / "ksctl.yaml").is_file():
        pytest.skip("no registry/ in the repository")
    export.export_html(loader.load(root).registry, tmp_path, export.Stamp("2025-06-01", "x"))
    outside, seen = [], 0
    for page in sorted(tmp_path.rglob("*.html")):
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        seen += len(parser.loaded)
        outside += [f"{page.name}: {a}" for a in parser.loaded if _outside(a)]
    for asset in sorted(p for p in (tmp_path / "static").rglob("*") if p.is_file()):
        text = asset.read_text(encoding="utf-8")
        outside += [f"{asset.name}: {m}" for m in re.findall(r"@import[^;]*|url\([^)]*\)", text)]
        outside += [f"{asset.name}: {m}" for m in re.findall(r"https?://\S+", text)]
    assert seen > 20  # the stylesheet and the search script, at least
    assert outside == []


def test_a_registry_template_overrides_the_shipped_one(repo, run_line, tmp_path) -> None:
    build_tree(
        repo,
        {
            "templates/html/entity.html.j2": '{% extends "html/base.html.j2" %}'
            "{% block main %}<h1>{{ page.title }}</h1><p>Egen mall</p>{% endblock %}\n",
            "templates/markdown/page.md.j2": "# {{ page.title }}\n\nEgen Markdown-mall\n",
            "templates/static/style.css": "/* egen stil */\n",
        },
    )
    _export(run_line, repo, "--html", str(tmp_path / "site"), "--markdown", str(tmp_path / "md"))
    npo = (tmp_path / "site/npo/akut-vard.html").read_text(encoding="utf-8")
    assert "<p>Egen mall</p>" in npo and "<dl" not in npo
    assert "Hoppa till innehållet" in npo  # the shipped base template, not overridden
    index = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert "Egen mall" not in index and "Värdskap för nationella programområden" in index
    assert (tmp_path / "site/static/style.css").read_text() == "/* egen stil */\n"
    md = (tmp_path / "md/npo/akut-vard.md").read_text(encoding="utf-8")
    assert md == "# Akut vård\n\nEgen Markdown-mall\n"


def test_knowledge_support_page_shows_each_regions_handling_stage(repo, run_line, tmp_path) -> None:
    build_tree(
        repo,
        {
            "registry/regions/vastra-gotaland/handling/vf-sepsis.yaml": "stage: kartlaggning\n"
            "steps:\n  - {stage: remiss, date: 2020-02-01}\n"
            "  - {stage: kartlaggning, date: 2021-03-01}\n"
        },
    )
    _export(run_line, repo, "--html", str(tmp_path / "site"), "--markdown", str(tmp_path / "md"))
    page = (tmp_path / "site/kunskapsstod/vf-sepsis.html").read_text(encoding="utf-8")
    section = re.split(r"<h2[^>]*>Regionernas hantering</h2>", page)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr><th scope=\"row\">(.*?)</th>(.*?)</tr>", section)
    assert rows == [
        (
            '<a href="../region/norrbotten.html">Region Norrbotten</a>',
            '<td>Uppföljning</td><td><span class="date">2025-12-01</span></td>',
        ),
        (
            '<a href="../region/vastra-gotaland.html">Västra Götalandsregionen</a>',
            "<td>Kartläggning</td><td></td>",
        ),
    ]
    md = (tmp_path / "md/kunskapsstod/vf-sepsis.md").read_text(encoding="utf-8")
    assert "| [Region Norrbotten](../region/norrbotten.md) | Uppföljning | 2025-12-01 |" in md


# ---------------------------------------------------------------- the footer


def _git(repo: Path, *args: str, **env: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, **env},
    )
    return done.stdout.strip()


@pytest.fixture
def git_repo(repo: Path) -> Path:
    build_tree(repo, {"README.md": "Registret\n"})
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base", GIT_COMMITTER_DATE="2024-05-06T12:00:00+02:00")
    return repo


def _footers(site: Path, suffix: str) -> list[str]:
    pages = sorted(site.rglob("*" + suffix))
    assert len(pages) > 20
    return [p.read_text(encoding="utf-8").rsplit("Uppgifterna gäller per", 1)[1] for p in pages]


def test_every_footer_carries_the_data_date_and_the_commit(git_repo, run_line, tmp_path) -> None:
    commit = _git(git_repo, "log", "-1", "--format=%h")
    site, md = tmp_path / "site", tmp_path / "md"
    _export(run_line, git_repo, "--html", str(site), "--markdown", str(md))
    for footer in _footers(site, ".html"):
        assert footer.startswith(f" 2024-05-06. Byggd från commit <code>{commit}</code> med ksctl")
    for footer in _footers(md, ".md"):
        assert footer.startswith(f" 2024-05-06. Byggd från commit `{commit}` med ksctl")


DIRTY = "och ändringar i registret som inte är incheckade"


@pytest.mark.parametrize(
    ("change", "marked"),
    [
        ("edit", True),
        ("staged", True),
        ("untracked", True),
        ("outside", False),
    ],
)
def test_the_footer_says_when_the_registry_has_uncommitted_changes(
    git_repo, run_line, tmp_path, change, marked
) -> None:
    commit = _git(git_repo, "log", "-1", "--format=%h")
    npo = git_repo / NPO
    if change in ("edit", "staged"):
        npo.write_text(npo.read_text(encoding="utf-8") + "notes: [Ny notering.]\n", "utf-8")
        if change == "staged":
            _git(git_repo, "add", NPO)
    elif change == "untracked":
        build_tree(git_repo, {"registry/regions/norrbotten/people/ny.yaml": "name: Ny Person\n"})
    else:
        build_tree(git_repo, {"README.md": "Registret, ändrat\n", "anteckning.txt": "x\n"})
    site, md = tmp_path / "site", tmp_path / "md"
    _export(run_line, git_repo, "--html", str(site), "--markdown", str(md))
    html_mark = f"<code>{commit}</code> {DIRTY}, med ksctl"
    md_mark = f"`{commit}` {DIRTY}, med ksctl"
    for footer in _footers(site, ".html"):
        assert (html_mark in footer) is marked
    for footer in _footers(md, ".md"):
        assert (md_mark in footer) is marked


@pytest.mark.parametrize(
    ("name", "broken"),
    [
        ("Cancersjukdomar", "Cancer|sjukdomar"),
        ("Ögonsjukdomar", "Ögon|sjukdomar"),
        ("Sjukvårdsregion Mellansverige", "Sjukvårds|region Mellansverige"),
        ("Nationellt primärvårdsråd", "Nationellt primärvårds|råd"),
        ("Perioperativ vård, intensivvård", "Perioperativ vård, intensiv|vård"),
        ("Programområde", "Program|område"),
        ("Akut vård", "Akut vård"),  # a word of its own is never broken
        ("Levnadsvanor", "Levnadsvanor"),  # no compound end it knows
    ],
)
def test_long_compounds_may_break_with_a_hyphen(name: str, broken: str) -> None:
    from ksctl.text import SOFT_HYPHEN, breakable

    assert breakable(name).replace(SOFT_HYPHEN, "|") == broken


def test_the_hosting_matrix_names_break_at_their_compounds(tmp_path) -> None:
    """At 320 px the matrix's first column cut "Cancersjukdo|mar" anywhere, without a
    hyphen; its names now break where a Swedish reader expects."""
    out = tmp_path / "site"
    export.export_html(loader.load(NATIONAL_FIXTURE).registry, out, export.Stamp("2026-01-01", "x"))
    matrix = (out / "index.html").read_text(encoding="utf-8").split('class="matrix"', 1)[1]
    assert ">Cancer\u00adsjukdomar</a>" in matrix
    assert "Program&shy;område" in matrix
    # A Markdown tree has none: a git host's search would not find the name.
    md = tmp_path / "md"
    registry = loader.load(NATIONAL_FIXTURE).registry
    export.export_markdown(registry, md, export.Stamp("2026-01-01", "x"))
    index = (md / "index.md").read_text(encoding="utf-8")
    assert "Cancersjukdomar" in index and "\u00ad" not in index
