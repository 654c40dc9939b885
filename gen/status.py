"""`python -m gen status`: every experiment's results, their devices, and whether each is current."""

from __future__ import annotations

from gen.experiment import PROFILES, Experiment
from gen.selection import all_states, notes_for_site, shown_profile


def status_lines(experiments: list[Experiment]) -> list[str]:
    lines = []
    for experiment in experiments:
        states = all_states(experiment)
        chosen = shown_profile(states)
        lines.append(f"{experiment.name}: {experiment.question}")
        for profile in PROFILES:
            state = states[profile]
            if not state.exists:
                lines.append(f"  {profile:5}  missing")
                continue
            provenance = state.result["provenance"]
            checks = state.checks
            passed = sum(c.passed for c in checks)
            verdict = "current" if state.current else "STALE: " + "; ".join(state.stale_reasons)
            mark = "  <- shown on the site" if profile == chosen else ""
            lines.append(
                f"  {profile:5}  {verdict}; {provenance.get('device_name')}, "
                f"{provenance.get('started_at')}, checks {passed}/{len(checks)}{mark}"
            )
            for check in checks if state.current else ():  # today's checks, judged now from the data
                if not check.passed:
                    lines.append(f"         FAILED {check.name} ({check.kind}): {check.detail}")
        for note in notes_for_site(states):
            lines.append(f"  note: {note}")
        if chosen is None:
            lines.append("  note: no current result; `make gen` measures one on this machine.")
    return lines
