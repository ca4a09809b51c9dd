"""Run-stopping conditions. Problems in the data are diagnostics, not exceptions."""

from __future__ import annotations

from pathlib import Path


class KsctlError(Exception):
    """Base of the few conditions that stop a run; `exit_code` is what the CLI exits with."""

    exit_code = 1


class UsageError(KsctlError):
    exit_code = 2


class EnvironmentProblem(KsctlError):
    exit_code = 3


class RegistryNotFound(EnvironmentProblem):
    def __init__(self, looked_in: list[str], why: str | None = None) -> None:
        self.looked_in = looked_in
        where = "\n  ".join(looked_in)
        because = (
            f"\n{why}; give --registry or run it inside a registry's repository" if why else ""
        )
        super().__init__(
            f"no registry found (a folder with ksctl.yaml); looked in:\n  {where}{because}"
        )


class NotARegistry(EnvironmentProblem):
    def __init__(self, path: Path, origin: str) -> None:
        self.path = path
        super().__init__(f"{origin} points to {path}, which has no ksctl.yaml")


class NoMatch(KsctlError):
    """A name that matches nothing, or several things equally well."""

    def __init__(
        self,
        text: str,
        what: str,
        candidates: list[tuple[str, str, str]],
        *,
        ambiguous: bool,
        via: dict[str, str] | None = None,
    ) -> None:
        self.text = text
        self.what = what
        self.candidates = candidates  # (kind, id, name)
        self.ambiguous = ambiguous
        self.via = via or {}  # candidate id -> the other name of it that resembles `text`
        # "healthcare region or region" -> "healthcare regions or regions"
        plural = " or ".join(
            w[:-1] + "ies" if w.endswith("y") else w + "s" for w in what.split(" or ")
        )
        if ambiguous:
            message = f"{text!r} matches several {plural}; say which"
        else:
            message = f"no {what} matches {text!r}"
        super().__init__(message)


class GitProblem(EnvironmentProblem):
    """git is missing, the folder is not a repository, or a revision does not exist."""

    def __init__(self, command: str, detail: str) -> None:
        self.command = command
        super().__init__(f"git {command}: {detail.strip() or 'failed'}")


class BadRevision(UsageError):
    """A git revision that names no commit: the user's mistake, so a usage error (2)."""

    def __init__(self, rev: str, folder: Path) -> None:
        self.rev = rev
        super().__init__(
            f"{rev!r} names no commit in the repository at {folder}: expected a commit id, "
            "branch or tag (such as main, origin/main, HEAD~1); a shallow clone may lack it "
            "(fetch with fetch-depth: 0)"
        )


class ExportError(UsageError):
    """The output cannot be used (a folder not empty and not an earlier export, a file
    that is not an earlier export)."""


class FormatError(KsctlError):
    """A file cannot be formatted (it does not parse, or formatting would change it), or a
    new file cannot be made as asked."""
