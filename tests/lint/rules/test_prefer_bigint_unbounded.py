import pytest

from migsmith.tools.lint import lint_sql

RULE = "prefer-bigint-unbounded"


def fired(sql, **kw):
    return lint_sql(sql, rules={RULE}, **kw)


# Written from columns that overflowed and were widened to bigint later in the same projects:
# supabase/storage@4fa61fba9371 migrations/tenant/0021-s3-multipart-uploads.sql (in_progress_size,
# size int; widened in 0022-s3-multipart-uploads-big-ints.sql), hatchet-dev/hatchet@89d130f303c9
# cmd/hatchet-migrate/migrate/migrations/20240715154334_v0_37_0.sql ("duration" integer; widened in
# 20240923124809_v0_45_4.sql) and 20240115180414_init.sql ("order" SMALLSERIAL; widened in
# 20240215162148_v0_10_2.sql).
@pytest.mark.parametrize("sql, column", [
    ("CREATE TABLE IF NOT EXISTS storage.s3_multipart_uploads (id text PRIMARY KEY, "
     "in_progress_size int NOT NULL default 0, upload_signature text NOT NULL);", "in_progress_size"),
    ("CREATE TABLE IF NOT EXISTS storage.s3_multipart_uploads_parts (id uuid PRIMARY KEY, "
     "size int NOT NULL default 0, part_number int NOT NULL);", "size"),
    ('ALTER TABLE "WorkflowRun" ADD COLUMN "duration" integer NULL;', "duration"),
    ('CREATE TABLE "StepRun" ("id" UUID NOT NULL, "order" SMALLSERIAL NOT NULL);', "order"),
    ("CREATE TABLE t (download_count int, \"viewCount\" int4, elapsed_ms integer, filesize int);", None),
])
def test_flags_growing_non_key_ints(sql, column):
    found = fired(sql)
    assert found
    if column:
        assert len(found) == 1 and f".{column} is" in found[0].message
    else:
        assert len(found) == 4


@pytest.mark.parametrize("sql", [
    "CREATE TABLE t (part_number int NOT NULL, age smallint, rating int, status int, position int);",
    "CREATE TABLE t (size bigint, duration_ms int8, total numeric);",
    "CREATE TABLE t (user_id int, \"userId\" int, id serial PRIMARY KEY);",  # keys: prefer-bigint-key
    "CREATE TABLE t (sizes int[]);",
    "ALTER TABLE t ALTER COLUMN size TYPE int;",  # a type change is changing-column-type's business
])
def test_leaves_other_ints_and_keys_alone(sql):
    assert fired(sql) == []
