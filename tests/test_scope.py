"""A re-check after a change says exactly what a cold run says, for every rule: random
sequences of edits (a field changed, a file added, removed or renamed, across every kind,
with references that come and go) on a small generated registry, each step a git commit.

After every step:

- the warm re-check (`ksctl validate` with its snapshot: answered from it, scoped to what
  the change reaches, or run in full reusing the parse of unchanged files) equals a cold run;
- `--changed-since` the previous commit reports the cold run's diagnostics of every file
  whose diagnostics the step changed, and nothing but cold diagnostics.

What a change reaches is derived from what each rule declares it reads (`ksctl.rules`),
so a rule that reads more than it declares fails here.
"""

from __future__ import annotations

import datetime
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import small_registry as small
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from ksctl import fast, kinds, layout, loader, pipeline, rules
from ksctl.diagnostics import Diagnostic, Severity
from ksctl.fast import rescope

AT = datetime.date.fromisoformat(small.AT)
GIT = ["-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"]
OLD_NS = 1_600_000_000 * 10**9  # files are dated long ago, so that a snapshot trusts them
TICKS = itertools.count(1)  # each edit's own second after OLD_NS


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *GIT, *args], check=True, capture_output=True)


# ------------------------------------------------------------------------------ the edits

Draw = Callable[[st.SearchStrategy[Any]], Any]

DATES = [None, "2018", "2019-06-01", "2024-01-01", "2025-07", "2026-05-31", "2026-06-01", "2027"]
ROLES = ["member", "chair", "substitute", "patient-representative", "secretary"]
SLUGS = ["akut-vard", "tandvard", "psykisk-halsa", "cancer", "ny"]
NAMES = ["Akut vård", "Tandvård", "Akutsjukvård", "akutsjukvard", "Nytt namn", ""]


def ids(files: small.Files, kind: str) -> list[str]:
    """The ids of `kind` the files make now (municipalities and terms from their files)."""
    out = []
    for rel, data in files.items():
        located = layout.locate(rel)
        if located is None:
            continue
        if located.kind == kind:
            out.append(located.id)
        out.extend(i for k, i, _ in loader.embedded_ids(located.kind, data) if k == kind)
    return sorted(set(out))


def ref(draw: Draw, files: small.Files, kind: str, *, qualified: bool = False) -> str:
    """An id of `kind` there is, or one there is not."""
    ident = draw(st.sampled_from([*ids(files, kind), "finns-inte"]))
    return f"{kind}:{ident}" if qualified else ident


def any_ref(draw: Draw, files: small.Files, *allowed: str) -> str:
    return ref(draw, files, draw(st.sampled_from(allowed)), qualified=True)


def maybe(draw: Draw, value: Callable[[], Any]) -> Any:
    return value() if draw(st.booleans()) else None


def put(data: dict[str, Any], key: str, value: Any) -> None:
    if value is None:
        data.pop(key, None)
    else:
        data[key] = value


def new_seat(draw: Draw, files: small.Files) -> dict[str, Any]:
    seat: dict[str, Any] = {"person": ref(draw, files, "person")}
    if draw(st.booleans()):
        seat = {"vacant": True}
    seat["role"] = draw(st.sampled_from(ROLES))
    for key, value in (
        ("represents", lambda: any_ref(draw, files, "healthcare-region", "region", "municipality")),
        ("from", lambda: draw(st.sampled_from(DATES[1:]))),
        ("to", lambda: draw(st.sampled_from(DATES[1:]))),
        ("mandate_years", lambda: draw(st.sampled_from([1, 2, 4]))),
    ):
        put(seat, key, maybe(draw, value))
    return seat


