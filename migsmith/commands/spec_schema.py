"""`migsmith spec-schema`: the ChangeSpec JSON schema, with one example per operation kind.

For an assistant that writes the spec itself (then `migsmith plan --spec -` reads it from
stdin, or the MCP plan tool takes it as an object).
"""

from __future__ import annotations

import argparse

from migsmith.commands import _args

SUMMARY = "Print the ChangeSpec JSON schema (what plan --spec reads)."
EXAMPLES = """\
  migsmith spec-schema > changespec.schema.json
  migsmith spec-schema --no-examples"""


def build_parser():
    p = _args.command_parser("spec-schema", SUMMARY, EXAMPLES)
    p.add_argument("--examples", action=argparse.BooleanOptionalAction, default=True,
                   help="include one example spec per operation kind (default: yes)")
    return p


def main(argv: list[str]) -> int:
    return _args.run(build_parser(), spec_schema_command, argv)


def spec_schema_command(args) -> int:
    """Print the ChangeSpec JSON schema (what `plan --spec` reads)."""
    from migsmith.commands._common import print_json
    from migsmith.tools.spec.changespec import json_schema

    print_json(json_schema(examples=args.examples))
    return 0
