"""Writing the directory: HTML site (with its change feed and search index), Markdown
tree, one JSON document, CSV tables with their Data Package and DCAT-AP-SE description,
and a Popolo file.

The only module that imports jinja2. Pages come from `render.site`; templates
from the registry's own templates/ folder first (a registry may override any template),
then those shipped with ksctl. Everything is escaped; output is byte-identical for the
same registry and commit, and private contact details appear only with include_private.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape

from ksctl import __version__, gitio
from ksctl.errors import ExportError, GitProblem
from ksctl.registry import Registry
from ksctl.render import opendata
from ksctl.render.opendata import public
from ksctl.render.overview import Download, count_text, open_data
from ksctl.render.site import Cell, Page, SiteBuilder, page_path, safe_href, section_of
from ksctl.text import SOFT_HYPHEN, sort_key

if TYPE_CHECKING:
    from ksctl.history import History

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


# Paths of the site's own pages ("npo/akut-vard", "region/orebro#kommun-1880"): no
# scheme, no leading slash; maybe a fragment naming an element on the page.
_SITE_PATH = re.compile(r"[\w-][\w./-]*")
# A file the export writes beside its pages (the open data): linked as it is, never as a
# page (ids are a-z, 0-9 and "-", so no page's path ends like this).
_SITE_FILE = re.compile(r".*\.(csv|json|rdf|xml)")
_FRAGMENT = re.compile(r"[\w-]+")
# A date, or a period between two, that should not break at its hyphens ("2017-05").
_DATE = re.compile(r"(\d{4}(-\d\d){0,2}|…)( –( \d{4}(-\d\d){0,2})?)?|från \d{4}(-\d\d){0,2}")
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
        path, hash_, fragment = target.partition("#")
        if (
            _SITE_PATH.fullmatch(path)
            and ".." not in path.split("/")
            and (not hash_ or _FRAGMENT.fullmatch(fragment))
        ):
            # Up to the site's root and down again: the same link as a relative path, at a
            # fraction of posixpath.relpath's cost on a 20,000-page site.
            link = "../" * page.path.count("/") + path
            link += "" if _SITE_FILE.fullmatch(path) else ext
            return f"{link}#{fragment}" if hash_ else link
        outside = safe_href(target)
        if outside is None:
            return ""
        if not html:  # a Markdown link ends at ")" and breaks at "<", ">" or a space
            outside = outside.translate(_MD_URL)
        return outside

    env.filters["url"] = url
    env.filters["md"] = _md_escape
    env.tests["date"] = lambda text: bool(_DATE.fullmatch(str(text)))
    return env


def _prepare(out: Path) -> list[str]:
    """Make `out` ready: create it, or clear the files an earlier export left there."""
    if out.exists() and any(out.iterdir()):
        manifest = out / MANIFEST
        if not manifest.is_file():
            outer = next((p for p in out.resolve().parents if (p / MANIFEST).is_file()), None)
            if outer is not None:
                raise ExportError(
                    f"{out} is part of the export in {outer}; choose a folder outside it"
                )
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


def _write_bytes(out: Path, rel: str, data: bytes, written: list[str]) -> None:
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    written.append(rel)


def _finish(out: Path, written: list[str]) -> None:
    (out / MANIFEST).write_text("\n".join(sorted(written)) + "\n", encoding="utf-8")
    for folder in sorted((p for p in out.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def _nav(builder: SiteBuilder) -> list[Cell]:
    """The main menu: the catalogue pages that hold something, and the system's page."""
    out = []
    for kind, text in (
        ("npo", "NPO"),
        ("healthcare-region", "Sjukvårdsregioner"),
        ("region", "Regioner"),
        ("knowledge-support", "Kunskapsstöd"),
    ):
        if registry_has(builder, kind):
            out.append(Cell(text, f"{section_of(kind)}/index"))
    for system in builder.entities("system"):
        out.append(Cell("Om systemet", page_path("system", system.id)))
    out.append(Cell("Sök", "sok"))
    return out


def registry_has(builder: SiteBuilder, kind: str) -> bool:
    return bool(builder.entities(kind))


