"""Run eval cases: request (or spec) -> spec -> plan, then every grader; in parallel.

One case never stops another: whatever goes wrong inside a case becomes that case's result.
A case ends in one of three states:

* ``pass``  every applicable grade passed;
* ``fail``  the pipeline ran and a grade failed (a refusal it should not have made counts here);
* ``error`` the case could not be judged: a component it needs is not there yet (MySQL
  renderer, the agent), its schema file is missing, or something crashed.

Scores: a case scores the mean of its graded (not skipped) grades, 0 on error; the suite
scores the mean over cases, in percent.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import json
import os
import shutil
import tempfile
import time
import traceback
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from migsmith.evals.case import EVALS_DIR, REPO_ROOT, Case, resolve_path
from migsmith.evals.graders import grade_all
from migsmith.evals.graders.base import RunOutput
from migsmith.evals.graders.llm_usage import usage_of
from migsmith.tools.errors import MigsmithError

# A fixed date keeps plans (and so reports) identical from one run to the next.
PLAN_DATE = "2026-01-01"

# Messages that mean "this part of migsmith is not built yet", not "the input was refused".
_UNAVAILABLE = ("not available yet", "not supported yet")


class Unavailable(Exception):
    """A component the case needs is missing; the case is an error, not a failure."""


@dataclass
class RunConfig:
    model: str = "offline"
    verify: bool = False
    shadow_url: str | None = None  # a PostgreSQL server URL to create shadow databases on
    timeout_s: float = 300.0  # a case still running after this long is stopped: an error


@dataclass
class CaseResult:
    id: str
    dialect: str
    kinds: list[str]
    tags: list[str]
    source: str
    status: str  # pass, fail, error
    score: float
    request: str | None = None
    error: str | None = None
    grades: list[dict] = field(default_factory=list)
    operations: list[str] = field(default_factory=list)  # ops of the spec that was planned
    strategy: str | None = None
    steps: int | None = None
    usage: dict | None = None
    duration_s: float = 0.0

    def to_dict(self) -> dict:
        return asdict(self)

    def failed_grades(self) -> list[dict]:
        return [g for g in self.grades if not g["passed"] and not g["skipped"]]


# ----------------------------------------------------------------------------- one case

class CaseTimeout(Exception):
    """Raised inside a case that ran past RunConfig.timeout_s."""


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Stop a hanging case (a stuck model call, a lock wait) so the others still finish.
    Uses SIGALRM, so only where a case runs on a main thread (the CLI, the workers)."""
    import signal
    import threading

    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):
        raise CaseTimeout()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_case(case: Case, config: RunConfig) -> CaseResult:
    from migsmith.tools.signals import deferred

    started = time.perf_counter()
    out = RunOutput(model=config.model, verify=config.verify, shadow_url=config.shadow_url)
    error = None
    tmp = None
    try:
        with deferred():
            tmp = Path(tempfile.mkdtemp(prefix=f"migsmith-eval-{case.id[:20]}-"))
        try:
            with _time_limit(config.timeout_s):
                _run_pipeline(case, config, out, tmp)
        except Unavailable as exc:
            error = str(exc)
        except CaseTimeout:
            error = f"timed out after {config.timeout_s:g} s"
        except Exception as exc:  # noqa: BLE001 - one crashing case must not stop the suite
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            error = (f"crashed: {type(exc).__name__}: {exc} "
                     f"({Path(frame.filename).name}:{frame.lineno})")
        grades = [] if error else [g.to_dict() for g in grade_all(case, out)]
    finally:  # whatever stops the case, a signal included, its directory goes
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    graded = [g for g in grades if not g["skipped"]]
    if error:
        status, score = "error", 0.0
    else:
        status = "pass" if all(g["passed"] for g in graded) else "fail"
        score = sum(g["score"] for g in graded) / len(graded) if graded else 1.0
    return CaseResult(
        id=case.id, dialect=case.dialect, kinds=case.kinds(), tags=list(case.tags),
        source=case.source, status=status, score=round(score, 4), request=case.request,
        error=error, grades=grades,
        operations=[_describe(op) for op in out.spec.operations] if out.spec else [],
        strategy=out.plan.strategy if out.plan else None,
        steps=len(out.plan.steps) if out.plan else None,
        usage=usage_of(out.agent) if out.agent is not None and config.model != "offline" else None,
        duration_s=round(time.perf_counter() - started, 4))


