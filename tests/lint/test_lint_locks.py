"""Lock classification (tools/lint/locks.py) against PostgreSQL's documented lock levels, and
against squawk's own table where the corpus is available."""

import json

import pytest
from pglast import parse_sql

from migsmith.tools.lint.facts import TableRef
from migsmith.tools.lint.locks import LockMode, locks_taken
from migsmith.tools.lint.peers import find_peers_dir

AE, SUE, SRE = LockMode.ACCESS_EXCLUSIVE, LockMode.SHARE_UPDATE_EXCLUSIVE, LockMode.SHARE_ROW_EXCLUSIVE


def locks(sql):
    return locks_taken(parse_sql(sql)[0].stmt)


def strongest(sql):
    found = locks(sql)
    return max(found.values()) if found else None


@pytest.mark.parametrize("sql, expected", [
    ("ALTER TABLE t ADD COLUMN c int", {TableRef("t"): AE}),
    ("ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES o (id)", {TableRef("t"): SRE, TableRef("o"): SRE}),
    ("ALTER TABLE t ADD COLUMN c int REFERENCES o (id)", {TableRef("t"): AE, TableRef("o"): SRE}),
    ("ALTER TABLE t VALIDATE CONSTRAINT c", {TableRef("t"): SUE}),
    ("ALTER TABLE t VALIDATE CONSTRAINT c, ADD COLUMN d int", {TableRef("t"): AE}),
    ("ALTER TABLE t ATTACH PARTITION p FOR VALUES FROM (1) TO (2)", {TableRef("t"): SUE}),
    ("ALTER TABLE t DETACH PARTITION p CONCURRENTLY", {TableRef("t"): SUE}),
    ("ALTER TABLE t DETACH PARTITION p", {TableRef("t"): AE}),
    ("CREATE TABLE n (id bigint, u bigint REFERENCES users (id))", {TableRef("users"): SRE}),
    ("CREATE TABLE n (id bigint)", {}),
    ("CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (1) TO (2)", {TableRef("p"): AE}),
    ("CREATE TRIGGER trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()", {TableRef("t"): SRE}),
    ("DROP INDEX s.idx", {TableRef("idx", "s", "index"): AE}),
    ("DROP TRIGGER trg ON t", {TableRef("t"): AE}),
    ("ALTER INDEX i RENAME TO j", {TableRef("i", kind="index"): SUE}),
    ("UPDATE t SET a = 1", {TableRef("t"): LockMode.ROW_EXCLUSIVE}),
    ("COMMENT ON COLUMN s.t.c IS 'x'", {TableRef("t", "s"): SUE}),
    ("CREATE TYPE mood AS ENUM ('a')", {}),
])
def test_documented_lock_levels(sql, expected):
    assert locks(sql) == expected


def test_dangerous_means_blocks_writes():
    assert [m.name for m in LockMode if m.dangerous] == [
        "SHARE", "SHARE_ROW_EXCLUSIVE", "EXCLUSIVE", "ACCESS_EXCLUSIVE"]
    assert [m.name for m in LockMode if m.blocks_reads] == ["ACCESS_EXCLUSIVE"]


# Where migsmith deliberately differs from squawk's table (see docs/lint.md).
SQUAWK_DIFFERENCES = {
    # PostgreSQL docs: the concurrent form takes SHARE UPDATE EXCLUSIVE on the parent
    "ALTER TABLE t DETACH PARTITION p CONCURRENTLY;": SUE,
    # squawk reports "Unknown"; no table lock is taken
    "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');": None,
}
_SQUAWK_NAMES = {"AccessExclusive": AE, "ShareUpdateExclusive": SUE, "Share": LockMode.SHARE,
                 "ShareRowExclusive": SRE, "Exclusive": LockMode.EXCLUSIVE,
                 "RowExclusive": LockMode.ROW_EXCLUSIVE, "RowShare": LockMode.ROW_SHARE,
                 "AccessShare": LockMode.ACCESS_SHARE, "Unknown": None}


def _squawk_rows():
    peers = find_peers_dir()
    if peers is None:
        return []
    return [json.loads(l) for l in (peers / "squawk" / "lock_modes.jsonl").read_text().splitlines()]


@pytest.mark.parametrize("row", _squawk_rows(), ids=lambda r: r["sql"])
def test_agrees_with_squawk_lock_table(row):
    expected = SQUAWK_DIFFERENCES.get(row["sql"], _SQUAWK_NAMES[row["lock_mode"]])
    assert strongest(row["sql"]) == expected


def test_squawk_lock_table_is_present_when_the_corpus_is():
    if find_peers_dir() is None:
        pytest.skip("peer corpora not found (../shared/peers or MIGSMITH_PEERS_DIR)")
    assert len(_squawk_rows()) == 61
