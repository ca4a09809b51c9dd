"""`ksctl validate` and `ksctl schema` as a user runs them: formats, exit codes, discovery."""

from __future__ import annotations

import json

import pytest
from conftest import SETTINGS, build_tree

HR = "name: Norra\nofficial_name: Norra sjukvårdsregionen\n"
HRF = "registry/healthcare-regions/norra/healthcare-region.yaml"
BAD = HR + "nmae: typo\n"
# A misplaced file is an error by default (KS112); turned down to a warning here.
WARN_ONLY = {
    "registry/ksctl.yaml": SETTINGS + "  KS112: warning\n",
    HRF: HR,
    "registry/misplaced.yaml": "a: 1\n",
}


def test_clean_registry_exits_0_and_says_so(tmp_path, run_line) -> None:
    build_tree(tmp_path, {"registry/ksctl.yaml": SETTINGS, HRF: HR})
    r = run_line(["ksctl", "validate"], cwd=tmp_path)
    assert r.exit_code == 0
    assert r.stdout == "2 files checked: 0 errors, 0 warnings, 0 notes\n"


def test_errors_exit_1_with_located_text_lines(tmp_path, run_line) -> None:
    build_tree(tmp_path, {"registry/ksctl.yaml": SETTINGS, HRF: BAD})
    r = run_line(["ksctl", "validate"], cwd=tmp_path)
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [
        f"{HRF}:3:1: error[KS201] unknown key 'nmae' (did you mean 'name'?)",
        "2 files checked: 1 error, 0 warnings, 0 notes",
    ]


def test_warnings_alone_exit_0_but_1_under_strict(tmp_path, run_line) -> None:
    build_tree(tmp_path, WARN_ONLY)
    assert run_line(["ksctl", "validate"], cwd=tmp_path).exit_code == 0
    r = run_line(["ksctl", "validate", "--strict"], cwd=tmp_path)
    assert r.exit_code == 1
    assert "warning[KS112]" in r.stdout


def test_json_envelope_is_the_documented_contract(tmp_path, run_line) -> None:
    build_tree(tmp_path, {"registry/ksctl.yaml": SETTINGS, HRF: BAD})
    r = run_line(["ksctl", "validate", "--format", "json"], cwd=tmp_path)
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert list(doc) == ["version", "ok", "diagnostics", "counts"]
    assert doc["version"] == 2
    assert doc["ok"] is False
    assert doc["counts"] == {"error": 1, "warning": 0, "info": 0}
    assert doc["diagnostics"] == [
        {
            "path": HRF,
            "line": 3,
            "column": 1,
            "code": "KS201",
            "severity": "error",
            "message": "unknown key 'nmae'",
            "hint": "did you mean 'name'?",
        }
    ]


def test_json_ok_is_true_with_warnings_only_and_false_under_strict(tmp_path, run_line) -> None:
    build_tree(tmp_path, WARN_ONLY)
    doc = json.loads(run_line(["ksctl", "validate", "-f", "json"], cwd=tmp_path).stdout)
    assert doc["ok"] is True and doc["counts"]["warning"] == 1
    doc = json.loads(run_line(["ksctl", "validate", "-f", "json", "--strict"], cwd=tmp_path).stdout)
    assert doc["ok"] is False


def test_github_format_gives_workflow_annotations(tmp_path, run_line) -> None:
    build_tree(tmp_path, {"registry/ksctl.yaml": SETTINGS, HRF: HR + "aliases: a, b\n"})
    r = run_line(["ksctl", "validate", "--format", "github"], cwd=tmp_path)
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [
        f"::error file={HRF},line=3,col=10,title=KS202::aliases: expected a list, got 'a, b'"
    ]
    assert "1 error" in r.stderr


def test_paths_restrict_the_report_but_references_still_resolve(tmp_path, run_line) -> None:
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            HRF: BAD,
            "registry/regions/x/region.yaml": (
                "name: X\ncounty_code: '99'\nhealthcare_region: norra\nnmae: typo\n"
            ),
        },
    )
    r = run_line(["ksctl", "validate", "registry/regions"], cwd=tmp_path)
    assert r.exit_code == 1
    assert [line.split(":")[0] for line in r.stdout.splitlines()[:-1]] == [
        "registry/regions/x/region.yaml"
    ]
    r = run_line(["ksctl", "validate", HRF], cwd=tmp_path)
    assert r.stdout.splitlines()[0].startswith(HRF)
    assert len(r.stdout.splitlines()) == 2


