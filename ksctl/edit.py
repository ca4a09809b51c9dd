"""Canonical formatting and scaffolding of registry files, written atomically.

`format_text` puts keys in the order the schema declares them, indents mappings by
two and list items by four with the dash at two, quotes only where YAML needs it, and sorts
members by role then the person's name, keeping every comment with the key or seat it was
written on or above. The result must load to the same data and hold the same comments as
the original (checked on every file before it is written), so formatting never changes
meaning; a file that does not parse is left untouched and reported.
"""

from __future__ import annotations

import bisect
import collections
import datetime
import json
import os
import re
import shutil
import stat
import tempfile
import typing
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from ksctl import dates, kinds, layout, loader, yamlio
from ksctl.diagnostics import Diagnostic, Severity
from ksctl.errors import FormatError, UsageError
from ksctl.fast import fingerprint
from ksctl.labels import ROLE_LABELS
from ksctl.schemacheck import model_in
from ksctl.text import family_first, norm, sort_key
from ksctl.yamlio import Loc

if TYPE_CHECKING:
    from ksctl.registry import Registry

ROLE_ORDER = list(ROLE_LABELS)


Names = Mapping[str, str]  # a person's id -> name, family name first ("Ek Anna")


def _seat_key(item: Any, names: Names | None = None) -> tuple[int, int, tuple[str, str], str]:
    """Members by role (in the order of ROLE_LABELS), then by the person's family name and
    given name in Swedish order when `names` knows it (else by the id), vacant seats last."""
    if not isinstance(item, Mapping):
        return (len(ROLE_ORDER), 2, ("", ""), "")
    role = str(item.get("role") or "member")
    person = item.get("person")
    ident = str(person).removeprefix("person:") if person else ""
    name = (names or {}).get(ident, ident)  # family name first already (person_names)
    return (
        ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER),
        0 if person else 1,
        sort_key(name),
        ident,
    )


def person_names(root: Path) -> dict[str, str]:
    """Every person's name by id, family name first ("Ståhl Anna"), from the person files
    under the registry `root` (a file that does not parse, or names no name, is left out:
    its seats sort by id)."""
    names: dict[str, str] = {}
    for path in loader.yaml_files(root):
        located = layout.locate(path.relative_to(root.absolute()).as_posix())
        if located is None or located.kind != "person":
            continue
        raw = fingerprint.read_regular(str(path))
        data = yamlio.load(raw, located.id).data if raw is not None else None
        if isinstance(data, dict) and isinstance(data.get("name"), str):
            family = data.get("family_name")
            names.setdefault(
                located.id, family_first(data["name"], family if isinstance(family, str) else None)
            )
    return names


FIRST = [
    "id",
    "name",
    "title",
    "term",
    "official_name",
    "abbreviation",
    "aliases",
    "type",
    "category",
    "status",
    "person",
    "vacant",
    "role",
    "host",
    "dormant_host",
    "stage",
    "hosting",
]
DOCUMENTATION = ["sources", "notes", "confidence"]
# What the sources leave open is read after the facts, just before where they come from.
OPEN = ["open_questions"]


def _fields(model: type[BaseModel], *, nested: bool) -> list[tuple[str, Any, bool]]:
    """The schema's keys in reading order, each with its type and whether it holds a date:
    what names the thing first, its open questions and documentation last; in a nested
    part (a seat, a hosting period) its period just before that."""
    fields = [
        (f.alias or name, f.annotation, _is_date(f.annotation, f.metadata))
        for name, f in model.model_fields.items()
    ]
    last = (["from", "to"] if nested else []) + OPEN + DOCUMENTATION
    first = sorted((f for f in fields if f[0] in FIRST), key=lambda f: FIRST.index(f[0]))
    middle = [f for f in fields if f[0] not in FIRST and f[0] not in last]
    end = sorted((f for f in fields if f[0] in last), key=lambda f: last.index(f[0]))
    return first + middle + end


def _is_date(annotation: Any, metadata: Sequence[Any] = ()) -> bool:
    """A field holding a date, to the day or written to the year or month: a `date`, or
    text a date parser reads, however the type is wrapped (`Annotated[PartialDate,
    HAPPENED] | None`; pydantic moves a field's own metadata out of its annotation)."""
    from ksctl.model import DATE_PARSERS

    if annotation is datetime.date or any(
        getattr(m, "func", None) in DATE_PARSERS for m in metadata
    ):
        return True
    if typing.get_origin(annotation) is typing.Annotated:
        base, *meta = typing.get_args(annotation)
        return _is_date(base, meta)
    return any(_is_date(a) for a in typing.get_args(annotation))


