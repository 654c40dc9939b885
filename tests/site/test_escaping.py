"""Text from YAML (glossary, front matter) and from quizzes reaches the page as text: a tiny site whose
glossary, quiz and key terms carry script payloads builds to HTML with no executable markup (the same
site in Chromium: tests/browser/test_escaping_in_browser.py)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from tests.site.escaping_site import build


class _Executable(HTMLParser):
    """Script elements and event-handler attributes that a payload could have become."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            if "alert(" in (value or "") and (name.startswith("on") or name in ("href", "src")):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.found.append(f"<script>{data.strip()[:60]}</script>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False


def executable_markup(html: str) -> list[str]:
    parser = _Executable()
    parser.feed(html)
    return parser.found


def test_payloads_in_glossary_quiz_and_key_terms_reach_the_html_as_text(tmp_path: Path) -> None:
    site = build(tmp_path, "material")
    for page in ("lesson", "glossary"):
        html = (site / page / "index.html").read_text(encoding="utf-8")
        assert executable_markup(html) == [], page
        assert "&lt;img src=x onerror=alert(1)&gt;" in html or "&lt;img src=x onerror=alert(1)>" in html, page


def test_the_check_finds_a_script_and_an_event_handler() -> None:
    html = '<p>ok &lt;script&gt;</p><script>alert(1)</script><img src=x onerror="alert(1)">'
    assert executable_markup(html) == ["<script>alert(1)</script>", "<img onerror='alert(1)'>"]
