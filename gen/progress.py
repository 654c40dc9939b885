"""A progress bar where tqdm is installed; silence where it is not (a bare GPU machine may lack it)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def progress(description: str) -> Iterator[Callable[[int], object]]:
    """Yields advance(n): call it after each measured point."""
    try:
        from tqdm import tqdm
    except ImportError:
        yield lambda n: None
        return
    # disable=None: draw only on a terminal, so CI logs are not filled with carriage returns
    with tqdm(desc=description, unit="pt", leave=False, disable=None) as bar:
        yield bar.update
