"""Model selection helpers for series, complementing scikit-learn's splitters."""

from ._split import ExpandingWindowSplitter, SlidingWindowSplitter, temporal_train_test_split

__all__ = ["ExpandingWindowSplitter", "SlidingWindowSplitter", "temporal_train_test_split"]
