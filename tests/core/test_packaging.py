"""The folders at the top are installed under the migsmith namespace: every package, and every
folder of package data, must be listed in pyproject (setuptools does not discover them through
the package-dir mapping, and warns about every data folder it is not told about)."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAPPING = {"agent": "migsmith.agent", "tools": "migsmith.tools", "evals": "migsmith.evals",
           "migsmith": "migsmith"}
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]


def _folders():
    for top, name in MAPPING.items():
        assert CONFIG["package-dir"].get(name, top) == top
        for folder in [ROOT / top, *(p for p in (ROOT / top).rglob("*") if p.is_dir())]:
            if folder.name == "__pycache__" or not any(f.is_file() for f in folder.iterdir()):
                continue
            yield folder, ".".join((name, *folder.relative_to(ROOT / top).parts))


def test_every_package_and_data_folder_is_listed():
    listed = set(CONFIG["packages"])
    missing = [package for _, package in _folders() if package not in listed]
    assert not missing, f"missing from pyproject [tool.setuptools] packages: {missing}"


def test_every_data_file_is_package_data():
    for folder, package in _folders():
        if (folder / "__init__.py").exists():
            continue
        patterns = CONFIG["package-data"].get(package, [])
        for f in folder.iterdir():
            if f.is_file():
                assert any(f.match(p) for p in patterns), f"{f.relative_to(ROOT)} is not package data"
