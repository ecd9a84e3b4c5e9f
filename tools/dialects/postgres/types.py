"""Which PostgreSQL type changes rewrite the table, and which may lose data."""

from __future__ import annotations

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

def type_change_narrows(old: str, new: str) -> bool:
    """Whether values of ``old`` may not fit ``new`` (so data could be lost or refused)."""
    ob, om = _type_parts(old)
    nb, nm = _type_parts(new)
    if ob in _INT_WIDTH and nb in _INT_WIDTH:
        return _INT_WIDTH[nb] < _INT_WIDTH[ob]
    if nb == "character varying" and nm and (ob == "text" or (ob == nb and (not om or nm[0] < om[0]))):
        return True
    if ob == nb == "numeric" and nm and (not om or nm[0] < om[0] or nm[1:] < om[1:]):
        return True
    if ob in ("double precision", "numeric", "real") and nb in _INT_WIDTH:
        return True
    return False
