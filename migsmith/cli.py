"""The `migsmith` command line: a thin typer app. Each command lives in migsmith/commands/."""

from __future__ import annotations

import importlib
import sys

import typer

# Exit codes shared by every command.
EXIT_OK = 0
EXIT_INVALID = 1  # invalid request, spec, SQL, plan or failed verification
EXIT_USAGE = 2  # bad command-line usage (typer/click's own code)

COMMANDS = [
    "plan",
    "apply",
    "status",
    "verify",
    "lint",
    "backfill",
    "chat",
    "eval",
    "mcp",
    "spec-schema",
]

app = typer.Typer(
    name="migsmith",
    help="Turn a schema-change request into a safe, reversible migration plan, and prove it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback(invoke_without_command=True)
def _root(
    version: bool = typer.Option(False, "--version", help="Print the version and exit."),
) -> None:
    """migsmith: safe, reversible database migrations, proven before they ship."""
    if version:
        from migsmith import __version__

        typer.echo(f"migsmith {__version__}")
        raise typer.Exit()


def _register_all() -> None:
    # A one-shot run imports only the command it runs: each command module pulls in its own
    # part of the core, and start-up time is most of a CLI call. Help and unknown input
    # register everything.
    argv = [a for a in sys.argv[1:] if not a.startswith("-")]
    names = [argv[0]] if argv and argv[0] in COMMANDS else COMMANDS
    for name in names:
        path = f"migsmith.commands.{name.replace('-', '_')}"
        try:
            module = importlib.import_module(path)
        except ModuleNotFoundError as exc:  # a command still being built is simply absent
            if exc.name == path:
                continue
            raise
        module.register(app)


_register_all()


def main() -> None:
    """Kept for callers of ``migsmith.cli:main``; the console script is ``migsmith.entry``."""
    from migsmith.entry import main as entry_main

    entry_main()