def _describe(op) -> str:
    from migsmith.tools.spec.changespec import describe_operation

    return describe_operation(op)


def _run_pipeline(case: Case, config: RunConfig, out: RunOutput, tmp: Path) -> None:
    """Fill ``out`` step by step; a MigsmithError is the pipeline refusing (recorded, graded)."""
    from migsmith.tools.planning.planner import build_plan

    stage = "schema"
    try:
        schema, out.schema_path = load_case_schema(case, tmp)
        stage = "request"
        spec = case_spec(case, schema, config, out)
        if not case.plan:  # judged at the spec, minus what is already in effect (as planned)
            from migsmith.tools.errors import NothingToDo
            from migsmith.tools.schema.evolve import settle

            consented = spec.options.model_copy(update={"allow_data_loss": True})  # judged later
            settled, notes = settle(schema, spec.model_copy(update={"options": consented}))
            if settled is None:
                raise NothingToDo(notes)
            out.spec = spec.model_copy(update={"operations": settled.operations})
            return
        stage = "plan"
        out.plan = build_plan(spec, schema, created=PLAN_DATE)
        out.spec = out.plan.spec
        if config.verify:
            from migsmith.tools.planning.writer import write_plan

            out.plan_dir = tmp / "plan"
            write_plan(out.plan, out.plan_dir)
    except MigsmithError as exc:
        if any(marker in str(exc) for marker in _UNAVAILABLE):
            raise Unavailable(f"{stage}: {exc}") from None
        out.refusal, out.stage = str(exc), stage


def load_case_schema(case: Case, tmp: Path):
    """The case's schema, and a file holding it (verify reads files)."""
    from migsmith.tools.schema import load_ddl

    if case.schema_ddl is not None:
        path = tmp / "schema.sql"
        path.write_text(case.schema_ddl, encoding="utf-8")
        schema = load_ddl(case.schema_ddl, case.dialect, source=f"{case.id} (inline schema)")
    else:
        path = case.schema_path()
        if path is None:
            raise Unavailable(f"schema file not found: {case.schema_file} (looked in "
                              "evals/schemas/, the repository root and examples/)")
        schema = load_ddl(path.read_text(encoding="utf-8"), case.dialect, source=str(path))
    for table, count in (case.options.get("rows") or {}).items():
        schema.table(table).row_estimate = int(count)
    return schema, path


def case_spec(case: Case, schema, config: RunConfig, out: RunOutput):
    """The ChangeSpec to plan: the case's own, or the agent's answer to its request, with the
    case's options applied the way the CLI flags would apply them."""
    from migsmith.tools.spec.changespec import Options, parse_spec

    if case.spec is not None:
        spec = _ready_spec(case)
    else:
        try:
            from migsmith.agent.runner import request_to_spec
        except ImportError as exc:
            raise Unavailable(f"request -> spec is not available yet ({exc})") from None
        out.agent = request_to_spec(case.request, schema, model=config.model,
                                    dialect=case.dialect)
        spec = out.agent.spec
    out.spec = spec
    updates = {k: v for k, v in case.options.items() if k != "rows"}
    updates["dialect"] = case.dialect
    merged = {**spec.options.model_dump(), **updates}
    try:
        options = Options.model_validate(merged)
    except Exception as exc:  # a bad option in a case file is the case's error
        raise Unavailable(f"case options are invalid: {exc}") from None
    return parse_spec({**spec.model_dump(mode="json", exclude_none=True),
                       "options": options.model_dump(mode="json")}, source=case.id)


def _ready_spec(case: Case):
    from migsmith.tools.spec.changespec import parse_spec

    if isinstance(case.spec, dict):
        return parse_spec(case.spec, source=f"{case.id}: spec")
    path = resolve_path(case.spec, (REPO_ROOT, EVALS_DIR / "specs", EVALS_DIR))
    if path is None:
        raise Unavailable(f"spec file not found: {case.spec}")
    return parse_spec(path.read_text(encoding="utf-8"), source=str(path))


# ----------------------------------------------------------------------------- the suite