def edit_seats(draw: Draw, files: small.Files, data: dict[str, Any]) -> str:
    seats = data.setdefault("members", [])
    how = draw(st.sampled_from(["add", "remove", "change"] if seats else ["add"]))
    if how == "add":
        seats.insert(draw(st.integers(0, len(seats))), new_seat(draw, files))
        return "a seat added"
    i = draw(st.integers(0, len(seats) - 1))
    if how == "remove":
        del seats[i]
        return "a seat removed"
    key = draw(st.sampled_from(["person", "role", "represents", "from", "to", "mandate_years"]))
    value = {
        "person": lambda: ref(draw, files, "person"),
        "role": lambda: draw(st.sampled_from(ROLES)),
        "represents": lambda: maybe(
            draw,
            lambda: any_ref(
                draw, files, "healthcare-region", "region", "municipality", "organisation"
            ),
        ),
        "from": lambda: draw(st.sampled_from(DATES)),
        "to": lambda: draw(st.sampled_from(DATES)),
        "mandate_years": lambda: draw(st.sampled_from([None, 1, 3])),
    }[key]()
    seats[i] = dict(seats[i])
    put(seats[i], key, value)
    if key == "person" and "vacant" in seats[i]:
        del seats[i]["vacant"]
    return f"a seat's {key}"


def edit_hosting(draw: Draw, files: small.Files, data: dict[str, Any]) -> str:
    periods = data.setdefault("hosting", [])
    host = lambda: any_ref(draw, files, "healthcare-region", "organisation")  # noqa: E731
    if not periods or draw(st.booleans()):
        periods.append({"host": host(), "from": draw(st.sampled_from(DATES[1:]))})
        return "a hosting period added"
    i = draw(st.integers(0, len(periods) - 1))
    key = draw(st.sampled_from(["host", "dormant_host", "from", "to", "remove"]))
    if key == "remove":
        del periods[i]
        return "a hosting period removed"
    periods[i] = dict(periods[i])
    put(
        periods[i],
        key,
        {
            "host": host,
            "dormant_host": lambda: maybe(draw, lambda: ref(draw, files, "healthcare-region")),
            "from": lambda: draw(st.sampled_from(DATES)),
            "to": lambda: draw(st.sampled_from(DATES)),
        }[key](),
    )
    return f"hosting's {key}"


def edit_group(draw: Draw, files: small.Files, rel: str, data: dict[str, Any]) -> str:
    kind = layout.locate(rel).kind  # type: ignore[union-attr]
    choices = ["seats", "seats", "from", "to"]
    if kind in ("npo", "nsg"):
        choices += ["hosting", "hosting"]
    if kind == "npo":
        choices += ["aliases"]
    if kind in ("rpo", "lpo"):
        choices += ["mirrors", "contact_person", "status"]
    if kind == "body":
        choices += ["organisation", "parent"]
    if kind in ("nag", "rag", "lag"):
        choices += ["nomination"]
    what = draw(st.sampled_from(choices))
    if what == "seats":
        return edit_seats(draw, files, data)
    if what == "hosting":
        return edit_hosting(draw, files, data)
    value: Any = {
        "from": lambda: draw(st.sampled_from(DATES)),
        "to": lambda: draw(st.sampled_from(DATES)),
        "aliases": lambda: draw(
            st.sampled_from([None, ["Tandvård"], ["akut vård"], ["Akutsjukvård"]])
        ),
        "mirrors": lambda: maybe(draw, lambda: ref(draw, files, "npo")),
        "contact_person": lambda: maybe(draw, lambda: ref(draw, files, "person")),
        "status": lambda: draw(st.sampled_from(["established", "not-established", None])),
        "organisation": lambda: maybe(draw, lambda: ref(draw, files, "organisation")),
        "parent": lambda: maybe(draw, lambda: ref(draw, files, "body")),
        "nomination": lambda: maybe(draw, lambda: {"deadline": "2026-09-01"}),
    }[what]()
    put(data, what, value)
    return what


def edit_person(draw: Draw, files: small.Files, data: dict[str, Any]) -> str:
    what = draw(st.sampled_from(["employer", "employer", "declared", "assessed", "title"]))
    if what == "employer":
        how = draw(st.sampled_from(["none", "bare", "ref"]))
        employer = {
            "none": lambda: None,
            "bare": lambda: "skane",  # a bare id where kind:id is wanted (KS305)
            "ref": lambda: any_ref(draw, files, "region", "municipality", "organisation"),
        }[how]()
        put(data, "employer", employer)
    elif what in ("declared", "assessed"):
        coi = dict(data.get("conflict_of_interest") or {})
        put(coi, what, draw(st.sampled_from([None, "2019-01-15", "2024-06-01", "2026-05-01"])))
        put(data, "conflict_of_interest", coi or None)
    else:
        put(data, "title", draw(st.sampled_from([None, "Läkare", "Chef"])))
    return f"a person's {what}"


