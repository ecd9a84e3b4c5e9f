"""`migsmith spec-schema`: the ChangeSpec JSON schema, with one example per operation kind.

For an assistant that writes the spec itself (then `migsmith plan --spec -` reads it from
stdin, or the MCP plan tool takes it as an object).
"""

from __future__ import annotations

from typing import Annotated

import typer

from migsmith.commands._common import handle_errors, print_json


def register(app: typer.Typer) -> None:
    app.command("spec-schema")(spec_schema_command)


@handle_errors
def spec_schema_command(
    examples: Annotated[bool, typer.Option("--examples/--no-examples",
                                           help="Include one example spec per operation kind.")] = True,
) -> None:
    """Print the ChangeSpec JSON schema (what `plan --spec` reads)."""
    from migsmith.tools.spec.changespec import json_schema

    print_json(json_schema(examples=examples))
