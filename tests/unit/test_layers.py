"""The layers, read from the source: the domain (every module, sub-packages included) imports
neither Streamlit, SQLAlchemy nor the services or store; pages and UI helpers never reach the
store but through the services; reports draw what they are given."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _offending(folder: str, banned: tuple[str, ...]) -> dict[str, list[str]]:
    found = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        bad = sorted(n for n in _imports(path) if n.split(".")[0] in banned or
                     any(n == b or n.startswith(b + ".") for b in banned))  # fmt: skip
        if bad:
            found[str(path.relative_to(ROOT))] = bad
    return found


LAYERS = [
    ("rpsee/domain", ("streamlit", "sqlalchemy", "alembic", "rpsee.services", "rpsee.store",
                      "rpsee.ui", "rpsee.reports")),  # fmt: skip
    ("pages", ("sqlalchemy", "rpsee.store")),
    ("rpsee/ui", ("sqlalchemy", "rpsee.store")),
    ("rpsee/reports", ("streamlit", "sqlalchemy", "rpsee.store", "rpsee.services")),
]


@pytest.mark.parametrize(("folder", "banned"), LAYERS, ids=[f for f, _ in LAYERS])
def test_layer_imports_stay_in_their_lane(folder: str, banned: tuple[str, ...]) -> None:
    assert (ROOT / folder).is_dir()
    assert _offending(folder, banned) == {}


def test_the_check_sees_sub_packages_and_a_banned_import(tmp_path: Path) -> None:
    module = tmp_path / "x.py"
    module.write_text("import sqlalchemy.orm\nfrom rpsee.store.uow import UnitOfWork\n")
    assert _imports(module) == {"sqlalchemy.orm", "rpsee.store.uow"}
    assert any(p.parent.name == "review" for p in (ROOT / "rpsee/domain").rglob("*.py"))