def edit_region(draw: Draw, files: small.Files, data: dict[str, Any]) -> str:
    what = draw(
        st.sampled_from(
            ["healthcare_region", "knowledge_support_unit", "code", "code", "add", "drop", "hr"]
        )
    )
    munis = [dict(m) for m in data.get("municipalities") or []]
    data["municipalities"] = munis
    if what == "healthcare_region":
        data["healthcare_region"] = ref(draw, files, "healthcare-region")
    elif what == "knowledge_support_unit":
        put(data, what, maybe(draw, lambda: ref(draw, files, "body")))
    elif what == "add" or not munis:
        code = draw(st.sampled_from([*ids(files, "municipality"), "0114", "9999"]))
        munis.append({"code": code, "name": f"Kommun {code}"})
    elif what == "drop":
        del munis[draw(st.integers(0, len(munis) - 1))]
    else:
        m = munis[draw(st.integers(0, len(munis) - 1))]
        if what == "code":
            m["code"] = draw(st.sampled_from([*ids(files, "municipality"), "0114", "12345"]))
        else:
            put(m, "healthcare_region", maybe(draw, lambda: ref(draw, files, "healthcare-region")))
    return f"a region's {what}"


def edit_handling(draw: Draw, files: small.Files, data: dict[str, Any]) -> str:
    what = draw(
        st.sampled_from(["stage", "steps", "decision", "responsible_lpo", "responsible_person"])
    )
    stages = ["remiss", "kartlaggning", "beslut", "implementering", "uppfoljning"]
    if what == "stage":
        data["stage"] = draw(st.sampled_from(stages))
    elif what == "steps":
        steps = [dict(s) for s in data.get("steps") or []]
        if steps and draw(st.booleans()):
            del steps[draw(st.integers(0, len(steps) - 1))]
        else:
            steps.append({"stage": draw(st.sampled_from(stages)), "date": "2023-03-01"})
        data["steps"] = steps
    elif what == "decision":
        put(data, "decision", draw(st.sampled_from([None, {"date": "2024-01-01"}, {"by": "RMKS"}])))
    elif what == "responsible_lpo":
        put(data, what, maybe(draw, lambda: ref(draw, files, "lpo")))
    else:
        put(data, what, maybe(draw, lambda: ref(draw, files, "person")))
    return f"a handling's {what}"


def edit_glossary(draw: Draw, files: small.Files, data: dict[str, Any]) -> str:
    terms = [dict(t) for t in data.get("terms") or []]
    data["terms"] = terms
    if not terms or draw(st.booleans()):
        word = draw(st.sampled_from(["RPO", "NAG", "npo"]))
        terms.append({"term": word, "expansion": word, "explanation": "Förkortning."})
        return "a term added"
    t = terms[draw(st.integers(0, len(terms) - 1))]
    t["see"] = [any_ref(draw, files, "npo", "lpo", "region", "person", "term")]
    return "a term's see"


def edit_other(draw: Draw, files: small.Files, rel: str, data: dict[str, Any]) -> str:
    kind = layout.locate(rel).kind  # type: ignore[union-attr]
    if kind == "knowledge-support":
        put(data, "owner", maybe(draw, lambda: any_ref(draw, files, "npo", "nsg", "organisation")))
        return "a knowledge support's owner"
    if kind == "organisation":
        put(data, "region", maybe(draw, lambda: ref(draw, files, "region")))
        return "an organisation's region"
    if kind == "healthcare-region":
        shares = [{"region": ref(draw, files, "region"), "percent": 40, "as_of": "2025"}]
        put(data, "participation_shares", maybe(draw, lambda: shares))
        return "a healthcare region's shares"
    put(data, "notes", draw(st.sampled_from([None, ["En anteckning."]])))
    return "notes"


