"""Measure experiments and render their figures, tables and values.

    python -m gen                      # measure what is missing or stale, then render
    python -m gen measure --only serial_depth --force
    python -m gen status               # what exists, on which device, and whether it is current
    python -m gen render               # data -> figures, tables, values (no torch)
    python -m gen pick --seq-len 100000 --streaming   # the architecture picker (gen/picker/)
    python -m gen run-gpu --out DIR --deadline 400     # every gpu preset in one shot (gen/gpu/)
    python -m gen run-gpu --dry-run --out DIR          # the same code paths on the CPU, toy sizes
    python -m gen import-gpu DIR/gpu-results.tar.gz    # check the archive, then write results/gpu/
    python -m gen import-device FILE.json              # check a reader's panel result, then write results/devices/
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from gen.errors import GenError
from gen.experiment import PROFILES, all_experiments, select

# "dry": each experiment's gpu preset at toy sizes, on the CPU (run-gpu --dry-run); never shown on the site
RUN_PROFILES = (*PROFILES, "dry")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m gen",
        description="Measure the site's experiments into results/<profile>/<experiment>.json and "
        "render them into figures, tables and values for the site.",
    )
    parser.add_argument(
        "command", nargs="?", default="all",
        choices=("all", "measure", "render", "status", "pick", "run-gpu", "import-gpu", "import-device"),
        help="all (default): measure then render; measure; render (no torch); status: what exists and is "
        "current, judged by today's checks; pick: the architecture picker (its own --help); run-gpu: every "
        "gpu preset in one shot into --out; import-gpu ARCHIVE: check a run-gpu archive and store it; "
        "import-device FILE: check a result downloaded from a 'Measure it on your device' panel and store it",
    )
    parser.add_argument("file", nargs="?", type=Path, metavar="FILE",
                        help="import-gpu: the gpu-results.tar.gz to import; import-device: the panel's .json file")
    parser.add_argument(
        "--profile", default="auto", choices=("auto", *RUN_PROFILES),
        help="smoke: seconds, for tests; cpu: the site build on a laptop; gpu: an accelerator; dry: the gpu "
        "preset at toy sizes, for a CPU rehearsal. auto: gpu when the device is CUDA, else cpu",
    )
    parser.add_argument(
        "--device", default="auto", choices=("auto", "cpu", "cuda"),
        help="where torch runs; auto picks CUDA when torch sees a GPU",
    )
    parser.add_argument("--only", action="append", metavar="NAME",
                        help="measure only this experiment (repeatable)")
    parser.add_argument("--force", action="store_true", help="measure again even when the result is current")
    parser.add_argument("--list", action="store_true",
                        help="list the experiments, the question each answers and the pages that use it, and exit")
    parser.add_argument("--traceback", action="store_true", help="print the full traceback of a crash")
    parser.add_argument("--attempts", type=int, default=None, metavar="N",
                        help="measure: measurements per experiment while only timing checks fail (default 3)")
    parser.add_argument("--out", type=Path, help="run-gpu: the folder for results, summary.json and the archive")
    parser.add_argument("--deadline", type=float, default=400.0, metavar="SECONDS",
                        help="run-gpu: skip what cannot finish within this many seconds of the start (default 400)")
    parser.add_argument("--dry-run", action="store_true",
                        help="run-gpu: every gpu code path on the CPU at toy sizes, rendered and checked")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    if argv[:1] == ["pick"]:  # the picker has flags of its own, read from its rules file (listed for --help)
        from gen.picker.cli import main as pick_main

        return pick_main(argv[1:])
    args = parse_args(argv)
    if args.list:
        pages = pages_by_experiment()
        for experiment in all_experiments():
            print(f"{experiment.name:16} {experiment.question}")
            if experiment.name in pages:
                print(f"{'':16} used by {', '.join(pages[experiment.name])}")
        return 0
    experiments = select(args.only)
    if args.command == "status":
        from gen.status import status_lines

        print("\n".join(status_lines(experiments)))
        return 0
    if args.command == "run-gpu":
        from gen.gpu.run import run_gpu

        if args.out is None:
            raise GenError("run-gpu", "needs --out DIR, the folder the results and the archive go to.",
                           "For example: python -m gen run-gpu --out /tmp/gpu --deadline 400")
        return run_gpu(experiments, args.out, args.deadline, args.dry_run)
    if args.command == "import-gpu":
        from gen.gpu.archive import import_gpu

        if args.file is None:
            raise GenError("import-gpu", "needs the archive to import.",
                           "For example: python -m gen import-gpu /tmp/gpu/gpu-results.tar.gz")
        return import_gpu(args.file)
    if args.command == "import-device":
        from gen.devices import import_device

        if args.file is None:
            raise GenError("import-device", "needs the result file to import.",
                           "For example: python -m gen import-device ~/Downloads/rva-serial_depth-2026-05-01.json")
        import_device(args.file)
        return 0
    crashed = 0
    if args.command in ("all", "measure"):
        from gen.runner import MAX_ATTEMPTS, measure_all, resolve_device, resolve_profile

        device = resolve_device(args.device)
        profile = resolve_profile(args.profile, device)
        attempts = args.attempts or MAX_ATTEMPTS
        crashed = measure_all(experiments, profile, device, args.force, args.traceback, attempts)
    if args.command in ("all", "render"):
        from gen.render.build import render_all

        render_all(all_experiments())
    return 1 if crashed else 0


def pages_by_experiment() -> dict[str, list[str]]:
    """Which pages of docs/ refer to each experiment's figures, tables or values."""
    from gen.paths import REPO_ROOT, shown
    from site_src.references import ReferenceSyntaxError, find

    pages: dict[str, list[str]] = {}
    for page in sorted((REPO_ROOT / "docs").rglob("*.md")):
        try:
            references = find(page.read_text(encoding="utf-8"))
        except ReferenceSyntaxError:  # the build reports it at its line; a listing should still list
            continue
        for name in sorted({r.experiment for r in references if r.experiment}):
            pages.setdefault(name, []).append(shown(page))
    return pages


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
