"""The table of kinds (`ksctl.kinds`) is the one place a kind is spelled.

Two halves: every consumer of the table covers every kind in it (the site's labels and
sections, the command line's kind words and help, diff prefixes, stats, the order of
`show`, the layout, the schemas, the rules over groups), and a kind added as one row (here
two stand-ins, one with seats and one without, each with a model defined below) is loaded,
validated, listed, shown, diffed and exported with no other change to ksctl.
"""

from __future__ import annotations

import ast
import csv
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import Field

from ksctl import kinds, layout, loader, model, queries, references, rules, schemagen
from ksctl.kinds import Kind, Place
from ksctl.registry import Registry
from ksctl.render import site

# Not from conftest, whose import builds the command line: the help test below imports this
# module in a process of its own and registers the stand-ins before the command line is built.
REPO = Path(__file__).resolve().parents[1]
CLEAN = Path(__file__).parent / "cases/positive/rules-clean-structure/registry"
AT = "2025-06-01"

# ------------------------------------------------------------------ every consumer, every kind


def test_every_kind_has_what_its_consumers_read() -> None:
    sections: list[str] = []
    for k in kinds.every():
        if k.entity:
            assert k.label and k.plural, f"{k.id}: the site and the diff name it"
            assert kinds.by_word(k.id) == k.id, f"{k.id}: the command line knows it by its id"
            for word in k.names:
                assert kinds.by_word(word) == k.id, f"{k.id}: {word!r} names another kind"
        if k.places:
            assert layout.model_of(k.id) is not None
        if k.group:
            assert issubclass(layout.model_of(k.id), model.Group), f"{k.id} has seats"
        if k.level is not None:
            assert k.level in kinds.LEVELS and k.group, k.id
            assert k.short and k.prefix, f"{k.id}: a levelled group is named by its letters"
            assert kinds.leads()[k.short.lower()] == k.id, f"{k.id}: `show RPO x` says it"
        if k.section is not None:
            assert k.places or k.embedded, f"{k.id}: a page needs an entity"
            sections.append(k.section)
        if k.embedded is not None:
            assert kinds.find(k.embedded.container) is not None, k.id
            assert k.embedded.field in layout.model_of(k.embedded.container).model_fields
    assert len(sections) == len(set(sections)), "two kinds' pages in one folder"


def test_every_kind_inside_another_kinds_file_is_read_from_it() -> None:
    from ksctl.fast import snapshot
    from ksctl.registry import Tracking

    for kind, how in kinds.embedded().items():
        place = kinds.get(how.container).places[0].template
        container = place.format(*["x"] * place.count("{}"))
        assert kind in snapshot.files_by_kind({container: None}), kind
        items = [{how.key: "Abc"}]
        made = [(k, i) for k, i, _ in loader.embedded_ids(how.container, {how.field: items})]
        assert made == [(kind, "abc" if how.fold else "Abc")]
    tracked = Tracking(Registry(CLEAN, None, {}))
    tracked.kinds_of("x")
    assert tracked.kinds_read == set(kinds.embedded())


def test_every_place_of_every_kind_is_laid_out_and_found_again() -> None:
    for k in kinds.every():
        for place in k.places:
            assert place.template in [r.template for r in layout.rules()]
            parts = [f"x{i}" for i in range(place.template.count("{}"))]
            found = layout.locate(place.template.format(*parts))
            assert found is not None and found.kind == k.id, place.template
            want = {"fixed": k.id, "name": parts[-1] if parts else k.id}.get(k.ident)
            assert found.id == (want if want is not None else "/".join(parts))
            assert found.path_refs == tuple((kk, t.format(*parts)) for kk, t in place.refs)


def test_every_kind_with_files_has_a_schema_and_only_those() -> None:
    generated = schemagen.generate()
    assert sorted(generated) == sorted(f"{k}.schema.json" for k in kinds.file_kinds())
    assert set(kinds.file_kinds()) == {k.id for k in kinds.every() if k.places}


def test_every_entity_kind_is_counted_ordered_and_may_be_referred_to() -> None:
    entity = set(kinds.entity_kinds())
    assert entity == {k.id for k in kinds.every() if k.entity}
    assert sorted(kinds.show_order()) == sorted(entity), "show prefers among all of them"
    assert set(model.RefTo((model.ANY_KIND,)).allowed) == entity
    counted = queries.stats(Registry(CLEAN, None, {}), AT)
    assert list(counted["counts"]) == list(kinds.entity_kinds())
    levelled = {k for level in counted["levels"].values() for k in level}
    assert levelled == set(kinds.levelled_kinds())
    every = rules.every_rule()
    assert set(kinds.group_kinds()) <= set(every["KS414"].reported_kinds() or ())
    assert set(every["KS441"].reported_kinds() or ()) == set(kinds.kinds_at("national"))


