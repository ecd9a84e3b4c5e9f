"""Argument parsing shared by the commands: the standard library's argparse, nothing heavier.

Start-up is most of a CLI call (``migsmith --help``, ``migsmith lint`` in CI), so this module
imports nothing but argparse; a command loads the core it needs inside ``run``.
"""

from __future__ import annotations

import argparse
import sys

EXIT_USAGE = 2
DIALECTS = ("postgres", "mysql", "sqlite")
DIALECT_HELP = ("postgres, mysql or sqlite (also postgresql, pg, mariadb, sqlite3); "
                "default: what the schema is")


class Parser(argparse.ArgumentParser):
    """argparse with one clear line for a usage error (exit 2) instead of the whole usage."""

    def error(self, message: str):
        from migsmith.commands._common import error_line

        error_line(f"{message} (see {self.prog} --help)")
        raise SystemExit(EXIT_USAGE)


def command_parser(name: str, summary: str, examples: str = "", details: str = "") -> Parser:
    """The parser of ``migsmith NAME``: -h/--help, the summary, then examples under the options."""
    epilog = "\n\n".join(part for part in (
        ("examples:\n" + examples.rstrip()) if examples else "", details.rstrip()) if part)
    return Parser(prog=f"migsmith {name}", description=summary, epilog=epilog or None,
                  formatter_class=argparse.RawDescriptionHelpFormatter)


def dialect_name(value: str) -> str:
    """``--dialect`` value -> canonical name; an unknown one is a usage error naming the valid."""
    from migsmith.tools.dialects import ALIASES

    key = value.strip().lower()
    key = ALIASES.get(key, key)
    if key not in DIALECTS:
        raise argparse.ArgumentTypeError(
            f"unknown dialect {value!r}: use one of {', '.join(DIALECTS)} "
            f"(or {', '.join(sorted(ALIASES))})")
    return key


def add_dialect(p: argparse.ArgumentParser, help: str = DIALECT_HELP) -> None:
    p.add_argument("--dialect", type=dialect_name, metavar="NAME", help=help)


def add_schema_source(p: argparse.ArgumentParser, what: str = "the current schema") -> None:
    """--schema FILE | --db URL, exactly one of them."""
    group = p.add_mutually_exclusive_group(required=True)
    group.add_argument("--schema", metavar="FILE", help=f"DDL file of {what} (a .sql file, or a "
                                                        "SQLite database file)")
    group.add_argument("--db", metavar="URL", help=f"read {what} from this database "
                                                   "(read-only: it is never changed)")


def add_json(p: argparse.ArgumentParser, what: str = "print one JSON object instead of text") -> None:
    p.add_argument("--json", dest="as_json", action="store_true", help=what)


def add_rows(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rows", action="append", metavar="TABLE=COUNT",
                   help="row estimate of a table for the durations (repeatable), e.g. "
                        "--rows posts=4500000")


def count(low: int, high: int | None = None):
    """An ``int`` argument type bounded to [low, high]."""

    def parse(value: str) -> int:
        try:
            n = int(value.replace("_", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
        if n < low or (high is not None and n > high):
            bounds = f"between {low} and {high}" if high is not None else f"at least {low}"
            raise argparse.ArgumentTypeError(f"{n} is out of range: give a number {bounds}")
        return n

    parse.__name__ = "number"
    return parse


def seconds(value: str) -> float:
    try:
        n = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected seconds, got {value!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError("seconds cannot be negative")
    return n


def run(parser: argparse.ArgumentParser, fn, argv: list[str]) -> int:
    """Parse ``argv`` and call ``fn(args)``; a MigsmithError becomes one line on stderr."""
    args = parser.parse_args(argv)
    from migsmith.commands._common import report_error
    from migsmith.tools.errors import MigsmithError

    try:
        code = fn(args)
    except MigsmithError as exc:
        return report_error(exc)
    return int(code or 0)
