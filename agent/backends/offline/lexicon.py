"""The words the offline reader knows besides the schema's names: types (one lexicon per
dialect), key phrases, verbs, values, and words that carry nothing for a change.

Everything here is matched on lower-cased text; what a phrase names comes from the catalog.
"""

from __future__ import annotations

import re

# A type phrase -> its spelling on (PostgreSQL, MySQL, SQLite): "{0}" is the phrase as
# written, "{n}"/"{m}" its numbers, "{p}" "(n)" when a precision is given. SQL spellings pass as
# written where the dialect has them; words and other dialects' names become the dialect's
# own type (plain timestamp on PostgreSQL is timestamp without time zone). Longest first.
_N, _N2 = (rf"\s*\(\s*(?P<{g}>\d+)\s*\)" for g in ("n", "n2"))
TYPES: list[tuple[str, str, str, str]] = [
    (rf"timestamp(?:{_N})?\s*(?:with\s+time\s*zone|with\s+tz)|timestamptz(?:{_N2})?", "timestamptz{p}", "datetime(6)", "timestamp"),
    (rf"timestamp(?:{_N})?\s*(?:without\s+time\s*zone|without\s+tz)", "timestamp{p}", "datetime{p}", "timestamp{p}"),
    (rf"timestamps|timestamp(?:{_N})?", "timestamp{p}", "timestamp{p}", "timestamp{p}"),
    (rf"datetime(?:{_N})?", "timestamp{p}", "{0}", "{0}"),
    (r"date\s*(?:and|&)\s*time|date\s*times?|point\s+in\s+time|time\s+stamps?", "timestamptz", "datetime(6)", "timestamp"),
    (r"(?:n?varchar2?|character\s+varying|string)\s*\(\s*(?P<n>\d+)\s*\)", "varchar({n})", "varchar({n})", "{0}"),
    (r"(?:(?:string|text)\s*,?\s*(?:of\s+)?)?up\s+to\s+(?P<n>\d+)\s*char(?:acter)?s|(?P<n2>\d+)\s*char(?:acter)?s(?:\s+long)?",
     "varchar({n})", "varchar({n})", "varchar({n})"),
    (r"n?varchar2?|character\s+varying", "varchar", "varchar(255)", "varchar"),
    (r"(?:n?char|character)\s*\(\s*(?P<n>\d+)\s*\)|(?P<n2>\d+)[-\s](?:letter|char(?:acter)?)\s+(?:code|string)", "char({n})", "char({n})", "char({n})"),
    (r"(?:tiny|medium|long)text", "text", "{0}", "text"),
    (r"(?:decimal|numeric)\s*\(\s*(?P<n>\d+)\s*,\s*(?P<m>\d+)\s*\)", "numeric({n},{m})", "{0}", "{0}"),
    (r"money|decimals?|numeric", "numeric(12,2)", "decimal(12,2)", "numeric"),
    (r"bigserial|serial8", "bigserial", "bigint", "integer"),
    (r"serial4?", "serial", "int", "integer"),
    (r"(?:big|small|tiny|medium)?int(?:eger)?(?:\s*\(\s*\d+\s*\))?\s+unsigned", "bigint", "{0}", "{0}"),
    (r"big\s*int(?:eger)?s?|int8|64[-\s]?bit\s+int(?:eger)?|long\s+integer", "bigint", "bigint", "integer"),
    (r"small\s*int(?:eger)?s?|int2", "smallint", "smallint", "integer"),
    (r"tinyint(?:\s*\(\s*\d+\s*\))?|mediumint", "smallint", "{0}", "{0}"),
    (r"int(?:eger)?(?:\s*\(\s*\d+\s*\))?|int4", "integer", "{0}", "{0}"),
    (r"whole\s+numbers?|counter|number", "integer", "int", "integer"),
    (r"bool(?:ean)?(?:\s+flag)?|flag|true\s*/\s*false|yes\s*/\s*no", "boolean", "boolean", "boolean"),
    (r"date", "date", "date", "date"),
    (r"jsonb?", "{0}", "json", "{0}"),
    (r"json\s+(?:document|blob|object)", "jsonb", "json", "text"),
    (r"uuid|guid", "uuid", "char(36)", "text"),
    (r"double\s+precision|float8|double|float", "double precision", "{0}", "{0}"),
    (r"float4", "real", "{0}", "{0}"),
    (r"bytea|(?:long|medium|tiny)?blob|binary|bytes", "bytea", "{0}", "blob"),
    (r"inet|ip\s+address", "inet", "varchar(45)", "text"),
    (r"citext|tsvector|tsquery|interval|time(?:tz)?(?!\s+zones?)|xml|cidr|macaddr|hstore|ltree|year|"
     r"(?:int4|int8|num|date|ts|tstz)range|bit\s*\(\s*\d+\s*\)|varbit", "{0}", "{0}", "{0}"),
    (r"text|(?<!empty\s)strings?|free\s+text", "text", "text", "text"),
]
_ARRAY = r"(?:\s*\[\s*\])?"
_UNNAMED = re.compile(r"\(\?P<\w+>")
TYPE_RE = re.compile(r"(?<![\w.$'])(?:" + "|".join(_UNNAMED.sub("(?:", t[0]) for t in TYPES)
                     + rf"){_ARRAY}(?![\w$]|\.\w)")
