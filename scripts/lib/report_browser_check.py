#!/usr/bin/python3
"""Renders report.html in headless Chromium and checks the page a reader gets, from the rendered
DOM and a screenshot, against report.md beside it (the other rendering of the same document, an
independent list of what the page must hold): every heading of report.md is a section heading on
the page, with the same level, title and order, holding the same charts and as many tables, and
the page has nothing report.md lacks; every chart is an SVG drawn at a non-zero size whose every
axes draws data (a filled bar or patch, or a line through marked points: an empty axes frame
fails); every table-of-contents link leads to a section with content; every section has its "how
to read this" note; every table has a header and rows; a click on a numeric column's header sorts
the rows ascending and a second click descending (a page whose tables all have one row leaves the
sort unchecked, said in the ok line); nothing is fetched; no script fails; the screenshot is not
blank.

Usage: report_browser_check.py REPORT_HTML [--screenshot PNG]   (PNG: beside the report)
Exit status: 0 when the page passes, 1 naming each failure on a line of its own (Chromium missing
is a failure), 2 for bad input.

One Chromium process, driven through the DevTools protocol on --remote-debugging-pipe (it reads
NUL-terminated JSON commands on fd 3 and writes replies and events on fd 4), bounded by a timeout,
killed with its process group when done.
"""
from __future__ import annotations

import argparse
import base64
import difflib
import fcntl
import json
import os
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from typing import Any, Optional

from report_doc import anchor

CHROMIUM = "/usr/bin/chromium"
TIMEOUT_S = 60.0
VIEWPORT = (1280, 900)
# The screenshot: at most this many pixels high, the page scaled down to half its size at most
# (a longer page is captured from its top), so that the PNG stays readable and small.
MAX_SCREENSHOT_HEIGHT = 8000
MIN_SCREENSHOT_SCALE = 0.5
PROG = "report_browser_check"

