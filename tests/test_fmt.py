"""`ksctl fmt`: canonical form (keys in schema order, seats by role then family name in Swedish
order, dates plain, the header on top, open questions near the end), lossless (every comment
kept with its key or seat, data unchanged, property-tested), atomic, never a file that does
not decode; `--check` shows the diff."""

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
from ksctl.text import family_first

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


@pytest.mark.parametrize(
    ("declared", "said"),
    [
        ("2024-02-30", "4:13: 2024-02-30 is not a date: 2024-02 has no day 30"),
        ("2025-13-01", "4:13: 2025-13-01 is not a date: there is no month 13"),
    ],
)
def test_an_impossible_unquoted_day_is_located_and_explained(declared: str, said: str) -> None:
    # ruamel builds the date and says only "day is out of range for month"; a quoted
    # impossible day before it is a string (the schema's KS204), not what fails
    text = (
        'name: Anna Ek\nsources: [{url: "https://a.se", retrieved: "2024-02-31"}]\n'
        f"conflict_of_interest:\n  declared: {declared}\n"
    )
    with pytest.raises(FormatError) as caught:
        format_text(text, "national/people/anna.yaml")
    assert str(caught.value).startswith(f"does not parse ({said}")
    assert "out of range" not in str(caught.value)


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
        # at the line and column, and in the words, that validate (KS102) gives
        assert (
            f"{PERSON}latin1.yaml: line 1, column 9: byte 0xe4 is not valid UTF-8; left untouched"
            in r.stderr
        )
        for name in ("utf16le", "utf16be"):
            said = "line 1, column 1: the file is UTF-16 (it starts with a UTF-16 byte-order mark)"
            assert f"{PERSON}{name}.yaml: {said}" in (r.stderr)
        assert "4 files: 0 " in r.stderr and "1 already canonical, 3 left untouched" in r.stderr
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
    # family name first, as lists sort them
    assert edit.person_names(root / "registry") == {"anna": "Ek Anna", "olle": "Ö Olle"}


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
    """The comment lines above a file's first key, but for the ones right above it that a
    blank line parts from earlier comments: those are the key's own."""
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if line and not line.startswith("#"))
    lead = lines[:first]
    blanks = [i for i, line in enumerate(lead) if not line.strip()]
    if blanks and any(line.startswith("#") for line in lead[: blanks[-1]]):
        lead = lead[: blanks[-1]]
    return [line for line in lead if line.startswith("#")]


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
    # bug 10), unless a blank line parts it from the header above it; any other comment
    # above a key moves with it.
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


REGION = "healthcare-regions/norra/healthcare-region.yaml"
EVA = "national/people/eva-ek.yaml"
RMKS = "regions/orebro/bodies/rmks.yaml"
ESC = "\x1b["


@pytest.mark.parametrize(
    "modeline",
    ["", "# yaml-language-server: $schema=../../../schemas/healthcare-region.schema.json\n"],
)
def test_a_header_comment_stays_at_the_top(modeline) -> None:
    text = (
        f"{modeline}# Källa: SKR, 2024\n# andra raden\n"
        "official_name: Norra sjukvårdsregionen\nname: Norra\n"
    )
    assert format_text(text, REGION) == (
        f"{modeline}# Källa: SKR, 2024\n# andra raden\n"
        "name: Norra\nofficial_name: Norra sjukvårdsregionen\n"
    )


def test_a_comment_above_a_later_key_still_moves_with_it() -> None:
    text = "# huvud\nofficial_name: Norra sjukvårdsregionen\n# om namnet\nname: Norra\n"
    assert format_text(text, REGION) == (
        "# huvud\n# om namnet\nname: Norra\nofficial_name: Norra sjukvårdsregionen\n"
    )


def test_open_questions_go_near_the_end_before_sources_and_notes() -> None:
    text = (
        "name: Norra\nopen_questions:\n  - id: vem\n    question: Vem leder?\n"
        "notes: [En anteckning.]\nsources:\n  - url: https://example.org/\n"
        "official_name: Norra sjukvårdsregionen\nparticipation_shares: []\n"
    )
    keys = [
        line.split(":")[0] for line in format_text(text, REGION).splitlines() if line[:1].isalpha()
    ]
    assert keys == [
        "name",
        "official_name",
        "participation_shares",
        "open_questions",
        "sources",
        "notes",
    ]


def test_dates_keep_one_plain_form() -> None:
    text = (
        "name: Eva Ek\nconflict_of_interest:\n  declared: 2024-01-01\n  assessed: '2024-06-01'\n"
        'sources:\n  - url: https://example.org/\n    published: "2024-06"\n'
        "    retrieved: 2026-11-22\n"
    )
    assert format_text(text, EVA) == (
        "name: Eva Ek\nconflict_of_interest:\n  declared: 2024-01-01\n  assessed: 2024-06-01\n"
        "sources:\n  - url: https://example.org/\n    published: 2024-06\n"
        "    retrieved: 2026-11-22\n"
    )


def test_every_kind_of_date_field_loses_its_quotes() -> None:
    # A date read by a parser (a source's published date, a step's day, a decision's) is
    # written plain however its type is wrapped: fmt missed these once.
    text = (
        "stage: decided\nsteps:\n  - {stage: received, date: '2026-03-02'}\n"
        "decision:\n  date: '2026-04-01'\n"
        'sources:\n  - url: https://example.org/\n    published: "2025-01-15"\n'
        "    retrieved: '2026-11-22'\n"
    )
    assert format_text(text, "regions/orebro/handling/vf.yaml") == (
        "stage: decided\nsteps:\n  - {stage: received, date: 2026-03-02}\n"
        "decision:\n  date: 2026-04-01\n"
        "sources:\n  - url: https://example.org/\n    published: 2025-01-15\n"
        "    retrieved: 2026-11-22\n"
    )


