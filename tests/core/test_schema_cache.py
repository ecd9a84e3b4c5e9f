"""Big schema files are parsed once per content (tools/schema/cache.py): a second load reads
the model back from the cache on disk, equal to the parsed one; a changed file, a damaged
cache file or MIGSMITH_SCHEMA_CACHE=0 parse again."""

from __future__ import annotations

import pytest

from migsmith.tools.schema import cache, load_ddl, load_schema


def make_schema(n: int) -> str:
    return "\n".join(
        f"CREATE TABLE t{i} (id bigint PRIMARY KEY, name text NOT NULL DEFAULT 'x', "
        f"parent_id bigint REFERENCES t{max(i - 1, 0)} (id));\n"
        f"CREATE INDEX t{i}_name ON t{i} (lower(name) DESC) WHERE name IS NOT NULL;"
        for i in range(n))


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "MIN_CHARS", 2000)  # small files stand for big ones here
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("MIGSMITH_SCHEMA_CACHE", raising=False)
    cache._memory.clear()
    yield tmp_path / "cache" / "migsmith" / "schemas"
    cache._memory.clear()


def _parses(monkeypatch) -> list[int]:
    from migsmith.tools import schema as schema_pkg

    calls: list[int] = []
    real = schema_pkg._parse_ddl

    def counting(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(schema_pkg, "_parse_ddl", counting)
    return calls


def test_a_big_file_is_parsed_once_and_read_back_equal(tmp_path, cache_home, monkeypatch):
    text = make_schema(20)
    assert len(text) >= cache.MIN_CHARS
    path = tmp_path / "big.sql"
    path.write_text(text)
    parses = _parses(monkeypatch)
    first = load_schema(str(path))
    assert len(list(cache_home.glob("*.json"))) == 1 and len(parses) == 1
    cache._memory.clear()  # another process: only the file on disk
    copy = tmp_path / "copy.sql"
    copy.write_text(text)
    second = load_schema(str(copy))
    assert len(parses) == 1, "the second load parsed the file again"
    assert second.source == str(copy)
    assert second.model_dump(exclude={"source"}) == first.model_dump(exclude={"source"})
    second.tables["t1"].columns.clear()  # each load is its own object
    assert load_schema(str(path)).tables["t1"].columns


def test_a_changed_file_or_a_damaged_cache_parses_again(tmp_path, cache_home, monkeypatch):
    text = make_schema(20)
    parses = _parses(monkeypatch)
    load_ddl(text)
    changed = load_ddl(text.replace("CREATE TABLE t7 (", "CREATE TABLE t7 (\n    extra int,"))
    assert len(parses) == 2 and changed.tables["t7"].has_column("extra")
    for f in cache_home.glob("*.json"):
        f.write_text("{not json")
    cache._memory.clear()
    assert load_ddl(text).tables["t19"].has_column("parent_id")
    assert len(parses) == 3
    cache._memory.clear()
    load_ddl(text)  # rewritten after the damaged read
    assert len(parses) == 3


def test_small_files_and_a_disabled_cache_are_always_parsed(cache_home, monkeypatch):
    parses = _parses(monkeypatch)
    load_ddl(make_schema(2))
    monkeypatch.setenv("MIGSMITH_SCHEMA_CACHE", "0")
    load_ddl(make_schema(20))
    load_ddl(make_schema(20))
    assert len(parses) == 3 and not cache_home.exists()
