"""The first stage: a request's text made ready to read. Options ("in batches of 5000",
"downtime is fine") come out, a Rails migration call or a single SQL statement is said in
words, and the text is cut into sentences (never inside parentheses or quotes)."""

from __future__ import annotations

import re

FILLER = re.compile(
    r"\b(?:please|pls|plz|kindly|hey|hi|hello|ok(?:ay)?|thanks?(?:\s+you)?(?:\s+so\s+much|\s+a\s+lot)?|"
    r"thx|cheers|just|actually|can\s+some(?:one|body)|could\s+someone|someone\s+please|"
    r"i(?:'d|\s+would)?\s+like\s+to|i\s+wanna|go\s+ahead\s+and|make\s+sure(?:\s+that)?|ensure\s+that|"
    r"i\s+think|quickly|for\s+me|asap|can\s+you|could\s+you|would\s+you|can\s+we|could\s+we|"
    r"let'?s|(?:we|you|i)\s+(?:need|have|want|got)\s+to|(?:we|you|i)\s+(?:must|should)|"
    r"(?<!n't\s)(?<!not\s)need\s+to)\b", re.IGNORECASE)

_UNIT = r"(ms|milliseconds?|s|secs?|seconds?)"
OPTIONS = [
    ("batch_size", re.compile(r"\b(?:in\s+|use\s+|using\s+|with\s+)?batch(?:es)?(?:\s+size)?\s+(?:of\s+|to\s+|=\s*)?(\d[\d_,]*)(?:\s+rows)?\b|"
                              r"\b(\d[\d_,]*)\s+rows\s+(?:per|a|each)\s+batch\b")),
    ("batch_pause_ms", re.compile(rf"\b(?:with\s+)?(?:a\s+)?pause\s+(?:of\s+|for\s+)?(\d+)\s*{_UNIT}(?:\s+between\s+(?:them|batches))?\b")),
    ("lock_timeout_ms", re.compile(rf"\b(?:with\s+|use\s+)?(?:a\s+)?lock\s+timeout\s+(?:of\s+|to\s+)?(\d+)\s*{_UNIT}\b")),
    ("downtime_allowed", re.compile(
        r"\b(?:we\s+have|there\s+is|there's|we've\s+got|we\s+got|during|in|within)\s+(?:a\s+|the\s+|our\s+)?"
        r"(?:(?:short|brief|scheduled|planned)\s+)?maintenance\s+window(?:\s+(?:tonight|today|tomorrow|"
        r"this\s+weekend|this\s+week|on\s+\w+day))?\b|\b(?:downtime|a\s+maintenance\s+window|maintenance\s+window)"
        r"\s+(?:is\s+|are\s+)?(?:ok|okay|fine|allowed|acceptable)\b|\b(?:we\s+)?can\s+(?:take|afford|accept|have|"
        r"schedule)\s+(?:a\s+|some\s+)?(?:short\s+|brief\s+|small\s+|little\s+)?(?:downtime|maintenance\s+window|"
        r"outage)\b|\bwith\s+downtime\b|\bdowntime\s+allowed\b")),
    (None, re.compile(r"\b(?:with\s+)?(?:no|zero|without)\s+downtime\b|\bdowntime\s+is\s+not\s+ok(?:ay)?\b|"
                      r"\b(?:online|safely|carefully)\b|\bin\s+production\b")),
]


def read_options(text: str) -> tuple[str, dict]:
    """The text without its option phrases, and the options they set."""
    options: dict = {}
    for key, rx in OPTIONS:
        while m := rx.search(text):
            if key == "downtime_allowed":
                options[key] = True
            elif key:
                number, unit = next(g for g in m.groups() if g), (m.groups() + (None,))[1]
                n = int(number.replace("_", "").replace(",", ""))
                options[key] = n * 1000 if key != "batch_size" and unit and not unit.startswith("m") else n
            text = text[:m.start()] + " " + text[m.end():]
    return re.sub(r"(?:,\s*|\s+)(?:(?:with|and|using|in|at)(?:\s+an?)?\s*)+(?=$|[,.;!?])", "", text), options


