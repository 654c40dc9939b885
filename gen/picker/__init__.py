"""An architecture picker for sequence problems: a recommendation from one set of rules kept as data.

    python -m gen pick --seq-len 100000 --streaming
    python -m gen pick --seq-len 100000 --recall --params 8e9 --json

rules.yaml holds every rule, formula and sentence; engine.py evaluates it in Python (`pick`),
cli.py is the command line, and site_src/assets/picker.js evaluates the same file in the browser for
the form in lesson 6. examples.yaml holds the worked examples that the lesson shows and the tests use.
"""
