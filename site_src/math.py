"""Math typeset at build time: TeX in a page's HTML becomes KaTeX's HTML (with MathML for screen readers).

Why at build time: typesetting 100+ formulas in the reader's browser blocked a long lesson for ~0.3 s on
a phone (Lighthouse's Total Blocking Time) and cost 270 KiB of script on every page. The build runs
KaTeX once per distinct formula in one Node process (site_src/katex/render.cjs) and keeps the answers
in build/katex-cache.json (hooks/math.py), so a rebuild with unchanged math starts no Node at all.

Two sources of TeX:
- lessons: pymdownx.arithmatex (generic mode) leaves <span class="arithmatex">\\(…\\)</span> and
  <div class="arithmatex">\\[…\\]</div>;
- exercise notebooks: nbconvert leaves $…$ and $$…$$ as text in rendered Markdown cells.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

_REPO = Path(__file__).resolve().parent.parent
_SCRIPT = _REPO / "site_src" / "katex" / "render.cjs"
_KATEX_PACKAGE = _REPO / "node_modules" / "katex" / "package.json"

_ARITHMATEX = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?:\\\((?P<inline>.*?)\\\)|\\\[(?P<block>.*?)\\\])</(?P=tag)>', re.S)
# A rendered Markdown cell of a notebook, up to the end of its output area (cells never nest).
_NOTEBOOK_MARKDOWN = re.compile(r'(<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S)
_DOLLARS = re.compile(r"\$\$(?P<block>.+?)\$\$|(?<![\\$\w])\$(?P<inline>[^$\n]+?)\$(?![\w$])", re.S)
_CODE = re.compile(r"(<(pre|code)\b.*?</\2>)", re.S)  # math signs inside code are code, not math


class MathError(ValueError):
    """KaTeX could not typeset a formula; the message is KaTeX's, the formula is in `tex`."""

    def __init__(self, tex: str, message: str) -> None:
        super().__init__(message)
        self.tex = tex


class Typesetter:
    """Turns TeX into KaTeX HTML, remembering every answer across builds."""

    def __init__(self, cache_path: Path) -> None:
        self.cache_path = cache_path
        self.version = json.loads(_KATEX_PACKAGE.read_text(encoding="utf-8"))["version"]
        self.cache: dict[str, str] = {}
        try:
            stored = json.loads(cache_path.read_text(encoding="utf-8"))
            if stored.get("katex") == self.version:
                self.cache = stored["formulas"]
        except (OSError, ValueError, KeyError, AttributeError):
            pass  # no cache or an unreadable one: typeset everything again
        self._node: subprocess.Popen | None = None
        self._changed = False

    def typeset(self, tex: str, display: bool) -> str:
        key = f"{'display' if display else 'inline'}:{tex}"
        if key not in self.cache:
            answer = self._ask({"tex": tex, "display": display})
            if "error" in answer:
                raise MathError(tex, answer["error"])
            self.cache[key] = answer["html"]
            self._changed = True
        return self.cache[key]

    def page(self, text: str) -> str:
        """Every formula of a page's HTML typeset; raises MathError on the first it cannot typeset."""
        text = _ARITHMATEX.sub(self._arithmatex, text)
        if "jp-RenderedMarkdown" in text:
            text = _NOTEBOOK_MARKDOWN.sub(lambda m: m[1] + self._outside_code(m[2]) + m[3], text)
        return text

    def close(self) -> None:
        if self._node:
            self._node.stdin.close()
            self._node.wait(timeout=30)
            self._node = None
        if self._changed:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.cache_path.with_suffix(".tmp")
            temporary.write_text(json.dumps({"katex": self.version, "formulas": self.cache}, sort_keys=True),
                                 encoding="utf-8")
            temporary.replace(self.cache_path)  # atomic: a build stopped midway leaves the old cache
            self._changed = False

    # ---- helpers -----------------------------------------------------------------------------------

    def _arithmatex(self, match: re.Match[str]) -> str:
        display = match["block"] is not None
        tex = html.unescape(match["block"] if display else match["inline"]).strip()
        return f'<{match["tag"]} class="{_classes(tex, display)}">{self.typeset(tex, display)}</{match["tag"]}>'

    def _outside_code(self, fragment: str) -> str:
        parts = _CODE.split(fragment)
        # split() with two groups yields [text, code, tag name, text, code, tag name, ...]
        return "".join(
            self._dollars(part) if index % 3 == 0 else (part if index % 3 == 1 else "")
            for index, part in enumerate(parts)
        )

    def _dollars(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            display = match["block"] is not None
            tex = html.unescape(match["block"] if display else match["inline"]).strip()
            tag = "div" if display else "span"
            return f'<{tag} class="{_classes(tex, display)}">{self.typeset(tex, display)}</{tag}>'

        return _DOLLARS.sub(replace, text)

    def _ask(self, request: dict) -> dict:
        if self._node is None:
            self._node = subprocess.Popen(["node", str(_SCRIPT)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                          text=True, encoding="utf-8", cwd=_REPO)
        self._node.stdin.write(json.dumps(request) + "\n")
        self._node.stdin.flush()
        line = self._node.stdout.readline()
        if not line:
            raise MathError(request["tex"], f"node {_SCRIPT.name} stopped without an answer (is Node.js installed?)")
        return json.loads(line)


# A short inline formula is kept on one line ("Q = XW_Q" breaking after "=" reads as two formulas on a
# phone); a long one may still break at its relations, or it would push the page wider than the screen.
SHORT_FORMULA = 24  # characters of TeX: about a third of a 390-pixel line once typeset


def _classes(tex: str, display: bool) -> str:
    return "arithmatex rva-short" if not display and len(tex) <= SHORT_FORMULA else "arithmatex"

