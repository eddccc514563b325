"""Egress verification beyond RiMEA: NIST TN 1822, ISO 20414 and IMO MSC.1/Circ.1533.

``run(full)`` returns one ``Row`` per published case (``suites.SUITES``): pass or FAIL against
its criterion, or "not built" where the case needs a feature Hyosan lacks (said, not passed).
Every suite runs with the door-flow calibration its cases assume, 1.33 P/(m·s) (``"imo"``);
RiMEA's movement suite keeps Seyfried's 1.9. ``hyosan validate egress [--full]`` prints it.
Results, sources and uncertainties: ``docs/egress.md``.
"""

from __future__ import annotations

from pathlib import Path

from hyosan.validate.egress.harness import PLANS
from hyosan.validate.egress.result import Result, Row
from hyosan.validate.egress.suites import CASES, PLAN_FOLDER, SUITES

__all__ = ["Result", "Row", "export_plans", "report", "run"]


def run(full: bool = False, out_dir: Path | None = None, suites: list[str] | None = None
        ) -> list[Row]:
    """Every row of the chosen suites (all by default); shared cases run once."""
    done: dict[str, tuple[Result, str]] = {}
    rows = []
    for suite, cases in SUITES.items():
        if suites is not None and suite not in suites:
            continue
        for label, case in cases:
            if case not in CASES:  # a feature Hyosan lacks: said, never passed
                rows.append(Row(suite, label, "—", case + ": not built yet", "not built", case))
                continue
            if case in done:
                res, first = done[case]
                measured = f"{res.measured} (same run as {first})"
            else:
                key = f"{PLAN_FOLDER[suite]}/{case}"
                res = CASES[case](key, full)
                short = "IMO " + " ".join(label.split()[:2]) if suite.startswith("IMO") \
                    else f"{suite} {label.split()[0]}"
                done[case] = (res, short)
                measured = res.measured
            rows.append(Row(suite, label, res.criterion, measured,
                            "pass" if res.passed else "FAIL", case))
    return rows


def report(full: bool, out_dir: Path | None, console) -> bool:
    """Print the egress table (suite, case, criterion, measured, result); False if any FAIL."""
    from rich.table import Table

    rows = run(full, out_dir)
    table = Table(title="hyosan validate egress" + (" (full)" if full else " (reduced)"))
    for col in ("suite", "case", "criterion", "measured", "result"):
        table.add_column(col)
    colour = {"pass": "green", "FAIL": "red"}
    for r in rows:
        c = colour.get(r.status, "yellow")
        table.add_row(r.suite, r.case, r.criterion, r.measured, f"[{c}]{r.status}[/]")
    console.print(table)
    if out_dir is not None:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        (Path(out_dir) / "egress.md").write_text(markdown_table(rows))
        (Path(out_dir) / "egress_summary.md").write_text(summary_table(rows))
    return not any(r.failed for r in rows)


def markdown_table(rows: list[Row]) -> str:
    """The table as Markdown (for docs/egress.md and the README)."""
    out = ["| suite | case | criterion | measured | result |", "|---|---|---|---|---|"]
    out += [f"| {r.suite} | {r.case} | {r.criterion} | {r.measured} | {r.status} |"
            for r in rows]
    return "\n".join(out) + "\n"


def summary_table(rows: list[Row]) -> str:
    """One line per case that ran (or could not), with the NIST, ISO and IMO numbers that share
    it (the README's table)."""
    order: list[str] = []
    names: dict[str, dict[str, list[str]]] = {}
    first: dict[str, Row] = {}
    for r in rows:
        if r.key not in names:
            order.append(r.key)
            names[r.key] = {}
            first[r.key] = r
        tag = {"NIST TN 1822": "NIST", "ISO 20414": "ISO", "IMO MSC.1/Circ.1533": "IMO"}.get(
            r.suite, "")
        num = " ".join(r.case.split()[:2]) if r.suite != "NIST TN 1822" else r.case.split()[0]
        if tag == "ISO":
            num = num.replace("Test ", "")
        elif tag == "IMO":
            num = num.replace("Test ", "")
        names[r.key].setdefault(tag, []).append(num)
    out = ["| case | NIST TN 1822 | ISO 20414 | IMO 1533 | criterion | measured | result |",
           "|---|---|---|---|---|---|---|"]
    for k in order:
        r, nm = first[k], names[k]
        label = r.case.split(" ", 1)[1] if r.suite != "extra" else r.case
        if r.suite.startswith("IMO"):
            label = r.case.split(" ", 2)[2]
        cells = [", ".join(dict.fromkeys(nm.get(t, []))) or "—" for t in ("NIST", "ISO", "IMO")]
        out.append(f"| {label} | {' | '.join(cells)} | {r.criterion} | {r.measured} | "
                   f"{r.status} |")
    return "\n".join(out) + "\n"


def export_plans(root: Path, plans: dict[str, str] | None = None) -> list[Path]:
    """Write every case's floor plan (as last built, or ``plans``) under ``root``
    (``validation/``)."""
    out = []
    for key, text in sorted((PLANS if plans is None else plans).items()):
        path = Path(root) / f"{key}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        out.append(path)
    return out