def test_a_path_that_does_not_exist_is_a_usage_error(tmp_path, run_line) -> None:
    build_tree(tmp_path, {"registry/ksctl.yaml": SETTINGS})
    r = run_line(["ksctl", "validate", "registry/nope.yaml"], cwd=tmp_path)
    assert r.exit_code == 2
    assert "registry/nope.yaml: no such file or folder" in r.stderr


def test_a_path_outside_the_registry_is_a_usage_error_not_a_clean_report(
    tmp_path, run_line
) -> None:
    """`ksctl validate other/registry` filtered the registry found above to nothing and
    said every file was clean."""
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            "docs/notes.md": "x\n",
            "other/registry/ksctl.yaml": SETTINGS,
        },
    )
    r = run_line(["ksctl", "validate", "other/registry"], cwd=tmp_path)
    assert r.exit_code == 2 and not r.stdout
    assert "other/registry is another registry than" in r.stderr
    assert "check it with --registry other/registry" in r.stderr
    r = run_line(["ksctl", "validate", "docs"], cwd=tmp_path)
    assert r.exit_code == 2 and "docs is outside the registry" in r.stderr
    # a folder holding the registry keeps all of it, one above the repository too
    for holding in (".", str(tmp_path), str(tmp_path.parent)):
        assert run_line(["ksctl", "validate", holding], cwd=tmp_path).exit_code == 0


def test_an_unknown_option_is_a_usage_error(tmp_path, run_line) -> None:
    build_tree(tmp_path, {"registry/ksctl.yaml": SETTINGS})
    r = run_line(["ksctl", "validate", "--format", "xml"], cwd=tmp_path)
    assert r.exit_code == 2
    assert "xml" in r.stderr


def test_no_registry_exits_3_and_says_where_it_looked(tmp_path, run_line, monkeypatch) -> None:
    monkeypatch.setattr("ksctl.discovery.BUNDLED", tmp_path / "no-bundle")
    monkeypatch.setattr("ksctl.discovery.SOURCE", tmp_path / "no-source")
    (tmp_path / "empty").mkdir()
    r = run_line(["ksctl", "validate"], cwd=tmp_path / "empty")
    assert r.exit_code == 3
    assert "no registry found" in r.stderr
    assert f"{tmp_path / 'empty'}/registry/ksctl.yaml" in r.stderr
    assert f"{tmp_path}/registry/ksctl.yaml" in r.stderr


def test_ksctl_registry_pointing_nowhere_exits_3(tmp_path, run_line) -> None:
    r = run_line(["ksctl", "validate"], cwd=tmp_path, env={"KSCTL_REGISTRY": str(tmp_path)})
    assert r.exit_code == 3
    assert f"KSCTL_REGISTRY points to {tmp_path}, which has no ksctl.yaml" in r.stderr


@pytest.mark.parametrize("how", ["option", "env", "walk-up"])
def test_the_registry_is_found_by_option_env_or_walking_up(tmp_path, run_line, how) -> None:
    build_tree(
        tmp_path,
        {
            "repo/registry/ksctl.yaml": SETTINGS,
            "repo/registry/healthcare-regions/norra/healthcare-region.yaml": BAD,
            "elsewhere/.keep": "",
        },
    )
    if how == "option":
        r = run_line(
            ["ksctl", "validate", "--registry", str(tmp_path / "repo")], cwd=tmp_path / "elsewhere"
        )
    elif how == "env":
        r = run_line(
            ["ksctl", "validate"],
            cwd=tmp_path / "elsewhere",
            env={"KSCTL_REGISTRY": str(tmp_path / "repo/registry")},
        )
    else:
        r = run_line(["ksctl", "validate"], cwd=tmp_path / "repo/registry/healthcare-regions")
    assert r.exit_code == 1
    assert r.stdout.startswith(f"{HRF}:3:1: error[KS201]")


def test_rules_in_settings_change_severity_or_turn_a_code_off(tmp_path, run_line) -> None:
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": "version: 1\n",
            **{k: v for k, v in WARN_ONLY.items() if k != "registry/ksctl.yaml"},
        },
    )
    r = run_line(["ksctl", "validate"], cwd=tmp_path)
    assert r.exit_code == 1 and "error[KS112]" in r.stdout  # the default
    (tmp_path / "registry/ksctl.yaml").write_text("version: 1\nrules:\n  KS112: warning\n")
    r = run_line(["ksctl", "validate"], cwd=tmp_path)
    assert r.exit_code == 0 and "warning[KS112]" in r.stdout
    (tmp_path / "registry/ksctl.yaml").write_text("version: 1\nrules:\n  KS112: 'off'\n")
    r = run_line(["ksctl", "validate"], cwd=tmp_path)
    assert r.exit_code == 0 and "KS112" not in r.stdout


