"""The blocks a page may skip rendering while they are off screen (content-visibility in site.css).

site.css skips the article's top-level blocks until they near the viewport, but a skipped block that is
itself a scroll box reports a scroll size its unrendered content never had, and axe-core and
Lighthouse then call it a scrollable region no keyboard can reach. Tables (which Material wraps in a
sideways-scrolling box in the browser) and display formulas (which scroll sideways on a phone) are
therefore wrapped in a plain block: the wrapper is what gets skipped, and the scroll box inside it,
measured, lays out its own content.
"""

from __future__ import annotations

import re

WRAPPER = "rva-block"

# KaTeX writes spans only, so a display formula's div ends at the first </div>; tables do not nest in
# our pages. A table with a class is not Material's to wrap (code line numbers), nor ours.
_SCROLL_BOXES = re.compile(r'<div class="arithmatex">.*?</div>|<table(?:\s(?![^>]*\bclass=)[^>]*)?>.*?</table>', re.S)


def wrap_scroll_boxes(html: str) -> str:
    """Each display formula and table of a page's HTML inside a <div class="rva-block">."""
    return _SCROLL_BOXES.sub(lambda match: f'<div class="{WRAPPER}">{match[0]}</div>', html)
