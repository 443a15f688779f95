"""The report as one self-contained HTML page (report.html): the run context, a table of contents,
sections with their "how to read this" note, sortable tables and the charts as inline SVG. Nothing
is fetched: the styles and the sort script are inline and a Content-Security-Policy forbids any
load, so the page reads the same offline, mailed or archived.

report_browser_check.py renders the page in headless Chromium and checks it from the rendered DOM.
"""
from __future__ import annotations

import html
import os
import re

from report_doc import Chart, Report, Section, Table, anchor, svg_text

# Inline styles and scripts only; data: images (a chart may embed a raster); nothing else loads.
CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
       "img-src data:")

STYLE = """
:root {
  --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --head: #f6f8fa; --stripe: #fafbfc;
  --accent: #0969da; --note: #ddf4ff; --client: #0969da; --server: #bc4c00;
  --client-bg: #f3f8ff; --server-bg: #fff8f2;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; color: var(--fg); background: #fff; line-height: 1.55;
  font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans",
    "DejaVu Sans", Arial, sans-serif;
}
header, .layout { max-width: 84rem; margin: 0 auto; padding: 0 1.5rem; }
header { padding-top: 1.5rem; }
.layout { display: grid; grid-template-columns: 12.5rem minmax(0, 1fr); gap: 2rem; }
main { min-width: 0; padding-bottom: 4rem; }
h1 { font-size: 2rem; line-height: 1.25; margin: 0 0 .75rem; }
h2 { font-size: 1.5rem; margin: 2.5rem 0 .75rem; padding-bottom: .3rem;
     border-bottom: 1px solid var(--border); }
h3 { font-size: 1.2rem; margin: 2rem 0 .5rem; }
h4, h5, h6 { font-size: 1rem; margin: 1.5rem 0 .5rem; }
section { scroll-margin-top: 1rem; }
p { margin: .6rem 0; max-width: 52rem; }
main ul { max-width: 52rem; padding-left: 1.4rem; }
main li { margin: .2rem 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code {
  font: .875em/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono",
    "DejaVu Sans Mono", monospace;
  background: var(--head); padding: .1em .35em; border-radius: 4px;
}
p.how-to-read {
  background: var(--note); border-left: 4px solid var(--accent); border-radius: 0 6px 6px 0;
  padding: .5rem .8rem; font-size: .95rem;
}
p.how-to-read strong { color: var(--accent); }
nav#toc {
  position: sticky; top: 0; align-self: start; max-height: 100vh; overflow-y: auto;
  padding: 1rem 0 2rem; font-size: .875rem; line-height: 1.4;
}
nav#toc h2 { font-size: .8rem; text-transform: uppercase; letter-spacing: .06em;
             color: var(--muted); border: 0; margin: 1rem 0 .5rem; padding: 0; }
nav#toc ol { list-style: none; margin: 0; padding: 0; }
nav#toc ol ol { padding-left: .9rem; border-left: 1px solid var(--border); margin: .2rem 0 .4rem; }
nav#toc li { margin: .25rem 0; }
nav#toc a { color: var(--fg); }
nav#toc a:hover { color: var(--accent); }
.table-wrap { overflow-x: auto; margin: 1rem 0 1.5rem; max-width: 100%; }
table { border-collapse: collapse; font-size: .875rem; font-variant-numeric: tabular-nums; }
th, td { padding: .35rem .6rem; border-bottom: 1px solid var(--border); text-align: left;
         vertical-align: top; }
td.num, th.num { text-align: right; }
td.num, td.nowrap { white-space: nowrap; }
thead th {
  background: var(--head); border-bottom: 2px solid var(--border); font-weight: 600;
  border-top: 3px solid transparent; cursor: pointer; user-select: none; vertical-align: bottom;
}
thead th:hover { background: #eaeef2; }
thead th:focus-visible { outline: 2px solid var(--accent); outline-offset: -2px; }
thead th::after { content: "\\2195"; color: #b0b8c1; margin-left: .35em; font-weight: 400; }
thead th[aria-sort="ascending"]::after { content: "\\25B2"; color: var(--accent); }
thead th[aria-sort="descending"]::after { content: "\\25BC"; color: var(--accent); }
tbody tr:nth-child(even) { background: var(--stripe); }
tbody tr:hover { background: #eef6ff; }
thead th.client { border-top-color: var(--client); }
thead th.server { border-top-color: var(--server); }
td.client { background: var(--client-bg); }
td.server { background: var(--server-bg); }
tbody tr:hover td.client, tbody tr:hover td.server { background: transparent; }
figure.chart { margin: 1.5rem 0 2rem; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { color: var(--muted); font-size: .875rem; margin-top: .35rem; }
footer { color: var(--muted); font-size: .8rem; margin-top: 3rem; }
@media (max-width: 60rem) {
  .layout { display: block; }
  nav#toc { position: static; max-height: none; border-bottom: 1px solid var(--border); }
}
@media print {
  body { font-size: 10.5pt; }
  header, .layout { max-width: none; padding: 0; }
  .layout { display: block; }
  nav#toc { position: static; max-height: none; }
  a { color: inherit; }
  thead th::after { content: none; }
  thead th { background: none; }
  .table-wrap { overflow: visible; }  /* paper does not scroll: smaller and wrapped, never cut */
  table { font-size: 8pt; }
  th, td { padding: .2rem .4rem; }
  td.nowrap { white-space: normal; }
  p.how-to-read { background: none; border-left-color: #999; }
  p.how-to-read strong { color: inherit; }
  figure.chart, tr { break-inside: avoid; }
  h2, h3, h4 { break-after: avoid; }
}
"""

