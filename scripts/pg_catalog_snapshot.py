#!/usr/bin/env python3
"""Regenerate tools/spec/pg_catalog.json from real PostgreSQL servers.

    .venv/bin/python scripts/pg_catalog_snapshot.py            # writes tools/spec/pg_catalog.json
    .venv/bin/python scripts/pg_catalog_snapshot.py --check    # exit 1 if the file is stale

Each server found here is started in a temp dir (the pgserver wheel's PostgreSQL, and every
Debian PostgreSQL under /usr/lib/postgresql), every extension it can install is created in one
database, and pg_proc / pg_type are read back. The snapshot holds, per function name, the most
volatile ``provolatile`` over all its overloads and servers (a name is only as safe as its worst
overload, since a fragment is checked before PostgreSQL resolves the overload), the functions
that take SQL text or a relation to read as an argument, and the type names.

tools/spec/functions.py reads it; tests/core/test_functions.py checks it against the running
shadow's own pg_proc.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tools" / "spec" / "pg_catalog.json"
RANK = {"i": 0, "s": 1, "v": 2}

# Arguments whose text PostgreSQL runs as SQL (query_to_xml(query text), ts_stat(sqlquery),
# crosstab(source_sql), dblink(sql)) or that name a relation the function reads in full
# (table_to_xml(tbl regclass), xpath_table(relname, criteria), connectby(relname, ...)).
SQL_ARGUMENT_NAMES = ("query", "sqlquery", "sql", "source_sql", "category_sql", "relname",
                      "tbl", "criteria", "cursor", "schema", "sql_stmt")

FUNCTIONS = """
SELECT p.proname, p.provolatile, coalesce(p.proargnames, '{}'::text[]),
       array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) t)
FROM pg_proc p
"""
TYPES = "SELECT DISTINCT typname FROM pg_type WHERE typtype IN ('b', 'd', 'e', 'r', 'm') " \
        "AND typname NOT LIKE E'\\\\_%' AND typrelid = 0"


def _servers():
    """(label, initdb, pg_ctl) for every PostgreSQL found on this machine."""
    from migsmith.tools.proving.shadow import postgres as pg

    bin_dir, _ = pg._pgserver_binaries()
    if bin_dir:
        yield "pgserver wheel", os.path.join(bin_dir, "initdb"), os.path.join(bin_dir, "pg_ctl")
    root = "/usr/lib/postgresql"
    if os.path.isdir(root):
        for version in sorted(os.listdir(root)):
            initdb = os.path.join(root, version, "bin", "initdb")
            if os.access(initdb, os.X_OK):
                yield f"Debian PostgreSQL {version}", initdb, os.path.join(root, version, "bin",
                                                                           "pg_ctl")


def read_server(initdb: str, pg_ctl: str) -> tuple[str, list, list[str]]:
    import psycopg

    from migsmith.tools.proving.shadow import postgres as pg

    pgserver_bin, pgserver_user = pg._pgserver_binaries()
    user = pg._system_user("postgres") if pg._is_root() else None
    if pgserver_bin and initdb.startswith(pgserver_bin):
        user = pgserver_user
    shadow = pg._start_cluster(initdb, pg_ctl, user)
    try:
        with psycopg.connect(shadow.server_url, autocommit=True) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
            conn.execute("CREATE DATABASE snapshot")
        with psycopg.connect(pg.with_dbname(shadow.server_url, "snapshot"),
                             autocommit=True) as conn:
            names = [r[0] for r in conn.execute(
                "SELECT name FROM pg_available_extensions ORDER BY name").fetchall()]
            for name in names:
                try:
                    conn.execute(f'CREATE EXTENSION IF NOT EXISTS "{name}" CASCADE')
                except psycopg.Error:
                    pass  # needs a library this build lacks, or conflicts with another one
            functions = conn.execute(FUNCTIONS).fetchall()
            types = [r[0] for r in conn.execute(TYPES).fetchall()]
        return version, functions, types
    finally:
        shadow.close()


def snapshot() -> dict:
    volatility: dict[str, str] = {}
    sql_text: set[str] = set()
    types: set[str] = set()
    sources = []
    for label, initdb, pg_ctl in _servers():
        version, functions, names = read_server(initdb, pg_ctl)
        sources.append(f"{label} {version.split()[0]} with every extension it can create")
        for name, vol, argnames, argtypes in functions:
            volatility[name] = max(volatility.get(name, vol), vol, key=RANK.get)
            if any(a in SQL_ARGUMENT_NAMES for a in argnames) or "refcursor" in argtypes:
                sql_text.add(name)
        types.update(names)
    if not sources:
        raise SystemExit("no PostgreSQL found (install the pgserver wheel or Debian's "
                         "postgresql)")
    return {"generated_by": "scripts/pg_catalog_snapshot.py", "sources": sources,
            "functions": dict(sorted(volatility.items())),
            "sql_argument_functions": sorted(sql_text), "types": sorted(types)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    data = snapshot()
    text = json.dumps(data, indent=0, sort_keys=False) + "\n"
    if args.check:
        same = OUT.is_file() and json.loads(OUT.read_text()) == data
        print(f"{OUT}: {'up to date' if same else 'STALE'}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}: {len(data['functions'])} function names, "
          f"{len(data['sql_argument_functions'])} taking SQL text or a relation, "
          f"{len(data['types'])} types, from {'; '.join(data['sources'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
