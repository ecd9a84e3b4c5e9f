"""Helpers shared by the CLI commands: error reporting, schema loading options."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps

from rich.console import Console

from migsmith.tools.errors import MigsmithError

err_console = Console(stderr=True, highlight=False, soft_wrap=True)
out_console = Console(highlight=False, soft_wrap=True)


def error_line(message) -> None:
    """``error: <message>`` on stderr as one line: user text in it (names, paths, SQL) is
    printed as given, never read as rich markup, and line breaks in it become spaces."""
    from rich.markup import escape

    from migsmith.tools.planning.sqltext import comment_line

    err_console.print(f"[bold red]error:[/] {escape(comment_line(message))}", markup=True)


def fail(message: str, code: int = 1) -> None:
    error_line(message)
    raise SystemExit(code)


def handle_errors(fn: Callable) -> Callable:
    """Turn MigsmithError into one clear line on stderr and exit code 1 (no traceback)."""

    @wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except MigsmithError as exc:
            error_line(exc)
            raise SystemExit(exc.exit_code) from None

    return wrapper


def print_json(data) -> None:
    sys.stdout.write(json.dumps(data, indent=2, default=str) + "\n")


def parse_rows(values: list[str] | None) -> dict[str, int]:
    """--rows users=1000000 (repeatable) -> {"users": 1000000}."""
    out: dict[str, int] = {}
    for item in values or []:
        table, sep, num = item.partition("=")
        if not sep or not num.replace("_", "").replace(",", "").isdigit():
            raise MigsmithError(f"--rows expects TABLE=COUNT, got {item!r}")
        out[table] = int(num.replace("_", "").replace(",", ""))
    return out
