"""Measure experiments and render their figures, tables and values.

    python -m gen                      # measure what is missing or stale, then render
    python -m gen measure --only serial_depth --force
    python -m gen status               # what exists, on which device, and whether it is current
    python -m gen render               # data -> figures, tables, values (no torch)
    python -m gen pick --seq-len 100000 --streaming   # the architecture picker (gen/picker/)
"""

from __future__ import annotations

import argparse
import sys

from gen.errors import GenError
from gen.experiment import PROFILES, all_experiments, select


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m gen",
        description="Measure the site's experiments into results/<profile>/<experiment>.json and "
        "render them into figures, tables and values for the site.",
    )
    parser.add_argument(
        "command", nargs="?", default="all", choices=("all", "measure", "render", "status"),
        help="all (default): measure then render; measure; render (no torch); status: what exists and is current",
    )
    parser.add_argument(
        "--profile", default="auto", choices=("auto", *PROFILES),
        help="smoke: seconds, for tests; cpu: the site build on a laptop; gpu: an accelerator. "
        "auto: gpu when the device is CUDA, else cpu",
    )
    parser.add_argument(
        "--device", default="auto", choices=("auto", "cpu", "cuda"),
        help="where torch runs; auto picks CUDA when torch sees a GPU",
    )
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="measure only this experiment (repeatable)")
    parser.add_argument("--force", action="store_true", help="measure again even when the result is current")
    parser.add_argument("--list", action="store_true", help="list the experiments and exit")
    parser.add_argument("--traceback", action="store_true", help="print the full traceback of a crash")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    if argv[:1] == ["pick"]:  # the picker has flags of its own, read from its rules file
        from gen.picker.cli import main as pick_main

        return pick_main(argv[1:])
    args = parse_args(argv)
    if args.list:
        for experiment in all_experiments():
            print(f"{experiment.name:16} {experiment.question}")
        return 0
    experiments = select(args.only)
    if args.command == "status":
        from gen.status import status_lines

        print("\n".join(status_lines(experiments)))
        return 0
    crashed = 0
    if args.command in ("all", "measure"):
        from gen.runner import measure_all, resolve_device, resolve_profile

        device = resolve_device(args.device)
        profile = resolve_profile(args.profile, device)
        crashed = measure_all(experiments, profile, device, args.force, args.traceback)
    if args.command in ("all", "render"):
        from gen.render.build import render_all

        render_all(all_experiments())
    return 1 if crashed else 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except GenError as err:
        print(err.line(), file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("interrupted: results already written are complete; run again to finish the rest.",
              file=sys.stderr)
        sys.exit(130)
