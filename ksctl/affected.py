"""Which files a change touches: the changed files and every file that refers to them.

Layer 4. `ksctl validate --changed-since REV` reports on these only; the diagnostics are the
full validation's for those files, so the answer never differs from a full run.
"""

from __future__ import annotations

from ksctl import gitio, layout, references
from ksctl.registry import Registry


def files(registry: Registry, rev: str) -> set[str]:
    """Repository-relative paths: changed since `rev`, and their referrers."""
    top = gitio.toplevel(registry.root).resolve()
    base_prefix = registry.base.resolve().relative_to(top).as_posix()
    registry_prefix = registry.root.resolve().relative_to(top).as_posix() + "/"
    changed_top = [
        p for p in gitio.changed_files(registry.root, rev) if p.startswith(registry_prefix)
    ]

    # Diagnostics name paths relative to the registry's parent folder.
    def shown(path: str) -> str:
        return path if base_prefix == "." else path.removeprefix(base_prefix + "/")

    changed = {shown(p) for p in changed_top}
    targets: set[tuple[str, str]] = set()
    for path in changed_top:
        located = layout.locate(path.removeprefix(registry_prefix))
        if located is not None:
            targets.add((located.kind, located.id))
    for entity in registry:
        if entity.path in changed:
            targets.add((entity.kind, entity.id))
    result = set(changed)
    for entity in registry:
        if entity.model is None or entity.path in result:
            continue
        for _, value, marker in references.iter_refs(entity.model):
            kind, sep, ident = value.partition(":")
            candidates = {(kind, ident)} if sep else {(k, value) for k in marker.kinds}
            if candidates & targets:
                result.add(entity.path)
                break
    return result
