"""`python -m gen pick`: the architecture picker on the command line.

    python -m gen pick --seq-len 100000 --streaming
    python -m gen pick --example long_document_qa --json
    python -m gen pick --example chat_assistant --batch 64      # an example, one input changed

Every flag except --json, --example and --rules comes from the inputs of rules.yaml, help text
included. A bad value is one line on stderr and exit status 2; a broken rules file is one line
(rules.yaml:LINE: ...) and exit status 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from gen.picker.engine import RULES_PATH, ProblemError, Recommendation, load_rules, pick
from gen.picker.examples import load_examples


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse's own is a usage block and a line
        self.exit(2, f"{self.prog}: {message}. See `{self.prog} --help`.\n")


def build_parser(rules: dict[str, Any]) -> _Parser:
    parser = _Parser(
        prog="python -m gen pick",
        description="Recommend a sequence-model architecture for a problem: the family and the constraint "
        "that decided it, a context-length strategy, training FLOPs against the budget, inference memory "
        "against the device, and a known failure mode. The rules are data: gen/picker/rules.yaml.",
    )
    for spec in rules["inputs"]:
        if spec["kind"] == "boolean":
            parser.add_argument(spec["flag"], dest=spec["name"], action="store_true", default=None,
                                help=f"{spec['label']}. {spec['help']}")
        else:
            parser.add_argument(spec["flag"], dest=spec["name"], metavar="N", default=None,
                                help=f"{spec['help']} Default: {_plain(spec['default'])}.")
    parser.add_argument("--example", metavar="ID",
                        help="start from a worked example of gen/picker/examples.yaml; flags given too override it")
    parser.add_argument("--json", action="store_true", help="print the whole answer as JSON (numbers unformatted)")
    parser.add_argument("--rules", type=Path, default=RULES_PATH, help="a rules file to use instead of rules.yaml")
    return parser


def main(argv: list[str]) -> int:
    rules_path = _rules_path(argv)
    rules = load_rules(rules_path)
    args = build_parser(rules).parse_args(argv)
    problem: dict[str, Any] = {}
    if args.example:
        examples = load_examples()
        if args.example not in examples:
            return _bad(f"--example: unknown example '{args.example}' (examples: {', '.join(examples)})")
        problem.update(examples[args.example]["problem"])
    for spec in rules["inputs"]:
        given = getattr(args, spec["name"])
        if given is None:
            continue
        if spec["kind"] == "boolean":
            problem[spec["name"]] = True
            continue
        try:
            problem[spec["name"]] = float(given)
        except ValueError:
            return _bad(f"{spec['flag']}: must be a number (got {given!r})")
    try:
        answer = pick(problem, rules)
    except ProblemError as err:
        return _bad(str(err))
    print(json.dumps(answer.to_dict(), indent=1, ensure_ascii=False) if args.json else report(answer))
    return 0


def report(answer: Recommendation) -> str:
    lines = [
        f"Family:     {answer.family_name}",
        f"Decided by: {answer.constraint}",
        "Context strategy:",
        *(f"  - {line}" for line in answer.strategy),
        f"Training:   {answer.training}",
        f"Memory:     {answer.memory}",
        f"Prefill:    {answer.prefill}",
        f"Latency:    {answer.latency}",
        f"Failure mode at this scale: {answer.failure_mode.text} ({answer.failure_mode.cite})",
        *(f"Caveat:     {caveat.text}" for caveat in answer.caveats),
        f"Shape used: {answer.shape}",
    ]
    return "\n".join(lines)


def _plain(x: float) -> str:
    """4096, 80, 1e9, 2e10: how a reader would type the default."""
    return str(int(x)) if x == int(x) and abs(x) < 1e6 else f"{x:.3g}".replace("e+0", "e").replace("e+", "e")


def _bad(message: str) -> int:
    print(f"python -m gen pick: {message}. See `python -m gen pick --help`.", file=sys.stderr)
    return 2


def _rules_path(argv: list[str]) -> Path:
    """--rules before argparse runs: the flags themselves come from the rules file."""
    for index, arg in enumerate(argv):
        if arg == "--rules" and index + 1 < len(argv):
            return Path(argv[index + 1])
        if arg.startswith("--rules="):
            return Path(arg.split("=", 1)[1])
    return RULES_PATH
