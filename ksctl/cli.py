"""The command line. The only module that imports typer, prints and exits.

Each command parses its options, calls the core, hands the result to a renderer and
exits with the documented code: 0 clean or warnings only, 1 errors (or warnings under
--strict), 2 usage, 3 environment. Heavy modules are imported inside the commands, so
`ksctl --help` and the queries start fast.
"""

# No `from __future__ import annotations` here: typer would evaluate every string
# annotation at start-up, which costs a query about ten milliseconds.
import enum
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ksctl import __version__, kinds
from ksctl.errors import KsctlError, UsageError

if TYPE_CHECKING:
    from ksctl.diagnostics import Diagnostic
    from ksctl.registry import Registry
    from ksctl.render.views import View

app = typer.Typer(
    name="ksctl",
    help="Keep, check and publish the Swedish national system for knowledge management in "
    "health care (Nationellt system för kunskapsstyrning hälso- och sjukvård) as a "
    "git-versioned YAML registry.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)

RegistryOption = Annotated[
    Path | None,
    typer.Option(
        "--registry",
        "-r",
        help="The registry folder (holding ksctl.yaml), or a folder with registry/ in it. "
        "Default: $KSCTL_REGISTRY, else the nearest registry/ above the current folder, "
        "else the registry bundled with ksctl.",
        show_default=False,
    ),
]


NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache", help="Load the registry afresh; do not read or write the query cache."
    ),
]


class Format(enum.StrEnum):
    text = "text"
    json = "json"
    github = "github"


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"ksctl: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def _errors() -> Iterator[None]:
    """Turn the few run-stopping exceptions into a message and their exit code."""
    try:
        yield
    except KsctlError as exc:
        raise _fail(str(exc), exc.exit_code) from None


def _registry_root(registry: Path | None) -> Path:
    from ksctl.discovery import find_registry

    return find_registry(registry, os.environ, Path.cwd())


