"""Finding the registry: --registry, then KSCTL_REGISTRY, then up from the current folder,
then the registry bundled with the installed package.

Layer 2, standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ksctl.errors import NotARegistry, RegistryNotFound

MARKER = "ksctl.yaml"
BUNDLED = Path(__file__).parent / "_data" / "registry"


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
) -> Path:
    if explicit is not None:
        found = _registry_in(explicit)
        if found is None:
            raise NotARegistry(explicit, "--registry")
        return found
    if env.get("KSCTL_REGISTRY"):
        folder = Path(env["KSCTL_REGISTRY"])
        found = _registry_in(folder)
        if found is None:
            raise NotARegistry(folder, "KSCTL_REGISTRY")
        return found
    looked: list[str] = []
    for folder in (cwd, *cwd.parents):
        found = _registry_in(folder)
        if found is not None:
            return found
        looked.append(str(folder / "registry" / MARKER))
    if (BUNDLED / MARKER).is_file():
        return BUNDLED
    looked.append(f"{BUNDLED / MARKER} (the registry bundled with ksctl)")
    raise RegistryNotFound(looked)
