"""The `migsmith` console entry point.

``migsmith lint ...`` goes straight to its command module: linting in CI is dominated by
start-up, and the typer app (typer, click, pydantic, rich) costs more to import than the linter
itself. Everything else, ``migsmith lint`` reached through ``--help`` included, goes through the
typer app in ``migsmith.cli``.
"""

from __future__ import annotations

import sys


def main() -> None:
    argv = sys.argv[1:]
    if argv[:1] == ["lint"]:
        from migsmith.commands.lint import main as lint_main

        try:
            code = lint_main(argv[1:])
        except KeyboardInterrupt:
            sys.stderr.write("interrupted\n")
            code = 130
        sys.stdout.flush()
        raise SystemExit(code)
    from migsmith.cli import main as cli_main

    cli_main()
