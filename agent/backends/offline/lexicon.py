"""Words and patterns the offline planner understands: types, values, filler, phrasing."""

from __future__ import annotations

import re

# (pattern, canonical type per dialect). Order matters: longer phrases first.
TYPE_PHRASES: list[tuple[str, dict[str, str] | str]] = [
    (r"timestamp(?:tz)? with time ?zone|timestamptz", {"postgres": "timestamptz", "mysql": "datetime(6)", "sqlite": "timestamp"}),
    (r"timestamp without time ?zone", {"postgres": "timestamp", "mysql": "datetime(6)", "sqlite": "timestamp"}),
    (r"timestamps?|date ?times?|date and time|time ?stamps?|point in time",
     {"postgres": "timestamptz", "mysql": "datetime(6)", "sqlite": "timestamp"}),
    (r"(?:varchar|character varying|string|text) ?\((\d+)\)|varchar ?(\d+)|(?:string|text) of (?:up to )?(\d+)(?: char(?:acter)?s)?|up to (\d+) char(?:acter)?s|(\d+) char(?:acter)?s(?: long)?",
     "varchar({n})"),
    (r"(?:decimal|numeric) ?\((\d+) ?, ?(\d+)\)", "numeric({n},{m})"),
    (r"bigserial|serial8", {"postgres": "bigserial", "mysql": "bigint", "sqlite": "integer"}),
    (r"serial|serial4", {"postgres": "serial", "mysql": "int", "sqlite": "integer"}),
    # SQLite has one integer type (affinity INTEGER), so every integer word is "integer" there.
    (r"big ?int(?:eger)?s?|int8|64[- ]bit int(?:eger)?|long integer",
     {"postgres": "bigint", "mysql": "bigint", "sqlite": "integer"}),
    (r"small ?int(?:eger)?s?|int2", {"postgres": "smallint", "mysql": "smallint", "sqlite": "integer"}),
    (r"int(?:eger)?s?|int4|whole numbers?|counter|count", "integer"),
    (r"bool(?:ean)?s?(?: flag)?|flags?|true/false|yes/no|switch", "boolean"),
    (r"dates?|day", "date"),
    (r"jsonb?|json documents?|json blob", {"postgres": "jsonb", "mysql": "json", "sqlite": "text"}),
    (r"uuids?|guids?", {"postgres": "uuid", "mysql": "char(36)", "sqlite": "text"}),
    (r"money|decimals?|numeric", "numeric(12,2)"),
    (r"(\d+)[- ](?:letter|char(?:acter)?) code", "char({n})"),
    (r"floats?|double(?: precision)?|real", {"postgres": "double precision", "mysql": "double", "sqlite": "real"}),
    (r"bytea|binary|blob|bytes", {"postgres": "bytea", "mysql": "blob", "sqlite": "blob"}),
    (r"ip address|inet", {"postgres": "inet", "mysql": "varchar(45)", "sqlite": "text"}),
    (r"text|strings?|str|free text", "text"),
]
TYPE_RE = re.compile(r"\b(?:" + "|".join(f"(?:{p})" for p, _ in TYPE_PHRASES) + r")(?![\w(])")
_COMPILED = [(re.compile(rf"^(?:{p})$"), t) for p, t in TYPE_PHRASES]


def type_for(phrase: str, dialect: str) -> str | None:
    phrase = " ".join(phrase.split())
    for rx, t in _COMPILED:
        m = rx.match(phrase)
        if m:
            name = t.get(dialect, t["postgres"]) if isinstance(t, dict) else t
            nums = [g for g in m.groups() if g]
            if "{n}" in name:
                name = name.replace("{n}", nums[0]).replace("{m}", nums[1] if len(nums) > 1 else "0")
            return name
    return None


