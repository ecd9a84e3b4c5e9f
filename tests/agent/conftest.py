from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def schema():
    from migsmith.tools.schema import load_schema

    return load_schema(str(ROOT / "examples" / "schema.sql"))
