"""`ksctl fmt` and `ksctl new`: canonical, lossless, atomic."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from conftest import SETTINGS, build_tree
from hypothesis import given, settings
from hypothesis import strategies as st

from ksctl import yamlio
from ksctl.edit import format_text

NPO = "national/programme-areas/akut-vard.yaml"
MESSY = """# yaml-language-server: $schema=../../../schemas/npo.schema.json
members:   # who sits here
  - person: zed
    role: member  # ordinary seat
  - {person: anna, role: chair, from: 2024-01-01}
hosting:
- host: healthcare-region:norra
  from: 2018-01-01   # decided 2018
name: "Akut vård"
aliases: ['Akut']
# the end
"""
CANONICAL = """# yaml-language-server: $schema=../../../schemas/npo.schema.json
name: Akut vård
aliases: [Akut]
hosting:
  - host: healthcare-region:norra
    from: 2018-01-01   # decided 2018
members:   # who sits here
  - {person: anna, role: chair, from: 2024-01-01}
  - person: zed
    role: member  # ordinary seat
# the end
"""


def test_format_orders_keys_sorts_members_and_keeps_comments() -> None:
    assert format_text(MESSY, NPO) == CANONICAL
    assert format_text(CANONICAL, NPO) == CANONICAL


def test_fmt_writes_atomically_and_check_reports(tmp_path: Path, run_line) -> None:
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            f"registry/{NPO}": MESSY,
            "registry/national/people/broken.yaml": "name: [x\n",
        },
    )
    r = run_line(["ksctl", "fmt", "--check"], cwd=tmp_path)
    assert r.exit_code == 1
    assert f"registry/{NPO}: not in canonical form" in r.stdout
    assert "registry/national/people/broken.yaml: does not parse (2:1: " in r.stderr
    r = run_line(["ksctl", "fmt"], cwd=tmp_path)
    assert r.exit_code == 1  # the broken file is reported
    assert (tmp_path / "registry" / NPO).read_text() == CANONICAL
    assert (tmp_path / "registry/national/people/broken.yaml").read_text() == "name: [x\n"
    assert not list(tmp_path.rglob("*.tmp"))
    (tmp_path / "registry/national/people/broken.yaml").unlink()
    assert run_line(["ksctl", "fmt", "--check"], cwd=tmp_path).exit_code == 0


def test_fmt_refuses_to_change_meaning() -> None:
    import pytest

    from ksctl.edit import FormatError

    with pytest.raises(FormatError, match="left untouched"):
        format_text("name: x\nname: y\n", "national/people/x.yaml")


KEYS = ["name", "title", "aliases", "employer", "unit", "notes"]
text = st.text(alphabet="abcåäöÅÄÖ -:#'\"&,.[]{}0123456789", min_size=1, max_size=12)
comment = st.text(alphabet="abcåäö xyz", min_size=1, max_size=10)


@settings(max_examples=60, deadline=None)
@given(
    order=st.permutations(KEYS),
    values=st.fixed_dictionaries(dict.fromkeys(KEYS, text)),
    comments=st.dictionaries(st.sampled_from(KEYS), comment, max_size=3),
    aliases=st.lists(text, max_size=3),
)
def test_round_trip_is_lossless_and_idempotent(order, values, comments, aliases) -> None:
    lines = []
    for key in order:
        if key in ("aliases", "notes"):
            value = json.dumps(aliases, ensure_ascii=False)
        elif key == "employer":
            value = "region:orebro"
        else:
            value = json.dumps(values[key], ensure_ascii=False)
        tail = f"  # {comments[key]}" if key in comments else ""
        lines.append(f"{key}: {value}{tail}")
    original = "\n".join(lines) + "\n"
    formatted = format_text(original, "regions/orebro/people/p.yaml")
    assert yamlio.load(formatted.encode(), "p").data == yamlio.load(original.encode(), "p").data
    for c in comments.values():
        assert f"# {c}".rstrip() in formatted  # trailing blanks go, as on every line
    assert format_text(formatted, "regions/orebro/people/p.yaml") == formatted
    assert formatted.startswith("name:")


def test_new_scaffolds_validates_and_writes(tmp_path: Path, run_line) -> None:
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            "registry/healthcare-regions/norra/healthcare-region.yaml": (
                "name: Norra\nofficial_name: Norra sjukvårdsregionen\n"
            ),
            "registry/regions/norrbotten/region.yaml": (
                "name: Region Norrbotten\ncounty_code: '25'\nhealthcare_region: norra\n"
            ),
        },
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


def test_fmt_never_rewrites_a_file_that_does_not_decode(tmp_path: Path, run_line) -> None:
    """Not canonical (title before name), and not UTF-8: writing it would turn its bytes
    into U+FFFD, silently and for good; it is left as it is and reported."""
    files = {
        PERSON + "latin1.yaml": "title: Läkare\nname: Café Ek\n".encode("latin-1"),
        PERSON + "utf16le.yaml": "title: Läkare\nname: Åsa Ek\n".encode("utf-16"),
        PERSON + "utf16be.yaml": b"\xfe\xff" + "title: x\nname: Åsa Ek\n".encode("utf-16-be"),
    }
    build_tree(tmp_path, {"registry/ksctl.yaml": "version: 1\n", **files})
    for check in (["--check"], []):
        r = run_line(["ksctl", "fmt", *check], cwd=tmp_path)
        assert r.exit_code == 1
        assert f"{PERSON}latin1.yaml: is not valid UTF-8 (byte 8); left untouched" in r.stderr
        for name in ("utf16le", "utf16be"):
            assert f"{PERSON}{name}.yaml: is UTF-16 (it starts with a UTF-16 byte-order mark)" in (
                r.stderr
            )
        assert "4 files: 0 " in r.stderr and ", 3 left untouched" in r.stderr
    for rel, raw in files.items():
        assert (tmp_path / rel).read_bytes() == raw, rel


def test_fmt_removes_a_byte_order_mark_and_crlf_line_endings(tmp_path: Path, run_line) -> None:
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": "version: 1\n",
            PERSON + "bom.yaml": b"\xef\xbb\xbfname: Bo Ek\ntitle: x\n",
            PERSON + "crlf.yaml": b"name: Cia Ek\r\ntitle: x\r\n",
            PERSON + "both.yaml": b"\xef\xbb\xbftitle: x\r\nname: Di Ek\r\n",
        },
    )
    r = run_line(["ksctl", "fmt", "--check"], cwd=tmp_path)
    assert r.exit_code == 1
    assert f"{PERSON}bom.yaml: not in canonical form" in r.stdout
    assert "(byte-order mark or CRLF line endings)" in r.stdout
    r = run_line(["ksctl", "fmt"], cwd=tmp_path)
    assert r.exit_code == 0 and "3 formatted" in r.stderr
    people = tmp_path / PERSON
    assert (people / "bom.yaml").read_bytes() == b"name: Bo Ek\ntitle: x\n"
    assert (people / "crlf.yaml").read_bytes() == b"name: Cia Ek\ntitle: x\n"
    assert (people / "both.yaml").read_bytes() == b"name: Di Ek\ntitle: x\n"
    assert run_line(["ksctl", "fmt", "--check"], cwd=tmp_path).exit_code == 0


def test_fmt_given_a_path_outside_the_registry_is_a_usage_error(tmp_path: Path, run_line) -> None:
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            PERSON + "anna.yaml": "title: x\nname: Anna Ek\n",
            "elsewhere/anna.yaml": "title: x\nname: Anna Ek\n",
        },
    )
    for outside in ("elsewhere", "elsewhere/anna.yaml", str(tmp_path / "elsewhere"), "."):
        r = run_line(["ksctl", "fmt", outside], cwd=tmp_path)
        assert r.exit_code == 2, outside
        assert f"ksctl: {outside} is not in the registry ({tmp_path / 'registry'})" in r.stderr
    r = run_line(["ksctl", "fmt", "registry/nope.yaml"], cwd=tmp_path)
    assert r.exit_code == 2 and "registry/nope.yaml: no such file or folder" in r.stderr
    assert (tmp_path / PERSON / "anna.yaml").read_text() == "title: x\nname: Anna Ek\n"
    assert (tmp_path / "elsewhere/anna.yaml").read_text() == "title: x\nname: Anna Ek\n"


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
