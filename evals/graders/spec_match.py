"""Spec match: did the request become the operations the case expects?

Precision and recall over operations. An expected operation (a subset of fields) is paired
with the actual operation of the same kind on the same table that agrees on the most fields;
a pair counts as correct only when every expected field agrees, and the first field that
differs is reported. Values compare the way the planner would print them (types and
expressions canonicalized for the case's dialect, case and spacing ignored).
"""

from __future__ import annotations

import re
from typing import Any

from migsmith.evals.graders.base import GradeResult, RunOutput

NAME = "spec_match"

# Fields that hold a type or an SQL expression: compared in canonical form.
_TYPE_FIELDS = {"type", "new_type"}
_EXPR_FIELDS = {"default", "expression", "where", "using"}


def grade(case, result: RunOutput) -> GradeResult | None:
    expected = case.expect.operations
    if case.request is None or (expected is None and case.expect.options is None):
        return None
    if result.spec is None:
        return GradeResult(NAME, False, 0.0, "no spec was produced",
                           data={"precision": 0.0, "recall": 0.0})
    dialect = case.dialect
    actual = [op.model_dump(mode="json", exclude_none=True) for op in result.spec.operations]
    problems: list[str] = []
    correct = 0
    if expected is not None:
        pairs, unmatched = match_operations(expected, actual, dialect)
        for exp, act in pairs:
            diff = first_difference(exp, act, dialect)
            if diff is None:
                correct += 1
            else:
                problems.append(f"{_label(exp)}: {diff}")
        problems += [f"missing operation {_label(e)}" for e in unmatched]
        paired = {id(a) for _, a in pairs}
        problems += [f"unexpected operation {_label(a)}" for a in actual if id(a) not in paired]
        precision = correct / len(actual) if actual else (1.0 if not expected else 0.0)
        recall = correct / len(expected) if expected else (1.0 if not actual else 0.0)
    else:
        precision = recall = 1.0
    opts = result.spec.options.model_dump(mode="json")
    options_ok = True
    for key, want in (case.expect.options or {}).items():
        if not _same(key, want, opts.get(key), dialect):
            options_ok = False
            problems.append(f"options.{key}: expected {want!r}, got {opts.get(key)!r}")
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    passed = not problems
    details = "all operations match" if passed else "; ".join(problems)
    # Wrong options (e.g. a missed "we can take downtime") halve an otherwise right spec.
    return GradeResult(NAME, passed, f1 if options_ok else f1 / 2, details,
                       data={"precision": round(precision, 4), "recall": round(recall, 4),
                             "expected": len(expected or []), "actual": len(actual),
                             "correct": correct})


def match_operations(expected: list[dict], actual: list[dict], dialect: str):
    """Greedy pairing, most specific expectation first; returns (pairs, unmatched expected)."""
    free = list(actual)
    pairs, unmatched = [], []
    for exp in sorted(expected, key=lambda e: -len(e)):
        candidates = [a for a in free if a.get("op") == exp.get("op")
                      and _norm_table(a.get("table")) == _norm_table(exp.get("table"))]
        if not candidates:
            unmatched.append(exp)
            continue
        best = max(candidates, key=lambda a: _agreement(exp, a, dialect))
        free.remove(best)
        pairs.append((exp, best))
    order = {id(e): i for i, e in enumerate(expected)}
    pairs.sort(key=lambda p: order[id(p[0])])
    return pairs, unmatched


def first_difference(exp: Any, act: Any, dialect: str, path: str = "") -> str | None:
    """The first field where ``act`` does not match the expected subset ``exp``."""
    if isinstance(exp, dict):
        if not isinstance(act, dict):
            return f"{path or 'value'}: expected an object, got {act!r}"
        for key, want in exp.items():
            where = f"{path}.{key}" if path else key
            if key not in act:
                if want in (None, False, []):  # defaults that exclude_none/unset drop
                    continue
                return f"{where}: expected {want!r}, missing"
            if isinstance(want, dict) or _is_object_list(want):
                diff = first_difference(want, act[key], dialect, where)
                if diff:
                    return diff
            elif not _same(key, want, act[key], dialect):
                return f"{where}: expected {want!r}, got {act[key]!r}"
        return None
    if _is_object_list(exp):  # e.g. create_table columns: each item a subset, in order
        if not isinstance(act, list) or len(act) != len(exp):
            names = [a.get("name") if isinstance(a, dict) else a for a in act or []]
            return f"{path}: expected {len(exp)} items, got {len(act or [])}: {names}"
        for i, (w, a) in enumerate(zip(exp, act)):
            diff = first_difference(w, a, dialect, f"{path}.{i}")
            if diff:
                return diff
        return None
    key = path.rsplit(".", 1)[-1]
    return None if _same(key, exp, act, dialect) else f"{path}: expected {exp!r}, got {act!r}"


def _is_object_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _agreement(exp: dict, act: dict, dialect: str) -> int:
    score = 0
    for key, want in exp.items():
        if isinstance(want, dict) and isinstance(act.get(key), dict):
            score += sum(1 for k, v in want.items() if _same(k, v, act[key].get(k), dialect))
        elif _same(key, want, act.get(key), dialect):
            score += 1
    return score


def _same(key: str, want: Any, got: Any, dialect: str) -> bool:
    if isinstance(want, list) and isinstance(got, list):
        return len(want) == len(got) and all(_same(key, w, g, dialect) for w, g in zip(want, got))
    if isinstance(want, str) and isinstance(got, str):
        return _canon(key, want, dialect) == _canon(key, got, dialect)
    return want == got


def _canon(key: str, value: str, dialect: str) -> str:
    from migsmith.tools.errors import MigsmithError

    try:
        if key in _TYPE_FIELDS:
            from migsmith.tools.spec.expressions import check_type

            value = check_type(value, dialect)
        elif key in _EXPR_FIELDS:
            from migsmith.tools.spec.expressions import check_expression

            value = check_expression(value, dialect)
    except (MigsmithError, Exception):  # an unparsable value still compares as text
        pass
    return re.sub(r"\s+", " ", value.strip().strip('"`').lower())


def _norm_table(name: Any) -> str | None:
    if not isinstance(name, str):
        return None
    name = name.strip().strip('"`').lower()
    return name.removeprefix("public.")


def _label(op: dict) -> str:
    col = op.get("column")
    col = col.get("name") if isinstance(col, dict) else col
    target = ".".join(str(p) for p in (op.get("table"), col or op.get("name")) if p)
    return f"{op.get('op')} {target}".strip()
