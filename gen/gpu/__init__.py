"""GPU runs in one shot: `python -m gen run-gpu` measures, `python -m gen import-gpu` brings results home.

A GPU is lent to this project for minutes at a time, on a bare machine (torch, numpy, pyyaml; no
MkDocs, no network) that returns only the files written into one folder. So the run is planned to
fit a deadline, every experiment runs in its own process with its own time cap, nothing is
rendered there, and everything comes back as one archive that `import-gpu` checks before it writes.
`run-gpu --dry-run` rehearses every GPU code path on the CPU at toy sizes, in the tests, so that no
device minute is spent on a typo.
"""
