"""Which of KaTeX's font files a typeset page will use, read from KaTeX's own stylesheet.

KaTeX's fonts are declared `font-display: block`: text in a font still loading is drawn invisible in a
fallback's metrics and redrawn when the font arrives, which moves whatever follows it (Lighthouse saw a
layout shift of 0.07 on a lesson whose large delimiters' font came after the first paint). A page that
preloads every font it uses has them before it first paints. The stylesheet says which class selects
which family, weight and style; the page's class attributes say which of those selectors it matches.
"""

from __future__ import annotations

import re

_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_FAMILY = re.compile(r"font(?:-family)?:[^;}]*?KaTeX_(\w+)")
_BOLD = re.compile(r"font-weight:\s*(?:bold|[6-9]00)")
_ITALIC = re.compile(r"font-style:\s*italic")
_CLASS_ATTRIBUTE = re.compile(r'class="([^"]*)"')


def font_rules(stylesheet: str) -> list[tuple[frozenset[str], str]]:
    """(classes an element must all have, font file) for every KaTeX rule that sets a KaTeX family.

    A selector is reduced to its last part that names classes (`.katex .delimsizing.mult .delim-size1>span`
    to {delim-size1}): the classes the text's own element or its nearest styled ancestor carries.
    """
    rules = []
    for selectors, body in _RULE.findall(stylesheet):
        family = _FAMILY.search(body)
        if family is None or "@font-face" in selectors:
            continue
        style = ("Bold" if _BOLD.search(body) else "") + ("Italic" if _ITALIC.search(body) else "")
        font = f"KaTeX_{family[1]}-{style or 'Regular'}.woff2"
        for selector in selectors.split(","):
            parts = [part for part in re.split(r"[\s>+~]+", selector.strip()) if "." in part]
            if parts:
                rules.append((frozenset(re.findall(r"\.([\w-]+)", parts[-1])), font))
    return rules


def fonts_used(html: str, rules: list[tuple[frozenset[str], str]], available: set[str]) -> list[str]:
    """The font files (among `available`) that the elements of `html` select, sorted."""
    elements = {frozenset(attribute.split()) for attribute in _CLASS_ATTRIBUTE.findall(html)}
    return sorted({font for classes, font in rules if font in available
                   and any(classes <= element for element in elements)})