def test_every_kind_with_pages_has_its_index_and_its_words() -> None:
    built = site.SiteBuilder(Registry(CLEAN, None, {}), at=AT)
    index = built.index()
    listed = [c.text for c in index.extra["sections"]]
    assert listed == [kinds.get(k).plural for k in kinds.page_kinds()]
    for k in kinds.page_kinds():
        page = built.kind_index(k)
        assert page.path == f"{kinds.get(k).section}/index" and page.title == kinds.get(k).plural


def test_the_command_line_names_every_kind_in_its_help(run_line) -> None:
    listed = run_line(["ksctl", "list", "--help"]).stdout
    made = run_line(["ksctl", "new", "--help"]).stdout
    flat = " ".join(listed.split()), " ".join(made.split())
    for k in kinds.entity_kinds():
        assert k in flat[0], f"`ksctl list --help` does not name {k}"
        if kinds.get(k).places:
            assert k in flat[1], f"`ksctl new --help` does not name {k}"


def _literal_lists(tree: ast.AST) -> Iterator[tuple[int, set[str]]]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            items = node.elts
        elif isinstance(node, ast.Dict):
            items = [k for k in node.keys if k is not None]
        else:
            continue
        words = {e.value for e in items if isinstance(e, ast.Constant) and isinstance(e.value, str)}
        yield node.lineno, words


def test_no_module_but_the_table_spells_out_the_kinds() -> None:
    """A literal list holding most kinds is a second table that a new kind would miss."""
    entity = set(kinds.entity_kinds())
    for path in sorted((REPO / "ksctl").rglob("*.py")):
        if path.name == "kinds.py":
            continue
        for line, words in _literal_lists(ast.parse(path.read_text(encoding="utf-8"))):
            named = words & entity
            assert len(named) < 6, f"{path.relative_to(REPO)}:{line} lists kinds: {sorted(named)}"


# ------------------------------------------------------------------ a kind added as one row


class Panel(model.Group):
    """A stand-in kind with seats: an ethics panel, national or in a region."""

    topic: str | None = None


class Leaflet(model.Named):
    """A stand-in kind without seats: a leaflet for patients."""

    publisher: Annotated[str, model.RefTo(("organisation",))] | None = None
    pages: int | None = Field(default=None, ge=1)


STANDINS = (
    Kind(
        "panel",
        Panel,
        (
            Place("national/panels/{}.yaml"),
            Place("regions/{}/panels/{}.yaml", (("region", "{0}"),)),
        ),
        label="Etikpanel",
        plural="Etikpaneler",
        prefix="Etikpanel",
        group=True,
        section="etikpanel",
        names=("panels", "etikpaneler"),
        leads=("etikpanel",),
    ),
    Kind(
        "leaflet",
        Leaflet,
        (Place("national/leaflets/{}.yaml"),),
        label="Broschyr",
        plural="Broschyrer",
        section="broschyr",
        names=("leaflets", "broschyrer"),
    ),
)


def register() -> None:
    for kind in STANDINS:
        kinds.register(kind)


def unregister() -> None:
    for kind in STANDINS:
        kinds.unregister(kind.id)


FILES = {
    "registry/national/panels/etik.yaml": "name: Nationella etikpanelen\ntopic: Etik\n"
    "members:\n  - {person: anna, role: chair, from: 2025-01-01}\n"
    "  - {person: cecilia, from: 2025-01-01}\n",
    # Two chairs (KS414, a rule over every kind with seats), and a region the path names.
    "registry/regions/norrbotten/panels/lokal.yaml": "name: Lokala etikpanelen\n"
    "members:\n  - {person: anna, role: chair}\n  - {person: bo, role: chair}\n",
    "registry/national/panels/trasig.yaml": "nmae: Stavfel\n",  # its own schema's errors
    "registry/national/leaflets/sepsis.yaml": "name: Sepsis – till dig som patient\n"
    "publisher: skr\npages: 4\n",
    "registry/national/leaflets/fel.yaml": "name: Fel\npublisher: finns-inte\npages: 0\n",
    # Seated on a panel only: a person with a seat (KS461 reads every kind with seats).
    "registry/regions/norrbotten/people/cecilia.yaml": "name: Cecilia Berg\n"
    "employer: region:norrbotten\nconflict_of_interest: {declared: 2024-01-01}\n",
}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def standins(tmp_path: Path) -> Iterator[Path]:
    """The two stand-in kinds registered, and a repository whose registry has their files
    (committed), on top of a clean registry."""
    from conftest import build_tree

    register()
    try:
        repo = tmp_path / "repo"
        shutil.copytree(CLEAN, repo / "registry")
        build_tree(repo, FILES)
        _git(repo, "init", "-q", "-b", "main")
        _git(repo, "add", "-A")
        _git(repo, "commit", "-qm", "base")
        yield repo
    finally:
        unregister()
    assert kinds.find("panel") is None and layout.locate("national/panels/etik.yaml") is None


