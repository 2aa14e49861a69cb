"""The folders are the architecture: store (data) → connectors → metrics → ui → pages. A module
may import from its own layer and the layers below it, never from a layer above."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["data", "connectors", "metrics", "ui", "pages"]
# i18n (strings and locale formats) sits beside the layers: anyone may use it. A package's
# `__main__.py` is a command-line application on top, like a page: it may use any layer.


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer", LAYERS)
def test_no_import_runs_back_up(layer):
    above = set(LAYERS[LAYERS.index(layer) + 1 :])
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & above)
        for path in sorted((ROOT / layer).rglob("*.py"))
        if path.name != "__main__.py" and imported_packages(path) & above
    }
    assert offenders == {}
