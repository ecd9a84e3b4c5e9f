"""Catalog snapshots of MySQL/MariaDB and SQLite databases, in the shape of ``catalog.snapshot``.

Same contract as the PostgreSQL snapshot, so ``catalog.diff`` compares them: per table its
columns by name (a column re-created by a down step lands at the end, which is fine), indexes
and constraints with a normalized definition, triggers, and views with their definition; plus
routines. MySQL is read from information_schema; SQLite from sqlite_schema and pragmas.
"""

from __future__ import annotations

import hashlib
from typing import Any

Snapshot = dict[str, Any]


def _rows(conn, sql: str, params: tuple = ()) -> list[dict]:
    with conn.cursor() as cur:
        cur.execute(sql, params)
        names = [d[0].lower() for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]


def _table(kind: str = "table") -> dict:
    return {"kind": kind, "columns": {}, "indexes": {}, "constraints": {}, "triggers": {}}


# --------------------------------------------------------------------------- MySQL / MariaDB
def mysql_default(raw, extra: str, mariadb: bool) -> str | None:
    """COLUMN_DEFAULT as SQL text. MariaDB already stores SQL ('x', NULL, current_timestamp());
    MySQL stores the bare value and flags expressions with DEFAULT_GENERATED."""
    if raw is None:
        return None
    text = str(raw)
    if mariadb:
        return None if text.upper() == "NULL" else text
    if "DEFAULT_GENERATED" in (extra or "").upper() or text.upper().startswith("CURRENT_TIMESTAMP"):
        return text
    try:
        float(text)
        return text
    except ValueError:
        return "'" + text.replace("'", "''") + "'"


def is_mariadb(conn) -> bool:
    return "mariadb" in _rows(conn, "SELECT VERSION() AS v")[0]["v"].lower()


