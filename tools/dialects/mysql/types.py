"""Which MySQL type changes may lose data."""

from __future__ import annotations

import re

_INT_BYTES = {"tinyint": 1, "smallint": 2, "mediumint": 3, "int": 4, "integer": 4, "bigint": 8}

def mysql_type_narrows(old: str, new: str) -> bool:
    """Whether values of ``old`` may not fit ``new`` (MySQL type names)."""
    def parts(t: str):
        t = t.lower().strip()
        base, _, rest = t.partition("(")
        nums = [int(x) for x in re.findall(r"\d+", rest.split(")")[0])] if rest else []
        return base.replace(" unsigned", "").strip(), nums, "unsigned" in t

    ob, on, ou = parts(old)
    nb, nn, nu = parts(new)
    if ob in _INT_BYTES and nb in _INT_BYTES:
        return _INT_BYTES[nb] < _INT_BYTES[ob] or (_INT_BYTES[nb] == _INT_BYTES[ob] and ou != nu)
    if nb in ("varchar", "char") and on and nn:
        return nn[0] < on[0]
    if nb in ("varchar", "char") and ob in ("text", "mediumtext", "longtext"):
        return True
    if ob in ("decimal", "numeric") and nb in ("decimal", "numeric") and on and nn:
        return nn[0] < on[0] or (len(nn) > 1 and len(on) > 1 and nn[1] < on[1])
    if ob in ("double", "float", "decimal", "numeric", "real") and nb in _INT_BYTES:
        return True
    if ob in ("datetime", "timestamp") and nb == "date":
        return True
    return False
