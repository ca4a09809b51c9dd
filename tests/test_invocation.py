"""How ksctl is started: from any folder, with a relative or absolute --registry, outside a
repository (where only reading commands may use the registry bundled with ksctl), from a
shell with completion, and with dates written as the registry writes them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, SETTINGS, build_tree

from ksctl import discovery
from ksctl.cli import COMMANDS

FILES = {
    "registry/ksctl.yaml": SETTINGS,
    "registry/healthcare-regions/mellansverige/healthcare-region.yaml": (
        "name: Mellansverige\nofficial_name: Sjukvårdsregion Mellansverige\n"
    ),
    "registry/national/programme-areas/akut-vard.yaml": (
        "name: Akut vård\nhosting:\n  - host: healthcare-region:mellansverige\n    from: 2018\n"
        "members:\n  - {person: anna, role: chair, from: 2024-01-01}\n"
    ),
    "registry/national/people/anna.yaml": "name: Anna Ek\n",
    "registry/glossary.yaml": (
        "terms:\n  - term: NPO\n    expansion: Nationellt programområde\n"
        "    explanation: Leder kunskapsstyrningen inom ett område.\n"
    ),
}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "-C", str(repo), *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = build_tree(tmp_path / "repo", FILES)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    (tmp_path / "elsewhere").mkdir()
    return root


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


# ------------------------------------------------------------------ --registry, any spelling

# One line per command; `{n}` makes what a command creates differ between runs.
ARGS: dict[str, list[str]] = {
    "validate": ["validate"],
    "who-hosts": ["who-hosts", "akut"],
    "show": ["show", "akut"],
    "list": ["list", "npo"],
    "search": ["search", "akut"],
    "members": ["members", "akut"],
    "person": ["person", "anna"],
    "explain": ["explain", "NPO"],
    "stats": ["stats"],
    "due": ["due"],
    "export": ["export", "--json", "{out}/export-{n}.json"],
    "diff": ["diff", "HEAD"],
    "fmt": ["fmt"],
    "new": ["new", "person", "bo-ek-{n}", "--name", "Bo Ek"],
    "codeowners": ["codeowners"],
    "schema": ["schema"],
}


def test_every_command_is_tried_with_every_spelling_of_registry() -> None:
    assert sorted(ARGS) == sorted(COMMANDS)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_every_command_takes_a_relative_or_absolute_registry(
    repo: Path, run_line, name: str
) -> None:
    """`fmt -r registry` once ended in a ValueError traceback (issue 13, bug 8)."""
    top = repo.parent
    spellings = [  # (where ksctl runs, what --registry says)
        (repo, "registry"),
        (repo, "./registry/"),
        (repo, "."),  # a folder with registry/ in it
        (repo / "registry/national", "../../registry"),
        (top, "repo"),
        (top / "elsewhere", str(repo / "registry")),
        (top / "elsewhere", "../repo/registry"),
    ]
    templates = [a.format(n="#", out=top) for a in ARGS[name]]
    # Once first, so that what the command writes (fmt, codeowners, schema) is in place.
    run_line(["ksctl", *templates, "--registry", str(repo)], cwd=top)
    seen = set()
    for n, (cwd, given) in enumerate(spellings):
        args = [a.format(n=n, out=top) for a in ARGS[name]]
        r = run_line(["ksctl", *args, "--registry", given], cwd=cwd)
        assert r.exit_code == 0, (cwd, given, r.stdout, r.stderr)
        # The same answer whichever way the registry was named; what is made is numbered.
        out = r.stdout
        for made, template in zip(args, templates, strict=True):
            out = out.replace(made, template)
        seen.add(out)
    assert len(seen) == 1, seen
    assert not (repo / "registry/registry").exists()


def test_fmt_takes_paths_relative_to_where_it_runs(repo: Path, run_line) -> None:
    anna = repo / "registry/national/people/anna.yaml"
    anna.write_text("title: x\nname: Anna Ek\n")
    r = run_line(["ksctl", "fmt", "--check", "-r", "..", "anna.yaml"], cwd=anna.parent.parent)
    assert r.exit_code == 2  # anna.yaml is not here
    r = run_line(["ksctl", "fmt", "-r", "../..", "anna.yaml"], cwd=anna.parent)
    assert r.exit_code == 0 and "registry/national/people/anna.yaml: formatted" in r.stdout
    assert anna.read_text() == "name: Anna Ek\ntitle: x\n"


# ------------------------------------------------------------------ outside a repository


WRITES = [
    ["new", "person", "bo-ek", "--name", "Bo Ek"],
    ["fmt"],
    ["fmt", "--check"],
    ["codeowners"],
    ["codeowners", "--check"],
    ["schema"],
    ["schema", "--check"],
]


@pytest.mark.parametrize("args", WRITES, ids=" ".join)
def test_a_command_that_writes_never_falls_back_to_the_bundled_registry(
    tmp_path: Path, run_line, monkeypatch, args: list[str]
) -> None:
    """Outside a repository, `new` once wrote into site-packages/ksctl/_data/registry/ and
    `codeowners` into site-packages/ksctl/_data/.github/ (issue 13, bug 5)."""
    package = build_tree(tmp_path / "site-packages/ksctl/_data", FILES)
    (package / "registry/national/people/anna.yaml").write_text("title: x\nname: Anna Ek\n")
    monkeypatch.setattr(discovery, "BUNDLED", package / "registry")
    monkeypatch.setattr(discovery, "SOURCE", tmp_path / "no-source")
    before = _tree(package)
    home = tmp_path / "home"
    home.mkdir()
    r = run_line(["ksctl", *args], cwd=home)
    assert r.exit_code == 3, r.stdout
    assert "no registry found (a folder with ksctl.yaml); looked in:" in r.stderr
    assert f"  {home}/registry/ksctl.yaml\n" in r.stderr
    assert f"  {tmp_path}/registry/ksctl.yaml\n" in r.stderr
    assert "a command that writes never changes the registry bundled with ksctl" in r.stderr
    assert _tree(package) == before
    assert sorted(p.name for p in package.iterdir()) == ["registry"]
    assert list(home.iterdir()) == []
    # a command that only reads answers from the bundled registry
    r = run_line(["ksctl", "who-hosts", "akut"], cwd=home)
    assert r.exit_code == 0 and "Mellansverige" in r.stdout


def test_an_editable_install_finds_the_repositorys_registry(
    tmp_path: Path, run_line, monkeypatch
) -> None:
    """After `pip install -e '.[dev]'` there is no ksctl/_data/: the registry beside the
    package in its repository is the bundled one (issue 13, bug 6)."""
    checkout = build_tree(
        tmp_path / "checkout",
        {**FILES, "pyproject.toml": "[project]\nname = 'ksctl'\n", "ksctl/__init__.py": ""},
    )
    monkeypatch.setattr(discovery, "BUNDLED", checkout / "ksctl/_data/registry")
    monkeypatch.setattr(discovery, "SOURCE", checkout / "registry")
    assert discovery.bundled() == checkout / "registry"
    (tmp_path / "home").mkdir()
    r = run_line(["ksctl", "who-hosts", "akut"], cwd=tmp_path / "home")
    assert r.exit_code == 0 and "Mellansverige" in r.stdout
    r = run_line(["ksctl", "new", "person", "bo-ek", "--name", "Bo Ek"], cwd=tmp_path / "home")
    assert r.exit_code == 3
    assert not (checkout / "registry/national/people/bo-ek.yaml").exists()
    # a registry/ beside a folder that is not ksctl's repository is not taken for it
    (checkout / "pyproject.toml").unlink()
    assert discovery.bundled() is None


def test_this_checkout_finds_its_own_registry_from_anywhere() -> None:
    """The installed package (this checkout, when installed editable) as `cd / && ksctl
    who-hosts akut` finds it; only where the registry is, never what it says."""
    import ksctl

    if discovery.BUNDLED.exists() or Path(ksctl.__file__).parents[1] != REPO:
        pytest.skip("ksctl is installed from a wheel, with its own bundled registry")
    assert discovery.bundled() == REPO / "registry"
    assert discovery.find_registry(None, {}, Path("/")) == REPO / "registry"
    with pytest.raises(discovery.RegistryNotFound):
        discovery.find_registry(None, {}, Path("/"), write=True)


# ------------------------------------------------------------------ revisions and arguments


def test_a_revision_that_does_not_exist_is_a_usage_error(repo: Path, run_line) -> None:
    """Exit 3 says "no registry"; naming no commit is the user's mistake (issue 13, bug 13)."""
    for args, rev in (
        (["validate", "--changed-since", "nope"], "nope"),
        (["diff", "foo", "bar"], "foo"),
        (["diff", "HEAD", "nope"], "nope"),
        (["diff", "nope"], "nope"),
    ):
        r = run_line(["ksctl", *args], cwd=repo)
        assert r.exit_code == 2, args
        assert f"ksctl: {rev!r} names no commit in the repository" in r.stderr


