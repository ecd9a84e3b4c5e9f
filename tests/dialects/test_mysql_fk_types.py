"""MySQL refuses a foreign key between integer columns of another size or sign with an error
that names a missing index (found on Sakila's film_text.film_id -> film.film_id): the plan
says so first, in one line naming both columns and the fix."""

from __future__ import annotations

import json

import pytest

from migsmith.tools.errors import SpecError
from migsmith.tools.planning.planner import build_plan
from migsmith.tools.schema import load_ddl
from migsmith.tools.spec.changespec import parse_spec

DDL = """
CREATE TABLE film (film_id INT UNSIGNED NOT NULL AUTO_INCREMENT, PRIMARY KEY (film_id));
CREATE TABLE film_text (film_id INT(11) NOT NULL, title VARCHAR(255), PRIMARY KEY (film_id));
CREATE TABLE review (id INT NOT NULL, film_id INTEGER UNSIGNED, PRIMARY KEY (id));
"""


def plan(table: str):
    spec = {"name": "fk", "options": {"dialect": "mysql"}, "operations": [
        {"op": "add_foreign_key", "table": table, "columns": ["film_id"], "ref_table": "film",
         "ref_columns": ["film_id"], "name": f"{table}_film_fk"}]}
    return build_plan(parse_spec(json.dumps(spec)), load_ddl(DDL, "mysql"))


def test_another_sign_is_refused_naming_both_columns_and_the_fix():
    with pytest.raises(SpecError) as err:
        plan("film_text")
    assert "film_text.film_id is int(11) and film.film_id is int unsigned" in str(err.value)
    assert "alter_column_type" in (err.value.hint or "")


def test_the_same_size_and_sign_in_another_spelling_plans():
    assert plan("review").steps