_WRITTEN_DATE = re.compile(r"[1-9]\d{3}(-\d{2}(-\d{2})?)?")


def _plain_date(value: Any) -> Any:
    """A date as YAML writes it plain (`2024-06-01`, `2018`, `2020-05`), whether or not it
    was quoted: every date of a file in one style. Anything else, an impossible day too
    (which validation reports), stays as it was."""
    text = str(value) if isinstance(value, str) else None
    if text is None or not _WRITTEN_DATE.fullmatch(text):
        return value
    if len(text) == 4:
        return int(text)
    if len(text) == 7:
        return str(text)  # plain: YAML reads 2020-05 as text
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        return value


def _item_type(annotation: Any) -> Any:
    for arg in typing.get_args(annotation) or ():
        if typing.get_origin(arg) is list:
            return typing.get_args(arg)[0]
    if typing.get_origin(annotation) is list:
        return typing.get_args(annotation)[0]
    return None


Moves = dict[Loc, dict[int, int]]


def _canonical(
    node: Any,
    model: type[BaseModel] | None,
    *,
    nested: bool = False,
    names: Names | None = None,
    old: Loc = (),
    moves: Moves | None = None,
) -> None:
    """Put `node` in canonical order in place. Members move; `moves` records, by each
    sorted sequence's original path, where each item went."""
    if model is None:
        return
    if yamlio.is_mapping(node):
        fields = _fields(model, nested=nested)
        yamlio.reorder(node, [name for name, _, _ in fields])
        for name, annotation, is_date in fields:
            if name not in node:
                continue
            if is_date:
                node[name] = _plain_date(node[name])
            value = node[name]
            if yamlio.is_sequence(value):
                order = list(range(len(value)))
                if name == "members":
                    order.sort(key=lambda i: _seat_key(value[i], names))
                    value[:] = [value[i] for i in order]
                    if moves is not None:
                        moves[(*old, name)] = {was: now for now, was in enumerate(order)}
                item_model = model_in(_item_type(annotation))
                for item, was in zip(value, order, strict=True):
                    _canonical(
                        item,
                        item_model,
                        nested=True,
                        names=names,
                        old=(*old, name, was),
                        moves=moves,
                    )
            elif yamlio.is_mapping(value):
                _canonical(
                    value,
                    model_in(annotation),
                    nested=True,
                    names=names,
                    old=(*old, name),
                    moves=moves,
                )


def _comparable(data: Any) -> Any:
    """Data with members in a fixed order, to compare before and after formatting."""
    if isinstance(data, dict):
        out = {k: _comparable(v) for k, v in data.items()}
        if isinstance(out.get("members"), list):
            out["members"] = sorted(
                out["members"], key=lambda s: json.dumps(s, sort_keys=True, default=str)
            )
        return out
    if isinstance(data, list):
        return [_comparable(v) for v in data]
    return data


# ------------------------------------------------------------------------------ comments
# ruamel keeps a comment with the token before it, so when keys or seats move a comment
# stays behind or is lost (on a flow-style seat). So every comment is taken out of the
# round-trip data before it is reordered, and put back into the dumped text by where it
# was written: on the line of a key or seat (after it), on lines of its own above one
# (moved with it), or, indented deeper than what follows, at the end of the block it is in.


@dataclass(frozen=True)
class _Anchor:
    """A mapping key or a sequence item: where it starts, and how deep it is indented."""

    path: Loc
    line: int  # 0-based
    indent: int  # the key's column, or the dash's


@dataclass
class _Layout:
    anchors: list[_Anchor]  # in document order
    by_path: dict[Loc, _Anchor]
    first_on_line: dict[int, _Anchor]  # the shallowest anchor starting on each line
    last_on_line: dict[int, _Anchor]  # the deepest, last one
    comments: dict[int, tuple[int, str]]  # line -> (column, text from '#')
    free: set[int]  # lines with nothing but a comment or blanks, outside any value