def type_from_column_name(name: str, dialect: str) -> tuple[str, str]:
    """A type guessed from a column's name, and why (said back to the user)."""
    n = name.lower()
    ts = type_for("timestamp", dialect)
    if n.startswith(("is_", "has_", "can_", "should_", "allow_")) or n.endswith(
            ("_verified", "_enabled", "_disabled", "_active", "_flag", "_confirmed", "_deleted",
             "_archived", "_visible", "_public", "_locked", "_admin", "_approved", "_published")):
        return "boolean", "a yes/no name"
    if n.endswith(("_at", "_time")):
        return ts, "a point-in-time name (_at)"
    if n.endswith(("_on", "_date")) or n in ("birthday", "dob"):
        return "date", "a date name"
    if n.endswith("_id") or n == "id":
        return "bigint", "an id name (_id)"
    if n.endswith(("_count", "_total")) or n.startswith(("num_", "count_")) or n in ("position", "rank", "age"):
        return "integer", "a count name"
    if n.endswith(("_json", "_data", "metadata", "settings", "preferences")):
        return type_for("json", dialect), "a data/settings name"
    if n.endswith(("_uuid", "_guid")):
        return type_for("uuid", dialect), "a uuid name"
    if n.endswith(("price", "amount", "balance", "cost")):
        return "numeric(12,2)", "a money name"
    return "text", "no type given"


# Words that carry no meaning for the change ("please", "we need to" ...).
FILLER = re.compile(
    r"\b(?:please|pls|plz|kindly|hey|hi|hello|ok(?:ay)?|thanks?(?: you)?(?: so much| a lot)?|thx|ty|"
    r"cheers|so|just|actually|can someone|could someone|can somebody|someone please|"
    r"i(?:'d| would)? like to|i want to|i wanna|we want to|i need to|we need to|(?<!n't )(?<!not )need to|"
    r"we have to|i have to|we must|we should|you should|can you|could you|would you|"
    r"can we|could we|let'?s|go ahead and|make sure that|make sure|ensure that|"
    r"i think|quickly|for me|asap)\b", re.IGNORECASE)

NOISE_WORDS = {
    "a", "an", "the", "new", "column", "columns", "field", "fields", "table", "tables", "to", "on",
    "in", "of", "for", "from", "into", "with", "and", "it", "its", "that", "this", "is", "be",
    "should", "must", "we", "our", "us", "i", "me", "my", "you", "please", "also", "too",
    "called", "named", "as", "type", "by", "at", "all", "rows", "row", "existing", "value",
    "values", "are", "has", "have", "need", "needs", "want", "there", "which", "so", "can",
    "will", "would", "do", "does", "not", "null", "default", "defaults", "defaulting", "set",
    "make", "add", "index", "unique", "required", "nullable", "optional", "thanks", "one",
    "some", "called", "used", "use", "store", "track", "keep", "record", "save", "whether",
    "user's", "users'", "them", "they", "then", "now", "here", "non", "every", "each", "any",
    "no", "longer", "anymore", "don't", "dont", "need", "needed", "from",
}

BOOLEAN_VALUES = {"true": "true", "false": "false", "yes": "true", "no": "false",
                  "on": "true", "off": "false"}
VALUE_WORDS = {"now": "now()", "now()": "now()", "the current time": "now()",
               "current time": "now()", "current timestamp": "now()", "current_timestamp": "now()",
               "the current timestamp": "now()", "null": "NULL", "nothing": "NULL",
               "empty string": "''", "an empty string": "''", "zero": "0", "empty": "''",
               "today": "CURRENT_DATE", "current date": "CURRENT_DATE"}


# Patterns over the lower-cased request (quoted names already replaced by __qN__ tokens).
NAME = r"[a-z_][a-z0-9_$]*"
REF = rf"{NAME}(?:\.{NAME})?"  # column, table.column or schema.table
TBL = rf"(?:the\s+)?(?:table\s+)?({REF})(?:\s+table)?"
QUOTED = re.compile(r"(?<![\w])'([^'\s][^']*?)'(?![\w])|\"([^\"]+)\"|`([^`]+)`")
VERBS = (r"add|drop|remove|delete|rename|index|make|set|change|create|backfill|fill|populate|"
          r"allow|give|link|convert|widen|require|alter|mark|put|constrain|copy|update|"
          r"introduce|get rid")
