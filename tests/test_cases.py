"""Data-driven cases: a folder per case under cases/{positive,negative}/<case>/.

Each holds a registry/ and, for a negative case, expected.txt: the exact diagnostics in
text format; with at.txt, the rules of kunskapsstyrning run too, as of that date. Adding a
case is adding a folder.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from ksctl import loader, pipeline
from ksctl.render.report import text_line

CASES = Path(__file__).parent / "cases"


def _cases(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


def _diagnostics(case: Path) -> list[str]:
    """A case with at.txt runs the rules of kunskapsstyrning too, as of that date."""
    at = case / "at.txt"
    if at.exists():
        day = datetime.date.fromisoformat(at.read_text().strip())
        result = pipeline.validate(case / "registry", day)
    else:
        result = loader.load(case / "registry")
    return [text_line(d) for d in result.diagnostics]


@pytest.mark.parametrize("case", _cases("positive"), ids=lambda p: p.name)
def test_positive_case_has_no_diagnostics(case: Path) -> None:
    assert _diagnostics(case) == []


@pytest.mark.parametrize("case", _cases("negative"), ids=lambda p: p.name)
def test_negative_case_gives_exactly_the_expected_diagnostics(case: Path) -> None:
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert expected, "a negative case must expect at least one diagnostic"
    assert _diagnostics(case) == expected


def test_every_file_level_code_has_a_negative_case() -> None:
    expected = "".join(
        (case / "expected.txt").read_text(encoding="utf-8") for case in _cases("negative")
    )
    # KS100 (size), KS110 (symlinks) and KS113 (FIFOs, devices) are made on the fly in
    # test_safety.py: git stores neither a FIFO nor a symbolic link loop portably.
    for code in [
        "KS101",
        "KS102",
        "KS103",
        "KS104",
        "KS105",
        "KS106",
        "KS107",
        "KS108",
        "KS109",
        "KS111",
        "KS112",
        "KS201",
        "KS202",
        "KS203",
        "KS204",
        "KS205",
        "KS301",
        "KS302",
        "KS303",
        "KS304",
        "KS305",
    ]:
        assert f"[{code}]" in expected, code


def test_every_rule_has_a_negative_case() -> None:
    from ksctl.rules import every_rule

    RULES = every_rule()

    expected = "".join(
        (case / "expected.txt").read_text(encoding="utf-8") for case in _cases("negative")
    )
    missing = [code for code in RULES if f"[{code}]" not in expected]
    assert missing == []


def test_every_rule_is_documented_and_every_documented_rule_exists() -> None:
    from ksctl.rules import every_rule

    RULES = every_rule()
    from ksctl.diagnostics import CODES

    assert sorted(RULES) == sorted(c for c in CODES if c.startswith("KS4"))
