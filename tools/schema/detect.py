"""Which database a schema is for, when the user did not say: from the URL, the file, its text.

A SQLite schema planned as PostgreSQL gives a plan that cannot run, so the dialect is read
from what the schema itself shows: a database URL's scheme, a SQLite database file's header,
syntax only one database accepts, then the file's name (``schema_sqlite.sql``). With no sign
at all it is PostgreSQL, and the caller says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Spellings only SQLite accepts (PostgreSQL and MySQL refuse each of them).
_SQLITE_ONLY = re.compile(
    r"\b(AUTOINCREMENT|WITHOUT\s+ROWID|PRAGMA\s+\w+|sqlite_\w+|datetime\s*\(\s*'now'|"
    r"strftime\s*\(|julianday\s*\(|INSERT\s+OR\s+(?:REPLACE|IGNORE))"
    r"|\)\s*STRICT\b", re.IGNORECASE)
_NAMES = {"postgres": ("postgres", "postgresql", "pg", "psql"), "mysql": ("mysql", "mariadb"),
          "sqlite": ("sqlite", "sqlite3")}


@dataclass(frozen=True)
class Detected:
    dialect: str
    reason: str | None  # None: nothing pointed anywhere, PostgreSQL by default
    certain: bool = True  # False for a file name or no sign at all: worth a word to the user

    def note(self) -> str:
        if self.reason is None:
            return ("no --dialect given and nothing in the schema names a database: planning "
                    "for PostgreSQL (give --dialect mysql or sqlite otherwise)")
        return f"planning for {self.dialect}: {self.reason} (--dialect chooses another)"


def detect_dialect(location: str, text: str | None = None) -> Detected:
    """The dialect of the schema at ``location`` (a URL or a file), with why."""
    from migsmith.tools.schema import is_sqlite_file

    low = location.lower()
    if "://" in location:
        scheme = low.split("://", 1)[0]
        for dialect, names in _NAMES.items():
            if any(scheme.startswith(n) for n in names):
                return Detected(dialect, f"the URL scheme is {scheme}")
        return Detected("postgres", None, certain=False)
    if is_sqlite_file(location):
        return Detected("sqlite", f"{Path(location).name} is a SQLite database file")
    if text is None:
        try:
            text = Path(location).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
    found = guess_from_text(text)
    if found:
        return found
    stem = re.split(r"[^a-z0-9]+", Path(low).name)
    parents = [p.lower() for p in Path(location).parts[:-1]]
    for dialect, names in _NAMES.items():
        if any(n in stem or n in parents for n in names):
            return Detected(dialect, f"the file name {location} says {dialect}", certain=False)
    return Detected("postgres", None, certain=False)


def guess_from_text(text: str) -> Detected | None:
    """The dialect whose own syntax ``text`` uses (comments and strings aside), or None."""
    from migsmith.tools.schema.sqlglot_ddl import _MYSQL_ONLY, _PG_ONLY, _code_only, _line

    code = _code_only(text)
    hits = {}
    for dialect, pattern in (("mysql", _MYSQL_ONLY), ("sqlite", _SQLITE_ONLY),
                             ("postgres", _PG_ONLY)):
        m = pattern.search(code)
        if m:
            hits[dialect] = m
    if len(hits) != 1:  # none, or signs of two: say nothing rather than guess
        return None
    dialect, m = next(iter(hits.items()))
    return Detected(dialect, f"line {_line(text, m.start())} uses {m.group(0).strip()!r}, "
                             f"which only {dialect} accepts")
