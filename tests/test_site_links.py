"""Links in the published directory: only web, mail and phone addresses go out as links;
anything else a registry file holds (javascript:, data:, a scheme hidden by a tab) is text."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import build_tree

from ksctl.render.site import safe_href

CASE = Path(__file__).parent / "cases/positive/rules-clean-structure"
PERSON = "registry/regions/norrbotten/people/lanka.yaml"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("https://example.org/a?b=1", "https://example.org/a?b=1"),
        ("HTTP://example.org", "HTTP://example.org"),
        ("mailto:eva@example.org", "mailto:eva@example.org"),
        ("tel:+46101234567", "tel:+46101234567"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        (" javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox(1)", None),
        ("//example.org/x", None),
        ("https://exa mple.org", None),
        ("", None),
    ],
)
def test_safe_href_allows_only_web_mail_and_phone(target: str, expected: str | None) -> None:
    assert safe_href(target) == expected


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(CASE / "registry", root / "registry")
    build_tree(
        root,
        {
            PERSON: "name: Länka Lisa\n"
            "contact:\n"
            "  - {type: url, value: 'javascript:alert(1)', public: true}\n"
            '  - {type: url, value: "java\\tscript:alert(2)", public: true}\n'
            "  - {type: url, value: 'data:text/html,hej', public: true}\n"
            "  - {type: url, value: 'https://example.org/lisa', public: true}\n"
            "  - {type: email, value: lisa@example.org, public: true}\n"
            "  - {type: phone, value: '+46 10-123 45 67', public: true}\n",
        },
    )
    return root


def _hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


def test_html_links_only_safe_schemes_and_shows_the_rest_as_text(repo, run_line, tmp_path):
    out = tmp_path / "site"
    r = run_line(["ksctl", "export", "--html", str(out)], cwd=repo)
    assert r.exit_code == 0, r.stderr
    page = (out / "person/lanka.html").read_text(encoding="utf-8")
    hrefs = _hrefs(page)
    assert "https://example.org/lisa" in hrefs
    assert "mailto:lisa@example.org" in hrefs
    assert "tel:+46101234567" in hrefs
    assert not [h for h in hrefs if "script" in h.lower() or h.startswith("data:")]
    assert "javascript:alert(1)" in page  # shown, as text
    assert "data:text/html,hej" in page
    for path in out.rglob("*.html"):
        for h in _hrefs(path.read_text(encoding="utf-8")):
            scheme = re.match(r"^([a-zA-Z][a-zA-Z0-9+.-]*):", h)
            assert scheme is None or scheme[1].lower() in {"http", "https", "mailto", "tel"}, h


def test_markdown_links_only_safe_schemes_and_shows_the_rest_as_text(repo, run_line, tmp_path):
    out = tmp_path / "md"
    r = run_line(["ksctl", "export", "--markdown", str(out)], cwd=repo)
    assert r.exit_code == 0, r.stderr
    page = (out / "person/lanka.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)]*)\)", page)
    assert "https://example.org/lisa" in targets
    assert "mailto:lisa@example.org" in targets
    assert not [t for t in targets if "script" in t.lower() or t.startswith("data:")]
    assert "javascript:alert(1)" in page
    assert "](javascript" not in page


@pytest.mark.parametrize(("html", "ext"), [(True, ".html"), (False, ".md")])
def test_the_url_filter_itself_refuses_unsafe_targets(html: bool, ext: str) -> None:
    """A registry's own template may pass any value to `url`; it still never links out
    to anything but a web, mail or phone address."""
    from ksctl import loader
    from ksctl.render import export
    from ksctl.render.site import Page

    registry = loader.load(CASE / "registry").registry
    url = export._environment(registry, ext, html=html).filters["url"]
    page = Page("npo/akut-vard", "Akut vård", "npo")
    assert url("rpo/norra/akut-vard", page) == f"../rpo/norra/akut-vard{ext}"
    assert url("https://example.org/a", page) == "https://example.org/a"
    for bad in ("javascript:alert(1)", "java\tscript:alert(1)", "data:,x", "//evil.example"):
        assert url(bad, page) == "", bad
    wrapped = url("https://example.org/a_(b)", page)
    assert wrapped == ("https://example.org/a_(b)" if html else "https://example.org/a_%28b%29")
