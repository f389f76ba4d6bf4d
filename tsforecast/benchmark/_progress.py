"""The benchmark's one-line text progress bar on stderr."""

from __future__ import annotations

import sys
import threading
import time

__all__ = ["Progress"]


class Progress:
    """A one-line text progress bar (redrawn in place on a terminal, one line per 10% otherwise).

    Parameters
    ----------
    total : int
        Cells of the run.
    done : int
        Cells already done (resumed).
    enabled : bool
        Draw anything at all.
    stream : file, optional
        Where to draw (default ``sys.stderr``).
    width : int
        Characters of the bar.
    tick : float, optional
        Seconds between redraws while no cell finishes, so that a long cell
        (an LSTM fit) shows its running time: on a terminal the bar is
        redrawn every ``tick`` seconds once the wait passes ``tick``;
        otherwise a line is written every ``60 * tick`` seconds of waiting.
        ``None``: redraw only when a cell finishes.
    """

    def __init__(self, total, done=0, enabled=True, stream=None, width=30, tick=None):
        self.total, self.done, self.failed = total, done, 0
        self.enabled = enabled and total > 0
        self.stream = stream if stream is not None else sys.stderr
        self.width = width
        self.start = self._last_cell = time.monotonic()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._last_decile = -1
        self._width_drawn = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker = None
        if self.enabled:
            self._draw()
            if tick is not None and self.done < self.total:
                self._ticker = threading.Thread(target=self._tick, args=(float(tick),), daemon=True,
                                                name="tsforecast-benchmark-progress")
                self._ticker.start()

    def update(self, failed=False):
        """Count one finished cell (``failed`` when its status is not ok)."""
        with self._lock:
            self.done += 1
            self.failed += bool(failed)
            self._last_cell = time.monotonic()
            if self.enabled:
                self._draw()

    def _tick(self, tick):
        every = tick if self.tty else 60 * tick
        while not self._stop.wait(every):
            with self._lock:
                if time.monotonic() - self._last_cell >= every:
                    self._draw(waiting=True)

    def _draw(self, final=False, waiting=False):
        frac = self.done / self.total if self.total else 1.0
        decile = int(frac * 10)
        if not self.tty and not final and not waiting and decile == self._last_decile:
            return
        self._last_decile = decile
        filled = int(round(frac * self.width))
        now = time.monotonic()
        text = (f"benchmark [{'#' * filled}{'.' * (self.width - filled)}] {self.done}/{self.total} cells "
                f"{100 * frac:3.0f}%  {self.failed} failed  {now - self.start:6.1f}s")
        if waiting:
            text += f"  (no cell finished for {now - self._last_cell:.0f}s)"
        if self.tty:
            pad = max(self._width_drawn - len(text), 0)  # blank out what a longer line left
            self._width_drawn = len(text)
            self.stream.write("\r" + text + " " * pad)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()

    def close(self):
        """Stop the redraws and end the line."""
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self.enabled:
            if self.tty:
                self.stream.write("\n")
            elif self.done == self.total and self._last_decile != 10:
                self._draw(final=True)
            self.stream.flush()
