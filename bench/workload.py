"""Client traffic: K threads running short read and write transactions, as an app would.

Clients run "old code" (the names before the change) until the benchmark deploys "new code"
(``Workload.deploy``); every transaction is recorded with its start, end and error, so that
latency, throughput, stalls and errors can be measured afterwards.
"""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass

import psycopg

# The names code uses; a case's new code maps some of them to new names.
OLD_NAMES = {"posts.created": "created", "users.created": "created", "comments": "comments"}


@dataclass(frozen=True)
class Txn:
    start: float
    end: float
    ok: bool
    kind: str
    error: str | None = None  # SQLSTATE of a failed transaction
    client: int = 0


def _ops(names: dict[str, str]):
    pc, uc, cm = names["posts.created"], names["users.created"], names["comments"]
    # (weight, kind, statements); %(p)s a post id, %(u)s a user id
    return [
        (30, "read_post", [f"SELECT id, title, {pc} FROM posts WHERE id = %(p)s"]),
        (20, "read_user", [f"SELECT id, email, name, {uc} FROM users WHERE id = %(u)s"]),
        (15, "update_post", ["UPDATE posts SET views = views + 1 WHERE id = %(p)s"]),
        (10, "update_user", ["UPDATE users SET name = 'name ' || %(u)s WHERE id = %(u)s"]),
        (5, "insert_post", [f"INSERT INTO posts (user_id, title, status, {pc}) "
                            "VALUES (%(u)s, 'bench', 'draft', now())"]),
        (5, "insert_user", [f"INSERT INTO users (org_id, email, {uc}) "
                            "VALUES (1, 'new' || %(u)s || '@example.com', now())"]),
        # writes the referenced table first, then the referencing one (the FK deadlock order)
        (10, "comment", ["UPDATE posts SET views = views + 1 WHERE id = %(p)s",
                         f"INSERT INTO {cm} (post_id, author_id, body) VALUES (%(p)s, %(u)s, 'hi')"]),
        (5, "read_comments", [f"SELECT count(*) FROM {cm} WHERE id BETWEEN %(p)s AND %(p)s + 10"]),
    ]


class Workload:
    def __init__(self, url: str, clients: int, rows: int, seed: int = 1):
        self.url = url
        self.clients = clients
        self.rows = rows
        self.seed = seed
        self.names = dict(OLD_NAMES)
        self.version = 0  # bumped on deploy; each client rebuilds its queries
        self.stop_event = threading.Event()
        self.txns: list[Txn] = []
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []

    def ops(self, names: dict[str, str]):
        """The transactions clients run, as (weight, kind, statements) (another schema's
        benchmark overrides this)."""
        return _ops(names)

    def deploy(self, new_names: dict[str, str]) -> None:
        """Switch every client to new code (takes effect at each client's next transaction)."""
        self.names = {**self.names, **new_names}
        self.version += 1

    def start(self) -> None:
        for i in range(self.clients):
            t = threading.Thread(target=self._client, args=(i,), daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self, timeout: float = 60.0) -> None:
        self.stop_event.set()
        for t in self._threads:
            t.join(timeout)

    def _client(self, index: int) -> None:
        rng = random.Random(self.seed * 1000 + index)
        conn = psycopg.connect(self.url, autocommit=True, prepare_threshold=None,
                               application_name=f"bench client {index}")
        version, ops, weights = -1, None, None
        records = []
        try:
            while not self.stop_event.is_set():
                if version != self.version:
                    version = self.version
                    ops = self.ops(self.names)
                    weights = [w for w, _, _ in ops]
                _, kind, stmts = rng.choices(ops, weights)[0]
                params = {"p": rng.randint(1, self.rows), "u": rng.randint(1, self.rows)}
                t0 = time.perf_counter()
                error = None
                try:
                    if len(stmts) == 1:
                        conn.execute(stmts[0], params)
                    else:
                        with conn.transaction():
                            for s in stmts:
                                conn.execute(s, params)
                except psycopg.Error as exc:
                    error = exc.sqlstate or type(exc).__name__
                    if conn.closed:
                        break
                records.append(Txn(t0, time.perf_counter(), error is None, kind, error, index))
                if error:
                    time.sleep(0.001)  # an app retries its next request, not in a hot loop
        finally:
            with self._lock:
                self.txns.extend(records)
            conn.close()


class LongReader:
    """One session that reads a table then sits in its transaction for ``seconds`` (a report
    query, a forgotten psql): it holds ACCESS SHARE, so DDL waits and queues traffic behind it."""

    def __init__(self, url: str, table: str, seconds: float):
        self.url, self.table, self.seconds = url, table, seconds
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.started = threading.Event()

    def _run(self) -> None:
        with psycopg.connect(self.url, application_name="bench long reader") as conn:
            conn.execute(f"SELECT count(*) FROM {self.table} WHERE id <= 10")
            self.started.set()
            conn.execute("SELECT pg_sleep(%s)", [self.seconds])
            conn.commit()

    def start(self) -> None:
        self.thread.start()
        self.started.wait(10)

    def join(self) -> None:
        self.thread.join()