_EACH = [(re.compile(rf"(?:{t[0]}){_ARRAY}$"), t[1:]) for t in TYPES]
_DIALECTS = ("postgres", "mysql", "sqlite")


def type_for(phrase: str, dialect: str) -> str | None:
    """The dialect's spelling of a type phrase (None when it names no type)."""
    phrase = " ".join(phrase.lower().split())
    array = bool(re.search(r"\[\s*\]$", phrase))
    bare = re.sub(r"\s*\[\s*\]$", "", phrase)
    for rx, spellings in _EACH:
        if m := rx.match(phrase):
            g = m.groupdict()
            n = g.get("n") or g.get("n2") or ""
            text = spellings[_DIALECTS.index(dialect)].format(
                bare, n=n, m=g.get("m") or "", p=f"({n})" if n else "")
            return text + ("[]" if array and dialect == "postgres" else "")
    return None


def type_from_name(name: str, dialect: str) -> tuple[str, str]:
    """A type guessed from a new column's name when none is given, and why (said back)."""
    n = name.lower()
    if re.match(r"(?:is|has|can|should|allow)_", n) or re.search(
            r"_(?:verified|enabled|disabled|active|flag|confirmed|deleted|archived|visible|public|"
            r"locked|admin|approved|published|pinned)$", n):
        return "boolean", "a yes/no name"
    if n.endswith(("_at", "_time")):
        return type_for("date and time", dialect), "a point-in-time name (_at)"
    if n.endswith(("_on", "_date")) or n in ("birthday", "dob"):
        return "date", "a date name"
    if n.endswith("_id"):
        return "bigint", "an id name (_id)"
    if n.endswith(("_count", "_total")) or n.startswith(("num_", "count_")) or n in ("position", "rank", "age"):
        return "integer", "a count name"
    if n.endswith(("_json", "_data", "metadata", "settings", "preferences")):
        return type_for("json document", dialect), "a data/settings name"
    if n.endswith(("_uuid", "_guid")):
        return type_for("uuid", dialect), "a uuid name"
    if n.endswith(("price", "amount", "balance", "cost")):
        return type_for("money", dialect), "a money name"
    return "text", "no type given"


# Verbs of more than one word, read as one verb token: (pattern, kind).
VERB_PHRASES = [(r"get\s+rid\s+of|rid\s+of|do\s+away\s+with|(?:has|have|needs?)\s+to\s+go|(?:must|should|can)\s+go|(?:can|could|should|must|may|will)\s+be\s+(?:dropped|removed)", "drop"), (r"(?:call|name)\s+(?:it|the\s+(?:fk|foreign\s+key|index|constraint))", "rename"),
                (r"should\s+be\s+(?:called|named|renamed)|(?:to\s+be|be)\s+(?:called|named|renamed)", "rename")]
VERB_RE = re.compile(r"(?<![\w.$])(?:" + "|".join(f"(?P<v{i}>{p})" for i, (p, _) in enumerate(VERB_PHRASES)) + r")(?![\w$])")
VERB_KIND = {f"v{i}": kind for i, (_, kind) in enumerate(VERB_PHRASES)}

