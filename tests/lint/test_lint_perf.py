"""A 500-statement migration lints well under a second."""

import time

from migsmith.tools.lint import lint_sql

STATEMENTS = [
    "ALTER TABLE t{i} ADD COLUMN c{i} text;",
    "CREATE INDEX idx_{i} ON t{i} (c{i});",
    "UPDATE t{i} SET c{i} = 'x' WHERE id BETWEEN {i} AND {i}00;",
    "ALTER TABLE t{i} ADD CONSTRAINT ck_{i} CHECK (c{i} IS NOT NULL) NOT VALID;",
    "CREATE TABLE n{i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text, at timestamptz);",
]


def test_500_statements_under_a_second():
    sql = "BEGIN;\nSET LOCAL lock_timeout = '2s';\n" + "\n".join(
        STATEMENTS[i % len(STATEMENTS)].format(i=i) for i in range(500)) + "\nCOMMIT;\n"
    lint_sql("SELECT 1;")  # import and registry warm-up are not what we measure
    start = time.perf_counter()
    findings = lint_sql(sql)
    elapsed = time.perf_counter() - start
    assert findings  # the rules did run
    assert elapsed < 1.0, f"linting 500 statements took {elapsed:.2f}s"