def edit_settings(draw: Draw, files: small.Files, data: dict[str, Any]) -> str:
    what = draw(st.sampled_from(["interval", "rules", "window"]))
    if what == "interval":
        data["policies"] = {
            **data.get("policies", {}),
            "coi_interval_years": draw(st.integers(1, 4)),
        }
    elif what == "window":
        data["policies"] = {**data.get("policies", {}), "mandate_warning_days": 400}
    else:
        data["rules"] = {draw(st.sampled_from(["KS472", "KS437", "KS301"])): "off"}
    return f"ksctl.yaml's {what}"


def change(draw: Draw, files: small.Files) -> str:
    rel = draw(st.sampled_from(sorted(r for r in files if layout.locate(r) is not None)))
    data = files[rel]
    if isinstance(data, str):  # a file that does not parse: mend it or leave it
        files[rel] = small.make().get(rel, {"name": "Lagad"})
        return f"{rel} mended"
    data = files[rel] = small.copied(data)
    if rel == "ksctl.yaml":
        return edit_settings(draw, files, data)
    generic = draw(st.integers(0, 9))
    if generic == 0:
        what = draw(st.sampled_from(["name", "unknown key", "no yaml", "id", "sources"]))
        if what == "name":
            data["name"] = draw(st.sampled_from(NAMES))
        elif what == "unknown key":
            data["nmae"] = "stavfel"
        elif what == "no yaml":
            files[rel] = "name: [trasig\n"
        elif what == "id":
            data["id"] = draw(st.sampled_from(["fel-id", layout.locate(rel).id]))  # type: ignore[union-attr]
        else:
            put(data, "sources", draw(st.sampled_from([None, [small.SOURCE], [small.OLD_SOURCE]])))
        return f"{rel}: {what}"
    kind = layout.locate(rel).kind  # type: ignore[union-attr]
    if kind in kinds.group_kinds():
        return f"{rel}: " + edit_group(draw, files, rel, data)
    edit = {
        "person": edit_person,
        "region": edit_region,
        "handling": edit_handling,
        "glossary": edit_glossary,
    }.get(kind)
    if edit is not None:
        return f"{rel}: " + edit(draw, files, data)
    return f"{rel}: " + edit_other(draw, files, rel, data)


def new_file(draw: Draw, files: small.Files) -> tuple[str, dict[str, Any]]:
    """A path for a new file of some kind, and its data."""
    region = draw(st.sampled_from([*small.COUNTY, "halland"]))
    hr = draw(st.sampled_from([*small.HR, "vastra"]))
    slug = draw(st.sampled_from(SLUGS))
    person = draw(st.sampled_from(["anna", "bo", "ny", "okand"]))
    group = {"name": f"Grupp {slug}", "members": [new_seat(draw, files)]}
    made: dict[str, tuple[str, dict[str, Any]]] = {
        "person": (
            draw(st.sampled_from([f"regions/{region}/people", "national/people"]))
            + f"/{person}.yaml",
            {"name": "Ny Person", "employer": f"region:{region}"},
        ),
        "npo": (
            f"national/programme-areas/{slug}.yaml",
            {
                "name": NAMES[SLUGS.index(slug)] or "Cancer",
                "hosting": [{"host": f"healthcare-region:{hr}"}],
            },
        ),
        "rpo": (f"healthcare-regions/{hr}/programme-areas/{slug}.yaml", group),
        "lpo": (f"regions/{region}/programme-areas/{slug}.yaml", group),
        "nag": (f"national/working-groups/{slug}/ny.yaml", group),
        "rag": (f"healthcare-regions/{hr}/working-groups/{slug}/ny.yaml", group),
        "lag": (f"regions/{region}/working-groups/{slug}/ny.yaml", group),
        "nsg": (f"national/collaboration-groups/{slug}.yaml", group),
        "rsg": (f"healthcare-regions/{hr}/collaboration-groups/{slug}.yaml", group),
        "lsg": (f"regions/{region}/collaboration-groups/{slug}.yaml", group),
        "body": (f"regions/{region}/bodies/{slug}.yaml", {**group, "type": "council"}),
        "organisation": (f"national/organisations/{slug}.yaml", {"name": "Ny organisation"}),
        "knowledge-support": (
            f"national/knowledge-supports/{slug}.yaml",
            {"title": "Nytt stöd", "type": "svf", "owner": f"npo:{slug}"},
        ),
        "handling": (f"regions/{region}/handling/vf-sepsis.yaml", {"stage": "remiss"}),
        "healthcare-region": (
            f"healthcare-regions/{hr}/healthcare-region.yaml",
            {"name": hr, "official_name": hr},
        ),
        "region": (
            f"regions/{region}/region.yaml",
            {
                "name": region,
                "county_code": "13",
                "healthcare_region": hr,
                "municipalities": [{"code": draw(st.sampled_from(["1380", "1080"])), "name": "K"}],
            },
        ),
        "nowhere": ("national/misc/x.yaml", {"name": "Fel plats"}),
    }
    return made[draw(st.sampled_from(sorted(made)))]


