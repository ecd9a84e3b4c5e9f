"""The `migsmith` command line. Each command lives in migsmith/commands/<name>.py and exposes
``SUMMARY`` (one line for the command list) and ``main(argv) -> exit status``.

The CLI is the standard library's argparse, not typer: a call pays only for the command it
runs. typer 0.29 cost about 25 ms to import plus about 60 ms building a pydantic TypeAdapter
per option on every call (and 80 ms more for its rich help), which alone broke the start-up
budget of ``migsmith --help`` (0.25 s) and left little of ``migsmith plan``'s (0.4 s);
argparse costs about 2 ms, and shows flags as flags (typer showed ``--json <bool>``).
"""

from __future__ import annotations

import importlib
import os
import sys

# Exit codes shared by every command.
EXIT_OK = 0
EXIT_INVALID = 1  # invalid request, spec, SQL, plan or failed verification
EXIT_USAGE = 2  # bad command-line usage

# In the order the command list shows them. A module still being built is simply absent.
COMMANDS = ["plan", "verify", "apply", "status", "backfill", "lint", "chat", "mcp", "spec-schema",
            "eval"]

EXAMPLES = """\
examples:
  migsmith plan "rename created to created_at in posts" --schema db/schema.sql
  migsmith plan --spec change.json --db postgresql://localhost/app --out migrations/rename
  migsmith verify migrations/rename --schema db/schema.sql
  migsmith lint migrations/
  migsmith chat --schema db/schema.sql

Run `migsmith COMMAND --help` for a command's options and examples."""


def _module(name: str):
    try:
        return importlib.import_module(f"migsmith.commands.{name.replace('-', '_')}")
    except ModuleNotFoundError as exc:
        if exc.name == f"migsmith.commands.{name.replace('-', '_')}":
            return None
        raise


def usage() -> str:
    from migsmith import __version__

    rows = []
    for name in COMMANDS:
        module = _module(name)
        if module is not None:
            rows.append(f"  {name:12} {module.SUMMARY}")
    return (f"usage: migsmith [-h] [--version] COMMAND [ARGS...]\n\n"
            f"migsmith {__version__}: turn a schema-change request into a safe, reversible "
            "migration plan, and prove it\non a throwaway database.\n\n"
            "commands:\n" + "\n".join(rows) + "\n\noptions:\n"
            "  -h, --help  show this help and exit\n"
            "  --version   print the version and exit\n\n" + EXAMPLES + "\n")


def run(argv: list[str]) -> int:
    """Run one ``migsmith`` command line (without the program name); returns the exit status."""
    if not argv:
        sys.stderr.write(usage())
        return EXIT_USAGE
    first = argv[0]
    if first in ("-h", "--help", "help") and len(argv) == 1:
        sys.stdout.write(usage())
        return EXIT_OK
    if first == "help":  # `migsmith help plan` is `migsmith plan --help`
        return run([argv[1], "--help"])
    if first in ("--version", "-V"):
        from migsmith import __version__

        sys.stdout.write(f"migsmith {__version__}\n")
        return EXIT_OK
    module = _module(first) if first in COMMANDS else None
    if module is None:
        from migsmith.tools.errors import did_you_mean

        what = "option" if first.startswith("-") else "command"
        hint = did_you_mean(first, COMMANDS)
        sys.stderr.write(f"error: unknown {what} {first!r}: "
                         + (f"{hint} " if hint else "")
                         + f"(commands: {', '.join(COMMANDS)}; see migsmith --help)\n")
        return EXIT_USAGE
    return module.main(argv[1:])


def _quiet_interrupted_rollbacks() -> None:
    """A signal that lands while a query is in flight leaves psycopg's connection mid-command:
    its ``with`` block then cannot roll back and logs "error ignored in rollback" before closing
    the connection (the server rolls the transaction back itself). The command's own one-line
    message says what stopped; psycopg's second line about it would only add noise."""
    import logging

    logging.getLogger("psycopg").addFilter(
        lambda record: not record.getMessage().startswith("error ignored in rollback"))


def main() -> None:
    """The console script. Signals are routed first, before anything slow is imported, so a
    Ctrl-C at any moment ends in one line and the usual cleanup, never a traceback
    (``tools/signals.py``)."""
    from migsmith.tools.signals import Interrupted, install, report

    install()
    # pydantic looks for plugins in every installed package's entry points on first use;
    # migsmith loads none, and the search costs a CLI call tens of milliseconds.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    _quiet_interrupted_rollbacks()
    try:
        code = run(sys.argv[1:])
    except Interrupted as exc:
        report(exc)
        code = exc.code
    except KeyboardInterrupt:  # a caller that routed SIGINT elsewhere
        sys.stderr.write("interrupted\n")
        code = 130
    sys.stdout.flush()
    raise SystemExit(code)