@dataclass
class SuiteResult:
    cases: list[CaseResult]
    model: str
    jobs: int
    duration_s: float
    verify: bool = False
    created: str = ""

    @property
    def score(self) -> float:
        """Mean case score in percent."""
        return round(100 * sum(c.score for c in self.cases) / len(self.cases), 2) if self.cases else 0.0

    def count(self, status: str) -> int:
        return sum(1 for c in self.cases if c.status == status)

    @property
    def pass_rate(self) -> float:
        return round(100 * self.count("pass") / len(self.cases), 2) if self.cases else 0.0

    def by(self, key: Callable[[CaseResult], list[str]]) -> dict[str, dict]:
        groups: dict[str, list[CaseResult]] = defaultdict(list)
        for c in self.cases:
            for k in key(c):
                groups[k].append(c)
        return {k: _group_stats(v) for k, v in sorted(groups.items())}

    def by_grader(self) -> dict[str, dict]:
        stats: dict[str, dict] = {}
        for c in self.cases:
            for g in c.grades:
                s = stats.setdefault(g["name"], {"passed": 0, "failed": 0, "skipped": 0})
                s["skipped" if g["skipped"] else "passed" if g["passed"] else "failed"] += 1
        return stats

    def usage(self) -> dict | None:
        """Tokens, turns and latency over the cases that called a model (None offline)."""
        runs = [c.usage for c in self.cases if c.usage]
        if not runs:
            return None
        turns = [u["turns"] for u in runs if u.get("turns") is not None]
        latency = sorted(u["latency_s"] for u in runs if u.get("latency_s") is not None)
        return {
            "requests": len(runs),
            "input_tokens": sum(u["input_tokens"] for u in runs),
            "output_tokens": sum(u["output_tokens"] for u in runs),
            "cache_read_input_tokens": sum(u["cache_read_input_tokens"] for u in runs),
            "mean_turns": round(sum(turns) / len(turns), 2) if turns else None,
            "max_turns": max(turns) if turns else None,
            "median_latency_s": round(latency[len(latency) // 2], 3) if latency else None,
            "max_latency_s": round(latency[-1], 3) if latency else None,
        }

    def to_dict(self) -> dict:
        return {
            "format": 1,
            "created": self.created,
            "model": self.model,
            "jobs": self.jobs,
            "verify": self.verify,
            "duration_s": round(self.duration_s, 3),
            "summary": {"score": self.score, "pass_rate": self.pass_rate,
                        "cases": len(self.cases), "passed": self.count("pass"),
                        "failed": self.count("fail"), "errors": self.count("error")},
            "by_dialect": self.by(lambda c: [c.dialect]),
            "by_kind": self.by(lambda c: c.kinds),
            "by_tag": self.by(lambda c: c.tags),
            "by_grader": self.by_grader(),
            "usage": self.usage(),
            "cases": [c.to_dict() for c in self.cases],
        }


def _group_stats(cases: list[CaseResult]) -> dict:
    n = len(cases)
    return {"cases": n, "score": round(100 * sum(c.score for c in cases) / n, 2),
            "passed": sum(c.status == "pass" for c in cases),
            "failed": sum(c.status == "fail" for c in cases),
            "errors": sum(c.status == "error" for c in cases)}


def _warm_up() -> None:
    """Import the heavy modules once, before worker processes fork from this one."""
    import migsmith.tools.planning.planner  # noqa: F401
    import migsmith.tools.schema.postgres_ddl  # noqa: F401
    try:
        import migsmith.tools.lint  # noqa: F401
    except ImportError:
        pass


@contextlib.contextmanager
def shadow_server(config: RunConfig):
    """With --verify and no server given, one private PostgreSQL serves every case (a fresh
    database each), instead of one server started per plan."""
    if not config.verify or config.shadow_url:
        yield config
        return
    try:
        from migsmith.tools.proving.shadow.postgres import start_server
    except ImportError:  # the verifier is not there: its grade will say so
        yield config
        return
    server = start_server()
    try:
        yield dataclasses.replace(config, shadow_url=server.server_url)
    finally:
        server.close()


def run_suite(cases: list[Case], config: RunConfig, jobs: int = 1,
              on_result: Callable[[CaseResult], None] | None = None) -> SuiteResult:
    """Run every case, ``jobs`` at a time in worker processes; results in case order."""
    started = time.perf_counter()
    with shadow_server(config) as run_config:
        results = _run_all(cases, run_config, jobs, on_result)
    return SuiteResult(cases=[results[c.id] for c in cases], model=config.model,
                       jobs=max(1, min(jobs, len(cases) or 1)),
                       duration_s=time.perf_counter() - started, verify=config.verify,
                       created=_dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"))


def _run_all(cases, config, jobs, on_result) -> dict[str, CaseResult]:
    _warm_up()
    results: dict[str, CaseResult] = {}
    jobs = max(1, min(jobs, len(cases) or 1))
    if jobs == 1:
        for case in cases:
            results[case.id] = run_case(case, config)
            if on_result:
                on_result(results[case.id])
    else:
        from migsmith.tools import signals

        # Workers leave Ctrl-C at the terminal to this process, which stops them with SIGTERM
        # (they clean up their shadow databases and temp directories on it) and waits.
        pool = ProcessPoolExecutor(max_workers=jobs, initializer=signals.ignore_in_worker)
        try:
            futures = {pool.submit(_run_case_in_worker, case, config): case for case in cases}
            for fut in as_completed(futures):
                case = futures[fut]
                try:
                    res = fut.result()
                except Exception as exc:  # noqa: BLE001 - a dead worker fails one case only
                    res = CaseResult(id=case.id, dialect=case.dialect, kinds=case.kinds(),
                                     tags=list(case.tags), source=case.source, status="error",
                                     score=0.0, request=case.request,
                                     error=f"worker failed: {type(exc).__name__}: {exc}")
                results[case.id] = res
                if on_result:
                    on_result(res)
        except BaseException:
            _stop_workers(pool)
            raise
        pool.shutdown(wait=True)
    return results


def _run_case_in_worker(case: Case, config: RunConfig) -> CaseResult:
    """run_case in a pool worker: a SIGTERM from the parent ends the worker once the case has
    cleaned up, instead of letting it start the next case it already holds."""
    from migsmith.tools.signals import Interrupted

    try:
        return run_case(case, config)
    except Interrupted as exc:
        os._exit(exc.code)


def _stop_workers(pool: ProcessPoolExecutor, grace_s: float = 60.0) -> None:
    """Cancel what has not started, SIGTERM the workers, and wait for them to clean up."""
    import time as _time

    from migsmith.tools.signals import deferred

    with deferred():
        processes = list((pool._processes or {}).values())  # noqa: SLF001 - no public handle
        pool.shutdown(wait=False, cancel_futures=True)
        for proc in processes:
            with contextlib.suppress(Exception):
                proc.terminate()
        deadline = _time.monotonic() + grace_s
        for proc in processes:
            proc.join(max(0.1, deadline - _time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join(5)


def default_jobs() -> int:
    return max(1, min(4, os.cpu_count() or 1))


# ----------------------------------------------------------------------------- threshold

THRESHOLD_FILE = EVALS_DIR / "threshold.json"


def read_threshold(path: Path = THRESHOLD_FILE) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise MigsmithError(f"cannot read the threshold file {path}: {exc}") from None
    if not isinstance(data.get("min_score"), (int, float)):
        raise MigsmithError(f"{path}: 'min_score' must be a number (percent)")
    return data


def check_threshold(suite: SuiteResult, threshold: dict[str, Any]) -> list[str]:
    """What falls short of the recorded minimums (empty when the suite is good enough)."""
    problems = []
    if suite.score < threshold["min_score"]:
        problems.append(f"suite score {suite.score:.2f}% is below the recorded minimum "
                        f"{threshold['min_score']:.2f}%")
    min_pass = threshold.get("min_pass_rate")
    if isinstance(min_pass, (int, float)) and suite.pass_rate < min_pass:
        problems.append(f"pass rate {suite.pass_rate:.2f}% is below the recorded minimum "
                        f"{min_pass:.2f}%")
    return problems


def raise_threshold(suite: SuiteResult, path: Path = THRESHOLD_FILE) -> dict[str, Any]:
    """Record the current score as the new minimum; never lowers it (that takes a visible edit)."""
    data = read_threshold(path)
    new = dict(data)
    new["min_score"] = max(data["min_score"], _floor2(suite.score))
    new["min_pass_rate"] = max(data.get("min_pass_rate") or 0.0, _floor2(suite.pass_rate))
    path.write_text(json.dumps(new, indent=2) + "\n", encoding="utf-8")
    return new


def _floor2(x: float) -> float:
    import math

    return math.floor(x * 100) / 100
