"""docs/architecture.md's table "Where each URL goes" says which module serves each route and
what it calls: it stays true to the URL configuration."""

import importlib
import re
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

DOC = Path(__file__).resolve().parents[1] / "docs" / "architecture.md"


def _routes(patterns=None, prefix: str = ""):
    """(route, module of its view) for every route of the project."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            view = pattern.callback
            owner = getattr(view, "cls", None) or getattr(view, "view_class", None) or view
            yield prefix + str(pattern.pattern), owner.__module__


def _table() -> list[tuple[list[str], str, list[str]]]:
    """The table's rows: the routes named, the module serving them, the modules called."""
    text = DOC.read_text(encoding="utf-8")
    section = text.split("## Where each URL goes", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("route", "---"):
            continue
        routes = re.findall(r"`([^`]*)`", cells[0])
        served = re.findall(r"`([^`]*)`", cells[1])
        rows.append((routes, served[0] if served else cells[1], re.findall(r"`([^`]*)`", cells[2])))
    return rows


def _literal(route: str) -> str:
    """The part of a route before its first parameter or ellipsis: "persons/" for
    "persons/<number>/edit/"."""
    return re.split(r"[<…(^]", route.lstrip("/"), maxsplit=1)[0]


def test_every_module_that_serves_a_route_of_ours_is_in_the_table():
    ours = {module for _route, module in _routes() if module.startswith("safepassage.")}
    named = {f"safepassage.{served}" for _named, served, _calls in _table()}
    assert ours - named == set()


def test_each_row_names_routes_its_module_really_serves():
    served_by: dict[str, list[str]] = {}
    for route, module in _routes():
        served_by.setdefault(module.removeprefix("safepassage."), []).append(route)
    for routes, served, _calls in _table():
        if served not in served_by:  # a library's pages: django-allauth, drf-spectacular
            assert "." not in served, f"{served} serves no route"
            continue
        first = _literal(routes[0])
        assert any(route.startswith(first) for route in served_by[served]), (routes[0], served)


def test_every_module_a_row_says_is_called_exists():
    for _named, _served, calls in _table():
        for module in calls:
            importlib.import_module(f"safepassage.{module}")
