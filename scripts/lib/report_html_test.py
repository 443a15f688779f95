#!/usr/bin/python3
"""Tests of report_html.py on a small report built by hand: the page's structure read back with
html.parser (contents links, unique ids, charts as inline SVG, tables kept cell for cell, escaping,
nothing fetched), and, where Chromium is installed, report_browser_check.py on that page and on
broken copies of it."""
from __future__ import annotations

import os
import re
import shutil
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
EVIL_LINK = "[click](https://evil.example/)"  # a results file's cpu string: text, not a link


def bar_chart(name: str, alt: str) -> Chart:
    """Client and server side by side, error bars, a log axis: what report.py draws."""
    figure, axes = plt.subplots(1, 2, figsize=(8, 3.2), sharey=True)
    for ax, side, values in ((axes[0], "client", CLIENT_US), (axes[1], "server", SERVER_US)):
        ax.barh(BUILDS, values, xerr=[v * 0.05 for v in values], color="#4c78a8", capsize=3)
        ax.set_xscale("log")
        ax.set_title(f"{side} CPU (µs)")
    figure.tight_layout()
    return Chart(name, alt, figure)


def empty_frame(name: str) -> Chart:
    """An axes with a title, labels, limits and a reference line, but no data: must fail."""
    figure, ax = plt.subplots(figsize=(5, 3))
    ax.set_xlim(0, 10)
    ax.set_ylim(1, 1000)
    ax.set_yscale("log")
    ax.axhline(100, linestyle="--", color="grey")  # a reference line is not data
    ax.set_title("client CPU (µs)")
    ax.set_ylabel("µs")
    return Chart(name, "a chart whose data went missing", figure)