MANDATE = {
    "registry/ksctl.yaml": SETTINGS,
    HRF: HR,
    "registry/regions/norrbotten/region.yaml": (
        "name: Region Norrbotten\ncounty_code: '25'\nhealthcare_region: norra\n"
    ),
    "registry/regions/norrbotten/people/anna.yaml": "name: Anna Ek\nemployer: region:norrbotten\n",
    "registry/regions/norrbotten/bodies/rad.yaml": (
        "name: Rådet\ntype: council\nmembers:\n"
        "  - {person: anna, role: chair, mandate_years: 2, from: 2024-03-01}\n"
    ),
}
RAD = "registry/regions/norrbotten/bodies/rad.yaml"


def test_at_runs_the_rules_as_of_that_date(tmp_path, run_line) -> None:
    """A two-year mandate from 2024-03-01 with no end date: current before 2026-02-28,
    ending soon in the weeks before, expired but still listed after."""
    build_tree(tmp_path, MANDATE)
    r = run_line(["ksctl", "validate", "--at", "2025-06-01"], cwd=tmp_path)
    assert r.exit_code == 0
    assert r.stdout == "5 files checked: 0 errors, 0 warnings, 0 notes\n"
    r = run_line(["ksctl", "validate", "--at", "2026-01-15"], cwd=tmp_path)
    assert r.exit_code == 0
    assert r.stdout.splitlines() == [
        f"{RAD}:4:5: info[KS435] mandate of anna ends 2026-02-28",
        "5 files checked: 0 errors, 0 warnings, 1 note",
    ]
    r = run_line(["ksctl", "validate", "--at", "2026-03-01", "--strict"], cwd=tmp_path)
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [
        f"{RAD}:4:5: warning[KS434] the 2-year mandate from 2024-03-01 ended 2026-02-28, "
        "but the seat has no end date (set to: when it ended, or add the renewed mandate)",
        "5 files checked: 0 errors, 1 warning, 0 notes",
    ]
    r = run_line(["ksctl", "validate", "--at", "2025-06-01"], cwd=tmp_path)
    assert r.exit_code == 0 and "KS434" not in r.stdout


def test_schema_check_fails_on_drift_and_schema_repairs_it(tmp_path, run_line) -> None:
    build_tree(tmp_path, {"registry/ksctl.yaml": SETTINGS})
    r = run_line(["ksctl", "schema", "--check"], cwd=tmp_path)
    assert r.exit_code == 1
    assert "npo.schema.json: missing" in r.stderr
    r = run_line(["ksctl", "schema"], cwd=tmp_path)
    assert r.exit_code == 0
    written = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert "npo.schema.json" in written and "person.schema.json" in written
    assert run_line(["ksctl", "schema", "--check"], cwd=tmp_path).exit_code == 0
    (tmp_path / "schemas/person.schema.json").write_text("{}\n")
    r = run_line(["ksctl", "schema", "--check"], cwd=tmp_path)
    assert r.exit_code == 1 and "person.schema.json: differs from the models" in r.stderr


def test_version(run_line) -> None:
    from ksctl import __version__

    r = run_line(["ksctl", "--version"])
    assert r.exit_code == 0 and r.stdout == f"ksctl {__version__}\n"


def test_a_misplaced_file_in_any_case_is_reported_with_a_hint_that_overwrites_nothing(
    tmp_path, run_line
) -> None:
    """`Eva.YAML` was skipped without a word; `regions/x/person.yaml` was told to move to
    `regions/x/region.yaml`, the region's own file."""
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": "version: 1\n",
            HRF: HR,
            "registry/regions/norrbotten/region.yaml": (
                "name: Region Norrbotten\ncounty_code: '25'\nhealthcare_region: norra\n"
            ),
            "registry/regions/norrbotten/people/eva-ek.YAML": "name: Eva Ek\n",
            "registry/regions/norrbotten/person.yaml": "name: Bo Ek\n",
        },
    )
    r = run_line(["ksctl", "validate", "-f", "json"], cwd=tmp_path)
    found = {d["path"]: d for d in json.loads(r.stdout)["diagnostics"] if d["code"] == "KS112"}
    upper = found["registry/regions/norrbotten/people/eva-ek.YAML"]
    assert upper["severity"] == "error"
    assert upper["hint"] == (
        "registry files end in .yaml: rename it to regions/norrbotten/people/eva-ek.yaml"
    )
    beside = found["registry/regions/norrbotten/person.yaml"]
    assert "region.yaml" not in (beside["hint"] or "")
    r = run_line(
        ["ksctl", "validate", "registry/regions/norrbotten/people/eva-ek.YAML"], cwd=tmp_path
    )
    assert r.exit_code == 1 and "error[KS112]" in r.stdout
