"""Math typeset at build time (site_src/math.py): lessons' arithmatex, notebooks' dollars, errors, cache."""

from __future__ import annotations

import pytest

from site_src.math import MathError, Typesetter


@pytest.fixture
def typesetter(tmp_path):
    made = Typesetter(tmp_path / "katex-cache.json")
    yield made
    made.close()


def test_arithmatex_inline_and_block_become_katex_html_with_mathml(typesetter):
    page = ('<p>A <span class="arithmatex">\\(a &lt; b_t\\)</span> here.</p>'
            '<div class="arithmatex">\\[\nO(T^2)\n\\]</div>')
    done = typesetter.page(page)
    assert "\\(" not in done and "\\[" not in done
    assert done.count('class="katex"') == 2 and 'class="katex-display"' in done
    assert "<mo>&lt;</mo>" in done  # the entity was read as the TeX '<', not as the letters '&lt;'
    assert done.startswith('<p>A <span class="arithmatex rva-short"><span class="katex">')  # short: one line


def test_notebook_dollars_are_typeset_in_markdown_cells_but_not_in_code(typesetter):
    cell = ('<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown" data-mime-type="text/markdown">'
            '<p>Cost $4nd^2$ and</p><p>$$T^* = 6d$$</p><p><code>price = "$5 or $6"</code></p></div>'
            '<div class="jp-OutputArea"><pre>$x$ stays</pre></div>')
    done = typesetter.page(cell)
    assert done.count('class="katex"') == 2 and 'class="katex-display"' in done
    assert '<code>price = "$5 or $6"</code>' in done and "<pre>$x$ stays</pre>" in done


def test_a_formula_katex_cannot_read_raises_with_katex_message_and_the_formula(typesetter):
    with pytest.raises(MathError) as raised:
        typesetter.page('<span class="arithmatex">\\(\\frac{a\\)</span>')
    assert raised.value.tex == "\\frac{a" and "KaTeX parse error" in str(raised.value)


def test_a_second_build_takes_every_formula_from_the_cache_without_node(tmp_path, monkeypatch):
    first = Typesetter(tmp_path / "katex-cache.json")
    html = first.page('<span class="arithmatex">\\(x^2\\)</span>')
    first.close()

    def no_node(self, request):
        raise AssertionError(f"node was asked for {request}")

    monkeypatch.setattr(Typesetter, "_ask", no_node)
    again = Typesetter(tmp_path / "katex-cache.json")
    assert again.page('<span class="arithmatex">\\(x^2\\)</span>') == html


def test_only_short_inline_formulas_are_kept_on_one_line(typesetter):
    short = typesetter.page('<span class="arithmatex">\\(Q = XW_Q\\)</span>')
    long = typesetter.page('<span class="arithmatex">\\(h_t = \\tanh(W_{hh} h_{t-1} + W_{xh} x_t + b)\\)</span>')
    display = typesetter.page('<div class="arithmatex">\\[\nQ = XW_Q\n\\]</div>')
    assert 'class="arithmatex rva-short"' in short
    assert 'class="arithmatex"' in long and "rva-short" not in long
    assert "rva-short" not in display
