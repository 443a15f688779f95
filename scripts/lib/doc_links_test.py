#!/usr/bin/python3
"""Every relative link and image in README.md, docs/*.md and results/**/README.md points at a file
that exists: a renamed plot or moved doc fails here, not in a reader's browser."""
from __future__ import annotations

import re
import tempfile
import unittest
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


def broken_links(markdown: Path) -> list[str]:
    broken = []
    for target in LINK.findall(markdown.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue  # a URL or an anchor in the same page
        path = (markdown.parent / target.split("#")[0]).resolve()
        if not path.exists():
            broken.append(f"{markdown.name}: {target}")
    return broken


class DocLinksTest(unittest.TestCase):
    def test_relative_links_resolve(self) -> None:
        pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")),
                 *sorted((REPO / "results").glob("**/README.md"))]
        self.assertGreater(len(pages), 5)
        self.assertEqual([b for page in pages for b in broken_links(page)], [])

    def test_a_missing_target_is_reported(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            page = Path(folder) / "page.md"
            (Path(folder) / "here.svg").write_text("<svg/>", encoding="utf-8")
            page.write_text("![a](here.svg) [b](gone.md#part) [c](https://x.org/y) [d](#top)\n"
                            "![e](plots/none.svg)\n", encoding="utf-8")
            self.assertEqual(broken_links(page), ["page.md: gone.md#part",
                                                  "page.md: plots/none.svg"])


if __name__ == "__main__":
    unittest.main()
