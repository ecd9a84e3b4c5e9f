"""Catalog snapshots of a shadow database, and readable differences between two of them.

A snapshot is plain, comparable data: per table its columns (by name, not position: a column
dropped and re-created by a down step lands at the end, which is fine), types, defaults,
nullability, identity; indexes with their definition and validity; constraints with their
definition and validity; triggers; views with their definition; plus user functions and
sequences. ``diff`` turns two snapshots into sentences a person can act on.

``data_fingerprint`` adds row counts and a checksum per column (md5 of the values in key
order), so verify can tell which data a plan changed.
"""

from __future__ import annotations

from typing import Any

from migsmith.tools.schema.live_postgres import _ns_clause, read_catalog, relation_name

Snapshot = dict[str, Any]


def snapshot(conn, namespaces: list[str] | None = None, raw: dict | None = None) -> Snapshot:
    """The structure of every user relation of the database behind ``conn`` (PostgreSQL);
    ``raw``: the ``read_catalog`` facts, when just read. Each table's ``primary_key`` (its
    columns) is there for ``data_fingerprint`` and left out of ``diff``."""
    raw = read_catalog(conn, namespaces) if raw is None else raw
    tables: dict[str, dict] = {}
    by_oid: dict[int, dict] = {}
    for oid, t in raw["tables"].items():
        entry = {
            "kind": t["kind"],
            "columns": {c["name"]: {"type": c["type"], "nullable": c["nullable"],
                                    "default": c["default"], "identity": c["identity"],
                                    "generated": c["generated"]} for c in t["columns"]},
            "indexes": {i["name"]: {"definition": i["definition"], "valid": i["valid"],
                                    "form": i["form"]} for i in t["indexes"]},
            "constraints": {c["name"]: {"definition": c["definition"],
                                        "validated": c["validated"]} for c in t["constraints"]},
            "triggers": {},
            "primary_key": next((c["columns"] for c in t["constraints"]
                                 if c["kind"] == "primary_key"), []),
        }
        tables[t["name"]] = entry
        by_oid[oid] = entry
    if by_oid:
        for relid, name, definition, enabled in conn.execute(
                """SELECT tgrelid, tgname, pg_get_triggerdef(oid), tgenabled::text
                   FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY(%s)""",
                (list(by_oid),)):
            by_oid[relid]["triggers"][name] = {"definition": definition, "enabled": enabled}
        for relid, definition in conn.execute(
                "SELECT c.oid, pg_get_viewdef(c.oid, true) FROM pg_class c "
                "WHERE c.oid = ANY(%s) AND c.relkind IN ('v', 'm')", (list(by_oid),)):
            by_oid[relid]["definition"] = definition.strip()
    where, params = _ns_clause(namespaces)
    functions = {sig: digest for sig, digest in conn.execute(
        f"""SELECT p.oid::regprocedure::text, md5(pg_get_functiondef(p.oid))
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE p.prokind IN ('f', 'p') AND {where}
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid
                              AND d.deptype = 'e')""", params)}
    sequences = sorted(relation_name(ns, name, namespaces) for ns, name in conn.execute(
        f"""SELECT n.nspname, c.relname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'S' AND {where}""", params))
    return {"tables": tables, "functions": functions, "sequences": sequences}


def _fmt(value) -> str:
    if value is None or value == "":
        return "(none)"
    return str(value)


def diff(before: Snapshot, after: Snapshot, *, before_label: str = "before",
         after_label: str = "after") -> list[str]:
    """Every difference between two snapshots, one readable sentence each (empty: identical)."""
    out: list[str] = []
    b_tables, a_tables = before["tables"], after["tables"]
    for name in sorted(set(b_tables) | set(a_tables)):
        kind = (b_tables.get(name) or a_tables.get(name))["kind"]
        if name not in a_tables:
            out.append(f"{kind} {name}: exists {before_label}, missing {after_label}")
            continue
        if name not in b_tables:
            out.append(f"{kind} {name}: exists {after_label}, not {before_label} (left behind)")
            continue
        bt, at = b_tables[name], a_tables[name]
        if bt["kind"] != at["kind"]:
            out.append(f"{name}: is a {bt['kind']} {before_label}, a {at['kind']} {after_label}")
        if bt.get("definition") != at.get("definition"):
            out.append(f"view {name}: definition {before_label}: {_fmt(bt.get('definition'))}; "
                       f"{after_label}: {_fmt(at.get('definition'))}")
        for section, what in (("columns", "column"), ("indexes", "index"),
                              ("constraints", "constraint"), ("triggers", "trigger")):
            out += _diff_section(name, what, bt[section], at[section], before_label, after_label)
    for sig in sorted(set(before["functions"]) | set(after["functions"])):
        if sig not in after["functions"]:
            out.append(f"function {sig}: exists {before_label}, missing {after_label}")
        elif sig not in before["functions"]:
            out.append(f"function {sig}: exists {after_label}, not {before_label} (left behind)")
        elif before["functions"][sig] != after["functions"][sig]:
            out.append(f"function {sig}: body differs between {before_label} and {after_label}")
    for seq in sorted(set(before["sequences"]) ^ set(after["sequences"])):
        where = before_label if seq in before["sequences"] else after_label
        other = after_label if where == before_label else before_label
        out.append(f"sequence {seq}: exists {where}, not {other}")
    return out


