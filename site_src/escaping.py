"""Keep contributor text from becoming markup: quiz and glossary text is shown, never run."""

from __future__ import annotations

import re

from site_src.markdown_lines import INLINE_CODE

_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")  # '<' that would open a tag; 'a < b' in math stays


def escape_tags(text: str) -> str:
    """Turn every tag-opening '<' outside inline code into '&lt;', so Markdown shows it as text.

    Code spans are left alone because Markdown already escapes them, and escaping twice would show
    '&lt;' literally.
    """
    out, last = [], 0
    for match in INLINE_CODE.finditer(text):
        out.append(_TAG_START.sub("&lt;", text[last:match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_TAG_START.sub("&lt;", text[last:]))
    return "".join(out)
