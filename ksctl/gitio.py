"""What git knows about the registry's repository. Layer 4, standard library only."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Head:
    commit: str
    date: str  # committer date, YYYY-MM-DD


def head(folder: Path) -> Head | None:
    """The commit checked out in `folder`'s repository, or None outside git."""
    try:
        out = subprocess.run(
            ["git", "-C", str(folder), "log", "-1", "--format=%h %cs"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return None
    return Head(out[0], out[1]) if len(out) == 2 else None
