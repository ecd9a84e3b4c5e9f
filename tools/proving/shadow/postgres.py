"""PostgreSQL shadow servers: the pgserver wheel, initdb/pg_ctl on PATH, or a server the user
(or a test fixture) already runs. Each plan gets a fresh database made with CREATE DATABASE.

Start order when nothing is given: the ``pgserver`` wheel (PostgreSQL 16 in a temp dir, about
a second to start; as root it runs the server as its own ``pgserver`` system user), else
``initdb``/``pg_ctl`` found on PATH (as root they run as the ``postgres`` system user, because
PostgreSQL refuses to run as root).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
import warnings
from collections.abc import Iterator

from migsmith.tools.running.executor import Statement
from migsmith.tools.proving.shadow.base import ShadowDatabase, ShadowError, ShadowServer, ShadowSession

SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


def _connect(conninfo: str, **kwargs):
    import psycopg

    from migsmith.tools.schema.live import redact_url

    try:
        return psycopg.connect(conninfo, connect_timeout=10, **kwargs)
    except psycopg.Error as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ShadowError(f"cannot connect to shadow database {redact_url(conninfo)}: {first}"
                          ) from None


def check_server(url: str) -> None:
    """ShadowError (one line) unless ``url`` is a PostgreSQL server this process can reach."""
    _connect(url).close()


def with_dbname(url: str, dbname: str, **extra) -> str:
    """``url`` pointing at another database (and with extra libpq options)."""
    from psycopg.conninfo import make_conninfo

    return make_conninfo(url, dbname=dbname, **extra)


class PostgresShadow(ShadowServer):
    """Fresh databases on one PostgreSQL server (which this object may have started)."""

    dialect = "postgres"

    def __init__(self, server_url: str, *, stop=None, fallback_database: str | None = None,
                 spares: int = 0):
        self.server_url = server_url
        self._spares = spares  # empty databases to keep made ahead on this (long-lived) server
        self._stop = stop  # how to stop the server this object started (None: not ours)
        # With a user's --shadow-db and no CREATEDB right, plans run in throwaway schemas of
        # that database instead of throwaway databases.
        self._fallback_database = fallback_database
        self._closed = False
        self._made: set[str] = set()  # databases (or schemas) made here and not dropped yet
        self.build = None  # the server build started here (pg_builds.Build), if any
        self.note: str | None = None  # why it is not the plan's target version, if so

    # ------------------------------------------------------------------ databases
    @contextlib.contextmanager
    def database(self, label: str = "plan") -> Iterator[ShadowDatabase]:
        import psycopg

        from migsmith.tools.signals import deferred

        name = SPARES.take(self.server_url) if self._spares else None
        try:
            with deferred():  # a database made is a database recorded, so it is dropped
                if name is None:
                    name = f"migsmith_{label}_{uuid.uuid4().hex[:10]}"
                    with _connect(self.server_url, autocommit=True) as conn:
                        conn.execute(f'CREATE DATABASE "{name}"')
                self._made.add(name)
            if self._spares:
                SPARES.refill(self.server_url, self._spares)
        except psycopg.errors.InsufficientPrivilege:
            if self._fallback_database is None:
                raise ShadowError("the shadow server refuses CREATE DATABASE: give a role with "
                                  "CREATEDB, or --shadow-db URL of an empty database") from None
            with self._schema(name) as db:
                yield db
            return
        owner = None
        try:
            owner = self._owner(name)
            yield self._owned(name, owner)
        finally:
            self._drop_database(name, owner)
            self._made.discard(name)

    def _owner(self, name: str):
        """The unprivileged role the schema and the plan run as on database ``name``."""
        from migsmith.tools.proving.shadow.pg_owner import make_owner

        with _connect(self.server_url, autocommit=True) as conn:
            return make_owner(conn, name)

    def _owned(self, name: str, owner) -> ShadowDatabase:
        admin = with_dbname(self.server_url, name)
        if owner is None:
            return ShadowDatabase("postgres", admin, name)
        url = with_dbname(self.server_url, name, user=owner.role, password=owner.password)
        try:
            _connect(url).close()
        except ShadowError as exc:
            raise ShadowError(f"the shadow server does not let the role migsmith made for the "
                              f"shadow database log in ({exc.message})",
                              hint="allow password logins for new roles (pg_hba.conf), or give "
                                   "--shadow-db a role that is not a superuser") from None
        return ShadowDatabase("postgres", url, name, admin_url=admin)

    def _drop_database(self, name: str, owner=None) -> None:
        import psycopg

        from migsmith.tools.proving.shadow.pg_owner import drop_owner

        with contextlib.suppress(psycopg.Error, ShadowError):
            with _connect(self.server_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                drop_owner(conn, owner)

    @contextlib.contextmanager
    def _schema(self, name: str) -> Iterator[ShadowDatabase]:
        import psycopg

        from migsmith.tools.proving.shadow.pg_owner import refuse_privileged

        url = with_dbname(self.server_url, self._fallback_database)
        with _connect(url, autocommit=True) as conn:
            refuse_privileged(conn, "verifying in a throwaway schema of the --shadow-db database")
            conn.execute(f'CREATE SCHEMA "{name}"')
        try:
            yield ShadowDatabase("postgres", with_dbname(url, self._fallback_database,
                                                         options=f"-c search_path={name}"),
                                 name, namespace=name)
        finally:
            with contextlib.suppress(psycopg.Error, ShadowError):
                with _connect(url, autocommit=True) as conn:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')

    def session(self, db: ShadowDatabase) -> PostgresSession:
        return PostgresSession(db)

    def interrupt(self) -> None:
        import psycopg

        if not self._made:
            return
        with contextlib.suppress(psycopg.Error, ShadowError):
            with _connect(self.server_url, autocommit=True) as conn:
                conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE pid <> pg_backend_pid() AND (datname = ANY(%s) OR "
                             "application_name = ANY(%s))",
                             (list(self._made), list(self._made)))

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._stop is not None:
            self._stop()


class _Spares:
    """Empty databases made ahead of time on long-lived servers (the test session's, a
    benchmark's, an eval run's): CREATE DATABASE takes from tens to hundreds of milliseconds,
    so the next plan's database is made in the background while this one is verified. The
    ones still unused are dropped when the process exits."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._ready: dict[str, list[str]] = {}
        self._making: dict[str, int] = {}
        self._registered = False

    def take(self, url: str) -> str | None:
        with self._lock:
            names = self._ready.get(url)
            return names.pop() if names else None

    def refill(self, url: str, want: int) -> None:
        with self._lock:
            missing = want - len(self._ready.get(url, [])) - self._making.get(url, 0)
            if missing <= 0:
                return
            self._making[url] = self._making.get(url, 0) + missing
            if not self._registered:
                import atexit

                atexit.register(self.drop_all)
                self._registered = True
        threading.Thread(target=self._make, args=(url, missing), daemon=True).start()

    def _make(self, url: str, count: int) -> None:
        import psycopg

        for _ in range(count):
            name = f"migsmith_spare_{uuid.uuid4().hex[:10]}"
            try:
                with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
                    conn.execute(f'CREATE DATABASE "{name}"')
            except psycopg.Error:
                name = None
            with self._lock:
                self._making[url] -= 1
                if name:
                    self._ready.setdefault(url, []).append(name)

    def drop_all(self) -> None:
        import psycopg

        with self._lock:
            ready, self._ready = self._ready, {}
        for url, names in ready.items():
            with contextlib.suppress(psycopg.Error):
                with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
                    for name in names:
                        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


