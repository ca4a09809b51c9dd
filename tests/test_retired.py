"""The retired import script is a record: it never writes into an existing folder, so it can
never wipe the registry that pull requests now keep."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO

SCRIPT = REPO / "scripts" / "retired" / "import_reference.py"


def test_it_refuses_an_existing_folder_and_leaves_it_as_it_was(tmp_path: Path) -> None:
    kept = tmp_path / "registry"
    kept.mkdir()
    (kept / "ksctl.yaml").write_text("version: 1\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(kept)], capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "exists" in done.stderr
    assert [p.name for p in kept.iterdir()] == ["ksctl.yaml"]


def test_it_has_no_default_folder_to_write_into() -> None:
    done = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True)
    assert done.returncode == 2 and "--out" in done.stderr
