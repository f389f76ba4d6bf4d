"""The forecaster contract, exercised through the simplest forecasters."""

import pickle
import re

import numpy as np
import pandas as pd
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate

from tsforecast import BaseForecaster, NaiveForecaster, SeasonalNaiveForecaster
from tsforecast.datasets import load_airline
from tsforecast.forecasting import check_fh
from tsforecast.metrics import make_forecast_scorer, mase


@pytest.fixture
def y():
    return load_airline()


def test_predict_forms(y):
    f = SeasonalNaiveForecaster(seasonal_periods=12, horizon=3).fit(y)
    assert f.fit(y) is f
    p12 = f.predict(12)
    assert isinstance(p12, pd.Series) and p12.name == "passengers"
    assert p12.index[0] == pd.Period("1961-01", "M") and p12.index[-1] == pd.Period("1961-12", "M")
    np.testing.assert_array_equal(p12.to_numpy(), y.iloc[-12:].to_numpy())
    sel = f.predict([1, 3, 12])
    assert list(sel.index.astype(str)) == ["1961-01", "1961-03", "1961-12"]
    np.testing.assert_array_equal(sel.to_numpy(), p12.iloc[[0, 2, 11]].to_numpy())
    assert len(f.predict()) == 3  # the horizon parameter


def test_unordered_steps_keep_order(y):
    f = SeasonalNaiveForecaster(seasonal_periods=12).fit(y)
    p = f.predict([12, 1])
    assert list(p.index.astype(str)) == ["1961-12", "1961-01"]


def test_array_in_array_out(y):
    p = NaiveForecaster().fit(y.to_numpy()).predict(2)
    assert isinstance(p, np.ndarray) and p.tolist() == [432.0, 432.0]


def test_datetime_index_continues_frequency():
    idx = pd.date_range("2024-01-01", periods=10, freq="D")
    y = pd.Series(np.arange(10.0), index=idx, name="sales")
    p = NaiveForecaster().fit(y).predict(3)
    assert list(p.index) == list(pd.date_range("2024-01-11", periods=3, freq="D"))
    assert p.index.freq == "D"


def test_datetime_index_without_freq_is_inferred():
    idx = pd.DatetimeIndex(["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"])
    y = pd.Series([1.0, 2, 3, 4], index=idx)
    p = NaiveForecaster().fit(y).predict(2)
    assert list(p.index) == [pd.Timestamp("2024-05-31"), pd.Timestamp("2024-06-30")]


def test_timezone_aware_index():
    idx = pd.date_range("2024-01-01", periods=5, freq="h", tz="Europe/Paris")
    p = NaiveForecaster().fit(pd.Series(np.arange(5.0), index=idx)).predict(2)
    assert p.index.tz is not None and p.index[0] == idx[-1] + pd.Timedelta("1h")


def test_interval_frame(y):
    iv = NaiveForecaster().fit(y).predict_interval(3, coverage=0.8)
    assert list(iv.columns) == ["lower", "upper"]
    assert (iv["lower"] < iv["upper"]).all()
    assert iv.index.equals(NaiveForecaster().fit(y).predict(3).index)


def test_interval_array_input_indexed_by_step(y):
    iv = NaiveForecaster().fit(y.to_numpy()).predict_interval([2, 5])
    assert list(iv.index) == [2, 5]


@pytest.mark.parametrize("coverage", [0, 1, 1.5, "0.9", True])
def test_bad_coverage(y, coverage):
    f = NaiveForecaster().fit(y)
    with pytest.raises(ValueError, match="coverage must be a probability"):
        f.predict_interval(3, coverage=coverage)


def test_score_is_negative_mase(y):
    train, test = y.iloc[:-12], y.iloc[-12:]
    f = NaiveForecaster().fit(train)
    expected = mase(test, np.full(12, train.iloc[-1]), y_train=train)
    assert f.score(test) == pytest.approx(-expected)


