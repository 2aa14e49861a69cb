"""The locked dependencies: pyproject.toml, uv.lock and requirements*.txt say the same thing.

uv.lock is what `make` installs; requirements*.txt are it written out for pip (`make
requirements`). A change to one without the others fails here, not on a colleague's machine.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

ROOT = Path(__file__).resolve().parents[1]
PROJECT = "diplopulse"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def _name(text: str) -> str:
    """A package name as the lock writes it (PEP 503: lower case, runs of -_. as one -)."""
    return re.sub(r"[-_.]+", "-", text).lower()


def _requirement_name(spec: str) -> str:
    return _name(Requirement(spec).name)


@pytest.fixture(scope="module")
def lock() -> dict:
    return tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _packages(lock: dict) -> dict[str, dict]:
    return {p["name"]: p for p in lock["package"]}


def _closure(lock: dict, roots: list[str]) -> dict[str, str]:
    """Every package the roots need, whatever the platform, with its locked version."""
    packages = _packages(lock)
    seen: dict[str, str] = {}
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        package = packages[name]
        seen[name] = package["version"]
        todo.extend(d["name"] for d in package.get("dependencies", []))
    return seen


def _pins(path: Path) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "-")):
            continue
        match = _PIN.match(line)
        assert match, f"{path.name}: not pinned with ==: {line!r}"
        pins[_name(match[1])] = match[2]
    return pins


def _project(lock: dict) -> dict:
    return _packages(lock)[PROJECT]


def _declared(specs: list[str]) -> set[tuple[str, SpecifierSet]]:
    return {(_name(r.name), r.specifier) for r in map(Requirement, specs)}


def _locked(entries: list[dict]) -> set[tuple[str, SpecifierSet]]:
    return {(_name(e["name"]), SpecifierSet(e.get("specifier", ""))) for e in entries}


def test_pyproject_dependencies_are_what_the_lock_was_made_from(lock, pyproject):
    # Names and bounds: a dependency added to pyproject.toml, or a bound changed, needs a new
    # lock (`make upgrade PACKAGE=name`), or `make` would install the old set.
    metadata = _project(lock)["metadata"]
    assert _declared(pyproject["project"]["dependencies"]) == _locked(metadata["requires-dist"])
    assert _declared(pyproject["dependency-groups"]["dev"]) == _locked(
        metadata["requires-dev"]["dev"]
    )


def test_every_declared_dependency_is_pinned_in_the_lock(lock, pyproject):
    packages = _packages(lock)
    declared = pyproject["project"]["dependencies"] + pyproject["dependency-groups"]["dev"]
    names = [_requirement_name(spec) for spec in declared]
    assert [n for n in names if n not in packages] == [], "in pyproject.toml, not in uv.lock"
    assert [n for n in names if not packages[n].get("version")] == [], "not pinned in uv.lock"


def test_requirements_txt_is_the_locked_runtime_set(lock):
    runtime = [d["name"] for d in _project(lock).get("dependencies", [])]
    assert _pins(ROOT / "requirements.txt") == _closure(lock, runtime), (
        "requirements.txt disagrees with uv.lock: run `make requirements`"
    )


def test_requirements_dev_txt_is_the_locked_runtime_and_dev_set(lock):
    project = _project(lock)
    roots = [d["name"] for d in project.get("dependencies", [])]
    roots += [d["name"] for d in project.get("dev-dependencies", {}).get("dev", [])]
    assert _pins(ROOT / "requirements-dev.txt") == _closure(lock, roots), (
        "requirements-dev.txt disagrees with uv.lock: run `make requirements`"
    )


def test_the_lock_names_only_the_public_index(lock):
    # A lock that points at this machine's disk (file://, /opt/...) installs nowhere else.
    for package in lock["package"]:
        if package["name"] == PROJECT:
            continue
        assert package["source"] == {"registry": "https://pypi.org/simple"}, package["name"]
        for wheel in [*package.get("wheels", []), package.get("sdist") or {}]:
            url = wheel.get("url", "https://")
            assert url.startswith("https://"), f"{package['name']}: {url}"