def _layout(text: str) -> _Layout:
    """Anchors and comments of `text` (which must load), from its composed nodes: a '#' is
    a comment when it starts a line or follows a blank and lies outside every scalar."""
    loaded = yamlio.load(text.encode("utf-8"), "fmt")
    root = loaded.locate()
    lines = text.split("\n")
    anchors: list[_Anchor] = []
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
    seen: set[int] = set()

    def mark(node: Any, end: bool = False) -> tuple[int, int]:
        m = node.end_mark if end else node.start_mark
        return (m.line, m.column)

    def walk(node: Any, path: Loc) -> None:
        if node.id == "scalar":
            spans.append((mark(node), mark(node, end=True)))
            return
        if id(node) in seen:  # an alias: its nodes are where the anchor is
            return
        seen.add(id(node))
        if node.id == "mapping":
            for key, value in node.value:
                walk(key, path)
                if key.id != "scalar":
                    continue
                child = (*path, str(key.value))
                line, col = mark(key)
                anchors.append(_Anchor(child, line, col))
                walk(value, child)
        elif node.id == "sequence":
            for i, item in enumerate(node.value):
                line, col = mark(item)
                before = lines[line][:col].rstrip() if line < len(lines) else ""
                indent = len(before) - 1 if before.endswith("-") else col
                anchors.append(_Anchor((*path, i), line, indent))
                walk(item, (*path, i))

    if root is not None:
        walk(root, ())
    spans.sort()
    starts = [s for s, _ in spans]

    def in_scalar(line: int, col: int, began_before: int | None = None) -> bool:
        """Whether (line, col) is inside a scalar (one that began before line
        `began_before`, if given)."""
        i = bisect.bisect_right(starts, (line, col)) - 1  # scalars never overlap
        return (
            i >= 0
            and (line, col) < spans[i][1]
            and (began_before is None or spans[i][0][0] < began_before)
        )

    comments: dict[int, tuple[int, str]] = {}
    free: set[int] = set()
    for n, line in enumerate(lines):
        for m in re.finditer(r"(?:^|(?<=[ \t]))#", line):
            if not in_scalar(n, m.start()):
                comments[n] = (m.start(), line[m.start() :].rstrip())
                break
        stripped = line.strip()
        if (n in comments and comments[n][0] == len(line) - len(line.lstrip())) or (
            not stripped and not _continues_scalar(lines, n, in_scalar)
        ):
            free.add(n)
    anchors.sort(key=lambda a: (a.line, a.indent, len(a.path)))
    first: dict[int, _Anchor] = {}
    last: dict[int, _Anchor] = {}
    for a in anchors:
        if a.line not in first or len(a.path) < len(first[a.line].path):
            first[a.line] = a
        last[a.line] = a
    return _Layout(anchors, {a.path: a for a in anchors}, first, last, comments, free)


def _continues_scalar(lines: list[str], n: int, in_scalar: Any) -> bool:
    """Whether blank line `n` is inside a multi-line value: a value that began above it
    goes on past it."""
    for later in range(n + 1, len(lines)):
        if lines[later].strip():
            return bool(in_scalar(later, len(lines[later]) - len(lines[later].lstrip()), n))
    return False


def comment_texts(text: str) -> list[str]:
    """Every comment of the YAML `text`, from its '#', in order."""
    found = _layout(text)
    return [found.comments[n][1] for n in sorted(found.comments)]


@dataclass
class _Placed:
    header: list[str]
    trailer: list[str]
    above: dict[Loc, list[str]]  # whole lines (comments and blanks) above an anchor
    on: dict[Loc, list[tuple[str, str]]]  # (space before, comment) on an anchor's line
    after: dict[Loc, list[str]]  # whole lines after the end of an anchor's block