def _render_pages(
    registry: Registry,
    out: Path,
    stamp: Stamp,
    *,
    html: bool,
    include_private: bool,
    progress: Progress | None,
    history: History | None = None,
) -> int:
    from ksctl.render import changes, feed, search

    ext = ".html" if html else ".md"
    env = _environment(registry, ext, html=html)
    builder = SiteBuilder(
        registry, include_private=include_private, at=stamp.data_as_of, history=history
    )
    # A Markdown tree is searched by its git host: no search pages, and progress counts
    # only the pages that are written.
    pages = [p for p in builder.pages() if html or p.template not in ("search", "letter")]
    _refuse_foreign_data(out)
    written = _prepare(out)
    common = {
        "site_title": builder.site_title(),
        "data_as_of": stamp.data_as_of,
        "commit": stamp.commit,
        "uncommitted": uncommitted_changes(registry, stamp),
        "version": __version__,
        "nav": _nav(builder),
    }
    total = len(pages) + 1  # and the page of the open data, written last

    def render(page: Page, done: int) -> None:
        if html:
            name = f"html/{page.template}.html.j2"
        else:
            name = "markdown/index.md.j2" if page.template == "index" else "markdown/page.md.j2"
        depth = page.path.count("/")
        text = env.get_template(name).render(page=page, root="../" * depth, **common)
        if not html:  # no soft hyphens (text.breakable): a git host's search would miss
            text = re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t]+\n", "\n", text))
            text = text.replace(SOFT_HYPHEN, "")
        _write(out, page.path + ext, text, written)
        if progress:
            progress(done, total)

    for i, page in enumerate(pages):
        render(page, i + 1)
    # The pages go before the open data is made: both at once were a third more memory.
    del pages
    downloads = _open_data(registry, out, stamp, include_private=include_private, written=written)
    render(open_data(builder, downloads, stamp.data_as_of, feed=html), total)
    if html:
        for static in ("style.css", "search.js", "tables.js"):
            source = _find_static(registry, static)
            _write(out, f"static/{static}", source.read_text(encoding="utf-8"), written)
        for rel, text in search.index_files(builder):
            _write(out, rel, text, written)
        site = registry.settings.site if registry.settings is not None else None
        atom = feed.atom(
            changes.feed_entries(history),
            title=builder.site_title(),
            updated=stamp.data_as_of,
            base=site.url if site is not None else None,
            author=site.publisher if site is not None else None,
        )
        _write_bytes(out, changes.FEED, atom, written)
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
    history: History | None = None,
) -> int:
    return _render_pages(
        registry,
        out,
        stamp,
        html=True,
        include_private=include_private,
        progress=progress,
        history=history,
    )


def export_markdown(
    registry: Registry,
    out: Path,
    stamp: Stamp,
    *,
    include_private: bool = False,
    progress: Progress | None = None,
    history: History | None = None,
) -> int:
    return _render_pages(
        registry,
        out,
        stamp,
        html=False,
        include_private=include_private,
        progress=progress,
        history=history,
    )


def _json(doc: object) -> str:
    """A JSON document as the exports write it: UTF-8 text, keys sorted, one per line."""
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def _json_text(registry: Registry, stamp: Stamp, *, include_private: bool) -> tuple[str, int]:
    """The whole registry as one JSON document, and how many entities it holds."""
    entities = sorted(registry, key=lambda e: (e.kind, e.id))
    doc = {
        "version": 1,
        "data_as_of": stamp.data_as_of,
        "commit": stamp.commit,
        "ksctl": __version__,
        "entities": [
            {"kind": e.kind, "id": e.id, "path": e.path, "data": public(e.record, include_private)}
            for e in entities
        ],
    }
    return _json(doc), len(entities)


def export_json(
    registry: Registry, file: Path, stamp: Stamp, *, include_private: bool = False
) -> int:
    text, count = _json_text(registry, stamp, include_private=include_private)
    _refuse_foreign_json(file)
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return count


_EXPORT_KEYS = {"version", "data_as_of", "commit", "ksctl", "entities"}
_POPOLO_KEYS = {"persons", "organizations", "posts", "memberships"}


def _refuse_foreign_json(file: Path, keys: set[str] = _EXPORT_KEYS, option: str = "--json") -> None:
    """Overwrite `file` only when it is missing, empty or an earlier export of its kind (an
    object with the keys that export writes), as a folder is cleared only when an export
    made it."""
    if not file.exists() and not file.is_symlink():
        return
    if not file.is_file():
        raise ExportError(f"{file} is not a file; choose a file name for {option}")
    raw = file.read_bytes()
    if not raw.strip():
        return
    try:
        doc = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        doc = None
    if not (isinstance(doc, dict) and doc.keys() >= keys):
        raise ExportError(
            f"{file} exists and is not an earlier export; choose a new file or remove it"
        )


def export_csv(
    registry: Registry,
    out: Path,
    stamp: Stamp,
    *,
    include_private: bool = False,
    others: dict[str, Path] | None = None,
) -> int:
    """The CSV tables (see `render.opendata`), their `datapackage.json` and a DCAT-AP-SE
    description (`dcat.rdf`) of them and of the `others` written in the same run
    ({"json": file, "popolo": file})."""
    written = _prepare(out)
    beside = {
        key: Path(os.path.relpath(target.resolve(), out.resolve())).as_posix()
        for key, target in (others or {}).items()
    }
    found = _tables(registry, out, "", stamp, include_private, beside, written)
    _finish(out, written)
    return len(found)


