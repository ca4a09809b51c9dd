"""What a validation ends in, whichever way it ran (cold, from a snapshot, scoped).

Standard library only: a validation answered from its snapshot imports no models.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ksctl.diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from ksctl.loader import LoadResult
    from ksctl.registry import Registry


@dataclass(frozen=True)
class Result:
    """A validation's outcome: its diagnostics, how many files it checked, and the load it
    made (None when the answer came from a snapshot)."""

    diagnostics: list[Diagnostic]
    files: int
    load: LoadResult | None = None

    @property
    def registry(self) -> Registry | None:
        return self.load.registry if self.load is not None else None

    def failed(self, *, strict: bool = False) -> bool:
        """Errors, or with `strict` warnings too."""
        worst = max((d.severity for d in self.diagnostics), default=None)
        if worst is None:
            return False
        return worst >= (Severity.WARNING if strict else Severity.ERROR)

    def exit_code(self, *, strict: bool = False) -> int:
        return 1 if self.failed(strict=strict) else 0

    def only(self, keep: Callable[[Diagnostic], bool]) -> Result:
        return dataclasses.replace(self, diagnostics=[d for d in self.diagnostics if keep(d)])


def under(paths: list[Path], root: Path) -> Callable[[Diagnostic], bool]:
    """Keeps the diagnostics of files under `paths` (the registry at `root` is still
    checked whole); a path that does not exist, or lies outside the registry and does not
    hold it, is a usage error (another registry is checked with --registry)."""
    from ksctl.errors import UsageError

    base, inside = root.parent.resolve(), root.resolve()
    wanted = []
    for p in paths:
        if not p.exists():
            raise UsageError(f"{p}: no such file or folder")
        resolved = p.resolve()
        if not (resolved.is_relative_to(inside) or inside.is_relative_to(resolved)):
            other = resolved if resolved.is_dir() else resolved.parent
            if (other / "ksctl.yaml").is_file() or (other / "registry/ksctl.yaml").is_file():
                raise UsageError(
                    f"{p} is another registry than {root}: check it with --registry {p}"
                )
            raise UsageError(f"{p} is outside the registry ({root})")
        # a folder holding the registry (the repository, or one above it) keeps all of it
        holds = inside.is_relative_to(resolved) and not resolved.is_relative_to(base)
        wanted.append("." if holds else resolved.relative_to(base).as_posix())

    def keep(d: Diagnostic) -> bool:
        return any(w in (".", d.path) or d.path.startswith(w.rstrip("/") + "/") for w in wanted)

    return keep
