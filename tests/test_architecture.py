"""The floors hold: fundapp/ imports nothing from grants/ or donors/, and grants and donors
talk through their selectors (the import-linter contracts in pyproject.toml)."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    for contract in ("fundapp (the ground floor) imports nothing from grants or donors KEPT",
                     "grants and donors talk to each other only through their selectors KEPT"):
        assert contract in result.stdout, result.stdout
    assert "0 broken" in result.stdout
