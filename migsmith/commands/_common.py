"""Helpers shared by the CLI commands: error reporting, output, row estimates.

The rich consoles are made on first use (module ``__getattr__``): importing rich costs more
than a whole ``migsmith --help``, and most error paths never need it.
"""

from __future__ import annotations

import json
import sys

from migsmith.tools.errors import MigsmithError

_CONSOLES: dict = {}


def __getattr__(name: str):
    if name in ("err_console", "out_console"):
        if name not in _CONSOLES:
            from rich.console import Console

            _CONSOLES[name] = Console(stderr=name == "err_console", highlight=False,
                                      soft_wrap=True)
        return _CONSOLES[name]
    raise AttributeError(name)


def report_error(exc: MigsmithError) -> int:
    """One clear line on stderr for a user-facing error; returns its exit code."""
    sys.stderr.write(f"error: {exc}\n")
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
