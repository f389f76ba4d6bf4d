"""Rolling-origin splitters."""

import numpy as np
import pytest
from sklearn.model_selection import cross_validate

from tsforecast import NaiveForecaster
from tsforecast.datasets import load_airline
from tsforecast.model_selection import ExpandingWindowSplitter, SlidingWindowSplitter, temporal_train_test_split


def test_expanding_overlapping_folds():
    cv = ExpandingWindowSplitter(horizon=12, n_splits=4, step=3)
    folds = list(cv.split(np.arange(100)))
    assert [te[0] for _, te in folds] == [79, 82, 85, 88]
    assert all(tr[0] == 0 and tr[-1] + 1 == te[0] for tr, te in folds)
    assert folds[-1][1][-1] == 99


def test_gap():
    tr, te = list(ExpandingWindowSplitter(horizon=2, n_splits=1, gap=3).split(np.arange(10)))[0]
    assert tr[-1] == 4 and te.tolist() == [8, 9]


def test_sliding_window_length():
    folds = list(SlidingWindowSplitter(window=20, horizon=5, n_splits=3).split(np.arange(60)))
    assert all(len(tr) == 20 for tr, _ in folds)


def test_too_short_message():
    with pytest.raises(ValueError, match="series has 10 observations; 3 splits with horizon=5"):
        list(ExpandingWindowSplitter(horizon=5, n_splits=3).split(np.arange(10)))


def test_works_as_cv():
    res = cross_validate(NaiveForecaster(), load_airline(), cv=ExpandingWindowSplitter(horizon=6, n_splits=3))
    assert len(res["test_score"]) == 3


def test_temporal_train_test_split():
    y = load_airline()
    train, test = temporal_train_test_split(y, 12)
    assert len(test) == 12 and train.index[-1] < test.index[0]
