"""The terminal: rich tables and styles, and with NO_COLOR plain text without escape codes."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest

from ksctl.diagnostics import Diagnostic, Severity
from ksctl.render import console
from ksctl.render.views import Table, View, plain

VIEW = View(
    "Akut vård (npo:akut-vard)",
    fields=[("host", "Mellansverige (healthcare-region:mellansverige)")],
    tables=[Table("members", ["role", "person"], [["ordförande", "Bo Berg"]])],
    notes=["a note"],
)
ESC = "\x1b["


def _terminal(monkeypatch: pytest.MonkeyPatch, no_color: str | None) -> tuple[StringIO, Any]:
    """A console like a colour terminal's, writing to a buffer."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    buffer = StringIO()
    return buffer, console.console(file=buffer, force_terminal=True)


def test_a_terminal_gets_a_styled_table(monkeypatch) -> None:
    buffer, out = _terminal(monkeypatch, None)
    console.print_view(VIEW, out)
    text = buffer.getvalue()
    assert ESC + "1m" in text  # the bold title
    assert "┃" in text or "│" in text  # a boxed table
    assert "Bo Berg" in text


@pytest.mark.parametrize("value", ["1", "true", "0"])  # present and not empty is enough
def test_no_color_gives_plain_text_without_escape_codes(monkeypatch, value) -> None:
    buffer, out = _terminal(monkeypatch, value)
    console.print_view(VIEW, out)
    assert ESC not in buffer.getvalue()
    assert buffer.getvalue() == plain(VIEW)


def test_no_color_diagnostics_are_the_piped_lines(monkeypatch) -> None:
    d = Diagnostic("registry/a.yaml", 3, 1, "KS201", Severity.ERROR, "unknown key 'nmae'", "x")
    buffer, out = _terminal(monkeypatch, "1")
    console.print_diagnostics([d], 2, out)
    assert ESC not in buffer.getvalue()
    assert (
        buffer.getvalue().splitlines()[0]
        == "registry/a.yaml:3:1: error[KS201] unknown key 'nmae' (x)"
    )
    buffer, out = _terminal(monkeypatch, None)
    console.print_diagnostics([d], 2, out)
    assert ESC in buffer.getvalue()


def test_an_empty_no_color_does_not_turn_styles_off(monkeypatch) -> None:
    buffer, out = _terminal(monkeypatch, "")
    console.print_view(VIEW, out)
    assert ESC in buffer.getvalue()