# Sorts a table by the clicked column; a second click on it reverses. A numeric column sorts by
# the number each cell starts with ("1,234", "0.93×", "566 µs", "1.2 (0.95)", "−3"); cells
# without one ("–") go last in both directions; ties keep their order.
SCRIPT = r"""
(function () {
  "use strict";
  function key(text, numeric) {
    text = text.trim();
    if (!numeric) return text === "" || text === "\u2013" ? null : text;
    var m = /^([+\-\u2212]?)(\d[\d,]*(?:\.\d+)?|\.\d+)/.exec(text);
    if (!m) return null;
    var value = parseFloat(m[2].replace(/,/g, ""));
    return m[1] === "-" || m[1] === "\u2212" ? -value : value;
  }
  function compare(a, b, numeric) {
    return numeric ? a - b : a.localeCompare(b, undefined, {numeric: true});
  }
  function sortBy(th) {
    var table = th.closest("table"), body = table.tBodies[0];
    var column = th.cellIndex, numeric = th.classList.contains("num");
    var direction = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
    table.querySelectorAll("thead th").forEach(function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", direction > 0 ? "ascending" : "descending");
    var rows = Array.prototype.map.call(body.rows, function (row, i) {
      return {row: row, i: i, k: key(row.cells[column].textContent, numeric)};
    });
    rows.sort(function (a, b) {
      if (a.k === null || b.k === null) {
        return a.k === b.k ? a.i - b.i : (a.k === null ? 1 : -1);
      }
      return direction * compare(a.k, b.k, numeric) || a.i - b.i;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
  }
  document.querySelectorAll("table.sortable thead th").forEach(function (th) {
    th.tabIndex = 0;
    th.addEventListener("click", function () { sortBy(th); });
    th.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sortBy(th); }
    });
  });
})();
"""

SHORT_TEXT = 40  # characters: a text column no longer than this is not wrapped

# The Markdown inline markup the report's own text uses: `code`, [text](url), **bold**,
# *emphasis* (a "*" inside a word or beside a space, as in "2 * 3", stays text).
_INLINE = re.compile(r"`([^`]+)`|\[([^\]]+)\]\(([^)\s]+)\)|\*\*(.+?)\*\*"
                     r"|(?<![\w*])\*(?![\s*])(.+?)(?<![\s*])\*(?![\w*])")
# Links may go to the web, to a relative path (the docs beside the results) or to an anchor;
# anything else (javascript:, data:) stays text.
_SAFE_URL = re.compile(r"(https?://|#|\.{0,2}/|[\w.-]+(/|\.md|\.html|#|$))", re.IGNORECASE)


def inline(text: str) -> str:
    """Text the report wrote itself (paragraphs, "how to read this") with its inline markup as
    HTML; everything else escaped. Never for data (cells, captions): see table_html."""
    out, at = [], 0
    for m in _INLINE.finditer(text):
        out.append(html.escape(text[at:m.start()]))
        code, label, url, bold, emphasis = m.groups()
        if code is not None:
            out.append(f"<code>{html.escape(code)}</code>")
        elif label is not None:
            out.append(f'<a href="{html.escape(url)}">{inline(label)}</a>'
                       if _SAFE_URL.match(url) else html.escape(m.group(0)))
        elif bold is not None:
            out.append(f"<strong>{inline(bold)}</strong>")
        else:
            out.append(f"<em>{inline(emphasis)}</em>")
        at = m.end()
    out.append(html.escape(text[at:]))
    return "".join(out)


