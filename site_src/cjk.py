"""Line breaks inside Chinese sentences, taken out of a page's HTML.

A paragraph wrapped over several source lines keeps its line breaks in the HTML, and a browser shows
each as a space: between two Chinese characters that is a visible gap ("任务、 一个"). Chinese has no
spaces between words, so a break with a Chinese character on both sides is removed, and so is one next
to full-width punctuation, whatever is on its other side. Code keeps its lines: <pre>, <code>,
<script>, <style> and <textarea> are left as they are.
"""

from __future__ import annotations

import re

_WIDE = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"  # CJK ideographs, radicals, their punctuation, full-width forms
_WIDE_PUNCTUATION = "\u3000-\u303f\uff00-\uffef"  # 。，、：（）「」 and the full-width forms
# a break between two wide characters, or after or before wide punctuation ("趋势：⏎63 步", "Mamba⏎（"),
# which carries its own space
_BREAK = re.compile(rf"(?<=[{_WIDE}])[ \t]*\n[ \t]*(?=[{_WIDE}])"
                    rf"|(?<=[{_WIDE_PUNCTUATION}])[ \t]*\n[ \t]*|[ \t]*\n[ \t]*(?=[{_WIDE_PUNCTUATION}])")
_KEPT = re.compile(r"<(pre|code|script|style|textarea)\b.*?</\1>", re.S | re.I)


def join_wide_lines(html: str) -> str:
    pieces, last = [], 0
    for kept in _KEPT.finditer(html):
        pieces += [_BREAK.sub("", html[last:kept.start()]), kept.group()]
        last = kept.end()
    pieces.append(_BREAK.sub("", html[last:]))
    return "".join(pieces)
