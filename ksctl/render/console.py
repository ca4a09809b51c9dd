"""The terminal: colour and tables with rich, plain text when piped or NO_COLOR is set.

The only module (with its siblings under render/) that imports rich; it is imported
lazily by the CLI so that a plain run does not pay for it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from typing import IO

from rich.console import Console
from rich.markup import escape
from rich.text import Text

from ksctl.diagnostics import Diagnostic, Severity
from ksctl.render.report import summary, text_line
from ksctl.render.views import Items, View, item_lines, plain

_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def no_color() -> bool:
    """NO_COLOR is set (and not empty): no colour and no other styling either."""
    return os.environ.get("NO_COLOR", "") != ""


def console(
    stderr: bool = False, *, file: IO[str] | None = None, force_terminal: bool | None = None
) -> Console:
    """A console on stdout (or stderr, or `file`). rich turns styling off when the stream is
    not a terminal; with NO_COLOR it would only drop colours and keep bold and dim, so no
    colour system is given at all then."""
    return Console(
        file=file or (sys.stderr if stderr else sys.stdout),
        highlight=False,
        soft_wrap=True,
        force_terminal=force_terminal,
        color_system=None if no_color() else "auto",
        no_color=no_color(),
    )


def print_diagnostics(
    diagnostics: Sequence[Diagnostic], files: int, out: Console | None = None
) -> None:
    out = out or console()
    if no_color():  # the same lines as when piped
        for d in diagnostics:
            out.file.write(text_line(d) + "\n")
        out.file.write(summary(diagnostics, files) + "\n")
        return
    for d in diagnostics:
        line = Text()
        line.append(f"{d.path}:{d.line}:{d.column}: ", style="bold")
        line.append(f"{d.severity.label}[{d.code}]", style=_STYLE[d.severity])
        line.append(f" {d.message}")
        if d.hint:
            line.append(f" ({d.hint})", style="dim")
        out.print(line)
    out.print(escape(summary(diagnostics, files)), style="dim" if diagnostics else "green")


def print_view(view: View, out: Console | None = None) -> None:
    """A view with rich: bold title, aligned fields, boxed tables; with NO_COLOR, the plain
    text that a pipe gets."""
    from rich.table import Table as RichTable

    out = out or console()
    if no_color():
        out.file.write(plain(view))
        return
    out.print(Text(view.title, style="bold"))
    if view.fields:
        grid = RichTable.grid(padding=(0, 2))
        grid.add_column(style="dim")
        grid.add_column()
        for label, value in view.fields:
            grid.add_row(escape(label), escape(value))
        out.print(grid)
    for note in view.notes:
        out.print(escape(note))
    for table in view.tables:
        if isinstance(table, Items):
            out.print(Text(f"{table.title}:", style="bold"))
            for line in item_lines(table, max(out.width, 40)):
                out.print(escape(line))
            continue
        if not table.rows:
            out.print(
                Text(
                    f"{table.title}: ({table.empty})" if table.title else f"({table.empty})",
                    style="dim",
                )
            )
            continue
        rich_table = RichTable(title=table.title or None, title_justify="left", header_style="bold")
        for column in table.columns:
            rich_table.add_column(column)
        for row in table.rows:
            rich_table.add_row(*[escape(str(c)) for c in row])
        out.print(rich_table)


def progress_callback(label: str) -> Callable[[int, int], None]:
    """A progress bar on stderr that the exporter advances page by page."""
    from rich.progress import Progress

    bar = Progress(console=console(stderr=True), transient=True)
    task = bar.add_task(label, total=None)
    started = False

    def advance(done: int, total: int) -> None:
        nonlocal started
        if not started:
            bar.start()
            started = True
        bar.update(task, completed=done, total=total)
        if done >= total:
            bar.stop()

    return advance
