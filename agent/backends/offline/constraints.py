"""Rules said in words: "views can't be negative", "no two orgs may share a name", "when a
post is deleted its comments should go too". Each phrase maps to the constraint it means;
which column it is about comes from the clause's grounded names (frames.py)."""

from __future__ import annotations

import re

_NUM = r"(-?\d+(?:\.\d+)?)"
_NOT = r"(?:can'?t|cannot|can\s+not|must\s+not|mustn'?t|may\s+not|should\s+not|shouldn'?t|never|not)"
# (pattern over the clause, check template): {c} the column, {n} {m} numbers, {list} values
CHECKS: list[tuple[str, str]] = [
    (rf"(?:longer|more)\s+than\s+{_NUM}\s+char(?:acter)?s\s+(?:should|must|will)\s+be\s+(?:rejected|refused|invalid|"
     r"disallowed|not\s+allowed)", "char_length({c}) <= {n}"),
    (rf"{_NOT}\s+(?:exceed|go\s+(?:above|over)|be\s+(?:more|greater|higher|larger)\s+than|be\s+above|be\s+over)\s+{_NUM}",
     "{c} <= {n}"),
    (rf"{_NOT}\s+(?:go\s+(?:below|under)|be\s+(?:less|lower|smaller)\s+than|be\s+below|be\s+under)\s+{_NUM}", "{c} >= {n}"),
    (r"(?:non-negative|not\s+negative|negative|below\s+zero|less\s+than\s+zero|under\s+zero)", "{c} >= 0"),
    (r"(?:positive|greater\s+than\s+zero|above\s+zero|more\s+than\s+zero)", "{c} > 0"),
    (rf"(?:at\s+least|no\s+less\s+than|>=)\s*{_NUM}", "{c} >= {n}"),
    (rf"(?:at\s+most|no\s+more\s+than|not\s+more\s+than|<=)\s*{_NUM}", "{c} <= {n}"),
    (rf"(?:greater\s+than|more\s+than|above|>)\s*{_NUM}", "{c} > {n}"),
    (rf"(?:less\s+than|below|<)\s*{_NUM}", "{c} < {n}"),
    (rf"between\s+{_NUM}\s+and\s+{_NUM}", "{c} BETWEEN {n} AND {m}"),
    (r"(?:be\s+)?one\s+of\s+(.+)$|(?:can|may|must|should)\s+only\s+be\s+(.+)$|(?:only\s+allow|allow\s+only)\s+(.+?)\s+(?:in|for|on|as)\s+\S+$",
     "{c} IN ({list})"),
    (rf"{_NOT}\s+be\s+(?:empty|blank)|not\s+empty|non-empty|not\s+blank", "{c} <> ''"),
    (r"(?:must|should|has\s+to|have\s+to|needs?\s+to)\s+contain\s+(?:an?\s+)?(\S+)$", "position({q} in {c}) > 0"),
]
_CHECK_RE = [(re.compile(rf"(?<![\w']){p}"), t) for p, t in CHECKS]

UNIQUE = re.compile(r"\bunique\b|\bno\s+duplicates?\b|\bno\s+two\b|\b(?:only|at\s+most)\s+once\b|\bappears?\s+once\b|"
                    r"\bonce\s+per\b|\b(?:never|not|can'?t|cannot)\b.*\b(?:have|share|use|reuse)\s+the\s+same\b|"
                    r"\bmay\s+share\b")
SCOPE = re.compile(r"\b(?:per|within|for\s+each|in\s+each)\s+(\w+)")
# "when a post is deleted its comments should go too" / "... cascade when a user is deleted"
GONE = re.compile(r"^when\s+(?:an?|the)\s+(\w+)\s+is\s+deleted,?\s+(?:its|their|the)\s+(\w+)\s+(?:should|must|need\s+to|"
                  r"have\s+to)\s+(?:go|be\s+deleted|disappear|be\s+removed)(?:\s+too|\s+as\s+well)?$")
DELETED = re.compile(r"\b(?:should\s+|and\s+)?(cascade|be\s+deleted|go\s+away|become\s+null|be\s+set\s+to\s+null|be\s+nulled)"
                     r"\s+(?:when|if)\s+(?:an?|the|its)\s+(\w+)\s+is\s+deleted\b")


def check_rule(text: str) -> tuple[re.Match, str] | None:
    """The first check phrase in a clause's (lower-cased) text, and its template."""
    for rx, template in _CHECK_RE:
        if m := rx.search(text):
            return m, template
    return None


def listed_values(words: str) -> str:
    """ "'draft', 'published' or archived" -> "'draft', 'published', 'archived'"."""
    items = [x.strip() for x in re.split(r",|\bor\b|\band\b", words) if x.strip()]
    return ", ".join(x if re.fullmatch(r"'.*'|-?\d+(?:\.\d+)?", x) else "'" + x.strip("'\"").replace("'", "''") + "'"
                     for x in items)

# "users with no name should get 'anonymous'", "all orders without a status should become 'new'"
FILL = re.compile(r"^(?:all\s+|every\s+|any\s+)?(\w+)\s+(?:with|without)\s+(?:no|an?|an\s+empty|a\s+missing)\s+(\w+)\s+"
                  r"(?:should|must|will)\s+(?:get|have|receive|be\s+given|become|be\s+set\s+to|be)\s+(.+)$")