def paragraphs(text: str) -> list[str]:
    """Paragraphs split at blank lines; runs of "- " lines (the notes some sections carry) as
    lists."""
    out: list[str] = []
    for chunk in re.split(r"\n\s*\n", text):
        lines = [line.strip() for line in chunk.splitlines() if line.strip()]
        while lines:
            is_item = lines[0].startswith("- ")
            run = 0
            while run < len(lines) and lines[run].startswith("- ") == is_item:
                run += 1
            if is_item:
                out.append("<ul>" + "".join(f"<li>{inline(line[2:])}</li>" for line in lines[:run])
                           + "</ul>")
            else:
                out.append(f"<p>{inline(' '.join(lines[:run]))}</p>")
            lines = lines[run:]
    return out


class _Ids:
    """Unique element ids: the second "Results" section becomes results-1, as on GitHub."""

    def __init__(self, reserved: tuple[str, ...]) -> None:
        self.used = set(reserved)
        self.charts = 0  # charts so far: chart N's SVG ids are cN.1, cN.2, ...

    def __call__(self, base: str) -> str:
        base = base or "section"
        candidate, n = base, 0
        while candidate in self.used:
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        return candidate


def _side(header: str) -> str:
    """'client' or 'server' when a column is about one side only (tinted so the two read apart)."""
    words = set(re.findall(r"[a-z]+", header.lower()))
    sides = words & {"client", "server"}
    return sides.pop() if len(sides) == 1 else ""


def table_html(table: Table) -> str:
    """Cells are data, some straight from results files (a CPU's name, a version string): escaped
    as they are, never read as markup."""
    # Short text (names, schemes) stays on one line; a wide table scrolls instead of breaking it.
    short = [max((len(row[i]) for row in table.rows), default=0) <= SHORT_TEXT
             for i in range(len(table.header))]
    classes = [" ".join(c for c in ("num" if numeric else "nowrap" if keep else "", _side(h)) if c)
               for h, numeric, keep in zip(table.header, table.numeric, short)]

    def cell(tag: str, text: str, css: str) -> str:
        attr = f' class="{css}"' if css else ""
        scope = ' scope="col"' if tag == "th" else ""
        return f"<{tag}{scope}{attr}>{html.escape(text)}</{tag}>"

    head = "".join(cell("th", h, c) for h, c in zip(table.header, classes))
    body = "\n".join("<tr>" + "".join(cell("td", v, c) for v, c in zip(row, classes)) + "</tr>"
                     for row in table.rows)
    return (f'<div class="table-wrap"><table class="sortable">\n<thead><tr>{head}</tr></thead>\n'
            f"<tbody>\n{body}\n</tbody>\n</table></div>")


def compact_svg(svg: str) -> str:
    """matplotlib writes path data a point per line with six decimals and indents every element:
    most of a chart's bytes. Coordinates (path data, x and y, translations) to a hundredth of a
    pixel on one line, and no indentation before tags, draw the same chart in about half the
    bytes. A <use> of a marker loses its style when it repeats the marker's own."""
    def number(m: re.Match[str]) -> str:
        text = f"{float(m.group()):.2f}".rstrip("0").rstrip(".")
        return "0" if text == "-0" else text

    def rounded(m: re.Match[str]) -> str:
        numbers = re.sub(r"-?\d+\.\d+", number, m.group(2))
        return m.group(1) + " ".join(numbers.split()) + m.group(3)

    svg = re.sub(r'(\b[dxy]=")([^"]*)(")', rounded, svg)
    # A translation only: a glyph's scale() is too small a number to round.
    svg = re.sub(r'(\btransform="translate\()([^)]*)(\))', rounded, svg)
    marks = dict(re.findall(r'<path id="([^"]+)" d="[^"]*" style="([^"]*)"', svg))

    def use(m: re.Match[str]) -> str:
        return m.group(0) if marks.get(m.group(2)) != m.group(3) else m.group(1)

    svg = re.sub(r'(<use xlink:href="#([^"]+)"[^>]*?) style="([^"]*)"', use, svg)
    return re.sub(r"\n[ \t]+<", "\n<", svg)