# Records what the page tries to load against its Content-Security-Policy.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  function (e) { window.__violations.push(e.blockedURI || e.violatedDirective); });
"""

# The page's structure, read from the rendered DOM: a list of problems and what was counted.
DOM_CHECK = r"""
(() => {
  // Per axes of a chart (matplotlib's axes group, which report_html marks class="axes"), its
  // data marks: child groups that fill a path of their own (bars, wedges; not the axes
  // background, its first group, nor the spines or error bars, which do not fill) or draw a line
  // of two points or more with markers on it (not error-bar caps, which have markers only, nor
  // reference lines, which have no markers). Ticks, labels and legends keep their paths a group
  // deeper.
  const dataMarks = svg => [...svg.querySelectorAll("g.axes")].map(axes => {
    const groups = [...axes.children].filter(c => c.tagName === "g");
    const paths = g => [...g.querySelectorAll(":scope > path")];
    const fills = g => paths(g).some(p => getComputedStyle(p).fill !== "none");
    const isLine = g => g.querySelector("use") && paths(g).some(
      p => ((p.getAttribute("d") || "").match(/[MLCQ]/g) || []).length >= 2);
    return groups.filter((g, i) => (i > 0 && fills(g)) || isLine(g)).length;
  });
  const problems = [], text = el => (el.textContent || "").trim();
  const shown = el => el.getClientRects().length > 0 &&
    getComputedStyle(el).visibility !== "hidden";
  const nav = document.querySelector("nav#toc");
  const links = nav ? [...nav.querySelectorAll('a[href^="#"]')] : [];
  if (!nav) problems.push("no table of contents (nav#toc)");
  else if (!links.length) problems.push("the table of contents links no section");
  const linked = new Set();
  for (const a of links) {
    const id = decodeURIComponent(a.getAttribute("href").slice(1));
    const target = document.getElementById(id), name = `contents link "${text(a)}"`;
    linked.add(id);
    if (!target) problems.push(`${name} leads to #${id}, which does not exist`);
    else if (target.tagName !== "SECTION")
      problems.push(`${name} leads to a <${target.tagName.toLowerCase()}>, not a section`);
    else if (!target.querySelector("table tbody tr, figure.chart svg"))
      problems.push(`section #${id} ("${text(a)}") has no table row and no chart`);
  }
  const sections = [...document.querySelectorAll("main section")];
  if (!sections.length) problems.push("no sections in <main>");
  for (const s of sections) {
    const name = `section #${s.id || "(no id)"}`;
    if (!linked.has(s.id)) problems.push(`${name} is missing from the table of contents`);
    if (!s.querySelector([2, 3, 4, 5, 6].map(n => `:scope > h${n}`).join(", ")))
      problems.push(`${name} has no heading`);
    const note = s.querySelector(":scope > p.how-to-read");
    if (!note || !text(note).replace(/^How to read this\.?/, "").trim() || !shown(note))
      problems.push(`${name} has no visible "how to read this" paragraph`);
  }
  const charts = [...document.querySelectorAll("figure.chart")];
  let marks = 0;
  const page = document.documentElement.clientWidth;
  for (const f of charts) {
    const name = `chart #${f.id || "(no id)"}`, svg = f.querySelector("svg");
    if (!svg) { problems.push(`${name} holds no <svg>`); continue; }
    const box = svg.getBoundingClientRect(), panels = dataMarks(svg);
    if (box.width < 1 || box.height < 1)
      problems.push(`${name}: its SVG renders at ${box.width}×${box.height} px`);
    if (box.right > page + 1)
      problems.push(`${name}: its SVG overflows the page (${box.right} > ${page} px)`);
    if (!panels.length) problems.push(`${name}: its SVG has no axes (no g.axes group)`);
    panels.forEach((n, i) => {
      if (!n) problems.push(`${name}: axes ${i + 1} of ${panels.length} draws no data (no ` +
                            "filled bar or patch, no line through marked points): an empty frame");
    });
    marks += panels.reduce((a, b) => a + b, 0);
    const caption = f.querySelector("figcaption");
    if (!caption || !text(caption)) problems.push(`${name} has no caption`);
  }
  const tables = [...document.querySelectorAll("table.sortable")];
  tables.forEach((t, i) => {
    const heads = t.querySelectorAll("thead th").length;
    const rows = t.tBodies.length ? [...t.tBodies[0].rows] : [];
    const where = t.closest("section") ? "in #" + t.closest("section").id : "runs";
    const name = `table ${i + 1} (${where})`;
    if (!heads) problems.push(`${name} has no header`);
    if (!rows.length) problems.push(`${name} has no rows`);
    if (rows.some(r => r.cells.length !== heads))
      problems.push(`${name}: a row's width differs from its header's`);
  });
  if (!document.querySelector("header table.sortable tbody tr"))
    problems.push("no run context table in the header");
  // The page's outline in document order, as report.md has it: each section heading (and the
  // header's title and "Runs") with the tables and charts that follow it up to the next heading.
  const outline = [];
  const parts = document.querySelectorAll(
    ["header :is(h1, h2, h3, h4, h5, h6)", "main section > :is(h2, h3, h4, h5, h6)",
     "header table", "main table", "main figure.chart"].join(", "));
  for (const e of parts) {
    if (/^H[1-6]$/.test(e.tagName))
      outline.push({level: +e.tagName[1], title: text(e), tables: 0, charts: []});
    else if (!outline.length) problems.push(`a <${e.tagName.toLowerCase()}> before any heading`);
    else if (e.tagName === "TABLE") outline[outline.length - 1].tables += 1;
    else outline[outline.length - 1].charts.push(e.id);
  }
  return {problems, outline, counts: {sections: sections.length, charts: charts.length,
                                      tables: tables.length, marks}};
})()
"""

# Per sortable table with two rows or more: the first numeric column with two different values
# (else the first numeric column), as [table index, column index].
SORT_CANDIDATES = r"""
[...document.querySelectorAll("table.sortable")].map((t, i) => {
  const rows = t.tBodies.length ? [...t.tBodies[0].rows] : [];
  const numeric = [...t.querySelectorAll("thead th")]
    .map((h, c) => h.classList.contains("num") ? c : -1).filter(c => c >= 0);
  if (rows.length < 2 || !numeric.length) return null;
  const varied = numeric.find(
    c => new Set(rows.map(r => r.cells[c].textContent.trim())).size > 1);
  return [i, varied === undefined ? numeric[0] : varied];
}).filter(x => x)
"""


# report.md's lines that matter here: a heading, a table's separator row, a chart's image.
MD_HEADING = re.compile(r"(#{1,6}) +(.+?)\s*#*\s*$")
MD_TABLE_RULE = re.compile(r"\|(\s*:?-{3,}:?\s*\|)+\s*$")
MD_CHART = re.compile(r"!\[.*\]\(plots/([^)\s]+)\.svg\)\s*$")


class BrowserError(Exception):
    """Chromium could not be driven (it died, timed out, or answered a command with an error)."""


def number_key(text: str) -> Optional[float]:
    """The number a cell starts with ("1,234" → 1234, "0.93×", "566 µs", "−3" → -3), None for
    none ("–"). Written apart from the page's script on purpose: it checks that script."""
    m = re.match(r"([+\-\u2212]?)(\d[\d,]*(?:\.\d+)?|\.\d+)", text.strip())
    if not m:
        return None
    value = float(m.group(2).replace(",", ""))
    return -value if m.group(1) in ("-", "\u2212") else value