def _take_comments(text: str) -> _Placed:
    """Where each comment and blank line of `text` belongs."""
    lay = _layout(text)
    lines = text.split("\n")
    placed = _Placed([], [], {}, {}, {})
    anchor_lines = sorted(lay.first_on_line)
    if not anchor_lines:
        placed.header = [lines[n].rstrip() for n in sorted(lay.free)]
        return placed

    def ancestors(anchor: _Anchor) -> list[_Anchor]:
        return [lay.by_path[anchor.path[:k]] for k in range(len(anchor.path), 0, -1)]

    def before(n: int) -> _Anchor:
        return max((a for a in lay.anchors if a.line <= n), key=lambda a: (a.line, a.indent))

    # The lines above the first key are the file's header and stay at its top: what the
    # file is, where it comes from. Comment lines right above the first key, parted from
    # the header by a blank line, are that key's own and move with it.
    lead = [n for n in range(anchor_lines[0]) if n in lay.free]
    blanks = [i for i, n in enumerate(lead) if not lines[n].strip()]
    own = lead[blanks[-1] + 1 :] if blanks else []
    if own and any(lines[n].strip() for n in lead[: len(lead) - len(own)]):
        first = lay.first_on_line[anchor_lines[0]]
        placed.above[first.path] = [lines[n].rstrip() for n in own]
        lead = lead[: len(lead) - len(own)]
    placed.header = [lines[n].rstrip() for n in lead]
    for n in sorted(lay.comments):
        if n not in lay.free and n < anchor_lines[0]:
            placed.header.append(lay.comments[n][1])  # on a line before any key (`--- # x`)
    pending: list[str] = []

    for n in range(anchor_lines[0], len(lines)):
        if n not in lay.free:
            if n in lay.comments:
                col, comment = lay.comments[n]
                owner = lay.last_on_line.get(n) or before(n)
                gap = lines[n][:col][len(lines[n][:col].rstrip()) :]
                placed.on.setdefault(owner.path, []).append((gap, comment))
            continue
        line = lines[n].rstrip()
        if n not in lay.comments:
            pending.append(line)  # a blank line goes where the next comment or key goes
            continue
        col = lay.comments[n][0]
        following = next((a for a in anchor_lines if a > n), None)
        nxt = lay.first_on_line[following] if following is not None else None
        if nxt is not None and col <= nxt.indent:
            placed.above.setdefault(nxt.path, []).extend([*pending, line])
        else:
            inside = next((a for a in ancestors(before(n)) if a.indent < col), None)
            if inside is not None:
                placed.after.setdefault(inside.path, []).extend([*pending, line])
            else:
                placed.trailer.extend([*pending, line])
        pending = []
    if pending:
        placed.trailer.extend(pending)
    return placed


def _translate(path: Loc, moves: Moves) -> Loc:
    out: list[str | int] = []
    for i, part in enumerate(path):
        moved = moves.get(path[:i])
        out.append(moved[part] if moved is not None and isinstance(part, int) else part)
    return tuple(out)


def _strip_comments(node: Any) -> None:
    if yamlio.is_mapping(node) or yamlio.is_sequence(node):
        node.ca.comment = None
        node.ca.items.clear()
        node.ca.end = []
        for value in node.values() if yamlio.is_mapping(node) else node:
            _strip_comments(value)


def _place_comments(dumped: str, placed: _Placed, moves: Moves) -> str:
    """`dumped` (without comments) with every comment of `placed` put back in its place."""
    lay = _layout(dumped)
    lines = dumped.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    order = {a.path: i for i, a in enumerate(lay.anchors)}

    def find(path: Loc) -> _Anchor:
        found = lay.by_path.get(_translate(path, moves))
        if found is None:
            raise FormatError(f"could not place the comments of {'.'.join(map(str, path))}")
        return found

    def end_line(anchor: _Anchor) -> int:
        size = len(anchor.path)
        for other in lay.anchors[order[anchor.path] + 1 :]:
            if other.path[:size] != anchor.path:
                return other.line - 1
        return len(lines) - 1

    above: dict[int, list[tuple[int, int, list[str]]]] = {}
    after: dict[int, list[tuple[int, int, list[str]]]] = {}
    tails: dict[int, list[tuple[str, str]]] = {}
    for seq, (path, block) in enumerate(placed.above.items()):
        a = find(path)
        above.setdefault(a.line, []).append((len(path), seq, block))
    for seq, (path, block) in enumerate(placed.after.items()):
        a = find(path)
        after.setdefault(end_line(a), []).append((-len(path), seq, block))
    for path, comments in placed.on.items():
        tails.setdefault(find(path).line, []).extend(comments)

    out = list(placed.header)
    for n, line in enumerate(lines):
        indent = line[: len(line) - len(line.lstrip())]
        for _, _, block in sorted(above.get(n, []), key=lambda t: t[:2]):
            out += [indent + b.lstrip() if b.strip() else "" for b in block]
        on = tails.get(n, [])
        out += [indent + comment for _, comment in on[1:]]
        out.append(line + (on[0][0] or " ") + on[0][1] if on else line)
        for _, _, block in sorted(after.get(n, []), key=lambda t: t[:2]):
            out += block
    out += placed.trailer
    while out and not out[0].strip():
        out.pop(0)
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n"


