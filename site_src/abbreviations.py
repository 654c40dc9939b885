"""Markdown's `abbr` extension, with word edges that also work in Chinese text.

The glossary (site_src/hooks/glossary.py) gives each term its hover definition through Markdown
abbreviations. Python-Markdown finds them with `\\b...\\b`, and in Chinese, where words are not
separated by spaces, there is no `\\b` between two characters: 循环神经网络 inside 使用循环神经网络的
would never match. Here an abbreviation needs only to have no Latin letter or digit directly before or
after it, which is what `\\b` meant for English text, and nothing more for Chinese.

Enabled in mkdocs.yml in place of `abbr`.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.extensions.abbr import AbbrExtension, AbbrTreeprocessor

# Not preceded or followed by a Latin letter, digit, underscore or hyphen: "RNNs" is not "RNN".
EDGE_BEFORE = r"(?<![A-Za-z0-9_-])"
EDGE_AFTER = r"(?![A-Za-z0-9_-])"


def mention_pattern(forms: list[str]) -> re.Pattern[str]:
    """Any of `forms` as a whole word, the longest first, so 'KV cache size' beats 'KV cache'."""
    ordered = sorted(forms, key=len, reverse=True)
    return re.compile(f"{EDGE_BEFORE}(?:{'|'.join(re.escape(form) for form in ordered)}){EDGE_AFTER}")


class _Treeprocessor(AbbrTreeprocessor):
    def run(self, root):
        if not self.abbrs:
            return
        self.RE = mention_pattern(list(self.abbrs))
        self.iter_element(root)


class AbbreviationExtension(AbbrExtension):
    def extendMarkdown(self, md: Markdown) -> None:
        super().extendMarkdown(md)
        md.treeprocessors.register(_Treeprocessor(md, self.abbrs), "abbr", 7)


def makeExtension(**kwargs) -> AbbreviationExtension:  # Markdown's name for an extension's entry point
    return AbbreviationExtension(**kwargs)