def chart_id(name: str) -> str:
    """The id report_html gives the figure of the chart plots/NAME.svg."""
    return "chart-" + anchor(name)


def markdown_outline(text: str) -> list[dict[str, Any]]:
    """report.md's headings in order, each with the tables and chart ids that follow it up to the
    next heading: the same shape as the outline DOM_CHECK reads from the page."""
    outline: list[dict[str, Any]] = []
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        heading, rule, chart = (None if fenced else p.match(line.strip())
                                for p in (MD_HEADING, MD_TABLE_RULE, MD_CHART))
        if heading:
            outline.append({"level": len(heading.group(1)), "title": heading.group(2),
                            "tables": 0, "charts": []})
        elif (rule or chart) and not outline:
            outline.append({"level": 0, "title": "(before any heading)", "tables": 0,
                            "charts": []})
        if rule:
            outline[-1]["tables"] += 1
        elif chart:
            outline[-1]["charts"].append(chart_id(chart.group(1)))
    return outline


def outline_problems(expected: list[dict[str, Any]], page: list[dict[str, Any]]) -> list[str]:
    """What differs between report.md's outline and the page's, both ways: headings missing,
    extra or moved, charts missing, extra or under another heading, table counts."""
    def key(entry: dict[str, Any]) -> tuple[int, str]:
        return entry["level"], entry["title"]

    def shown(entry: dict[str, Any]) -> str:
        return f'"{"#" * entry["level"]} {entry["title"]}"'

    problems: list[str] = []
    matcher = difflib.SequenceMatcher(None, [key(e) for e in expected], [key(e) for e in page],
                                      autojunk=False)
    for op, e0, e1, p0, p1 in matcher.get_opcodes():
        if op == "equal":
            for want, got in zip(expected[e0:e1], page[p0:p1]):
                if want["tables"] != got["tables"]:
                    problems.append(f"section {shown(want)} holds {got['tables']} table(s) on the "
                                    f"page, {want['tables']} in report.md")
            continue
        problems += [f"report.md's heading {shown(e)} has no section on the page"
                     for e in expected[e0:e1]]
        problems += [f"the page's section {shown(e)} is not in report.md" for e in page[p0:p1]]
    where_expected = {c: e for e in expected for c in e["charts"]}
    where_page = {c: e for e in page for c in e["charts"]}
    for chart, entry in where_expected.items():
        name = chart[len("chart-"):]
        if chart not in where_page:
            problems.append(f"chart {name} (report.md: plots/{name}.svg under {shown(entry)}) "
                            f"is not on the page (no figure #{chart})")
        elif key(where_page[chart]) != key(entry):
            problems.append(f"chart #{chart} is under {shown(where_page[chart])} on the page, "
                            f"under {shown(entry)} in report.md")
    problems += [f"chart #{chart} (under {shown(entry)}) is not in report.md"
                 for chart, entry in where_page.items() if chart not in where_expected]
    return problems


