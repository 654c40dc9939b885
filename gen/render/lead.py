"""The sentence a measured figure's caption opens with: what to notice, stated with the data that make it true.

A caption's words are written once while its figure is measured again at every build. So the opening
sentence is never free text: render.py states it together with the condition, on the same readings the
checks judge, under which it is true, and a line saying what those readings are now:

    lead("One cumsum call beats the step-by-step loop at every length timed.",
         holds=min(ratios) > 1, now=f"loop ÷ cumsum from {min(ratios):.3g}× to {max(ratios):.3g}×")

When a real result (cpu or gpu) stops satisfying the condition, rendering stops with the experiment,
the figure, the sentence and what the data say now (judge_leads, called by gen/render/build.py), so the
sentence is rewritten instead of going stale. Smoke and dry-run data are toy sizes that nobody reads:
they are not judged, as their failed checks stop nothing either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gen.errors import GenError

if TYPE_CHECKING:
    from gen.render.model import Figure

JUDGED_PROFILES = ("cpu", "gpu")  # what readers see; "smoke" (tests) and "dry" (the GPU rehearsal) are not


@dataclass(frozen=True)
class Lead:
    sentence: str  # what the reader should notice, one sentence
    holds: bool  # whether the data shown say it
    now: str  # the readings the condition rests on, as they are in this result

    def __post_init__(self) -> None:
        if not self.sentence.endswith(".") or "\n" in self.sentence:
            raise ValueError(f"a lead is one sentence ending in a full stop: {self.sentence!r}")


def lead(sentence: str, holds: bool, now: str) -> Lead:
    """The opening sentence of a caption, true when `holds`; `now` says what the readings are."""
    return Lead(sentence.strip(), bool(holds), now)


def judge_leads(experiment: str, where: str, profile: str, figures: Iterable[Figure]) -> None:
    """Stop the build at the first figure whose opening sentence the data of a real result no longer say."""
    if profile not in JUDGED_PROFILES:
        return
    for figure in figures:
        if figure.lead is not None and not figure.lead.holds:
            raise GenError(
                where,
                f"figure '{experiment}.{figure.key}' ({profile} result): its caption opens with "
                f"\"{figure.lead.sentence}\", which the data no longer say; they say: {figure.lead.now}.",
                "Rewrite the sentence and its condition in figures() to say what the data show.",
            )
