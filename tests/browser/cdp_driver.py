#!/usr/bin/env python3
"""Drives headless Chromium over the DevTools protocol (--remote-debugging-pipe:
NUL-separated JSON on fds 3 and 4) against the HTML leaderboard page, and
prints what it saw as one JSON document. Python 3 standard library only.

The test (tests/it/html_browser.rs) decides what is right; this script only
acts and observes:

  cdp_driver.py CHROMIUM PAGE.html SCREENSHOT.png HOVER_LEGEND HOVER_ROW CELL_SUB CELL_WORKLOAD [HEIGHT]

- dom: the submissions and workloads the page holds (matrix rows and
  columns, leaderboard rows, legend entries, plot lines);
- hover_legend / hover_row: the highlighted state of the pointed-at
  submission's line (class, computed stroke width and opacity) and of
  another line, after a real mouse move over the legend entry / table row;
- click: whether a real click on a cell opened its explanation, and its text;
- screenshot: written to SCREENSHOT.png (the 1280 x 1000 viewport at the
  page top, or the page's top HEIGHT pixels), the first legend entry
  pointed at;
- requests: every URL the page requested (Network.requestWillBeSent);
- exceptions: uncaught script errors;
- scripts_off: the DOM and a cell click again, the page reloaded with
  scripts disabled.
"""

import base64
import fcntl
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time

TIMEOUT = 30.0
# A cold Chromium (first start on a fresh machine: font caches, profile)
# can take far longer than one command; its first answer gets this long,
# and a start that never answers is retried once with a fresh profile.
STARTUP_TIMEOUT = 120.0
STARTUP_ATTEMPTS = 2

# A workload column's name as shown: the header's text without its
# "held-out of …" note.
COLUMN_NAME = (
    "(th => Array.from(th.childNodes).filter(n => n.nodeName !== 'SMALL')"
    ".map(n => n.textContent).join('').trim())"
)


class Browser:
    def __init__(self, chromium, profile, log):
        cmd_r, cmd_w = os.pipe()  # we write, Chromium reads on fd 3
        res_r, res_w = os.pipe()  # Chromium writes on fd 4, we read
        # Out of the way of 3 and 4 before the child dup2()s them there.
        hi_cmd = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 10)
        hi_res = fcntl.fcntl(res_w, fcntl.F_DUPFD, 10)

        def child_fds():
            os.dup2(hi_cmd, 3)
            os.dup2(hi_res, 4)

        args = [
            chromium,
            "--headless=new",
            "--remote-debugging-pipe",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--window-size=1280,1800",
            "--user-data-dir=" + profile,
            "about:blank",
        ]
        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log,
            preexec_fn=child_fds,
            pass_fds=(3, 4),
        )
        for fd in (cmd_r, res_w, hi_cmd, hi_res):
            os.close(fd)
        self.out = os.fdopen(cmd_w, "wb", buffering=0)
        self.inbox = queue.Queue()
        self.events = []
        self.next_id = 0
        threading.Thread(target=self._read, args=(res_r,), daemon=True).start()

    def _read(self, fd):
        buf = b""
        with os.fdopen(fd, "rb", buffering=0) as f:
            while True:
                chunk = f.read(65536)
                if not chunk:
                    self.inbox.put(None)
                    return
                buf += chunk
                while b"\0" in buf:
                    msg, buf = buf.split(b"\0", 1)
                    self.inbox.put(json.loads(msg))

    def _next(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no answer from Chromium")
        try:
            msg = self.inbox.get(timeout=left)
        except queue.Empty:
            raise TimeoutError("no answer from Chromium") from None
        if msg is None:
            raise RuntimeError("Chromium closed the pipe")
        if "id" not in msg:
            self.events.append(msg)
        return msg

    def send(self, method, params=None, session=None, timeout=TIMEOUT):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        self.out.write(json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._next(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})

    def wait_event(self, method, seen=0):
        """The first `method` event after the first `seen` events."""
        for e in self.events[seen:]:
            if e.get("method") == method:
                return e
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = self._next(deadline)
            if m.get("method") == method:
                return m

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self):
        self.proc.kill()
        self.proc.wait()


def tail(path, lines=15):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    return "\n".join(text.splitlines()[-lines:])


def start_browser(chromium, workdir):
    """A Chromium that has answered once. Each attempt gets a fresh
    profile; Chromium's own stderr is kept so a failure can show it."""
    failures = []
    for attempt in range(1, STARTUP_ATTEMPTS + 1):
        profile = os.path.join(workdir, f"profile-{attempt}")
        log_path = os.path.join(workdir, f"chromium-{attempt}.log")
        with open(log_path, "wb") as log:
            b = Browser(chromium, profile, log)
        started = time.monotonic()
        try:
            b.send("Browser.getVersion", timeout=STARTUP_TIMEOUT)
            return b
        except (TimeoutError, RuntimeError) as e:
            b.kill()
            waited = time.monotonic() - started
            failures.append(
                f"attempt {attempt}: {e} after {waited:.0f} s; Chromium's stderr:\n"
                + tail(log_path)
            )
    raise RuntimeError("Chromium did not start:\n" + "\n".join(failures))


