"""`ksctl new`: a new file at the right path, checked by the validation CI runs (duplicate ids
anywhere, the rules, the registry's own rule settings) and written only when that finds no
error it brings."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from conftest import SETTINGS, build_tree
from hypothesis import strategies as st

from ksctl import edit
from ksctl.diagnostics import Severity

KEYS = ["name", "title", "aliases", "employer", "unit", "notes"]
text = st.text(alphabet="abcåäöÅÄÖ -:#'\"&,.[]{}0123456789", min_size=1, max_size=12)
comment = st.text(alphabet="abcåäö xyz", min_size=1, max_size=10)


NORRBOTTEN = {
    "registry/ksctl.yaml": SETTINGS,
    "registry/healthcare-regions/norra/healthcare-region.yaml": (
        "name: Norra\nofficial_name: Norra sjukvårdsregionen\n"
    ),
    "registry/regions/norrbotten/region.yaml": (
        "name: Region Norrbotten\ncounty_code: '25'\nhealthcare_region: norra\n"
    ),
}


def test_new_scaffolds_validates_and_writes(tmp_path: Path, run_line) -> None:
    build_tree(
        tmp_path,
        NORRBOTTEN,
    )
    r = run_line(
        [
            "ksctl",
            "new",
            "person",
            "ida-ek",
            "--name",
            "Ida Ek",
            "--in",
            "region:norrbotten",
            "--set",
            "employer=region:norrbotten",
        ],
        cwd=tmp_path,
    )
    assert r.exit_code == 0, r.stderr
    created = tmp_path / "registry/regions/norrbotten/people/ida-ek.yaml"
    assert created.read_text() == (
        "# yaml-language-server: $schema=../../../../schemas/person.schema.json\n"
        "name: Ida Ek\nemployer: region:norrbotten\n"
    )
    r = run_line(
        [
            "ksctl",
            "new",
            "lpo",
            "norrbotten/akut-vard",
            "--name",
            "LPO Akut vård",
            "--set",
            "status=not-established",
        ],
        cwd=tmp_path,
    )
    assert r.exit_code == 1 and "names its contact_person" in r.stderr
    assert not (tmp_path / "registry/regions/norrbotten/programme-areas/akut-vard.yaml").exists()
    r = run_line(["ksctl", "new", "rpo", "nowhere/akut-vard", "--name", "RPO"], cwd=tmp_path)
    assert r.exit_code == 1 and "under healthcare-region 'nowhere'" in r.stderr
    r = run_line(["ksctl", "new", "region", "x", "--name", "X"], cwd=tmp_path)
    assert r.exit_code == 2 and "needs: county_code, healthcare_region" in r.stderr
    assert run_line(["ksctl", "validate"], cwd=tmp_path).exit_code == 0


def test_new_refuses_what_validation_would_reject_and_takes_lists_in_flow_style(
    tmp_path: Path, run_line
) -> None:
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            "registry/healthcare-regions/vastra/healthcare-region.yaml": (
                "name: Västra\nofficial_name: Västra sjukvårdsregionen\n"
            ),
            "registry/national/people/anna.yaml": "name: Anna\n",
            "registry/regions/orebro/region.yaml": (
                "name: Region Örebro län\ncounty_code: '18'\nhealthcare_region: vastra\n"
            ),
        },
    )
    r = run_line(["ksctl", "new", "npo", "tandvard", "--name", "Tandvård"], cwd=tmp_path)
    assert r.exit_code == 1 and "error[KS401]" in r.stderr  # an area needs its host
    assert not (tmp_path / "registry/national/programme-areas/tandvard.yaml").exists()
    host = "hosting=[{host: healthcare-region:vastra, from: 2026}]"
    r = run_line(
        ["ksctl", "new", "npo", "tandvard", "--name", "Tandvård", "--set", host], cwd=tmp_path
    )
    assert r.exit_code == 0, r.stderr
    r = run_line(["ksctl", "who-hosts", "tandvård", "--json"], cwd=tmp_path)
    assert json.loads(r.stdout)["host"]["id"] == "vastra"
    r = run_line(  # the same person id elsewhere: taken, and said where
        ["ksctl", "new", "person", "anna", "--name", "Anna", "--in", "region:orebro"],
        cwd=tmp_path,
    )
    assert r.exit_code == 2
    assert "the person id 'anna' is taken by registry/national/people/anna.yaml" in r.stderr
    assert not (tmp_path / "registry/regions/orebro/people/anna.yaml").exists()


# ------------------------------------------------------------------ bytes fmt must not lose
PERSON = "registry/national/people/"


def test_new_writes_files_with_the_mode_the_umask_gives(tmp_path: Path, run_line) -> None:
    build_tree(tmp_path, {"registry/ksctl.yaml": SETTINGS})
    before = os.umask(0o022)
    try:
        assert run_line(["ksctl", "new", "person", "ann-ek", "--name", "A"], cwd=tmp_path)
        os.umask(0o002)
        assert run_line(["ksctl", "new", "person", "bo-ek", "--name", "B"], cwd=tmp_path)
    finally:
        os.umask(before)
    people = tmp_path / PERSON
    assert stat.S_IMODE((people / "ann-ek.yaml").stat().st_mode) == 0o644
    assert stat.S_IMODE((people / "bo-ek.yaml").stat().st_mode) == 0o664
    # fmt keeps the mode a file has
    (people / "bo-ek.yaml").write_text("title: x\nname: B\n")
    (people / "bo-ek.yaml").chmod(0o640)
    assert run_line(["ksctl", "fmt"], cwd=tmp_path).exit_code == 0
    assert (people / "bo-ek.yaml").read_text() == "name: B\ntitle: x\n"
    assert stat.S_IMODE((people / "bo-ek.yaml").stat().st_mode) == 0o640


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


def test_in_takes_a_place_by_its_bare_id_when_only_one_place_has_it(
    tmp_path: Path, run_line
) -> None:
    """`--in orebro` was a usage error; only a region and a healthcare region sharing an
    id need their kind."""
    build_tree(
        tmp_path,
        NORRBOTTEN,
    )
    r = run_line(
        ["ksctl", "new", "person", "ida-ek", "--name", "Ida Ek", "--in", "norrbotten"],
        cwd=tmp_path,
    )
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "registry/regions/norrbotten/people/ida-ek.yaml").exists()
    r = run_line(
        ["ksctl", "new", "person", "bo-ek", "--name", "Bo Ek", "--in", "norra"], cwd=tmp_path
    )
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "registry/healthcare-regions/norra/people/bo-ek.yaml").exists()
    r = run_line(["ksctl", "new", "person", "cy-ek", "--in", "nowhere"], cwd=tmp_path)
    assert r.exit_code == 2 and "--in takes one region or healthcare region" in r.stderr
    # by its name, as the questions take it; a guess (a typo) is no ground for writing
    r = run_line(
        ["ksctl", "new", "person", "dan-ek", "--name", "Dan Ek", "--in", "Region Norrbotten"],
        cwd=tmp_path,
    )
    assert r.exit_code == 0, r.stderr
    assert (tmp_path / "registry/regions/norrbotten/people/dan-ek.yaml").exists()
    r = run_line(["ksctl", "new", "person", "ed-ek", "--in", "Norrbottn"], cwd=tmp_path)
    assert r.exit_code == 2


def test_a_place_in_the_id_says_where_as_the_registry_names_it(tmp_path: Path, run_line) -> None:
    """`new body orebro/ny-grupp` (as `body:orebro/rmks` names a body) was refused with "a
    body id has 1 part", and with `--in orebro` with "has 2 parts", though 2 were given."""
    build_tree(tmp_path, NORRBOTTEN)
    for words in (["norrbotten/rad-a"], ["norrbotten/rad-b", "--in", "norrbotten"]):
        r = run_line(
            ["ksctl", "new", "body", *words, "--name", "Rådet", "--set", "type=council"],
            cwd=tmp_path,
        )
        assert r.exit_code == 0, r.stderr
    assert sorted(p.name for p in (tmp_path / "registry/regions/norrbotten/bodies").iterdir()) == [
        "rad-a.yaml",
        "rad-b.yaml",
    ]
    r = run_line(
        ["ksctl", "new", "body", "norra/rad-c", "--in", "norrbotten", "--name", "R"],
        cwd=tmp_path,
    )
    assert r.exit_code == 2
    assert "--in norrbotten says where the body is, so its id is one part, not 'norra/rad-c'" in (
        r.stderr
    )
    # the place by its name, the id as a reference writes it, and ids of more parts
    for words in (
        ["norrbotten/rad-d", "--in", "Region Norrbotten"],
        ["body:norrbotten/rad-e"],
    ):
        r = run_line(
            ["ksctl", "new", "body", *words, "--name", "R", "--set", "type=council"],
            cwd=tmp_path,
        )
        assert r.exit_code == 0, r.stderr
    r = run_line(["ksctl", "new", "body", "norrbotten/a/b", "--name", "R"], cwd=tmp_path)
    assert r.exit_code == 2
    assert "a body's id is <id> or <place>/<id>, not 'norrbotten/a/b'" in r.stderr
    # a folder both a region and a healthcare region have: say which
    (tmp_path / "registry/healthcare-regions/norrbotten").mkdir()
    r = run_line(["ksctl", "new", "body", "norrbotten/rad-f", "--name", "R"], cwd=tmp_path)
    assert r.exit_code == 2
    assert "'norrbotten' is both a region and a healthcare region: say which" in r.stderr