SPARES = _Spares()


# ---------------------------------------------------------------------- observing locks
_USER_RELATIONS = """SELECT c.oid, CASE WHEN n.nspname = 'public' OR n.nspname = current_schema()
                               THEN c.relname ELSE n.nspname || '.' || c.relname END
                     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE c.relkind IN ('r', 'p', 'v', 'm')
                       AND n.nspname <> ALL('{pg_catalog,information_schema}')
                       AND n.nspname NOT LIKE 'pg\\_%'"""


_NO_LOCK_KEYWORDS = ("SET", "RESET", "BEGIN", "COMMIT", "ROLLBACK", "START", "SHOW")


def _takes_no_table_locks(text: str) -> bool:
    words = text.lstrip().split(None, 1)
    return bool(words) and words[0].upper().rstrip(";") in _NO_LOCK_KEYWORDS


class LockObserver:
    """Records which table locks each statement takes (an executor Observer).

    Inside the step's transaction block the statement runs as usual and the session's own
    pg_locks rows are read right after it: PostgreSQL holds table locks until commit, so this
    is exact. A statement outside a transaction block (CREATE INDEX CONCURRENTLY, a DO block
    that commits per batch, ANALYZE) releases its locks as it goes, so a second session
    watches it: it first holds ACCESS EXCLUSIVE on every user table, which makes the statement
    queue on its first lock where pg_locks shows the requested mode, then lets it go and
    samples pg_locks every millisecond (every 5 after 0.1 s) until it ends. Locks taken and
    released between two samples can be missed there; the first lock a statement asks for
    cannot.
    """

    def __init__(self, watcher_url: str):
        import psycopg

        self._watcher = psycopg.connect(watcher_url, autocommit=True)
        self.names: dict[int, str] = {}

    def close(self) -> None:
        self._watcher.close()

    def _refresh(self, conn) -> dict[int, str]:
        current = dict(conn.execute(_USER_RELATIONS).fetchall())
        self.names.update(current)
        return current

    def observe(self, conn, statement: Statement, in_transaction: bool, execute):
        if _takes_no_table_locks(statement.text):
            execute()
            return []
        if in_transaction:
            return self._inside(conn, execute)
        return self._outside(conn, execute)

    def _own_locks(self, conn) -> set[tuple[int, str]]:
        return {(rel, mode) for rel, mode in conn.execute(
            "SELECT relation::int8, mode FROM pg_locks WHERE pid = pg_backend_pid() "
            "AND locktype = 'relation' AND granted").fetchall()}

    def _inside(self, conn, execute) -> list[tuple[str, str]]:
        before_names = self._refresh(conn)
        held = self._own_locks(conn)
        execute()
        after_names = self._refresh(conn)
        new = self._own_locks(conn) - held
        return self._named(new, before_names, after_names)

    def _outside(self, conn, execute) -> list[tuple[str, str]]:
        before_names = self._refresh(conn)
        pid = conn.info.backend_pid
        w = self._watcher
        tables = [oid for oid in before_names]
        blocking = False
        if tables:
            import psycopg

            try:
                w.execute("BEGIN")
                w.execute("SET LOCAL lock_timeout = '2s'")
                names = [r[0] for r in w.execute(
                    "SELECT o::regclass::text FROM unnest(%s::oid[]) o", (tables,))]
                w.execute("LOCK TABLE " + ", ".join(names) + " IN ACCESS EXCLUSIVE MODE")
                blocking = True
            except psycopg.Error:  # observing must never break the run: sample only
                w.execute("ROLLBACK")
        seen: set[tuple[int, str]] = set()
        error: list[BaseException] = []

        def run() -> None:
            try:
                execute()
            except BaseException as exc:  # noqa: BLE001 - re-raised in the calling thread
                error.append(exc)

        worker = threading.Thread(target=run, daemon=True)
        worker.start()
        started = time.monotonic()
        try:
            while True:
                alive = worker.is_alive()
                rows = w.execute("SELECT relation::int8, mode, granted FROM pg_locks "
                                 "WHERE pid = %s AND locktype = 'relation'", (pid,)).fetchall()
                for rel, mode, granted in rows:
                    seen.add((rel, mode))  # relations that are not user tables drop out later
                    if blocking and not granted:
                        w.execute("COMMIT")
                        blocking = False
                if blocking and time.monotonic() - started > 0.2:
                    w.execute("COMMIT")  # never hold the statement long enough to time out
                    blocking = False
                if not alive:
                    break
                # every millisecond at first, then every 5: long backfills are not hammered
                time.sleep(0.001 if time.monotonic() - started < 0.1 else 0.005)
        except BaseException:
            conn.cancel()  # interrupted: stop the statement instead of waiting for it
            raise
        finally:
            if blocking:
                w.execute("COMMIT")
            worker.join()
        if error:
            raise error[0]
        after_names = self._refresh(conn)
        return self._named(seen, before_names, after_names)

    def _named(self, locks, before: dict[int, str], after: dict[int, str]) -> list[tuple[str, str]]:
        out = set()
        for rel, mode in locks:
            name = before.get(rel) or after.get(rel) or self.names.get(rel)
            if name is None:
                continue  # not a user table or view (catalogs, indexes, sequences)
            aliases = {name, after.get(rel, name)}
            out.add((" / ".join(sorted(aliases)), mode))
        return sorted(out)