def test_a_period_written_to_the_year_is_plain_and_other_text_keeps_its_quotes() -> None:
    text = (
        "name: Akut vård\nhosting:\n"
        "  - {host: healthcare-region:norra, from: '2018', to: \"2020-12-31\"}\n"
        "notes: ['2018']\n"
    )
    assert format_text(text, "national/programme-areas/akut-vard.yaml") == (
        "name: Akut vård\nhosting:\n"
        "  - {host: healthcare-region:norra, from: 2018, to: 2020-12-31}\n"
        "notes: ['2018']\n"
    )


def test_an_impossible_day_is_left_for_validation_to_report() -> None:
    text = "name: Eva Ek\nconflict_of_interest:\n  declared: '2024-02-30'\n"
    assert format_text(text, EVA) == text


def test_seats_sort_by_role_then_family_name_then_given_name_in_swedish_order() -> None:
    names = {
        "p1": "Örjan Andersson",
        "p2": "Anna Östberg",
        "p3": "Bo Åkesson",
        "p4": "Cia Zetterberg",
        "p5": "ada zetterberg",
        "p6": "Eva Ängström",
        "p7": "Åsa Berg",
    }
    seats = "".join(
        f"  - {{person: {p}, role: {'chair' if p == 'p7' else 'member'}}}\n" for p in names
    )
    text = f"name: RMKS\ntype: council\nmembers:\n{seats}"
    in_order = {p: family_first(name) for p, name in names.items()}  # as person_names gives
    order = [
        line.split("person: ")[1].split(",")[0]
        for line in format_text(text, RMKS, names=in_order).splitlines()
        if "person:" in line
    ]
    # the chair first; then Andersson, Zetterberg (Ada before Cia), Åkesson, Ängström, Östberg
    assert order == ["p7", "p1", "p5", "p4", "p3", "p6", "p2"]


def test_fmt_check_shows_the_unified_diff_it_would_apply(tmp_path, run_line) -> None:
    rel = f"registry/{REGION}"
    build_tree(
        tmp_path,
        {
            "registry/ksctl.yaml": SETTINGS,
            rel: "official_name: Norra sjukvårdsregionen\nname: Norra\n",
        },
    )
    r = run_line(["ksctl", "fmt", "--check", f"registry/{REGION}"], cwd=tmp_path)
    assert r.exit_code == 1
    assert r.stdout == (
        f"{rel}: not in canonical form\n"
        f"--- a/{rel}\n+++ b/{rel}\n@@ -1,2 +1,2 @@\n"
        "+name: Norra\n official_name: Norra sjukvårdsregionen\n-name: Norra\n"
    )
    assert (tmp_path / rel).read_text() == "official_name: Norra sjukvårdsregionen\nname: Norra\n"


COLOURFUL = {
    "registry/ksctl.yaml": SETTINGS,
    f"registry/{REGION}": "name: Norra\nofficial_name: Norra sjukvårdsregionen\nnamn: x\n",
}


@pytest.mark.parametrize(
    ("args", "said"), [(["show", "healthcare-region:norra"], "Norra"), (["validate"], "namn")]
)
def test_force_color_colours_output_that_is_no_terminal(
    tmp_path, run_line, monkeypatch, args, said
) -> None:
    build_tree(tmp_path, COLOURFUL)
    if args[0] == "show":  # a registry with an error still answers
        build_tree(tmp_path, {f"registry/{REGION}": COLOURFUL[f"registry/{REGION}"][:-8]})
    monkeypatch.delenv("NO_COLOR", raising=False)
    plain = run_line(["ksctl", *args], cwd=tmp_path)
    assert ESC not in plain.stdout and said in plain.stdout
    coloured = run_line(["ksctl", *args], cwd=tmp_path, env={"FORCE_COLOR": "1"})
    assert ESC in coloured.stdout and said in coloured.stdout
    empty = run_line(["ksctl", *args], cwd=tmp_path, env={"FORCE_COLOR": ""})
    assert ESC not in empty.stdout
    both = run_line(["ksctl", *args], cwd=tmp_path, env={"FORCE_COLOR": "1", "NO_COLOR": "1"})
    assert ESC not in both.stdout


def test_words_other_yaml_readers_take_for_booleans_stay_quoted() -> None:
    """`KS461: 'off'` unquoted is the boolean false to a YAML 1.1 reader (an editor); fmt
    never drops those quotes, and quotes a plain `off` it finds."""
    text = "version: 1\nrules:\n  KS437: 'off'\n  KS461: off\n  KS471: 'yes'\n"
    out = format_text(text, "ksctl.yaml")
    assert "KS437: 'off'" in out and "KS461: 'off'" in out and "KS471: 'yes'" in out


def test_a_comment_parted_from_the_header_moves_with_the_first_key() -> None:
    """`# om titeln` above `title:` stayed above `name:` when fmt put name first."""
    text = "# Huvud\n\n# om titeln\ntitle: Chef\n# om namnet\nname: Hdr Fyra\n"
    assert format_text(text, EVA) == (
        "# Huvud\n\n# om namnet\nname: Hdr Fyra\n# om titeln\ntitle: Chef\n"
    )
    # Without a blank line the comments above the first key are the header (a modeline).
    text = "# yaml-language-server: $schema=x\n# Huvud\ntitle: Chef\nname: Hdr Fyra\n"
    assert format_text(text, EVA).startswith("# yaml-language-server: $schema=x\n# Huvud\nname:")