def test_who_hosts_an_area_and_by_a_region_at_once_is_a_usage_error(repo, run_line) -> None:
    """`who-hosts akut --by norra` once answered for norra, silently (issue 13, bug 14)."""
    r = run_line(["ksctl", "who-hosts", "akut", "--by", "mellansverige"], cwd=repo)
    assert r.exit_code == 2
    assert "name an area or use --by, not both ('akut' and --by 'mellansverige')" in r.stderr
    r = run_line(["ksctl", "who-hosts", "--by", "mellansverige"], cwd=repo)
    assert r.exit_code == 0 and "Akut vård" in r.stdout


# ------------------------------------------------------------------ --at


@pytest.mark.parametrize(
    ("given", "day"),
    [("2027", "2027-01-01"), ("2027-06", "2027-06-01"), ("2024-02-29", "2024-02-29")],
)
def test_at_takes_a_year_a_month_or_a_day(repo: Path, run_line, given: str, day: str) -> None:
    r = run_line(["ksctl", "who-hosts", "akut", "--at", given, "--json"], cwd=repo)
    assert r.exit_code == 0 and json.loads(r.stdout)["at"] == day
    r = run_line(["ksctl", "validate", "--at", given, "-f", "json"], cwd=repo)
    assert r.exit_code == 0 and json.loads(r.stdout)["ok"] is True


