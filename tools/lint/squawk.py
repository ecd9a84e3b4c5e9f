"""Second opinion: run the ``squawk`` linter (the squawk-cli wheel's binary) on the same SQL.

    run_squawk(sql_or_path, pg_version=14, assume_in_transaction=False, exclude=()) -> list[dict]

Each result is squawk's JSON reporter entry with positions made 1-based like migsmith's::

    {"rule": "ban-concurrent-index-creation-in-transaction", "line": 11, "column": 14,
     "end_line": 11, "end_column": 26, "level": "Warning", "message": "...", "help": "...",
     "file": "..."}

Squawk points at the offending clause, migsmith at the start of the statement, so compare by
statement (``statement_index_for_line``), not by exact position. Syntax errors come back as entries
with ``rule == "syntax-error"``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from pathlib import Path

from migsmith.tools.errors import MigsmithError


class SquawkUnavailable(MigsmithError):
    """The squawk binary is not installed (pip install squawk-cli)."""


def find_squawk() -> str | None:
    """squawk on PATH, else next to the running Python (a virtualenv's bin/ or Scripts/)."""
    found = shutil.which("squawk")
    if found:
        return found
    for name in ("squawk", "squawk.exe"):
        candidate = Path(sys.executable).parent / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def run_squawk(
    sql_or_path: str | os.PathLike[str],
    *,
    pg_version: int = 14,
    assume_in_transaction: bool = False,
    exclude: Iterable[str] = (),
    timeout: float = 60.0,
) -> list[dict]:
    """Lint SQL text (a ``str`` that is not an existing file) or a file path with squawk."""
    binary = find_squawk()
    if binary is None:
        raise SquawkUnavailable("squawk not found", hint="pip install squawk-cli")
    args = [binary, "--reporter", "json", f"--pg-version={pg_version}.0",
            "--assume-in-transaction" if assume_in_transaction else "--no-assume-in-transaction"]
    excluded = sorted(set(exclude))
    if excluded:
        args.append(f"--exclude={','.join(excluded)}")
    is_path = isinstance(sql_or_path, os.PathLike) or (
        isinstance(sql_or_path, str) and "\n" not in sql_or_path and Path(sql_or_path).is_file())
    stdin = None
    if is_path:
        args.append(str(Path(sql_or_path).resolve()))
    else:
        stdin = str(sql_or_path)
        args += ["--stdin-filepath", "stdin.sql"]
    return _invoke(args, stdin, timeout)


def _invoke(args: list[str], stdin: str | None, timeout: float) -> list[dict]:
    # An empty working directory, so a .squawk.toml in the caller's tree cannot change the result.
    with tempfile.TemporaryDirectory(prefix="migsmith-squawk-") as cwd:
        proc = subprocess.run(args, input=stdin, capture_output=True, text=True, cwd=cwd,
                              timeout=timeout, check=False)
    # squawk exits 1 when it reports anything, 0 when clean; other codes (or no JSON) are failures.
    if proc.returncode not in (0, 1) or not proc.stdout.strip().startswith("["):
        raise MigsmithError(f"squawk failed (exit {proc.returncode}): "
                            f"{(proc.stderr or proc.stdout).strip()[:500]}")
    return [
        {
            "rule": item.get("rule_name"),
            "line": item.get("line", 0) + 1,
            "column": item.get("column", 0) + 1,
            "end_line": item.get("line_end", item.get("line", 0)) + 1,
            "end_column": item.get("column_end", item.get("column", 0)) + 1,
            "level": item.get("level"),
            "message": item.get("message"),
            "help": item.get("help"),
            "file": item.get("file"),
        }
        for item in json.loads(proc.stdout)
    ]


def run_squawk_files(paths: Iterable[str | os.PathLike[str]], *, pg_version: int = 14,
                     assume_in_transaction: bool = False, timeout: float = 600.0) -> list[dict]:
    """squawk once over many files (``run_squawk``'s entries; ``file`` is the absolute path)."""
    binary = find_squawk()
    if binary is None:
        raise SquawkUnavailable("squawk not found", hint="pip install squawk-cli")
    args = [binary, "--reporter", "json", f"--pg-version={pg_version}.0",
            "--assume-in-transaction" if assume_in_transaction else "--no-assume-in-transaction",
            *(str(Path(p).resolve()) for p in paths)]
    return _invoke(args, None, timeout)


def statement_index_for_line(statements, line: int) -> int | None:
    """Index of the migsmith ``Statement`` whose text spans ``line`` (1-based)."""
    for stmt in statements:
        last = stmt.line + stmt.text.count("\n")
        if stmt.line <= line <= last:
            return stmt.index
    return None
