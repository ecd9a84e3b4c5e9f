"""Schema state: the model, and loaders from DDL files and live databases."""

from __future__ import annotations

from pathlib import Path

from migsmith.tools.errors import SchemaError
from migsmith.tools.schema.model import Column, Constraint, Index, Schema, Table

__all__ = ["Column", "Constraint", "Index", "Schema", "Table", "load_schema", "load_ddl"]


def load_ddl(text: str, dialect: str = "postgres", *, source: str | None = None) -> Schema:
    """Parse DDL text of the given dialect into a Schema."""
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
        from migsmith.tools.schema.sqlglot_ddl import load_sqlglot_ddl
    except ImportError:  # pragma: no cover - arrives with the dialects work
        raise SchemaError(f"reading {dialect} DDL is not supported yet") from None
    return load_sqlglot_ddl(text, dialect, source=source)


def load_schema(location: str, dialect: str = "postgres") -> Schema:
    """Load a schema from a DDL file path, a SQLite database file or a database URL."""
    from migsmith.tools.schema.detect import is_sqlite_file

    if "://" in location or is_sqlite_file(location):
        from migsmith.tools.schema.live import load_live_schema

        if dialect != "sqlite" and "://" not in location:
            raise SchemaError(f"{location} is a SQLite database file, not {dialect} DDL",
                              hint="use --dialect sqlite, or leave --dialect out")
        return load_live_schema(location, dialect=dialect)
    text, path = read_ddl_file(location)
    return load_ddl(text, dialect, source=path)


def read_ddl_file(location: str) -> tuple[str, str]:
    """The text of a schema file and its path, or one clear SchemaError."""
    path = Path(location)
    if not path.is_file():
        raise SchemaError(f"schema file not found: {location}")
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaError(f"cannot read schema file {location}: {exc}") from None
