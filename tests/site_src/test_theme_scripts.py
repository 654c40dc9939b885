"""When Material's scripts run (site_src/hooks/theme_scripts.py): bundle deferred, js class set before paint."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from site_src.hooks import theme_scripts

PAGE = SimpleNamespace(url="lessons/01-two-ways/", file=SimpleNamespace(src_uri="lessons/01-two-ways.md"))
HTML = ('<!doctype html><html lang="en" class="no-js"><head><title>t</title></head><body><p>text</p>'
        '<script src="../../assets/javascripts/bundle.0123abcd.min.js"></script></body></html>')


def test_bundle_is_deferred_after_the_search_hold_and_the_class_is_swapped_in_the_head() -> None:
    out = theme_scripts.on_post_page(HTML, PAGE, None)
    head, body = out.split("</head>")
    assert theme_scripts.JS_CLASS in head and "<script" not in body.split("<p>")[0]
    hold = body.index('<script src="../../assets/site/search_on_demand.js" defer></script>')
    bundle = body.index('<script src="../../assets/javascripts/bundle.0123abcd.min.js" defer></script>')
    assert hold < bundle and 'bundle.0123abcd.min.js"></script>' not in out


@pytest.mark.parametrize("broken", [HTML.replace("bundle.0123abcd", "app"), HTML.replace(' class="no-js"', "")],
                         ids=["no bundle", "no no-js class"])
def test_a_changed_template_stops_the_build_naming_the_page(broken: str) -> None:
    with pytest.raises(PluginError, match="lessons/01-two-ways.md: .*Material's template"):
        theme_scripts.on_post_page(broken, PAGE, None)