_PLAIN_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _impossible_date(loaded: yamlio.Loaded, text: str) -> str | None:
    """Where the first unquoted date that is no day of the calendar stands (`2024-02-30`,
    which ruamel fails to build), as "line:column: what is wrong"; None if there is none."""
    lines = text.splitlines()

    def walk(value: Any, loc: Loc) -> str | None:
        if isinstance(value, Mapping):
            items: Any = value.items()
        elif isinstance(value, list):
            items = enumerate(value)
        else:
            m = _PLAIN_DAY.fullmatch(value) if isinstance(value, str) else None
            problem = m and dates.no_such_day(*(int(g) for g in m.groups()))
            if not problem:
                return None
            line, column = loaded.position(loc)
            if not lines[line - 1][column - 1 :].startswith(value):
                return None  # quoted: a string, which the schema refuses (KS204)
            return f"{line}:{column}: {value} is not a date: {problem}"
        for key, item in items:
            found = walk(item, (*loc, key))
            if found is not None:
                return found
        return None

    return walk(loaded.data, ())


def format_text(text: str, relpath: str, *, names: Names | None = None) -> str:
    """The canonical form of the registry file at `relpath` (relative to the registry).

    `names` gives people's names by id, so that members sort by name; a person it does
    not know sorts by id. Every comment stays with the key or seat it was written on or
    above; the result is checked to hold the same data and the same comments.
    """
    before = yamlio.load(text.encode("utf-8"), relpath)
    if before.data is None or before.diagnostics:
        first = before.diagnostics[0] if before.diagnostics else None
        where = f"{first.line}:{first.column}: {first.message}" if first else "no data"
        raise FormatError(f"does not parse ({where}); left untouched")
    located = layout.locate(relpath)
    placed = _take_comments(text)
    comments = collections.Counter(comment_texts(text))
    problem = ""
    # Minimal quoting first; ruamel occasionally drops quotes a value needs (": 0" in a flow
    # list), which the check below catches: then the author's own quoting is kept.
    for preserve_quotes in (False, True):
        try:
            node = yamlio.rt_load(text, preserve_quotes=preserve_quotes)
        except Exception as exc:  # ruamel raises many kinds; any of them means "leave it"
            found = _impossible_date(before, text)
            if found is not None:  # ruamel builds the date and says only "out of range"
                raise FormatError(f"does not parse ({found}); left untouched") from None
            raise FormatError(f"does not parse: {exc}; left untouched") from None
        _strip_comments(node)
        moves: Moves = {}
        _canonical(node, located.model if located else None, names=names, moves=moves)
        yamlio.quote_ambiguous(node)
        dumped = yamlio.rt_dump(node)
        after = yamlio.load(dumped.encode("utf-8"), relpath)
        if after.data is None or _comparable(after.data) != _comparable(before.data):
            problem = "formatting would change its data"
            continue
        try:
            result = _place_comments(dumped, placed, moves)
        except FormatError as exc:
            problem = str(exc)
            continue
        after = yamlio.load(result.encode("utf-8"), relpath)
        if after.data is None or _comparable(after.data) != _comparable(before.data):
            problem = "formatting would change its data"
        elif collections.Counter(comment_texts(result)) != comments:
            problem = "formatting would lose or change a comment"
        else:
            return result
    raise FormatError(f"{problem}; left untouched")