def one_row_report(chart: Chart) -> Report:
    """A valid one-build report: every table has one row, so no sort can be checked."""
    return Report("one build", "A single run.",
                  Table(["build", "arch"], [["mbedtls-3.6", "cortex-m4"]]),
                  [Section("Firmware", "Flash per build; lower is better.",
                           [Table(["build", "flash"], [["mbedtls-3.6", "123 KiB"]],
                                  [False, True]), chart])])


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
    hostile = Table(["build", "note"], [["<script>alert(1)</script>", "a & b"], ["x", "–"],
                                        [EVIL_LINK, "**not bold** `not code` *not em*"]])
    cost_section = Section(
        "Handshake cost", "Client and server CPU per verified handshake; **lower is better**.",
        ["Times from `mtls-bench`, see [benchmarks](../../docs/benchmarks.md) and "
         "[the RFC](https://www.rfc-editor.org/rfc/rfc8446). A <b>tag</b> stays text, "
         "*emphasis* renders.",
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
        # matplotlib's ids on every group (figure_1, patch_3, ...) are gone; its axes groups are
        # marked for report_browser_check.py; the ids left are the ones referred to.
        self.assertNotIn("figure_1", self.text)
        self.assertEqual(self.text.count('<g class="axes">'), 3 * 2)
        refs = re.findall(r'(?:href="#|url\(#)([^")]+)', self.text)
        for ref in refs:
            self.assertIn(ref, self.page.ids, f"reference to a missing id #{ref}")
        in_svg = re.compile(r"c\d+\.\d+")
        self.assertEqual(sorted(i for i in self.page.ids if in_svg.fullmatch(i)),
                         sorted({r for r in refs if in_svg.fullmatch(r)}))

    def test_chart_text_names_its_font_list_once(self) -> None:
        # Text as report_charts.py has matplotlib write it: the font list goes on the <svg>.
        with matplotlib.rc_context({"svg.fonttype": "none"}):
            figure = report_html.chart_html(bar_chart("x", "x"), "chart-x", "c1")
        self.assertRegex(figure, r"<svg [^>]*font-family=\"'DejaVu Sans', [^\"]*\"")
        self.assertIn('<text style="font-size: 10px', figure)
        self.assertNotIn('<text style="font:', figure)

    def test_svg_path_data_is_compacted_and_text_kept(self) -> None:
        svg = ('<svg>\n   <g id="a">\n    <path d="M 64.260313 103.360426 \nL -0.004 7 \nz\n"/>\n'
               '   <text x="1.23456" transform="translate(2.345678 -0.001) scale(0.015625)">'
               'translate(1.23456)</text>\n'
               '   <path id="m" d="M 0 0 L 0 3.5" style="stroke: #000000"/>\n'
               '   <use xlink:href="#m" x="1.5" y="2.345678" style="stroke: #000000"/>\n'
               '   <use xlink:href="#m" x="1" y="2" style="stroke: #ff0000"/>\n</svg>')
        compact = report_html.compact_svg(svg)
        self.assertIn('<path d="M 64.26 103.36 L 0 7 z"/>', compact)
        # Positions rounded, a scale and the text itself not.
        self.assertIn('<text x="1.23" transform="translate(2.35 0) scale(0.015625)">'
                      'translate(1.23456)</text>', compact)
        self.assertIn('<use xlink:href="#m" x="1.5" y="2.35"/>', compact)  # the marker's style
        self.assertIn('<use xlink:href="#m" x="1" y="2" style="stroke: #ff0000"/>', compact)
        self.assertNotIn("\n ", compact)

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
                                                                   "a & b"], ["x", "–"],
                                               [EVIL_LINK, "**not bold** `not code` *not em*"]])
        self.assertIn('<th scope="col" class="num client">client CPU</th>', self.text)
        self.assertIn('<td class="num server">3,890 µs</td>', self.text)

    def test_text_is_escaped_and_markup_rendered(self) -> None:
        self.assertEqual(self.page.scripts, 1)  # the page's own; the cell's stays text
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", self.text)
        self.assertIn("A &lt;b&gt;tag&lt;/b&gt; stays text, <em>emphasis</em> renders.",
                      self.text)
        # Cells are data: a link, bold, code or emphasis in one stays as typed.
        self.assertNotIn("evil.example/\">", self.text)
        self.assertIn(f'<td class="nowrap">{EVIL_LINK}</td>', self.text)
        self.assertIn('<td class="nowrap">**not bold** `not code` *not em*</td>', self.text)
        self.assertIn('<code>mtls-bench</code>, see <a href="../../docs/benchmarks.md">', self.text)
        self.assertIn("<ul><li>first note with <code>code</code></li><li>second note</li></ul>",
                      self.text)

    def test_inline_markup(self) -> None:
        self.assertEqual(report_html.inline("**a `b`** [c](#d) <e> & f"),
                         '<strong>a <code>b</code></strong> <a href="#d">c</a> &lt;e&gt; &amp; f')
        self.assertEqual(report_html.inline("[x](javascript:alert(1))"),
                         "[x](javascript:alert(1))")
        self.assertEqual(report_html.inline("`<i>`"), "<code>&lt;i&gt;</code>")
        self.assertEqual(report_html.inline("marked *measured*, **b** *e `c`*"),
                         "marked <em>measured</em>, <strong>b</strong> <em>e <code>c</code></em>")
        for text in ("2 * 3 * 4", "a*b*c", "tta_ms_*", "* x *"):  # no emphasis: stays as typed
            self.assertEqual(report_html.inline(text), text)

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