def test_score_uses_index_for_gap(y):
    # a fold starting 3 steps after the end of training is scored on steps 4..15
    train, test = y.iloc[:-15], y.iloc[-12:]
    f = SeasonalNaiveForecaster(seasonal_periods=12).fit(train)
    steps_pred = f.predict(np.arange(4, 16))
    expected = mase(test, steps_pred, y_train=train)
    assert f.score(test) == pytest.approx(-expected)


def test_gridsearch_and_cross_validate_on_a_series(y):
    cv = TimeSeriesSplit(n_splits=3, test_size=12)
    gs = GridSearchCV(SeasonalNaiveForecaster(), {"seasonal_periods": [1, 12]}, cv=cv).fit(y)
    assert gs.best_params_ == {"seasonal_periods": 12}
    # refit=True: best_estimator_ forecasts the real future
    assert str(gs.best_estimator_.predict(1).index[0]) == "1961-01"
    res = cross_validate(NaiveForecaster(), y, cv=cv, scoring=make_forecast_scorer("smape"))
    assert res["test_score"].shape == (3,) and (res["test_score"] < 0).all()


def test_gridsearch_with_gap_scores_right_steps(y):
    cv = TimeSeriesSplit(n_splits=2, test_size=12, gap=6)
    gs = GridSearchCV(SeasonalNaiveForecaster(), {"seasonal_periods": [1, 12]}, cv=cv).fit(y)
    # manual: score of seasonal naive on the last fold with the gap
    train, test = y.iloc[: 144 - 18], y.iloc[-12:]
    f = SeasonalNaiveForecaster(seasonal_periods=12).fit(train)
    expected = -mase(test, f.predict(np.arange(7, 19)), y_train=train)
    assert gs.cv_results_["split1_test_score"][1] == pytest.approx(expected)


def test_multi_series_local_models(y):
    df = pd.DataFrame({"a": y, "b": 2 * y})
    f = NaiveForecaster(n_jobs=2).fit(df)
    p = f.predict(3)
    assert isinstance(p, pd.DataFrame) and list(p.columns) == ["a", "b"]
    assert (p["b"] == 2 * p["a"]).all()
    iv = f.predict_interval(2)
    assert iv.columns.tolist() == [("a", "lower"), ("a", "upper"), ("b", "lower"), ("b", "upper")]
    future = pd.DataFrame({"a": [432.0] * 3, "b": [864.0] * 3}, index=p.index)
    assert f.score(future) == 0.0  # naive forecasts are exact here
    with pytest.raises(ValueError, match="not after the end of training"):
        f.score(df.iloc[-3:])


def test_multi_series_leading_nan_means_not_started(y):
    b = y.copy()
    b.iloc[:30] = np.nan
    f = NaiveForecaster().fit(pd.DataFrame({"a": y, "b": b}))
    assert f.forecasters_["b"].n_obs_ == 114


def test_multi_series_inner_nan_names_series(y):
    b = y.copy()
    b.iloc[50] = np.nan
    with pytest.raises(ValueError, match="series 'b': y contains 1 missing value"):
        NaiveForecaster().fit(pd.DataFrame({"a": y, "b": b}))


def test_dict_of_series_of_different_lengths(y):
    f = NaiveForecaster().fit({"long": y, "short": y.iloc[100:]})
    assert f.predict(1).shape == (1, 2)


def test_predict_before_fit():
    with pytest.raises(NotFittedError):
        NaiveForecaster().predict(3)


@pytest.mark.parametrize(
    "fh, exc, msg",
    [
        (0, ValueError, "horizon must be a positive number of steps; got 0"),
        (-2, ValueError, "horizon must be a positive number of steps; got -2"),
        ([0, 1], ValueError, "horizon steps are 1-based and must be >= 1"),
        (1.5, TypeError, "horizon must be an integer number of steps"),
        ([], ValueError, "non-empty"),
        (["a"], TypeError, "horizon steps must be integers"),
    ],
)
def test_bad_horizon(fh, exc, msg):
    with pytest.raises(exc, match=re.escape(msg)):
        check_fh(fh)


def test_exog_rejected_when_unsupported(y):
    with pytest.raises(ValueError, match="does not use exogenous regressors"):
        NaiveForecaster().fit(y, X=np.ones((144, 1)))