def write_atomic(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder and a rename: never half a file. An
    existing file keeps its mode; a new one gets the mode the umask gives any file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
        if path.exists():
            Path(tmp).chmod(path.stat().st_mode & 0o777)
        else:
            Path(tmp).chmod(0o666 & ~_umask())
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# ------------------------------------------------------------------------------ fmt


@dataclass
class Formatted:
    """What `format_files` did: the files it looked at, those it changed (or would, with
    the change as a unified diff), and those it left untouched, with why."""

    files: list[Path]
    changed: list[tuple[str, str]]
    failed: list[tuple[str, str]]


def format_files(root: Path, paths: list[Path], *, check: bool = False) -> Formatted:
    """Put the registry files under `paths` (default: all) in canonical form, or with
    `check` only say which are not. A file that is not valid UTF-8 is never written."""
    import difflib

    root = root.absolute()
    files = loader.yaml_files(root)
    if paths:
        wanted = []
        real_root = Path(os.path.realpath(root))
        for p in paths:
            if not p.exists():
                raise UsageError(f"{p}: no such file or folder")
            resolved = Path(os.path.realpath(p))
            if not (resolved == real_root or resolved.is_relative_to(real_root)):
                raise UsageError(f"{p} is not in the registry ({root})")
            if not p.is_dir() and not p.is_file():
                raise UsageError(f"{p} is not a file (a FIFO or a device?); left untouched")
            wanted.append(resolved)
        files = [
            f
            for f in files
            if any(
                (real := Path(os.path.realpath(f))) == w or real.is_relative_to(w) for w in wanted
            )
        ]
    names = person_names(root)  # members sort by role, then the person's name
    done = Formatted(files, [], [])
    for path in files:
        rel = path.relative_to(root).as_posix()
        shown = path.relative_to(root.parent).as_posix()
        raw = fingerprint.read_regular(str(path))
        if raw is None:  # replaced by what is not a file since the walk
            done.failed.append((shown, "is not a file; left untouched"))
            continue
        try:
            text = _decoded(raw)
            result = format_text(text, rel, names=names)
        except FormatError as exc:
            done.failed.append((shown, str(exc)))
            continue
        original = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else text
        if result.encode("utf-8") != raw:
            patch = "".join(
                difflib.unified_diff(
                    original.splitlines(keepends=True),
                    result.splitlines(keepends=True),
                    f"a/{shown}",
                    f"b/{shown}",
                )
            )
            if not patch:  # only a byte-order mark or line endings differ
                patch = f"--- a/{shown}\n+++ b/{shown}\n(byte-order mark or CRLF line endings)\n"
            done.changed.append((shown, patch))
            if not check:
                write_atomic(path, result)
    return done


def _decoded(raw: bytes) -> str:
    """The text of a registry file: UTF-8, a byte-order mark dropped and CRLF made LF. Any
    other encoding is refused, so that formatting never turns bytes into U+FFFD."""
    raw = raw.removeprefix(yamlio.BOM)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        message, line, col = yamlio.not_utf8(raw, exc)
        raise FormatError(
            f"line {line}, column {col}: {message}; left untouched: save it as UTF-8"
        ) from None
    return text.replace("\r\n", "\n")


# ------------------------------------------------------------------------------ new


@dataclass
class Made:
    """What `create` did: the file (as diagnostics name it), what a validation reports
    because of it, and whether it was written."""

    shown: str
    problems: list[Diagnostic]
    written: bool


def create(
    root: Path,
    kind: str,
    ident: str,
    fields: dict[str, str],
    *,
    name: str | None = None,
    place: str | None = None,
) -> Made:
    """Make a new entity's file, checked by the same validation CI runs; written only when
    that finds no error it brings. An id that is taken, or a path that exists, is refused."""
    if name is not None:
        fields = {**fields, ("title" if kind == "knowledge-support" else "name"): name}
    root = root.absolute()
    ident = asked = ident.removeprefix(f"{kind}:")  # as references write it: body:orebro/rmks
    given = place
    if place is not None and not place.strip():
        raise UsageError("--in needs a region or healthcare region, by its id or name")
    if place is not None and ":" not in place:  # `--in orebro`, or by name
        place = _place_of(root, place) or _place_named(root, place)
    # A person, body or organisation with its place in its id (`orebro/rmks`, as
    # `body:orebro/rmks` names it): the place is said by --in, or by the id alone.
    first, slash, rest = ident.partition("/")
    if slash and len([r for r in layout.rules() if r.kind == kind]) > 1:
        if place is None:
            place = _place_of(root, first)
            if place is None:
                raise UsageError(
                    f"{first!r} is neither a region nor a healthcare region here: a {kind}'s "
                    "id is <id> (national) or <place>/<id>"
                )
            ident = rest
        elif place.partition(":")[2] == first:
            ident = rest
        if "/" in ident:
            said = (
                f"--in {given} says where the {kind} is, so its id is one part"
                if given is not None
                else f"a {kind}'s id is <id> or <place>/<id>"
            )
            raise UsageError(f"{said}, not {asked!r}")
    if kind == "person" and place is None and not slash:
        place = _employer_region(root, fields.get("employer"))  # where KS463 wants it
    relpath, text = scaffold(kind, ident, fields, place=place)
    target = root / relpath
    if target.exists():
        raise UsageError(f"{root.name}/{relpath} already exists")
    located = layout.locate(relpath)
    if located is not None and located.kind == "person":
        for path in loader.yaml_files(root):
            other = layout.locate(path.relative_to(root).as_posix())
            if other is not None and other.kind == "person" and other.id == located.id:
                shown = path.relative_to(root.parent).as_posix()
                raise UsageError(
                    f"the person id {located.id!r} is taken by {shown}; a person's id is "
                    "unique across the registry (add a middle name or initial)"
                )
    shown = f"{root.name}/{relpath}"
    # A new person holds no seat yet: saying so (KS461) is noise at this step.
    problems = [
        d
        for d in check_new(root, relpath, text)
        if not (d.code == "KS461" and d.path == shown and d.severity is not Severity.ERROR)
    ]
    if any(d.severity is Severity.ERROR for d in problems):
        return Made(shown, problems, False)
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, text)
    return Made(shown, problems, True)


