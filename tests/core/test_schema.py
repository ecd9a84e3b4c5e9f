import pytest

from migsmith.tools.errors import SchemaError, SpecError
from migsmith.tools.schema import load_ddl, load_schema


def test_example_schema_loads(example_schema_path):
    s = load_schema(str(example_schema_path))
    users = s.table("users")
    assert users.row_estimate == 1_200_000
    assert users.primary_key == ["id"]
    assert users.column("id").type == "bigint" and users.column("id").identity
    assert users.column("created").type == "timestamp without time zone"
    fk = next(c for c in users.constraints if c.kind == "foreign_key")
    assert (fk.ref_table, fk.ref_columns) == ("orgs", ["id"])
    assert {i.name for i in s.table("posts").indexes} >= {"posts_user_id_idx", "posts_created_idx"}


def test_unknown_table_suggests_near_match(example_schema_path):
    s = load_schema(str(example_schema_path))
    with pytest.raises(SpecError) as exc:
        s.table("user")
    assert "did you mean 'users'" in str(exc.value)


def test_unknown_column_suggests_near_match(example_schema_path):
    s = load_schema(str(example_schema_path))
    with pytest.raises(SpecError, match="did you mean 'created'"):
        s.table("posts").column("creatd")


def test_ddl_parse_error_has_line_and_column():
    with pytest.raises(SchemaError, match=r"schema.sql:2:\d+: syntax error"):
        load_ddl("CREATE TABLE a (id int);\nCREATE TABEL b (id int);", source="schema.sql")


def test_alter_table_constraints_and_not_valid():
    s = load_ddl("""
        CREATE TABLE a (id int PRIMARY KEY, x int);
        CREATE TABLE b (id int, a_id int);
        ALTER TABLE b ADD CONSTRAINT b_a_fk FOREIGN KEY (a_id) REFERENCES a (id) NOT VALID;
        ALTER TABLE b ADD CONSTRAINT b_pk PRIMARY KEY (id);
        CREATE UNIQUE INDEX a_x ON a (x) WHERE x > 0;
    """)
    b = s.table("b")
    assert b.constraint_named("b_a_fk").validated is False
    assert b.primary_key == ["id"] and b.column("id").nullable is False
    assert s.table("a").index_named("a_x").where == "x > 0"


def test_missing_schema_file():
    with pytest.raises(SchemaError, match="schema file not found"):
        load_schema("/nonexistent/schema.sql")
