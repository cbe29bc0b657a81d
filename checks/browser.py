"""The built book in a real browser: headless Chromium, network off, every page, every chart.

One Chromium process, driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
the browser reads commands from fd 3 and writes replies to fd 4, NUL-separated JSON), visits every
built page from ``file://`` and records, per page:

* every request whose URL is not local (``file:``, ``data:``, ``blob:``, ``about:``): the
  Fetch domain intercepts all requests and fails those, so nothing leaves the machine; the
  browser is also started with a dead proxy and a resolver that resolves nothing;
* every console error, uncaught exception and browser log error;
* every chart container (``CHART_SELECTOR``) and whether it ends up holding a visible ``<svg>``
  or ``<canvas>``;
* optionally the serious and critical violations that axe-core (npm, locked in
  ``tools/browser``) reports for the page;
* optionally a screenshot.

It also runs the site's own search page for given terms and returns the pages it lists, with
the snippet shown under each result.

The reader aids are driven as a reader would drive them (:func:`check_reader_aids`): a provenance
panel is opened from the keyboard on a number, a table and a figure (focus moves into the panel,
Escape closes it and focus returns to its button; axe-core checks the page with the panel open),
and the segment browser is filtered from its menu and from its address.

``python -m checks.browser`` runs it on ``_build/html`` and prints a summary.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

from analysis.data import paths

__all__ = [
    "AXE_JS",
    "CHART_SELECTOR",
    "PANEL_TARGETS",
    "Browser",
    "BrowserError",
    "FilterReport",
    "PageReport",
    "PanelReport",
    "SearchResult",
    "check_reader_aids",
    "check_site",
    "site_pages",
]

#: Elements that hold a chart: the project's OfflineChart container, and any vega-embed target.
CHART_SELECTOR = ".book-chart, .vega-embed"
#: axe-core, installed by ``make setup`` with ``npm ci`` from ``tools/browser/package-lock.json``.
AXE_JS = paths.PROJECT_ROOT / "tools" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
#: axe impacts that fail the check.
AXE_FAILING = ("serious", "critical")
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:", "chrome-error:")
VIEWPORT = (1280, 900)

_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--mute-audio",
    "--proxy-server=http://127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--remote-debugging-pipe",
)

_CHARTS_JS = """(() => {
  const out = [];
  document.querySelectorAll(SELECTOR).forEach((el, i) => {
    if (el.parentElement && el.parentElement.closest(SELECTOR)) return;  // count nested ones once
    const g = [...el.querySelectorAll("svg, canvas")].find(
      (n) => n.getBoundingClientRect().width > 0 && n.getBoundingClientRect().height > 0);
    const marks = g ? g.querySelectorAll("path, rect, circle, text, line, symbol").length : 0;
    out.push({id: el.id || ("#" + i), label: el.getAttribute("aria-label") || "",
              rendered: !!g && (g.tagName.toLowerCase() === "canvas" || marks > 0),
              text: g ? (g.textContent || "").slice(0, 4000) : ""});
  });
  return JSON.stringify(out);
})()""".replace("SELECTOR", json.dumps(CHART_SELECTOR))

_AXE_RUN_JS = """axe.run(document, {resultTypes: ["violations"], preload: false}).then((r) => JSON.stringify(
  r.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
                             targets: v.nodes.slice(0, 5).map((n) => n.target.join(" "))}))))"""

_SEARCH_JS = """(() => {
  const box = document.getElementById("search-results");
  if (!box) return JSON.stringify({done: true, missing: true, links: []});
  const done = !!box.querySelector("p.search-summary") ||
               (Search && Search._pulse_status !== undefined && Search._pulse_status < 0 &&
                box.querySelector("h2") !== null);
  const items = [...box.querySelectorAll("ul.search li")];
  const links = items.map((li) => li.querySelector("a").getAttribute("href"));
  const snippets = items.map((li) => ((li.querySelector("p.context") || {}).textContent || ""));
  return JSON.stringify({done: done, missing: false, links: links, snippets: snippets});
})()"""


class BrowserError(RuntimeError):
    """Chromium could not be started or stopped answering."""


@dataclass
class SearchResult:
    """What the site's search page listed for one term: each result's link and snippet."""

    links: list[str] = field(default_factory=list)
    snippets: list[str] = field(default_factory=list)


@dataclass
class PanelReport:
    """One provenance panel, opened from the keyboard.

    Attributes
    ----------
    target : str
        The CSS selector of the button.
    opened : bool
        Enter on the focused button opened the dialog.
    focus_inside : bool
        Focus moved into the dialog.
    title, text : str
        The panel's heading and its whole text.
    files : int
        Data files listed (each with a SHA-256).
    sources : int
        Quotations listed with their source lines.
    closed_by_escape : bool
        Escape closed it.
    focus_returned : bool
        Focus went back to the button.
    axe : list of str
        Serious or critical axe-core violations with the panel open.
    """

    target: str
    opened: bool = False
    focus_inside: bool = False
    title: str = ""
    text: str = ""
    files: int = 0
    sources: int = 0
    closed_by_escape: bool = False
    focus_returned: bool = False
    axe: list[str] = field(default_factory=list)


@dataclass
class FilterReport:
    """The segment browser filtered by a menu, or opened on an address with filters.

    ``shown`` counts the rows left visible; ``selected`` maps each menu to its chosen value.
    """

    how: str
    shown: int = 0
    total: int = 0
    selected: dict[str, str] = field(default_factory=dict)
    status: str = ""


@dataclass
class PageReport:
    """What one page did in the browser.

    Attributes
    ----------
    page : str
        The page, relative to the site root.
    console_errors : list of str
        Console errors, uncaught exceptions and browser log errors.
    blocked_requests : list of str
        URLs the page asked for that are not local; each was refused.
    local_requests : int
        Requests for local files.
    charts : list of dict
        One entry per chart container: ``id``, ``label`` (its aria-label), ``rendered`` and
        ``text`` (the text drawn in its SVG).
    axe : list of str
        Serious or critical axe-core violations (empty when axe was not run).
    screenshot : Path or None
        Where the screenshot went, if one was taken.
    """

    page: str
    console_errors: list[str] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)
    local_requests: int = 0
    charts: list[dict[str, Any]] = field(default_factory=list)
    axe: list[str] = field(default_factory=list)
    screenshot: Path | None = None

    @property
    def unrendered_charts(self) -> list[str]:
        """Chart containers left without a visible SVG or canvas."""
        return [str(c["id"]) for c in self.charts if not c["rendered"]]


def _is_local(url: str) -> bool:
    return url.startswith(LOCAL_SCHEMES)


class Browser:
    """A headless Chromium on a DevTools pipe, with one page (tab) attached.

    Parameters
    ----------
    chromium : str, optional
        The browser executable; default: ``chromium`` on the PATH.
    timeout : float, default 60
        Seconds to wait for any single reply or event.
    """

    def __init__(self, chromium: str | None = None, timeout: float = 60.0) -> None:
        exe = chromium or shutil.which("chromium")
        if exe is None:
            raise BrowserError("chromium is not installed (make setup installs Debian's chromium)")
        self.timeout = timeout
        self._profile = tempfile.TemporaryDirectory(prefix="book-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire() -> None:  # in the child: its fd 3 reads our commands, fd 4 carries its replies
            high_r, high_w = os.dup(to_browser_r), os.dup(from_browser_w)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self._proc = subprocess.Popen(
            [exe, *_FLAGS, f"--user-data-dir={self._profile.name}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=wire,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        self._replies: dict[int, dict[str, Any]] = {}
        self.session = ""
        self._on_event: Callable[[dict[str, Any]], None] | None = None
        target = self.call("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.call(
            "Target.attachToTarget", {"targetId": target, "flatten": True}, session=False
        )["sessionId"]

    # --- protocol ---------------------------------------------------------------------------

    def _send(self, method: str, params: dict[str, Any] | None = None, session: bool = True) -> int:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _read_one(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from chromium")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise BrowserError("chromium closed the DevTools pipe (did it crash?)")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        return message

    def _pump(self, deadline: float) -> None:
        """Read one message; answer paused requests at once, file events and replies."""
        message = self._read_one(deadline)
        if "id" in message:
            self._replies[int(message["id"])] = message
            return
        if message.get("method") == "Fetch.requestPaused":
            params = message["params"]
            url = str(params["request"]["url"])
            if _is_local(url):
                self._send("Fetch.continueRequest", {"requestId": params["requestId"]})
            else:
                self._send(
                    "Fetch.failRequest", {"requestId": params["requestId"], "errorReason": "BlockedByClient"}
                )
        if self._on_event is not None:
            self._on_event(message)

    def call(self, method: str, params: dict[str, Any] | None = None, session: bool = True) -> dict[str, Any]:
        """Send one command and wait for its reply; raise on a protocol error."""
        msg_id = self._send(method, params, session)
        deadline = time.monotonic() + self.timeout
        while msg_id not in self._replies:
            self._pump(deadline)
        reply = self._replies.pop(msg_id)
        if "error" in reply:
            raise BrowserError(f"{method}: {reply['error']}")
        result: dict[str, Any] = reply.get("result", {})
        return result

    def evaluate(self, expression: str, await_promise: bool = False) -> Any:
        """Evaluate JavaScript in the page and return its value (JSON-serialisable)."""
        result = self.call(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": await_promise},
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"page script failed: {text}")
        return result.get("result", {}).get("value")

    def wait_for(self, predicate: Callable[[], bool], timeout: float, poll: float = 0.1) -> bool:
        """Pump messages until ``predicate()`` holds or ``timeout`` seconds pass."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() >= deadline:
                return False
            try:
                self._pump(min(deadline, time.monotonic() + poll))
            except TimeoutError:
                continue
        return True

    def close(self) -> None:
        """Stop the browser (politely, then firmly) and remove its profile."""
        try:
            self._send("Browser.close", session=False)
            self._proc.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self._proc.kill()
            self._proc.wait(timeout=10)
        finally:
            for fd in (self._to_browser, self._from_browser):
                with contextlib.suppress(OSError):
                    os.close(fd)
            self._profile.cleanup()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- pages -------------------------------------------------------------------------------

    def start(self) -> None:
        """Turn on the domains the checks listen to, intercept every request, fix the viewport."""
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")
        self.call("Fetch.enable", {"patterns": [{"urlPattern": "*"}]})
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": VIEWPORT[0], "height": VIEWPORT[1], "deviceScaleFactor": 1, "mobile": False},
        )

    def visit(self, url: str, report: PageReport, settle: float = 15.0) -> None:
        """Open ``url``, wait for its load event and for its charts, recording into ``report``."""
        loaded: list[bool] = []
        seen: set[str] = set()

        def on_event(message: dict[str, Any]) -> None:
            method = message.get("method", "")
            params = message.get("params", {})
            if message.get("sessionId") != self.session:
                return
            if method == "Page.loadEventFired":
                loaded.append(True)
            elif method == "Network.requestWillBeSent":
                req_url = str(params["request"]["url"])
                if _is_local(req_url):
                    report.local_requests += 1
                elif req_url not in seen:
                    seen.add(req_url)
                    report.blocked_requests.append(req_url)
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
                report.console_errors.append(f"console.{params['type']}: {text}")
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                text = details.get("exception", {}).get("description") or details.get("text", "")
                report.console_errors.append(f"uncaught exception: {text}")
            elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
                entry = params["entry"]
                report.console_errors.append(
                    f"browser log ({entry.get('source')}): {entry.get('text')} {entry.get('url', '')}"
                )

        self._on_event = on_event
        try:
            self.call("Page.navigate", {"url": url})
            if not self.wait_for(lambda: bool(loaded), self.timeout):
                report.console_errors.append("the page did not finish loading")
                return

            def charts_ready() -> bool:
                report.charts = json.loads(self.evaluate(_CHARTS_JS))
                return all(c["rendered"] for c in report.charts)

            self.wait_for(charts_ready, settle, poll=0.25)
            self.wait_for(lambda: False, 0.2)  # collect late console messages
        finally:
            self._on_event = None

    def run_axe(self, axe_js: str) -> list[str]:
        """Serious and critical axe-core violations of the current page, one line each."""
        self.evaluate(axe_js)
        violations = json.loads(self.evaluate(_AXE_RUN_JS, await_promise=True))
        return [
            f"{v['impact']} {v['id']}: {v['help']} (at {'; '.join(v['targets'])})"
            for v in violations
            if v["impact"] in AXE_FAILING
        ]

    def screenshot(self, target: Path) -> Path:
        """A PNG of the whole current page, laid out at the viewport's width."""
        self.evaluate("window.scrollTo(0, 0)")
        size = self.call("Page.getLayoutMetrics")["cssContentSize"]
        height = min(int(size["height"]) + 1, 16_000)
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": VIEWPORT[0], "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        try:
            data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        finally:
            self.call(
                "Emulation.setDeviceMetricsOverride",
                {"width": VIEWPORT[0], "height": VIEWPORT[1], "deviceScaleFactor": 1, "mobile": False},
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(data))
        return target

    def search(self, search_page: Path, term: str, timeout: float = 20.0) -> SearchResult:
        """Run the site's own search for ``term``: result links (relative to the site root), snippets."""
        report = PageReport(search_page.name)
        self.visit(search_page.as_uri() + "?q=" + quote(term), report)
        state: dict[str, Any] = {}

        def finished() -> bool:
            state.update(json.loads(self.evaluate(_SEARCH_JS)))
            return bool(state["done"])

        if not self.wait_for(finished, timeout, poll=0.25):
            raise BrowserError(f"search for {term!r} did not finish")
        # the snippets arrive after the list; give them a moment
        self.wait_for(lambda: all(json.loads(self.evaluate(_SEARCH_JS))["snippets"]), 5.0, poll=0.25)
        state.update(json.loads(self.evaluate(_SEARCH_JS)))
        if report.console_errors:
            raise BrowserError(f"search for {term!r}: {report.console_errors}")
        return SearchResult([str(x) for x in state["links"]], [str(x) for x in state["snippets"]])

    def key(self, key: str, code: str, vk: int, text: str = "") -> None:
        """Press and release one key, as a keyboard would, on the focused element."""
        base = {"key": key, "code": code, "windowsVirtualKeyCode": vk, "nativeVirtualKeyCode": vk}
        down = {"type": "keyDown", "text": text} if text else {"type": "rawKeyDown"}
        self.call("Input.dispatchKeyEvent", base | down)
        self.call("Input.dispatchKeyEvent", base | {"type": "keyUp"})

    def open_panel(self, selector: str, axe_js: str = "") -> PanelReport:
        """Focus the button at ``selector``, press Enter, read the panel, press Escape."""
        report = PanelReport(selector)
        found = self.evaluate(
            f"(() => {{ const b = document.querySelector({json.dumps(selector)}); if (!b) return false;"
            " b.scrollIntoView({block: 'center'}); b.focus(); return document.activeElement === b; })()"
        )
        if not found:
            return report
        is_open = "!!document.querySelector('dialog.prov-dialog[open]')"
        self.key("Enter", "Enter", 13, "\r")
        report.opened = bool(self.wait_for(lambda: bool(self.evaluate(is_open)), 5.0))
        if not report.opened:
            return report
        state = json.loads(
            self.evaluate(
                """(() => { const d = document.querySelector('dialog.prov-dialog[open]');
                return JSON.stringify({inside: d.contains(document.activeElement),
                  title: d.querySelector('#prov-title').textContent, text: d.textContent,
                  files: d.querySelectorAll('.prov-files li .prov-sha').length,
                  sources: d.querySelectorAll('.prov-sources li').length}); })()"""
            )
        )
        report.focus_inside, report.title, report.text = state["inside"], state["title"], state["text"]
        report.files, report.sources = state["files"], state["sources"]
        if axe_js:
            report.axe = self.run_axe(axe_js)
        self.key("Escape", "Escape", 27)
        returned = f"document.activeElement === document.querySelector({json.dumps(selector)})"
        # the dialog closes at once; focus returns in its ``close`` event, a task later
        self.wait_for(lambda: not self.evaluate(is_open) and bool(self.evaluate(returned)), 5.0)
        report.closed_by_escape = not self.evaluate(is_open)
        report.focus_returned = bool(self.evaluate(returned))
        return report

    def segment_filters(self, how: str) -> FilterReport:
        """The segment browser's state: visible rows, each menu's value, the count it states."""
        state = json.loads(
            self.evaluate(
                """(() => {
                  const rows = [...document.querySelectorAll('#tbl-seg-all tbody tr')];
                  const sel = {};
                  document.querySelectorAll('.seg-filters select').forEach((s) => (sel[s.name] = s.value));
                  const status = (document.querySelector('.seg-count') || {}).textContent || '';
                  return JSON.stringify({shown: rows.filter((r) => !r.hidden).length, total: rows.length,
                                         selected: sel, status: status});
                })()"""
            )
        )
        return FilterReport(how, state["shown"], state["total"], state["selected"], state["status"])