class OutlineTest(unittest.TestCase):
    """report.md read as the list the browser check holds the page to, and the comparison."""

    def test_markdown_outline_of_a_written_report(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            with open(write_markdown(sample_report(), folder), encoding="utf-8") as f:
                outline = report_browser_check.markdown_outline(f.read())
        self.assertEqual(outline, [
            {"level": 1, "title": "mTLS performance report", "tables": 0, "charts": []},
            {"level": 2, "title": "Runs", "tables": 1, "charts": []},
            {"level": 2, "title": "Handshake cost", "tables": 1,
             "charts": ["chart-ecdsa-p256-cpu"]},
            {"level": 3, "title": "Time to authenticate", "tables": 1, "charts": ["chart-tta"]},
            {"level": 2, "title": "Footprint", "tables": 1, "charts": ["chart-footprint"]},
            {"level": 3, "title": "Handshake cost", "tables": 1, "charts": []}])

    def test_markdown_outline_skips_code_and_text(self) -> None:
        text = ("intro ## not a heading\n```\n## in a fence\n![x](plots/fenced.svg)\n```\n"
                "### A [b] title ###\n|---|\n| a |\n![alt [with] brackets](plots/c-1.svg)\n"
                "see ![inline](plots/inline.svg) in text\n")
        self.assertEqual(report_browser_check.markdown_outline(text), [
            {"level": 3, "title": "A [b] title", "tables": 1, "charts": ["chart-c-1"]}])

    def test_outline_problems(self) -> None:
        def entry(level: int, title: str, tables: int, *charts: str) -> dict[str, Any]:
            return {"level": level, "title": title, "tables": tables, "charts": list(charts)}

        md = [entry(2, "Runs", 1), entry(2, "Cost", 1, "chart-a"), entry(3, "Cost", 0, "chart-b")]
        check = report_browser_check.outline_problems
        self.assertEqual(check(md, md), [])
        self.assertEqual(check(md, [md[0], entry(2, "Cost", 2, "chart-a"), entry(3, "Cost", 0)]), [
            'section "## Cost" holds 2 table(s) on the page, 1 in report.md',
            'chart b (report.md: plots/b.svg under "### Cost") is not on the page (no figure '
            '#chart-b)'])
        self.assertEqual(check(md, [md[0], entry(2, "Cost", 1, "chart-a", "chart-b"),
                                    entry(4, "Cost", 0, "chart-c")]), [
            'report.md\'s heading "### Cost" has no section on the page',
            'the page\'s section "#### Cost" is not in report.md',
            'chart #chart-b is under "## Cost" on the page, under "### Cost" in report.md',
            'chart #chart-c (under "#### Cost") is not in report.md'])
        self.assertEqual(check(md, [md[0], md[2], md[1]]), [
            'the page\'s section "### Cost" is not in report.md',
            'report.md\'s heading "### Cost" has no section on the page'])


@unittest.skipUnless(os.access(report_browser_check.CHROMIUM, os.X_OK),
                     "chromium not installed (apt-get install chromium); scripts/test installs it")
class BrowserCheckTest(unittest.TestCase):
    """The browser check passes the page and names what is wrong with broken copies of it."""

    def setUp(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.path = self.write(sample_report(), self.dir.name)
        with open(self.path, encoding="utf-8") as f:
            self.text = f.read()

    @staticmethod
    def write(report: Report, directory: str) -> str:
        """report.md and report.html of one report, as report.py writes them."""
        write_markdown(report, directory)
        return report_html.write_html(report, directory)

    def run_check(self, path: str) -> subprocess.CompletedProcess[Any]:
        return subprocess.run([sys.executable, CHECK, path], capture_output=True, text=True,
                              timeout=report_browser_check.TIMEOUT_S + 30)

    def broken_copy(self, text: str) -> str:
        """text as report.html in a folder of its own, beside the intact report.md."""
        folder = tempfile.mkdtemp(dir=self.dir.name)
        shutil.copy(os.path.join(self.dir.name, "report.md"), folder)
        path = os.path.join(folder, "report.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def assert_fails(self, path: str, needles: list[str]) -> str:
        done = self.run_check(path)
        self.assertEqual(done.returncode, 1, done.stdout + done.stderr)
        for needle in needles:
            self.assertIn(needle, done.stderr)
        self.assertTrue(all(line.startswith("report_browser_check: ")
                            for line in done.stderr.splitlines()), done.stderr)
        return done.stderr

    def test_passes_the_page(self) -> None:
        done = self.run_check(self.path)
        self.assertEqual(done.returncode, 0, done.stderr)
        marks = 3 * 2 * len(BUILDS)  # three charts, two axes each, a bar per build in each
        self.assertIn(f"4 sections, 3 charts with {marks} data marks, 5 tables, as in report.md; "
                      "sorting checked on 3", done.stdout)
        self.assertTrue(os.path.getsize(os.path.join(self.dir.name, "report.png")) > 10000)

    def test_fails_a_page_without_its_charts(self) -> None:
        figures = re.compile(r'<figure class="chart".*?</figure>\n', re.S)
        self.assertEqual(len(figures.findall(self.text)), 3)
        self.assert_fails(self.broken_copy(figures.sub("", self.text)), [
            f"chart {name} (report.md: plots/{name}.svg under \"{heading}\") is not on the page"
            for name, heading in (("ecdsa-p256-cpu", "## Handshake cost"),
                                  ("tta", "### Time to authenticate"),
                                  ("footprint", "## Footprint"))])

    def test_fails_a_chart_without_bars(self) -> None:
        # Every patch of one chart goes (bars, background, spines: a group of one path each);
        # its error bars, ticks and labels stay: an axes frame without data.
        start = self.text.index('id="chart-tta"')
        end = self.text.index("</figure>", start)
        patches = re.compile(r'<g>\n<path [^>]*/>\n</g>\n')
        self.assertGreater(len(patches.findall(self.text, start, end)), 2 * len(BUILDS))
        broken = self.text[:start] + patches.sub("", self.text[start:end]) + self.text[end:]
        stderr = self.assert_fails(self.broken_copy(broken), [
            f"chart #chart-tta: axes {i} of 2 draws no data" for i in (1, 2)])
        self.assertEqual(len(stderr.splitlines()), 2, stderr)  # the other charts pass

    def test_fails_an_empty_axes_frame_and_notes_an_unchecked_sort(self) -> None:
        folder = tempfile.mkdtemp(dir=self.dir.name)
        stderr = self.assert_fails(self.write(one_row_report(empty_frame("empty")), folder),
                                   ["chart #chart-empty: axes 1 of 1 draws no data"])
        self.assertEqual(len(stderr.splitlines()), 1, stderr)
        folder = tempfile.mkdtemp(dir=self.dir.name)
        done = self.run_check(self.write(one_row_report(bar_chart("bars", "bars")), folder))
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("sorting unchecked: no table with two rows and a numeric column",
                      done.stdout)

    def test_fails_against_another_report_md(self) -> None:
        with open(os.path.join(self.dir.name, "report.md"), encoding="utf-8") as f:
            markdown = f.read()
        folder = os.path.dirname(self.broken_copy(self.text))
        moved = (markdown.replace("## Footprint\n", "## Footprints\n", 1)
                 .replace("![time to authenticate per link](plots/tta.svg)\n", "", 1)
                 .replace("| build | note |", "![gone](plots/gone.svg)\n\n"
                          "![time to authenticate per link](plots/tta.svg)\n\n| build | note |", 1))
        for line in ("## Footprint\n", "(plots/tta.svg)\n", "| build | note |"):
            self.assertEqual(markdown.count(line), 1, line)  # each edit above took effect
        with open(os.path.join(folder, "report.md"), "w", encoding="utf-8") as f:
            f.write(moved)
        self.assert_fails(os.path.join(folder, "report.html"), [
            "report.md's heading \"## Footprints\" has no section on the page",
            "the page's section \"## Footprint\" is not in report.md",
            "chart gone (report.md: plots/gone.svg under \"## Footprints\") is not on the page",
            "chart #chart-tta is under \"### Time to authenticate\" on the page, under "
            "\"## Footprints\" in report.md"])
        os.remove(os.path.join(folder, "report.md"))
        self.assert_fails(os.path.join(folder, "report.html"),
                          ["FAIL: no report.md beside the page to check against"])

    def test_names_what_is_broken(self) -> None:
        broken = (self.text.replace('<a href="#footprint">', '<a href="#nowhere">', 1)
                  .replace('<p class="how-to-read"><strong>How to read this.</strong> Modelled',
                           "<p>Modelled", 1)
                  .replace("direction * compare(a.k, b.k, numeric)", "0", 1)
                  .replace('<figure class="chart" id="chart-tta">\n<svg', '<figure class="chart" '
                           'id="chart-tta">\n<svg style="display:none"', 1)
                  .replace("</main>", '<img src="https://example.invalid/x.png"></main>', 1))
        self.assert_fails(self.broken_copy(broken), [
            "leads to #nowhere, which does not exist",
            "section #footprint is missing from the table of contents",
            'section #time-to-authenticate has no visible "how to read this"',
            "chart #chart-tta: its SVG renders at 0×0 px",
            "after a click the rows are not ascending",
            "tried to load https://example.invalid/x.png"])

    def test_bad_input(self) -> None:
        done = self.run_check(os.path.join(self.dir.name, "missing.html"))
        self.assertEqual((done.returncode, len(done.stderr.splitlines())), (2, 1), done.stderr)


if __name__ == "__main__":
    unittest.main()
