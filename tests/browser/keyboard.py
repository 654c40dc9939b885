"""Keyboard focus in the browser tests: reaching a quiz's choices with Tab, and seeing where focus is."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect


def tab_into(page: Page, element: Locator) -> None:
    """Puts keyboard focus on the quiz's first choice with Tab, from the quiz's own anchor link."""
    element.locator(".quiz-header-link").focus()  # the one focusable element before the choices
    page.keyboard.press("Tab")


def expect_visible_keyboard_focus_on(page: Page, target: Locator) -> None:
    expect(target).to_be_focused()
    outline = target.evaluate("""input => {
        const style = getComputedStyle(input);
        return {focusVisible: input.matches(":focus-visible"), style: style.outlineStyle,
                width: parseFloat(style.outlineWidth)};
    }""")
    assert outline["focusVisible"], "the focused choice does not match :focus-visible"
    assert outline["style"] != "none" and outline["width"] > 0, f"no focus outline on the focused choice: {outline}"
