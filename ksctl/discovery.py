"""Finding the registry: --registry, then KSCTL_REGISTRY, then up from the current folder,
then the registry bundled with the installed package.

standard library only.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from ksctl.errors import NotARegistry, RegistryNotFound

MARKER = "ksctl.yaml"
BUNDLED = Path(__file__).parent / "_data" / "registry"
# An editable install (`pip install -e .`) has no _data/: the repository's own registry.
SOURCE = Path(__file__).parent.parent / "registry"


def bundled() -> Path | None:
    """The registry that ships with ksctl: in the installed package, or, for an editable
    install, beside it in the repository."""
    for folder in (BUNDLED, SOURCE):
        if (folder / MARKER).is_file() and (folder != SOURCE or _is_repository(folder.parent)):
            return folder
    return None


def _is_repository(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and (folder / "ksctl" / "__init__.py").is_file()


def _registry_in(folder: Path) -> Path | None:
    if (folder / MARKER).is_file():
        return folder
    if (folder / "registry" / MARKER).is_file():
        return folder / "registry"
    return None


def find_registry(
    explicit: Path | None,
    env: Mapping[str, str],
    cwd: Path,
    *,
    write: bool = False,
) -> Path:
    """The registry to use: `explicit`, else $KSCTL_REGISTRY, else the nearest one at or
    above `cwd`, else (unless the command writes) the one bundled with ksctl. The folder
    returned is absolute, without `..` (as messages show it)."""
    if explicit is not None:
        found = _registry_in(explicit)
        if found is None:
            raise NotARegistry(explicit, "--registry")
        return _absolute(found)
    if env.get("KSCTL_REGISTRY"):
        folder = Path(env["KSCTL_REGISTRY"])
        found = _registry_in(folder)
        if found is None:
            raise NotARegistry(folder, "KSCTL_REGISTRY")
        return _absolute(found)
    looked: list[str] = []
    cwd = cwd.absolute()
    for folder in (cwd, *cwd.parents):
        found = _registry_in(folder)
        if found is not None:
            return found
        looked.append(str(folder / "registry" / MARKER))
    shipped = bundled()
    if write:
        raise RegistryNotFound(
            looked, why="a command that writes never changes the registry bundled with ksctl"
        )
    if shipped is not None:
        return shipped
    looked.append(f"{BUNDLED / MARKER} (the registry bundled with ksctl)")
    raise RegistryNotFound(looked)


def _absolute(folder: Path) -> Path:
    """`folder` made absolute and `..` taken out by name, not by following links: a
    registry reached through a linked folder keeps that folder's name."""
    return Path(os.path.normpath(folder.absolute()))