# ---------------------------------------------------------------------- sessions
class PostgresSession(ShadowSession):
    """One shadow database, through psycopg: load, seed, snapshot, apply (observing locks)."""

    dialect = "postgres"
    observes_locks = True

    def __init__(self, db: ShadowDatabase):
        self.db = db
        self.namespaces = [db.namespace] if db.namespace else None
        self.conn = _connect(db.url, autocommit=True)
        self.observer = LockObserver(db.url)
        self._outside: list[str] = []  # schemas a throwaway-schema run must not name
        if db.namespace:
            from migsmith.tools.proving.shadow.pg_confine import other_schemas

            self._outside = other_schemas(self.conn, db.namespace)

    def _confine(self, sql: str, label: str) -> None:
        if self.db.namespace:
            from migsmith.tools.proving.shadow.pg_confine import check_confined

            check_confined(sql, label, self.db.namespace, self._outside)

    def load(self, ddl: str, label: str) -> None:
        self._confine(ddl, label)
        if self.db.admin_url is None:
            load_script(self.conn, ddl, label)
        else:
            self._load_as_owner(ddl, label)

    def _load_as_owner(self, ddl: str, label: str) -> None:
        """The schema file as the database's owner role runs it, with the server connection
        doing the little it may not (``pg_owner.load_parts``)."""
        import psycopg

        from migsmith.tools.errors import SchemaError
        from migsmith.tools.proving.shadow.pg_owner import grant_extension_objects, load_parts

        with _connect(self.db.admin_url, autocommit=True) as admin:
            try:
                for who, text in load_parts(admin, ddl):
                    if who == "owner":
                        load_script(self.conn, text, label, reset=False)
                        continue
                    try:
                        admin.execute(text)
                        grant_extension_objects(admin, text, self.conn.info.user)
                    except psycopg.Error as exc:
                        first = str(exc).strip().splitlines()[0]
                        raise SchemaError(f"{label}: PostgreSQL refuses {text!r}: {first}"
                                          ) from None
            finally:
                with contextlib.suppress(Exception):
                    self.conn.execute("RESET ALL")

    def start_schema(self):
        from migsmith.tools.schema.live_postgres import read_catalog, schema_from_catalog

        return schema_from_catalog(read_catalog(self.conn, self.namespaces), self.conn,
                                   namespaces=self.namespaces)

    def seed(self, schema, rows: int) -> None:
        from migsmith.tools.proving.seed import seed_postgres

        return seed_postgres(self.conn, schema, rows)

    def snapshot(self):
        from migsmith.tools.proving import catalog

        return catalog.snapshot(self.conn, self.namespaces)

    def fingerprint(self, snap, keys=None):
        from migsmith.tools.proving import catalog

        return catalog.data_fingerprint(self.conn, snap, keys=keys)

    def apply(self, sql: str, *, file: str, observe: bool = False):
        from migsmith.tools.running.executor import apply_step_sql

        self._confine(sql, file)
        if self.db.admin_url is not None:
            from migsmith.tools.proving.shadow.pg_owner import without_owner_changes

            sql = without_owner_changes(sql)
        return apply_step_sql(self.conn, sql, file=file,
                              observer=self.observer if observe else None)

    def count_mismatch(self, table: str, column: str, expression: str, where: str | None):
        from psycopg import sql

        cond = sql.SQL(f"({where})") if where else sql.SQL("true")
        query = sql.SQL("SELECT count(*) FILTER (WHERE {cond}), count(*) FILTER (WHERE {cond} "
                        "AND {col} IS DISTINCT FROM ({expr})) FROM {t}").format(
            cond=cond, col=sql.Identifier(column), expr=sql.SQL(expression),
            t=sql.Identifier(*table.split(".")))
        return self.conn.execute(query).fetchone()

    def server_version(self) -> str:
        return self.conn.execute("SHOW server_version").fetchone()[0].split()[0]

    def expression_checksum(self, table: str, expression: str, key: list[str]) -> str | None:
        from migsmith.tools.proving.catalog import column_checksum_sql

        from psycopg import sql

        try:
            return self.conn.execute(sql.SQL("SELECT {} FROM {}").format(
                column_checksum_sql(sql.SQL(expression), key),
                sql.Identifier(*table.split(".")))).fetchone()[0]
        except Exception:  # noqa: BLE001 - a conversion that fails shows up when the plan runs
            return None

    def normalize_types(self, types: list[str]) -> dict[str, str] | None:
        """The server's own spelling (format_type, typmods included), read from a temporary
        table with one column per type, so ``timestamptz`` compares equal to
        ``timestamp with time zone``."""
        import psycopg

        if not types:
            return {}
        cols = ", ".join(f"c{i} {t}" for i, t in enumerate(types))
        try:
            with self.conn.transaction():
                self.conn.execute(f"CREATE TEMP TABLE migsmith_types ({cols}) ON COMMIT DROP")
                rows = self.conn.execute(
                    "SELECT attnum, format_type(atttypid, atttypmod) FROM pg_attribute "
                    "WHERE attrelid = 'migsmith_types'::regclass AND attnum > 0").fetchall()
        except psycopg.Error:
            return None
        return {types[n - 1]: spelled for n, spelled in rows}

    def close(self) -> None:
        self.observer.close()
        self.conn.close()


