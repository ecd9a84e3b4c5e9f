"""Check tune.jsonl: every line parses, its expected spec validates against the ChangeSpec
model, and every table and column an expected operation names exists in its schema file (or is
created by an earlier operation of the same request).

    python evals/corpus/requests/check_tune.py [FILE.jsonl]

Another request file of the same shape (`evals/requests/holdout21.jsonl`) is checked the same
way, without the tuning set's own rules (the `rt-` prefix, owners A-L).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _use_this_checkout() -> None:
    """Import migsmith from this checkout, also when another one is installed (editable)."""
    import types

    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in type(f).__module__
                        and "editable" not in getattr(f, "__name__", "")]
    for name, folder in (("migsmith", "migsmith"), ("migsmith.tools", "tools")):
        mod = types.ModuleType(name)
        mod.__path__ = [str(ROOT / folder)]
        sys.modules[name] = mod


_use_this_checkout()

from migsmith.tools.schema import load_schema  # noqa: E402
from migsmith.tools.spec.changespec import parse_spec  # noqa: E402

HEX40 = re.compile(r"^[0-9a-f]{40}$")


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else Path(__file__).with_name("tune.jsonl")
    tuning = path.name == "tune.jsonl"
    problems: list[str] = []
    schemas: dict = {}
    seen: set[str] = set()
    count = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        count += 1
        where = f"{path.name}:{number}"
        case = json.loads(line)
        cid = case["id"]
        where += f" ({cid})"
        if cid in seen or (tuning and not cid.startswith("rt-")):
            problems.append(f"{where}: duplicate id or missing rt- prefix")
        seen.add(cid)
        src = case["source"]
        if not HEX40.match(src["commit"]) or not src["repo"] or not src["path"]:
            problems.append(f"{where}: bad source")
        if tuning and src["repo"].split("/")[0][0].lower() > "l":
            problems.append(f"{where}: owner outside A-L")
        ops = case["expected"]["operations"]
        if case["changes"] != len(ops):
            problems.append(f"{where}: changes={case['changes']} but {len(ops)} operations")
        try:
            parse_spec({"operations": ops, "options": case["expected"].get("options", {})})
        except Exception as exc:  # noqa: BLE001
            problems.append(f"{where}: spec does not validate: {exc}")
        key = (case["schema"], case["dialect"])
        if key not in schemas:
            schemas[key] = load_schema(str(ROOT / case["schema"]), case["dialect"])
        schema = schemas[key]
        created: dict[str, set[str]] = {}
        for op in ops:
            problems += [f"{where}: {p}" for p in check_op(op, schema, created)]
        drops = any(o["op"] in ("drop_table", "drop_column") for o in ops)
        if drops != bool(case["expected"].get("options", {}).get("allow_data_loss")):
            problems.append(f"{where}: allow_data_loss must be given exactly for drops")
    for p in problems:
        print(p)
    print(f"{count} cases, {len(problems)} problems")
    return 1 if problems else 0


def columns_of(schema, created, table):
    if table in created:
        return created[table]
    if not schema.has_table(table):
        return None
    return {c.name.lower() for c in schema.table(table).columns}


def check_op(op, schema, created):
    kind = op["op"]
    table = op.get("table")
    out = []
    if kind == "create_table":
        if schema.has_table(table):
            out.append(f"create_table {table}: already exists")
        created[table] = {c["name"].lower() for c in op["columns"]}
        return out
    if kind == "drop_index":
        if schema.find_index(op["name"]) is None:
            out.append(f"drop_index {op['name']}: no such index")
        return out
    cols = columns_of(schema, created, table)
    if cols is None:
        return [f"{kind}: unknown table {table}"]
    names: list[str] = []
    if kind == "add_column":
        name = op["column"]["name"].lower()
        if name in cols:
            out.append(f"add_column {table}.{name}: already exists")
        cols = set(cols) | {name}
        created[table] = cols
    elif kind == "rename_column":
        names.append(op["column"])
        if op["new_name"].lower() in cols:
            out.append(f"rename_column to {op['new_name']}: already exists")
        created[table] = (set(cols) - {op["column"].lower()}) | {op["new_name"].lower()}
    elif kind == "rename_table":
        if schema.has_table(op["new_name"]):
            out.append(f"rename_table to {op['new_name']}: already exists")
        created[op["new_name"]] = set(cols)
    elif kind == "drop_constraint":
        t = schema.table(table) if schema.has_table(table) else None
        if t is not None and t.constraint_named(op["name"]) is None and t.index_named(op["name"]) is None:
            out.append(f"drop_constraint {op['name']}: not on {table}")
    elif "column" in op:
        names.append(op["column"])
    names += op.get("columns", [])
    for n in names:
        if n.lower() not in cols:
            out.append(f"{kind}: unknown column {table}.{n}")
    if kind == "add_foreign_key":
        rcols = columns_of(schema, created, op["ref_table"])
        if rcols is None:
            out.append(f"add_foreign_key: unknown table {op['ref_table']}")
        else:
            out += [f"add_foreign_key: unknown column {op['ref_table']}.{c}"
                    for c in op["ref_columns"] if c.lower() not in rcols]
    return out


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
