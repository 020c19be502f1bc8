"""A small client of the Chrome DevTools Protocol over ``--remote-debugging-pipe`` (no WebSocket library needed).

Headless Chromium reads commands from file descriptor 3 and writes answers and events to descriptor 4, each a JSON
object ended by a NUL byte. :class:`Browser` starts Chromium offline with a throw-away profile, opens one tab and
records, per page opened with :meth:`Browser.open`, every request the page made, its console errors, uncaught
exceptions and the browser's own error log entries (a file that failed to load).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")


class ProtocolError(RuntimeError):
    """Chromium answered a command with an error, closed the pipe, or did not answer in time."""


@dataclass
class PageLog:
    """What one page did while it loaded: the URLs it requested and the errors it reported."""

    url: str
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Browser:
    """Headless Chromium driven over the pipe; use as a context manager."""

    def __init__(self, profile: Path, timeout: float = 60.0) -> None:
        self.timeout = timeout
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        # Chromium expects its pipe ends at descriptors 3 (read) and 4 (write): moved above 10 first, so that
        # placing one never overwrites the other; only these two (and 0-2) are inherited (close_fds=False: Python's
        # own descriptors are not inheritable).
        def place_fds() -> None:
            high_r, high_w = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10), fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        self.proc = subprocess.Popen(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
             "--remote-debugging-pipe", f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=place_fds, close_fds=False,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buf = b""
        self._next = 0
        self.events: list[dict] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """End Chromium (the process this object started) and close the pipes."""
        with contextlib.suppress(ProtocolError):
            self.call("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._to_chrome, self._from_chrome):
            with contextlib.suppress(OSError):
                os.close(fd)

    def _read(self, deadline: float) -> dict:
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0:
                raise ProtocolError("no answer from Chromium in time")
            ready, _, _ = select.select([self._from_chrome], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_chrome, 1 << 20)
            if not chunk:
                raise ProtocolError("Chromium closed the pipe")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def call(self, method: str, params: dict | None = None, *, session: bool = False) -> dict:
        """Send one command (to the tab when ``session``) and return its result; events that arrive meanwhile are kept."""
        self._next += 1
        msg: dict[str, Any] = {"id": self._next, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = self.session
        os.write(self._to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            answer = self._read(deadline)
            if answer.get("id") == self._next:
                if "error" in answer:
                    raise ProtocolError(f"{method}: {answer['error']}")
                return answer.get("result", {})
            self.events.append(answer)

    def wait_for(self, method: str) -> dict:
        """The next event ``method`` of the tab (events already kept count)."""
        deadline = time.monotonic() + self.timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read(deadline))

    def viewport(self, width: int, height: int = 844) -> None:
        """Lay the tab out as a phone's screen ``width`` CSS px wide (mobile: the viewport meta tag applies)."""
        self.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True}, session=True)

    def open(self, url: str) -> PageLog:
        """Load ``url`` in the tab and wait for its load event; return what it requested and reported."""
        self.events = [ev for ev in self.events if ev.get("method") != "Page.loadEventFired"]
        self.call("Page.navigate", {"url": url}, session=True)
        self.wait_for("Page.loadEventFired")  # after the page's scripts ran (the site's run at DOMContentLoaded)
        log = PageLog(url)
        for ev in self.events:
            method, p = ev.get("method"), ev.get("params", {})
            if method == "Network.requestWillBeSent":
                log.requests.append(p["request"]["url"])
            elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                log.errors.append("console: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif method == "Runtime.exceptionThrown":
                log.errors.append("exception: " + json.dumps(p.get("exceptionDetails", {}).get("exception", {}).get("description", p)))
            elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                log.errors.append("log: " + p["entry"].get("text", "") + " " + p["entry"].get("url", ""))
        self.events = []
        return log

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the tab (a promise is awaited); raises on an exception."""
        result = self.call("Runtime.evaluate", {"expression": expression, "awaitPromise": True, "returnByValue": True}, session=True)
        if "exceptionDetails" in result:
            raise ProtocolError(json.dumps(result["exceptionDetails"])[:2000])
        return result["result"].get("value")
