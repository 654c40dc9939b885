"""Experiments that measure, and the code that turns their data into figures, tables and values.

    python -m gen --help

Measuring (``gen.runner``, ``gen.measuring.timing``, ``gen/experiments/*/measure.py``) needs torch, numpy and
pyyaml only, so it runs on a bare GPU machine. Rendering (``gen.render``) needs matplotlib and never
imports torch, so the site can be re-rendered anywhere from committed data.
"""
