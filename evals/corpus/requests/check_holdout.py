"""Check the held-out request corpus without scoring anything: python evals/corpus/requests/check_holdout.py

Every line of holdout.jsonl must parse, carry the fields of the format, hold operations that
ChangeSpec accepts, and name only tables, columns, indexes and constraints that exist in its
schema file (or that the same request creates first). Nothing here runs a backend.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
FIELDS = {"id", "request", "schema", "dialect", "expected", "source", "style", "changes"}


def problems_of(case: dict, schema) -> list[str]:
    out = []
    tables = {name.lower(): t for name, t in schema.tables.items()}
    indexes = {i.name.lower() for t in schema.tables.values() for i in t.indexes}
    constraints = {k.name.lower() for t in schema.tables.values() for k in t.constraints if k.name}
    made: dict[str, set[str]] = {}  # columns created or renamed into place by this request

    def has(table: str, column: str | None = None) -> bool:
        t = table.lower()
        if column is None:
            return t in tables or t in made
        known = made.get(t, set())
        if t in tables:
            known = known | {c.name.lower() for c in tables[t].columns}
        return column.lower() in known

    for op in case["expected"]["operations"]:
        kind, table = op["op"], op.get("table")
        if kind == "create_table":
            if has(table):
                out.append(f"creates {table}, which exists")
            made[table.lower()] = {c["name"].lower() for c in op["columns"]}
            continue
        if kind == "drop_index":
            if op["name"].lower() not in indexes | constraints:
                out.append(f"no index {op['name']}")
            continue
        if not has(table):
            out.append(f"no table {table}")
            continue
        named = []
        if kind == "add_column":
            if has(table, op["column"]["name"]):
                out.append(f"{table}.{op['column']['name']} exists already")
            made.setdefault(table.lower(), set()).add(op["column"]["name"].lower())
        elif "column" in op:
            named.append(op["column"])
        named += op.get("columns", [])
        for column in named:
            if not has(table, column):
                out.append(f"no column {table}.{column}")
        if kind == "rename_column":
            made.setdefault(table.lower(), set()).add(op["new_name"].lower())
        if kind == "add_foreign_key":
            for column in op["ref_columns"]:
                if not has(op["ref_table"], column):
                    out.append(f"no column {op['ref_table']}.{column}")
        if kind == "drop_constraint" and op["name"].lower() not in constraints:
            out.append(f"no constraint {op['name']} on {table}")
    drops = any(o["op"] in ("drop_column", "drop_table") for o in case["expected"]["operations"])
    if case["expected"].get("options", {}).get("allow_data_loss", False) != drops:
        out.append("allow_data_loss must be set exactly when the request drops data")
    if case["changes"] != len(case["expected"]["operations"]):
        out.append("changes must count the operations")
    return out


def main() -> int:
    sys.path.insert(0, str(ROOT))
    from migsmith.tools.schema import load_schema
    from migsmith.tools.spec import parse_spec

    cases, schemas, bad = [], {}, 0
    for number, line in enumerate((HERE / "holdout.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        case = json.loads(line)
        missing = FIELDS - case.keys()
        if missing or not case["id"].startswith("rh-") or not re.fullmatch(r"[0-9a-f]{40}", case["source"]["commit"]):
            print(f"line {number}: bad fields ({sorted(missing)})")
            bad += 1
            continue
        cases.append(case)
    ids = [c["id"] for c in cases]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        print(f"{dup}: id used twice")
        bad += 1
    for case in cases:
        key = (case["schema"], case["dialect"])
        if key not in schemas:
            schemas[key] = load_schema(str(ROOT / case["schema"]), case["dialect"])
        found = []
        try:
            parse_spec({"operations": case["expected"]["operations"],
                        "options": {"dialect": case["dialect"], **case["expected"].get("options", {})}})
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            found.append(str(exc))
        found += problems_of(case, schemas[key])
        for problem in found:
            print(f"{case['id']}: {problem}")
        bad += bool(found)
    print(f"{len(cases)} cases, {len(schemas)} schema files, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
