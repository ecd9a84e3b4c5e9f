"""Helpers shared by the CLI commands: error reporting, output, row estimates.

``out_console`` and ``err_console`` are rich consoles made on first use: importing rich costs
more than a whole ``migsmith --help``, and a command module is imported (for its summary) by
every ``migsmith --help``.
"""

from __future__ import annotations

import json
import sys

from migsmith.tools.errors import MigsmithError



class _LazyConsole:
    """A rich Console, created (and rich imported) at its first use."""

    def __init__(self, stderr: bool):
        self._stderr = stderr
        self._console = None

    def get(self):
        """The Console itself (for rich objects that take one, a Progress bar)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr, highlight=False, soft_wrap=True)
        return self._console

    def __getattr__(self, name: str):
        return getattr(self.get(), name)


out_console = _LazyConsole(stderr=False)
err_console = _LazyConsole(stderr=True)


def error_line(message) -> None:
    """``error: <message>`` on stderr as one line: user text in it (names, paths, SQL) is
    printed as given, and line breaks and control characters in it become spaces."""
    from migsmith.tools.planning.sqltext import comment_line

    sys.stderr.write(f"error: {comment_line(message)}\n")


def report_error(exc: MigsmithError) -> int:
    """One clear line on stderr for a user-facing error; returns its exit code."""
    error_line(exc)
    return exc.exit_code


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