def snapshot_mysql(conn) -> Snapshot:
    """The structure of every table, view, trigger and routine of the current database."""
    mariadb = is_mariadb(conn)
    tables: dict[str, dict] = {}
    for r in _rows(conn, "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES "
                         "WHERE TABLE_SCHEMA = DATABASE()"):
        tables[r["table_name"]] = _table("view" if r["table_type"] == "VIEW" else "table")
    for r in _rows(conn, """SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE,
                                   COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION
                            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()
                            ORDER BY TABLE_NAME, ORDINAL_POSITION"""):
        t = tables.get(r["table_name"])
        if t is None:
            continue
        extra = (r["extra"] or "").lower()
        t["columns"][r["column_name"]] = {
            "type": r["column_type"], "nullable": r["is_nullable"] == "YES",
            "default": mysql_default(r["column_default"], r["extra"], mariadb),
            "identity": "auto_increment" in extra,
            "generated": r["generation_expression"] or "" if "generated" in extra and
            "default_generated" not in extra else ""}
    index_cols: dict[tuple[str, str], list] = {}
    for r in _rows(conn, """SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME,
                                   SUB_PART, INDEX_TYPE
                            FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()
                            ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX"""):
        key = (r["table_name"], r["index_name"])
        col = r["column_name"] + (f"({r['sub_part']})" if r["sub_part"] else "")
        entry = index_cols.setdefault(key, [int(r["non_unique"]) == 0, r["index_type"], []])
        entry[2].append(col)
    for (table, name), (unique, method, cols) in index_cols.items():
        if table in tables:
            tables[table]["indexes"][name] = {
                "definition": f"{'UNIQUE ' if unique else ''}{method} ({', '.join(cols)})",
                "valid": True}
    key_cols: dict[tuple[str, str], list] = {}
    for r in _rows(conn, """SELECT TABLE_NAME, CONSTRAINT_NAME, COLUMN_NAME,
                                   REFERENCED_TABLE_NAME, REFERENCED_COLUMN_NAME
                            FROM information_schema.KEY_COLUMN_USAGE
                            WHERE TABLE_SCHEMA = DATABASE()
                            ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION"""):
        key_cols.setdefault((r["table_name"], r["constraint_name"]), []).append(r)
    rules = {(r["table_name"], r["constraint_name"]): r for r in _rows(
        conn, """SELECT TABLE_NAME, CONSTRAINT_NAME, UPDATE_RULE, DELETE_RULE
                 FROM information_schema.REFERENTIAL_CONSTRAINTS
                 WHERE CONSTRAINT_SCHEMA = DATABASE()""")}
    checks = _mysql_checks(conn, mariadb)
    for r in _rows(conn, """SELECT TABLE_NAME, CONSTRAINT_NAME, CONSTRAINT_TYPE
                            FROM information_schema.TABLE_CONSTRAINTS
                            WHERE TABLE_SCHEMA = DATABASE()"""):
        table, name, kind = r["table_name"], r["constraint_name"], r["constraint_type"]
        if table not in tables:
            continue
        cols = key_cols.get((table, name), [])
        names = ", ".join(c["column_name"] for c in cols)
        if kind == "FOREIGN KEY":
            rule = rules.get((table, name), {})
            definition = (f"FOREIGN KEY ({names}) REFERENCES {cols[0]['referenced_table_name']} "
                          f"({', '.join(c['referenced_column_name'] for c in cols)}) "
                          f"ON DELETE {rule.get('delete_rule', '')} "
                          f"ON UPDATE {rule.get('update_rule', '')}")
        elif kind == "CHECK":
            definition = f"CHECK ({checks.get((table, name), '')})"
        else:
            definition = f"{kind} ({names})"
        tables[table]["constraints"][name] = {"definition": definition, "validated": True}
    for r in _rows(conn, """SELECT TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_TIMING,
                                   EVENT_MANIPULATION, ACTION_STATEMENT
                            FROM information_schema.TRIGGERS
                            WHERE TRIGGER_SCHEMA = DATABASE()"""):
        if r["event_object_table"] in tables:
            tables[r["event_object_table"]]["triggers"][r["trigger_name"]] = {
                "definition": f"{r['action_timing']} {r['event_manipulation']} "
                              f"{' '.join(r['action_statement'].split())}",
                "enabled": "O"}
    # The server qualifies names in a view with its database: drop that, so copies compare.
    db = _rows(conn, "SELECT DATABASE() AS db")[0]["db"]
    for r in _rows(conn, "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS "
                         "WHERE TABLE_SCHEMA = DATABASE()"):
        if r["table_name"] in tables:
            text = (r["view_definition"] or "").replace(f"`{db}`.", "")
            tables[r["table_name"]]["definition"] = " ".join(text.split())
    functions = {f"{r['routine_type'].lower()} {r['routine_name']}": hashlib.md5(
        (r["routine_definition"] or "").encode()).hexdigest()
        for r in _rows(conn, """SELECT ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_DEFINITION
                                FROM information_schema.ROUTINES
                                WHERE ROUTINE_SCHEMA = DATABASE()""")}
    return {"tables": tables, "functions": functions, "sequences": []}


def _mysql_checks(conn, mariadb: bool) -> dict[tuple[str, str], str]:
    if mariadb:  # MariaDB's CHECK_CONSTRAINTS names the table
        rows = _rows(conn, """SELECT TABLE_NAME, CONSTRAINT_NAME, CHECK_CLAUSE
                              FROM information_schema.CHECK_CONSTRAINTS
                              WHERE CONSTRAINT_SCHEMA = DATABASE()""")
    else:  # MySQL's does not: constraint names are unique per schema there
        rows = _rows(conn, """SELECT tc.TABLE_NAME, cc.CONSTRAINT_NAME, cc.CHECK_CLAUSE
                              FROM information_schema.CHECK_CONSTRAINTS cc
                              JOIN information_schema.TABLE_CONSTRAINTS tc
                                ON tc.CONSTRAINT_SCHEMA = cc.CONSTRAINT_SCHEMA
                               AND tc.CONSTRAINT_NAME = cc.CONSTRAINT_NAME
                               AND tc.CONSTRAINT_TYPE = 'CHECK'
                              WHERE cc.CONSTRAINT_SCHEMA = DATABASE()""")
    return {(r["table_name"], r["constraint_name"]): r["check_clause"] for r in rows}


