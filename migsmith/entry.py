"""The `migsmith` console entry point.

Signals are routed first, before anything slow is imported, so a Ctrl-C at any moment (even
while the command line is still loading) ends in one line and the usual cleanup, never a
traceback (``tools/signals.py``). Usage errors are one line too (exit 2).

``migsmith lint ...`` goes straight to its command module: linting in CI is dominated by
start-up, and the typer app (typer, click, pydantic, rich) costs more to import than the linter
itself. Everything else, ``migsmith lint`` reached through ``--help`` included, goes through the
typer app in ``migsmith.cli``.
"""

from __future__ import annotations

import sys


def main() -> None:
    from migsmith.tools.signals import Interrupted, install, report

    install()
    try:
        argv = sys.argv[1:]
        if argv[:1] == ["lint"]:
            from migsmith.commands.lint import main as lint_main

            code = lint_main(argv[1:])
            sys.stdout.flush()
            raise SystemExit(code)
        sys.exit(_run())
    except Interrupted as exc:
        report(exc)
        sys.exit(exc.code)
    except KeyboardInterrupt:  # a caller that routed SIGINT elsewhere
        sys.stderr.write("interrupted\n")
        sys.exit(130)


def _click_exceptions():
    """The exception classes of the click that typer runs on (recent typer vendors its own)."""
    try:
        from typer._click import exceptions
    except ImportError:  # typer on the standalone click package
        from click import exceptions
    return exceptions


def _run() -> int:
    import typer

    from migsmith.cli import app

    errors = _click_exceptions()
    abort = getattr(errors, "Abort", typer.Abort)
    try:
        code = app(standalone_mode=False)
    except errors.NoArgsIsHelpError:  # `migsmith` alone: typer has printed the help
        return 2
    except errors.UsageError as exc:
        where = f" (see {exc.ctx.command_path} --help)" if exc.ctx else ""
        _one_line(f"{exc.format_message()}{where}")
        return exc.exit_code
    except errors.ClickException as exc:
        _one_line(exc.format_message())
        return exc.exit_code
    except abort:
        _one_line("aborted")
        return 1
    return code if isinstance(code, int) else 0


def _one_line(message: str) -> None:
    from migsmith.commands._common import error_line

    error_line(message)