def _select(diagnostics: "list[Diagnostic]", paths: list[Path], base: Path) -> "list[Diagnostic]":
    """Only the diagnostics of files under `paths` (the registry is still loaded whole)."""
    wanted = []
    for p in paths:
        if not p.exists():
            raise UsageError(f"{p}: no such file or folder")
        resolved = p.resolve()
        if not resolved.is_relative_to(base.resolve()):
            raise UsageError(f"{p} is outside the repository of the registry ({base})")
        wanted.append(resolved.relative_to(base.resolve()).as_posix())

    def keep(d: "Diagnostic") -> bool:
        return any(w in (".", d.path) or d.path.startswith(w.rstrip("/") + "/") for w in wanted)

    return [d for d in diagnostics if keep(d)]


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Only report on these files or folders (default: all).", show_default=False
        ),
    ] = None,
    registry: RegistryOption = None,
    output_format: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="text for people, github for workflow annotations, json for programs.",
        ),
    ] = Format.text,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 on warnings too.")] = False,
    changed_since: Annotated[
        str | None,
        typer.Option(
            "--changed-since",
            metavar="REV",
            help="Only report on files changed "
            "since this git revision and the files that refer to them.",
            show_default=False,
        ),
    ] = None,
    no_cache: NoCacheOption = False,
    at: Annotated[
        str | None,
        typer.Option(
            "--at",
            metavar="DATE",
            help="Check the rules as of this date "
            "(YYYY-MM-DD), e.g. next year's changes; default today.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check the registry: YAML, schemas, ids, references and the rules of
    kunskapsstyrning (hosting, composition, mirroring, mandates, jäv, handling).

    Every problem is reported as path:line:col: severity[CODE] message. Exit 0 when clean
    or only warnings, 1 on errors (or warnings with --strict), 2 on bad usage, 3 when no
    registry is found.
    """
    import datetime

    from ksctl import validation
    from ksctl.diagnostics import Severity
    from ksctl.render import report

    day = datetime.date.fromisoformat(_day(at))
    with _errors():
        root = _registry_root(registry)
        diagnostics, checked, result = validation.run(root, day, use_cache=not no_cache)
        if paths:
            diagnostics = _select(diagnostics, paths, root.parent)
        if changed_since is not None:
            from ksctl import affected, loader

            loaded = result.registry if result is not None else loader.load(root).registry
            keep = affected.files(loaded, changed_since)
            diagnostics = [d for d in diagnostics if d.path in keep]
    worst = max((d.severity for d in diagnostics), default=None)
    failed = worst is not None and (
        worst >= Severity.ERROR or (strict and worst >= Severity.WARNING)
    )
    if output_format is Format.json:
        typer.echo(report.json_document(diagnostics, ok=not failed))
    elif output_format is Format.github:
        for d in diagnostics:
            typer.echo(report.github_line(d))
        typer.echo(report.summary(diagnostics, checked), err=True)
    elif sys.stdout.isatty():
        from ksctl.render.console import print_diagnostics

        print_diagnostics(diagnostics, checked)
    else:
        for d in diagnostics:
            typer.echo(report.text_line(d))
        typer.echo(report.summary(diagnostics, checked))
    raise typer.Exit(1 if failed else 0)


@app.command()
def schema(
    check: Annotated[
        bool,
        typer.Option("--check", help="Exit 1 if schemas/ differs from the models; write nothing."),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder to write to (default: schemas/ beside the registry).",
            show_default=False,
        ),
    ] = None,
    registry: RegistryOption = None,
) -> None:
    """Write one JSON Schema per kind of registry file, generated from the models.

    Editors that speak yaml-language-server complete and check registry files with them.
    """
    from ksctl import schemagen

    with _errors():
        folder = out if out is not None else _registry_root(registry).parent / "schemas"
    if check:
        problems = schemagen.drift(folder)
        for p in problems:
            typer.echo(f"{folder / p}", err=True)
        if problems:
            raise _fail(f"{folder} is out of date; run `ksctl schema` to regenerate", 1)
        typer.echo(f"{folder}: up to date")
        return
    written = schemagen.write(folder)
    typer.echo(
        f"{folder}: {len(written)} schema files written" if written else f"{folder}: up to date"
    )


# ------------------------------------------------------------------------------ queries

JsonOption = Annotated[
    bool, typer.Option("--json", help="Print a versioned JSON document instead of text.")
]
AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="DATE",
        help="Answer as of this date (YYYY-MM-DD); default today.",
        show_default=False,
    ),
]


def _day(at: str | None) -> str:
    import datetime

    if at is None:
        return datetime.date.today().isoformat()
    try:
        return datetime.date.fromisoformat(at).isoformat()
    except ValueError:
        raise _fail(f"--at {at!r} is not a date written YYYY-MM-DD", 2) from None


def _answer(
    registry: Path | None,
    no_cache: bool,
    as_json: bool,
    ask: "Callable[[Registry], dict[str, Any]]",
    view: "Callable[[dict[str, Any]], View]",
) -> None:
    """Ask the registry (from the snapshot when what the answer reads is unchanged) and
    print the answer."""
    from ksctl import cache
    from ksctl.errors import NoMatch

    with _errors():
        root = _registry_root(registry)
        outcome = cache.answer(root, ask, use_cache=not no_cache)
        if outcome.errors:
            typer.echo(
                f"ksctl: note: {outcome.errors} errors in the files this answer draws on; it "
                "may be incomplete (run `ksctl validate`)",
                err=True,
            )
        try:
            payload = outcome.get()
        except NoMatch as exc:
            if as_json:
                import json

                doc = {
                    "version": 1,
                    "error": str(exc),
                    "candidates": [{"id": i, "name": n} for i, n in exc.candidates],
                }
                typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
            else:
                typer.echo(f"ksctl: {exc}", err=True)
                if exc.candidates:
                    label = "candidates" if exc.ambiguous else "closest"
                    for ident, name in exc.candidates:
                        typer.echo(f"  {label}: {name} ({ident})", err=True)
            raise typer.Exit(1) from None
    if as_json:
        import json  # only for --json: a query's start-up pays for what it prints

        typer.echo(json.dumps({"version": 1, **payload}, ensure_ascii=False, indent=2))
    elif sys.stdout.isatty():
        from ksctl.render.console import print_view

        print_view(view(payload))
    else:
        from ksctl.render.views import plain

        typer.echo(plain(view(payload)), nl=False)


@app.command("who-hosts")
def who_hosts(
    area: Annotated[
        str | None,
        typer.Argument(
            help="The programme area: id, name, alias or abbreviation, in any "
            "case, with or without å, ä, ö, even misspelt.",
            show_default=False,
        ),
    ] = None,
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            metavar="HEALTHCARE_REGION",
            help="List what this healthcare region (or SKR) hosts instead.",
            show_default=False,
        ),
    ] = None,
    at: AtOption = None,
    as_json: JsonOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Which healthcare region hosts a national programme area (NPO), since when, with the
    dormant host when SKR hosts, and the NPO's chair and process leader.

    Examples: `ksctl who-hosts akut`, `ksctl who-hosts ÖNH --json`,
    `ksctl who-hosts --by mellansverige`.
    """
    from ksctl import queries
    from ksctl.render import views

    day = _day(at)
    if by is not None:
        _answer(
            registry, no_cache, as_json, lambda r: queries.hosted_by(r, by, day), views.hosted_by
        )
        return
    if area is None:
        raise _fail("name a programme area, or use --by HEALTHCARE_REGION", 2)
    _answer(registry, no_cache, as_json, lambda r: queries.who_hosts(r, area, day), views.who_hosts)


@app.command()
def show(
    ref: Annotated[str, typer.Argument(help="kind:id (npo:akut-vard), an id or a name.")],
    at: AtOption = None,
    as_json: JsonOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """One entity with its relations: an NPO shows its host, members, working groups, its
    RPO in each healthcare region and LPO in each region (missing ones too)."""
    from ksctl import queries
    from ksctl.render import views

    day = _day(at)
    _answer(registry, no_cache, as_json, lambda r: queries.show(r, ref, day), views.show)


@app.command("list")
def list_(
    kind: Annotated[
        str,
        typer.Argument(help=f"One of: {kinds.described()}."),
    ],
    within: Annotated[
        str | None,
        typer.Option(
            "--in",
            metavar="PLACE",
            help="Only those in this healthcare region or region.",
            show_default=False,
        ),
    ] = None,
    at: AtOption = None,
    as_json: JsonOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Every entity of a kind, optionally within a healthcare region or region, as of a
    date (groups that did not exist then are left out)."""
    from ksctl import queries
    from ksctl.render import views

    day = _day(at)
    _answer(
        registry,
        no_cache,
        as_json,
        lambda r: queries.list_kind(r, kind, within, day),
        views.listing,
    )


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to look for.")],
    at: AtOption = None,
    as_json: JsonOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Search names, aliases, notes, functions and the glossary, ignoring case and
    diacritics; every word must start a word there. With --at, groups that did not exist
    then are left out."""
    from ksctl import queries
    from ksctl.render import views

    day = _day(at) if at is not None else None
    _answer(registry, no_cache, as_json, lambda r: queries.search(r, text, day), views.search)


@app.command()
def members(
    group: Annotated[str, typer.Argument(help="The group: kind:id, id or name.")],
    at: AtOption = None,
    as_json: JsonOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """The seats of a group on a date: role, person, what they represent, period; vacant
    seats are listed as such."""
    from ksctl import queries
    from ksctl.render import views

    day = _day(at)
    _answer(registry, no_cache, as_json, lambda r: queries.members(r, group, day), views.members)


@app.command()
def person(
    ident: Annotated[str, typer.Argument(metavar="ID", help="The person's id or name.")],
    at: AtOption = None,
    as_json: JsonOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Every seat a person holds or has held, with periods and what they represent. Shows
    public contact details only."""
    from ksctl import queries
    from ksctl.render import views

    day = _day(at)
    _answer(registry, no_cache, as_json, lambda r: queries.person(r, ident, day), views.person)


@app.command()
def explain(
    term: Annotated[str, typer.Argument(help="An abbreviation or term, e.g. RSS or NPO.")],
    as_json: JsonOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Explain an abbreviation from the registry's glossary (ksctl explain RSS)."""
    from ksctl import queries
    from ksctl.render import views

    _answer(registry, no_cache, as_json, lambda r: queries.explain(r, term), views.explain)


@app.command()
def stats(
    at: AtOption = None,
    coverage: Annotated[
        bool,
        typer.Option(
            "--coverage",
            help="Show which regions mirror which national areas "
            "(LPO, not established, missing) instead.",
        ),
    ] = False,
    as_json: JsonOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """Counts per level and kind; each region's share of its healthcare region's national
    seats, next to the published figure; patient representation; groups with vacant seats."""
    from ksctl import queries
    from ksctl.render import views

    day = _day(at)
    if coverage:
        _answer(registry, no_cache, as_json, lambda r: queries.coverage(r, day), views.coverage)
        return
    _answer(registry, no_cache, as_json, lambda r: queries.stats(r, day), views.stats)


@app.command()
def due(
    within: Annotated[
        str,
        typer.Option(
            "--within", help="How far ahead: days (90d), weeks (12w), months (6m) or years (1y)."
        ),
    ] = "90d",
    at: AtOption = None,
    as_json: JsonOption = False,
    registry: RegistryOption = None,
    no_cache: NoCacheOption = False,
) -> None:
    """The coordinator's agenda: mandates ending, jäv reassessments (overdue ones too),
    remiss and nomination deadlines, follow-ups, sorted by date, with who is responsible."""
    from ksctl import queries
    from ksctl.render import views

    day = _day(at)
    with _errors():
        days = queries.parse_within(within)
    _answer(registry, no_cache, as_json, lambda r: queries.due(r, day, days), views.due)


@app.command()
def export(
    html: Annotated[
        Path | None,
        typer.Option("--html", metavar="DIR", help="Write the HTML site here.", show_default=False),
    ] = None,
    markdown: Annotated[
        Path | None,
        typer.Option(
            "--markdown",
            metavar="DIR",
            help="Write the Markdown directory here.",
            show_default=False,
        ),
    ] = None,
    json_file: Annotated[
        Path | None,
        typer.Option(
            "--json",
            metavar="FILE",
            help="Write the whole registry as one JSON document.",
            show_default=False,
        ),
    ] = None,
    csv_dir: Annotated[
        Path | None,
        typer.Option(
            "--csv",
            metavar="DIR",
            help="Write one CSV table per kind (open data).",
            show_default=False,
        ),
    ] = None,
    include_private: Annotated[
        bool,
        typer.Option(
            "--include-private",
            help="Include contact details not marked public (never for publishing).",
        ),
    ] = False,
    registry: RegistryOption = None,
) -> None:
    """Publish the directory: an accessible Swedish HTML site, a Markdown tree, one JSON
    document or CSV tables. The same registry and commit give byte-identical output."""
    import datetime

    from ksctl import gitio, loader
    from ksctl.diagnostics import Severity
    from ksctl.render import export as exporter

    if not any((html, markdown, json_file, csv_dir)):
        raise _fail("say what to write: --html DIR, --markdown DIR, --json FILE or --csv DIR", 2)
    with _errors():
        root = _registry_root(registry)
        result = loader.load(root)
    errors = sum(1 for d in result.diagnostics if d.severity is Severity.ERROR)
    if errors:
        typer.echo(
            f"ksctl: note: the registry has {errors} errors; entities with errors are "
            "left out (run `ksctl validate`)",
            err=True,
        )
    head = gitio.head(root)
    stamp = exporter.Stamp(
        data_as_of=head.date if head else datetime.date.today().isoformat(),
        commit=head.commit if head else "okänd",
    )
    progress = None
    if sys.stderr.isatty():
        from ksctl.render.console import progress_callback

        progress = progress_callback("Writing pages")
    try:
        for folder, writer in ((html, exporter.export_html), (markdown, exporter.export_markdown)):
            if folder is not None:
                count = writer(
                    result.registry,
                    folder,
                    stamp,
                    include_private=include_private,
                    progress=progress,
                )
                typer.echo(f"{folder}: {count} files written")
        if json_file is not None:
            count = exporter.export_json(
                result.registry, json_file, stamp, include_private=include_private
            )
            typer.echo(f"{json_file}: {count} entities written")
        if csv_dir is not None:
            count = exporter.export_csv(
                result.registry, csv_dir, stamp, include_private=include_private
            )
            typer.echo(f"{csv_dir}: {count} tables written")
    except exporter.ExportError as exc:
        raise _fail(str(exc), 2) from None


class DiffFormat(enum.StrEnum):
    text = "text"
    markdown = "markdown"
    json = "json"


@app.command()
def diff(
    base: Annotated[
        str | None,
        typer.Argument(
            help="The git revision to compare from (default: the merge base with "
            "the default branch).",
            show_default=False,
        ),
    ] = None,
    head: Annotated[
        str | None,
        typer.Argument(
            help="The git revision to compare to (default: the working tree).", show_default=False
        ),
    ] = None,
    output_format: Annotated[
        DiffFormat,
        typer.Option("--format", "-f", help="text, markdown (for a pull-request comment) or json."),
    ] = DiffFormat.text,
    registry: RegistryOption = None,
) -> None:
    """What changed in the registry between two revisions, in the domain's words: hosting,
    members joining and leaving, handling stages, added and removed entities. A mass removal
    is flagged."""
    import json
    import tempfile

    from ksctl import diffing, gitio, loader
    from ksctl.render import report

    with _errors():
        root = _registry_root(registry).resolve()
        top = gitio.toplevel(root)
        sub = root.relative_to(top.resolve()).as_posix()
        base_rev = base or gitio.default_base(root)
        with tempfile.TemporaryDirectory(prefix="ksctl-diff-") as tmp:
            old_root = gitio.extract(top, base_rev, sub, Path(tmp) / "base")
            new_root = gitio.extract(top, head, sub, Path(tmp) / "head") if head else root
            old = loader.load(old_root).registry if (old_root / "ksctl.yaml").is_file() else None
            new = loader.load(new_root).registry
            if old is None:
                raise UsageError(f"{base_rev} has no registry at {sub}/")
            share = float(new.policies.get("mass_removal_share", 0.2))
            changes, alarms = diffing.diff(old, new, mass_share=share)
    head_name = head or "working tree"
    if output_format is DiffFormat.json:
        doc = {
            "version": 1,
            "base": base_rev,
            "head": head_name,
            "changes": [c.to_dict() for c in changes],
            "alarms": [
                {"scope": a.scope, "removed": a.removed, "total": a.total, "summary": a.summary}
                for a in alarms
            ],
        }
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
    elif output_format is DiffFormat.markdown:
        typer.echo(report.diff_markdown(changes, alarms, base_rev, head_name), nl=False)
    else:
        typer.echo(report.diff_text(changes, alarms), nl=False)


@app.command()
def codeowners(
    check: Annotated[
        bool, typer.Option("--check", help="Exit 1 if .github/CODEOWNERS differs; write nothing.")
    ] = False,
    registry: RegistryOption = None,
) -> None:
    """Generate .github/CODEOWNERS from the maintainers each folder's own file declares, so
    each folder's changes go to its owners."""
    from ksctl import codeowners as owners
    from ksctl import loader

    with _errors():
        root = _registry_root(registry)
        reg = loader.load(root).registry
    target = reg.base / owners.LOCATION
    text = owners.generate(reg)
    current = target.read_text(encoding="utf-8") if target.is_file() else None
    if check:
        if current != text:
            raise _fail(f"{target} is out of date; run `ksctl codeowners`", 1)
        typer.echo(f"{target}: up to date")
        return
    if current != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        typer.echo(f"{target}: written")
    else:
        typer.echo(f"{target}: up to date")


@app.command()
def fmt(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Files or folders to format (default: the whole registry).", show_default=False
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Write nothing; exit 1 if a file is not in canonical form."),
    ] = False,
    registry: RegistryOption = None,
) -> None:
    """Put registry files in canonical form: keys in schema order, two-space indentation,
    minimal quoting, members sorted by role then the person's name; every comment kept.
    Writes are atomic; a file that does not parse is left untouched and reported."""
    from ksctl import edit, loader

    with _errors():
        root = _registry_root(registry)
        files = loader.yaml_files(root)
        if paths:
            wanted = [p.resolve() for p in paths]
            for p in paths:
                if not p.exists():
                    raise UsageError(f"{p}: no such file or folder")
            files = [
                f
                for f in files
                if any(f.resolve() == w or f.resolve().is_relative_to(w) for w in wanted)
            ]
        names = edit.person_names(root)  # members sort by role, then the person's name
    changed, failed = [], 0
    for path in files:
        rel = path.relative_to(root).as_posix()
        shown = path.relative_to(root.parent).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            result = edit.format_text(text, rel, names=names)
        except edit.FormatError as exc:
            typer.echo(f"{shown}: {exc}", err=True)
            failed += 1
            continue
        if result != text:
            changed.append(shown)
            if check:
                typer.echo(f"{shown}: not in canonical form")
            else:
                edit.write_atomic(path, result)
                typer.echo(f"{shown}: formatted")
    verb = "would be formatted" if check else "formatted"
    typer.echo(f"{len(files)} files: {len(changed)} {verb}, {failed} left untouched", err=True)
    raise typer.Exit(1 if failed or (check and changed) else 0)


@app.command()
def new(
    kind: Annotated[
        str,
        typer.Argument(
            help="One of: "
            + kinds.described(tuple(k for k in kinds.entity_kinds() if kinds.get(k).places))
            + "."
        ),
    ],
    ident: Annotated[
        str,
        typer.Argument(
            metavar="ID",
            help="The id, as the path gives it: akut-vard, orebro/akut-vard, akut-vard/sepsis.",
        ),
    ],
    name: Annotated[
        str | None, typer.Option("--name", help="The name (or title).", show_default=False)
    ] = None,
    place: Annotated[
        str | None,
        typer.Option(
            "--in",
            metavar="PLACE",
            help="For a person or body: region:<id> or healthcare-region:<id> (default: national).",
            show_default=False,
        ),
    ] = None,
    values: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="KEY=VALUE",
            help="Another field, e.g. --set county_code=18; a list or mapping in YAML's flow "
            "style, e.g. --set 'hosting=[{host: healthcare-region:vastra, from: 2026}]'.",
            show_default=False,
        ),
    ] = None,
    registry: RegistryOption = None,
) -> None:
    """Scaffold a new entity at the right path with its id and required fields, check it
    against the schema and the registry's references, and only then write it."""
    from ksctl import edit
    from ksctl.diagnostics import Severity
    from ksctl.render import report

    fields: dict[str, str] = {}
    for item in values or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise _fail(f"--set {item!r}: write KEY=VALUE", 2)
        fields[key.strip()] = value.strip()
    if name is not None:
        fields["title" if kind == "knowledge-support" else "name"] = name
    with _errors():
        root = _registry_root(registry)
        try:
            relpath, text = edit.scaffold(kind, ident, fields, place=place)
        except edit.FormatError as exc:
            raise UsageError(str(exc)) from None
        target = root / relpath
        if target.exists():
            raise UsageError(f"{target} already exists")
        # Everything a full validation would report because of the new file, on it and
        # elsewhere (a duplicate id, a clashing alias).
        problems = edit.check_new(root, relpath, text)
    shown = f"{root.name}/{relpath}"
    for d in problems:
        typer.echo(report.text_line(d), err=True)
    if any(d.severity is Severity.ERROR for d in problems):
        raise _fail(f"{shown} not written", 1)
    target.parent.mkdir(parents=True, exist_ok=True)
    edit.write_atomic(target, text)
    typer.echo(f"{shown}: created")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ksctl {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    pass


def main() -> None:
    """Run the command line. Only the command asked for is built: typer otherwise inspects
    every command's signature on each run, a cost every query would pay."""
    import copy

    wanted = sys.argv[1] if len(sys.argv) > 1 else None
    chosen = [
        c
        for c in app.registered_commands
        if wanted and (c.name or (c.callback.__name__ if c.callback else "")) == wanted
    ]
    if chosen:
        only = copy.copy(app)
        only.registered_commands = chosen
        only()
    else:
        app()