def test_pickle_round_trip(y):
    f = SeasonalNaiveForecaster(seasonal_periods=12).fit(y)
    g = pickle.loads(pickle.dumps(f))
    pd.testing.assert_series_equal(f.predict(12), g.predict(12))


def test_param_validation():
    with pytest.raises(ValueError, match="seasonal_periods"):
        SeasonalNaiveForecaster(seasonal_periods=0).fit([1.0, 2.0])


# ------------------------------------------------------------------ panel hooks
class _GlobalMean(BaseForecaster):
    """A 'global' model: one mean over all series, through the panel hooks only."""

    def __init__(self, horizon=1):
        self.horizon = horizon

    def _fit(self, y, X):
        self.mean_ = float(np.mean(y))
        return self

    def _predict(self, steps, X):
        return np.full(len(steps), self.mean_)

    def _fit_panel(self, series, X):
        self._ys = {k: np.asarray(s, dtype=float) for k, s in series.items()}
        self.mean_ = float(np.mean(np.concatenate(list(self._ys.values()))))
        self.n_obs_ = {k: v.size for k, v in self._ys.items()}
        self.cutoff_ = len(next(iter(self._ys.values()))) - 1
        self.calls_ = []
        return self

    def _predict_panel(self, steps, X):
        self.calls_.append(("predict", steps.tolist()))
        return pd.DataFrame({k: np.full(len(steps), self.mean_) for k in self._ys})

    def _predict_interval_panel(self, steps, coverage, X):
        self.calls_.append(("interval", steps.tolist(), coverage))
        cols = {(k, b): np.full(len(steps), self.mean_ + d) for k in self._ys for b, d in (("lower", -1), ("upper", 1))}
        return pd.DataFrame(cols)

    def _score_panel(self, series, X):
        self.calls_.append(("score", sorted(series)))
        truths = [np.asarray(s, dtype=float) for s in series.values()]
        return truths, [np.full(t.size, self.mean_) for t in truths], [self._ys[k] for k in series]


def test_panel_hooks_are_called_after_the_public_checks():
    panel = {"a": pd.Series([1.0, 2.0, 3.0]), "b": pd.Series([5.0, 6.0, 7.0])}
    f = _GlobalMean(horizon=2).fit(panel)
    assert f.predict().shape == (2, 2)
    iv = f.predict_interval([2, 1], coverage=0.8)
    assert list(iv.columns) == [("a", "lower"), ("a", "upper"), ("b", "lower"), ("b", "upper")]
    score = f.score({"a": pd.Series([4.0], index=[3]), "b": pd.Series([8.0], index=[3])})
    assert score == -float(np.mean([mase([4.0], [4.0], y_train=[1, 2, 3]), mase([8.0], [4.0], y_train=[5, 6, 7])]))
    assert f.calls_ == [("predict", [1, 2]), ("interval", [2, 1], 0.8), ("score", ["a", "b"])]
    # the checks of the public methods come first, with their usual messages; no hook is called
    with pytest.raises(ValueError, match="coverage must be a probability"):
        f.predict_interval(2, coverage=1.5)
    with pytest.raises(ValueError, match=re.escape("y has series ['c'] that the model was not fitted on.")):
        f.score({"c": pd.Series([1.0], index=[3])})
    with pytest.raises(ValueError, match="horizon steps are 1-based"):
        f.predict_interval([0])
    assert len(f.calls_) == 3


def test_default_panel_hooks_use_one_clone_per_series(y):
    panel = {"a": y.iloc[:60], "b": y.iloc[:60] * 2 + 1}
    f = NaiveForecaster().fit(panel)
    iv = f.predict_interval(2, coverage=0.8)
    for k, s in panel.items():
        alone = NaiveForecaster().fit(s)
        pd.testing.assert_frame_equal(iv[k], alone.predict_interval(2, coverage=0.8))
    truth = {"a": y.iloc[60:62], "b": y.iloc[60:62] * 2}
    expected = np.mean([-NaiveForecaster().fit(panel[k]).score(truth[k]) for k in panel])
    assert f.score(truth) == pytest.approx(-expected)