def load_script(conn, ddl: str, label: str, *, reset: bool = True) -> None:
    """Run a schema file as psql would load it, fast: the whole text as one simple query
    (what takes psql seconds takes the same here, not one round trip per statement). When the
    server refuses it, the file is run again statement by statement to say which statement,
    on which line, and the server's error, in one SchemaError line. Afterwards the session's
    settings are reset (a pg_dump preamble empties search_path)."""
    import psycopg

    from migsmith.tools.errors import SchemaError
    from migsmith.tools.running.executor import ExecutionError, apply_step_sql

    try:
        conn.execute(ddl, prepare=False)
    except psycopg.Error as first:
        conn.rollback() if not conn.autocommit else None
        try:
            apply_step_sql(conn, ddl, file=label, retries=0)
        except ExecutionError as exc:
            version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
            statement = " ".join(exc.text.split())
            shown = statement if len(statement) <= 100 else statement[:97] + "..."
            message = str(exc).split(": ", 2)[-1].strip().splitlines()[0]
            raise SchemaError(f"{label}:{exc.line}: PostgreSQL {version} refuses {shown!r}: "
                              f"{message}") from None
        except psycopg.Error:
            pass
        else:
            if reset:
                conn.execute("RESET ALL")
            return
        raise SchemaError(f"{label}: PostgreSQL refuses the schema: "
                          f"{str(first).strip().splitlines()[0]}") from None
    finally:
        if reset:  # (a caller loading a file in parts resets after the last one)
            with contextlib.suppress(Exception):
                conn.execute("RESET ALL")


