import json

import pytest

from migsmith.tools.errors import SpecError, UnsafeIdentifierError
from migsmith.tools.spec.expressions import check_expression, check_type, is_volatile
from migsmith.tools.spec.changespec import OPERATION_KINDS, ChangeSpec, json_schema, parse_spec


def test_every_operation_kind_is_in_the_union():
    schema = json_schema()
    ops = schema["$defs"]
    names = {d["properties"]["op"]["const"] for d in ops.values()
             if "op" in d.get("properties", {})}
    assert names == set(OPERATION_KINDS)


def test_parse_valid_spec():
    spec = parse_spec({"operations": [{"op": "rename_column", "table": "posts",
                                       "column": "created", "new_name": "created_at"}]})
    assert spec.operations[0].new_name == "created_at"
    assert spec.options.dialect == "postgres"
    assert spec.migration_name().startswith("rename_column_posts_created")


def test_malformed_json_names_line_and_column():
    with pytest.raises(SpecError, match=r"malformed JSON at line 1 column 2"):
        parse_spec("{oops}")


def test_unknown_op_lists_known_ones():
    with pytest.raises(SpecError, match="unknown op 'explode'.*add_column"):
        parse_spec({"operations": [{"op": "explode", "table": "users"}]})


def test_missing_field_names_the_path():
    with pytest.raises(SpecError, match=r"operations\.0\.rename_column\.new_name: Field required"):
        parse_spec({"operations": [{"op": "rename_column", "table": "t", "column": "c"}]})


@pytest.mark.parametrize("name", ["x; DROP TABLE y", 'a"b', "users--", "", "1abc", "a b"])
def test_unsafe_identifiers_are_refused(name):
    with pytest.raises(SpecError, match="unsafe|empty"):
        parse_spec({"operations": [{"op": "drop_table", "table": name}],
                    "options": {"allow_data_loss": True}})


def test_identifier_length_limit():
    with pytest.raises(UnsafeIdentifierError, match="at most 63"):
        from migsmith.tools.spec.identifiers import check_identifier
        check_identifier("a" * 64)


def test_extra_fields_are_refused():
    with pytest.raises(SpecError, match="Extra inputs"):
        parse_spec({"operations": [{"op": "drop_index", "name": "i", "cascade": True}]})


@pytest.mark.parametrize("text", ["1; DROP TABLE users", "(SELECT 1); DELETE FROM x",
                                  "pg_sleep(10)", "(DELETE FROM users RETURNING 1)"])
def test_expressions_reject_statements_and_side_effects(text):
    with pytest.raises(SpecError):
        check_expression(text)


def test_expressions_are_canonicalized():
    assert check_expression("now()") == "now()"
    assert check_expression("'https://cdn/' || legacy_avatar") == "'https://cdn/' || legacy_avatar"
    assert is_volatile("gen_random_uuid()") and not is_volatile("now()")


@pytest.mark.parametrize("given,canonical", [
    ("int", "integer"), ("timestamptz", "timestamp with time zone"), ("varchar(20)",
    "character varying(20)"), ("bool", "boolean"), ("numeric(10,2)", "numeric(10,2)"),
    ("text[]", "text[]"), ("timestamp(3)", "timestamp(3) without time zone")])
def test_types_match_format_type(given, canonical):
    assert check_type(given) == canonical


def test_type_injection_refused():
    with pytest.raises(SpecError):
        check_type("text); DROP TABLE users; --")


def test_spec_roundtrips_through_json():
    spec = parse_spec({"operations": [{"op": "add_index", "table": "users",
                                       "columns": ["email"], "unique": True}]})
    again = ChangeSpec.model_validate(json.loads(spec.model_dump_json()))
    assert again == spec