def sort_problem(name: str, rows_before: list[list[str]], rows_after: list[list[str]],
                 column: int, descending: bool) -> Optional[str]:
    """What is wrong with rows_after as the rows sorted by column (None when nothing): the same
    rows, numbers in order, cells without a number last."""
    order = "descending" if descending else "ascending"
    if sorted(rows_before) != sorted(rows_after):
        return f"{name}: sorting changed the rows themselves, not only their order"
    keys = [number_key(row[column]) for row in rows_after]
    numbers = [k for k in keys if k is not None]
    if keys[:len(numbers)] != numbers:
        return f"{name}: after the {order} sort a cell without a number is not last"
    if numbers != sorted(numbers, reverse=descending):
        shown = ", ".join(row[column] for row in rows_after[:6])
        return f"{name}: after a click the rows are not {order} ({shown}…)"
    return None


class Browser:
    """One headless Chromium with a DevTools pipe, and one page attached to it."""

    def __init__(self, deadline: float) -> None:
        self.deadline = deadline
        self.profile = tempfile.mkdtemp(prefix="report-browser-check-")
        self.next_id = 0
        self.buffer = b""
        self.events: list[dict[str, Any]] = []
        self.session = ""
        commands_read, self.commands = os.pipe()
        self.replies, replies_write = os.pipe()

        def pipe_fds() -> None:  # in the child: the protocol's fds 3 and 4, whatever ours were
            low = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (commands_read, replies_write)]
            os.dup2(low[0], 3)
            os.dup2(low[1], 4)

        args = [CHROMIUM, "--headless", "--disable-gpu", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--mute-audio", "--remote-debugging-pipe",
                f"--user-data-dir={self.profile}",
                f"--window-size={VIEWPORT[0]},{VIEWPORT[1]}", "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        self.log = open(os.path.join(self.profile, "chromium.log"), "wb")
        try:
            # Its crash handler's database goes to $XDG_CONFIG_HOME/chromium: into the profile too.
            self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self.log,
                                            stderr=self.log, pass_fds=(3, 4), preexec_fn=pipe_fds,
                                            start_new_session=True,
                                            env=dict(os.environ, XDG_CONFIG_HOME=self.profile))
        finally:
            os.close(commands_read)
            os.close(replies_write)

    def close(self) -> None:
        """Asks Chromium to quit, then kills its process group (renderers, zygote) in any case,
        and its crash handlers, which leave the group: any process still naming the profile."""
        try:
            if self.process.poll() is None:
                try:
                    self._write({"id": 0, "method": "Browser.close"})
                    self.process.wait(timeout=3)
                except (OSError, subprocess.TimeoutExpired):
                    pass
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.process.wait()
            for pid in self._left_behind():
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        finally:
            for fd in (self.commands, self.replies):
                os.close(fd)
            self.log.close()
            shutil.rmtree(self.profile, ignore_errors=True)

    def _left_behind(self) -> list[int]:
        pids = []
        for entry in os.listdir("/proc"):
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if entry.isdigit() and self.profile.encode() in f.read():
                        pids.append(int(entry))
            except OSError:
                pass  # gone meanwhile, or not a process
        return pids

    def _write(self, message: dict[str, Any]) -> None:
        data = json.dumps(message).encode() + b"\0"
        while data:
            data = data[os.write(self.commands, data):]

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise BrowserError(f"no answer from chromium within {TIMEOUT_S:g} s")
            if select.select([self.replies], [], [], left)[0]:
                chunk = os.read(self.replies, 1 << 20)
                if not chunk:
                    raise BrowserError(f"chromium exited{self._exit_note()}")
                self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def _exit_note(self) -> str:
        try:
            status = self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return ""
        self.log.flush()
        with open(self.log.name, errors="replace") as f:
            lines = [line.strip() for line in f if line.strip()]
        return f" (status {status}{': ' + lines[-1] if lines else ''})"

    def send(self, method: str, params: Optional[dict[str, Any]] = None,
             browser_level: bool = False) -> dict[str, Any]:
        """A command's result; events that arrive meanwhile are kept for wait_event."""
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session and not browser_level:
            message["sessionId"] = self.session
        self._write(message)
        while True:
            reply = self._read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message', reply['error'])}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            if "method" in reply:
                self.events.append(reply)

    def wait_event(self, method: str) -> dict[str, Any]:
        while True:
            for i, event in enumerate(self.events):
                if event["method"] == method:
                    return self.events.pop(i)
            self.events.append(self._read())

    def open_page(self) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 browser_level=True)["sessionId"]
        for domain in ("Page", "Runtime", "Network"):
            self.send(f"{domain}.enable")
        self.send("Emulation.setDeviceMetricsOverride",
                  {"width": VIEWPORT[0], "height": VIEWPORT[1], "deviceScaleFactor": 1,
                   "mobile": False})
        self.send("Page.addScriptToEvaluateOnNewDocument", {"source": WATCH_VIOLATIONS})

    def evaluate(self, expression: str) -> Any:
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                               "awaitPromise": True})
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            raise BrowserError("script in the page failed: " +
                               str(details.get("exception", {}).get("description", details)))
        return reply["result"].get("value")

    def click(self, element: str) -> None:
        """A real mouse click at the centre of the element the JavaScript expression names (so an
        element covering it would get the click instead)."""
        box = self.evaluate(f"""(() => {{ const e = {element};
            e.scrollIntoView({{block: "center"}}); const r = e.getBoundingClientRect();
            return [r.left + r.width / 2, r.top + r.height / 2]; }})()""")
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1],
                                                   "button": "left", "clickCount": 1})