def _tables(
    registry: Registry,
    out: Path,
    folder: str,
    stamp: Stamp,
    include_private: bool,
    others: dict[str, str],
    written: list[str],
) -> list[opendata.Table]:
    """Write the CSV tables, their Data Package and the DCAT-AP-SE description into
    `folder` of `out`; `others` are the JSON ("json") and Popolo ("popolo") files written
    with them, relative to `folder`."""
    from ksctl.render import dcat

    found = opendata.tables(registry, include_private=include_private)
    for table in found:
        _write(out, f"{folder}{table.name}.csv", opendata.csv_text(table), written)
    site = registry.settings.site if registry.settings is not None else None
    title = site.title if site is not None else "Nationellt system för kunskapsstyrning"
    license_url = site.license if site is not None else None
    package = opendata.datapackage(
        found,
        title=title,
        data_as_of=stamp.data_as_of,
        commit=stamp.commit,
        license_url=license_url,
    )
    _write(out, f"{folder}datapackage.json", opendata.datapackage_text(package), written)
    distributions = [
        dcat.Distribution(
            "CSV-tabeller",
            f"{len(found)} CSV-tabeller som går att koppla ihop via id, beskrivna av ett "
            "Frictionless Data Package.",
            "datapackage.json",
            "CSV",
            "https://specs.frictionlessdata.io/data-package/",
            download=False,
        )
    ]
    for key, what, standard in (
        ("json", "Hela registret som ett JSON-dokument.", None),
        ("popolo", "Personer, organisationer, platser och uppdrag enligt Popolo.", POPOLO),
    ):
        if key in others:
            distributions.append(
                dcat.Distribution(
                    "Popolo (JSON)" if key == "popolo" else "JSON",
                    what,
                    others[key],
                    "JSON",
                    standard,
                )
            )
    _write(
        out,
        f"{folder}dcat.rdf",
        dcat.rdf_xml(
            title=title,
            description=package["description"],
            publisher=(site.publisher if site is not None else None) or title,
            modified=stamp.data_as_of,
            distributions=distributions,
            license_url=license_url,
            contact=site.contact if site is not None else None,
            landing_page=site.url if site is not None else None,
        ),
        written,
    )
    return found


POPOLO = "https://www.popoloproject.com/specs/"


def _popolo_text(registry: Registry) -> tuple[str, int]:
    """The Popolo document (public contact details only, always), and how many
    memberships it holds."""
    from ksctl.render import popolo

    doc = popolo.document(registry)
    return _json(doc), len(doc["memberships"])


def export_popolo(registry: Registry, file: Path) -> int:
    """Persons, organizations, posts and memberships in the Popolo standard; public contact
    details only, always. Returns how many memberships were written."""
    text, count = _popolo_text(registry)
    _refuse_foreign_json(file, _POPOLO_KEYS, "--popolo")
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")
    return count


DATA = "data/"  # the site's folder of open data
JSON_FILE, POPOLO_FILE = "registry.json", "popolo.json"


def _open_data(
    registry: Registry, out: Path, stamp: Stamp, *, include_private: bool, written: list[str]
) -> list[Download]:
    """Write the open data into the site's `data/` folder, as `export --csv`, `--json`
    and `--popolo` write them, and say what each file is, for the page that links them."""
    start = len(written)
    text, count = _json_text(registry, stamp, include_private=include_private)
    _write(out, DATA + JSON_FILE, text, written)
    people, memberships = _popolo_text(registry)
    _write(out, DATA + POPOLO_FILE, people, written)
    found = _tables(
        registry,
        out,
        DATA,
        stamp,
        include_private,
        {"json": JSON_FILE, "popolo": POPOLO_FILE},
        written,
    )
    size = {rel: (out / rel).stat().st_size for rel in written[start:]}
    downloads = [
        Download(
            DATA + JSON_FILE,
            "Hela registret",
            f"alla {count_text(count)} poster med alla uppgifter",
            "JSON",
            size[DATA + JSON_FILE],
            "whole",
        ),
        Download(
            DATA + POPOLO_FILE,
            "Personer och uppdrag",
            f"personer, organisationer, platser och {count_text(memberships)} uppdrag "
            "(bara offentliga kontaktuppgifter)",
            "Popolo (JSON)",
            size[DATA + POPOLO_FILE],
            "whole",
        ),
        Download(
            DATA + "datapackage.json",
            "Tabellernas beskrivning",
            "varje tabells kolumner, typer och nycklar",
            "Frictionless Data Package",
            size[DATA + "datapackage.json"],
            "meta",
        ),
        Download(
            DATA + "dcat.rdf",
            "Datamängdens beskrivning",
            "för dataportal.se och andra kataloger",
            "DCAT-AP-SE (RDF/XML)",
            size[DATA + "dcat.rdf"],
            "meta",
        ),
    ]

    # Every entity first, then a table per kind, then a table per list, each by its title.
    def order(table: opendata.Table) -> tuple[int, tuple[str, str]]:
        rank = 0 if table.name == "entities" else 1 if table.key == ["id"] else 2
        return rank, sort_key(opendata.table_title(table.name))

    for table in sorted(found, key=order):
        rel = f"{DATA}{table.name}.csv"
        rows = len(table.rows)
        amount = "inga rader ännu" if not rows else f"{count_text(rows)} rad{'er' * (rows != 1)}"
        downloads.append(
            Download(
                rel,
                opendata.table_title(table.name),
                f"{amount}, {len(table.columns)} kolumner",
                "CSV",
                size[rel],
                "list" if order(table)[0] == 2 else "kind",
            )
        )
    return downloads


