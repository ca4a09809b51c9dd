"""`ksctl fmt` keeps every comment with the key or seat it was written on or above, and
sorts members by role, then by the person's name."""

from __future__ import annotations

import collections
import json
import re
from pathlib import Path

import pytest
from conftest import SETTINGS, build_tree
from hypothesis import given, settings
from hypothesis import strategies as st

from ksctl import edit, yamlio
from ksctl.edit import FormatError, format_text

BODY = "regions/orebro/bodies/x.yaml"


def test_a_comment_on_a_flow_seat_survives_the_sort() -> None:
    text = (
        "name: X\ntype: council\nmembers:\n  - {person: b, role: participant}  # keep\n"
        "  - person: a\n    role: chair\n"
    )
    assert format_text(text, BODY) == (
        "name: X\ntype: council\nmembers:\n  - person: a\n    role: chair\n"
        "  - {person: b, role: participant}  # keep\n"
    )


def test_comments_above_keys_and_seats_move_with_them() -> None:
    text = (
        "# yaml-language-server: $schema=../../../../schemas/body.schema.json\n"
        "members:\n"
        "  # the deltagare\n"
        "  - person: b\n"
        "    role: participant\n"
        "  # the chair, since 2024\n"
        "  - role: chair  # elected\n"
        "    # who\n"
        "    person: a\n"
        "type: council\n"
        "# about the name\n"
        "name: X\n"
        "# the end\n"
    )
    assert format_text(text, BODY) == (
        "# yaml-language-server: $schema=../../../../schemas/body.schema.json\n"
        "# about the name\n"
        "name: X\n"
        "type: council\n"
        "members:\n"
        "  # the chair, since 2024\n"
        "  # who\n"
        "  - person: a\n"
        "    role: chair  # elected\n"
        "  # the deltagare\n"
        "  - person: b\n"
        "    role: participant\n"
        "# the end\n"
    )


def test_a_comment_trailing_inside_a_block_stays_at_its_end() -> None:
    text = (
        "members:\n  - person: a\n    role: chair\n  # - person: c (left 2023)\n"
        "type: council\nname: X\n"
    )
    assert format_text(text, BODY) == (
        "name: X\ntype: council\nmembers:\n  - person: a\n    role: chair\n"
        "  # - person: c (left 2023)\n"
    )


def test_blank_lines_stay_with_what_follows_them_but_not_at_the_ends() -> None:
    text = "type: council\n\n# about the name\nname: X\n"
    assert format_text(text, BODY) == "# about the name\nname: X\ntype: council\n"
    text = "name: X\n\n# the kind\ntype: council\n\n\n"
    assert format_text(text, BODY) == "name: X\n\n# the kind\ntype: council\n"


def test_a_hash_inside_a_value_is_not_a_comment() -> None:
    text = "name: 'X # not a comment'\nnotes: |\n  # nor this\n  text\ntype: council\n"
    result = format_text(text, BODY)
    assert yamlio.load(result.encode(), "x").data == yamlio.load(text.encode(), "x").data
    assert edit.comment_texts(text) == edit.comment_texts(result) == []


def test_a_result_that_loses_a_comment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "name: X  # keep\ntype: council\n"
    monkeypatch.setattr(edit, "_place_comments", lambda *args: "name: X\ntype: council\n")
    with pytest.raises(FormatError, match="comment"):
        format_text(text, BODY)


def test_members_sort_by_role_then_the_persons_name() -> None:
    text = (
        "name: X\ntype: council\nmembers:\n  - {person: a-zed, role: member}\n"
        "  - {person: z-anna, role: member}\n  - {person: m-olle, role: member}\n"
        "  - {person: unknown, role: member}\n  - {person: q, role: chair}\n"
        "  - {vacant: true, role: member}\n"
    )
    names = {"a-zed": "Zlatan Åberg", "z-anna": "Anna Ek", "m-olle": "Östen Ärlig"}
    result = format_text(text, BODY, names=names)
    order = re.findall(r"\{(?:person: )?([a-z-]+|vacant)", result)
    # Swedish order: Anna, unknown (by id), Zlatan, Östen; the vacant seat last.
    assert order == ["q", "z-anna", "unknown", "a-zed", "m-olle", "vacant"]
    assert format_text(result, BODY, names=names) == result
    # Without names, by id as before.
    assert re.findall(r"person: ([a-z-]+)", format_text(text, BODY)) == [
        "q",
        "a-zed",
        "m-olle",
        "unknown",
        "z-anna",
    ]


def test_person_names_reads_every_person_file(tmp_path: Path) -> None:
    root = build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            "registry/national/people/anna.yaml": "name: Anna Ek\n",
            "registry/regions/orebro/people/olle.yaml": "name: Olle Ö\nnmae: typo\n",
            "registry/regions/orebro/people/broken.yaml": "name: [x\n",
            "registry/national/organisations/skr.yaml": "name: SKR\ntype: association\n",
        },
    )
    assert edit.person_names(root / "registry") == {"anna": "Anna Ek", "olle": "Olle Ö"}


# ------------------------------------------------------------------------------ property

