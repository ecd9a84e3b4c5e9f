"""Plans for what depends on a change, under live traffic: a rename of a column that a view
reads, and an index added to a partitioned table.

    python -m bench.under_load_dependents --rows 100000 --repeat 3

The method and targets are bench/under_load.py's: per run a fresh clone of a loaded database,
--clients threads of short transactions (reading accounts through the view, updating and
inserting accounts, inserting into and reading the partitioned events table), a baseline, the
migration (the naive SQL, or migsmith's plan statement by statement with lock_timeout retries,
new code deployed before the contract steps), then a tail. Prints, per case and side, the
migration's duration, throughput against the baseline, client p99, the longest stall and the
client errors, and the naive/migsmith ratios; exits 1 when a migsmith run misses the targets.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # `python bench/under_load_dependents.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "bench"

import psycopg

from bench.cases import Case
from bench.metrics import median_of, window
from bench.pg import Server, apply_sql, clone, drop
from bench.under_load import TARGETS, check_targets
from bench.workload import Workload

SCHEMA = """
CREATE TABLE accounts (
    id bigserial PRIMARY KEY,
    email text NOT NULL,
    name text,
    score integer NOT NULL DEFAULT 0
);
CREATE INDEX accounts_email_lower_idx ON accounts (lower(email));
CREATE VIEW account_directory AS SELECT a.id, a.email, a.name FROM accounts a;
CREATE TABLE events (
    id bigint NOT NULL,
    account_id bigint NOT NULL,
    at timestamptz NOT NULL,
    kind text NOT NULL
) PARTITION BY RANGE (at);
CREATE TABLE events_old PARTITION OF events FOR VALUES FROM (MINVALUE) TO ('2026-01-01');
CREATE TABLE events_new PARTITION OF events FOR VALUES FROM ('2026-01-01') TO (MAXVALUE);
"""

CASES = [
    Case("rename_column_read_by_view",
         "rename accounts.email to email_address; view account_directory reads it",
         {"name": "rename_accounts_email", "operations": [{
             "op": "rename_column", "table": "accounts", "column": "email",
             "new_name": "email_address"}]},
         ["ALTER TABLE accounts RENAME COLUMN email TO email_address;"],
         new_names={"accounts.email": "email_address"}),
    Case("index_partitioned_table", "index events(account_id, at) on a partitioned table",
         {"name": "index_events_account", "operations": [{
             "op": "add_index", "table": "events", "columns": ["account_id", "at"],
             "name": "events_account_at_idx"}]},
         ["CREATE INDEX events_account_at_idx ON events (account_id, at);"]),
]


class DependentsWorkload(Workload):
    def __init__(self, url: str, clients: int, rows: int, seed: int = 1):
        super().__init__(url, clients, rows, seed)
        self.names = {"accounts.email": "email"}

    def ops(self, names):
        email = names["accounts.email"]
        return [
            # the view keeps its columns through the rename: old and new code read it alike
            (30, "read_view", ["SELECT id, email, name FROM account_directory WHERE id = %(u)s"]),
            (15, "update_account", [f"UPDATE accounts SET {email} = 'u' || %(u)s || '@x.org', "
                                    "score = score + 1 WHERE id = %(u)s"]),
            (5, "insert_account", [f"INSERT INTO accounts ({email}, name) "
                                   "VALUES ('new' || %(u)s || '@x.org', 'n')"]),
            (30, "insert_event", ["INSERT INTO events (id, account_id, at, kind) VALUES "
                                  "(%(p)s, %(u)s, now() - (%(p)s %% 700) * interval '1 day', "
                                  "'click')"]),
            (20, "read_events", ["SELECT count(*) FROM events WHERE account_id = %(u)s"]),
        ]


def load_template(server: Server, rows: int) -> str:
    name = f"bench_dependents_{rows}"
    with psycopg.connect(server.url, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return name
        conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(server.db_url(name), autocommit=True) as conn:
        conn.execute(SCHEMA)
        conn.execute("INSERT INTO accounts (email, name) SELECT 'user' || g || '@x.org', "
                     "'name ' || g FROM generate_series(1, %(n)s) g", {"n": rows})
        conn.execute("INSERT INTO events (id, account_id, at, kind) SELECT g, 1 + g %% %(n)s, "
                     "now() - (g %% 700) * interval '1 day', 'view' "
                     "FROM generate_series(1, %(n)s) g", {"n": rows})
        conn.execute("VACUUM ANALYZE")
    return name


def build(case: Case, rows: int):
    from migsmith.tools.planning.planner import build_plan
    from migsmith.tools.schema import load_ddl
    from migsmith.tools.spec.changespec import parse_spec

    import json

    schema = load_ddl(SCHEMA, "postgres")
    for table in ("accounts", "events", "events_old", "events_new"):
        schema.table(table).row_estimate = rows
    return build_plan(parse_spec(json.dumps(case.spec), source=case.name), schema)


def run_side(server: Server, template: str, case: Case, side: str, rows: int,
             clients: int, seed: int) -> dict:
    from bench.under_load import BASELINE_S, DEPLOY_DELAY_S, TAIL_S, WARMUP_S

    db = clone(server, template)
    url = server.db_url(db)
    plan = build(case, rows) if side == "migsmith" else None
    wl = DependentsWorkload(url, clients, rows, seed=seed)
    applied = []
    try:
        wl.start()
        time.sleep(WARMUP_S)
        base0 = time.perf_counter()
        time.sleep(BASELINE_S)
        base1 = time.perf_counter()
        with psycopg.connect(url, autocommit=True, application_name="bench migration") as conn:
            mig0 = time.perf_counter()
            deployed = not case.new_names

            def deploy():
                nonlocal deployed
                time.sleep(DEPLOY_DELAY_S)
                wl.deploy(case.new_names)
                deployed = True

            steps = ([(f"naive {i + 1}", sql, "contract" if i else "expand")
                      for i, sql in enumerate(case.naive)] if plan is None else
                     [(s.slug, s.up_sql, s.phase) for s in plan.steps])
            for i, (label, sql, phase) in enumerate(steps):
                if not deployed and (phase == "contract" or (plan is None and i > 0)):
                    deploy()
                applied.append(apply_sql(conn, sql, label, retry_lock_timeout=plan is not None))
            if not deployed:
                deploy()
            mig1 = time.perf_counter()
        time.sleep(TAIL_S)
        end = time.perf_counter()
    finally:
        wl.stop()
        drop(server, db)
    base, during, after = (window(wl.txns, base0, base1), window(wl.txns, mig0, mig1),
                           window(wl.txns, mig0, end))
    return {"migration_s": round(sum(a.seconds for a in applied), 3),
            "baseline_tps": base["tps"], "during_tps": during["tps"],
            "tps_ratio": round(during["tps"] / base["tps"], 3) if base["tps"] else None,
            "p99_ms": during["p99_ms"], "max_stall_ms": after["max_stall_ms"],
            "errors": after["errors"], "errors_by_sqlstate": after["errors_by_sqlstate"],
            "lock_retries": sum(a.retries for a in applied), "steps": len(applied)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--case", action="append", help="run only these cases (by name)")
    args = ap.parse_args(argv)
    chosen = [c for c in CASES if not args.case or c.name in args.case]
    server = Server()
    failed = False
    try:
        template = load_template(server, args.rows)
        print(f"PostgreSQL {server.version()}, {args.rows:,} rows, {args.clients} clients, "
              f"targets {TARGETS}")
        for case in chosen:
            medians = {}
            for side in ("naive", "migsmith"):
                runs = [run_side(server, template, case, side, args.rows, args.clients, r + 1)
                        for r in range(args.repeat)]
                for r, res in enumerate(runs, 1):
                    print(f"  {case.name:28s} {side:8s} run {r}: migration "
                          f"{res['migration_s']:.2f} s ({res['steps']} steps), stall "
                          f"{res['max_stall_ms']} ms, p99 {res['p99_ms']} ms, tps "
                          f"{res['during_tps']}/{res['baseline_tps']}, errors {res['errors']} "
                          f"{res['errors_by_sqlstate'] or ''}", flush=True)
                medians[side] = {k: median_of(runs, k) for k in (
                    "migration_s", "tps_ratio", "p99_ms", "max_stall_ms", "errors")}
            n, m = medians["naive"], medians["migsmith"]
            ok = check_targets(m)
            failed |= not all(ok.values())
            stall = (round(n["max_stall_ms"] / m["max_stall_ms"], 2)
                     if n["max_stall_ms"] and m["max_stall_ms"] else None)
            print(f"{case.name}: median naive {n}, migsmith {m}; stall naive/migsmith "
                  f"{stall}; migsmith targets {ok}", flush=True)
    finally:
        server.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
