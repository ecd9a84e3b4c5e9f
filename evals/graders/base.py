"""The tiny interface every grader shares: ``grade(case, result) -> GradeResult | None``.

``None`` means the grader does not apply to this case (a spec match on a case that gives a
ready spec); ``skipped=True`` means it applies but could not run here (no linter yet, no
database), and a skipped grade counts neither for nor against the score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class GradeResult:
    name: str
    passed: bool
    score: float
    details: str = ""
    skipped: bool = False
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def skip(cls, name: str, why: str) -> "GradeResult":
        return cls(name=name, passed=True, score=1.0, details=why, skipped=True)

    def to_dict(self) -> dict:
        return {"name": self.name, "passed": self.passed, "score": round(self.score, 4),
                "skipped": self.skipped, "details": self.details, "data": self.data}


@dataclass
class RunOutput:
    """What running one case produced, for the graders to judge."""

    spec: Any = None  # ChangeSpec the plan was built from (normalized by the planner)
    plan: Any = None  # Plan
    plan_dir: Path | None = None
    schema_path: Path | None = None
    refusal: str | None = None  # the one-line MigsmithError the pipeline stopped with
    stage: str | None = None  # where it stopped: schema, request, plan
    agent: Any = None  # AgentResult of request_to_spec, when a request was given
    model: str = "offline"
    verify: bool = False
    shadow_url: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
