"""The fast parse tree (tools/lint/pg_tree.py) holds exactly what pglast.parse_sql gives, on every
SQL file at hand: the repository's own fixtures and examples, and the peer corpora when present."""

from pathlib import Path

import pglast
import pytest
from pglast.parser import ParseError

from migsmith.tools.lint.peers import find_peers_dir
from migsmith.tools.lint.pg_tree import parse_sql, same_tree

ROOT = Path(__file__).resolve().parents[2]


def _files():
    found = sorted((ROOT / "tests").rglob("*.sql")) + sorted((ROOT / "examples").rglob("*.sql"))
    peers = find_peers_dir(ROOT)
    if peers is not None:
        found += sorted(peers.rglob("*.sql"))
    return found


def _same(sql):
    try:
        ref = pglast.parse_sql(sql)
    except ParseError as exc:
        with pytest.raises(ParseError) as got:
            parse_sql(sql)
        assert got.value.args == exc.args
        return
    got = parse_sql(sql)
    assert [(r.stmt_location, r.stmt_len) for r in ref] == [(g.stmt_location, g.stmt_len) for g in got]
    assert same_tree(tuple(r.stmt for r in ref), tuple(g.stmt for g in got))


def test_every_file_at_hand_parses_to_the_same_tree():
    files = _files()
    assert len(files) >= 5
    for path in files:
        _same(path.read_text(encoding="utf-8", errors="replace"))


@pytest.mark.parametrize("sql", [
    "SELECT 'é', \"naïve\" FROM t; ALTER TABLE t ADD COLUMN c int DEFAULT 0;",  # byte vs char offsets
    "SELECT 1, 1.5, true, NULL, B'101', 'x'::text",
    "DROP TABLE a, b.c; GRANT SELECT ON t TO PUBLIC; CREATE TABLE t (LIKE u INCLUDING ALL)",
    "SELECT count(*) FROM t GROUP BY GROUPING SETS ((a), ())",
    "CREATE FOREIGN TABLE f (a int) SERVER s",  # an embedded CreateStmt
    "",
    "SELEC 1",
])
def test_edge_cases(sql):
    _same(sql)


def test_unset_slots_answer_defaults_and_unknown_names_raise():
    (raw,) = parse_sql("CREATE INDEX i ON t (c)")
    assert raw.stmt.concurrent is False and raw.stmt.whereClause is None and raw.stmt_location == 0
    with pytest.raises(AttributeError):
        raw.stmt.no_such_slot  # noqa: B018
    assert type(raw.stmt).__name__ == "IndexStmt" and isinstance(raw.stmt, pglast.ast.IndexStmt)
