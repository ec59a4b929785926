"""Imports run from later stages to earlier ones (docs/architecture.md), read from the source with ast:
every `import` and `from … import` of every module, at any depth (function-level imports count)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "applications", "review", "funding", "rosters", "performance", "dashboard", "demo")
CORE = "haidian_contest"
PACKAGES = (*APPS, CORE)
# The core's one way into the apps: the URL root routes to each app's URLs (and the home page).
CORE_HOOKS = {"haidian_contest/urls.py"}
# Who may import the demo: the demo itself, the tests that play the scenario, and the benchmarks.
DEMO_USERS = ("demo", "tests", "bench")


def module_imports(path: Path) -> set[str]:
    """Absolute names of every module a file imports (relative imports resolved)."""
    package = path.relative_to(ROOT).with_suffix("").parts
    package = package[:-1]  # a module's own package; __init__ is itself in its folder
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = [*package[: len(package) - node.level + 1]] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            # `from x import y` may import the module x.y
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def project_files():
    for folder in (*PACKAGES, "tests", "bench"):
        yield from sorted((ROOT / folder).rglob("*.py"))


IMPORTS = {str(path.relative_to(ROOT)): module_imports(path) for path in project_files()}


def top(name: str) -> str:
    return name.split(".")[0]


def importers(of: set[str], *, within: str | tuple[str, ...] = "") -> dict[str, list[str]]:
    """Files (under `within`) importing any of the packages `of`, and what they import from them."""
    hits = {}
    for file, names in IMPORTS.items():
        if within and not file.startswith(tuple(f"{w}/" for w in ((within,) if isinstance(within, str) else within))):
            continue
        bad = sorted(n for n in names if top(n) in of and top(n) != file.split("/")[0])
        if bad:
            hits[file] = bad
    return hits


def test_the_reader_sees_function_level_and_relative_imports():
    assert "demo.rosters" in IMPORTS["demo/scenario.py"]  # `from .rosters import play_rosters`, inside a function
    assert "applications.workflow_engine" in IMPORTS["applications/apps.py"]  # `from . import …, workflow_engine`


def test_applications_imports_no_later_stage():
    assert importers({"review", "funding", "performance", "rosters", "dashboard", "demo"}, within="applications") == {}


def test_the_core_package_imports_no_app_except_through_the_url_root():
    hits = importers(set(APPS), within=CORE)
    assert {file: names for file, names in hits.items() if file not in CORE_HOOKS} == {}


def test_only_tests_and_benchmarks_import_the_demo():
    hits = importers({"demo"})
    assert {file: names for file, names in hits.items() if not file.startswith(tuple(f"{u}/" for u in DEMO_USERS))} == {}


def test_funding_does_not_import_performance():
    # Funding reads the audit outcome from the workflow state, not from performance.
    assert importers({"performance"}, within="funding") == {}


def test_accounts_imports_no_other_app():
    assert importers(set(APPS) - {"accounts"}, within="accounts") == {}


@pytest.mark.parametrize("app", [a for a in APPS if a not in ("dashboard", "demo")])
def test_no_stage_imports_the_dashboard(app):
    assert importers({"dashboard"}, within=app) == {}
