"""One more client beside a load: it asks for pages in turn, one at a time, each on a new
connection as a newcomer's is, and keeps what came back. A load generator times its own
requests, and on a machine whose cores it shares with the server its timings grow with its own
work (bench/README.md, "Capacity"); this client's do not. Used by the capacity spike
(bench/capacity.py) and the fault scenarios (faults/run.py)."""

from __future__ import annotations

import itertools
import threading
import time
from typing import Any


class Probe(threading.Thread):
    """Asks for `paths` in turn, `every` seconds apart, and keeps for each answer: when, the
    status, how long it took, and whether an error page said to try again (and showed no stack
    trace)."""

    def __init__(self, base: str, paths: list[str], every: float) -> None:
        super().__init__(daemon=True)
        self.base, self.paths, self.every = base, paths, every
        self.seen: list[dict[str, Any]] = []
        self.started = time.monotonic()
        self._halt = threading.Event()

    def run(self) -> None:
        import requests

        for path in itertools.cycle(self.paths):
            if self._halt.is_set():
                return
            began = time.monotonic()
            try:
                got = requests.get(self.base + path, timeout=10)
                status, text, retry = got.status_code, got.text, got.headers.get("Retry-After")
            except requests.RequestException as exc:
                status, text, retry = 0, type(exc).__name__, None
            self.seen.append(
                {
                    "t": round(began - self.started, 2),
                    "path": path,
                    "status": status,
                    "ms": round(1000 * (time.monotonic() - began), 1),
                    "try_again": "Coba lagi sebentar lagi" in text,
                    "retry_after": retry,
                    "trace": "Traceback" in text or "Error at /" in text,
                }
            )
            self._halt.wait(self.every)

    def finish(self) -> list[dict[str, Any]]:
        self._halt.set()
        self.join(timeout=15)
        return self.seen


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0
