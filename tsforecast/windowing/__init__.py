"""Windowing: cutting series into supervised-learning windows."""

from ._windows import SlidingWindowTransformer, make_windows, window_starts

__all__ = ["SlidingWindowTransformer", "make_windows", "window_starts"]