def _json(run_line, repo: Path, *args: str) -> Any:
    r = run_line(["ksctl", *args], cwd=repo)
    assert r.exit_code in (0, 1), r.stderr
    return json.loads(r.stdout)


def _by_path(found: dict[str, Any]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for d in found["diagnostics"]:
        out.setdefault(d["path"], set()).add(d["code"])
    return out


def test_a_kind_added_as_a_row_is_loaded_and_validated(standins: Path, run_line) -> None:
    from conftest import build_tree

    cold = _json(run_line, standins, "validate", "-f", "json", "--at", AT, "--no-cache")
    codes = _by_path(cold)
    assert codes.pop("registry/national/panels/trasig.yaml") == {"KS201", "KS203"}
    assert codes.pop("registry/regions/norrbotten/panels/lokal.yaml") == {"KS414"}
    assert codes.pop("registry/national/leaflets/fel.yaml") == {"KS205", "KS301"}
    assert codes == {}, "nothing else: the panel's seats count, its region exists"
    # The fast path reads the same table: a snapshot, then a re-check after an edit.
    assert _json(run_line, standins, "validate", "-f", "json", "--at", AT) == cold
    assert _json(run_line, standins, "validate", "-f", "json", "--at", AT) == cold
    build_tree(
        standins,
        {
            "registry/national/panels/etik.yaml": FILES["registry/national/panels/etik.yaml"]
            + "  - {person: okand}\n"
        },
    )
    warm = _json(run_line, standins, "validate", "-f", "json", "--at", AT)
    assert warm == _json(run_line, standins, "validate", "-f", "json", "--at", AT, "--no-cache")
    assert _by_path(warm)["registry/national/panels/etik.yaml"] == {"KS301"}
    schemas = schemagen.generate()
    assert {"panel.schema.json", "leaflet.schema.json"} <= set(schemas)
    assert '"topic"' in schemas["panel.schema.json"] and '"members"' in schemas["panel.schema.json"]


def test_a_kind_added_as_a_row_is_listed_shown_and_counted(standins: Path, run_line) -> None:
    listed = _json(run_line, standins, "list", "panels", "--json", "--at", AT)
    assert listed["kind"] == "panel"
    items = {i["id"]: i for i in listed["items"]}
    assert set(items) == {"etik", "norrbotten/lokal", "trasig"}
    assert items["etik"]["members"] == 2 and items["etik"]["name"] == "Nationella etikpanelen"
    local = _json(run_line, standins, "list", "panel", "--in", "norrbotten", "--json")
    assert [i["id"] for i in local["items"]] == ["norrbotten/lokal"]
    leaflets = _json(run_line, standins, "list", "broschyrer", "--json")
    assert [i["id"] for i in leaflets["items"]] == ["fel", "sepsis"]
    shown = _json(run_line, standins, "show", "etikpanel nationella etikpanelen", "--json")
    assert shown["entity"]["kind"] == "panel" and shown["data"]["topic"] == "Etik"
    assert [s["person"]["id"] for s in shown["relations"]["members"]] == ["anna", "cecilia"]
    shown = _json(run_line, standins, "show", "leaflet:sepsis", "--json")
    assert shown["data"]["publisher"] == "skr" and shown["relations"] == {}
    person = _json(run_line, standins, "person", "Cecilia Berg", "--json")
    assert [s["group"]["kind"] for s in person["seats"]] == ["panel"]
    counted = _json(run_line, standins, "stats", "--json", "--at", AT)
    assert counted["counts"]["panel"] == 3 and counted["counts"]["leaflet"] == 2
    text = run_line(["ksctl", "list", "panel"], cwd=standins).stdout
    assert "Nationella etikpanelen" in text and "Lokala etikpanelen" in text


def test_a_kind_added_as_a_row_is_made_by_new(standins: Path, run_line) -> None:
    r = run_line(["ksctl", "new", "panel", "ny", "--name", "Ny etikpanel"], cwd=standins)
    assert r.exit_code == 0, r.stderr
    made = standins / "registry/national/panels/ny.yaml"
    assert "schemas/panel.schema.json" in made.read_text(encoding="utf-8")
    r = run_line(
        ["ksctl", "new", "panel", "lokal2", "--name", "Lokal", "--in", "region:norrbotten"],
        cwd=standins,
    )
    assert (
        r.exit_code == 0 and (standins / "registry/regions/norrbotten/panels/lokal2.yaml").is_file()
    )
    r = run_line(
        ["ksctl", "new", "leaflet", "ny", "--name", "Ny", "--set", "pages=0"], cwd=standins
    )
    assert r.exit_code == 1 and "KS205" in r.stderr  # its own schema, before writing
    assert not (standins / "registry/national/leaflets/ny.yaml").exists()


def test_a_kind_added_as_a_row_is_diffed(standins: Path, run_line) -> None:
    from conftest import build_tree

    build_tree(
        standins,
        {
            "registry/national/panels/etik.yaml": FILES["registry/national/panels/etik.yaml"]
            .replace("topic: Etik", "topic: Medicinsk etik")
            .replace("  - {person: cecilia, from: 2025-01-01}\n", ""),
            "registry/national/leaflets/karies.yaml": "name: Karies\npublisher: skr\n",
        },
    )
    (standins / "registry/national/leaflets/sepsis.yaml").unlink()
    _git(standins, "add", "-A")
    _git(standins, "commit", "-qm", "edit")
    found = _json(run_line, standins, "diff", "HEAD~1", "HEAD", "--format", "json")
    summaries = {(c["ref"], c["change"], c["field"]): c["summary"] for c in found["changes"]}
    assert summaries == {
        ("panel:etik", "changed", "topic"): "Etikpanel Nationella etikpanelen: topic Etik → "
        "Medicinsk etik",
        ("panel:etik", "removed", "members"): "Cecilia Berg left Nationella etikpanelen",
        ("leaflet:karies", "added", None): "Karies: added",
        ("leaflet:sepsis", "removed", None): "Sepsis – till dig som patient: removed",
    }


def test_a_kind_added_as_a_row_is_exported(standins: Path, run_line, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["--html", str(out / "html"), "--markdown", str(out / "md")]
    args += ["--json", str(out / "all.json"), "--csv", str(out / "csv")]
    r = run_line(["ksctl", "export", *args], cwd=standins)
    assert r.exit_code == 0, r.stderr
    panel = (out / "html/etikpanel/etik.html").read_text(encoding="utf-8")
    assert "Etikpanel" in panel and "Cecilia Berg" in panel and "Ledamöter" in panel
    assert "Lokala etikpanelen" in (out / "html/etikpanel/index.html").read_text(encoding="utf-8")
    leaflet = (out / "html/broschyr/sepsis.html").read_text(encoding="utf-8")
    assert "Broschyr" in leaflet and "Ledamöter" not in leaflet, "no seats: no members table"
    home = (out / "html/index.html").read_text(encoding="utf-8")
    assert "Etikpaneler" in home and "Broschyrer" in home
    assert "Cecilia Berg" in (out / "md/etikpanel/etik.md").read_text(encoding="utf-8")
    assert (out / "md/broschyr/sepsis.md").is_file()
    person = (out / "html/person/cecilia.html").read_text(encoding="utf-8")
    assert "etikpanel/etik.html" in person, "a person's page links the panel they sit on"
    exported = json.loads((out / "all.json").read_text(encoding="utf-8"))
    entities = exported["entities"] if isinstance(exported, dict) else exported
    assert {(e["kind"], e["id"]) for e in entities} >= {("panel", "etik"), ("leaflet", "sepsis")}
    with (out / "csv/panel.csv").open(encoding="utf-8") as f:
        assert {row["id"] for row in csv.DictReader(f)} >= {"etik", "norrbotten/lokal"}
    with (out / "csv/memberships.csv").open(encoding="utf-8") as f:
        kinds_seated = {row["kind"] for row in csv.DictReader(f)}
    assert "panel" in kinds_seated


def test_a_kind_added_as_a_row_is_in_the_command_lines_help(tmp_path: Path) -> None:
    """The help is written when the command line is built: a row in the table then is in
    it (run in a process of its own, where the stand-ins are registered first)."""
    code = (
        "import sys, test_kinds; test_kinds.register()\n"
        "from ksctl.cli import main\n"
        "for command in ('list', 'new'):\n"
        "    sys.argv = ['ksctl', command, '--help']\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parent), "COLUMNS": "200"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    flat = " ".join(done.stdout.split())
    assert flat.count("panel") == 2 and flat.count("leaflet") == 2, done.stdout


def test_references_to_a_kind_added_as_a_row_are_followed(standins: Path) -> None:
    marker = model.RefTo((model.ANY_KIND,))
    assert "panel" in marker.allowed and "leaflet" in marker.allowed
    found = [
        (loc, value) for loc, value, _ in references.iter_refs(Leaflet(name="x", publisher="skr"))
    ]
    assert found == [(("publisher",), "skr")]
