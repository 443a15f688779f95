"""The report's charts, as matplotlib figures for report_doc.Chart: bars per build with error bars
from the repetitions, client and server side by side, and a log axis wherever the values drawn
span more than ten times (a linear axis would flatten every bar but the largest).

Only categories that have a value are drawn: a build without a scheme leaves no empty slot.
"""
from __future__ import annotations

import math
import statistics
from typing import Any, Optional, Sequence

import matplotlib

matplotlib.use("svg")
matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: small, searchable files
# Every chart stays open until both writers (Markdown, HTML) have rendered it; report.py closes them.
matplotlib.rcParams["figure.max_open_warning"] = 0
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import ticker  # noqa: E402

CLIENT, SERVER = "#4472c4", "#ed7d31"
SERIES = ["#4472c4", "#ed7d31", "#a5a5a5", "#ffc000", "#5b9bd5", "#70ad47", "#264478", "#9e480e",
          "#636363", "#997300", "#255e91", "#43682b"]
WIDE = 10.0  # max/min beyond which an axis is logarithmic


def spread(samples: Sequence[float]) -> float:
    """One standard deviation over the repetitions (0 with fewer than two: nothing to show)."""
    return statistics.stdev(samples) if len(samples) > 1 else 0.0


def short(value: float) -> str:
    """A bar's label: whole numbers from 100 on, three significant digits below."""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def is_wide(values: Sequence[float]) -> bool:
    drawn = [v for v in values if v > 0 and math.isfinite(v)]
    return len(drawn) > 1 and max(drawn) / min(drawn) > WIDE


def _finish(fig: Any, ax: Any, title: str, unit: str, wide: bool, note: str = "") -> Any:
    if wide:
        ax.set_yscale("log")
        # Plain numbers at 1, 2 and 5 of each decade: a reader compares values, not exponents.
        ax.yaxis.set_major_locator(ticker.LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(ticker.FuncFormatter(lambda y, _: f"{y:g}"))
        ax.yaxis.set_minor_formatter(ticker.NullFormatter())
        unit += " (log scale)"
    ax.set_ylabel(unit)
    ax.set_title(title, fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    if note:
        fig.text(0.01, 0.01, note, fontsize=6, color="#555555")
    fig.tight_layout(rect=(0, 0.03 if note else 0, 1, 1))
    return fig


def bars(title: str, unit: str, labels: list[str], values: list[float],
         errors: Optional[list[float]] = None, note: str = "") -> Any:
    """One bar per label, its value printed on it."""
    fig, ax = plt.subplots(figsize=(max(4.5, 0.6 * len(labels) + 1.5), 3.4))
    drawn = ax.bar(range(len(labels)), values, color=CLIENT,
                   yerr=errors if errors and any(errors) else None, capsize=2,
                   error_kw={"elinewidth": 0.8})
    ax.set_xticks(range(len(labels)), labels, rotation=35, ha="right", fontsize=8)
    ax.bar_label(drawn, labels=[short(v) for v in values], fontsize=7)
    return _finish(fig, ax, title, unit, is_wide(values), note)


def client_server_bars(title: str, unit: str, labels: list[str],
                       client: list[tuple[float, float]], server: list[tuple[float, float]],
                       note: str = "", sides: tuple[str, str] = ("client", "server")) -> Any:
    """Per build a client and a server bar, each (value, spread); `sides` names them."""
    fig, ax = plt.subplots(figsize=(max(5.0, 0.8 * len(labels) + 2), 3.6))
    xs = range(len(labels))
    width = 0.4
    for offset, side, color, pairs in ((-width / 2, sides[0], CLIENT, client),
                                       (width / 2, sides[1], SERVER, server)):
        errors = [e for _, e in pairs]
        drawn = ax.bar([x + offset for x in xs], [v for v, _ in pairs], width, color=color,
                       label=side, yerr=errors if any(errors) else None, capsize=2,
                       error_kw={"elinewidth": 0.8})
        ax.bar_label(drawn, labels=[short(v) for v, _ in pairs], fontsize=6)
    ax.set_xticks(list(xs), labels, rotation=35, ha="right", fontsize=8)
    ax.legend(fontsize=7)
    return _finish(fig, ax, title, unit, is_wide([v for v, _ in client + server]), note)


def grouped_bars(title: str, unit: str, categories: list[str],
                 series: list[tuple[str, dict[str, float]]], note: str = "") -> Any:
    """Bars grouped per category, one series per build; a category no series has is left out."""
    categories = [c for c in categories if any(c in values for _, values in series)]
    fig, ax = plt.subplots(figsize=(min(12.0, max(6.0, 0.45 * len(categories) + 3)), 4.2))
    width = 0.8 / max(1, len(series))
    for i, (name, values) in enumerate(series):
        present = [c for c in categories if c in values]
        ax.bar([categories.index(c) + i * width for c in present], [values[c] for c in present],
               width, label=name, color=SERIES[i % len(SERIES)])
    ax.set_xticks([x + 0.4 - width / 2 for x in range(len(categories))], categories, rotation=25,
                  ha="right", fontsize=7)
    ax.legend(fontsize=6, ncol=3)
    return _finish(fig, ax, title, unit,
                   is_wide([v for _, values in series for v in values.values()]), note)


def stacked_parts(title: str, unit: str, labels: list[str],
                  parts: list[tuple[str, str, list[float]]]) -> Any:
    """Horizontal bars per label made of parts (name, color, values): e.g. CPU then network."""
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(labels) + 1.4))
    left = [0.0] * len(labels)
    for name, color, values in parts:
        ax.barh(range(len(labels)), values, left=left, color=color, label=name)
        left = [a + b for a, b in zip(left, values)]
    ax.set_yticks(range(len(labels)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel(unit)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def lines(title: str, xlabel: str, ylabel: str,
          series: list[tuple[str, dict[int, float]]], reference: Optional[float] = None) -> Any:
    """One line per series over integer x values on a log2 axis (thread counts)."""
    fig, ax = plt.subplots(figsize=(7, 4))
    for name, points in series:
        xs = sorted(points)
        ax.plot(xs, [points[x] for x in xs], marker="o", label=name)
    ax.set_xscale("log", base=2)
    if reference is not None:
        ax.axhline(reference, color="grey", linewidth=0.8, linestyle="--")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=6, ncol=2)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return fig


def close(figure: Any) -> None:
    plt.close(figure)
