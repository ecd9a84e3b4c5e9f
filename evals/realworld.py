"""Real-world corpora: files of public repositories, pinned by repository, commit and path.

The files belong to their projects and stay out of this repository; what is committed is the
manifest that pins each one (``evals/corpus/<corpus>/manifest.jsonl``: repository, commit, path,
sha256, licence) and the cases written against them. ``materialize`` copies the pinned files
out of local git snapshots (bare repositories under ``$MIGSMITH_MIRROR_DIR``, by default
``/work/.mirror/<owner>+<name>/repo``) into the corpus directory, checking every file against
its sha256, so a test or benchmark reads exactly the bytes the manifest names.

The corpus directory is the first of ``$MIGSMITH_CORPUS_DIR``, ``<repo>/../shared/corpus`` (where
a steering repository may provide the files) and ``~/.cache/migsmith/corpus``.

    python -m migsmith.evals.realworld status            # what each corpus has, what is missing
    python -m migsmith.evals.realworld extract [NAME]    # copy pinned files out of the snapshots
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

EVALS_DIR = Path(__file__).resolve().parent
REPO_ROOT = EVALS_DIR.parent
CORPUS_MANIFESTS = EVALS_DIR / "corpus"


def corpus_dir() -> Path:
    env = os.environ.get("MIGSMITH_CORPUS_DIR")
    if env:
        return Path(env)
    shared = REPO_ROOT.parent / "shared" / "corpus"
    if shared.is_dir():
        return shared
    return Path.home() / ".cache" / "migsmith" / "corpus"


def mirror_dir() -> Path:
    return Path(os.environ.get("MIGSMITH_MIRROR_DIR", "/work/.mirror"))


def names() -> list[str]:
    return sorted(p.parent.name for p in CORPUS_MANIFESTS.glob("*/manifest.jsonl"))


def entries(corpus: str) -> list[dict]:
    """The manifest of one corpus: one dict per pinned file, in file order."""
    path = CORPUS_MANIFESTS / corpus / "manifest.jsonl"
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: {exc.msg}") from None
    return out


def local_path(entry: dict) -> Path:
    owner_name = entry["repo"].replace("/", "+")
    return corpus_dir() / owner_name / entry["commit"][:12] / entry["path"]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _from_mirror(entry: dict) -> bytes | None:
    git_dir = mirror_dir() / entry["repo"].replace("/", "+") / "repo"
    if not git_dir.is_dir():
        return None
    done = subprocess.run(["git", "--git-dir", str(git_dir), "show",
                           f"{entry['commit']}:{entry['path']}"], capture_output=True)
    return done.stdout if done.returncode == 0 else None


def locate(entry: dict) -> Path | None:
    """The pinned file on this machine, copied out of a snapshot if need be; None when neither
    the corpus directory nor a snapshot has it. A file whose bytes differ from the manifest's
    sha256 is never returned."""
    path = local_path(entry)
    if path.is_file() and _sha256(path.read_bytes()) == entry["sha256"]:
        return path
    data = _from_mirror(entry)
    if data is None or _sha256(data) != entry["sha256"]:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError:
        return None
    return path


def materialize(corpus: str) -> tuple[list[dict], list[dict]]:
    """(found, missing) entries of one corpus, copying what the snapshots have."""
    found, missing = [], []
    for entry in entries(corpus):
        (found if locate(entry) else missing).append(entry)
    return found, missing


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args.pop(0) if args else "status"
    if command not in ("status", "extract"):
        print("usage: python -m migsmith.evals.realworld status|extract [CORPUS ...]",
              file=sys.stderr)
        return 2
    chosen = args or names()
    print(f"corpus directory: {corpus_dir()}  (snapshots: {mirror_dir()})")
    missing_any = False
    for corpus in chosen:
        if command == "extract":
            found, missing = materialize(corpus)
        else:
            listed = entries(corpus)
            found = [e for e in listed if local_path(e).is_file()]
            missing = [e for e in listed if not local_path(e).is_file()]
        print(f"{corpus}: {len(found)} of {len(found) + len(missing)} files present")
        for entry in missing:
            missing_any = True
            print(f"  missing {entry['repo']}@{entry['commit'][:12]}:{entry['path']}")
    return 1 if missing_any and command == "extract" else 0


if __name__ == "__main__":
    raise SystemExit(main())
