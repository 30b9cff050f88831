"""OpenAPI additions: the problem responses every operation can answer, as components."""

from safepassage.api.problems import PROBLEM_CONTENT_TYPE, PROBLEM_TYPES

# Every rule of the guard (cases/guard.py) and "blocked", a rule of the will as a reader
# without the will's details sees it (api/problems.py); tests/api/test_schema.py holds it to them.
GUARD_RULES = [
    "blocked",
    "high_risk",
    "later_statement",
    "merged",
    "no_verified_will",
    "not_assessed",
    "not_held",
    "not_his_wish",
    "not_notified",
    "not_origin",
    "onward_blocked",
    "onward_blocked_by_will",
    "onward_risk",
    "origin_unknown",
    "refused",
    "refused_by_database",
    "risk_unknown",
    "undecided",
]
_NULLABLE_INT = {"type": "integer", "nullable": True}
_NULLABLE_STR = {"type": "string", "nullable": True}

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details. `type` is one of GET /api/v1/problems/.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "example": "/api/v1/problems/non-refoulement"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "Per-field errors of a `validation` problem.",
            "items": {
                "type": "object",
                "required": ["field", "detail"],
                "properties": {"field": _NULLABLE_STR, "detail": {"type": "string"}},
            },
        },
        "rules": {
            "type": "array",
            "description": "The guard's rules that refused the route (`non-refoulement`).",
            "items": {"type": "string"},
        },
        "violations": {
            "type": "array",
            "description": "Each rule, state and record behind a `non-refoulement` refusal.",
            "items": {
                "type": "object",
                "required": ["rule", "detail"],
                "properties": {
                    "rule": {"type": "string", "enum": GUARD_RULES},
                    "country": _NULLABLE_STR,
                    # null in a "blocked" rule, which names no state
                    "as_transit": {"type": "boolean", "nullable": True},
                    "will_expression": _NULLABLE_INT,
                    "assessment": _NULLABLE_INT,
                    "detail": {"type": "string"},
                },
            },
        },
    },
}

_READ = [400, 401, 403, 404, 406, 429]
_WRITE = [*_READ, 409, 413, 415, 422]


def _statuses(path: str, method: str) -> list[int]:
    if method == "get":
        return _READ
    statuses = list(_WRITE)
    if method == "patch":
        statuses += [412, 428]
    return statuses


def _description(status: int) -> str:
    slugs = [p.slug for p in PROBLEM_TYPES.values() if p.status == status]
    return "Problem: " + ", ".join(slugs)


def add_problem_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: document the problem answers of every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    ref = {"$ref": "#/components/schemas/Problem"}
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            statuses = [404, 406, 429] if path.startswith("/api/v1/problems") else None
            for status in statuses or _statuses(path, method):
                operation["responses"].setdefault(
                    str(status),
                    {
                        "description": _description(status),
                        "content": {PROBLEM_CONTENT_TYPE: {"schema": ref}},
                    },
                )
            operation["responses"].setdefault(
                "500",
                {
                    "description": _description(500),
                    "content": {PROBLEM_CONTENT_TYPE: {"schema": ref}},
                },
            )
    return result