class Page:
    def __init__(self, browser):
        self.b = browser
        target = browser.send("Target.createTarget", {"url": "about:blank"})
        attached = browser.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
        )
        self.session = attached["sessionId"]

    def send(self, method, params=None):
        return self.b.send(method, params, self.session)

    def js(self, expression):
        r = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in r:
            raise RuntimeError(f"script failed: {r['exceptionDetails']}: {expression}")
        return r["result"].get("value")

    def mouse(self, kind, x, y, button="none", clicks=0):
        self.send(
            "Input.dispatchMouseEvent",
            {"type": kind, "x": x, "y": y, "button": button, "clickCount": clicks},
        )

    def centre_of(self, selector_js):
        """Scrolls the element into view and returns its centre."""
        return self.js(
            f"""(() => {{ const e = {selector_js};
            if (!e) return null;
            e.scrollIntoView({{block: 'center', inline: 'center'}});
            const r = e.getBoundingClientRect();
            return [r.left + r.width / 2, r.top + r.height / 2]; }})()"""
        )


def line_state(page, sub_js):
    """The pointed-at submission's plot line and another line, as styled."""
    return page.js(
        f"""(() => {{ const i = {sub_js};
        const line = document.getElementById('curve-' + i);
        const other = Array.from(document.querySelectorAll('#profile-svg .curve'))
            .find(c => c.id !== 'curve-' + i);
        const st = e => {{ const s = getComputedStyle(e);
            return {{hl: e.classList.contains('hl'), width: parseFloat(s.strokeWidth),
                     opacity: parseFloat(s.strokeOpacity)}}; }};
        return {{sub: i, line: st(line), other: st(other)}}; }})()"""
    )


def by_name_js(selector, name):
    return (
        f"Array.from(document.querySelectorAll({json.dumps(selector)}))"
        f".find(e => e.textContent.trim() === {json.dumps(name)})"
    )


def observe_dom(page):
    return page.js(
        """(() => {
        const text = sel => Array.from(document.querySelectorAll(sel))
            .map(e => e.textContent.trim());
        return {
          title: document.title,
          matrix_rows: text('table.m tbody th[scope=row]'),
          workloads: Array.from(document.querySelectorAll('table.m thead th'))
              .slice(1).map(""" + COLUMN_NAME + """),
          leaderboard_rows: document.querySelectorAll('table.lb tbody tr').length,
          legend: text('.legend li .name'),
          curves: document.querySelectorAll('#profile-svg .curve').length,
          cells: document.querySelectorAll('table.m td details').length,
          open_cells: document.querySelectorAll('table.m td details[open]').length,
          external: Array.from(document.querySelectorAll('[src],link[href]'))
              .map(e => e.getAttribute('src') || e.getAttribute('href')),
        }; })()"""
    )


def hover(page, element_js, sub_js):
    xy = page.centre_of(element_js)
    if xy is None:
        return {"found": False}
    page.mouse("mouseMoved", 1, 1)
    before = line_state(page, sub_js)
    page.mouse("mouseMoved", xy[0], xy[1])
    after = line_state(page, sub_js)
    return {"found": True, "before": before, "after": after}


def click_cell(page, sub, workload, wait_text=True):
    cell_js = f"""(() => {{
        const cols = Array.from(document.querySelectorAll('table.m thead th'))
            .map({COLUMN_NAME});
        const c = cols.indexOf({json.dumps(workload)});
        const row = Array.from(document.querySelectorAll('table.m tbody tr'))
            .find(tr => tr.querySelector('th').textContent.trim() === {json.dumps(sub)});
        return row && c > 0 ? row.children[c].querySelector('summary') : null; }})()"""
    xy = page.centre_of(cell_js)
    if xy is None:
        return {"found": False}
    was_open = page.js(f"{cell_js}.parentElement.open")
    page.mouse("mouseMoved", xy[0], xy[1])
    page.mouse("mousePressed", xy[0], xy[1], "left", 1)
    page.mouse("mouseReleased", xy[0], xy[1], "left", 1)
    # The page's script fills the explanation in from its packed block
    # (asynchronously); with scripts off it stays empty: no waiting then.
    wait = "true" if wait_text else "false"
    state = page.js(
        f"""(async () => {{ const d = {cell_js}.parentElement;
        const pre = d.querySelector('pre');
        for (let k = 0; {wait} && !pre.innerText && k < 100; k++)
            await new Promise(r => setTimeout(r, 30));
        return {{open: d.open, text: pre.innerText,
                 height: pre.getBoundingClientRect().height}}; }})()"""
    )
    state["found"] = True
    state["was_open"] = was_open
    return state


def scripts_off(page, browser, url, sub, workload):
    """Reloads the page with scripts disabled: the tables are there, a
    click still opens a cell (<details> needs no script), and the note on
    how to get the explanations (they stay packed) shows."""
    page.send("Emulation.setScriptExecutionDisabled", {"value": True})
    seen = len(browser.events)
    page.send("Page.navigate", {"url": url})
    browser.wait_event("Page.loadEventFired", seen)
    state = {"dom": observe_dom(page), "click": click_cell(page, sub, workload, False)}
    state["note"] = page.js(
        "Array.from(document.querySelectorAll('#workloads p'))"
        ".map(p => p.innerText).filter(t => t.includes('scripts off')).join('')"
    )
    state["script_ran"] = page.js("document.getElementById('profile-svg').classList.length > 0")
    page.send("Emulation.setScriptExecutionDisabled", {"value": False})
    return state


