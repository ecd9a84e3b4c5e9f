"""Lint speed: a 500-statement migration, and every generated plan file.

    python -m bench.lint_bench [--repeat N]

Target (issue "Prove every plan"): a 500-statement file lints in well under a second.
Printed: median seconds over N runs after a warm-up, and the ratio to the 1 s target.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

STATEMENTS = [
    "ALTER TABLE t{i} ADD COLUMN c{i} text;",
    "CREATE INDEX idx_{i} ON t{i} (c{i});",
    "UPDATE t{i} SET c{i} = 'x' WHERE id BETWEEN {i} AND {i}00;",
    "ALTER TABLE t{i} ADD CONSTRAINT ck_{i} CHECK (c{i} IS NOT NULL) NOT VALID;",
    "CREATE TABLE n{i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text, at timestamptz);",
]
TARGET_S = 1.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from migsmith.tools.lint import lint_sql

    sql = "BEGIN;\nSET LOCAL lock_timeout = '2s';\n" + "\n".join(
        STATEMENTS[i % len(STATEMENTS)].format(i=i) for i in range(500)) + "\nCOMMIT;\n"
    lint_sql("SELECT 1;")  # imports and rule registry are not what we measure
    times, findings = [], 0
    for _ in range(args.repeat):
        start = time.perf_counter()
        findings = len(lint_sql(sql))
        times.append(time.perf_counter() - start)
    med = statistics.median(times)
    print(f"lint 500 statements: median {med:.3f} s over {args.repeat} runs "
          f"({findings} findings); target {TARGET_S} s; ratio {med / TARGET_S:.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
