"""The apps' imports point downwards only, as docs/architecture.md lays them out: a test fails
when an app imports one above it."""

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parents[1] / "src" / "mercuryhub"

# What each app may import, besides itself (docs/architecture.md).
ALLOWED = {
    "lib": set(),
    "taxonomy": {"lib"},
    "search": {"lib"},
    "accounts": {"taxonomy", "lib"},
    "review": {"accounts", "search", "taxonomy", "lib"},
    "catalogue": {"review", "accounts", "search", "taxonomy", "lib"},
    "library": {"catalogue", "review", "accounts", "search", "taxonomy", "lib"},
    "forms": {"accounts", "taxonomy", "lib"},
    "asgm": {"forms", "accounts", "taxonomy", "lib"},
    "nap": {
        "asgm",
        "library",
        "catalogue",
        "review",
        "forms",
        "accounts",
        "search",
        "taxonomy",
        "lib",
    },
    "inventory": {
        "exchange",
        "library",
        "catalogue",
        "review",
        "forms",
        "accounts",
        "search",
        "taxonomy",
        "lib",
    },
    "partnership": {
        "exchange",
        "library",
        "catalogue",
        "review",
        "forms",
        "accounts",
        "search",
        "taxonomy",
        "lib",
    },
    "exchange": {
        "library",
        "catalogue",
        "review",
        "forms",
        "accounts",
        "search",
        "taxonomy",
        "lib",
    },
}


def _imported_apps(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[0] == "mercuryhub" and len(parts) > 1:
                found.add(parts[1])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "mercuryhub" and len(parts) > 1:
                    found.add(parts[1])
    return found


@pytest.mark.parametrize("app", sorted(ALLOWED))
def test_an_app_imports_only_the_apps_below_it(app):
    wrong = {}
    for path in (SOURCE / app).rglob("*.py"):
        above = _imported_apps(path) - ALLOWED[app] - {app}
        if above:
            wrong[str(path.relative_to(SOURCE))] = sorted(above)
    assert wrong == {}


def test_every_app_has_its_place_in_the_layers():
    apps = {p.name for p in SOURCE.iterdir() if (p / "__init__.py").exists()}
    assert apps - {"core", "locale"} <= set(ALLOWED)


def test_no_module_is_longer_than_six_hundred_lines():
    too_long = {
        str(path.relative_to(SOURCE)): length
        for path in SOURCE.rglob("*.py")
        if "migrations" not in path.parts and (length := len(path.read_text().splitlines())) > 600
    }
    assert too_long == {}
