"""Reading and checking the quizzes written in lesson Markdown (mkdocs-quiz syntax).

    <quiz>
    Which operation has serial depth proportional to the sequence length?
    - [x] An RNN's hidden-state update
      > Right: step t needs the state from step t - 1.
    - [ ] The scores of self-attention
      > Wrong: every score can be computed at once.

    Optional text shown after answering.
    </quiz>

mkdocs-quiz turns these into interactive quizzes. Its own errors on a malformed quiz are tracebacks
with a line counted in the HTML; we check every quiz first and report the page's own line. We also
insist on what makes a quiz teach: every choice explains itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from site_src.escaping import escape_tags
from site_src.markdown_lines import LineError, scan

_ANSWER = re.compile(r"^[-*] \[(.?)\] (.*)$")  # the exact form mkdocs-quiz accepts
_LOOSE_ANSWER = re.compile(r"^\s*[-*]\s*\[(.*?)\]")  # what a contributor may have meant as one
_FEEDBACK = re.compile(r"^\s*>\s?(.*)$")


class QuizError(LineError):
    pass


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool
    feedback: str
    line: int


@dataclass(frozen=True)
class Quiz:
    line: int  # of the <quiz> tag, 1-based
    end: int  # of the </quiz> tag
    question: str
    choices: list[Choice] = field(default_factory=list)

    @property
    def correct_positions(self) -> list[int]:
        return [i for i, c in enumerate(self.choices) if c.correct]


def parse_quizzes(markdown: str) -> list[Quiz]:
    """Every quiz of a page, checked; QuizError names the first problem and its line."""
    quizzes, body, start = [], None, 0
    for scanned in scan(markdown):
        number, line = scanned.number, scanned.text.rstrip("\r\n")
        if scanned.in_fence:  # a quiz written inside a code block is an example, not a quiz
            continue
        stripped = line.strip()
        if stripped.startswith("<quiz>"):
            if body is not None:
                raise QuizError(number, f"a new <quiz> starts before the one opened on line {start} is closed")
            body, start = [], number
            if stripped != "<quiz>":
                raise QuizError(number, "put <quiz> on a line of its own, with the question on the next line")
        elif stripped.startswith("</quiz>"):
            if body is None:
                raise QuizError(number, "</quiz> without a matching <quiz>")
            quizzes.append(_parse_one(body, start, number))
            body = None
        elif body is not None:
            body.append((number, line))
    if body is not None:
        raise QuizError(start, "this <quiz> is never closed; add </quiz> after its last line")
    return quizzes


def _parse_one(lines: list[tuple[int, str]], start: int, end: int) -> Quiz:
    question: list[str] = []
    choices: list[Choice] = []
    index = 0
    while index < len(lines) and not _LOOSE_ANSWER.match(lines[index][1]):
        question.append(lines[index][1])
        index += 1
    text = " ".join(q.strip() for q in question).strip()
    if not text:
        raise QuizError(start, "the quiz has no question; write it on the line after <quiz>")
    while index < len(lines):
        number, line = lines[index]
        if not line.strip():
            index += 1
            continue
        if not _LOOSE_ANSWER.match(line):
            break  # the text shown after answering
        answer = _ANSWER.match(line)
        if not answer or answer.group(1) not in ("x", "X", " ", ""):
            raise QuizError(number, "write a choice as '- [x] text' (correct) or '- [ ] text' (wrong)")
        feedback = []
        index += 1
        while index < len(lines) and _FEEDBACK.match(lines[index][1]):
            feedback.append(_FEEDBACK.match(lines[index][1]).group(1))
            index += 1
        if not answer.group(2).strip():
            raise QuizError(number, "this choice has no text")
        if not " ".join(feedback).strip():
            raise QuizError(
                number, "this choice has no explanation; add a line '  > why it is right or wrong' right below it"
            )
        choices.append(Choice(answer.group(2).strip(), answer.group(1).lower() == "x", " ".join(feedback), number))
    if len(choices) < 2:
        raise QuizError(start, "the quiz needs at least two choices ('- [x] ...' and '- [ ] ...')")
    if not any(c.correct for c in choices):
        raise QuizError(start, "the quiz has no correct answer; mark it with '- [x]'")
    return Quiz(start, end, text, choices)


def escape_quiz_text(markdown: str, quizzes: list[Quiz]) -> str:
    """The page with tag-like text inside its quizzes escaped, so a quiz shows '<script>', never runs it."""
    lines = markdown.splitlines(keepends=True)
    for quiz in quizzes:
        for index in range(quiz.line, quiz.end - 1):  # the lines between <quiz> and </quiz>
            lines[index] = escape_tags(lines[index])
    return "".join(lines)
