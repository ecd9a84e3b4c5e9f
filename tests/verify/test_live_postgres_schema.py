"""The live PostgreSQL schema loader, catalog snapshots and sample rows, on a real server."""

from __future__ import annotations

import psycopg
import psycopg.conninfo
import pytest

from migsmith.tools.proving import catalog
from migsmith.tools.errors import SchemaError
from migsmith.tools.running.executor import apply_step_sql
from migsmith.tools.schema import load_schema
from migsmith.tools.schema.live import redact_url
from migsmith.tools.schema.live_postgres import schema_to_ddl
from migsmith.tools.proving.seed import seed_postgres
from verify_helpers import SCHEMA

pytestmark = pytest.mark.postgres

EXTRA = """
CREATE TABLE tags (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    label varchar(12) NOT NULL,
    score numeric(5,2) CHECK (score >= 0),
    uid uuid UNIQUE,
    meta jsonb
);
CREATE UNIQUE INDEX tags_post_label_idx ON tags (post_id, lower(label)) WHERE score IS NOT NULL;
ALTER TABLE tags ADD CONSTRAINT tags_label_nonempty CHECK (label <> '') NOT VALID;
"""


@pytest.fixture()
def loaded(pg_url):
    with psycopg.connect(pg_url, autocommit=True) as conn:
        apply_step_sql(conn, SCHEMA.read_text() + EXTRA)
    return pg_url


def test_live_schema_matches_the_ddl_loader(loaded):
    live = load_schema(loaded, "postgres")
    ddl = load_schema(str(SCHEMA), "postgres")
    assert set(live.tables) == set(ddl.tables) | {"tags"}
    for name, table in ddl.tables.items():
        got = live.table(name)
        assert [(c.name, c.type, c.nullable, c.default, c.identity) for c in got.columns] == \
            [(c.name, c.type, c.nullable, c.default, c.identity) for c in table.columns]
        assert {i.name for i in got.indexes} == {i.name for i in table.indexes}
        assert {(c.name, c.kind, c.ref_table) for c in got.constraints} == \
            {(c.name, c.kind, c.ref_table) for c in table.constraints}
    assert live.server_version and live.server_version[0].isdigit()


def test_live_schema_reads_indexes_constraints_and_validity(loaded):
    tags = load_schema(loaded, "postgres").table("tags")
    assert tags.column("id").identity and not tags.column("id").nullable
    assert tags.column("label").type == "character varying(12)"
    idx = tags.index_named("tags_post_label_idx")
    assert idx.unique and idx.columns == ["post_id", "lower(label::text)"]
    assert idx.where == "score IS NOT NULL" and idx.valid
    assert "WHERE (score IS NOT NULL)" in idx.definition
    fk = next(c for c in tags.constraints if c.kind == "foreign_key")
    assert (fk.columns, fk.ref_table, fk.ref_columns, fk.on_delete) == \
        (["post_id"], "posts", ["id"], "cascade")
    chk = tags.constraint_named("tags_label_nonempty")
    assert chk.kind == "check" and not chk.validated and chk.expression == "label::text <> ''::text"
    assert tags.constraint_named("tags_uid_key").index == "tags_uid_key"
    assert tags.row_estimate == 0  # never analyzed: counted


def test_live_schema_source_has_the_password_redacted(loaded):
    import re

    url = re.sub(r"^(postgresql://[^:@/]+)(:[^@]*)?@", r"\1:hunter2@", loaded)
    assert "hunter2" in url
    schema = load_schema(url, "postgres")
    assert "hunter2" not in schema.source and "***" in schema.source
    assert redact_url("postgresql://u:pw@h:5432/db?sslmode=require") == \
        "postgresql://u:***@h:5432/db?sslmode=require"
    assert redact_url("host=h password='a b' dbname=x") == "host=h password=*** dbname=x"


def test_unreachable_database_is_a_schema_error():
    with pytest.raises(SchemaError, match=r"cannot connect to postgresql://a:\*\*\*@127.0.0.1:1/x"):
        load_schema("postgresql://a:pw@127.0.0.1:1/x", "postgres")


