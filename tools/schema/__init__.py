"""Schema state: the model, and loaders from DDL files and live databases."""

from __future__ import annotations

from pathlib import Path

from migsmith.tools.errors import SchemaError
from migsmith.tools.schema.model import Column, Constraint, Index, Schema, Table

__all__ = ["Column", "Constraint", "Index", "Schema", "Table", "load_schema", "load_ddl"]


def load_ddl(text: str, dialect: str = "postgres", *, source: str | None = None) -> Schema:
    """Parse DDL text of the given dialect into a Schema."""
    if "\x00" in text:  # the C parsers would stop there and silently drop the rest
        line = text[:text.index("\x00")].count("\n") + 1
        raise SchemaError(f"{source or 'schema'}:{line}: contains a NUL character")
    if dialect == "postgres":
        from migsmith.tools.schema.postgres_ddl import load_postgres_ddl
        from migsmith.tools.schema.sqlglot_ddl import guess_foreign_dialect

        try:
            return load_postgres_ddl(text, source=source)
        except SchemaError as exc:  # say so when the file is another dialect's DDL
            foreign = guess_foreign_dialect(text, "postgres")
            if foreign is None:
                raise
            raise SchemaError(f"{exc.message}: {foreign}", hint=exc.hint) from None
    try:
        from migsmith.tools.schema.sqlglot_ddl import add_view_dependencies, load_sqlglot_ddl
    except ImportError:  # pragma: no cover - arrives with the dialects work
        raise SchemaError(f"reading {dialect} DDL is not supported yet") from None
    return add_view_dependencies(load_sqlglot_ddl(text, dialect, source=source))


def load_schema(location: str, dialect: str = "postgres") -> Schema:
    """Load a schema from a DDL file path or a database URL."""
    if "://" in location:
        from migsmith.tools.schema.live import load_live_schema

        return load_live_schema(location, dialect=dialect)
    if is_sqlite_file(location):  # a SQLite database goes wherever a schema file does
        from migsmith.tools.schema.live_sqlite import load_sqlite_schema

        return load_sqlite_schema(location)
    text, path = read_ddl_file(location)
    return load_ddl(text, dialect, source=path)


SQLITE_MAGIC = b"SQLite format 3\x00"


def is_sqlite_file(location: str) -> bool:
    """Whether ``location`` is a SQLite database file (by its header, whatever its name)."""
    try:
        with open(location, "rb") as fh:
            return fh.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def read_ddl_file(location: str) -> tuple[str, str]:
    """The text of a schema file and its path, or one clear SchemaError."""
    from migsmith.tools.userfiles import read_text

    path = Path(location)
    if not path.is_file():
        raise SchemaError(f"schema file not found: {location}")
    return read_text(path, "schema file", SchemaError), str(path)
