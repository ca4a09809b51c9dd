"""Reading YAML safely, with the position of every node. The only module that imports ruamel
or PyYAML.

Files are composed into nodes and built into plain data by our own small
constructor, so that every rule of safe loading is ours to state and to test. Composing is
done by libyaml (PyYAML's C parser), about ten times faster than ruamel's pure-Python
parser and giving the same line and column for every node (tested); a file libyaml
rejects is composed again by ruamel, whose message and position every diagnostic uses.

- no tags that build objects: anything beyond the standard scalar and collection tags is
  refused (KS106), not constructed;
- duplicate keys are errors (KS109), reported at the second key with the first's line;
- anchors and aliases are allowed, but the built data is bounded in nodes (KS107), so a
  billion-laughs file stops after `max_nodes` nodes, not after exhausting memory;
- nesting is bounded (KS108), also where ruamel's recursive composer would overflow;
- UTF-8 only (KS102), no byte-order mark (KS103), and tabs in indentation get their own
  clear message (KS111).

Scalars are built as strings (plain `null`/`~`/empty as None) and typed by the schema,
so `code: 0114` stays "0114" and `2024-02-30` reaches the date check as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml as pyyaml

from ksctl.diagnostics import Diagnostic

if TYPE_CHECKING:  # ruamel is imported where it is used: a valid file never needs it
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError

Loc = tuple[str | int, ...]
Pos = tuple[int, int]

BOM = b"\xef\xbb\xbf"
_STD = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {
    _STD + t
    for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "merge", "value")
}
_FAST = getattr(pyyaml, "__with_libyaml__", False)
Node = Any

if _FAST:

    class _FastLoader(pyyaml.CSafeLoader):  # type: ignore[misc]  # an untyped C class
        """libyaml's parser without PyYAML's implicit resolver: the schema types every
        scalar, so skipping a regular expression per plain scalar halves composing."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            if kind is pyyaml.ScalarNode:
                return _STD + "str"
            return _STD + ("seq" if kind is pyyaml.SequenceNode else "map")


_NULLS = {"", "~", "null", "Null", "NULL"}


@dataclass
class Loaded:
    """The data of one file, where each value and key sits, and what went wrong."""

    data: dict[str, Any] | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Positions are found when first asked for, by composing the file again and following
    # the path to the node: most files have no finding, and recording every node's
    # position while loading would cost a third of loading.
    text: str | None = field(default=None, repr=False, compare=False)
    disk_path: str | None = field(default=None, repr=False, compare=False)
    root: Node = field(default=None, repr=False, compare=False)
    digest: bytes = field(default=b"", repr=False, compare=False)
    # Every position asked for, by (loc, key): kept with the file's cached parse, so a later
    # run need not compose an unchanged file again to place a diagnostic in it.
    known: dict[tuple[Loc, bool], Pos] = field(default_factory=dict, repr=False, compare=False)

    def locate(self) -> Node:
        """The composed node tree (once), or None when there is no data to locate."""
        if self.root is not None or self.data is None:
            return self.root
        text, self.text = self.text, None
        if text is None and self.disk_path is not None:
            raw = Path(self.disk_path).read_bytes()
            text = raw.removeprefix(BOM).decode("utf-8", errors="replace")
        if text is not None:
            self.root = _compose(text)
        return self.root

    def position(self, loc: Loc, *, key: bool = False) -> Pos:
        """The position of the deepest node of `loc` that exists (the file start if none);
        with `key`, of the key that names it when it is a mapping's value."""
        found = self.known.get((loc, key))
        if found is None:
            found = self.known[(loc, key)] = self._position(loc, key)
        return found

    def _position(self, loc: Loc, key: bool) -> Pos:
        node = self.locate()
        if node is None:
            return (1, 1)
        found = _pos(node)
        for part in loc:
            if node.id == "mapping" and isinstance(part, str):
                pair = next(
                    (kv for kv in node.value if kv[0].id == "scalar" and str(kv[0].value) == part),
                    None,
                )
                if pair is None:
                    break
                node = pair[1]
                found = _pos(pair[0] if key else node)
            elif node.id == "sequence" and isinstance(part, int) and 0 <= part < len(node.value):
                node = node.value[part]
                found = _pos(node)
            else:
                break
        return found