# Key phrases, read as one token each: (pattern, meaning). Longest first.
PHRASES: list[tuple[str, str]] = [
    (r"on\s+delete\s+(?P<v>cascade|restrict|set\s+null|set\s+default|no\s+action)", "on_delete"),
    (r"on\s+update\s+(?:cascade|restrict|set\s+null|set\s+default|no\s+action)", "on_update"),
    (r"(?:must|should|can)\s*(?:not|n'?t)\s+be\s+(?:null|empty|blank|missing)|cannot\s+be\s+null|"
     r"not\s+null(?:able)?|non[-\s]?null(?:able)?|never\s+(?:be\s+)?null|no\s+nulls|"
     r"(?:always|must\s+be)\s+(?:be\s+)?(?:set|filled(?:\s+in)?)", "not_null"),
    (r"(?:allow(?:s|ing)?|accept(?:s|ing)?|permit(?:s|ting)?)\s+(?:nulls?|empty)|nullable|optional|"
     r"(?:can|may)\s+be\s+(?:null|empty|blank|left\s+empty|missing|unset)|nulls?\s+allowed|"
     r"(?:doesn'?t|does\s+not|don'?t|do\s+not|no\s+longer|need\s+not)\s+(?:have|need)\s+to\s+be\s+"
     r"(?:set|filled(?:\s+in)?|provided|present)|(?:is|are)\s+(?:not|no\s+longer)\s+required", "nullable"),
    (r"required|mandatory", "not_null"),
    (r"primary\s+key|pk", "pk"),
    (r"auto[-_\s]?increment(?:ing)?|identity|generated\s+(?:always|by\s+default)\s+as\s+identity", "autoinc"),
    (r"foreign\s+keys?|fks?", "fk"),
    (r"referenc(?:es?|ing)|refers?\s+to|points?\s+(?:at|to)|pointing\s+(?:at|to)|linked\s+to|links?\s+to", "ref"),
    (r"check\s+constraints?|checks?", "check"),
    (r"unique\s+(?:constraints?|keys?)", "unique_constraint"),
    (r"constraints?", "constraint"),
    (r"(?:unique|partial|composite|covering|(?:gin|gist|brin|hash|btree|spgist))?\s*"
     r"(?:index(?:es|ed)?|indices|idx)", "index"),
    (r"unique(?:ly)?|no\s+duplicates?", "unique"),
    (r"(?:server\s+)?default(?:s|ing)?(?:\s+value)?(?:\s+(?:to|of|is|=|should\s+be))?|by\s+default", "default"),
    (r"instead\s+of|rather\s+than", "instead"),
    (r"(?:but\s+)?only\s+(?:(?:for|among)\s+rows\s+)?(?:where|when|if)|(?:but\s+)?only\s+for(?=\s+\w+\s*(?:=|<|>|!|is\b|in\b))|where|"
     r"for\s+(?:all\s+)?(?:rows|records)\s+(?:where|with|whose)", "where"),
    (r"using", "using"),
    (r"(?:right\s+)?(?:after|before)|next\s+to", "after"),
    (r"called|named", "called"),
    (r"(?:shouldn'?t|should\s+not|must\s+not|doesn'?t|does\s+not|won'?t|no\s+longer)\s+(?:have|need|needs)\s+"
     r"(?:a|any|its|the)\s+default(?:\s+(?:value|anymore|any\s+more))*|(?:no|without(?:\s+a)?)\s+default|"
     r"(?:shouldn'?t|should\s+not|must\s+not|won'?t)\s+default(?:\s+to\s+anything)?", "no_default"),
    (r"->|=>|→", "arrow"),
]
PHRASE_RE = re.compile(r"(?<![\w.$])(?:" + "|".join(f"(?P<k{i}>{_UNNAMED.sub('(?:', p)})"
                                                    for i, (p, _) in enumerate(PHRASES))
                       + r")(?![\w$])")
PHRASE_KIND = {f"k{i}": kind for i, (_, kind) in enumerate(PHRASES)}

# Verbs by what they do. A clause's first verb decides how its names are read.
VERBS: dict[str, str] = {}
for _kind, _words in {
    "add": "add adds create creates introduce include put give gives need needs want wants store track "
           "record save get gets",
    "drop": "drop drops remove removes delete discard eliminate kill",
    "rename": "rename renames",
    "change": "make makes change changes alter convert widen switch turn extend increase enlarge "
              "grow shorten narrow become becomes be stay remain keep let allow require limit cap "
              "enforce ensure mark constrain restrict",
    "set": "set update backfill fill populate copy reset recompute recalculate compute truncate",
    "index": "index",
    "link": "link reference",
    "replace": "replace recreate recreates re-create re-creates re-add re-adds readd",
}.items():
    for _w in _words.split():
        VERBS[_w] = _kind

BOOLEAN_VALUES = {"true": "true", "false": "false", "yes": "true", "no": "false", "on": "true",
                  "off": "false"}
VALUE_WORDS = {"now": "now()", "the current time": "now()", "current time": "now()",
               "the current timestamp": "now()", "current timestamp": "now()",
               "current_timestamp": "CURRENT_TIMESTAMP", "null": "NULL", "nothing": "NULL",
               "empty string": "''", "an empty string": "''", "the empty string": "''",
               "zero": "0", "today": "CURRENT_DATE", "current date": "CURRENT_DATE",
               "current_date": "CURRENT_DATE"}

# Nouns a request uses for a column it names ("a show_read_posts setting", "a manage permission").
COLUMN_NOUNS = {"column", "field", "flag", "permission", "setting", "option", "columns", "fields", "flags",
                "permissions", "settings", "options"}

# Database products: English in a request ("KEY is reserved in MySQL"), not identifiers, though
# their camel case looks like one.
PRODUCTS = {"mysql", "mariadb", "postgres", "postgresql", "sqlite", "innodb", "myisam"}

# Words a clause may carry without meaning anything for the spec.
NOISE = set("""
a an the this that these those it its it's they them their there here we our us you your i me my
is are was were be been being am do does did has have had having will would shall should can
could may might must also too as so such just then now still again already both each every all
any some other another more most very really really's please pls thanks thank kindly hey hi ok
of to in on at by for from with into onto about over under per than like via and or but not no
nor if when while which who whose what where whom why how new old existing current same own
column columns field fields table tables row rows record records value values entry entries
data type types one ones thing things way time times case cases part parts kind sort lot lots
well yes okay right left first last next later soon today tomorrow ago long short big small
least most anymore two three four five six several few
""".split())

# A clause that starts so is a reason or a fact, not a request (unless it asks for something).
BACKGROUND_START = re.compile(
    r"^(?:because|since|as|so\s+that|in\s+order\s+to|to\s+\w+|now\s+that|once|given\s+that|"
    r"for\s+(?:the|our|a|an)\b|that\s+way|otherwise|which|who)\b")