def _diff_section(table: str, what: str, before: dict, after: dict, bl: str, al: str) -> list[str]:
    out = []
    for name in sorted(set(before) | set(after)):
        if name not in after:
            out.append(f"{table}: {what} {name}: exists {bl}, missing {al}")
        elif name not in before:
            out.append(f"{table}: {what} {name}: exists {al}, not {bl} (left behind)")
        else:
            for key in before[name]:
                if key == "form":  # compared through the definition, below
                    continue
                if key == "definition" and before[name].get("form") is not None and \
                        before[name].get("form") == after[name].get("form"):
                    continue  # one index written two ways (NORMALIZE(x) and "normalize"(x))
                if before[name][key] != after[name].get(key):
                    out.append(f"{table}: {what} {name}: {key} {bl}: {_fmt(before[name][key])}; "
                               f"{al}: {_fmt(after[name].get(key))}")
    return out


def data_fingerprint(conn, snap: Snapshot, keys: dict[str, list[str]] | None = None
                     ) -> dict[str, dict]:
    """Per table: row count and, per column, md5 of its values in primary-key order.

    ``keys``: table -> ordering columns, used when the table still has them (pass the keys of
    the first fingerprint, so a plan that drops a primary key is not mistaken for one that
    changes data); default: the primary key from the catalog, else every column. Each entry
    says which ``key`` it used. Rows are counted first, a few hundred tables per query; the
    checksums of the tables with rows are read ``FINGERPRINT_BATCH`` tables per query (an
    empty table's are known: md5 of the empty string), so a 1,000-table schema costs a few
    round trips, not a thousand."""
    import hashlib

    from psycopg import sql

    from migsmith.tools.schema.live_postgres import count_rows

    todo = []
    for name, table in snap["tables"].items():
        if table["kind"] != "table" or not table["columns"]:
            continue
        cols = list(table["columns"])
        given = (keys or {}).get(name)
        pk = given if given and all(c in table["columns"] for c in given) else \
            table.get("primary_key", [])
        todo.append((name, cols, pk))
    counts = count_rows(conn, [tuple(name.split(".")) for name, _, _ in todo])
    empty = hashlib.md5(b"").hexdigest()
    out: dict[str, dict] = {
        name: {"rows": 0, "columns": dict.fromkeys(cols, empty), "key": pk}
        for name, cols, pk in todo if not counts[tuple(name.split("."))]}
    full = [entry for entry in todo if entry[0] not in out]
    for start in range(0, len(full), FINGERPRINT_BATCH):
        batch = full[start: start + FINGERPRINT_BATCH]
        query = sql.SQL(" UNION ALL ").join(
            sql.SQL("SELECT {}, count(*), ARRAY[{}]::text[] FROM {}").format(
                sql.Literal(i), sql.SQL(", ").join(column_checksum_sql(sql.Identifier(c), pk, cols)
                                                   for c in cols),
                sql.Identifier(*name.split(".")))
            for i, (name, cols, pk) in enumerate(batch))
        for i, count, sums in conn.execute(query).fetchall():
            name, cols, pk = batch[i]
            out[name] = {"rows": count, "columns": dict(zip(cols, sums)), "key": pk}
    return {name: out[name] for name, _, _ in todo}


FINGERPRINT_BATCH = 100


def column_checksum_sql(value, key: list[str], columns: list[str] | None = None):
    """SQL for the checksum of ``value`` (a column or an expression) over a table's rows in
    ``key`` order (else ordered by every column of ``columns`` as text)."""
    from psycopg import sql

    order = (sql.SQL(", ").join(sql.Identifier(c) for c in key) if key else
             sql.SQL(", ").join(sql.SQL("{}::text").format(sql.Identifier(c))
                                for c in columns or []))
    return sql.SQL("md5(coalesce(string_agg(coalesce(({v})::text, '\\N'), ',' ORDER BY {o}), "
                   "''))").format(v=value, o=order)


def fingerprint_rows(conn, snap: Snapshot, keys: dict[str, list[str]] | None = None, *,
                     quote: str = '"') -> dict[str, dict]:
    """``data_fingerprint`` for SQLite and MySQL (any DB-API connection): the rows are read
    and hashed in Python, ordered by the key (the given one, else the primary key, else all
    columns)."""
    import hashlib

    out: dict[str, dict] = {}
    for name, table in snap["tables"].items():
        if table["kind"] != "table" or not table["columns"]:
            continue
        # a virtual table's hidden columns (fts5's own, named after the table) hold no data
        cols = [c for c, v in table["columns"].items() if v.get("generated") != "hidden"]
        given = (keys or {}).get(name)
        key = given if given and all(c in cols for c in given) else _snapshot_pk(table)
        cur = conn.cursor()
        cur.execute("SELECT " + ", ".join(f"{quote}{c}{quote}" for c in cols)
                    + f" FROM {quote}{name}{quote}")
        rows = [tuple("\\N" if v is None else str(v) for v in r) for r in cur.fetchall()]
        order = [cols.index(c) for c in key] if key else list(range(len(cols)))
        rows.sort(key=lambda r: tuple(_sortable(r[i]) for i in order))
        sums = {c: hashlib.md5(",".join(r[i] for r in rows).encode()).hexdigest()
                for i, c in enumerate(cols)}
        out[name] = {"rows": len(rows), "columns": sums, "key": key}
    return out


def _sortable(value: str):
    try:
        return (0, float(value), value)
    except ValueError:
        return (1, 0.0, value)


def _snapshot_pk(table: dict) -> list[str]:
    for con in table["constraints"].values():
        definition = con["definition"]
        if definition.upper().startswith("PRIMARY KEY"):
            inner = definition[definition.index("(") + 1: definition.rindex(")")]
            return [c.strip().strip('`"') for c in inner.split(",")]
    return []