# --------------------------------------------------------------------------- SQLite
def _sqlite_rows(conn, sql: str, params: tuple = ()) -> list[dict]:
    cur = conn.execute(sql, params)
    names = [d[0].lower() for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def _unquoted(sql: str) -> str:
    """SQL text with identifier quotes dropped and whitespace collapsed, for comparison."""
    return " ".join(sql.replace('"', "").replace("`", "").split())


def snapshot_sqlite(conn) -> Snapshot:
    """The structure of every table, view and trigger of the main database of ``conn``."""
    from migsmith.tools.schema.live_sqlite import table_checks

    tables: dict[str, dict] = {}
    master = _sqlite_rows(conn, "SELECT type, name, tbl_name, sql FROM sqlite_master "
                                "WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
    for r in master:
        if r["type"] in ("table", "view"):
            tables[r["name"]] = _table(r["type"])
            if r["type"] == "view":
                tables[r["name"]]["definition"] = _unquoted(r["sql"] or "")
    for name, t in tables.items():
        if t["kind"] != "table":
            continue
        pk_cols = []
        for c in _sqlite_rows(conn, "SELECT * FROM pragma_table_xinfo(?)", (name,)):
            t["columns"][c["name"]] = {
                "type": c["type"].lower(), "nullable": not c["notnull"] and not c["pk"],
                "default": c["dflt_value"], "identity": False,
                "generated": {0: "", 1: "hidden"}.get(c["hidden"], "generated")}
            if c["pk"]:
                pk_cols.append((c["pk"], c["name"]))
        if len(pk_cols) == 1 and t["columns"][pk_cols[0][1]]["type"] == "integer":
            t["columns"][pk_cols[0][1]]["identity"] = True  # the rowid alias
        if pk_cols:
            t["constraints"]["primary key"] = {
                "definition": "PRIMARY KEY (" + ", ".join(n for _, n in sorted(pk_cols)) + ")",
                "validated": True}
        sql_by_name = {r["name"]: r["sql"] for r in master if r["type"] == "index"}
        for idx in _sqlite_rows(conn, "SELECT * FROM pragma_index_list(?)", (name,)):
            cols = [c["name"] if c["name"] is not None else "<expr>" for c in _sqlite_rows(
                conn, "SELECT * FROM pragma_index_info(?) ORDER BY seqno", (idx["name"],))]
            if idx["origin"] == "c":
                # Built from the pragmas, not the stored SQL: RENAME COLUMN rewrites that text
                # (quoting names) without changing the index.
                definition = ("UNIQUE " if idx["unique"] else "") + "(" + ", ".join(cols) + ")"
                sql = sql_by_name.get(idx["name"]) or ""
                if idx["partial"] and " where " in sql.lower():
                    definition += " WHERE " + _unquoted(sql[sql.lower().rindex(" where ") + 7:])
                t["indexes"][idx["name"]] = {"definition": definition, "valid": True}
            elif idx["origin"] == "u":
                # Auto-index names depend on position; name the unique constraint by its columns.
                t["constraints"]["unique (" + ", ".join(cols) + ")"] = {
                    "definition": "UNIQUE (" + ", ".join(cols) + ")", "validated": True}
        fks: dict[int, list[dict]] = {}
        for fk in _sqlite_rows(conn, "SELECT * FROM pragma_foreign_key_list(?)", (name,)):
            fks.setdefault(fk["id"], []).append(fk)
        for parts in fks.values():
            parts.sort(key=lambda p: p["seq"])
            cols = ", ".join(p["from"] for p in parts)
            refs = ", ".join(p["to"] or "" for p in parts)
            definition = (f"FOREIGN KEY ({cols}) REFERENCES {parts[0]['table']} ({refs}) "
                          f"ON DELETE {parts[0]['on_delete']} ON UPDATE {parts[0]['on_update']}")
            t["constraints"][f"foreign key ({cols})"] = {"definition": definition,
                                                         "validated": True}
        table_sql = next((r["sql"] for r in master if r["type"] == "table" and r["name"] == name), "")
        for cname, expression in table_checks(table_sql, name):
            t["constraints"][cname] = {"definition": f"CHECK ({expression})", "validated": True}
    for r in master:
        if r["type"] == "trigger" and r["tbl_name"] in tables:
            tables[r["tbl_name"]]["triggers"][r["name"]] = {
                "definition": _unquoted(r["sql"] or ""), "enabled": "O"}
    return {"tables": tables, "functions": {}, "sequences": []}
