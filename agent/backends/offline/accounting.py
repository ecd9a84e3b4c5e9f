"""The last stage: every word of an asking clause is accounted for, or the request is refused.

The coverage check before it judges what a spec can hold (names, types, values, key phrases:
reading.check_coverage); this stage judges the English around them. A word is accounted for
when the reading took it (``Tok.used``), when it names a table, column, index or constraint
the spec touches (in any spelling the catalog matches: plural, singular, camelCase), when it
is part of an aside that the reading took nothing from (a purpose or reason: "so that ...",
"because ...", "for ...", "to show ..."; a relative clause: ", which ..."), or when it is one
of a few English words that carry nothing for a change. What is left was not read: the
request asks for something the spec may not say, and a wrong spec is worse than a refusal.
"""

from __future__ import annotations

from migsmith.agent.backends.offline.catalog import _key
from migsmith.agent.backends.offline.lexicon import COLUMN_NOUNS
from migsmith.agent.backends.offline.outcome import FORMS
from migsmith.agent.backends.offline.tokens import Tok

# English that carries nothing for a change (a closed list: articles, pronouns, auxiliaries,
# prepositions, the nouns a request uses for schema objects in general).
FILLER = set("""
a an the this that these those it its it's they them their there here we our us you your i me my
is are was were be been being am do does did has have had will would shall should can could may might must
also too as so just then now still already both each every all any some please again anymore more instead
need needs
of to in on at by for from with into onto via and or plus
new old existing current own table tables type one ones another
two three four five i.e e.g ok okay fine
""".split()) | COLUMN_NOUNS
# Persons (or nobody, nothing) that open a remark after a comma ("..., we never read it",
# "..., nothing reads it any more") when it has no verb.
PERSONS = {"we", "i", "you", "they", "nobody", "people", "everyone", "someone", "nothing"}
# Words that open an aside when the reading took nothing from it: a purpose or a reason
# ("so that", "because", "for a one-line summary", "to show why ..."), a relative clause.
ASIDE_OPENERS = {"so", "because", "since", "for", "to", "which", "who", "whose", "as", "like", "until", "e.g", "i.e"}
COPULAS = {"be", "become", "becomes", "stay", "stays", "remain", "remains"}  # verbs that say what a column is
KEEPS = COPULAS | {"keep", "keeps", "leave"}  # "(keep it SMALLINT NOT NULL)" restates, it does not ask
# The operations a verb's kind plans: "(drop the NOT NULL)" beside a drop_not_null restates it.
DOES = {"add": ("add_", "create_"), "drop": ("drop_",), "rename": ("rename_",), "change": ("alter_", "set_", "drop_not_null"),
        "set": ("backfill",), "index": ("add_index",), "link": ("add_foreign_key",), "replace": ("drop_", "add_")}
_ENDS = {",", ";", "(", ")", ":", "-"}


def touched(ops: list[dict]) -> set[str]:
    """The keys (catalog spelling-insensitive) of every name the spec's operations touch."""
    names: set[str] = set()
    for op in ops:
        for k, v in op.items():
            if k in ("table", "column", "new_name", "name", "ref_table") and isinstance(v, str):
                names.add(v)
            elif k == "column" and isinstance(v, dict):
                names.add(v["name"])
            elif k in ("columns", "ref_columns") and isinstance(v, list):
                names.update(c if isinstance(c, str) else c["name"] for c in v)
    return {_key(n) for n in names}


def unplaced(clause: list[Tok], ops: list[dict], explained: set[str]) -> list[Tok]:
    """The words of ``clause`` nothing accounts for in the spec's ``ops``; ``explained``: the
    key-phrase kinds they read (frames.EXPLAINS)."""
    names = touched(ops)
    asides = _asides(clause, {op["op"] for op in ops})
    frame = next((t for t in clause if t.kind == "verb" and t.used), None)
    left = []
    for i, t in enumerate(clause):
        if t.kind == "verb" and (frame is not None and t.value == frame.value or i and clause[i - 1].is_("to")):
            continue  # "update t set c ...": the frame's verb said twice; "to mark ...": a purpose
        if t.used or t.aside or t.kind in ("punct", "type", "str", "num"):
            continue  # types and values: the coverage check judged them
        if t.value in ("not", "than") and i + 1 < len(clause) and clause[i + 1].kind == "type":
            continue  # "TEXT, not BLOB", "rather than INT": the old type, judged as a type
        if t.kind == "kw" and t.value in explained:
            continue
        if i in asides or t.kind in ("word", "qid") and (t.value in FILLER or _names_touched(t, names)) \
                or t.kind == "verb" and t.text.lower() in COPULAS:
            continue
        left.append(t)
    return left


def _asides(clause: list[Tok], kinds: set[str]) -> set[int]:
    """Positions of the asides in a clause. In a piece (between commas, semicolons, colons,
    dashes, parentheses) in parentheses with no verb, the plain words ("(plain timestamp, like
    the others)", "(we generate it on the fly now)": no verb the reader knows); in any piece,
    what follows an opener, when the reading took nothing after it ("..., nullable since old rows have none",
    "..., for a one-line summary")."""
    out: set[int] = set()
    depth, start = 0, 0
    for i, t in enumerate(clause + [Tok(",", "punct", ",", 0, 0)]):
        if t.text not in _ENDS:
            continue
        piece = range(start, i)
        lead = next((clause[j] for j in piece if clause[j].value not in FILLER), None)
        asks = lead is not None and lead.kind == "verb" and lead.text.lower() not in KEEPS and not any(
            k.startswith(DOES.get(lead.value, ("-",))) for k in kinds)
        if depth > 0 and not asks:
            out.update(j for j in piece if clause[j].kind in ("word", "verb"))  # its type, NULL, default: judged apart
        elif piece and clause[start].value in PERSONS and not any(
                clause[j].used and clause[j].value not in FILLER or clause[j].kind == "verb" for j in piece):
            out.update(piece)  # "..., we never read it"
        else:
            opener = next((j for j in piece if j and clause[j].kind == "word" and clause[j].value in ASIDE_OPENERS
                           and not any(x.used for x in clause[j:i])), None)
            if opener is not None and not (clause[opener].value == "so" and opener + 1 < i and clause[opener + 1].kind == "verb"):
                out.update(range(opener, i))  # not "..., so make it unique": that asks
        depth += (t.text == "(") - (t.text == ")")
        start = i + 1
    return out


def _names_touched(t: Tok, names: set[str]) -> bool:
    if t.ref:
        return _key(t.ref[0]) in names and _key(t.ref[1]) in names
    parts = [t.name, t.table, *(t.index or t.constraint or ())]
    return any(p and _key(p) in names for p in parts)


# The form (outcome.FORMS) that says an operation: a refusal shows it for the clause refused.
_FORM_OF_OP = {"add_column": "add", "drop_column": "drop", "rename_column": "rename", "alter_column_type": "change",
               "backfill": "set", "add_index": "index", "add_foreign_key": "link", "add_check_constraint": "check",
               "add_unique_constraint": "unique", "set_default": "default", "create_table": "create",
               "set_not_null": "not_null", "drop_not_null": "not_null", "drop_default": "no_default"}


def form_of(clause: list[Tok], ops: list[dict]) -> str | None:
    """The spec form a refusal shows: the one of the clause's first operation, else of its verb."""
    return next((_FORM_OF_OP[op["op"]] for op in ops if op["op"] in _FORM_OF_OP), None) or next(
        (t.value for t in clause if t.kind == "verb" and t.value in FORMS), None)
