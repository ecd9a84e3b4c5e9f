"""Which MySQL type changes may lose data."""

from __future__ import annotations

import re

_INT_BYTES = {"tinyint": 1, "smallint": 2, "mediumint": 3, "int": 4, "integer": 4, "bigint": 8}

_TEXT_BYTES = {"tinytext": 255, "text": 65535, "mediumtext": 16777215, "longtext": 4294967295}


def _parts(t: str):
    t = t.lower().strip()
    base, _, rest = t.partition("(")
    nums = [int(x) for x in re.findall(r"\d+", rest.split(")")[0])] if rest else []
    return base.replace(" unsigned", "").strip(), nums, "unsigned" in t


def integer_size_and_sign(t: str) -> tuple[int, bool] | None:
    """(bytes, unsigned) of a MySQL integer type (``int(11)``, ``INTEGER UNSIGNED``), else None."""
    base, _, unsigned = _parts(t)
    return (_INT_BYTES[base], unsigned) if base in _INT_BYTES else None


def mysql_type_loss(old: str, new: str) -> str | None:
    """What converting values of ``old`` to ``new`` loses (MySQL type names), in a few words;
    None when nothing is."""
    ob, on, ou = _parts(old)
    nb, nn, nu = _parts(new)
    if ob in _INT_BYTES and nb in _INT_BYTES:
        if _INT_BYTES[nb] < _INT_BYTES[ob] or (_INT_BYTES[nb] == _INT_BYTES[ob] and ou != nu):
            return f"cannot hold every {old} value"
        return None
    if nb in ("varchar", "char") and nn and (ob in _TEXT_BYTES or (on and nn[0] < on[0])):
        return f"cannot hold values longer than {nn[0]} characters"
    if nb in _TEXT_BYTES and ob in _TEXT_BYTES and _TEXT_BYTES[nb] < _TEXT_BYTES[ob]:
        return f"cannot hold values longer than {_TEXT_BYTES[nb]} bytes"
    if ob in ("decimal", "numeric") and nb in ("decimal", "numeric") and on and nn:
        if len(nn) > 1 and len(on) > 1 and nn[1] < on[1]:
            return f"rounds to {nn[1]} decimal places"
        if nn[0] < on[0]:
            return f"cannot hold values with {on[0]} digits"
    if ob in ("double", "float", "decimal", "numeric", "real") and nb in _INT_BYTES:
        return "drops the fraction"
    if ob == "double" and nb == "float":
        return "keeps only about 6 significant digits"
    if ob in ("datetime", "timestamp"):
        if nb == "date":
            return "drops the time of day"
        if nb == "time":
            return "drops the date"
        if nb in ("datetime", "timestamp") and (nn[0] if nn else 0) < (on[0] if on else 0):
            return "drops digits of the fractional seconds"
    return None


def mysql_type_narrows(old: str, new: str) -> bool:
    """Whether values of ``old`` may not fit ``new`` (MySQL type names)."""
    return mysql_type_loss(old, new) is not None