def check_new(
    root: Path, relpath: str, text: str, *, at: datetime.date | None = None
) -> list[Diagnostic]:
    """What a full validation (as of `at`, default today) would report because of a new
    file at `relpath` (relative to the registry `root`) holding `text`: everything on the
    file itself, and the errors it would bring to other files (the same id claimed twice,
    reported on whichever file comes second; an alias another area has).

    The registry is validated in a temporary copy (files linked, not copied, where the
    file system allows), as it is and with the file added; nothing is written in `root`.
    """
    from ksctl import pipeline

    day = at or datetime.date.today()
    root = root.absolute()
    shown = f"{root.name}/{relpath}"
    with tempfile.TemporaryDirectory(prefix="ksctl-new-") as tmp:
        copy = Path(tmp) / root.name  # the same name, so diagnostics name the same paths
        shutil.copytree(root, copy, symlinks=True, copy_function=_link_or_copy, ignore=_not_files)
        target = copy / relpath
        target.unlink(missing_ok=True)
        before = set(pipeline.validate(copy, day).diagnostics)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8", newline="\n")
        after = pipeline.validate(copy, day).diagnostics
    return [
        d for d in after if d.path == shown or (d not in before and d.severity is Severity.ERROR)
    ]


def _place_of(root: Path, ident: str) -> str | None:
    """`region:<id>` or `healthcare-region:<id>` for the one place whose folder has `ident`;
    None when none has; a usage error when both have (say which)."""
    found = [k for k, folder in PLACE_FOLDER.items() if (root / folder / ident).is_dir()]
    if len(found) > 1:
        raise UsageError(
            f"{ident!r} is both a region and a healthcare region: say which, as "
            f"region:{ident} or healthcare-region:{ident}"
        )
    return f"{found[0]}:{ident}" if found else None


def _place_named(root: Path, text: str) -> str:
    """`--in` given as a name (`örebro`, "Region Örebro län"): the region or healthcare
    region it names exactly or by the start of its words, as `kind:id`; else `text` as it
    was (a guess is no ground for writing a file: `_rule_for` then says what --in takes)."""
    from ksctl import fast, match
    from ksctl.errors import NoMatch

    def ask(registry: Registry) -> str:
        try:
            found = match.find(registry, text, ("region", "healthcare-region"), "place")
        except (NoMatch, UsageError):
            return text
        return found.entity.ref if found.how in ("exact", "partial") else text

    return fast.answer(root, ask).get()


def _employer_region(root: Path, employer: str | None) -> str | None:
    """`region:<id>` for the region that employs a new person (directly, or through one of
    its municipalities): it keeps their file. None for another employer, or one that does
    not exist (the check then says so)."""
    if str(employer or "").partition(":")[0] not in ("region", "municipality"):
        return None
    from ksctl import domain, fast

    def ask(registry: Registry) -> str:  # "" for none: an answer is never None
        region = domain.region_of_ref(registry, employer)
        return f"region:{region}" if region and registry.get("region", region) else ""

    return fast.answer(root, ask).get() or None


