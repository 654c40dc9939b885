"""The experiments, one package each: ``__init__`` holds the config and presets, ``measure.py`` the
torch code that produces data and checks it, ``render.py`` the figures, tables and values drawn from
that data. The order here is the order in which ``python -m gen`` runs them."""

NAMES = ("serial_depth",)
