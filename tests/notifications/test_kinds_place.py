"""Every notification kind has one obvious home: the ``notifications.py`` of the app that
sends it, or ``fundapp/notifications/kinds.py`` for the ground floor's own; nothing else
registers kinds, and the ground floor's registry imports no app above it."""

import ast
from pathlib import Path

from django.conf import settings

from fundapp.notifications.kinds import KINDS

ROOT = Path(settings.BASE_DIR)
HOMES = {"grants": ROOT / "grants" / "notifications.py",
         "donors": ROOT / "donors" / "notifications.py"}
GROUND_FLOOR = {"account_verify_email", "two_factor_enabled", "two_factor_disabled",
                "recovery_codes_regenerated", "passkey_added", "passkey_removed",
                "account_password_changed", "job_done", "job_failed"}


def _registered_in(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id == "register" and isinstance(node.args[0], ast.Constant)):
            names.append(node.args[0].value)
    return names


def test_each_kind_is_declared_once_in_its_apps_notifications_module():
    declared = {app: _registered_in(path) for app, path in HOMES.items()}
    every = [name for names in declared.values() for name in names]
    assert len(every) == len(set(every))
    assert set(every) | GROUND_FLOOR == set(KINDS)
    assert "call_closed" in declared["grants"] and "target_milestone" in declared["donors"]


def test_no_other_module_of_the_apps_registers_kinds():
    for app, home in HOMES.items():
        for path in (ROOT / app).rglob("*.py"):
            if path != home and "migrations" not in path.parts:
                assert not _registered_in(path), path


def test_the_ground_floor_registry_imports_no_app_above_it():
    tree = ast.parse((ROOT / "fundapp" / "notifications" / "kinds.py").read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert not {m for m in imported if m.split(".")[0] in ("grants", "donors")}
    [registry] = [node.value for node in ast.walk(tree) if isinstance(node, ast.AnnAssign)
                  and getattr(node.target, "id", None) == "KINDS"]
    assert {key.value for key in registry.keys} == GROUND_FLOOR