# ---------------------------------------------------------------------- starting servers
def start_server(target_major: int | None = None, extensions: list[str] | tuple = ()
                 ) -> PostgresShadow:
    """Start a private PostgreSQL in a temp dir, of the build ``pg_builds.choose`` picks for
    the target major version and the extensions the schema creates (its ``note`` says when it
    is not the target). The cluster is made with initdb --no-sync and runs with fsync off and
    minimal WAL: durability is pointless for a throwaway server, and start-up stays near a
    second even on a busy machine."""
    from migsmith.tools.proving.shadow import pg_builds

    build, note = pg_builds.choose(target_major, list(extensions))
    initdb, pg_ctl, user = _binaries_of(build)
    shadow = _start_cluster(initdb, pg_ctl, user)
    shadow.build, shadow.note = build, note
    return shadow


def _binaries_of(build) -> tuple[str, str, object]:
    """initdb, pg_ctl and the system user to run them as (PostgreSQL refuses root)."""
    if build.source == "pgserver":
        bin_dir, user = _pgserver_binaries()
        if bin_dir is not None:
            return os.path.join(bin_dir, "initdb"), os.path.join(bin_dir, "pg_ctl"), user
    user = None
    if _is_root():
        user = _system_user("postgres") or _system_user("pgserver")
        if user is None:
            try:
                from pgserver.utils import ensure_user_exists

                user = ensure_user_exists("pgserver")
            except ImportError:
                raise ShadowError("running as root and there is no 'postgres' system user to "
                                  "run initdb/pg_ctl as: create one or pass --shadow-db"
                                  ) from None
    return str(build.bin_dir / "initdb"), str(build.bin_dir / "pg_ctl"), user


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _system_user(name: str):
    import pwd

    try:
        return pwd.getpwnam(name)
    except KeyError:
        return None


