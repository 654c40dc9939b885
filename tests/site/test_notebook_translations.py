"""A translated notebook runs the same code as its English notebook: only its words differ.

Each code cell of docs/exercises/NN-x.zh.py is compared with the English cell at the same position as
a syntax tree with every string's text blanked (printed words are translated) and comments gone
(they are not in the tree), so any change to what the code does is caught, and no translation of a
sentence is."""

from __future__ import annotations

import ast
from pathlib import Path

import jupytext
import pytest

from site_src.translations import source_of
from tests.conftest import REPO

TRANSLATED = sorted((REPO / "docs" / "exercises").glob("*.zh.py"))


class _BlankStrings(ast.NodeTransformer):
    def visit_Constant(self, node: ast.Constant) -> ast.Constant:
        return ast.Constant("") if isinstance(node.value, str) else node

    def visit_JoinedStr(self, node: ast.JoinedStr) -> ast.AST:
        # an f-string: its words may be reordered in another language, its expressions may not change
        values = sorted((self.visit(v) for v in node.values if isinstance(v, ast.FormattedValue)),
                        key=ast.dump)
        return ast.JoinedStr(values=values)


def code_shape(source: str) -> str:
    lines = [line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))]  # magics
    return ast.dump(_BlankStrings().visit(ast.parse("\n".join(lines))))


def code_cells(path: Path) -> list[str]:
    return [cell.source for cell in jupytext.read(path).cells if cell.cell_type == "code"]


def test_there_are_translated_notebooks():
    assert TRANSLATED


@pytest.mark.parametrize("translation", TRANSLATED, ids=lambda path: path.stem)
def test_a_translated_notebook_has_the_english_notebooks_code(translation: Path):
    english, translated = code_cells(source_of(translation)), code_cells(translation)
    assert len(translated) == len(english), f"{translation.name}: {len(translated)} code cells, English {len(english)}"
    for index, (ours, theirs) in enumerate(zip(translated, english, strict=True)):
        assert code_shape(ours) == code_shape(theirs), \
            f"{translation.name}: code cell {index} does other things than the English one"


def test_the_comparison_notices_changed_code():
    assert code_shape("print(f'{n} steps', n + 1)") == code_shape("print(f'步数 {n}', n + 1)")
    assert code_shape("x = f(1)") != code_shape("x = f(2)")
