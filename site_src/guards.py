"""Guards on sentences that interpret a measurement: the build fails when the data stop saying it.

A sentence such as "the LSTM has come out faster" is re-measured at every build while its words are
not. Put a guard on the line before it, naming the value it rests on and what the sentence needs:

    <!-- holds: latency_vs_length.lstm_over_transformer_train_at_512 < 1 -->
    On this CPU the LSTM has come out faster.

The guard is an HTML comment, so readers never see it. When the shown result no longer satisfies it,
the build stops at that line and says what the data say now, so the sentence is rewritten instead of
going stale. Smoke data (tests only) are not judged, as their checks are not.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from gen.render.ids import RESULT_ID
from site_src.references import ReferenceSyntaxError

GUARD = re.compile(r"<!--\s*holds:\s*(?P<body>.*?)\s*-->")
_CONDITION = re.compile(
    rf"^(?P<id>{RESULT_ID})\s*(?P<op><=|>=|==|<|>)\s*(?P<number>-?\d+(?:\.\d+)?(?:e-?\d+)?)$")
_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "==": operator.eq}


GuardSyntaxError = ReferenceSyntaxError  # a guard is a reference to a value: one line-numbered error type


@dataclass(frozen=True)
class Guard:
    value_id: str  # experiment.key, optionally @profile
    op: str
    number: float
    line: int  # 1-based within the scanned text

    def holds(self, value: float | None) -> bool:
        return value is not None and _OPERATORS[self.op](value, self.number)

    @property
    def text(self) -> str:
        return f"{self.value_id} {self.op} {self.number:g}"


def guards(markdown: str) -> Iterator[Guard]:
    """Every guard of a page, in order; a malformed one is a GuardSyntaxError at its line."""
    for number, line in enumerate(markdown.splitlines(), start=1):
        for match in GUARD.finditer(line):
            condition = _CONDITION.match(match["body"])
            if not condition:
                raise GuardSyntaxError(number, f"guard '{match['body']}' is not 'experiment.key OP number' "
                                               "(OP one of < <= > >= ==)")
            yield Guard(condition["id"], condition["op"], float(condition["number"]), number)
