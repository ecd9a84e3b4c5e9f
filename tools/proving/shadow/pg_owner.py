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
_HEADS = re.compile(r"^\s*(CREATE\s+EXTENSION|ALTER\s+[\w\s]+?\s+OWNER\s+TO|COMMENT\s+ON\s+"
                    r"EXTENSION)\b", re.IGNORECASE | re.MULTILINE)


def prepare_for_owner(admin_conn, ddl: str) -> str:
    """``ddl`` as the owner role can load it: untrusted extensions it creates are created
    through ``admin_conn`` (a privileged session on the same database) first, in the schema
    the file names (made first, owned by the database's owner), and statements only a
    superuser or another role could run there are dropped: changes of owner, and what a
    ``pg_dump --clean`` file does to those extensions and their schemas before creating them
    (``DROP EXTENSION``, ``DROP SCHEMA``, ``CREATE SCHEMA``: in a fresh database they would
    find nothing, or find what was just made for them). The ``public`` schema becomes the
    owner's (on PostgreSQL 14 the bootstrap superuser owns it, and pg_dump writes
    ``COMMENT ON SCHEMA public``)."""
    admin_conn.execute("""DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'public') THEN
            EXECUTE format('ALTER SCHEMA public OWNER TO %I',
                           (SELECT pg_get_userbyid(datdba) FROM pg_database
                            WHERE datname = current_database()));
        END IF; END $$""")
    if not _HEADS.search(ddl):
        return ddl  # the common case: nothing to look at, no parse
    from pglast import ast, parser

    try:
        slices = parser.split(ddl, with_parser=True, only_slices=True)
    except parser.ParseError:
        return ddl  # the load itself reports where the file does not parse
    trusted = {name for name, ok in admin_conn.execute(
        "SELECT name, bool_or(trusted) FROM pg_available_extension_versions GROUP BY name")
        if ok}
    owner = admin_conn.execute("SELECT pg_get_userbyid(datdba) FROM pg_database "
                               "WHERE datname = current_database()").fetchone()[0]
    statements = [(piece, parser.parse_sql(ddl[piece])[0].stmt) for piece in slices]
    preinstalled, schemas = set(), set()
    for _, stmt in statements:
        if isinstance(stmt, ast.CreateExtensionStmt) and stmt.extname not in trusted:
            schema = next((o.arg.sval for o in stmt.options or () if o.defname == "schema"), None)
            if schema and schema != "public":
                admin_conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}" '
                                   f'AUTHORIZATION "{owner}"')
                schemas.add(schema)
            admin_conn.execute(f'CREATE EXTENSION IF NOT EXISTS "{stmt.extname}"'
                               + (f' WITH SCHEMA "{schema}"' if schema else "") + " CASCADE")
            preinstalled.add(stmt.extname)

    def names(stmt) -> set[str]:
        return {getattr(o, "sval", None) for o in stmt.objects or ()}

    out, pos = [], 0
    for piece, stmt in statements:
        keep = True
        if isinstance(stmt, ast.AlterOwnerStmt) or (
                isinstance(stmt, ast.AlterTableStmt) and any(
                    getattr(c, "subtype", None) is not None and c.subtype.name == "AT_ChangeOwner"
                    for c in stmt.cmds or ())):
            keep = False
        elif isinstance(stmt, ast.CreateExtensionStmt) and stmt.extname in preinstalled:
            keep = False
        elif (isinstance(stmt, ast.CommentStmt) and stmt.objtype.name == "OBJECT_EXTENSION"
              and getattr(stmt.object, "sval", None) in preinstalled):
            keep = False
        elif isinstance(stmt, ast.DropStmt) and (
                (stmt.removeType.name == "OBJECT_EXTENSION" and names(stmt) <= preinstalled)
                or (stmt.removeType.name == "OBJECT_SCHEMA" and names(stmt) <= schemas)):
            keep = False
        elif isinstance(stmt, ast.CreateSchemaStmt) and stmt.schemaname in schemas \
                and not stmt.schemaElts:
            keep = False
        out.append(ddl[pos:piece.start])
        out.append(ddl[piece] if keep else "")
        pos = piece.stop
    out.append(ddl[pos:])
    return "".join(out)


# ----------------------------------------------------------------------- the plan's steps
_OWNER_TO = re.compile(r"\bOWNER\s+TO\s+(?:\"(?:[^\"]|\"\")+\"|[\w$]+)", re.IGNORECASE)


def owned_by_runner(sql: str) -> str:
    """A step file as the shadow database's owner role can run it: ``ALTER ... OWNER TO
    <role>`` (a view re-created and given back to its owner, ``ALTER TABLE film_list OWNER
    TO postgres``) gives the object to the role running the plan instead (``OWNER TO
    CURRENT_USER``): that role may not give objects away, and who owns an object is not what
    a plan changes. Only those statements are touched (found by the parser)."""
    if not _OWNER_TO.search(sql):
        return sql
    from pglast import ast, parser

    try:
        slices = parser.split(sql, with_parser=True, only_slices=True)
    except parser.ParseError:
        return sql  # the executor reports where it does not parse
    out, pos = [], 0
    for piece in slices:
        text = sql[piece]
        stmt = parser.parse_sql(text)[0].stmt
        if isinstance(stmt, ast.AlterOwnerStmt) or (
                isinstance(stmt, ast.AlterTableStmt) and any(
                    getattr(c, "subtype", None) is not None and c.subtype.name == "AT_ChangeOwner"
                    for c in stmt.cmds or ())):
            text = _OWNER_TO.sub("OWNER TO CURRENT_USER", text)
        out.append(sql[pos:piece.start])
        out.append(text)
        pos = piece.stop
    out.append(sql[pos:])
    return "".join(out)
