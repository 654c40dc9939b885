"""Two builds of the site from the same rendered results give the same bytes, file for file.

Rendering the same results twice is checked in tests/gen/test_render.py (every SVG and the manifest,
which is all that build/rendered holds). Here the session's built site is compared with a second
build from the same results into another folder.

The one thing that may differ is the gzip header of sitemap.xml.gz: MkDocs stamps it with the newest
page's update date, which is the day of the build unless SOURCE_DATE_EPOCH is set (the Makefile sets
it to the last commit's time, so `make site` on two different days gives the same bytes). A test
session that crosses midnight would see those four bytes differ, so the test compares that file's
content and the rest of its header, not its time stamp. The sitemap itself has no dates because
the tests set no SITE_URL (mkdocs.yml reads site_url from it); on Pages, each <lastmod> follows
SOURCE_DATE_EPOCH too.

The second build typesets its math afresh, with an empty KaTeX cache (RVA_KATEX_CACHE): reusing the
first build's cache would make identical formulas identical by construction.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from tests.conftest import run

GZIP_MTIME = slice(4, 8)  # RFC 1952: bytes 4 to 7 of the header are the modification time


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def without_gzip_mtime(data: bytes) -> bytes:
    return data[:GZIP_MTIME.start] + b"\0" * 4 + data[GZIP_MTIME.stop:]


def comparable(name: str, data: bytes) -> bytes:
    return without_gzip_mtime(data) if name.endswith(".gz") else data


def differing(first: dict[str, bytes], second: dict[str, bytes]) -> list[str]:
    return sorted(name for name in first.keys() & second.keys()
                  if comparable(name, first[name]) != comparable(name, second[name]))


@pytest.fixture(scope="module")
def second_build(built_site, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("rebuilt")
    site = folder / "site"
    env = {**built_site.env, "RVA_KATEX_CACHE": str(folder / "katex-cache.json")}  # empty: typeset anew
    done = run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)], env)
    assert done.returncode == 0, done.stdout + done.stderr
    return site


def test_a_second_build_writes_the_same_files(built_site, second_build):
    first, second = files_of(built_site.site), files_of(second_build)
    assert len(first) > 100
    assert sorted(first) == sorted(second)


def test_a_second_build_writes_every_file_byte_for_byte_the_same(built_site, second_build):
    assert differing(files_of(built_site.site), files_of(second_build)) == []
    assert (second_build.parent / "katex-cache.json").exists()  # its math was typeset, not looked up


def test_the_notebooks_cell_ids_are_numbered_not_random(built_site):
    notebooks = sorted(built_site.site.glob("exercises/*/*.ipynb"))
    assert notebooks
    for path in notebooks:
        cells = json.loads(path.read_text())["cells"]
        assert [cell["id"] for cell in cells] == [f"cell-{i}" for i in range(len(cells))], path.name


def test_the_sitemap_archive_holds_the_sitemap(built_site):
    archive = (built_site.site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(archive) == (built_site.site / "sitemap.xml").read_bytes()


def gzipped(data: bytes, mtime: int) -> bytes:
    """As MkDocs writes sitemap.xml.gz (gzip.compress writes another OS byte when mtime is 0)."""
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", filename="sitemap.xml.gz", mtime=mtime) as archive:
        archive.write(data)
    return buffer.getvalue()


def test_the_comparison_sees_a_changed_byte_and_ignores_only_the_gzip_time_stamp():
    page = b"<html>same</html>"
    archive = gzipped(b"<urlset/>", mtime=1_700_000_000)
    later = gzipped(b"<urlset/>", mtime=1_700_086_400)
    assert archive != later
    assert differing({"a.html": page, "s.gz": archive}, {"a.html": page, "s.gz": later}) == []
    assert differing({"a.html": page}, {"a.html": page.replace(b"same", b"sane")}) == ["a.html"]
    assert differing({"s.gz": archive}, {"s.gz": gzipped(b"<urlset></urlset>", mtime=1_700_000_000)}) == ["s.gz"]
