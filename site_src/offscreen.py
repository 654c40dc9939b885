"""The blocks a page may skip rendering while they are off screen (content-visibility in site.css).

site.css lets the article's top-level blocks skip style and layout until they near the viewport. Which
blocks may do so is decided here, at build time, and written as a class: a selector that picked them
in the browser (every child of the article but the first 20, the last 8, headings and forms) had no
class for the browser to look up, so it was tried on every element of the page at every restyle, a
`:has(form)` search of each one's subtree included (a tenth of a lesson's selector matching).

Which blocks stay rendered, and why:
- headings, so that the table of contents and #anchors land where they should;
- the first blocks: Chromium lays out the first frame with every skippable block at its estimated
  height and only then renders those on screen, so an estimated block in the first screen moves
  everything under it as the page appears (a layout shift of 0.13 on lesson 2). The first 20 fill the
  tallest first screen we measured (19 blocks on a 1920 x 1200 desktop);
- the last blocks: an estimate that is too short there would put the footer where content really is;
- a block holding a form (a quiz, the picker): scripts answer the reader's clicks in it, and a skipped
  block has no boxes and an empty innerText for them to read.

A skipped block that is itself a scroll box reports a scroll size its unrendered content never had, and
axe-core and Lighthouse then call it a scrollable region no keyboard can reach. Tables (which Material
wraps in a sideways-scrolling box in the browser) and display formulas (which scroll sideways on a
phone) are therefore wrapped in a plain block: the wrapper is what gets skipped, and the scroll box
inside it, measured, lays out its own content.
"""

from __future__ import annotations

import re

from site_src.html_elements import top_level_elements

WRAPPER = "rva-block"
SKIPPABLE = "rva-skip"  # site.css gives this class content-visibility: auto
FIRST_RENDERED = 20
LAST_RENDERED = 8
_ALWAYS_RENDERED = {"h1", "h2", "h3", "h4", "h5", "h6", "form"}

# KaTeX writes spans only, so a display formula's div ends at the first </div>; tables do not nest in
# our pages. A table with a class is not Material's to wrap (code line numbers), nor ours.
_SCROLL_BOXES = re.compile(r'<div class="arithmatex">.*?</div>|<table(?:\s(?![^>]*\bclass=)[^>]*)?>.*?</table>', re.S)
_CLASS_ATTRIBUTE = re.compile(r"""\sclass=(["'])""")


def wrap_scroll_boxes(html: str) -> str:
    """Each display formula and table of a page's HTML inside a <div class="rva-block">."""
    return _SCROLL_BOXES.sub(lambda match: f'<div class="{WRAPPER}">{match[0]}</div>', html)


def mark_skippable_blocks(html: str) -> str:
    """The article's HTML with class="rva-skip" on each top-level block that may skip rendering.

    HTML whose tags do not balance (raw HTML in a page's Markdown can leave one open) is returned as
    it was: every block then renders, which costs time but shows the page as written."""
    blocks = top_level_elements(html)
    if blocks is None:
        return html
    skippable = [block for index, block in enumerate(blocks)
                 if FIRST_RENDERED <= index < len(blocks) - LAST_RENDERED
                 and block.tag not in _ALWAYS_RENDERED and "<form" not in html[block.start:block.end]]
    pieces, done = [], 0
    for block in skippable:
        end = html.index(">", block.start)
        tag = html[block.start:end]
        attribute = _CLASS_ATTRIBUTE.search(tag)
        if attribute:  # the class goes last, after the block's own
            close = tag.index(attribute[1], attribute.end())
            marked = f"{tag[:close]} {SKIPPABLE}{tag[close:]}"
        elif " class=" in tag:  # an unquoted class: left alone rather than given a second one
            continue
        else:
            marked = f'<{block.tag} class="{SKIPPABLE}"{tag[1 + len(block.tag):]}'
        pieces += [html[done:block.start], marked]
        done = end
    return "".join(pieces) + html[done:]
