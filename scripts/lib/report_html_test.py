#!/usr/bin/python3
"""Tests of report_html.py on a small report built by hand: the page's structure read back with
html.parser (contents links, unique ids, charts as inline SVG, tables kept cell for cell, escaping,
nothing fetched), and, where Chromium is installed, report_browser_check.py on that page and on
broken copies of it."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import unittest
from html.parser import HTMLParser
from typing import Any, Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import report_browser_check  # noqa: E402
import report_html  # noqa: E402
from report_doc import Chart, Report, Section, Table, write_markdown  # noqa: E402

CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report_browser_check.py")
BUILDS = ["openssl-3.0", "mbedtls-3.6", "wolfssl-5.7", "boringssl-14"]
CLIENT_US = [566.0, 4910.0, 402.5, 1234.0]
SERVER_US = [480.0, 3890.0, 371.0, 990.0]


def bar_chart(name: str, alt: str) -> Chart:
    """Client and server side by side, error bars, a log axis: what report.py draws."""
    figure, axes = plt.subplots(1, 2, figsize=(8, 3.2), sharey=True)
    for ax, side, values in ((axes[0], "client", CLIENT_US), (axes[1], "server", SERVER_US)):
        ax.barh(BUILDS, values, xerr=[v * 0.05 for v in values], color="#4c78a8", capsize=3)
        ax.set_xscale("log")
        ax.set_title(f"{side} CPU (µs)")
    figure.tight_layout()
    return Chart(name, alt, figure)


def sample_report() -> Report:
    """Two sections (one with a subsection), a section with only text (left out), a title used
    twice, tables with numbers, dashes and markup-looking text, three charts."""
    context = Table(["build", "version", "arch", "CPU", "date", "commit"],
                    [[b, v, "x86_64", "AMD EPYC", "2026-12-04", "57c880b0a7bc"]
                     for b, v in zip(BUILDS, ["3.0.19", "3.6.6", "5.7.2", "14.0.0"])])
    cost = Table(["build", "scheme", "client CPU", "server CPU", "CPU / floor", "bytes c2s"],
                 [[b, "ecdsa-p256", f"{c:,.1f} µs", f"{s:,.0f} µs", r, n] for b, c, s, r, n in
                  zip(BUILDS, CLIENT_US, SERVER_US, ["0.93×", "1.2 (0.95)", "–", "1.10×"],
                      ["1,234", "980", "−3", "12,500"])],
                 [False, False, True, True, True, True])
    links = Table(["build", "NB-IoT", "6LoWPAN"],
                  [[b, f"{700 + 10 * i} ms", f"{110 + i} ms"] for i, b in enumerate(BUILDS)],
                  [False, True, True])
    hostile = Table(["build", "note"], [["<script>alert(1)</script>", "a & b"], ["x", "–"]])
    cost_section = Section(
        "Handshake cost", "Client and server CPU per verified handshake; **lower is better**.",
        ["Times from `mtls-bench`, see [benchmarks](../../docs/benchmarks.md) and "
         "[the RFC](https://www.rfc-editor.org/rfc/rfc8446). A <b>tag</b> stays text.",
         cost, bar_chart("ecdsa-p256-cpu", "ecdsa-p256: client and server CPU")],
        [Section("Time to authenticate", "Modelled link time; lower is better.",
                 [links, bar_chart("tta", "time to authenticate per link")]),
         Section("Nothing here", "An empty subsection is left out.", ["only text"])])
    return Report(
        "mTLS performance report", "Full mutual-auth handshakes. Lower is better everywhere.",
        context,
        [cost_section,
         Section("Only text", "Left out: no table, no chart.", ["a paragraph"]),
         Section("Footprint", "Code and static memory per build.",
                 ["- first note with `code`\n- second note", hostile,
                  bar_chart("footprint", "code size per build")],
                 [Section("Handshake cost", "The same title again: its own id.", [links])])])


class Page(HTMLParser):
    """The parts of the page the tests look at."""
    VOID = {"meta", "link", "br", "img", "hr", "input"}

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str]]] = []
        self.ids: list[str] = []
        self.toc_links: list[str] = []
        self.sections: list[str] = []
        self.how_to_read: dict[str, str] = {}
        self.charts: dict[str, int] = {}  # figure id → drawing elements in its svg (-1: no svg)
        self.tables: list[list[list[str]]] = []  # rows of cells, the header first
        self.remote: list[str] = []  # http(s) references outside <a href>
        self.scripts = 0
        self.headings: list[str] = []
        self._text: Optional[list[str]] = None
        self.feed(text)

    def inside(self, tag: str, **attrs: str) -> Optional[dict[str, str]]:
        for t, a in reversed(self.stack):
            if t == tag and all(a.get(k, "").split().count(v) or a.get(k) == v
                                for k, v in attrs.items()):
                return a
        return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.handle_startendtag(tag, attrs)
        if tag not in self.VOID:
            self.stack.append((tag, a))
        if tag in ("td", "th", "p", "h2", "h3", "h4"):
            self._text = []

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if "id" in a:
            self.ids.append(a["id"])
        for name, value in a.items():
            if re.search(r"https?://", value) and not name.startswith("xmlns") and not (
                    tag == "a" and name == "href"):
                self.remote.append(f"<{tag} {name}={value}>")
        figure = self.inside("figure", **{"class": "chart"})
        if tag == "section":
            self.sections.append(a.get("id", ""))
        elif tag == "a" and self.inside("nav", id="toc"):
            self.toc_links.append(a.get("href", ""))
        elif tag == "figure" and "chart" in a.get("class", "").split():
            self.charts[a.get("id", "")] = -1
        elif tag == "svg" and figure is not None:
            self.charts[figure.get("id", "")] = 0
        elif tag in ("path", "rect", "line", "text", "use") and figure is not None and \
                self.inside("svg"):
            self.charts[figure.get("id", "")] += 1
        elif tag == "table" and "sortable" in a.get("class", "").split():
            self.tables.append([])
        elif tag == "tr" and self.inside("table"):
            self.tables[-1].append([])
        elif tag == "script":
            self.scripts += 1

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            t, a = self.stack.pop()
            if t == tag:
                break
        else:
            return
        text = "".join(self._text or [])
        if tag in ("td", "th") and self.inside("table"):
            self.tables[-1][-1].append(text)
        elif tag == "p" and "how-to-read" in a.get("class", "").split():
            section = self.inside("section")
            self.how_to_read[section["id"] if section else ""] = text
        elif tag in ("h2", "h3", "h4"):
            self.headings.append(text)
        if tag in ("td", "th", "p", "h2", "h3", "h4"):
            self._text = None


class ReportHtmlTest(unittest.TestCase):
    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.report = sample_report()
        self.path = report_html.write_html(self.report, self.dir.name)
        with open(self.path, encoding="utf-8") as f:
            self.text = f.read()
        self.page = Page(self.text)

    def test_contents_links_every_section_and_ids_are_unique(self) -> None:
        self.assertEqual(self.path, os.path.join(self.dir.name, "report.html"))
        self.assertEqual(len(self.page.ids), len(set(self.page.ids)), self.page.ids)
        self.assertEqual(self.page.toc_links, ["#" + s for s in self.page.sections])
        self.assertEqual(self.page.sections, ["handshake-cost", "time-to-authenticate",
                                              "footprint", "handshake-cost-1"])
        self.assertNotIn("Only text", self.page.headings)
        self.assertNotIn("Nothing here", self.page.headings)

    def test_every_section_says_how_to_read_it(self) -> None:
        self.assertEqual(sorted(self.page.how_to_read), sorted(self.page.sections))
        self.assertEqual(self.page.how_to_read["handshake-cost"],
                         "How to read this. Client and server CPU per verified handshake; "
                         "lower is better.")
        self.assertIn("<strong>lower is better</strong>", self.text)

    def test_charts_are_inline_svg_with_their_own_ids(self) -> None:
        self.assertEqual(sorted(self.page.charts), ["chart-ecdsa-p256-cpu", "chart-footprint",
                                                    "chart-tta"])
        for name, drawn in self.page.charts.items():
            self.assertGreater(drawn, 20, name)
        self.assertNotIn("<?xml", self.text)
        self.assertNotIn("<!DOCTYPE svg", self.text)
        # matplotlib names its groups figure_1, axes_1 in every chart: prefixed, they stay apart.
        self.assertIn('id="chart-tta-figure_1"', self.text)
        for ref in re.findall(r'(?:href="#|url\(#)([^")]+)', self.text):
            self.assertIn(ref, self.page.ids, f"reference to a missing id #{ref}")

    def test_figures_are_closed_and_may_have_been_rendered_before(self) -> None:
        self.assertEqual([c for c in self.report.charts() if plt.fignum_exists(c.figure.number)],
                         [])
        again = sample_report()
        write_markdown(again, self.dir.name)
        with open(report_html.write_html(again, self.dir.name), encoding="utf-8") as f:
            second = Page(f.read())
        self.assertEqual(second.charts, self.page.charts)

    def test_tables_keep_every_row_and_column(self) -> None:
        def tables(sections: list[Section]) -> list[Table]:
            return [t for s in sections if not s.empty() for t in
                    [b for b in s.blocks if isinstance(b, Table)] + tables(s.subsections)]

        expected = [[t.header] + t.rows for t in [self.report.context] +
                    tables(self.report.sections)]
        self.assertEqual(self.page.tables, expected)
        self.assertEqual(self.page.tables[3], [["build", "note"], ["<script>alert(1)</script>",
                                                                   "a & b"], ["x", "–"]])
        self.assertIn('<th scope="col" class="num client">client CPU</th>', self.text)
        self.assertIn('<td class="num server">3,890 µs</td>', self.text)

    def test_text_is_escaped_and_markup_rendered(self) -> None:
        self.assertEqual(self.page.scripts, 1)  # the page's own; the cell's stays text
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", self.text)
        self.assertIn("A &lt;b&gt;tag&lt;/b&gt; stays text.", self.text)
        self.assertIn('<code>mtls-bench</code>, see <a href="../../docs/benchmarks.md">', self.text)
        self.assertIn("<ul><li>first note with <code>code</code></li><li>second note</li></ul>",
                      self.text)

    def test_inline_markup(self) -> None:
        self.assertEqual(report_html.inline("**a `b`** [c](#d) <e> & f"),
                         '<strong>a <code>b</code></strong> <a href="#d">c</a> &lt;e&gt; &amp; f')
        self.assertEqual(report_html.inline("[x](javascript:alert(1))"),
                         "[x](javascript:alert(1))")
        self.assertEqual(report_html.inline("`<i>`"), "<code>&lt;i&gt;</code>")

    def test_nothing_is_fetched(self) -> None:
        self.assertEqual(self.page.remote, [])
        self.assertIn("default-src 'none'", self.text)
        self.assertNotRegex(self.text, r"<(link|img|iframe)\b|@import|url\((?!#)")


class SortOracleTest(unittest.TestCase):
    """report_browser_check's own reading of cells, which judges the page's sort."""

    def test_number_key(self) -> None:
        cases = {"1,234": 1234.0, "0.93×": 0.93, "566 µs": 566.0, "1.2 (0.95)": 1.2, "–": None,
                 "−3": -3.0, "+624": 624.0, "x86_64": None, "": None}
        self.assertEqual({text: report_browser_check.number_key(text) for text in cases}, cases)

    def test_sort_problem(self) -> None:
        rows = [["a", "2"], ["b", "–"], ["c", "10"]]
        check = report_browser_check.sort_problem
        self.assertIsNone(check("t", rows, [rows[0], rows[2], rows[1]], 1, False))
        self.assertIsNone(check("t", rows, [rows[2], rows[0], rows[1]], 1, True))
        self.assertIn("not ascending",
                      check("t", rows, [rows[2], rows[0], rows[1]], 1, False) or "")
        self.assertIn("not last", check("t", rows, [rows[1], rows[0], rows[2]], 1, False) or "")
        self.assertIn("rows themselves", check("t", rows, [rows[0], rows[0], rows[2]], 1, False)
                      or "")


@unittest.skipUnless(os.access(report_browser_check.CHROMIUM, os.X_OK),
                     "chromium not installed (apt-get install chromium); scripts/test installs it")
class BrowserCheckTest(unittest.TestCase):
    """The browser check passes the page and names what is wrong with broken copies of it."""

    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.path = report_html.write_html(sample_report(), self.dir.name)

    def run_check(self, path: str) -> subprocess.CompletedProcess[Any]:
        return subprocess.run([sys.executable, CHECK, path], capture_output=True, text=True,
                              timeout=report_browser_check.TIMEOUT_S + 30)

    def test_passes_the_page(self) -> None:
        done = self.run_check(self.path)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("4 sections, 3 charts, 5 tables; sorting checked on 3", done.stdout)
        self.assertTrue(os.path.getsize(os.path.join(self.dir.name, "report.png")) > 10000)

    def test_names_what_is_broken(self) -> None:
        with open(self.path, encoding="utf-8") as f:
            text = f.read()
        broken = (text.replace('<a href="#footprint">', '<a href="#nowhere">', 1)
                  .replace('<p class="how-to-read"><strong>How to read this.</strong> Modelled',
                           "<p>Modelled", 1)
                  .replace("direction * compare(a.k, b.k, numeric)", "0", 1)
                  .replace('<figure class="chart" id="chart-tta">\n<svg', '<figure class="chart" '
                           'id="chart-tta">\n<svg style="display:none"', 1)
                  .replace("</main>", '<img src="https://example.invalid/x.png"></main>', 1))
        path = os.path.join(self.dir.name, "broken.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(broken)
        done = self.run_check(path)
        self.assertEqual(done.returncode, 1, done.stderr)
        for needle in ("leads to #nowhere, which does not exist",
                       "section #footprint is missing from the table of contents",
                       'section #time-to-authenticate has no visible "how to read this"',
                       "chart #chart-tta: its SVG renders at 0×0 px",
                       "after a click the rows are not ascending",
                       "tried to load https://example.invalid/x.png"):
            self.assertIn(needle, done.stderr)
        self.assertTrue(all(line.startswith("report_browser_check: ")
                            for line in done.stderr.splitlines()), done.stderr)

    def test_bad_input(self) -> None:
        done = self.run_check(os.path.join(self.dir.name, "missing.html"))
        self.assertEqual((done.returncode, len(done.stderr.splitlines())), (2, 1), done.stderr)


if __name__ == "__main__":
    unittest.main()
