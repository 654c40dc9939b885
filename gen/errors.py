"""The one error type that the command line turns into a single clear line instead of a traceback."""

from __future__ import annotations


class GenError(Exception):
    """A problem a contributor can fix: where it is, what is wrong, and what to do about it."""

    def __init__(self, where: str, problem: str, fix: str = "") -> None:
        self.where = where
        self.problem = problem
        self.fix = fix
        super().__init__(self.line())

    def line(self) -> str:
        text = f"{self.where}: {self.problem}"
        return f"{text} {self.fix}" if self.fix else text
