"""Experiments that measure, and the code that turns their data into figures, tables and values.

    python -m gen --help

Measuring (``gen.runner``, ``gen.measuring.timing``, ``gen/experiments/*/measure.py``) needs torch, numpy and
pyyaml only, so it runs on a bare GPU machine. Rendering (``gen.render``) needs matplotlib and never
imports torch, so the site can be re-rendered anywhere from committed data.
"""

import sys

if sys.version_info < (3, 11):  # noqa: UP036 (a bare GPU machine may have an older Python: one line)
    sys.exit(f"gen needs Python 3.11 or newer; this is {sys.version.split()[0]}. "
             "Install a newer Python (python3.11 or later) and run the command with it.")
