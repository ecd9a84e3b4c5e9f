"""`migsmith chat`: refine one migration plan in conversation; works with piped input too."""

from __future__ import annotations

import sys
from pathlib import Path

from migsmith.commands import _args

SUMMARY = "Plan a change in conversation: refine it, ask about it, write it."
EXAMPLES = """\
  migsmith chat --schema db/schema.sql
  migsmith chat --db postgresql://localhost/app --out migrations/next
  printf 'rename created to created_at in posts\\nwrite it\\n' | migsmith chat --schema db/schema.sql"""
DETAILS = """\
Type help in the chat for its commands. "write it" verifies the plan on a throwaway database
first (as migsmith plan does) and writes nothing when that fails. With input from a pipe, the
exit status is 1 when the session ended in an error, else 0."""


def build_parser():
    p = _args.command_parser("chat", SUMMARY, EXAMPLES, DETAILS)
    _args.add_schema_source(p)
    _args.add_dialect(p)
    p.add_argument("--model", default="auto", metavar="NAME",
                   help="offline, anthropic[:MODEL_ID] or auto (default)")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help='where "write it" writes (default: migrations/<name>)')
    p.add_argument("--code", type=Path, metavar="DIR",
                   help="repository to search for uses of what changes")
    _args.add_rows(p)
    p.add_argument("--allow-data-loss", action="store_true",
                   help="consent to steps that destroy data (drop a column or table ...)")
    p.add_argument("--no-verify", action="store_true",
                   help='"write it" writes without the shadow-database round trip (and says so)')
    p.add_argument("--shadow-db", metavar="URL",
                   help="a disposable database to verify on instead of a private server")
    return p


def main(argv: list[str]) -> int:
    return _args.run(build_parser(), chat_command, argv)


def chat_command(args) -> int:
    """Plan a change in conversation: request, refine, show up/down SQL, write it."""
    from migsmith.agent.chat import HELP, ChatSession, lines_from
    from migsmith.commands._common import out_console, parse_rows
    from migsmith.tools.schema.detect import detect_dialect
    from migsmith.tools.schema import load_schema

    location = args.schema or args.db
    found = None if args.dialect else detect_dialect(location)
    dialect_name = args.dialect or found.dialect
    sch = load_schema(location, dialect_name)
    for table, count in parse_rows(args.rows).items():
        sch.table(table).row_estimate = count
    console = out_console
    lines = lines_from(sys.stdin, console)

    def ask(question: str) -> str:
        console.print(f"? {question}", markup=False, highlight=False)
        return next(lines, "")

    def verify(plan) -> dict:
        from migsmith.commands.plan import _verify

        return _verify(plan, location, dialect_name, args.shadow_db)

    session = ChatSession(schema=sch, console=console, model=args.model, dialect=dialect_name,
                          code_path=args.code, out_dir=args.out,
                          allow_data_loss=args.allow_data_loss, ask=ask,
                          verify=None if args.no_verify else verify)
    interactive = sys.stdin.isatty()
    if interactive:
        console.print(HELP, markup=False, style="dim")
    if found is not None and not found.certain:
        console.print(f"note: {found.note()}", markup=False)
    for line in lines:
        if not session.handle(line):
            break
    return 1 if session.failed and not interactive else 0
