"""The published pre-commit hooks, the project's own pre-commit config and the example CI
workflow run real ksctl commands with real options, and install ksctl from where it is."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO

from ksctl import yamlio

HOOKS = REPO / ".pre-commit-hooks.yaml"
CONFIG = REPO / ".pre-commit-config.yaml"
CI = REPO / "docs/registry-ci.yml"


def _load(path: Path) -> Any:
    """Plain data (every scalar a string, so `on:` stays the key GitHub reads)."""
    raw = path.read_bytes()
    if path.name == ".pre-commit-hooks.yaml":  # a list at the top: wrap it for the loader
        raw = b"hooks:\n" + b"".join(b"  " + line for line in raw.splitlines(keepends=True))
    loaded = yamlio.load(raw, path.name)
    assert loaded.diagnostics == [], loaded.diagnostics
    return loaded.data


def _published() -> list[dict[str, Any]]:
    return list(_load(HOOKS)["hooks"])


def _own() -> list[dict[str, Any]]:
    return [h for repo in _load(CONFIG)["repos"] for h in repo["hooks"]]


def _ci_lines() -> list[str]:
    steps = [s for job in _load(CI)["jobs"].values() for s in job["steps"]]
    return [line.strip() for s in steps for line in str(s.get("run") or "").splitlines()]


def _ksctl_commands(line: str) -> list[list[str]]:
    """Each `ksctl ...` command a shell line runs, as its words (up to a redirection)."""
    words = shlex.split(line.replace("${{", "").replace("}}", ""), comments=True)
    commands: list[list[str]] = []
    current: list[str] | None = None
    start = True  # at the start of a command
    for word in words:
        if word in ("&&", "||", ";", "|", "then", "do", "else") or word.startswith((">", "<")):
            current, start = None, True
        elif start and "=" in word:
            continue  # VAR=value before a command
        elif start and word == "ksctl":
            current = ["ksctl"]
            commands.append(current)
            start = False
        else:
            if current is not None:
                current.append(word)
            start = False
    return commands


def _entries() -> list[list[str]]:
    hooks = _published() + _own()
    found = [shlex.split(h["entry"]) for h in hooks if h["entry"].startswith("ksctl")]
    return found + [c for line in _ci_lines() for c in _ksctl_commands(line)]


@pytest.mark.parametrize("command", _entries(), ids=" ".join)
def test_every_ksctl_command_and_option_exists(command: list[str], run_line) -> None:
    assert command[0] == "ksctl" and len(command) > 1
    r = run_line([command[0], command[1], "--help"])
    assert r.exit_code == 0, f"no command ksctl {command[1]}"
    args = command[2:]
    for i, word in enumerate(args):
        if not word.startswith("-"):
            continue
        option = re.search(rf"(?:^|\s|,){re.escape(word)}(?: <([a-z|]+)>)?(?=\s|$)", r.stdout, re.M)
        assert option, f"ksctl {command[1]} has no option {word}"
        if option.group(1) and "|" in option.group(1):  # a choice: the value must be one
            assert args[i + 1] in option.group(1).split("|"), (word, args[i + 1])


def test_fmt_is_a_published_hook_and_the_project_uses_it() -> None:
    published = {h["id"]: h for h in _published()}
    assert published["ksctl-fmt"]["entry"] == "ksctl fmt --check"
    own = {h["id"]: h for h in _own()}
    assert own["ksctl-fmt"]["entry"] == "ksctl fmt --check"
    for ident, hook in own.items():  # the project runs its hooks as it publishes them
        if ident in published:
            assert hook["entry"] == published[ident]["entry"], ident


def test_the_example_workflow_installs_ksctl_from_its_repository() -> None:
    installs = [line for line in _ci_lines() if "pip install" in line]
    assert installs
    for line in installs:
        targets = [w for w in shlex.split(line) if "ksctl" in w]
        assert targets and all("git+https://" in w or w.startswith((".", "/")) for w in targets)


def test_the_example_workflow_annotates_only_what_a_pull_request_affects() -> None:
    jobs = _load(CI)["jobs"]
    steps = [s for job in jobs.values() for s in job["steps"]]
    in_pr = [s for s in steps if "event_name == 'pull_request'" in str(s.get("if", ""))]
    validate = [s["run"] for s in in_pr if "ksctl validate" in str(s.get("run"))]
    assert validate and all("--changed-since" in v and "--format github" in v for v in validate)
