"""`ksctl export --json FILE` overwrites an earlier export only, as a folder is cleared only
when an export made it."""

from __future__ import annotations

import json

import pytest
from conftest import SETTINGS, build_tree

FILES = {
    "registry/ksctl.yaml": SETTINGS,
    "registry/healthcare-regions/norra/healthcare-region.yaml": (
        "name: Norra\nofficial_name: Norra sjukvårdsregionen\n"
    ),
}


@pytest.fixture
def repo(tmp_path):
    return build_tree(tmp_path / "repo", FILES)


def test_an_earlier_export_missing_or_empty_file_is_written(repo, run_line, tmp_path) -> None:
    out = tmp_path / "out" / "registry.json"
    assert run_line(["ksctl", "export", "--json", str(out)], cwd=repo).exit_code == 0
    first = json.loads(out.read_text(encoding="utf-8"))
    assert first["entities"][0]["id"] == "norra"
    build_tree(
        repo,
        {
            "registry/healthcare-regions/norra/healthcare-region.yaml": FILES[
                "registry/healthcare-regions/norra/healthcare-region.yaml"
            ].replace("name: Norra\n", "name: Norra regionen\n")
        },
    )
    r = run_line(["ksctl", "export", "--json", str(out)], cwd=repo)
    assert r.exit_code == 0, r.stderr
    assert json.loads(out.read_text())["entities"][0]["data"]["name"] == "Norra regionen"
    empty = tmp_path / "empty.json"
    empty.write_text("")
    assert run_line(["ksctl", "export", "--json", str(empty)], cwd=repo).exit_code == 0
    assert json.loads(empty.read_text())["entities"]


@pytest.mark.parametrize(
    "content",
    [
        '{"name": "my own data"}\n',
        "[1, 2, 3]\n",
        "not json at all\n",
        '{"version": 1, "entities": []}\n',  # almost, but not what export writes
    ],
)
def test_a_file_that_is_no_earlier_export_is_never_overwritten(
    repo, run_line, tmp_path, content
) -> None:
    mine = tmp_path / "mine.json"
    mine.write_text(content)
    r = run_line(["ksctl", "export", "--json", str(mine)], cwd=repo)
    assert r.exit_code == 2
    assert f"{mine} exists and is not an earlier export" in r.stderr
    assert mine.read_text() == content


def test_a_folder_given_as_the_json_file_is_refused(repo, run_line, tmp_path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    r = run_line(["ksctl", "export", "--json", str(folder)], cwd=repo)
    assert r.exit_code == 2 and "is not a file" in r.stderr