def test_a_blank_in_is_a_usage_error(tmp_path: Path, run_line) -> None:
    """`--in ""` named both folders and said "'' is both a region and a healthcare region"."""
    build_tree(tmp_path, NORRBOTTEN)
    for blank in ("", " "):
        r = run_line(
            ["ksctl", "new", "person", "ida-ek", "--name", "I", "--in", blank], cwd=tmp_path
        )
        assert r.exit_code == 2
        assert "--in needs a region or healthcare region" in r.stderr


@pytest.mark.parametrize(
    ("ident", "said"),
    [
        ("åsa-öström", "(did you mean 'asa-ostrom'?)"),
        ("Åsa Öström", "(did you mean 'asa-ostrom'?)"),
        ("x_", "(did you mean 'x'?)"),
        ("_", ""),  # nothing plain to suggest
    ],
)
def test_an_id_with_letters_outside_a_z_is_given_the_plain_one(
    tmp_path: Path, run_line, ident: str, said: str
) -> None:
    build_tree(tmp_path, NORRBOTTEN)
    r = run_line(["ksctl", "new", "person", ident, "--name", "Åsa Öström"], cwd=tmp_path)
    assert r.exit_code == 2
    assert f"{ident!r} is not a valid id: use a-z, 0-9 and '-'" in r.stderr
    assert said in r.stderr and ("did you mean" in r.stderr) == bool(said)
    assert not list((tmp_path / "registry").rglob("*str*"))


