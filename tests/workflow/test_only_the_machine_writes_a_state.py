"""No code outside the state machine writes the state of a case or a batch, or the status of a
tracing request: every change is an edge of its table and writes its row."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2] / "safepassage"
# Only cases and batches have a `state`; tracing requests have a `status` among other models'.
STATE = "state"
OTHER_STATUSES = {"CandidateStatus", "PairStatus", "RefreshStatus"}  # tracing's other models


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, ast.parse(path.read_text(encoding="utf-8"))


def _targets(node: ast.AST):
    if isinstance(node, ast.Tuple | ast.List):
        for element in node.elts:
            yield from _targets(element)
    else:
        yield node


def _writes(tree: ast.AST):
    """(attribute, value, line) of every assignment to an attribute, `setattr` with a constant
    name, and `.update(state=…)` / `.update(status=…)`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in (t for each in targets for t in _targets(each)):
                if isinstance(target, ast.Attribute):
                    yield target.attr, node.value, node.lineno
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute):
            name = node.func.id if isinstance(node.func, ast.Name) else node.func.attr
            if name == "setattr" and len(node.args) == 3:
                attribute = node.args[1]
                if isinstance(attribute, ast.Constant):
                    yield attribute.value, node.args[2], node.lineno
            elif name == "update":
                for keyword in node.keywords:
                    yield keyword.arg, keyword.value, node.lineno


def _writes_a_tracing_status(path: Path, value: ast.AST) -> bool:
    named = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
    if "TracingStatus" in named:
        return True
    # In the tracing app any other status written is one of its other models' choices.
    return "tracing" in path.parts and not named & OTHER_STATUSES


def test_no_code_outside_the_machine_writes_a_workflow_state():
    found = []
    for path, tree in _sources():
        for attribute, value, line in _writes(tree):
            is_state = attribute == STATE
            is_status = attribute == "status" and _writes_a_tracing_status(path, value)
            if is_state or is_status:
                found.append(f"{path.relative_to(ROOT.parent)}:{line}")
    assert found == []


def test_the_scan_finds_a_write_behind_the_machines_back(tmp_path):
    tree = ast.parse(
        "case.state = 'closed'\n"
        "request.status = TracingStatus.OPEN\n"
        "setattr(batch, 'state', target)\n"
        "Case.objects.filter(pk=1).update(state='closed')\n"
        "transfer.status = TransferStatus.CANCELLED\n"
    )
    writes = [
        (attribute, line)
        for attribute, value, line in _writes(tree)
        if attribute == STATE or _writes_a_tracing_status(tmp_path / "x.py", value)
    ]
    assert writes == [("state", 1), ("status", 2), ("state", 3), ("state", 4)]