def _pgserver_binaries():
    """(bin dir, user to run as) of the pgserver wheel, or (None, None) without it.

    PostgreSQL refuses to run as root; like pgserver itself, run it as the ``pgserver``
    system user then (created if missing), with the binaries made readable for it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # platformdirs: XDG_RUNTIME_DIR not set
            from pgserver._commands import POSTGRES_BIN_PATH
    except ImportError:
        return None, None
    if not (POSTGRES_BIN_PATH / "initdb").exists():
        return None, None
    user = None
    if _is_root():
        import stat

        from pgserver.utils import (ensure_folder_permissions, ensure_prefix_permissions,
                                    ensure_user_exists)

        user = ensure_user_exists("pgserver")
        ensure_prefix_permissions(POSTGRES_BIN_PATH)
        read, execute = stat.S_IRGRP | stat.S_IROTH, stat.S_IXGRP | stat.S_IXOTH
        ensure_folder_permissions(POSTGRES_BIN_PATH, execute | read)
        ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", read)
    return str(POSTGRES_BIN_PATH), user


def _start_cluster(initdb: str, pg_ctl: str, user) -> PostgresShadow:
    """initdb + pg_ctl in a fresh temp dir, listening on a Unix socket in that dir only."""
    if user is not None:
        _check_traversal(shadow_root(), user)
    tmp = tempfile.mkdtemp(prefix="migsmith-shadow-", dir=shadow_root())
    if user is not None:
        os.chmod(tmp, 0o700)
        os.chown(tmp, user.pw_uid, user.pw_gid)
    kwargs = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []} if user else {}
    data = os.path.join(tmp, "data")

    def run(args: list[str]) -> None:
        subprocess.run(args, check=True, capture_output=True, timeout=60, cwd=tmp, **kwargs)

    def stop() -> None:
        try:
            with contextlib.suppress(subprocess.SubprocessError, OSError):
                run([pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"])
            _stop_pgdata(data)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    options = (f"-k {tmp} -h '' -F -c wal_level=minimal -c max_wal_senders=0 "
               "-c full_page_writes=off -c synchronous_commit=off")
    try:
        run([initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync",
             "--no-instructions"])
        run([pg_ctl, "-D", data, "-w", "-t", "30", "-l", os.path.join(tmp, "log"),
             "-o", options, "start"])
    except BaseException as exc:
        stop()
        if isinstance(exc, subprocess.CalledProcessError):
            err = (exc.stderr or b"").decode(errors="replace").strip().splitlines()
            raise ShadowError(f"could not start a PostgreSQL shadow server: "
                              f"{err[-1] if err else exc}") from None
        raise
    shadow = PostgresShadow(f"postgresql://postgres@/postgres?host={tmp}", stop=stop)
    import atexit

    atexit.register(shadow.close)  # a caller that never closes it still leaves nothing behind
    return shadow


def shadow_root() -> str:
    """Where private servers keep their data: ``MIGSMITH_SHADOW_DIR`` if set, else the RAM
    disk /dev/shm when there is room (a throwaway cluster gains nothing from a real disk, and
    initdb there is several times faster on a busy machine), else the temp dir."""
    chosen = os.environ.get("MIGSMITH_SHADOW_DIR")
    if chosen:
        return chosen
    shm = "/dev/shm"
    try:
        st = os.statvfs(shm)
        if os.access(shm, os.W_OK) and st.f_bavail * st.f_frsize > 512 * 1024 * 1024:
            return shm
    except OSError:
        pass
    return tempfile.gettempdir()


def _check_traversal(path: str, user) -> None:
    """ShadowError unless the server's system user can reach ``path`` (every directory on the
    way searchable by it). Nothing is changed: a directory the user chose keeps its modes."""
    import stat

    probe = os.path.abspath(path)
    while True:
        try:
            st = os.stat(probe)
        except OSError:
            st = None
        if st is not None:
            mine = st.st_uid == user.pw_uid and st.st_mode & stat.S_IXUSR
            group = st.st_gid == user.pw_gid and st.st_mode & stat.S_IXGRP
            if not (mine or group or st.st_mode & stat.S_IXOTH):
                raise ShadowError(
                    f"the shadow server runs as the system user {user.pw_name}, which cannot "
                    f"enter {probe} on the way to {path}",
                    hint="set MIGSMITH_SHADOW_DIR to a directory every user may enter, or unset "
                         "it")
        parent = os.path.dirname(probe)
        if parent == probe:
            return
        probe = parent


def _stop_pgdata(pgdata: str) -> None:
    """Make sure no postmaster keeps running on ``pgdata`` (a stop or start that failed)."""
    pid_file = os.path.join(pgdata, "postmaster.pid")
    try:
        with open(pid_file) as fh:
            pid = int(fh.readline().strip())
    except (OSError, ValueError):
        return
    import signal

    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGQUIT)  # immediate shutdown


# ---------------------------------------------------------------------- a user's database
_THROWAWAY_SCHEMA = re.compile(r"migsmith_(?:plan|alt|spare)_[0-9a-f]{10}")


def _ours_or_system(schema: str) -> bool:
    """Schemas that say nothing about whether a database is disposable: the system's (the
    pg_ prefix is reserved) and the throwaway ones of a concurrent verification. Compared in
    Python, literally: in LIKE, "_" matches any character ('pgsales' is LIKE 'pg_%')."""
    return (schema in SYSTEM_SCHEMAS or schema.startswith("pg_")
            or _THROWAWAY_SCHEMA.fullmatch(schema) is not None)


def user_shadow(url: str, *, described_tables: set[str], force: bool = False) -> PostgresShadow:
    """A user's ``--shadow-db URL``: refuse a database holding tables the schema does not
    describe (it looks like a real database) unless ``force``; plans then run in fresh
    databases on that server (or, without CREATEDB, in throwaway schemas of that database)."""
    from psycopg.conninfo import conninfo_to_dict

    from migsmith.tools.schema.live import redact_url

    with _connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
            "c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY 1, 2"
            ).fetchall()
    rows = [(schema, name) for schema, name in rows if not _ours_or_system(schema)]
    known = {t.lower() for t in described_tables}
    foreign = [name if schema == "public" else f"{schema}.{name}" for schema, name in rows
               if (name if schema == "public" else f"{schema}.{name}").lower() not in known]
    if foreign and not force:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise ShadowError(f"refusing to use {redact_url(url)} as a shadow database: it holds "
                          f"tables the schema does not describe ({shown}), so it may be a real "
                          "database", hint="point --shadow-db at an empty database, or pass "
                                           "--force if it really is disposable")
    dbname = conninfo_to_dict(url).get("dbname") or "postgres"
    return PostgresShadow(url, fallback_database=str(dbname))


def check_extensions(shadow: PostgresShadow, extensions: list[str]) -> None:
    """MissingExtension (one line) when the server behind ``shadow`` lacks one of them."""
    from migsmith.tools.proving.shadow.pg_builds import MissingExtension
    from migsmith.tools.schema.live import redact_url

    if not extensions:
        return
    with _connect(shadow.server_url, autocommit=True) as conn:
        have = {r[0] for r in conn.execute("SELECT name FROM pg_available_extensions")}
        version = conn.execute("SHOW server_version").fetchone()[0].split()[0]
    missing = [e for e in extensions if e not in have]
    if missing:
        raise MissingExtension(
            f"the schema needs extension {missing[0]!r}, which the shadow server "
            f"{redact_url(shadow.server_url)} (PostgreSQL {version}) does not have",
            hint="install it on that server, or pass --shadow-db URL of one that has it")