@pytest.mark.parametrize(
    ("employer", "written"),
    [
        ("region:norrbotten", "registry/regions/norrbotten/people/ida-ek.yaml"),
        ("municipality:2580", "registry/regions/norrbotten/people/ida-ek.yaml"),  # Luleå's
        ("organisation:skr", "registry/national/people/ida-ek.yaml"),
    ],
)
def test_a_new_person_without_in_is_filed_where_the_employer_is(
    tmp_path: Path, run_line, employer: str, written: str
) -> None:
    """It went to national/people/, where KS463 at once warned that it does not belong."""
    build_tree(
        tmp_path,
        {
            **NORRBOTTEN,
            "registry/regions/norrbotten/region.yaml": (
                "name: Region Norrbotten\ncounty_code: '25'\nhealthcare_region: norra\n"
                "municipalities:\n  - {code: '2580', name: Luleå}\n"
            ),
            "registry/national/organisations/skr.yaml": (
                "name: Sveriges Kommuner och Regioner\ntype: association\n"
            ),
        },
    )
    r = run_line(
        ["ksctl", "new", "person", "ida-ek", "--name", "Ida Ek", "--set", f"employer={employer}"],
        cwd=tmp_path,
    )
    assert r.exit_code == 0, r.stderr
    assert f"{written}: created" in r.stdout + r.stderr
    assert "KS463" not in r.stdout + r.stderr
    assert (tmp_path / written).is_file()


def test_a_new_person_with_a_missing_employer_is_not_written(tmp_path: Path, run_line) -> None:
    build_tree(tmp_path, NORRBOTTEN)
    r = run_line(
        ["ksctl", "new", "person", "ida-ek", "--name", "I", "--set", "employer=region:nowhere"],
        cwd=tmp_path,
    )
    assert r.exit_code == 1
    assert "error[KS301] no region with id 'nowhere'" in r.stdout + r.stderr
    assert not list((tmp_path / "registry").rglob("ida-ek.yaml"))
