"""The folders at the top are installed under the migsmith namespace: every package must be
listed in pyproject (setuptools does not discover them through the package-dir mapping)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAPPING = {"agent": "migsmith.agent", "tools": "migsmith.tools", "evals": "migsmith.evals",
           "migsmith": "migsmith"}


def test_every_python_package_is_listed():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    for top, name in MAPPING.items():
        for init in (ROOT / top).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / top).parts
            package = ".".join((name, *rel))
            assert package in listed, f"{package} is missing from pyproject [tool.setuptools] packages"
        assert config["package-dir"].get(name, top) == top


def test_templates_are_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    patterns = config["package-data"]["migsmith.tools"]
    templates = list((ROOT / "tools" / "templates").rglob("*.j2"))
    assert templates
    for t in templates:
        rel = t.relative_to(ROOT / "tools")
        assert any(rel.match(p) or Path(str(rel)).match(p.replace("**/", "")) for p in patterns), rel