def site_pages(html_dir: Path) -> list[Path]:
    """Every built page of the site (the theme's template fragments in ``_static`` excluded)."""
    return sorted(p for p in html_dir.rglob("*.html") if "_static" not in p.relative_to(html_dir).parts)


def check_site(
    html_dir: Path,
    pages: Iterable[Path] | None = None,
    axe: bool = True,
    screenshots: dict[Path, Path] | None = None,
    search_terms: Iterable[str] = (),
    settle: float = 15.0,
) -> tuple[list[PageReport], dict[str, SearchResult]]:
    """Visit ``pages`` (default: every page) in one browser; run the searches.

    Parameters
    ----------
    html_dir : Path
        The site root.
    pages : iterable of Path, optional
        The pages to open; default :func:`site_pages`.
    axe : bool, default True
        Run axe-core on every page.
    screenshots : dict, optional
        Page -> PNG path, for the pages to photograph.
    search_terms : iterable of str
        Terms to type into the site's search page.
    settle : float, default 15
        Seconds a page's charts get to render after its load event.

    Returns
    -------
    tuple
        One :class:`PageReport` per page, and term -> the search's results.
    """
    axe_js = ""
    if axe:
        if not AXE_JS.is_file():
            raise BrowserError(f"{AXE_JS} is missing (make setup runs `npm ci` in tools/browser)")
        axe_js = AXE_JS.read_text(encoding="utf-8")
    shots = screenshots or {}
    reports = []
    found: dict[str, SearchResult] = {}
    with Browser() as browser:
        browser.start()
        for page in pages if pages is not None else site_pages(html_dir):
            report = PageReport(page.relative_to(html_dir).as_posix())
            browser.visit(page.as_uri(), report, settle=settle)
            if page in shots:
                report.screenshot = browser.screenshot(shots[page])
            if axe:
                report.axe = browser.run_axe(axe_js)
            reports.append(report)
        for term in search_terms:
            found[term] = browser.search(html_dir / "search.html", term)
    return reports, found