def check_sorting(browser: Browser) -> tuple[list[str], int]:
    """Clicks a numeric header of every sortable table with two rows or more, twice; how many
    tables that was (0 when no table has two rows and a numeric column: a valid one-build
    report; the caller notes it)."""
    problems: list[str] = []
    candidates = browser.evaluate(SORT_CANDIDATES)
    for table, column in candidates:
        table_js = f'document.querySelectorAll("table.sortable")[{table}]'
        rows_js = (f"[...{table_js}.tBodies[0].rows]"
                   ".map(r => [...r.cells].map(c => c.textContent.trim()))")
        header = f'{table_js}.querySelectorAll("thead th")[{column}]'
        name = f'table {table + 1}, column "{browser.evaluate(header + ".textContent.trim()")}"'
        before = browser.evaluate(rows_js)
        for descending in (False, True):
            browser.click(header)
            problem = sort_problem(name, before, browser.evaluate(rows_js), column, descending)
            if problem:
                problems.append(problem)
                break
    return problems, len(candidates)


def screenshot_problems(browser: Browser, path: str) -> tuple[list[str], str]:
    """The page as a PNG; blank when its pixels hardly vary."""
    import matplotlib.image

    size = browser.send("Page.getLayoutMetrics")["cssContentSize"]
    width, height = size["width"], size["height"]
    if not width or not height:
        return [f"the page renders at {width}×{height} px"], ""
    scale = max(MIN_SCREENSHOT_SCALE, min(1.0, MAX_SCREENSHOT_HEIGHT / height))
    shown = min(height, MAX_SCREENSHOT_HEIGHT / scale)
    shot = browser.send("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": shown, "scale": scale}})
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    pixels = matplotlib.image.imread(path)[..., :3].mean(axis=2)
    spread = float(pixels.std())
    inked = float((abs(pixels - pixels[0, 0]) > 0.1).mean())  # not the background's shade
    note = (f"screenshot {pixels.shape[1]}×{pixels.shape[0]} px of the page's {shown / height:.0%}"
            f" ({inked:.1%} ink)")
    if spread < 0.02 or inked < 0.005:
        return [f"the screenshot is blank (pixel spread {spread:.3f}, {inked:.2%} ink): "
                f"{path}"], note
    return [], note


