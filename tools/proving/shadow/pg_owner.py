"""The role a PostgreSQL shadow database belongs to: the user's schema and the plan run as it,
never as a superuser.

A schema file or a plan is text from outside. Run as a superuser it could reach the host:
``COPY ... TO PROGRAM``, ``lo_import``/``pg_read_file``, untrusted languages, ``ALTER SYSTEM``.
So every shadow database gets its own login role, NOSUPERUSER NOCREATEDB NOCREATEROLE
NOREPLICATION NOBYPASSRLS, made the owner of the database: it can create and change anything
inside it (trusted extensions included, PostgreSQL 13+), and nothing outside it. The role is
dropped with the database.

When the server's own connection is not privileged (no superuser, no pg_execute_server_program,
pg_read_server_files or pg_write_server_files), that connection already cannot reach the host
and no role is made.

Two things a schema file may do that an owner may not are handled before it is loaded: an
untrusted extension it creates (PostGIS, postgres_fdw, ...) is created by the server connection
first, from the server's own extension scripts (the file's statement then finds it there), and
``ALTER ... OWNER TO`` statements are left out (who owns an object is not what a plan changes).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from migsmith.tools.proving.shadow.base import ShadowError

_PRIVILEGED = """SELECT rolsuper OR pg_has_role(current_user, 'pg_execute_server_program', 'MEMBER')
                    OR pg_has_role(current_user, 'pg_read_server_files', 'MEMBER')
                    OR pg_has_role(current_user, 'pg_write_server_files', 'MEMBER')
                 FROM pg_roles WHERE rolname = current_user"""


@dataclass(frozen=True)
class Owner:
    role: str
    password: str


def privileged(conn) -> bool:
    """Whether ``conn``'s role could reach the server's host (programs, files)."""
    row = conn.execute(_PRIVILEGED).fetchone()
    return bool(row and row[0])


def make_owner(conn, database: str) -> Owner | None:
    """A fresh unprivileged role owning ``database`` (None when ``conn`` is unprivileged and
    the database can stay its own)."""
    if not privileged(conn):
        return None
    owner = Owner(role=database, password=secrets.token_hex(16))
    conn.execute(f'CREATE ROLE "{owner.role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE '
                 f"NOREPLICATION NOBYPASSRLS PASSWORD '{owner.password}'")
    try:
        conn.execute(f'ALTER DATABASE "{database}" OWNER TO "{owner.role}"')
    except BaseException:
        drop_owner(conn, owner)
        raise
    return owner


def drop_owner(conn, owner: Owner | None) -> None:
    if owner is not None:
        conn.execute(f'DROP ROLE IF EXISTS "{owner.role}"')


def refuse_privileged(conn, what: str) -> None:
    """ShadowError when the only role at hand is privileged and no other can be made."""
    if privileged(conn):
        raise ShadowError(f"{what}: the --shadow-db role can run programs or read files on the "
                          "server, and verification would run the schema and the plan as it",
                          hint="give --shadow-db a role that is not a superuser, or one that may "
                               "create databases and roles (migsmith then makes its own)")


# ----------------------------------------------------------------------- the schema file
# Untrusted extensions the server connection never creates for a schema file: they reach files,
# programs or other servers (or are untrusted languages). A file that creates one fails to load
# as the owner role, with PostgreSQL's own "permission denied", as a file with COPY ... PROGRAM.
REACHES_OUT = frozenset({"dblink", "postgres_fdw", "file_fdw", "adminpack", "plpython3u",
                         "plpythonu", "plperlu", "pltclu", "plsh", "pg_cron", "pgagent",
                         "pg_background", "log_fdw", "mysql_fdw", "oracle_fdw", "tds_fdw",
                         "multicorn", "http", "pgsql-http", "plv8u"})
_HEADS = re.compile(r"^\s*(CREATE\s+EXTENSION|ALTER\s+[\w\s]+?\s+OWNER\s+TO)\b",
                    re.IGNORECASE | re.MULTILINE)


def load_parts(admin_conn, ddl: str) -> list[tuple[str, str]]:
    """``ddl`` cut into the parts the owner role runs ("owner", text) and the few statements
    the server connection runs for it ("server", text), in the file's order.

    The server connection runs what concerns an untrusted extension the file creates (its
    CREATE, COMMENT and DROP EXTENSION, re-emitted from the parse tree): only a superuser may,
    and what runs is the server's own extension script. ``ALTER ... OWNER TO`` statements are
    left out. Owner parts keep the file's line numbers (blank lines stand in for the rest), so
    an error still names the line of the file."""
    if not _HEADS.search(ddl):
        return [("owner", ddl)]  # the common case: nothing to look at, no parse
    from pglast import ast, parser
    from pglast.stream import RawStream

    try:
        slices = parser.split(ddl, with_parser=True, only_slices=True)
        stmts = [raw.stmt for raw in parser.parse_sql(ddl)]
    except parser.ParseError:
        return [("owner", ddl)]  # the load itself reports where the file does not parse
    trusted = {name for name, ok in admin_conn.execute(
        "SELECT name, bool_or(trusted) FROM pg_available_extension_versions GROUP BY name")
        if ok}
    untrusted = {st.extname for st in stmts
                 if isinstance(st, ast.CreateExtensionStmt) and st.extname not in trusted
                 and st.extname not in REACHES_OUT}
    parts: list[tuple[str, str]] = []
    owner: list[str] = []  # the owner part being built, as pieces of the file
    pos = 0

    def flush() -> None:
        text = "".join(owner)
        if text.strip():
            parts.append(("owner", text))
        owner.clear()

    for piece, stmt in zip(slices, stmts):
        before = ddl[pos:piece.start]
        pos = piece.stop
        if _changes_owner(stmt):
            owner.append(before + "\n" * ddl[piece].count("\n"))  # left out, lines kept
            continue
        if _untrusted_extension_statement(stmt, untrusted):
            owner.append(before)
            flush()
            if isinstance(stmt, ast.CreateExtensionStmt):
                stmt.if_not_exists = True
            elif isinstance(stmt, ast.DropStmt):
                stmt.missing_ok = True  # pg_dump --clean drops first; a fresh shadow has none
            parts.append(("server", RawStream()(stmt)))
            owner.append("\n" * ddl[:pos].count("\n"))  # the next part keeps its line numbers
            continue
        owner.append(before + ddl[piece])
    owner.append(ddl[pos:])
    flush()
    return parts


def without_owner_changes(sql: str) -> str:
    """A step file as the owner role can run it: each ``ALTER ... OWNER TO`` (a dependent
    re-created as the schema had it, owner included) becomes ``SELECT 1``, so statement numbers
    stay those of the file. Who owns an object is not what verification proves, and the owner
    role may not hand objects to other roles."""
    if not _HEADS.search(sql):
        return sql
    from pglast import parser

    try:
        slices = parser.split(sql, with_parser=True, only_slices=True)
        stmts = [raw.stmt for raw in parser.parse_sql(sql)]
    except parser.ParseError:
        return sql
    out, pos = [], 0
    for piece, stmt in zip(slices, stmts):
        out.append(sql[pos:piece.start])
        out.append("SELECT 1" + "\n" * sql[piece].count("\n") if _changes_owner(stmt)
                   else sql[piece])
        pos = piece.stop
    out.append(sql[pos:])
    return "".join(out)


def _changes_owner(stmt) -> bool:
    from pglast import ast

    return isinstance(stmt, ast.AlterOwnerStmt) or (
        isinstance(stmt, ast.AlterTableStmt) and any(
            getattr(c, "subtype", None) is not None and c.subtype.name == "AT_ChangeOwner"
            for c in stmt.cmds or ()))


def _untrusted_extension_statement(stmt, untrusted: set[str]) -> bool:
    from pglast import ast

    if isinstance(stmt, ast.CreateExtensionStmt):
        return stmt.extname in untrusted
    if isinstance(stmt, ast.CommentStmt) and stmt.objtype.name == "OBJECT_EXTENSION":
        return getattr(stmt.object, "sval", None) in untrusted
    if isinstance(stmt, ast.DropStmt) and stmt.removeType.name == "OBJECT_EXTENSION":
        names = {getattr(o, "sval", None) for o in stmt.objects}
        return bool(names) and names <= untrusted
    return False


def grant_extension_objects(admin_conn, statement: str, role: str) -> None:
    """After the server connection created an extension for the owner role: the tables and
    sequences the extension put into its schema are the extension's (a superuser's), so the
    role gets the rights to use them, as the schema's owner would have had on a real server."""
    from pglast import ast, parse_sql

    stmt = parse_sql(statement)[0].stmt
    if not isinstance(stmt, ast.CreateExtensionStmt):
        return
    row = admin_conn.execute("SELECT extnamespace::regnamespace::text FROM pg_extension "
                             "WHERE extname = %s", (stmt.extname,)).fetchone()
    if row:
        for what in ("TABLES", "SEQUENCES"):  # not functions: some are for superusers only
            admin_conn.execute(f'GRANT ALL ON ALL {what} IN SCHEMA {row[0]} TO "{role}"')