def renamed(draw: Draw, rel: str) -> str:
    """Another path for the file at `rel`, of the same kind (a person may only move)."""
    located = layout.locate(rel)
    assert located is not None
    template = next(r.template for r in layout.rules() if r.match(rel) is not None)
    if located.kind == "person":
        folder = draw(
            st.sampled_from(["national/people", "regions/skane/people", "regions/jamtland/people"])
        )
        name = draw(st.sampled_from([located.id, "ny"]))
        return f"{folder}/{name}.yaml"
    parts = list(located.parts)
    i = draw(st.integers(0, len(parts) - 1))
    pool = {
        "healthcare-regions/": [*small.HR, "vastra"],
        "regions/": [*small.COUNTY, "halland"],
    }
    before = template.split("{}")[i]
    parts[i] = draw(
        st.sampled_from(next((v for k, v in pool.items() if before.endswith(k)), SLUGS))
    )
    return template.format(*parts)


def step(draw: Draw, files: small.Files) -> str:
    """One edit of `files`, in place; what it was, in words."""
    how = draw(st.sampled_from(["change"] * 5 + ["add", "remove", "rename"]))
    event(how)
    if how == "add":
        rel, data = new_file(draw, files)
        files[rel] = data
        return f"{rel} added"
    movable = sorted(r for r in files if layout.locate(r) is not None and r != "ksctl.yaml")
    if how == "remove":
        rel = draw(st.sampled_from(movable))
        del files[rel]
        return f"{rel} removed"
    if how == "rename":
        rel = draw(
            st.sampled_from(
                [r for r in movable if r not in ("glossary.yaml", "national/system.yaml")]
            )
        )
        target = renamed(draw, rel)
        if target not in files:
            files[target] = files.pop(rel)
            return f"{rel} renamed {target}"
        return f"{rel} not renamed: {target} is taken"
    return change(draw, files)


# ------------------------------------------------------------------------------ the runs


