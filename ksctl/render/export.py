"""Writing the directory: HTML site, Markdown tree, one JSON document, CSV tables.

The only module that imports jinja2. Pages come from `render.site`; templates
from the registry's own templates/ folder first (a registry may override any template),
then those shipped with ksctl. Everything is escaped; output is byte-identical for the
same registry and commit, and private contact details appear only with include_private.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ksctl import __version__, gitio
from ksctl.errors import ExportError, GitProblem
from ksctl.registry import Registry
from ksctl.render.site import Page, SiteBuilder, safe_href

MANIFEST = ".ksctl-export"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Stamp:
    data_as_of: str
    commit: str
    # Whether the registry has changes that `commit` does not hold; None: ask git when
    # `commit` is the registry's HEAD (the CLI takes its stamp from there).
    uncommitted: bool | None = None


def uncommitted_changes(registry: Registry, stamp: Stamp) -> bool:
    """Whether files under the registry differ from the commit the stamp names: edited,
    staged, added or deleted, untracked ones included (ignored ones not)."""
    if stamp.uncommitted is not None:
        return stamp.uncommitted
    try:
        head = gitio.head(registry.root)
        if head is None or head.commit != stamp.commit:
            return False
        top = gitio.toplevel(registry.root).resolve()
        inside = registry.root.resolve().relative_to(top).as_posix()
        changed = gitio.changed_files(registry.root, "HEAD")
    except (GitProblem, ValueError):
        return False
    prefix = "" if inside == "." else inside + "/"
    return any(path.startswith(prefix) for path in changed)


def template_dirs(registry: Registry) -> list[Path]:
    here = Path(__file__).resolve().parents[1]
    candidates = [
        registry.base / "templates",
        here / "_data" / "templates",
        here.parent / "templates",
    ]
    seen, out = set(), []
    for c in candidates:
        if c.is_dir() and c.resolve() not in seen:
            seen.add(c.resolve())
            out.append(c)
    return out


# Paths of the site's own pages ("npo/akut-vard"): no scheme, no leading slash.
_SITE_PATH = re.compile(r"[\w-][\w./-]*")
_MD_URL = str.maketrans({"(": "%28", ")": "%29", "<": "%3C", ">": "%3E"})


def _md_escape(text: Any) -> str:
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", str(text)).replace("\n", " ")


def _environment(registry: Registry, ext: str, *, html: bool) -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs(registry)]),
        autoescape=select_autoescape(["html.j2"]) if html else False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        lstrip_blocks=False,
    )

    def url(target: str, page: Page) -> str:
        """A page path made relative to `page`, a safe outside address as it is, or "" (no
        link: the templates then show the text alone)."""
        if _SITE_PATH.fullmatch(target) and ".." not in target.split("/"):
            here = posixpath.dirname(page.path)
            return posixpath.relpath(target + ext, here or ".")
        outside = safe_href(target)
        if outside is None:
            return ""
        if not html:  # a Markdown link ends at ")" and breaks at "<", ">" or a space
            outside = outside.translate(_MD_URL)
        return outside

    env.filters["url"] = url
    env.filters["md"] = _md_escape
    return env


def _prepare(out: Path) -> list[str]:
    """Make `out` ready: create it, or clear the files an earlier export left there."""
    if out.exists() and any(out.iterdir()):
        manifest = out / MANIFEST
        if not manifest.is_file():
            raise ExportError(
                f"{out} is not empty and holds no earlier export; choose an empty or new folder"
            )
        for rel in manifest.read_text(encoding="utf-8").splitlines():
            target = out / rel
            if target.is_file() and target.resolve().is_relative_to(out.resolve()):
                target.unlink()
    out.mkdir(parents=True, exist_ok=True)
    return []


def _write(out: Path, rel: str, text: str, written: list[str]) -> None:
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    written.append(rel)


def _finish(out: Path, written: list[str]) -> None:
    (out / MANIFEST).write_text("\n".join(sorted(written)) + "\n", encoding="utf-8")
    for folder in sorted((p for p in out.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def _render_pages(
    registry: Registry,
    out: Path,
    stamp: Stamp,
    *,
    html: bool,
    include_private: bool,
    progress: Progress | None,
) -> int:
    ext = ".html" if html else ".md"
    env = _environment(registry, ext, html=html)
    builder = SiteBuilder(registry, include_private=include_private, at=stamp.data_as_of)
    # A Markdown tree is searched by its git host: no search page, and progress counts
    # only the pages that are written.
    pages = [p for p in builder.pages() if html or p.template != "search"]
    written = _prepare(out)
    common = {
        "site_title": builder.site_title(),
        "data_as_of": stamp.data_as_of,
        "commit": stamp.commit,
        "uncommitted": uncommitted_changes(registry, stamp),
        "version": __version__,
    }
    for i, page in enumerate(pages):
        if html:
            name = f"html/{page.template}.html.j2"
        else:
            name = "markdown/index.md.j2" if page.template == "index" else "markdown/page.md.j2"
        depth = page.path.count("/")
        text = env.get_template(name).render(page=page, root="../" * depth, **common)
        if not html:
            text = re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", text))
        _write(out, page.path + ext, text, written)
        if progress:
            progress(i + 1, len(pages))
    if html:
        for static in ("style.css", "search.js"):
            source = _find_static(registry, static)
            _write(out, f"static/{static}", source.read_text(encoding="utf-8"), written)
    _finish(out, written)
    return len(written)


def _find_static(registry: Registry, name: str) -> Path:
    for d in template_dirs(registry):
        if (d / "static" / name).is_file():
            return d / "static" / name
    raise ExportError(f"template file static/{name} not found in {template_dirs(registry)}")


def export_html(
    registry: Registry,
    out: Path,
    stamp: Stamp,
    *,
    include_private: bool = False,
    progress: Progress | None = None,
) -> int:
    return _render_pages(
        registry, out, stamp, html=True, include_private=include_private, progress=progress
    )


def export_markdown(
    registry: Registry,
    out: Path,
    stamp: Stamp,
    *,
    include_private: bool = False,
    progress: Progress | None = None,
) -> int:
    return _render_pages(
        registry, out, stamp, html=False, include_private=include_private, progress=progress
    )


def _public(data: Any, include_private: bool) -> Any:
    """`data` without private contact details."""
    if isinstance(data, dict):
        result = {}
        for key, value in data.items():
            if key == "contact" and isinstance(value, list) and not include_private:
                value = [c for c in value if isinstance(c, dict) and c.get("public")]
            result[key] = _public(value, include_private)
        return result
    if isinstance(data, list):
        return [_public(v, include_private) for v in data]
    return data


def export_json(
    registry: Registry, file: Path, stamp: Stamp, *, include_private: bool = False
) -> int:
    entities = sorted(registry, key=lambda e: (e.kind, e.id))
    doc = {
        "version": 1,
        "data_as_of": stamp.data_as_of,
        "commit": stamp.commit,
        "ksctl": __version__,
        "entities": [
            {"kind": e.kind, "id": e.id, "path": e.path, "data": _public(e.data, include_private)}
            for e in entities
        ],
    }
    _refuse_foreign_json(file)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(
        json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
    )
    return len(entities)


_EXPORT_KEYS = {"version", "data_as_of", "commit", "ksctl", "entities"}


def _refuse_foreign_json(file: Path) -> None:
    """Overwrite `file` only when it is missing, empty or an earlier JSON export (an object
    with the keys export_json writes), as a folder is cleared only when an export made it."""
    if not file.exists() and not file.is_symlink():
        return
    if not file.is_file():
        raise ExportError(f"{file} is not a file; choose a file name for --json")
    raw = file.read_bytes()
    if not raw.strip():
        return
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        doc = None
    if not (isinstance(doc, dict) and doc.keys() >= _EXPORT_KEYS):
        raise ExportError(
            f"{file} exists and is not an earlier export; choose a new file or remove it"
        )


def _flat(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "; ".join(_flat(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={_flat(v)}" for k, v in value.items() if v not in (None, [], ""))
    return str(value)


_SKIP = {
    "members",
    "hosting",
    "municipalities",
    "terms",
    "steps",
    "sources",
    "contact",
    "participation_shares",
}


def _table(rows: Iterable[dict[str, Any]], columns: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _flat(row.get(k)) for k in columns})
    return buffer.getvalue()


def export_csv(
    registry: Registry, out: Path, stamp: Stamp, *, include_private: bool = False
) -> int:
    """One table per kind, plus memberships and hosting, for open-data portals."""
    written = _prepare(out)
    by_kind: dict[str, list[dict[str, Any]]] = {}
    members: list[dict[str, Any]] = []
    hosting: list[dict[str, Any]] = []
    for e in sorted(registry, key=lambda e: (e.kind, e.id)):
        data = _public(e.data or {}, include_private)
        by_kind.setdefault(e.kind, []).append({**data, "id": e.id})
        for seat in data.get("members") or []:
            members.append({"group_kind": e.kind, "group_id": e.id, **seat})
        for h in data.get("hosting") or []:
            hosting.append({"kind": e.kind, "id": e.id, **h})
    for kind, rows in sorted(by_kind.items()):
        columns = ["id"]
        for row in rows:
            columns += [k for k in row if k not in columns and k not in _SKIP]
        _write(out, f"{kind}.csv", _table(rows, columns), written)
    _write(
        out,
        "memberships.csv",
        _table(
            members,
            [
                "group_kind",
                "group_id",
                "person",
                "vacant",
                "role",
                "represents",
                "function",
                "mandate_years",
                "from",
                "to",
            ],
        ),
        written,
    )
    _write(
        out,
        "hosting.csv",
        _table(hosting, ["kind", "id", "host", "dormant_host", "from", "to", "confidence"]),
        written,
    )
    _finish(out, written)
    return len(written)


@dataclass(frozen=True)
class Published:
    """What `publish` wrote: (target, how many, of what) per output, and how many errors
    the registry had (entities with errors are left out)."""

    written: list[tuple[Path, int, str]]
    errors: int


def stamp_of(root: Path) -> Stamp:
    """The data's date and commit, from git; today and "okänd" outside a repository."""
    import datetime

    head = gitio.head(root)
    return Stamp(
        data_as_of=head.date if head else datetime.date.today().isoformat(),
        commit=head.commit if head else "okänd",
    )


def publish(
    root: Path,
    targets: dict[str, Path],
    *,
    include_private: bool = False,
    progress: Progress | None = None,
) -> Published:
    """Load the registry at `root` and write each of `targets` ("html", "markdown": a
    folder; "json": a file; "csv": a folder)."""
    from ksctl import loader
    from ksctl.diagnostics import Severity

    result = loader.load(root)
    errors = sum(1 for d in result.diagnostics if d.severity is Severity.ERROR)
    stamp = stamp_of(root)
    written: list[tuple[Path, int, str]] = []
    for key, writer in (("html", export_html), ("markdown", export_markdown)):
        if key in targets:
            count = writer(
                result.registry,
                targets[key],
                stamp,
                include_private=include_private,
                progress=progress,
            )
            written.append((targets[key], count, "files"))
    if "json" in targets:
        count = export_json(
            result.registry, targets["json"], stamp, include_private=include_private
        )
        written.append((targets["json"], count, "entities"))
    if "csv" in targets:
        count = export_csv(result.registry, targets["csv"], stamp, include_private=include_private)
        written.append((targets["csv"], count, "tables"))
    return Published(written, errors)