def chart_html(chart: Chart, element_id: str, key: str) -> str:
    """The chart's SVG inline in a figure, made small: matplotlib puts an id on every group and
    the whole font list on every text, 60 charts' worth of which weighed a megabyte in one page.
    Only the ids something refers to (clip paths, markers) stay, renamed KEY.N (KEY unique on the
    page; no section anchor has a dot, so none is shared); the axes groups get class="axes" (what
    report_browser_check.py reads); the font list goes once on the <svg>, each text keeping its
    size."""
    import matplotlib.pyplot as plt

    text = svg_text(chart)
    plt.close(chart.figure)  # rendered for good; closing twice (report_doc may too) is harmless
    start = text.find("<svg")
    if start < 0:
        raise ValueError(f"chart {chart.name}: matplotlib wrote no <svg> element")
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", text[start:], flags=re.S)  # RDF boilerplate
    referenced = re.findall(r'(?:href="#|url\(#)([^")]+)', svg)
    short = {name: f"{key}.{n}" for n, name in enumerate(dict.fromkeys(referenced), 1)}

    def renamed(m: re.Match[str]) -> str:
        return m.group(1) + short[m.group(2)] + m.group(3)

    def element_id_of(m: re.Match[str]) -> str:
        tag, name = m.groups()
        if name in short:
            return f'{tag} id="{short[name]}"'
        return tag + (' class="axes"' if re.fullmatch(r"axes_\d+", name) else "")

    svg = re.sub(r'(href="#|url\(#)([^")]+)([")])', renamed, svg)
    svg = re.sub(r'(<[^<>]*?) id="([^"]+)"', element_id_of, svg)
    # matplotlib writes "font: 7px <its ten fallback families>" on every text: with one list in
    # the chart, the <svg> carries it (copied as written: it is attribute text already).
    font = re.compile(r'<text style="font: ([\d.]+px) ([^;"]+)')
    families = {m.group(2) for m in font.finditer(svg)}
    if len(families) == 1:
        svg = font.sub(r'<text style="font-size: \1', svg)
        svg = svg.replace("<svg ", f'<svg font-family="{families.pop()}" ', 1)
    svg = compact_svg(svg)
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(chart.alt)}" ', 1)
    return (f'<figure class="chart" id="{element_id}">\n{svg.strip()}\n'
            f"<figcaption>{html.escape(chart.alt)}</figcaption>\n</figure>")


def _section(section: Section, level: int, ids: _Ids, toc: list[str]) -> list[str]:
    section_id = ids(anchor(section.title))
    heading = min(level, 6)
    toc.append(f'<li><a href="#{section_id}">{html.escape(section.title)}</a>')
    out = [f'<section id="{section_id}">',
           f"<h{heading}>{html.escape(section.title)}</h{heading}>",
           f'<p class="how-to-read"><strong>How to read this.</strong> '
           f"{inline(section.how_to_read.strip())}</p>"]
    for block in section.blocks:
        if isinstance(block, Table):
            out.append(table_html(block))
        elif isinstance(block, Chart):
            ids.charts += 1
            out.append(chart_html(block, ids(f"chart-{anchor(block.name)}"), f"c{ids.charts}"))
        else:
            out += paragraphs(block)
    subsections = [s for s in section.subsections if not s.empty()]
    if subsections:
        toc.append("<ol>")
        for sub in subsections:
            out += _section(sub, level + 1, ids, toc)
        toc.append("</ol>")
    toc.append("</li>")
    out.append("</section>")
    return out


def write_html(report: Report, directory: str) -> str:
    """report.html in directory; returns its path."""
    ids = _Ids(("toc", "runs", "contents"))
    toc: list[str] = []
    body: list[str] = []
    for section in report.sections:
        if not section.empty():
            body += _section(section, 2, ids, toc)
    title = html.escape(report.title)
    page = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>", f"<style>{STYLE}</style>", "</head>", "<body>",
        "<header>", f"<h1>{title}</h1>", *paragraphs(report.intro),
        *(['<h2 id="runs">Runs</h2>', table_html(report.context)] if report.context.rows else []),
        "</header>",
        '<div class="layout">', '<nav id="toc" aria-label="Contents">',
        '<h2 id="contents">Contents</h2>', "<ol>", *toc, "</ol>", "</nav>",
        "<main>", *body,
        "<footer>Written by mtls-bench's <code>scripts/report</code>: one self-contained page; "
        "click a column's header to sort the table by it.</footer>",
        "</main>", "</div>", f"<script>{SCRIPT}</script>", "</body>", "</html>",
    ]
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, "report.html")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(page) + "\n")
    return path
