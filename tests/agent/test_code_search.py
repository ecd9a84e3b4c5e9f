"""`--code`: only application code is reported, not old migrations, plans, schema files,
ignored build output or prose."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from migsmith.agent.code_search import find_references

ROOT = Path(__file__).resolve().parents[2]


def _app(tmp_path: Path) -> Path:
    """A small web application as a git checkout has it."""
    files = {
        ".gitignore": "/generated/\n*.log\nnode_modules/\n",
        "app/models.py": "class Post(Model):\n    __tablename__ = 'posts'\n    created = Column(DateTime)\n",
        "app/queries.sql": "-- name: recent_posts\nSELECT id FROM posts ORDER BY created DESC;\n",
        "web/src/post.ts": "interface Post {\n  created: Date; // posts.created\n}\n",
        "web/.gitignore": "cache/\n",
        "web/cache/post.ts": "const posts = { created: 1 };\n",
        "generated/api.py": "posts_created = 'posts.created'\n",
        "server.log": "UPDATE posts SET created = now()\n",
        "db/schema.sql": "CREATE TABLE posts (id bigserial PRIMARY KEY, created timestamp);\n",
        "db/migrate/20240101_create_posts.rb": "create_table :posts do |t|\n  t.datetime :created\nend\n",
        "migrations/0001_posts.sql": "CREATE TABLE posts (created timestamp);\n",
        "alembic/versions/abc_posts.py": "op.add_column('posts', sa.Column('created'))\n",
        "plans/rename_created/plan.json": '{"posts": "created"}\n',
        "plans/rename_created/PLAN.md": "posts.created\n",
        "plans/rename_created/001_add.up.sql": "ALTER TABLE posts ADD created_at;  -- created\n",
        "docs/schema.md": "posts.created is when the post was made\n",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def test_only_application_code_is_reported(tmp_path):
    app = _app(tmp_path)
    refs = find_references("created", app, also=("posts",), exclude=(app / "db/schema.sql",))
    assert sorted({r.file for r in refs}) == ["app/models.py", "app/queries.sql", "web/src/post.ts"]


def test_a_subfolder_still_obeys_the_gitignore_above_it(tmp_path):
    app = _app(tmp_path)
    (app / "web" / "generated").mkdir()
    (app / "web" / "generated" / "x.ts").write_text("posts.created\n")
    (app / "web" / "debug.log").write_text("posts.created\n")
    assert {r.file for r in find_references("created", app / "web", also=("posts",))} == {
        "src/post.ts", "generated/x.ts"}  # /generated/ is anchored to the top: not this one


def test_plan_command_reports_the_app_not_the_schema_or_the_migrations(tmp_path):
    app = _app(tmp_path)
    schema = ROOT / "examples" / "schema.sql"
    (app / "db" / "schema.sql").write_text(schema.read_text())
    done = subprocess.run(
        [sys.executable, "-m", "migsmith", "plan", "rename created to created_at in posts",
         "--schema", "db/schema.sql", "--code", ".", "--out", "plans/again", "--no-verify",
         "--json", "--model", "offline"], capture_output=True, text=True, cwd=app)
    assert done.returncode == 0, done.stderr
    refs = [r for c in json.loads(done.stdout)["code_changes"] for r in c["references"]]
    assert sorted({r.split(":")[0] for r in refs}) == ["app/models.py", "app/queries.sql",
                                                     "web/src/post.ts"]
