"""Every rule is complete, tested and documented."""

import re
from pathlib import Path

import pytest

from migsmith.tools.lint import all_rules
from migsmith.tools.lint.rules import CATEGORIES

ROOT = Path(__file__).resolve().parents[2]
RULES = list(all_rules().values())


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_metadata(rule):
    assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rule.id)
    assert rule.severity in ("error", "warning") and rule.category in CATEGORIES
    assert rule.message and "\n" not in rule.message and len(rule.message) < 120
    assert len(rule.why) > 80 and rule.safe_rewrite.strip()
    # type-taste rules are warnings; locking/rewrite/destructive/transaction/data rules are errors
    # (a few locking advisories that are about duration, not correctness, are warnings too)
    if rule.category == "taste":
        assert rule.severity == "warning"
    if rule.category in ("rewrite", "breaking", "destructive", "transaction", "data"):
        assert rule.severity == "error"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_has_its_own_test_module(rule):
    module = rule.module.rsplit(".", 1)[1]
    path = ROOT / "tests" / "lint" / "rules" / f"test_{module}.py"
    assert path.is_file(), f"missing {path.relative_to(ROOT)}"
    text = path.read_text()
    assert f'RULE = "{rule.id}"' in text


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_is_documented(rule):
    doc = (ROOT / "docs" / "lint.md").read_text()
    assert f"`{rule.id}`" in doc


def test_rule_ids_are_unique_and_stable_order():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids)) == len(all_rules())


def test_docs_rule_reference_is_up_to_date():
    from migsmith.tools.lint.docgen import BEGIN, END, rule_reference

    doc = (ROOT / "docs" / "lint.md").read_text()
    block = doc[doc.index(BEGIN):doc.index(END) + len(END)]
    assert block == rule_reference(), "run: python -m migsmith.tools.lint.docgen --write"
