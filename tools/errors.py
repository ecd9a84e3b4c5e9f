"""User-facing errors. Each carries a one-line message fit for a terminal and a JSON field."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class MigsmithError(Exception):
    """An error caused by the user's input or environment, reported without a traceback."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class UsageError(MigsmithError):
    """Bad command-line usage or configuration: a missing path, an unknown setting (exit 2)."""

    exit_code = 2


class SpecError(MigsmithError):
    """A ChangeSpec that is malformed or does not fit the schema."""


class SchemaError(MigsmithError):
    """A schema file or database that cannot be read."""


class UnsafeIdentifierError(SpecError):
    """An identifier that could smuggle SQL or break quoting."""


class PlanError(MigsmithError):
    """A plan that cannot be produced or written (for example, the file exists)."""


class NothingToDo(MigsmithError):
    """Every operation of a spec is already in effect: not an error, there is nothing to plan."""

    exit_code = 0

    def __init__(self, notes: list[str]):
        super().__init__("nothing to do: " + "; ".join(n.removeprefix("Not planned: ")
                                                         for n in notes))
        self.notes = notes


class SQLParseError(MigsmithError):
    """SQL that does not parse; carries the position when known."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 column: int | None = None):
        where = ":".join(str(p) for p in (file, line, column) if p is not None)
        super().__init__(f"{where}: {message}" if where else message)
        self.file, self.line, self.column = file, line, column


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A 'did you mean ...?' hint naming the closest candidates, or None."""
    pool = list(candidates)
    close = difflib.get_close_matches(name, pool, n=3, cutoff=0.6)
    if not close:
        lowered = {c.lower(): c for c in pool}
        close = [lowered[c] for c in difflib.get_close_matches(name.lower(), lowered, n=3, cutoff=0.5)]
    if not close:
        return None
    return "did you mean " + " or ".join(repr(c) for c in close) + "?"
