"""The layering of docs/architecture.md, read from the code: every module has a layer, none
imports a module of a higher layer, and no modules or apps import each other in a circle.

Imports are read from the source (`ast`), those inside functions included: an import hidden in
a function is still a dependency. An exception to the layering is written in `EXCEPTIONS` with
the ADR that gives its reason; there is no other way around this test.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "safepassage"

# Lowest first. A module belongs to the layer of the longest prefix that names it. A layer may
# import its own and lower layers only; apps within one layer may import each other as long as
# no two do so both ways (checked below).
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("pure helpers", ("lib", "formats", "locale", "names")),
    ("encryption", ("crypto",)),
    ("audit log", ("audit",)),
    ("accounts", ("accounts",)),
    ("access policy", ("access",)),
    ("state machine", ("workflow",)),
    ("web and API framework", ("web", "api")),
    # The registry's models are a unit of their own: the access policy reads them (ADR 0004).
    ("registry", ("registry", "registry.models")),
    ("cases and the guard", ("cases",)),
    (
        "pages, API and feature apps",
        (
            # The pages and API of the apps below: the person page shows his case, the audit
            # log and the members page are read through the access policy.
            "registry.views",
            "registry.search",
            "registry.forms",
            "registry.serializers",
            "registry.api",
            "registry.urls",
            "cases.views",
            "cases.forms",
            "cases.serializers",
            "cases.api",
            "cases.urls",
            "audit.selectors",
            "audit.forms",
            "audit.views",
            "audit.api",
            "audit.urls",
            "audit.management",
            "accounts.selectors",
            "accounts.views",
            "accounts.api",
            "accounts.urls",
            "api.tokens",
            "api.token_urls",
            "api.forms",
            "tracing",
            "exchanges",
            "imports",
            "exports",
            "reports",
            "retention",
            "visits",
            "medical",
            "documents",
            "referrals",
            "family",
            "followup",
            "field",
            "work",
            "notifications",
        ),
    ),  # fmt: skip
    ("demo", ("demo",)),
    ("operations", ("ops",)),
    ("composition", ("urls", "api.urls", "settings", "wsgi", "cli", "__init__")),
]

# (importing module prefix, imported module prefix): the ADR that names the reason.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("access", "registry.models"): "0004-layering.md",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found = {}
    for path in (ROOT / PACKAGE).rglob("*.py"):
        name = _module_name(path)
        if ".migrations" not in name:
            found[name] = path
    return found


MODULES = _modules()


def _imported(name: str, path: Path) -> set[str]:
    """The package's modules that `name` imports anywhere in its source, but for imports made
    for type checkers only (`if TYPE_CHECKING:`), which Python never runs."""
    here = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for inner in ast.walk(node)
    }
    targets = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here[: len(here) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from package import module` depends on the module, not on the package's
            # __init__ (which Python runs for any of its modules anyway).
            submodules = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in MODULES]
            names = len(submodules) < len(node.names)
            candidates = [*submodules, *([base] if names else [])]
        else:
            continue
        targets |= {_owning_module(c) for c in candidates if _owning_module(c)}
    return targets - {name}


def _owning_module(dotted: str) -> str | None:
    while dotted:
        if dotted in MODULES:
            return dotted
        dotted = dotted.rpartition(".")[0]
    return None


GRAPH = {name: _imported(name, path) for name, path in MODULES.items()}


def _placing(module: str) -> tuple[str, int | None]:
    """The longest prefix in LAYERS that names `module`, and its layer's rank."""
    relative = module.removeprefix(f"{PACKAGE}.") if module != PACKAGE else "__init__"
    best, rank = "", None
    for index, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            matches = relative == prefix or relative.startswith(f"{prefix}.")
            if matches and len(prefix) > len(best):
                best, rank = prefix, index
    return best, rank


def layer_of(module: str) -> int | None:
    """The rank of `module`'s layer."""
    return _placing(module)[1]


def unit_of(module: str) -> str:
    """The app (or the part of an app) that LAYERS places: what must not import in circles."""
    return _placing(module)[0]


def _excepted(importer: str, imported: str) -> bool:
    return any(
        importer.startswith(f"{PACKAGE}.{a}") and imported.startswith(f"{PACKAGE}.{b}")
        for a, b in EXCEPTIONS
    )


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one node (Tarjan, iterative)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, successors = work[-1]
            for successor in successors:
                if successor not in index:
                    index[successor] = low[successor] = counter
                    counter += 1
                    stack.append(successor)
                    on_stack.add(successor)
                    work.append((successor, iter(sorted(graph.get(successor, ())))))
                    break
                if successor in on_stack:
                    low[node] = min(low[node], index[successor])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return found


def test_every_module_of_the_package_has_a_layer():
    assert [m for m in MODULES if layer_of(m) is None] == []


def test_no_module_imports_a_module_of_a_higher_layer():
    name = {m: LAYERS[layer_of(m)][0] for m in MODULES}
    upward = sorted(
        f"{importer} ({name[importer]}) → {imported} ({name[imported]})"
        for importer, targets in GRAPH.items()
        for imported in targets
        if layer_of(imported) > layer_of(importer) and not _excepted(importer, imported)
    )
    assert upward == []


def test_no_modules_import_each_other_in_a_circle():
    assert _cycles(GRAPH) == []


def test_no_two_apps_import_each_other():
    units: dict[str, set[str]] = defaultdict(set)
    for importer, targets in GRAPH.items():
        units[unit_of(importer)] |= {unit_of(t) for t in targets} - {unit_of(importer)}
    assert _cycles(dict(units)) == []


@pytest.mark.parametrize("pair", sorted(EXCEPTIONS), ids=lambda pair: "→".join(pair))
def test_every_exception_names_an_adr_that_exists(pair):
    adr = EXCEPTIONS[pair]
    assert (ROOT / "docs" / "adr" / adr).is_file(), adr
    assert pair[0] in (ROOT / "docs" / "adr" / adr).read_text(encoding="utf-8")


def test_the_checker_sees_an_upward_import_and_a_circle():
    """The rules above would catch what they are for (so a silent reader cannot pass them)."""
    assert layer_of("safepassage.lib.text") < layer_of("safepassage.cases.guard")
    assert "safepassage.access.policy" in GRAPH["safepassage.cases.services"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