#: The provenance buttons to open: a number, a table and a figure, each the first one a reader
#: sees (a table behind a closed dropdown has no button to focus).
PANEL_TARGETS: dict[str, str] = {
    "number": "button.prov-value:not(details button)",
    "table": "table:not(details table) button.prov-open",
    "figure": "figure:not(details figure) button.prov-open",
}


def check_reader_aids(
    html_dir: Path,
    panel_page: Path,
    segment_page: Path,
    filters: dict[str, str],
    quotes: tuple[Path, str] | None = None,
    axe: bool = True,
) -> tuple[dict[str, PanelReport], list[FilterReport], PageReport]:
    """Open a provenance panel on each of :data:`PANEL_TARGETS`, then filter the segment browser.

    Parameters
    ----------
    html_dir : Path
        The site root.
    panel_page : Path
        A page with a glued number, table and figure.
    segment_page : Path
        The segment browser.
    filters : dict
        An address's filters to open the browser with (``{"code": "CAP.AGL"}``); the browser is
        also filtered by choosing the second entry of its case menu.
    quotes : tuple, optional
        A page and the selector of a button on a table of quotations; its panel is reported as
        ``"quotes"``.
    axe : bool, default True
        Run axe-core with each panel open.

    Returns
    -------
    tuple
        Panel reports by target, the two filter reports (menu, address), and the report of the
        visits (console errors, blocked requests).
    """
    axe_js = AXE_JS.read_text(encoding="utf-8") if axe else ""
    visits = PageReport(panel_page.relative_to(html_dir).as_posix())
    panels: dict[str, PanelReport] = {}
    filtered: list[FilterReport] = []
    with Browser() as browser:
        browser.start()
        browser.visit(panel_page.as_uri(), visits)
        for name, selector in PANEL_TARGETS.items():
            panels[name] = browser.open_panel(selector, axe_js)
        if quotes is not None:
            browser.visit(quotes[0].as_uri(), visits)
            panels["quotes"] = browser.open_panel(quotes[1], axe_js)
        browser.visit(segment_page.as_uri(), visits)
        browser.evaluate(
            "(() => { const s = document.querySelector('#seg-filter-case'); s.selectedIndex = 2;"
            " s.dispatchEvent(new Event('change')); })()"
        )
        filtered.append(browser.segment_filters("menu"))
        browser.visit(
            segment_page.as_uri() + "?" + "&".join(f"{k}={quote(v)}" for k, v in filters.items()), visits
        )
        filtered.append(browser.segment_filters("address"))
    return panels, filtered, visits


def main() -> int:
    """Check ``_build/html`` and print a summary; exit 1 on any problem."""
    reports, _ = check_site(paths.HTML_DIR)
    problems = 0
    for r in reports:
        for line in (
            r.console_errors
            + [f"request left the machine: {u}" for u in r.blocked_requests]
            + [f"chart not rendered: {c}" for c in r.unrendered_charts]
            + r.axe
        ):
            print(f"{r.page}: {line}")
            problems += 1
    charts = sum(len(r.charts) for r in reports)
    rendered = sum(len(r.charts) - len(r.unrendered_charts) for r in reports)
    blocked = sum(len(r.blocked_requests) for r in reports)
    print(f"{len(reports)} pages, {rendered}/{charts} charts rendered, {blocked} requests blocked")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