class _Stop(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


def _pos(node: Node) -> Pos:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    def __init__(self, path: str, max_depth: int, max_nodes: int, out: Loaded) -> None:
        self.path = path
        self.max_depth = max_depth
        self.max_nodes = max_nodes
        self.out = out
        self.nodes = 0
        self.seen: set[int] = set()
        self.aliased = False
        self.items: set[int] = set()  # the mappings that are items of a list

    def build(self, node: Node, depth: int) -> Any:
        self.nodes += 1
        if id(node) in self.seen and node.id != "scalar":
            self.aliased = True
        self.seen.add(id(node))
        if self.nodes > self.max_nodes or depth > self.max_depth or (node.tag not in _ALLOWED_TAGS):
            self._refuse(node, depth)
        if node.id == "scalar":
            if not node.style and node.value in _NULLS:  # plain: None (ruamel) or "" (libyaml)
                return None
            return str(node.value)
        if node.id == "sequence":
            self.items.update(id(c) for c in node.value if c.id == "mapping")
            return [self.build(c, depth + 1) for c in node.value]
        if node.id == "mapping":
            return self._mapping(node, depth)
        raise AssertionError(f"unexpected node {node!r}")  # pragma: no cover

    def _refuse(self, node: Node, depth: int) -> None:
        line, col = _pos(node)
        if self.nodes > self.max_nodes:
            why = "anchors and aliases expand" if self.aliased else "the data has"
            raise _Stop(
                Diagnostic.make(
                    "KS107",
                    f"{why} more than {self.max_nodes} nodes; refusing to build more",
                    path=self.path,
                    line=line,
                    column=col,
                    hint="write the values out instead of repeating them through aliases",
                )
            )
        if depth > self.max_depth:
            raise _Stop(_too_deep(self.path, line, col, self.max_depth))
        if node.tag not in _ALLOWED_TAGS:
            # Reported, then built as the plain data it carries: nothing is ever constructed
            # from a tag, and the schema still checks the rest of the file.
            self.out.diagnostics.append(
                Diagnostic.make(
                    "KS106",
                    f"tag {_short_tag(node.tag)!r} is not allowed; registry files hold plain data",
                    path=self.path,
                    line=line,
                    column=col,
                    hint="remove the tag",
                )
            )

    def _mapping(self, node: Node, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        # An item of a list whose first key comes again: most likely a new item written
        # without its "- ", whose keys all repeat (keeping one of two would lose it).
        restarted = False
        for key_node, value_node in node.value:
            if key_node.id != "scalar":
                kline, kcol = _pos(key_node)
                self.out.diagnostics.append(
                    Diagnostic.make(
                        "KS202",
                        "a key must be plain text, not a list or mapping",
                        path=self.path,
                        line=kline,
                        column=kcol,
                    )
                )
                continue
            key = str(key_node.value)
            if key in result:
                first = next(_pos(k) for k, _ in node.value if str(k.value) == key)
                kline, kcol = _pos(key_node)
                restarted = restarted or (id(node) in self.items and key == next(iter(result)))
                self.out.diagnostics.append(
                    Diagnostic.make(
                        "KS109",
                        f"duplicate key {key!r} (first at line {first[0]}); the later value "
                        "would silently win",
                        path=self.path,
                        line=kline,
                        column=kcol,
                        hint=(
                            "if a new item of the list starts here, begin its line with '- '"
                            if restarted
                            else "keep one of the two"
                        ),
                    )
                )
                continue
            result[key] = self.build(value_node, depth + 1)
        return result


def _short_tag(tag: str | None) -> str:
    tag = tag or "?"
    return "!!" + tag[len(_STD) :] if tag.startswith(_STD) else tag


def _too_deep(path: str, line: int, col: int, limit: int) -> Diagnostic:
    return Diagnostic.make(
        "KS108", f"data is nested deeper than {limit} levels", path=path, line=line, column=col
    )


_FLOW = re.compile(r"[\[\]{}\n]|(?:^|(?<=\s))#[^\n]*", re.MULTILINE)


def _flow_too_deep(text: str, limit: int) -> Pos | None:
    """Where flow nesting ([ and {) first passes `limit`, found without parsing.

    ruamel's scanner is quadratic in flow nesting (5,000 levels take seconds), so deep
    flow nesting is refused before the parser sees it. Brackets inside quoted text are
    counted too; a real file never has `limit` of them open at once.
    """
    if text.count("[") + text.count("{") <= limit:
        return None
    depth = 0
    line, line_start = 1, 0
    for m in _FLOW.finditer(text):
        ch = m.group()
        if ch == "\n":
            line, line_start = line + 1, m.end()
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return (line, m.start() - line_start + 1)
        elif ch in "]}":
            depth = max(0, depth - 1)
    return None


def _deep_position(text: str, limit: int) -> Pos:
    """Where nesting first passes `limit`, from the event stream (which does not recurse)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    depth = 0
    try:
        for event in YAML(typ="safe", pure=True).parse(text):
            name = type(event).__name__
            if name in ("MappingStartEvent", "SequenceStartEvent"):
                depth += 1
                if depth > limit:
                    return (event.start_mark.line + 1, event.start_mark.column + 1)
            elif name in ("MappingEndEvent", "SequenceEndEvent"):
                depth -= 1
    except (YAMLError, RecursionError):
        pass
    return (1, 1)


def _compose(text: str) -> Node:
    """The document's node tree: libyaml when it accepts the text, else ruamel (which then
    raises the error that the diagnostic reports)."""
    if _FAST:
        try:
            loader = _FastLoader(text)
            try:
                return loader.get_single_node()
            finally:
                loader.dispose()
        except (pyyaml.YAMLError, RecursionError):
            pass
    from ruamel.yaml import YAML

    return YAML(typ="safe", pure=True).compose(text)


def decode(raw: bytes, path: str, out: Loaded) -> str | None:
    if raw.startswith(BOM):
        out.diagnostics.append(
            Diagnostic.make(
                "KS103",
                "the file starts with a UTF-8 byte-order mark",
                path=path,
                hint="save the file as UTF-8 without BOM",
            )
        )
        raw = raw[len(BOM) :]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        message, line, col = not_utf8(raw, exc)
        out.diagnostics.append(
            Diagnostic.make(
                "KS102", message, path=path, line=line, column=col, hint="save the file as UTF-8"
            )
        )
        return None


def not_utf8(raw: bytes, exc: UnicodeDecodeError) -> tuple[str, int, int]:
    """Why `raw` (after any UTF-8 byte-order mark) is not UTF-8, and where: the message,
    line and column that `validate` and `fmt` both give."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "the file is UTF-16 (it starts with a UTF-16 byte-order mark)", 1, 1
    before = raw[: exc.start]
    line = before.count(b"\n") + 1
    col = len(before) - (before.rfind(b"\n") + 1) + 1
    return f"byte 0x{raw[exc.start]:02x} is not valid UTF-8", line, col


def load(raw: bytes, path: str, *, max_depth: int = 32, max_nodes: int = 100_000) -> Loaded:
    """Build the data of one YAML file. Never raises for bad input: see `Loaded.diagnostics`."""
    out = Loaded(data=None)
    text = decode(raw, path, out)
    if text is None:
        return out
    deep = _flow_too_deep(text, max_depth)
    if deep is not None:
        out.diagnostics.append(_too_deep(path, deep[0], deep[1], max_depth))
        return out
    try:
        node = _compose(text)
    except RecursionError:
        line, col = _deep_position(text, max_depth)
        out.diagnostics.append(_too_deep(path, line, col, max_depth))
        return out
    except Exception as exc:  # what ruamel raised, composing what libyaml refused
        out.diagnostics.append(_parse_error(exc, path, text))
        return out
    if node is None:
        out.diagnostics.append(
            Diagnostic.make("KS104", "the file is empty; expected a mapping of keys", path=path)
        )
        return out
    if node.id != "mapping":
        line, col = _pos(node)
        what = "a list" if node.id == "sequence" else "a single value"
        out.diagnostics.append(
            Diagnostic.make(
                "KS105",
                f"the top level is {what}; expected a mapping of keys",
                path=path,
                line=line,
                column=col,
            )
        )
        return out
    builder = _Builder(path, max_depth, max_nodes, out)
    try:
        out.data = builder.build(node, 0)
        out.text = text  # built within the limits, so locating it later is bounded too
    except _Stop as stop:
        out.diagnostics.append(stop.diagnostic)
        out.data = None
    except RecursionError:  # pragma: no cover - max_depth is far below the recursion limit
        out.diagnostics.append(_too_deep(path, 1, 1, max_depth))
        out.data = None
    return out


def _parse_error(exc: Exception, path: str, text: str) -> Diagnostic:
    """The diagnostic for ruamel's error `exc`; anything but a YAML error is raised again."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    if isinstance(exc, MarkedYAMLError):
        return _syntax(exc, path, text)
    if isinstance(exc, YAMLError):  # pragma: no cover - ruamel marks all its parse errors
        return Diagnostic.make("KS101", str(exc), path=path)
    raise exc


def _syntax(exc: MarkedYAMLError, path: str, text: str = "") -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    problem = (exc.problem or "").strip()
    context = (exc.context or "").strip()
    if "'\\t'" in problem:
        return Diagnostic.make(
            "KS111",
            "a tab character where YAML needs spaces for indentation",
            path=path,
            line=line,
            column=col,
            hint="indent with spaces",
        )
    message = f"{context}: {problem}" if context and problem else (problem or context)
    started = exc.context_mark.line + 1 if exc.context_mark is not None else line
    said = _in_plain_words(text.splitlines(), line, col, problem, context, started)
    if said is not None:
        return Diagnostic.make(
            "KS101", f"{said[0]} [YAML: {message}]", path=path, line=line, column=col, hint=said[1]
        )
    return Diagnostic.make(
        "KS101", message or "YAML syntax error", path=path, line=line, column=col
    )


_KEY = re.compile(r"(\s*(?:-\s+)*)([^\s:#'\"\[{-][^:#]*?):(?:\s|$)")


def _key_column(line: str) -> int:
    """Where the key (or value) of a line begins, after its indentation and list dashes."""
    return len(re.match(r"\s*(?:-\s+)*", line).group(0))  # type: ignore[union-attr]  # always matches


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _in_plain_words(
    lines: list[str], line: int, col: int, problem: str, context: str, started: int
) -> tuple[str, str] | None:
    """What a YAML syntax error means for the person who wrote the file, and what to do: the
    parser's own words name its state, not the mistake. None when there is nothing to add."""
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    indent = len(here) - len(here.lstrip(" "))
    above = next(
        (
            t
            for t in reversed(lines[: max(line - 1, 0)])
            if t.strip() and not t.lstrip().startswith("#")
        ),
        None,
    )
    below_key = above is not None and indent > _key_column(above)
    key = _KEY.match(here)
    if problem == "mapping values are not allowed here":
        if key is not None and key.end() < col:
            value = here[key.end() :].strip()
            return (
                "a colon inside a value: quote it",
                f"write {key.group(2).strip()}: {_quoted(value)}",
            )
        if below_key:
            return (
                "the line is indented more than the key above it",
                "indent it as the key above it, or end that key with a colon to put it under",
            )
        if above is not None and _KEY.match(above) is None and not above.rstrip().endswith(":"):
            return (
                "the line above has no colon after its key",
                "write each key as key: value, one to a line",
            )
        return None
    if "block mapping" in context and "found '-'" in problem:
        return (
            "a list item where a key was expected",
            "put the list under a key that ends with a colon (aliases:), or write the item "
            "as key: value",
        )
    if "block mapping" in context and "<block sequence start>" in problem:
        return (
            "a list item indented differently from the items above it",
            "line up the dash of every item of a list",
        )
    if "block collection" in context and ("'?'" in problem or "<block mapping start>" in problem):
        if above is not None and indent < _key_column(above):
            return (
                "the line is indented less than the key above it",
                "indent it as the key above it, or start a new list item with '- '",
            )
        return ("a key where a list item was expected", "start a new list item with '- '")
    if "quoted scalar" in context and "end of stream" in problem:
        return (
            f"a quote opened on line {started} is never closed",
            "close the quote, or write the value without it",
        )
    if "flow sequence" in context or "flow mapping" in context:
        return (
            f"a list in brackets opened on line {started} is not closed, or a value in it "
            "holds a colon or comma",
            "close the bracket, and quote a value that holds a colon or a comma",
        )
    start = re.search(r"found character '(.)' that cannot start any token", problem)
    if start is not None:
        value = here[col - 1 :].strip()
        return (
            f"a value cannot start with {start.group(1)}: quote it",
            f"write {key.group(2).strip()}: {_quoted(value)}" if key else "quote the value",
        )
    if "undefined alias" in problem:
        return (
            "a value that starts with * names an anchor (&name) that is not defined: quote it",
            "quote a value that starts with *",
        )
    return None


# ------------------------------------------------------------------------------ round trip
# For editing (fmt, new): ruamel's round-trip loader keeps comments and layout. It is slow,
# so it is never on the validation or query path.


def _round_trip(preserve_quotes: bool = False) -> YAML:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold a long value (a URL, a note) over lines
    yaml.preserve_quotes = preserve_quotes
    yaml.allow_duplicate_keys = False
    return yaml


def rt_load(text: str, *, preserve_quotes: bool = False) -> Any:
    """Comments-preserving data (CommentedMap/CommentedSeq); raises on bad YAML."""
    return _round_trip(preserve_quotes).load(text)


def rt_dump(data: Any) -> str:
    import io

    buffer = io.StringIO()
    _round_trip().dump(data, buffer)
    return buffer.getvalue()


# Plain words other YAML readers (YAML 1.1: editors, PyYAML) take for a boolean or null;
# ksctl reads every scalar as the schema says, but the file must mean the same to them.
_AMBIGUOUS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ""}


