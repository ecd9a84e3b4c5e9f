"""The tool input schemas sent to the Messages API keep its documented rules, and the ChangeSpec
examples (`migsmith spec-schema`) are valid specs that change examples/schema.sql.

The rules (docs/agent.md, "Tool schemas"): the root of input_schema is an object (the SDK's
InputSchema type fixes ``type: "object"``); no oneOf/anyOf/allOf at the root (the API answers
400 "input_schema does not support oneOf, allOf, or anyOf at the top level"); ``$ref`` only to
the schema's own ``$defs``, not recursive; ``discriminator`` is an OpenAPI keyword that JSON
Schema validators ignore, so each oneOf variant must be told apart by a required const.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from migsmith.agent.tools import ToolContext, definitions
from migsmith.tools.schema.evolve import settle
from migsmith.tools.spec.changespec import OPERATION_KINDS, json_schema, parse_spec
from migsmith.tools.spec.examples import EXAMPLES

ROOT = Path(__file__).resolve().parents[2]


def _walk(node, path=""):
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _walk(value, f"{path}/{i}")


def _refs(node) -> set[str]:
    return {n["$ref"] for _, n in _walk(node) if "$ref" in n}


def _check_rules(schema: dict) -> None:
    assert schema["type"] == "object"
    assert not {"oneOf", "anyOf", "allOf", "$ref"} & schema.keys()
    defs = schema.get("$defs", {})
    for ref in _refs(schema):
        assert ref.startswith("#/$defs/") and ref.removeprefix("#/$defs/") in defs, ref
    for name, body in defs.items():  # no definition reaches itself
        seen, todo = set(), [r.removeprefix("#/$defs/") for r in _refs(body)]
        while todo:
            cur = todo.pop()
            assert cur != name, f"{name} is recursive"
            if cur not in seen:
                seen.add(cur)
                todo += [r.removeprefix("#/$defs/") for r in _refs(defs[cur])]
    for path, node in _walk(schema):
        for variant in node.get("oneOf", []):
            body = defs[variant["$ref"].removeprefix("#/$defs/")] if "$ref" in variant else variant
            consts = [k for k, p in body["properties"].items() if "const" in p]
            assert consts and set(consts) <= set(body["required"]), f"{path}: {body.get('title')}"
        if node.get("type") == "object" and "properties" in node:
            assert node.get("additionalProperties") is False, path


def test_every_tool_definition_keeps_the_messages_api_rules(schema):
    ctx = ToolContext(schema=schema, request="", code_path=ROOT, ask=lambda q: "")
    tools = definitions(ctx)
    assert {t["name"] for t in tools} >= {"list_tables", "submit_change_spec", "ask_user"}
    for tool in tools:
        assert set(tool) == {"name", "description", "input_schema"}
        _check_rules(tool["input_schema"])


def test_the_examples_cover_every_operation_and_validate_without_the_discriminator():
    import jsonschema

    assert sorted(EXAMPLES) == sorted(OPERATION_KINDS)
    schema = json_schema()
    validator = jsonschema.Draft202012Validator(schema)  # ignores "discriminator"
    for kind, example in EXAMPLES.items():
        assert example["operations"][0]["op"] == kind
        validator.validate(example)
    bad = {"operations": [{"table": "users", "column": "name"}]}  # no op: which one?
    assert not validator.is_valid(bad)


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_each_example_is_a_real_change_of_the_example_schema(kind, schema):
    settled, notes = settle(schema, parse_spec(EXAMPLES[kind]))
    assert settled is not None and not notes


def test_spec_schema_prints_the_schema_with_the_examples():
    proc = subprocess.run([sys.executable, "-m", "migsmith", "spec-schema"], cwd=ROOT,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    printed = json.loads(proc.stdout)
    assert printed["examples"] == list(EXAMPLES.values())
    assert {k: v for k, v in printed.items() if k != "examples"} == json_schema()