def main():
    chromium, page_path, shot, legend_sub, row_sub, cell_sub, cell_wl = sys.argv[1:8]
    height = int(sys.argv[8]) if len(sys.argv) > 8 else None
    url = "file://" + os.path.abspath(page_path)
    with tempfile.TemporaryDirectory(prefix="cdp-profile-") as workdir:
        b = start_browser(chromium, workdir)
        try:
            p = Page(b)
            for domain in ("Network", "Page", "Runtime"):
                p.send(domain + ".enable")
            p.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": 1280, "height": 1000, "deviceScaleFactor": 1, "mobile": False},
            )
            p.send("Page.navigate", {"url": url})
            b.wait_event("Page.loadEventFired")
            out = {"url": url, "dom": observe_dom(p)}
            legend = by_name_js(".legend li .name", legend_sub) + ".parentElement"
            out["hover_legend"] = hover(p, legend, f"{legend}.getAttribute('data-sub')")
            row = by_name_js("table.m tbody th[scope=row]", row_sub) + ".parentElement"
            out["hover_row"] = hover(p, row, f"{row}.getAttribute('data-sub')")
            out["click"] = click_cell(p, cell_sub, cell_wl)
            # The screenshot shows the page top with the legend's first
            # entry pointed at, its explanation closed again.
            p.js("document.querySelectorAll('details[open]').forEach(d => d.open = false)")
            if height:  # a taller picture of the page top (the README's)
                p.send(
                    "Emulation.setDeviceMetricsOverride",
                    {"width": 1280, "height": height, "deviceScaleFactor": 1, "mobile": False},
                )
            p.js("window.scrollTo(0, 0)")
            first = "document.querySelector('.legend li')"
            xy = p.centre_of(first)
            p.js("window.scrollTo(0, 0)")
            xy = p.js(
                f"(() => {{ const r = {first}.getBoundingClientRect();"
                " return [r.left + r.width / 2, r.top + r.height / 2]; })()"
            )
            p.mouse("mouseMoved", xy[0], xy[1])
            png = p.send("Page.captureScreenshot", {"format": "png"})
            with open(shot, "wb") as f:
                f.write(base64.b64decode(png["data"]))
            out["screenshot"] = shot
            out["scripts_off"] = scripts_off(p, b, url, cell_sub, cell_wl)
            events = b.events
            out["requests"] = [
                e["params"]["request"]["url"]
                for e in events
                if e.get("method") == "Network.requestWillBeSent"
            ]
            out["exceptions"] = [
                e["params"]["exceptionDetails"].get("text", "")
                for e in events
                if e.get("method") == "Runtime.exceptionThrown"
            ]
        finally:
            b.close()
    json.dump(out, sys.stdout, indent=1)
    print()


LAYOUT_JS = """(() => {
  const inside = (e) => { const r = e.getBoundingClientRect();
    return r.left >= 0 && r.right <= window.innerWidth + 0.5; };
  const cells = (sel) => Array.from(document.querySelectorAll(sel));
  const rows = cells('table.lb tbody tr');
  return {
    inner_width: window.innerWidth,
    scroll_width: document.scrollingElement.scrollWidth,
    rows: rows.length,
    rank_inside: rows.filter(r => inside(r.cells[0])).length,
    name_inside: rows.filter(r => inside(r.querySelector('th .name'))).length,
    score_inside: rows.filter(r => inside(r.querySelector('td.score'))).length,
    panels: cells('.panels svg').length,
    wide: cells('body *').filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
      && !e.closest('.scroll')).slice(0, 8).map(e => e.tagName + '.' + e.className),
  };
})()"""


def layout():
    """cdp_driver.py --layout CHROMIUM PAGE.html WIDTH HEIGHT SHOT.png:
    the page at WIDTH x HEIGHT (a phone below 600 px): its scroll width
    against the viewport, how many leaderboard rows show their rank, name
    and score inside the viewport, and a screenshot of the page top."""
    chromium, page_path, width, height, shot = sys.argv[2:7]
    width, height = int(width), int(height)
    url = "file://" + os.path.abspath(page_path)
    with tempfile.TemporaryDirectory(prefix="cdp-profile-") as workdir:
        b = start_browser(chromium, workdir)
        try:
            p = Page(b)
            p.send("Page.enable")
            p.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": height, "deviceScaleFactor": 1,
                 "mobile": width < 600},
            )
            p.send("Page.navigate", {"url": url})
            b.wait_event("Page.loadEventFired")
            out = p.js(LAYOUT_JS)
            png = p.send("Page.captureScreenshot", {"format": "png"})
            with open(shot, "wb") as f:
                f.write(base64.b64decode(png["data"]))
        finally:
            b.close()
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--layout":
        layout()
    else:
        main()
