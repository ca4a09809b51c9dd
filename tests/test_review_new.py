"""`ksctl new` checks a new file as a full validation would: duplicate ids anywhere, the
rules of kunskapsstyrning, the registry's own rule settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SETTINGS, build_tree

from ksctl import edit
from ksctl.diagnostics import Severity

FILES = {
    "registry/ksctl.yaml": SETTINGS,
    "registry/healthcare-regions/norra/healthcare-region.yaml": (
        "name: Norra\nofficial_name: Norra sjukvårdsregionen\n"
    ),
    "registry/regions/norrbotten/region.yaml": (
        "name: Region Norrbotten\ncounty_code: '25'\nhealthcare_region: norra\n"
    ),
    "registry/regions/norrbotten/people/anna-stahl.yaml": "name: Anna Ståhl\n",
    "registry/regions/norrbotten/bodies/rad.yaml": (
        "name: Rådet\ntype: council\nmembers:\n  - {person: anna-stahl, role: chair}\n"
    ),
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return build_tree(tmp_path, FILES) / "registry"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_person_id_already_used_elsewhere_is_an_error(root: Path) -> None:
    before = _snapshot(root.parent)
    relpath, text = edit.scaffold("person", "anna-stahl", {"name": "Anna"})
    found = edit.check_new(root, relpath, text)
    # The new file sorts first, so the full run reports the duplicate on the other file.
    assert [(d.code, d.path, d.severity) for d in found] == [
        ("KS303", "registry/regions/norrbotten/people/anna-stahl.yaml", Severity.ERROR),
    ]
    assert "registry/national/people/anna-stahl.yaml" in found[0].message
    assert _snapshot(root.parent) == before  # nothing written in the registry


def test_an_area_without_a_host_breaks_a_rule(root: Path) -> None:
    relpath, text = edit.scaffold("npo", "test-area", {"name": "T"})
    found = edit.check_new(root, relpath, text)
    assert [(d.code, d.path) for d in found if d.severity is Severity.ERROR] == [
        ("KS401", "registry/national/programme-areas/test-area.yaml")
    ]


def test_a_clean_file_has_only_its_notes_and_the_rules_settings_count(root: Path) -> None:
    relpath, text = edit.scaffold(
        "person",
        "ida-ek",
        {"name": "Ida Ek", "employer": "region:norrbotten"},
        place="region:norrbotten",
    )
    found = edit.check_new(root, relpath, text)
    assert [(d.code, d.severity) for d in found] == [("KS461", Severity.INFO)]
    settings = SETTINGS.replace("rules:\n", "rules:\n  KS461: error\n")
    (root / "ksctl.yaml").write_text(settings, encoding="utf-8")
    found = edit.check_new(root, relpath, text)
    assert [(d.code, d.severity) for d in found] == [("KS461", Severity.ERROR)]


def test_errors_the_registry_already_has_are_not_the_new_files(root: Path) -> None:
    (root / "regions/norrbotten/bodies/rad.yaml").write_text(
        "name: Rådet\ntype: council\nmembers:\n  - {person: nobody, role: chair}\n",
        encoding="utf-8",
    )
    relpath, text = edit.scaffold("person", "ida-ek", {"name": "Ida Ek"})
    assert [d.code for d in edit.check_new(root, relpath, text)] == ["KS461"]