def _not_files(folder: str, names: list[str]) -> set[str]:
    """What copying would open and wait on (a FIFO) or fail at (a device): left out of the
    copy, which validates the same without them (they are never read)."""
    out = set()
    for name in names:
        try:
            mode = (Path(folder) / name).lstat().st_mode
        except OSError:
            continue
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode) or stat.S_ISLNK(mode)):
            out.add(name)
    return out


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)  # validation only reads, so a hard link is as good as a copy
    except OSError:
        shutil.copy2(src, dst)


PLACE_FOLDER = {"region": "regions/", "healthcare-region": "healthcare-regions/"}


def scaffold(
    kind: str, ident: str, values: dict[str, str], *, place: str | None = None
) -> tuple[str, str]:
    """The registry-relative path and text of a new entity of `kind`.

    `ident` is the id the path gives (`orebro/akut-vard` for an LPO); people and bodies
    live nationally unless `place` (`region:orebro`, `healthcare-region:norra`) says where.
    `values` fills the fields; every required one must be there.
    """
    rule = _rule_for(kind, place)
    parts = ident.split("/") if rule.template.count("{}") else []
    if place is not None:
        parts = [place.partition(":")[2], *parts]
    holes = rule.template.count("{}")
    if holes != len(parts):
        parts_said = f"{holes} part{'s' if holes != 1 else ''}"
        raise UsageError(f"a {kind} id has {parts_said}: {rule.template.replace('{}', '<id>')}")
    relpath = rule.template.format(*parts)
    if layout.locate(relpath) is None:
        plain = "/".join(norm(part).replace(" ", "-") for part in ident.split("/"))
        better = f" (did you mean {plain!r}?)" if plain != ident and all(plain.split("/")) else ""
        raise UsageError(f"{ident!r} is not a valid id: use a-z, 0-9 and '-'{better}")
    fields = {name: (f.alias or name) for name, f in rule.model.model_fields.items()}
    missing = [
        fields[n]
        for n, f in rule.model.model_fields.items()
        if f.is_required() and fields[n] not in values
    ]
    if missing:
        how = ", ".join("--name" if m in ("name", "title") else f"--set {m}=..." for m in missing)
        raise UsageError(f"a new {kind} needs: {', '.join(missing)} (give {how})")
    unknown = [k for k in values if k not in fields.values()]
    if unknown:
        raise UsageError(f"a {kind} has no field {', '.join(unknown)}")
    node = yamlio.rt_load("".join(f"{k}: {_yaml_value(v)}\n" for k, v in values.items()))
    _canonical(node, rule.model)
    modeline = "../" * relpath.count("/") + f"../schemas/{kind}.schema.json"
    return relpath, f"# yaml-language-server: $schema={modeline}\n" + yamlio.rt_dump(node)


def _yaml_value(value: str) -> str:
    """A value given on the command line: a list or mapping written in YAML's flow style
    (`[{host: healthcare-region:vastra, from: 2026}]`) as such, anything else as text."""
    if value.lstrip().startswith(("[", "{")) or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value):
        return value  # a date written to the year, month or day stays as written
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _rule_for(kind: str, place: str | None) -> layout.Rule:
    found = kinds.find(kind)
    rules = [r for r in layout.rules() if r.kind == kind] if found and found.entity else []
    if not rules:
        known = [k for k in kinds.entity_kinds() if kinds.get(k).places]
        raise UsageError(f"unknown kind {kind!r}; one of: {', '.join(sorted(known))}")
    if len(rules) == 1:
        if place is not None:
            raise UsageError(f"a {kind}'s place is in its id; drop --in")
        return rules[0]
    if place is None:
        return next(r for r in rules if r.template.startswith("national/"))
    place_kind = place.partition(":")[0]
    if place_kind not in PLACE_FOLDER:
        raise UsageError(
            "--in takes one region or healthcare region, by its id or name (orebro, "
            f"'Region Örebro län', region:orebro), not {place!r}"
        )
    return next(r for r in rules if r.template.startswith(PLACE_FOLDER[place_kind]))