@dataclass(frozen=True)
class Published:
    """What `publish` wrote: (target, how many, of what) per output, and how many errors
    the registry had (entities with errors are left out)."""

    written: list[tuple[Path, int, str]]
    errors: int
    notes: list[str] = field(default_factory=list)  # what to set before publishing


def _within(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _refuse_overlaps(targets: dict[str, Path]) -> None:
    """Refuse targets that would clear or overwrite each other: a folder export clears the
    files its folder's manifest lists (so two in one folder clear each other's), and a site
    writes its open data into its `data/` itself. One folder inside another is fine."""
    for site_key in ("html", "markdown"):
        site = targets.get(site_key)
        if site is None:
            continue
        for key, other in targets.items():
            if key == site_key:
                continue
            if _within(other, site / DATA):
                raise ExportError(
                    f"{site} carries the open data itself, in {site / DATA}; "
                    f"leave out --{key} {other}, or write it elsewhere"
                )
            if key in ("html", "markdown", "csv") and site.resolve() == other.resolve():
                raise ExportError(
                    f"--{site_key} and --{key} both write {site}, and each clears the files "
                    "its last run listed there; choose separate folders"
                )


def _refuse_foreign_data(out: Path) -> None:
    """Refuse a site whose `data/` holds files an earlier run of another export put there
    (`--csv site/data`, as the site's open data was once written): they would be published
    beside the site's own, out of date."""
    data = out / DATA
    if not data.is_dir():
        return
    manifest = out / MANIFEST
    ours = set(manifest.read_text(encoding="utf-8").splitlines()) if manifest.is_file() else set()
    foreign = sorted(
        rel
        for p in data.rglob("*")
        if p.is_file() and (rel := p.relative_to(out).as_posix()) not in ours
    )
    if foreign:
        shown = ", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")
        raise ExportError(
            f"{data} holds files the site did not write ({shown}); the site now writes its "
            f"open data there itself: remove {data} and export again"
        )


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
    folder; "json", "popolo": a file; "csv": a folder)."""
    from ksctl import loader
    from ksctl.diagnostics import Severity

    _refuse_overlaps(targets)
    result = loader.load(root)
    errors = sum(1 for d in result.diagnostics if d.severity is Severity.ERROR)
    stamp = stamp_of(root)
    written: list[tuple[Path, int, str]] = []
    history = None
    if "html" in targets or "markdown" in targets:
        from ksctl import history as git_history

        history = git_history.read(root)
    for key, writer in (("html", export_html), ("markdown", export_markdown)):
        if key in targets:
            count = writer(
                result.registry,
                targets[key],
                stamp,
                include_private=include_private,
                progress=progress,
                history=history,
            )
            written.append((targets[key], count, "files"))
    # The tables first: the JSON and Popolo files may go into the same folder, which an
    # export of tables only clears of its own files.
    if "csv" in targets:
        count = export_csv(
            result.registry,
            targets["csv"],
            stamp,
            include_private=include_private,
            others={k: v for k, v in targets.items() if k in ("json", "popolo")},
        )
        written.append((targets["csv"], count, "tables"))
    if "json" in targets:
        count = export_json(
            result.registry, targets["json"], stamp, include_private=include_private
        )
        written.append((targets["json"], count, "entities"))
    if "popolo" in targets:
        count = export_popolo(result.registry, targets["popolo"])
        written.append((targets["popolo"], count, "memberships"))
    notes = []
    site = result.registry.settings.site if result.registry.settings is not None else None
    if "html" in targets and (site is None or not site.url):
        notes.append(
            "site.url is not set in ksctl.yaml: the feed and data/dcat.rdf give relative "
            "addresses, which a data catalogue such as dataportal.se cannot harvest"
        )
    return Published(written, errors, notes)