def test_ddl_recreated_from_a_live_schema_loads_the_same_structure(loaded, pg_url, pg_server_url):
    import uuid

    ddl = schema_to_ddl(load_schema(loaded, "postgres"))
    name = "t_" + uuid.uuid4().hex[:10]
    with psycopg.connect(pg_server_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    other = psycopg.conninfo.make_conninfo(pg_server_url, dbname=name)
    try:
        with psycopg.connect(other, autocommit=True) as conn:
            apply_step_sql(conn, ddl)
            copy = catalog.snapshot(conn)
        with psycopg.connect(loaded) as conn:
            original = catalog.snapshot(conn)

        def shape(snap):  # serial columns come back as identity columns: compare the rest
            return {t: ({c: (v["type"], v["nullable"]) for c, v in s["columns"].items()},
                        {i: v["definition"] for i, v in s["indexes"].items()},
                        {k: v["definition"] for k, v in s["constraints"].items()})
                    for t, s in snap["tables"].items()}
        assert shape(copy) == shape(original)
    finally:
        with psycopg.connect(pg_server_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_seed_honours_keys_types_and_foreign_keys(loaded):
    with psycopg.connect(loaded, autocommit=True) as conn:
        schema = load_schema(loaded, "postgres")
        seed_postgres(conn, schema, rows=300)
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
                  for t in schema.tables}
        assert counts == {t: 300 for t in schema.tables}
        # declared and implied parents exist; nullable columns are partly NULL
        assert conn.execute("SELECT count(*) FROM comments c LEFT JOIN posts p "
                            "ON p.id = c.post_id WHERE p.id IS NULL").fetchone() == (0,)
        nulls = conn.execute("SELECT count(*) FILTER (WHERE email_confirmed_at IS NULL), "
                             "count(DISTINCT email) FROM users").fetchone()
        assert nulls == (100, 300)
        # sequences were moved past the inserted keys: an ordinary insert works
        conn.execute("INSERT INTO orgs (name) VALUES ('new')")
        first = conn.execute("SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM tags t"
                             ).fetchone()
    with psycopg.connect(loaded, autocommit=True) as conn:  # deterministic
        conn.execute("TRUNCATE orgs, users, posts, comments, tags RESTART IDENTITY")
        seed_postgres(conn, load_schema(loaded, "postgres"), rows=300)
        again = conn.execute("SELECT md5(string_agg(t::text, ',' ORDER BY id)) FROM tags t"
                             ).fetchone()
    assert first == again


def test_snapshot_diff_is_readable(loaded):
    with psycopg.connect(loaded, autocommit=True) as conn:
        before = catalog.snapshot(conn)
        conn.execute("ALTER TABLE posts ALTER COLUMN views SET DEFAULT 1")
        conn.execute("CREATE INDEX posts_title_idx ON posts (title)")
        conn.execute("ALTER TABLE users DROP COLUMN legacy_avatar")
        after = catalog.snapshot(conn)
    assert catalog.diff(before, after) == [
        "posts: column views: default before: 0; after: 1",
        "posts: index posts_title_idx: exists after, not before (left behind)",
        "users: column legacy_avatar: exists before, missing after",
    ]
    assert catalog.diff(before, before) == []


def test_verify_from_a_live_database_leaves_it_untouched(loaded, tmp_path, pg_server_url):
    from migsmith.tools.proving.verify import verify_plan_dir
    from verify_helpers import OP_SPECS, make_plan_dir

    plan_dir = make_plan_dir(OP_SPECS["rename_column"], tmp_path / "p")
    with psycopg.connect(loaded) as conn:
        before = catalog.snapshot(conn)
    report = verify_plan_dir(plan_dir, loaded, server_url=pg_server_url, rows=50, write=False)
    assert report.ok, report.plan.problems()
    with psycopg.connect(loaded) as conn:
        assert catalog.diff(before, catalog.snapshot(conn)) == []
        assert conn.execute("SELECT count(*) FROM users").fetchone() == (0,)