ROLES = ["chair", "member", "participant", "secretary", "adjunct"]
PEOPLE = ["anna", "bo", "cecilia", "dan", "eva", "fredrik"]
word = st.text(alphabet="abcåäö xyz-", min_size=1, max_size=10).map(str.strip).filter(bool)
note = st.text(alphabet="abcåäöÅÄÖ -:#'\"&,.[]{}0123456789", min_size=1, max_size=12)


@st.composite
def group_files(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A group file: keys in any order, members in block and flow style, comments on and
    above keys and seats. Returns the text and, per seat, the person its comments are on."""
    n = draw(st.integers(0, 5))
    people = draw(st.lists(st.sampled_from(PEOPLE), min_size=n, max_size=n, unique=True))
    seats = []
    for person in people:
        role = draw(st.sampled_from(ROLES))
        flow = draw(st.booleans())
        above = draw(st.one_of(st.none(), word))
        on = draw(st.one_of(st.none(), word))
        since = draw(st.one_of(st.none(), st.sampled_from(["2020-01-01", "2024-05-31"])))
        fields = [("person", person), ("role", role)]
        if since:
            fields.append(("from", since))
        fields = draw(st.permutations(fields))
        lines = [f"  # {above} ({person})"] if above else []
        tail = f"  # {on} ({person})" if on else ""
        if flow:
            lines.append("  - {" + ", ".join(f"{k}: {v}" for k, v in fields) + "}" + tail)
        else:
            first, *rest = fields
            lines.append(f"  - {first[0]}: {first[1]}")
            for k, v in rest:
                if draw(st.booleans()):
                    lines.append(f"    # {draw(word)} ({person})")
                lines.append(f"    {k}: {v}")
            lines[draw(st.integers(len(lines) - len(fields), len(lines) - 1))] += tail
            if draw(st.booleans()):
                lines.append(f"    # {draw(word)} ({person})")  # at the end of the seat
        seats.append("\n".join(lines))
    blocks = {
        "name": f"name: {json.dumps(draw(note), ensure_ascii=False)}",
        "type": "type: council",
        "aliases": f"aliases: {json.dumps(draw(st.lists(note, max_size=2)), ensure_ascii=False)}",
        "notes": f"notes:\n  - {json.dumps(draw(note), ensure_ascii=False)}",
    }
    if seats:
        blocks["members"] = "members:\n" + "\n".join(seats)
    out = ["# yaml-language-server: $schema=x.json"] if draw(st.booleans()) else []
    for key in draw(st.permutations(list(blocks))):
        if draw(st.integers(0, 3)) == 0:
            out.append("")
        block = blocks[key]
        if draw(st.booleans()):
            first, sep, rest = block.partition("\n")
            block = f"{first}  # {draw(word)} <{key}>{sep}{rest}"
        if draw(st.booleans()):
            block = f"# {draw(word)} [{key}]\n" + block
        out.append(block)
    trailer = f"# {draw(word)}\n" if draw(st.booleans()) else ""
    return "\n".join(out) + "\n" + trailer, people


def _seat_lines(text: str) -> dict[str, list[str]]:
    """Each seat's lines (with the comment lines just above it), by person."""
    out: dict[str, list[str]] = {}
    inside = False
    current: list[str] = []
    pending: list[str] = []
    for line in text.splitlines():
        if not line.startswith(" "):
            inside = line.startswith("members:")
            current, pending = [], []
        elif not inside:
            continue
        elif line.startswith("  #"):
            pending.append(line)
        elif line.startswith("  - "):
            current = [*pending, line]
            pending = []
        else:
            current.append(line)
        person = re.search(r"person: ([a-z]+)", line)
        if inside and person:
            out[person.group(1)] = current
    return out


def _header(text: str) -> list[str]:
    """The comment lines above a file's first key."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line and not line.startswith("#"))
    return [line for line in lines[:first] if line.startswith("#")]


@settings(max_examples=150, deadline=None)
@given(case=group_files(), names=st.booleans())
def test_group_round_trip_keeps_data_and_comments_where_they_were(case, names) -> None:
    original, people = case
    mapping = {p: p.capitalize()[::-1] for p in PEOPLE} if names else None
    formatted = format_text(original, BODY, names=mapping)

    def data(text: str) -> object:
        d = yamlio.load(text.encode(), "x").data or {}
        seats = d.get("members") or []
        return {**d, "members": sorted(seats, key=lambda s: json.dumps(s, sort_keys=True))}

    assert data(formatted) == data(original)
    assert collections.Counter(edit.comment_texts(formatted)) == collections.Counter(
        edit.comment_texts(original)
    )
    # Each comment is still on or just above the seat or key it was written for.
    for person, lines in _seat_lines(formatted).items():
        for line in lines:
            if "#" in line:
                assert f"({person})" in line or "<" in line or "[" in line, (person, formatted)
    # A comment above the first key is the file's header and stays at the top (issue 13,
    # bug 10); any other comment above a key moves with it.
    header = _header(original)
    assert _header(formatted)[: len(header)] == header
    for key in ("name", "type", "aliases", "notes", "members"):
        where = [i for i, line in enumerate(formatted.splitlines()) if line.startswith(key + ":")]
        for i, line in enumerate(formatted.splitlines()):
            if f"<{key}>" in line:
                assert i in where
            if f"[{key}]" in line and line not in header:
                assert i + 1 in where
    assert format_text(formatted, BODY, names=mapping) == formatted
    assert formatted.startswith(("name:", "# "))
    del people
