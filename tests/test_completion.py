"""Shell completion of what only the registry knows: ids as typed, names beside them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import NATIONAL_FIXTURE
from typer.testing import CliRunner

from ksctl import loader, queries


@pytest.fixture
def reg(tmp_path: Path) -> Path:
    shutil.copytree(NATIONAL_FIXTURE, tmp_path / "registry")
    return tmp_path / "registry"


def _complete(line: str, cwd: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What bash is offered for the last word of `line` (empty when it ends in a space)."""
    from ksctl.cli import app

    monkeypatch.chdir(cwd)
    words = line.split(" ")
    result = CliRunner().invoke(
        app,
        [],
        prog_name="ksctl",
        env={
            "_KSCTL_COMPLETE": "complete_bash",
            "COMP_WORDS": line,
            "COMP_CWORD": str(len(words) - 1),
        },
    )
    assert result.exit_code == 0, result.output
    return result.stdout.split()


def test_completions_are_ids_that_begin_as_typed_in_the_order_of_their_names(reg: Path) -> None:
    registry = loader.load(reg).registry
    found = queries.completions(registry, ["npo"], "o")["completions"]
    assert found == [
        ["ogonsjukdomar", "Ögonsjukdomar"],
        ["oron-nas-och-halssjukdomar", "Öron-, näs- och halssjukdomar"],
    ]
    qualified = queries.completions(registry, ["region", "npo"], "region:v", qualified=True)
    assert [v for v, _ in qualified["completions"]] == [
        "region:varmland",
        "region:vasterbotten",
        "region:vasternorrland",
        "region:vastmanland",
        "region:vastra-gotaland",
    ]
    assert queries.completions(registry, ["npo"], "Ak")["completions"] == []
    # A one-word name is offered too (a glossary term as it is written); a name of more
    # words never (a shell would split it).
    terms = queries.completions(registry, ["term"], "RS")["completions"]
    assert ["RSS", "RSS"] in terms
    assert queries.completions(registry, ["npo"], "Akut")["completions"] == []
    # Before the colon, only the kinds that hold something.
    heads = queries.completions(registry, ["npo", "handling"], "", qualified=True)
    assert heads["completions"] == [["npo:", "Nationella programområden (NPO)"]]


def test_the_shell_completes_areas_groups_kinds_and_places(
    reg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _complete("ksctl who-hosts ak", reg, monkeypatch) == ["akut-vard"]
    assert "mellansverige" in _complete("ksctl who-hosts --by m", reg, monkeypatch)
    assert _complete("ksctl members n", reg, monkeypatch) == ["npo:", "nsg:"]  # no NAG here
    assert _complete("ksctl members npo:ak", reg, monkeypatch) == ["npo:akut-vard"]
    assert _complete("ksctl show region:ore", reg, monkeypatch) == ["region:orebro"]
    assert _complete("ksctl list l", reg, monkeypatch) == ["lpo", "lsg", "lag"]
    assert "orebro" in _complete("ksctl list lpo --in o", reg, monkeypatch)
    # `new` makes only the kinds with files of their own: no municipality, no term.
    assert _complete("ksctl new m", reg, monkeypatch) == []
    assert _complete("ksctl new l", reg, monkeypatch) == ["lpo", "lsg", "lag"]
    assert _complete("ksctl new lpo orebro/akut-vard --in region:ö", reg, monkeypatch) == []
    assert _complete("ksctl new person x --in ore", reg, monkeypatch) == ["orebro"]
    assert _complete("ksctl new person x --in region:ore", reg, monkeypatch) == ["region:orebro"]
    # An id and a one-word name are not offered twice: the name only where the id does
    # not begin as typed.
    assert _complete("ksctl who-hosts c", reg, monkeypatch) == ["cancersjukdomar"]
    assert _complete("ksctl who-hosts C", reg, monkeypatch) == ["Cancersjukdomar"]


def test_completion_offers_nothing_rather_than_an_error(
    reg: Path, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch
) -> None:
    # Outside a registry, `new` writes to none (a question would use the bundled one).
    outside = tmp_path_factory.mktemp("elsewhere")
    assert _complete("ksctl new lpo x --in ore", outside, monkeypatch) == []
    monkeypatch.setenv("KSCTL_REGISTRY", str(tmp_path / "no-such-registry"))
    assert _complete("ksctl who-hosts ak", tmp_path, monkeypatch) == []
    monkeypatch.delenv("KSCTL_REGISTRY")
    # A registry that cannot be read as a whole: still no error, and what can be read.
    (reg / "ksctl.yaml").write_text("version: [oavslutad\n", encoding="utf-8")
    (reg / "national/programme-areas/akut-vard.yaml").write_text("name: 'Akut\n")
    # a file that does not parse is still there, by its path, as the questions find it
    assert _complete("ksctl who-hosts ak", reg, monkeypatch) == ["akut-vard"]
    assert _complete("ksctl who-hosts can", reg, monkeypatch) == ["cancersjukdomar"]
