"""The function allow-list's catalog snapshot (tools/spec/pg_catalog.json, written by
scripts/pg_catalog_snapshot.py) against the pg_proc of the PostgreSQL the tests run on: every
function there is known, no name is rated less volatile than the server rates it, and every
function taking SQL text or a cursor is refused."""

from __future__ import annotations

import psycopg

from migsmith.tools.spec.functions import pg_catalog, pg_refusal

RANK = {"i": 0, "s": 1, "v": 2}


def test_snapshot_matches_the_running_servers_pg_proc(pg_server_url):
    with psycopg.connect(pg_server_url) as conn:
        rows = conn.execute("SELECT proname, provolatile, coalesce(proargnames, '{}'), "
                            "array(SELECT format_type(t, NULL) FROM unnest(proargtypes) t) "
                            "FROM pg_proc").fetchall()
        types = {r[0] for r in conn.execute(
            "SELECT typname FROM pg_type WHERE typtype IN ('b', 'd', 'e', 'r', 'm') "
            "AND typrelid = 0 AND typname NOT LIKE E'\\\\_%'").fetchall()}
    snapshot = pg_catalog()
    worst: dict[str, str] = {}
    for name, vol, _, _ in rows:
        worst[name] = max(worst.get(name, vol), vol, key=RANK.get)
    missing = sorted(set(worst) - set(snapshot["functions"]))
    assert not missing, f"{len(missing)} functions missing: run scripts/pg_catalog_snapshot.py"
    laxer = [n for n, v in worst.items() if RANK[snapshot["functions"][n]] < RANK[v]]
    assert not laxer, laxer
    assert types <= set(snapshot["types"]), sorted(types - set(snapshot["types"]))
    runs_sql = {name for name, _, args, argtypes in rows
                if {"query", "sqlquery"} & set(args) or "refcursor" in argtypes}
    assert runs_sql and all(pg_refusal(n) for n in runs_sql), \
        sorted(n for n in runs_sql if not pg_refusal(n))
