"""Validation results as text, GitHub annotations or a versioned JSON envelope.

No rich here: plain strings, so that piped output and CI logs stay plain. Colour for a
terminal is added by `render.console`.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from ksctl.diagnostics import Diagnostic
    from ksctl.result import Result

# The diagnostics module and json are imported where a report needs them: a query's text
# answer is printed without them (and difflib).

JSON_VERSION = 2
"""The version of every `--json` envelope (docs/json.md): 2 since seats have three states
and answers say how a name was read."""


def styled(stream: TextIO) -> bool:
    """Whether output to `stream` gets rich's colour and tables: on a terminal, or wherever
    FORCE_COLOR is set and not empty (https://force-color.org), as in a CI log that shows
    colour. NO_COLOR (set and not empty) wins over both: then the plain text a pipe gets."""
    if os.environ.get("NO_COLOR", ""):
        return False
    if os.environ.get("FORCE_COLOR", ""):
        return True
    try:
        return stream.isatty()
    except ValueError:  # a closed stream is no terminal
        return False


def envelope(payload: Mapping[str, Any]) -> str:
    """A `--json` answer: `{"version": ..., **payload}`, indented, UTF-8 as is."""
    import json

    return json.dumps({"version": JSON_VERSION, **payload}, ensure_ascii=False, indent=2)


def text_line(d: Diagnostic) -> str:
    line = f"{d.path}:{d.line}:{d.column}: {d.severity.label}[{d.code}] {d.message}"
    return f"{line} ({d.hint})" if d.hint else line


def plural(n: int, word: str, many: str | None = None) -> str:
    """ "1 error", "2 errors", "1 note"."""
    return f"{n} {word if n == 1 else many or word + 's'}"


def summary(diagnostics: Sequence[Diagnostic], files: int) -> str:
    from ksctl.diagnostics import counts

    c = counts(diagnostics)
    return (
        f"{plural(files, 'file')} checked: {plural(c['error'], 'error')}, "
        f"{plural(c['warning'], 'warning')}, {plural(c['info'], 'note')}"
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_LEVEL = {"error": "error", "warning": "warning", "info": "notice"}


def github_line(d: Diagnostic) -> str:
    """A GitHub Actions workflow command that annotates the line in the pull request."""
    message = f"{d.message} ({d.hint})" if d.hint else d.message
    return (
        f"::{_GITHUB_LEVEL[d.severity.label]} file={_escape_property(d.path)},line={d.line},"
        f"col={d.column},title={_escape_property(d.code)}::{_escape_data(message)}"
    )


def json_document(diagnostics: Sequence[Diagnostic], ok: bool) -> str:
    """The versioned envelope, one diagnostic to a line: readable, and written by json's C
    encoder (which `indent` would turn off: three times slower at 10,000 diagnostics)."""
    import json

    from ksctl.diagnostics import counts

    rows = ",\n".join(
        "    " + json.dumps(d.to_dict(), ensure_ascii=False, separators=(", ", ": "))
        for d in diagnostics
    )
    listed = f"[\n{rows}\n  ]" if rows else "[]"
    return (
        f'{{\n  "version": {JSON_VERSION},\n  "ok": {json.dumps(ok)},\n'
        f'  "diagnostics": {listed},\n'
        f'  "counts": {json.dumps(counts(diagnostics), separators=(", ", ": "))}\n}}'
    )


def codes_table() -> str:
    """The README's table of diagnostic codes (drift-checked by the tests)."""
    from ksctl.diagnostics import CODES

    rows = ["| code | name | default | what it means |", "| --- | --- | --- | --- |"]
    rows += [f"| {c.code} | {c.name} | {c.severity.label} | {c.summary} |" for c in CODES.values()]
    return "\n".join(rows) + "\n"


def _fails(change: Any) -> bool:
    """A change that says the entity's file does not pass validation in the new version."""
    return bool(change.field == "validation" and change.after == "fails")


def diff_text(changes: Sequence[Any], alarms: Sequence[Any]) -> str:
    lines = [f"ERROR: {c.summary}" for c in changes if _fails(c)]
    lines += [f"WARNING: mass removal: {a.summary}" for a in alarms]
    lines += [c.summary for c in changes if not _fails(c)]
    if not changes:
        lines.append("no changes to the registry")
    return "\n".join(lines) + "\n"


def diff_markdown(changes: Sequence[Any], alarms: Sequence[Any], base: str, head: str) -> str:
    out = [f"### Registry changes ({base[:12]} → {head})", ""]
    failing = [c for c in changes if _fails(c)]
    if failing:
        out += ["> [!CAUTION]"]
        for c in failing:
            out.append(f"> **Does not pass validation:** {c.subject or c.ref}  ")
        out += ["> Its changes cannot be listed until it does: run `ksctl validate`.", ""]
    for a in alarms:
        out += ["> [!WARNING]", f"> **Mass removal:** {a.summary}. Is this intended?", ""]
    if not changes:
        out.append("No changes to the registry.")
    for c in changes:
        if _fails(c):
            continue
        mark = {"added": "➕", "removed": "➖"}.get(c.change, "✏️")
        out.append(f"- {mark} {c.summary}")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------ reporters


def _report_text(result: Result, *, strict: bool) -> None:
    if styled(sys.stdout):
        from ksctl.render.console import print_diagnostics

        print_diagnostics(result.diagnostics, result.files)
        return
    for d in result.diagnostics:
        print(text_line(d))
    print(summary(result.diagnostics, result.files))


def _report_json(result: Result, *, strict: bool) -> None:
    print(json_document(result.diagnostics, ok=not result.failed(strict=strict)))


def _report_github(result: Result, *, strict: bool) -> None:
    for d in result.diagnostics:
        print(github_line(d))
    print(summary(result.diagnostics, result.files), file=sys.stderr)


REPORTERS: dict[str, Callable[..., None]] = {
    "text": _report_text,
    "json": _report_json,
    "github": _report_github,
}
"""How `ksctl validate --format F` prints a result, by F."""