SPLIT = re.compile(rf"(?:[.!?](?:\s+|$)|;|\bthen\b|\balso\b|\bas well as\b|\bplus\b|"
                    rf"(?:,\s*(?:and\s+)?|\s+and\s+)(?=(?:{VERBS})\b|an?\s+(?:new\s+)?(?:(?:unique|partial)\s+)*index\b)|"
                    rf",\s*(?:and\s+)?(?=(?:call|name) it\b))")
NOT_NULL = re.compile(r"\b(?:not null|non-null|non null|not nullable|never (?:be )?null|"
                       r"required|mandatory|can'?t be null|cannot be null|can not be null|"
                       r"must not be null|must be set|always (?:be )?set|no nulls)\b")
NULLABLE = re.compile(r"\b(?:nullable|optional|allow(?:s|ing)? nulls?|can be null|may be null|"
                       r"null allowed|nulls allowed|accept nulls?|can be (?:empty|blank|left empty|missing)|"
                      r"(?:doesn'?t|does not|don'?t|do not|no longer|need not) (?:have|need) to be "
                      r"(?:set|filled(?: in)?|provided|present)|(?:is|are) (?:not|no longer) required)\b")
ON_DELETE = re.compile(r"\bon delete (cascade|restrict|set null|set default|no action)\b|"
                        r"\b(cascad(?:e|ing)) (?:on )?deletes?\b")
BATCH = re.compile(r"\b(?:in |use |using )?batch(?:es)?(?: size)? of (\d[\d_,]*)(?: rows)?\b|"
                    r"\bbatch size (?:of |to |= ?)?(\d[\d_,]*)\b|\b(\d[\d_,]*) rows (?:per|a|each) batch\b")
PAUSE = re.compile(r"\bpause (?:of |for )?(\d+) ?(ms|milliseconds?|s|seconds?)\b")
DOWNTIME_OK = re.compile(r"\b(?:we have|there is|there's|we've got|we got|during|in|within) (?:a |the |our )?"
                         r"(?:(?:short|brief|scheduled|planned) )?maintenance window"
                         r"(?: (?:tonight|today|tomorrow|this weekend|this week|on \w+day))?\b|"
                         r"\b(?:downtime|a maintenance window|maintenance window) (?:is |are )?"
                          r"(?:ok|okay|fine|allowed|acceptable)\b|\b(?:we )?can (?:take|afford|accept|have|schedule) "
                          r"(?:a |some )?(?:short |brief |small |little )?(?:downtime|maintenance window|"
                          r"outage)\b|\bduring (?:a|the) maintenance window\b|"
                          r"\bwith downtime\b|\bdowntime allowed\b")
LOCK_TIMEOUT = re.compile(r"\block timeout (?:of |to )?(\d+) ?(ms|milliseconds?|s|seconds?)\b")
CONDITION = re.compile(r"\s+(?:where|for (?:all )?rows where|for (?:all )?(?:rows|records) "
                        r"(?:with|whose)|when|whenever|if|(?:but )?only (?:where|when|if|for rows where|for))\s+(.+)$")

# SQL types passed through as written when a request names one the phrases above do not cover.
RAW_SQL_TYPES = re.compile(
    r"citext|tsvector|tsquery|interval|time(?:tz)?|char(?:acter)?\(\d+\)|int[48]range|numrange|"
    r"daterange|tsrange|tstzrange|point|xml|cidr|macaddr|bit\(\d+\)|varbit|hstore|ltree|"
    r"smallserial|tinyint(?:\(\d+\))?|mediumint|mediumtext|longtext|tinytext|datetime(?:\(\d\))?|"
    r"year|blob|longblob|double|float\(\d+\)|real")
