"""A stylesheet trimmed to the rules that can match the pages (site_src/css_trim.py)."""

from __future__ import annotations

from site_src.css_trim import classes_in, trim, without_classes


def test_a_rule_needing_an_unused_class_goes_and_a_selector_list_keeps_what_can_match():
    css = ".used p{color:red}.unused{color:blue}.used,.unused .x{margin:0}p{padding:0}"
    assert trim(css, {"used"}) == ".used p{color:red}.used{margin:0}p{padding:0}"


def test_media_blocks_are_trimmed_inside_and_dropped_when_empty_and_font_faces_stay():
    css = ("@media (max-width:9px){.used{a:b}.unused{c:d}}@media print{.unused{e:f}}"
           "@font-face{font-family:X;src:url(x.woff2)}@charset \"UTF-8\";")
    assert trim(css, {"used"}) == ("@media (max-width:9px){.used{a:b}}"
                                   "@font-face{font-family:X;src:url(x.woff2)}@charset \"UTF-8\";")


def test_a_custom_property_nothing_reads_goes_even_when_its_value_holds_semicolons():
    css = ':root{--read:1px;--icon:url("data:image/svg+xml;utf8,<svg>{}</svg>");--chain:var(--read)}.a{b:var(--chain)}'
    assert trim(css, {"a"}) == ":root{--read:1px;--chain:var(--read)}.a{b:var(--chain)}"


def test_not_is_and_where_need_none_of_their_classes_and_comments_go():
    css = "/* .gone{} */.a:not(.b){x:y}:is(.c,.a) p{z:w}"
    assert trim(css, {"a"}) == ".a:not(.b){x:y}:is(.c,.a) p{z:w}"


def test_a_rule_written_twice_keeps_its_last_copy():
    assert trim(".a{x:1}.a{x:2}.a{x:1}", {"a"}) == ".a{x:2}.a{x:1}"


def test_the_classes_of_a_page_are_read_from_its_class_attributes():
    assert classes_in('<div class="jp-Cell  jp-CodeCell"><p class="x">') == {"jp-Cell", "jp-CodeCell", "x"}


def test_without_classes_drops_only_the_selectors_that_need_an_absent_class():
    css = (".a .tabbed-set>input:checked~.tabbed-labels{x:1}.b,.tabbed-content{y:2}"
           "@media print{.tabbed-set{z:3}}:root{--unread:1px}.c:not(.tabbed-set){w:4}")
    assert without_classes(css, {"tabbed-set", "tabbed-labels", "tabbed-content"}) == (
        ".b{y:2}:root{--unread:1px}.c:not(.tabbed-set){w:4}")