@pytest.mark.parametrize(
    ("given", "said"),
    [
        ("2027-02-30", "2027-02 has no day 30 (the day does not exist)"),
        ("2023-02-29", "2023-02 has no day 29 (the day does not exist)"),
        ("2027-13", "there is no month 13"),
        ("27", "write a date as YYYY-MM-DD, YYYY-MM or YYYY"),
        ("30 juni 2027", "write a date as YYYY-MM-DD, YYYY-MM or YYYY"),
    ],
)
def test_at_a_day_that_does_not_exist_says_so(repo: Path, run_line, given, said) -> None:
    for command in (["validate"], ["who-hosts", "akut"], ["members", "akut"]):
        r = run_line(["ksctl", *command, "--at", given], cwd=repo)
        assert r.exit_code == 2, command
        assert r.stderr == f"ksctl: --at {given!r}: {said}\n"


# ------------------------------------------------------------------ shell completion


@pytest.fixture
def shell(tmp_path: Path):
    """Run a line in bash with ksctl on its PATH and a home of its own."""
    bash = shutil.which("bash")
    ksctl = Path(sys.executable).parent / "ksctl"
    if bash is None or not ksctl.exists():
        pytest.skip("needs bash and the ksctl command installed")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "HOME": str(home),
        "SHELL": bash,
        "PATH": f"{ksctl.parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }

    def run(line: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [bash, "--norc", "-c", line], env=env, cwd=home, capture_output=True, text=True
        )

    run.home = home  # type: ignore[attr-defined]  # the fixture hands its home over too
    return run


def test_show_completion_prints_a_bash_script(shell) -> None:
    done = shell("ksctl --show-completion")
    assert done.returncode == 0, done.stderr
    assert "complete -o default -F _ksctl_completion ksctl" in done.stdout


def test_install_completion_completes_commands_and_their_options(shell) -> None:
    done = shell("ksctl --install-completion")
    assert done.returncode == 0, done.stderr
    script = shell.home / ".bash_completions/ksctl.sh"
    assert script.is_file()
    assert (
        "source" in (shell.home / ".bashrc").read_text()
        and str(script.name) in (shell.home / ".bashrc").read_text()
    )

    def complete(*words: str) -> list[str]:
        line = (
            f"source {script}; COMP_WORDS=({' '.join(words)}); "
            f"COMP_CWORD={len(words) - 1}; _ksctl_completion ksctl; "
            'printf "%s\\n" "${COMPREPLY[@]}"'
        )
        done = shell(line)
        assert done.returncode == 0, done.stderr
        return done.stdout.split()

    assert complete("ksctl", "who") == ["who-hosts"]
    assert complete("ksctl", "f") == ["fmt"]
    assert "--changed-since" in complete("ksctl", "validate", "--ch")
    assert complete("ksctl", "who-hosts", "--b") == ["--by"]