class Repo:
    """A git repository holding the registry, with its own cache folder."""

    def __init__(self, top: Path, files: small.Files, *, commit: bool = True) -> None:
        self.top, self.root, self.files = top, top / "registry", files
        self.cache = top.parent / "cache"
        if commit:
            self._commit(small.write(self.root, files))

    @classmethod
    def copy(cls, template: Path, top: Path) -> Repo:
        shutil.copytree(template, top)
        return cls(top, small.make(), commit=False)

    def _commit(self, touched: list[str]) -> None:
        # Each edit gets a modification time of its own, well in the past: unchanged files
        # are trusted by their stat as in a real working tree, changed ones are not.
        tick = next(TICKS)
        for rel in touched:
            path = self.root / rel
            if path.exists():
                os.utime(path, ns=(OLD_NS, OLD_NS + tick * 10**9))
        _git(self.top, "add", "-A")
        _git(self.top, "commit", "-q", "--allow-empty", "-m", f"step {tick}")

    def apply(self, files: small.Files) -> None:
        before, self.files = self.files, files
        self._commit(small.write(self.root, files, before))

    def validate(self, **how: Any) -> list[Diagnostic]:
        os.environ["KSCTL_CACHE_DIR"] = str(self.cache)
        return fast.validate(self.root, AT, **how).diagnostics


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository each example starts from (no hooks: fewer files to copy)."""
    top = tmp_path_factory.mktemp("template") / "repo"
    _git(tmp_path_factory.getbasetemp(), "init", "-q", "-b", "main", "--template=", str(top))
    Repo(top, small.make())
    return top


def _compare(repo: Repo, cold_before: list[Diagnostic], rev: str, cached: bool) -> list[Diagnostic]:
    """Check the warm and the --changed-since runs after a step against a cold run; return
    the cold run."""
    cold = repo.validate(use_cache=False)
    assert repo.validate() == cold, "the warm re-check differs from a cold run"
    reported = repo.validate(use_cache=cached, changed_since=rev)
    brought = set(cold) - set(cold_before)
    assert set(reported) <= set(cold), "--changed-since reported what a cold run does not"
    missing = [d for d in cold if d in brought and d not in reported]
    assert not missing, f"--changed-since left out diagnostics the change brought: {missing}"
    return cold


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.data())
def test_after_any_edits_every_rule_re_checked_says_what_a_cold_run_says(
    template: Path, data: st.DataObject
) -> None:
    scoped: list[bool] = []

    def run(*args: Any) -> Any:
        found = scope_run(*args)
        scoped.append(found is not None)
        return found

    scope_run = rescope.run
    with tempfile.TemporaryDirectory() as tmp, pytest.MonkeyPatch.context() as m:
        m.setattr(rescope, "run", run)
        repo = Repo.copy(template, Path(tmp) / "repo")
        cold = repo.validate(use_cache=False)
        assert repo.validate() == cold  # and the snapshot is written
        for _ in range(data.draw(st.integers(1, 5), label="steps")):
            files = small.copied(repo.files)
            what = step(data.draw, files)
            data.draw(st.just(what), label="edit")  # shown with a failing example
            repo.apply(files)
            scoped.clear()
            cold = _compare(repo, cold, "HEAD~1", data.draw(st.booleans(), label="cached"))
            event("re-checked in scope" if any(scoped) else "validated in full")


# ------------------------------------------------------------------------------ explicit


def _spied(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[Any]:
    """Record each call of `module.name` (its arguments), calling through."""
    calls: list[Any] = []
    real = getattr(module, name)

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return calls


@pytest.fixture
def repo(template: Path, tmp_path: Path) -> Iterator[Repo]:
    made = Repo.copy(template, tmp_path / "repo")
    made.validate()  # the snapshot
    yield made


def _edited(repo: Repo, rel: str, **fields: Any) -> None:
    files = small.copied(repo.files)
    files[rel].update(fields)
    repo.apply(files)


def test_a_field_edit_is_re_checked_in_scope_not_in_full(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The comparison above is only worth something if a warm run scopes: an edit that
    makes and names the same ids is re-checked without a whole validation."""
    full = _spied(monkeypatch, pipeline, "validate")
    scoped = _spied(monkeypatch, rescope, "_run")
    cold = repo.validate(use_cache=False)
    _edited(repo, "regions/norrbotten/people/bo.yaml", employer="region:skane")
    full.clear()
    assert repo.validate() == repo.validate(use_cache=False) != cold
    assert len(scoped) == 1 and len(full) == 1  # the one full run is the cold one


