"""The picture of a plan beside its PLAN.md (``timeline.svg``): one bar per step, as long as the
step is expected to take, coloured by what its strongest lock does to clients, with the points
where code must be deployed before the next step.

Written as SVG text directly: a dozen rectangles and labels make a file of a few kilobytes
that GitHub, GitLab and any browser show inline. Drawing it with matplotlib would cost every
``migsmith plan`` the import of matplotlib and numpy (about 0.5 s of CPU, more than the
whole plan budget of 0.4 s) for the same picture.
"""

from __future__ import annotations

from html import escape

from migsmith.tools.planning.plan import Plan, Step

FILE = "timeline.svg"
# What the strongest lock of a step does to clients, from worst to none.
KINDS = [("blocks reads and writes", "#c0392b"), ("blocks writes", "#e67e22"),
         ("reads and writes go on", "#2e8b57"), ("takes no lock", "#95a5a6")]
WIDTH, LABEL_W, ROW_H, TOP, MIN_BAR = 760, 300, 22, 34, 5


def lock_kind(step: Step, lock_info) -> int:
    """Index into KINDS of the step's strongest lock (``lock_info``: the dialect's)."""
    if not step.expected_locks:
        return 3
    worst = 2
    for lock in step.expected_locks:
        info = lock_info(lock.mode)
        worst = min(worst, 0 if info.blocks_reads else 1 if info.blocks_writes else 2)
    return worst


def step_seconds(plan: Plan, step: Step) -> float:
    """The step's expected duration as the plan's total counts it."""
    from migsmith.tools.planning import calibration

    return step.est_seconds or calibration.seconds(plan.dialect, "ddl", None)


def deploy_before(step: Step) -> bool:
    """Whether code must ship before this step runs (its deploy note says so)."""
    return (step.deploy_note or "").startswith("Before:")


def timeline_svg(plan: Plan) -> str:
    from migsmith.tools.dialects import get_dialect
    from migsmith.tools.planning.planner import human_duration

    lock_info = get_dialect(plan.dialect, plan.target_version).lock_info
    durations = [step_seconds(plan, s) for s in plan.steps]
    total = sum(durations) or 1.0
    scale = (WIDTH - LABEL_W - 90) / total
    height = TOP + ROW_H * len(plan.steps) + 44
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
           f'viewBox="0 0 {WIDTH} {height}" font-family="Helvetica,Arial,sans-serif" '
           'font-size="12">',
           f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
           f'<text x="8" y="18" font-size="13" font-weight="bold">{escape(plan.name)}: '
           f'{len(plan.steps)} steps, about {human_duration(plan.estimated_seconds)} of '
           'database work</text>']
    start = 0.0
    for i, (step, seconds) in enumerate(zip(plan.steps, durations)):
        y = TOP + i * ROW_H
        x = LABEL_W + start * scale
        w = max(MIN_BAR, seconds * scale)
        kind, colour = KINDS[lock_kind(step, lock_info)]
        title = step.title if len(step.title) <= 44 else step.title[:43].rstrip() + "\u2026"
        out.append(f'<text x="8" y="{y + 15}">{step.number}. {escape(title)}</text>')
        if deploy_before(step):
            out.append(f'<line x1="{x:.1f}" y1="{y - 2}" x2="{x:.1f}" y2="{y + ROW_H}" '
                       'stroke="#2c3e50" stroke-width="2" stroke-dasharray="4 3"/>')
            out.append(f'<text x="{x + 3:.1f}" y="{y + 4}" font-size="10" fill="#2c3e50">'
                       'deploy code first</text>')
        out.append(f'<rect x="{x:.1f}" y="{y + 5}" width="{w:.1f}" height="{ROW_H - 8}" '
                   f'fill="{colour}"><title>step {step.number}: {escape(kind)}, about '
                   f'{human_duration(seconds)}</title></rect>')
        out.append(f'<text x="{x + w + 4:.1f}" y="{y + 15}" fill="#555555">'
                   f'{human_duration(seconds)}</text>')
        start += seconds
    y = TOP + ROW_H * len(plan.steps) + 16
    x = 8
    used = {lock_kind(s, lock_info) for s in plan.steps}
    for n, (kind, colour) in enumerate(KINDS):
        if n not in used:
            continue
        out.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour}"/>')
        out.append(f'<text x="{x + 16}" y="{y + 10}">{kind}</text>')
        x += 22 + 7 * len(kind)
    if any(deploy_before(s) for s in plan.steps):
        out.append(f'<line x1="{x}" y1="{y - 1}" x2="{x}" y2="{y + 13}" stroke="#2c3e50" '
                   'stroke-width="2" stroke-dasharray="4 3"/>')
        out.append(f'<text x="{x + 6}" y="{y + 10}">deploy point</text>')
    out.append(f'<text x="8" y="{height - 6}" font-size="10" fill="#777777">bar length: '
               'expected duration on the estimated row counts; colour: the strongest lock '
               'the step takes</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"
