"""Which PostgreSQL type changes rewrite the table, and which may lose data."""

from __future__ import annotations

import re

# Type changes PostgreSQL makes without rewriting the table (binary-coercible).
_VARLENA = ("character varying", "text")

def _type_parts(t: str) -> tuple[str, list[int]]:
    base, _, rest = t.partition("(")
    mods = [int(x) for x in rest.rstrip(")").split(",") if x.strip().isdigit()] if rest else []
    return base.strip(), mods

def type_change_rewrites(old: str, new: str) -> bool:
    ob, om = _type_parts(old)
    nb, nm = _type_parts(new)
    if ob in _VARLENA and nb == "text":
        return False
    if ob == nb == "character varying":
        return bool(nm) and bool(om) and nm[0] < om[0] if nm else False
    if ob == "text" and nb == "character varying" and not nm:
        return False
    if ob == nb == "numeric":
        if not nm:
            return False
        return not (om and len(om) == len(nm) and nm[0] >= om[0] and om[1:] == nm[1:])
    if ob == "cidr" and nb == "inet":
        return False
    return True

_INT_WIDTH = {"smallint": 2, "integer": 4, "bigint": 8}
_FLOAT_DIGITS = {"real": 6, "double precision": 15}
_TEXT = ("text", "character varying", "character")
_TYPE = re.compile(r"^(?P<base>[a-z][a-z ]*?)\s*(?:\((?P<mods>[\d,\s]+)\))?"
                   r"(?P<zone> with(?:out)? time zone)?(?P<array>(?:\[\])*)$")


def _parse(t: str) -> tuple[str, list[int], bool]:
    """(base, typmods, is array) of a canonical type: ``timestamp(3) with time zone`` is
    ("timestamptz", [3], False)."""
    m = _TYPE.match(t.strip().lower())
    if not m:
        return t.strip().lower(), [], False
    base = m.group("base").strip()
    if base in ("timestamp", "time"):
        base += "tz" if (m.group("zone") or "").strip() == "with time zone" else ""
    mods = [int(x) for x in (m.group("mods") or "").replace(" ", "").split(",") if x]
    return base, mods, bool(m.group("array"))


def type_change_loss(old: str, new: str) -> str | None:
    """What converting values of ``old`` to ``new`` loses, in a few words (None: nothing, or
    the conversion fails loudly rather than dropping part of a value)."""
    ob, om, oa = _parse(old)
    nb, nm, na = _parse(new)
    if oa != na:
        return None
    if ob in ("timestamp", "timestamptz"):
        if nb == "date":
            return "drops the time of day"
        if nb in ("time", "timetz"):
            return "drops the date"
        if nb in ("timestamp", "timestamptz") and (nm[0] if nm else 6) < (om[0] if om else 6):
            return _fraction(nm[0])
    if ob in ("time", "timetz") and nb in ("time", "timetz") and \
            (nm[0] if nm else 6) < (om[0] if om else 6):
        return _fraction(nm[0])
    if ob in _INT_WIDTH and nb in _INT_WIDTH and _INT_WIDTH[nb] < _INT_WIDTH[ob]:
        return f"cannot hold every {ob} value"
    if ob in _INT_WIDTH and nb in _FLOAT_DIGITS and _INT_WIDTH[ob] * 2 > _FLOAT_DIGITS[nb]:
        return f"keeps only about {_FLOAT_DIGITS[nb]} significant digits of large values"
    if ob in ("numeric", *_FLOAT_DIGITS) and nb in _INT_WIDTH:
        return "drops the fraction"
    if ob == "numeric" and nb in _FLOAT_DIGITS:
        return f"keeps only about {_FLOAT_DIGITS[nb]} significant digits"
    if ob == "double precision" and nb == "real":
        return "keeps only about 6 significant digits"
    if ob == nb == "numeric" and nm:
        new_scale = nm[1] if len(nm) > 1 else 0
        if not om or new_scale < (om[1] if len(om) > 1 else 0):
            return f"rounds to {new_scale} decimal places"
        if nm[0] - new_scale < om[0] - (om[1] if len(om) > 1 else 0):
            return f"cannot hold values with more than {nm[0] - new_scale} integer digits"
    if ob in _TEXT and nb in ("character varying", "character") and nm and \
            (ob == "text" or not om or nm[0] < om[0]):
        return f"cannot hold values longer than {nm[0]} characters"
    return None


def _fraction(digits: int) -> str:
    return ("drops the fractional seconds" if digits == 0 else
            f"keeps {digits} digit{'s' if digits > 1 else ''} of the fractional seconds")


def type_change_narrows(old: str, new: str) -> bool:
    """Whether values of ``old`` may not fit ``new`` (so data could be lost or refused)."""
    return type_change_loss(old, new) is not None