_SYM = r":?([A-Za-z_][\w]*)"
_RAILS = [
    (rf"add_column\s+{_SYM}\s*,\s*{_SYM}\s*,\s*{_SYM}(.*)", r"add column \2 \3 to \1 \4"),
    (rf"add_index\s+{_SYM}\s*,\s*\[([^\]]+)\](.*)", r"add index on \1(\2) \3"),
    (rf"add_index\s+{_SYM}\s*,\s*{_SYM}(.*)", r"add index on \1(\2) \3"),
    (rf"rename_column\s+{_SYM}\s*,\s*{_SYM}\s*,\s*{_SYM}\s*", r"rename \1.\2 to \3"),
    (rf"rename_table\s+{_SYM}\s*,\s*{_SYM}\s*", r"rename table \1 to \2"),
    (rf"remove_column\s+{_SYM}\s*,\s*{_SYM}.*", r"drop column \1.\2"),
    (rf"remove_index\s+{_SYM}\s*,\s*(?:name:\s*)?{_SYM}.*", r"drop index \2"),
    (rf"change_column_null\s+{_SYM}\s*,\s*{_SYM}\s*,\s*false.*", r"make \1.\2 not null"),
    (rf"change_column_null\s+{_SYM}\s*,\s*{_SYM}\s*,\s*true.*", r"allow nulls in \1.\2"),
    (rf"change_column_default\s+{_SYM}\s*,\s*{_SYM}\s*,\s*(?:from:\s*\S+\s*,\s*)?(?:to:\s*)?(\S+)\s*",
     r"set the default of \1.\2 to \3"),
]
_ALTER = [  # one ALTER TABLE action said in words ({t} is the table)
    (r"add\s+(unique\s+)?(?:index|key)\s+(?!\()(\S+)\s*(\(.+\))", r"add \1index \2 on {t} \3"),  # MySQL
    (r"add\s+(unique\s+)?(?:index|key)\s*(\(.+\))", r"add \1index on {t} \2"),
    (r"modify\s+(?:column\s+)?(\S+)\s+(.+)", r"change {t}.\1 to \2"),  # MySQL: the column's new definition
    (r"add\s+(?:column\s+)?(?:if\s+not\s+exists\s+)?(.+)", r"add column \1 to {t}"),
    (r"rename\s+(?:column\s+)?(\S+)\s+to\s+(\S+)", r"rename {t}.\1 to \2"),
    (r"rename\s+to\s+(\S+)", r"rename table {t} to \1"),
    (r"drop\s+(?:column\s+)?(?:if\s+exists\s+)?(\S+)", r"drop column {t}.\1"),
    (r"alter\s+(?:column\s+)?(\S+)\s+(?:set\s+data\s+)?type\s+(.+)", r"change the type of {t}.\1 to \2"),
    (r"alter\s+(?:column\s+)?(\S+)\s+set\s+not\s+null", r"make {t}.\1 not null"),
    (r"alter\s+(?:column\s+)?(\S+)\s+drop\s+not\s+null", r"allow nulls in {t}.\1"),
    (r"alter\s+(?:column\s+)?(\S+)\s+set\s+default\s+(.+)", r"set the default of {t}.\1 to \2"),
    (r"alter\s+(?:column\s+)?(\S+)\s+drop\s+default", r"drop the default of {t}.\1"),
]


def formats_to_words(text: str) -> str:
    """A Rails migration call or one ALTER TABLE statement, in words; other text as it is."""
    stripped = text.strip().rstrip(";").strip()
    for pattern, words in _RAILS:
        if m := re.fullmatch(pattern, stripped, re.IGNORECASE):
            said = m.expand(words)
            for rails, plain in ((r",?\s*null:\s*false", " not null"), (r",?\s*null:\s*true", " nullable"),
                                 (r",?\s*default:\s*", " default "), (r",?\s*unique:\s*true", " unique")):
                said = re.sub(rails, plain, said)
            said = re.sub(r"\badd index on (\S+) unique\b", r"add unique index on \1", said)
            return re.sub(r"[:\s]+(?=\w)", " ", said).replace(" (", "(").strip()
    if m := re.fullmatch(r"alter\s+table\s+(?:if\s+exists\s+)?(\S+)\s+(.+)", stripped, re.IGNORECASE | re.DOTALL):
        table, rest = m.groups()
        said = [_alter_action(table, action) for action in _actions(rest)]
        if all(said):
            return "; ".join(said)
    return text


def _alter_action(table: str, action: str) -> str | None:
    for pattern, words in _ALTER:
        if re.fullmatch(pattern, action, re.IGNORECASE | re.DOTALL):
            return re.sub(pattern, words.replace("{t}", table), action, flags=re.IGNORECASE | re.DOTALL)
    return None


def _actions(rest: str) -> list[str]:
    """The actions of one ALTER TABLE, cut at the commas (outside parentheses) before the next
    one: "ADD COLUMN a INT, ADD INDEX (a)"."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(rest):
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0 and re.match(r"\s*(?:add|drop|rename|alter|modify)\b", rest[i + 1:], re.IGNORECASE):
            out.append(rest[start:i].strip())
            start = i + 1
    return out + [rest[start:].strip()]


def sentences(text: str) -> list[str]:
    """Sentences: cut at . ! ? ; newlines, bullets and numbered items, but never inside
    parentheses, brackets or quotes, nor in a decimal or a dotted name."""
    out, depth, quote, start = [], 0, None, 0
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            quote = None if ch == quote else quote
        elif ch in "'\"`" and (ch != "'" or not (i and text[i - 1].isalnum() and i + 1 < len(text) and text[i + 1].isalnum())):
            quote = ch if ch != "'" or re.match(r"'[^']*'(?!\w)", text[i:]) else None
        elif ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(depth - 1, 0)
        elif depth == 0 and (ch in ";\n" or (ch in ".!?" and (i + 1 == len(text) or text[i + 1].isspace())
                                              and not re.search(r"\b(?:e\.g|i\.e|etc|vs)$|^\s*\d{1,2}$", text[start:i])
                                              and not (re.search(r"\s\d{1,2}$", text[start:i]) and re.match(r"\s*1[.)]\s", text)
                                                       and re.match(r"\s+[a-z]", text[i + 1:])))):
            out.append(text[start:i])
            start = i + 1
        i += 1
    out.append(text[start:])
    cleaned = []
    for s in out:
        s = re.sub(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+", "", s)
        cuts = [m.start() for m in re.finditer(r"\s+(?=\d{1,2}[.)]\s+[a-z])", s)
                if s[:m.start()].count("(") == s[:m.start()].count(")")]
        for part in (s[a:b] for a, b in zip([0] + cuts, cuts + [len(s)])):  # "1. rename ... 2. make ..."
            part = re.sub(r"^\s*\d{1,2}[.)]\s+", "", part).strip(" ,:-\t")
            if part:
                cleaned.append(part)
    return cleaned
