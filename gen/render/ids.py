"""The grammar of a result's id, in one place: what render.py may name a figure, table or value, and
what a page may write to refer to it (site_src/references.py) or to guard a sentence with it
(site_src/guards.py).

    experiment.key            serial_depth.loop_vs_sum_ratio_at_100k
    experiment.key@profile    kv_cache.mha_decode_growth@cpu
"""

from __future__ import annotations

import re

NAME = r"[a-z0-9_]+"  # an experiment, a key, or an entry of docs/reported.yml
PROFILE = r"[a-z]+"
RESULT_ID = rf"(?P<experiment>{NAME})\.(?P<key>{NAME})(?:@(?P<profile>{PROFILE}))?"

KEY = re.compile(rf"^{NAME}$")
