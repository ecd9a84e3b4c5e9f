import dataclasses
import json

from migsmith.tools.lint import lint_sql
from migsmith.tools.lint.formatters import format_github, format_json, format_text, render


def findings():
    return lint_sql("DROP TABLE t;\nALTER TABLE u ADD COLUMN c int;", filename="m.sql",
                    rules={"ban-drop-table", "require-statement-timeout"})


def test_text_has_location_severity_rule_why_and_rewrite():
    out = format_text(findings())
    assert out.splitlines()[0].startswith("m.sql:1:1: error[ban-drop-table] ")
    assert "m.sql:2:1: warning[require-statement-timeout]" in out
    assert "    why: " in out and "    safe rewrite:\n      " in out
    assert out.endswith("1 error, 2 warnings in 1 file")


def test_text_without_findings():
    assert format_text([], files=3) == "no findings in 3 files"


def test_json_is_a_list_of_findings():
    data = json.loads(format_json(findings()))
    assert isinstance(data, list) and data[0]["rule_id"] == "ban-drop-table" and data[0]["line"] == 1
    assert json.loads(format_json([])) == []


def test_json_lines_are_what_json_dumps_makes_of_each_finding():
    # format_json encodes by hand (for speed); each line must be json.dumps of the finding's
    # fields, byte for byte, whatever the values: None, non-ASCII, quotes, newlines, a bool.
    base = findings()
    odd = [dataclasses.replace(base[0], file=None, frame="  1 | é\n    ^", statement='say "hi"\t\u2028'),
           dataclasses.replace(base[1], message="ünïcode ✓ \x00", line=True, column=10**20),
           dataclasses.replace(base[1], file="<stdin>", why=base[0].why)]
    rows = base + odd + base
    expected = [json.dumps({name: getattr(f, name) for name in f.__dataclass_fields__}) for f in rows]
    assert format_json(rows) == "[\n" + ",\n".join(expected) + "\n]"


def test_github_annotations_escape_properties_and_data():
    (f,) = lint_sql("DROP TABLE t;", filename="dir,x:y%.sql", rules={"ban-drop-table"})
    f = dataclasses.replace(f, message="50% done\nnext")
    assert format_github([f]) == (
        "::error file=dir%2Cx%3Ay%25.sql,line=1,col=1,title=ban-drop-table::50%25 done%0Anext")


def test_github_uses_warning_level_for_warnings():
    out = format_github(findings())
    assert out.splitlines()[1].startswith("::warning file=m.sql,line=1,col=1,title=require-statement-timeout::")


def test_render_dispatches():
    assert render([], "json") == "[]"