def quote_ambiguous(node: Any) -> None:
    """Single-quote, in place, every string value that a YAML 1.1 reader would take for a
    boolean or a null (`off`, `yes`): `rules: {KS461: 'off'}` stays quoted through fmt.
    (Strings that look like numbers ruamel quotes by itself.)"""
    from ruamel.yaml.scalarstring import ScalarString, SingleQuotedScalarString

    items = node.items() if is_mapping(node) else enumerate(node) if is_sequence(node) else ()
    for key, value in list(items):
        if isinstance(value, str) and not isinstance(value, ScalarString):
            if value.casefold() in _AMBIGUOUS:
                node[key] = SingleQuotedScalarString(value)
        else:
            quote_ambiguous(value)


def is_mapping(value: Any) -> bool:
    from ruamel.yaml.comments import CommentedMap

    return isinstance(value, CommentedMap)


def is_sequence(value: Any) -> bool:
    from ruamel.yaml.comments import CommentedSeq

    return isinstance(value, CommentedSeq)


def reorder(mapping: Any, order: list[str]) -> None:
    """Put `mapping`'s keys in `order` (unknown keys last, as they were), keeping comments."""
    keys = list(mapping.keys())
    wanted = [k for k in order if k in mapping] + [k for k in keys if k not in order]
    if wanted == keys:
        return
    items = {k: mapping[k] for k in keys}
    comments = {k: mapping.ca.items.get(k) for k in keys}
    for k in keys:
        del mapping[k]
    for k in wanted:
        mapping[k] = items[k]
        if comments[k] is not None:
            mapping.ca.items[k] = comments[k]