def expected_outline(report: str) -> tuple[list[str], Optional[list[dict[str, Any]]]]:
    """report.md's outline from beside the page, or the problem of its absence."""
    markdown = os.path.join(os.path.dirname(os.path.abspath(report)), "report.md")
    try:
        with open(markdown, encoding="utf-8") as f:
            return [], markdown_outline(f.read())
    except (OSError, UnicodeDecodeError) as e:
        why = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        return [f"no report.md beside the page to check against ({markdown}: {why})"], None


def check(report: str, screenshot: str) -> tuple[list[str], str]:
    """The problems found (empty when the page passes) and a summary of what was checked."""
    problems, expected = expected_outline(report)
    deadline = time.monotonic() + TIMEOUT_S
    url = "file://" + os.path.abspath(report)
    browser = Browser(deadline)
    try:
        browser.open_page()
        navigated = browser.send("Page.navigate", {"url": url})
        if navigated.get("errorText"):
            return [f"chromium could not open {url}: {navigated['errorText']}"], ""
        browser.wait_event("Page.loadEventFired")
        dom = browser.evaluate(DOM_CHECK)
        problems += dom["problems"]
        if expected is not None:
            problems += outline_problems(expected, dom["outline"])
        shot_problems, shot_note = screenshot_problems(browser, screenshot)
        sort_problems, sorted_tables = check_sorting(browser)
        problems += shot_problems + sort_problems
        problems += [f"the page tried to load {v} (it must be self-contained)"
                     for v in browser.evaluate("window.__violations")]
        for event in browser.events:
            if event["method"] == "Runtime.exceptionThrown":
                details = event["params"]["exceptionDetails"]
                problems.append("a script in the page failed: " + str(
                    details.get("exception", {}).get("description", details.get("text"))))
            elif (event["method"] == "Network.requestWillBeSent" and
                  event["params"]["request"]["url"].split("#")[0] != url):
                problems.append(f"the page requested {event['params']['request']['url']} "
                                "(it must be self-contained)")
        counts = dom["counts"]
        sorting = (f"sorting checked on {sorted_tables}" if sorted_tables else
                   "sorting unchecked: no table with two rows and a numeric column")
        summary = (f"{counts['sections']} sections, {counts['charts']} charts with "
                   f"{counts['marks']} data marks, {counts['tables']} tables, as in report.md; "
                   f"{sorting}; {shot_note}")
        return problems, summary
    finally:
        browser.close()


def terminated(signum: int, frame: Any) -> None:
    raise BrowserError("terminated (SIGTERM) before the check ended")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("report", help="report.html")
    parser.add_argument("--screenshot", help="where to write the PNG (default: beside the report)")
    args = parser.parse_args()
    if not os.path.isfile(args.report) or not os.access(args.report, os.R_OK):
        print(f"{PROG}: {args.report}: no such readable file", file=sys.stderr)
        return 2
    screenshot = args.screenshot or os.path.splitext(args.report)[0] + ".png"
    if not os.access(os.path.dirname(os.path.abspath(screenshot)), os.W_OK):
        print(f"{PROG}: {screenshot}: cannot write the screenshot there", file=sys.stderr)
        return 2
    if not os.access(CHROMIUM, os.X_OK):
        print(f"{PROG}: FAIL: chromium not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    signal.signal(signal.SIGTERM, terminated)  # so that check()'s cleanup still runs
    started = time.monotonic()
    try:
        problems, summary = check(args.report, screenshot)
    except BrowserError as e:
        problems, summary = [str(e)], ""
    for problem in problems:
        print(f"{PROG}: {args.report}: FAIL: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(f"{PROG}: {args.report}: ok in headless Chromium ({summary}; "
          f"{time.monotonic() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
