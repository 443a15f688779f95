"""The report as a document, independent of its format: sections of text, tables and charts, built
once by report.py and written twice, as Markdown for GitHub (here: report.md + plots/*.svg) and as
one self-contained HTML page (report_html.py).

Cells are text as a reader sees it ("1,234", "0.93×", "–" for no value); report_html.py sorts a
column by the number each cell starts with.
"""
from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from typing import Any, Union


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    numeric: list[bool] = field(default_factory=list)  # per column: right-aligned, sorts as numbers

    def __post_init__(self) -> None:
        if not self.numeric:
            self.numeric = [False] * len(self.header)
        if len(self.numeric) != len(self.header) or any(len(r) != len(self.header)
                                                        for r in self.rows):
            raise ValueError(f"table '{' | '.join(self.header)}': rows and header differ in width")


@dataclass
class Chart:
    """A matplotlib figure: `name` is its file stem in plots/ and its anchor in the HTML page."""
    name: str
    alt: str
    figure: Any  # matplotlib.figure.Figure (write_html closes it once rendered)


Block = Union[str, Table, Chart]  # a str is a paragraph (Markdown inline markup: `code`, links)


@dataclass
class Section:
    title: str
    how_to_read: str  # one or two sentences: what the figures are and which way is better
    blocks: list[Block] = field(default_factory=list)
    subsections: list["Section"] = field(default_factory=list)

    def empty(self) -> bool:
        return not any(isinstance(b, (Table, Chart)) for b in self.blocks) and all(
            s.empty() for s in self.subsections)


@dataclass
class Report:
    title: str
    intro: str
    context: Table  # the runs: build, version, arch, CPU, date, commit
    sections: list[Section]

    def charts(self) -> list[Chart]:
        def walk(sections: list[Section]) -> list[Chart]:
            return [b for s in sections for b in s.blocks if isinstance(b, Chart)] + [
                c for s in sections for c in walk(s.subsections)]
        return walk(self.sections)


def anchor(title: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", title.lower()).strip().replace(" ", "-")


def svg_text(chart: Chart) -> str:
    """The chart as SVG text, its hashed ids salted by its name (report_html.py also prefixes
    matplotlib's plain ids, figure_1 and the like, when it inlines the chart)."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": chart.name}):
        chart.figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def markdown_cell(text: str) -> str:
    """A cell is data (context strings come from results files): no column break, no line
    break, no HTML."""
    return (" ".join(text.split("\n")).replace("\\", "\\\\").replace("|", "\\|")
            .replace("<", "&lt;"))


def markdown_table(table: Table) -> list[str]:
    return (["| " + " | ".join(markdown_cell(h) for h in table.header) + " |",
             "|" + "".join("---:|" if n else "---|" for n in table.numeric)] +
            ["| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in table.rows])


def _markdown_section(section: Section, level: int, plots: str) -> list[str]:
    out = ["#" * level + " " + section.title, "", section.how_to_read, ""]
    for block in section.blocks:
        if isinstance(block, Table):
            out += markdown_table(block) + [""]
        elif isinstance(block, Chart):
            with open(os.path.join(plots, block.name + ".svg"), "w", encoding="utf-8") as f:
                f.write(svg_text(block))
            out += [f"![{block.alt}](plots/{block.name}.svg)", ""]
        else:
            out += [block, ""]
    for sub in section.subsections:
        if not sub.empty():
            out += _markdown_section(sub, level + 1, plots)
    return out


def write_markdown(report: Report, directory: str) -> str:
    """report.md with its charts in plots/ (the report's own folder: a chart of an earlier report
    that this one no longer draws is removed); returns the report's path."""
    plots = os.path.join(directory, "plots")
    os.makedirs(plots, exist_ok=True)
    names = [chart.name for chart in report.charts()]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:  # one file per name: a second chart would replace the first in both places
        raise ValueError(f"charts named twice: {', '.join(repeated)}")
    drawn = {name + ".svg" for name in names}
    for stale in set(os.listdir(plots)) - drawn:
        if stale.endswith(".svg"):
            os.remove(os.path.join(plots, stale))
    out = [f"# {report.title}", "", report.intro, ""]
    if report.context.rows:  # a report of a fuzzing yardstick alone has no benchmark runs
        out += ["## Runs", ""] + markdown_table(report.context) + [""]
    for section in report.sections:
        if not section.empty():
            out += _markdown_section(section, 2, plots)
    path = os.path.join(directory, "report.md")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out).rstrip("\n") + "\n")
    return path
