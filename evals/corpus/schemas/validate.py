"""Load every pinned schema of this corpus, unmodified, into a real server of its own dialect.

A schema that loads here and then fails under migsmith is migsmith's failure, not the file's.
Standalone (stdlib only; needs the `psql` and `mariadb` clients for those dialects):

    python3 evals/corpus/schemas/validate.py --pg "host=/tmp/pg port=5432 user=postgres" \
        --mysql mysql://user:pass@127.0.0.1:33306/ [--only ID ...]

Each file is read from the corpus directory or the local snapshot (as evals/realworld.py does)
and checked against its sha256. PostgreSQL files run through `psql -v ON_ERROR_STOP=1` into a
fresh database; MySQL files through the `mariadb` client into a fresh database (a file may create
its own, as Sakila does); SQLite files through sqlite3's executescript in memory. The line printed
for each file gives the server version and what the load created, `tables` counted the way the
manifest counts them (see README.md). Only databases this script creates (and, for MySQL, the
ones a file itself creates) are dropped afterwards; a name that already exists is never loaded into.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).resolve().parent
MIRROR = Path(os.environ.get("MIGSMITH_MIRROR_DIR", "/work/.mirror"))
CORPUS = [Path(p) for p in filter(None, [os.environ.get("MIGSMITH_CORPUS_DIR")])] + [
    HERE.parents[2].parent / "shared" / "corpus", Path.home() / ".cache" / "migsmith" / "corpus"]


def pinned_bytes(e: dict) -> bytes:
    owner_name = e["repo"].replace("/", "+")
    for root in CORPUS:
        p = root / owner_name / e["commit"][:12] / e["path"]
        if p.is_file() and hashlib.sha256(p.read_bytes()).hexdigest() == e["sha256"]:
            return p.read_bytes()
    done = subprocess.run(["git", "--git-dir", str(MIRROR / owner_name / "repo"), "show",
                           f"{e['commit']}:{e['path']}"], capture_output=True)
    if done.returncode != 0:
        raise LookupError(f"{e['repo']}@{e['commit'][:12]}:{e['path']} is on neither path")
    if hashlib.sha256(done.stdout).hexdigest() != e["sha256"]:
        raise ValueError(f"{e['id']}: sha256 differs from the manifest")
    return done.stdout


def run(cmd: list[str], data: bytes | None = None) -> str:
    done = subprocess.run(cmd, input=data, capture_output=True)
    if done.returncode != 0:
        raise RuntimeError((done.stderr or done.stdout).decode(errors="replace").strip()[-800:])
    return done.stdout.decode()


PG_COUNTS = """
select (select count(*) from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where c.relkind in ('r','p') and n.nspname not in ('pg_catalog','information_schema')
           and n.nspname not like 'pg_toast%'
           and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass
                           and d.objid = c.oid and d.deptype = 'e')),
       (select count(*) from pg_class where relkind = 'p'),
       (select count(*) from pg_views where schemaname not in ('pg_catalog','information_schema')),
       (select count(*) from pg_matviews),
       (select count(*) from pg_trigger where not tgisinternal),
       current_setting('server_version')"""


def pg_major(conninfo: str) -> float:
    num = run(["psql", "-X", "-At", "-d", conninfo, "-c", "SHOW server_version_num"]).strip()
    return int(num) // 10000


def load_pg(e: dict, data: bytes, conninfo: str) -> tuple[str, int]:
    db = "cs_" + e["id"].replace("-", "_")
    psql = ["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1"]
    if run(psql + ["-d", conninfo, "-c", f"SELECT 1 FROM pg_database WHERE datname = '{db}'"]).strip():
        raise RuntimeError(f"database {db} already exists on that server; not loading")
    run(psql + ["-d", conninfo, "-c", f'CREATE DATABASE "{db}"'])
    try:
        run(psql + ["-d", f"{conninfo} dbname={db}", "-f", "-"], data)
        t, p, v, m, tr, ver = run(psql + ["-F", "|", "-d", f"{conninfo} dbname={db}", "-c", PG_COUNTS]).strip().split("|")
        return f"postgresql {ver.split()[0]}: tables={t} partitioned={p} views={v} matviews={m} triggers={tr}", int(t)
    finally:
        run(psql + ["-d", conninfo, "-c", f'DROP DATABASE IF EXISTS "{db}"'])


def load_mysql(e: dict, data: bytes, url: str) -> tuple[str, int]:
    u = urlparse(url)
    cli = ["mariadb", "--no-defaults", "-h", u.hostname or "127.0.0.1", "-P", str(u.port or 3306),
           "-u", u.username or "root", f"-p{u.password or ''}"]
    db = "cs_" + e["id"].replace("-", "_")
    # Only this database and the ones the file itself creates are touched (the server may be
    # shared): a file that names a database which already exists is not loaded at all.
    named = {m.group(1).decode().strip("`") for m in re.finditer(
        rb"(?im)^\s*CREATE\s+(?:SCHEMA|DATABASE)\s+(?:IF\s+NOT\s+EXISTS\s+)?(`?[\w$]+`?)", data)}
    existing = set(run(cli + ["-N", "-e", "SELECT schema_name FROM information_schema.schemata"]).split())
    clash = (named | {db}) & existing
    if clash:
        raise RuntimeError(f"database(s) {', '.join(sorted(clash))} already exist on that server; not loading")
    ours = sorted(named | {db})
    run(cli + ["-e", f"CREATE DATABASE `{db}`"])
    try:
        run(cli + [db], data)
        where = "table_schema IN (" + ",".join(f"'{s}'" for s in ours) + ")"
        q = (f"SELECT (SELECT count(*) FROM information_schema.tables WHERE {where} AND table_type='BASE TABLE'),"
             f" (SELECT count(*) FROM information_schema.views WHERE {where}),"
             f" (SELECT count(*) FROM information_schema.triggers WHERE {where.replace('table_schema', 'trigger_schema')}),"
             f" (SELECT count(*) FROM information_schema.routines WHERE {where.replace('table_schema', 'routine_schema')}),"
             " version()")
        t, v, tr, r, ver = run(cli + ["-N", "-e", q]).split("\t")
        return (f"mariadb {ver.strip().split('-')[0]}: tables={t} views={v} triggers={tr} routines={r}"
                f" databases={','.join(ours)}"), int(t)
    finally:
        for s in ours:
            run(cli + ["-e", f"DROP DATABASE IF EXISTS `{s}`"])


def load_sqlite(e: dict, data: bytes) -> tuple[str, int]:
    con = sqlite3.connect(":memory:")
    con.executescript(data.decode("utf-8"))
    rows = con.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall()
    virtual = [n for ty, n, sql in rows if ty == "table" and (sql or "").upper().startswith("CREATE VIRTUAL")]
    tables = [n for ty, n, _ in rows if ty == "table" and not any(n.startswith(v + "_") for v in virtual)]
    count = lambda kind: sum(1 for ty, _, _ in rows if ty == kind)
    return (f"sqlite {sqlite3.sqlite_version}: tables={len(tables)} (virtual={len(virtual)})"
            f" views={count('view')} triggers={count('trigger')} indexes={count('index')}"), len(tables)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pg", help="libpq conninfo of a PostgreSQL server (a superuser)")
    ap.add_argument("--mysql", help="mysql://user:pass@host:port/ of a MariaDB/MySQL server")
    ap.add_argument("--only", nargs="*", help="manifest ids to load")
    args = ap.parse_args()
    entries = [json.loads(l) for l in (HERE / "manifest.jsonl").read_text().splitlines() if l.strip()]
    failed = 0
    for e in entries:
        if args.only and e["id"] not in args.only:
            continue
        target = {"postgres": args.pg, "mysql": args.mysql, "sqlite": "memory"}[e["dialect"]]
        if not target:
            print(f"{e['id']:28} skipped: no server given for {e['dialect']}")
            continue
        try:
            data = pinned_bytes(e)
            if e["dialect"] == "postgres":
                line, tables = load_pg(e, data, target)
            elif e["dialect"] == "mysql":
                line, tables = load_mysql(e, data, target)
            else:
                line, tables = load_sqlite(e, data)
            mark = "" if tables == e.get("tables") else f"  (manifest says tables={e.get('tables')})"
            print(f"{e['id']:28} loaded on {line}{mark}")
        except Exception as exc:  # noqa: BLE001 - one line per file, whatever went wrong
            lines = str(exc).splitlines() or [type(exc).__name__]
            first = next((l for l in lines if "ERROR" in l), lines[-1]).strip()
            need = e.get("min_server_version")
            if need and e["dialect"] == "postgres" and pg_major(target) < float(need):
                print(f"{e['id']:28} not loadable here (needs PostgreSQL {need}, as the manifest says): {first}")
            else:
                failed += 1
                print(f"{e['id']:28} FAILED: {first}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