def test_a_rule_that_declares_nothing_forces_a_full_run(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule registered without saying what it reads, gathering over the whole registry:
    a warm run cannot scope it, so it validates everything, and --changed-since reports on
    every file."""

    def region_staff(registry: Any, ctx: rules.Context) -> Iterator[Diagnostic]:
        staff = sum(
            1 for e in registry if str(e.data and e.data.get("employer")).startswith("region:")
        )
        for entity in registry.reporting("npo").values():
            yield rules.at(
                entity, "KS499", f"{staff} people employed by a region", severity=Severity.INFO
            )

    monkeypatch.setitem(rules.RULES, "KS499", rules.Rule("KS499", region_staff, None))
    full = _spied(monkeypatch, pipeline, "validate")
    _edited(repo, "regions/norrbotten/people/bo.yaml", employer="organisation:skr")
    warm = repo.validate()
    assert len(full) == 1  # the warm run went through everything
    cold = repo.validate(use_cache=False)
    assert warm == cold
    assert {d.message for d in cold if d.code == "KS499"} == {"4 people employed by a region"}
    everything = repo.validate(use_cache=False, changed_since="HEAD~1")
    assert everything == cold


def test_the_scoped_registry_goes_through_every_entity_as_its_length_counts(
    repo: Repo, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rule that gathers with `for e in registry` reads every entity in a scoped run too,
    each as a cold run has it; only `reported` and `reporting` narrow to the scope."""
    seen = _spied(monkeypatch, pipeline, "checks")
    _edited(repo, "regions/norrbotten/people/bo.yaml", title="Läkare")
    repo.validate()
    ((scoped, *_),) = seen
    assert isinstance(scoped, rescope.ScopedRegistry)
    cold = pipeline.validate(repo.root.absolute(), AT).registry
    assert cold is not None
    every = [(e.kind, e.id, e.path, e.loc) for e in scoped]
    assert len(every) == len(scoped) == len(cold) == len(set(every))
    assert sorted(every) == sorted((e.kind, e.id, e.path, e.loc) for e in cold)
    assert scoped.counts() == cold.counts()
    for kind in cold.counts():
        assert sorted(scoped.of_kind(kind)) == sorted(cold.of_kind(kind))
        assert set(scoped.reporting(kind)) <= set(scoped.of_kind(kind))
    reported = {e.path for e in scoped.reported()}
    assert reported == {f"{repo.root.name}/{rel}" for rel in scoped.scope} - {
        f"{repo.root.name}/ksctl.yaml"
    }


# Edits the random sequences above found a re-check getting wrong, kept as they were found
# (each step: files -> None).
Edit = Callable[[small.Files], None]
BLEKINGE = "regions/blekinge/region.yaml"


def _municipalities(files: small.Files) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = files[BLEKINGE]["municipalities"]
    return found


def _first(key: str, value: Any) -> Edit:
    def edit(files: small.Files) -> None:
        files[BLEKINGE] = {key: value, **files[BLEKINGE]}

    return edit


REGRESSIONS: dict[str, list[Edit]] = {
    # A warm run kept the region's ids (the same set) and so its duplicates (none).
    "a municipality code claimed a second time in its region's file": [
        lambda f: _municipalities(f).append({"code": "1080", "name": "Kommun 1080 igen"}),
    ],
    # A warm run and --changed-since saw no change to what KS413 reads of regions (the
    # region's healthcare_region stayed as written), but a region that fails its schema
    # has no healthcare region a rule can read.
    "a region that fails its schema after it moved to another healthcare region": [
        lambda f: f[BLEKINGE].update(healthcare_region="norra"),
        lambda f: f[BLEKINGE].update(nmae="stavfel"),
    ],
    # The second claim's message names the first's line, which moved.
    "lines added above the first of two claims": [
        lambda f: f.update(
            {
                "regions/halland/region.yaml": {
                    "name": "Region Halland",
                    "county_code": "13",
                    "healthcare_region": "sodra",
                    "municipalities": [{"code": "1080", "name": "Kommun 1080"}],
                }
            }
        ),
        _first("id", "blekinge"),
    ],
}


@pytest.mark.parametrize("name", list(REGRESSIONS))
def test_found_by_random_edits(repo: Repo, name: str) -> None:
    cold = repo.validate(use_cache=False)
    for edit in REGRESSIONS[name]:
        files = small.copied(repo.files)
        edit(files)
        repo.apply(files)
        cold = _compare(repo, cold, "HEAD~1", cached=True)
