"""The data-driven ("auto") defaults of LSTMForecaster and LSTMClassifier: which settings a given season, horizon and data give."""

import numpy as np
import pandas as pd
import pytest

from tsforecast import LSTMClassifier, LSTMForecaster
from tsforecast.neural._auto import MIN_WINDOWS, SMALL_DATA_WINDOWS, classifier_settings, forecaster_settings

AUTO = dict(window="auto", patch="auto", strategy="auto", units="auto", epochs="auto", n_estimators="auto")


def settings(m, horizon, lengths, **params):
    return forecaster_settings(**{**AUTO, **params}, m=m, horizon=horizon, lengths=lengths)


def test_one_monthly_series_is_small_data():
    s = settings(12, 18, [144])
    # two seasons or two horizons (36 >= 24), one season per LSTM step
    assert (s.window, s.patch) == (36, 12)
    assert s.small_data and (s.strategy, s.units, s.epochs, s.n_estimators) == ("recursive", 32, 50, 3)


def test_non_seasonal_and_quarterly_windows():
    assert (settings(1, 6, [100]).window, settings(1, 6, [100]).patch) == (12, 1)
    assert (settings(1, 2, [100]).window, settings(1, 2, [100]).patch) == (8, 1)  # at least 8 values
    s = settings(4, 8, [200])
    assert (s.window, s.patch) == (16, 4)


def test_large_panel_gets_the_multioutput_network():
    n = 200
    s = settings(24, 48, [912] * n)
    assert not s.small_data
    assert (s.window, s.patch) == (168, 24)  # a week: the largest multiple of 24 within 20% of 912
    assert settings(52, 13, [921] * 400).window == 156  # 3 years of weeks (M4 Weekly)
    assert settings(24, 48, [200] * 2000).window == 96  # short series: max(2m, 2h, 8) is longer
    assert (s.strategy, s.units, s.epochs, s.n_estimators) == ("multioutput", (64, 64), 20, 3)
    assert settings(24, 48, [912] * 2000).n_estimators == 1  # over a million windows: one network


def test_small_data_threshold_counts_the_windows_of_all_series():
    # each series of length 36 + 18 + k - 1 gives k windows of 36 values followed by 18
    per_series = 100
    length = 36 + 18 + per_series - 1
    below = SMALL_DATA_WINDOWS // per_series - 1
    assert settings(12, 18, [length] * below).small_data
    assert not settings(12, 18, [length] * (below + 2)).small_data


def test_short_data_shortens_the_window():
    s = settings(12, 6, [30])  # 24 would leave 6 < MIN_WINDOWS windows; one season leaves 18
    assert (s.window, s.patch) == (12, 12)
    s = settings(12, 6, [12])  # not even one season: one value per step
    assert s.patch == 1 and 12 - s.window >= MIN_WINDOWS
    assert settings(12, 6, [30, 300]).window == 24  # the longest series decides


def test_explicit_values_win():
    s = settings(12, 18, [144], window=30, strategy="multioutput", units=(8, 8), epochs=3, n_estimators=2)
    assert (s.window, s.patch, s.strategy, s.units, s.epochs, s.n_estimators) == (30, 1, "multioutput", (8, 8), 3, 2)
    assert settings(12, 18, [144], window=48).patch == 12  # a multiple of the season keeps patching
    assert settings(12, 18, [144], patch=6).window == 36


def test_a_season_no_series_shows_does_not_lengthen_the_window():
    # weekly (m=52, h=13): the season would ask for 104 values; without one, 2h = 26 in steps of one value
    assert (settings(52, 13, [300]).window, settings(52, 13, [300]).patch) == (104, 52)
    s = settings(52, 13, [300], seasonal=False)
    assert (s.window, s.patch, s.windows) == (26, 1, (26, 26, 26))
    assert settings(52, 13, [300], seasonal=False, window_scales=(1, 2 / 3, 4 / 3)).windows == (26, 17, 35)
    # h >= m, with enough windows: nothing changes (M3 monthly and quarterly, the bundled series)
    for m, h, n in [(12, 18, 200), (4, 8, 80), (12, 12, 144), (24, 48, 700)]:
        assert settings(m, h, [n], seasonal=False) == settings(m, h, [n])
    # a window of less than two seasons is not patched by the season
    assert (settings(12, 6, [100], seasonal=False).window, settings(12, 6, [100], seasonal=False).patch) == (12, 1)
    assert settings(52, 13, [300], seasonal=False, window=104).patch == 52  # explicit values win
    # large data keep their long patched window (M4 Weekly's 3 years of weeks)
    assert settings(52, 13, [921] * 400, seasonal=False) == settings(52, 13, [921] * 400)


def test_few_windows_without_a_season_read_the_last_h_values():
    # weekly, h=13, no season: 26 values leave a series of 77 with 51 training windows, fewer than 2 per value
    assert (settings(52, 13, [77], seasonal=False).window, settings(52, 13, [77], seasonal=False).patch) == (13, 1)
    assert settings(52, 13, [78], seasonal=False).window == 26  # 52 windows: enough
    assert settings(52, 13, [77], seasonal=False, window_scales=(1, 2 / 3, 4 / 3)).windows == (13, 9, 17)
    # the validation hold-out's windows do not count: at 26 values a series of 90 keeps 46 of its 64 windows
    assert settings(52, 13, [90], seasonal=False).window == 26
    assert settings(52, 13, [90], seasonal=False, validation_fraction=0.1).window == 13
    assert settings(52, 13, [120], seasonal=False, validation_fraction=0.1).window == 26  # 73 windows
    # any season length, m = 1 included: yearly (h=6) 12 -> 8; monthly (h=18) 36 -> 18, one value per step
    assert settings(1, 6, [30], seasonal=False).window == 8 and settings(1, 6, [100], seasonal=False).window == 12
    assert (settings(12, 18, [100], seasonal=False).window, settings(12, 18, [100], seasonal=False).patch) == (18, 1)
    # a seasonal series and an explicit window are not touched; the longest series of a panel decides
    assert settings(12, 18, [100]).window == 36 and settings(52, 13, [77], seasonal=False, window=26).window == 26
    assert settings(52, 13, [77, 300], seasonal=False).window == 26


def _weekly(n, season, seed=0):
    """A random walk (``season=0``) or a yearly cycle of amplitude ``season`` with a little noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    values = 100 + (season * np.sin(2 * np.pi * t / 52) + rng.normal(0, 1, n) if season else np.cumsum(rng.normal(0, 1, n)))
    return pd.Series(values, index=pd.date_range("2001-01-07", periods=n, freq="W"))


def test_weekly_default_window_follows_the_seasonal_test():
    quick = dict(horizon=13, units=4, epochs=1, n_estimators=1, normalize="window", refit=False, random_state=0)
    plain = LSTMForecaster(**quick).fit(_weekly(200, season=0.0))
    assert plain.seasonal_periods_ == 52 and plain.seasonal_ is False
    assert (plain.window_, plain.patch_) == (26, 1)
    short = LSTMForecaster(**quick).fit(_weekly(67, season=0.0))  # 26 values would leave 26 training windows
    assert short.seasonal_ is False and (short.window_, short.patch_) == (13, 1)
    seasonal = LSTMForecaster(**quick).fit(_weekly(200, season=30.0))
    assert seasonal.seasonal_ is True and (seasonal.window_, seasonal.patch_) == (104, 52)
    raw = LSTMForecaster(**quick, deseasonalize=None).fit(_weekly(200, season=0.0))
    assert (raw.window_, raw.patch_) == (104, 52)  # not adjusted: the network must see the seasons itself


def _monthly(n):
    t = np.arange(n)
    return pd.Series(100 + 0.2 * t + 30 * np.sin(2 * np.pi * t / 12), index=pd.date_range("2000-01", periods=n, freq="MS"))


def test_default_fit_reports_its_settings_and_forecasts_any_horizon():
    y = _monthly(72)
    f = LSTMForecaster(horizon=6, epochs=2, batch_size=64, n_estimators=2, random_state=0).fit(y)
    assert (f.seasonal_periods_, f.window_, f.patch_, f.strategy_, f.units_) == (12, 24, 12, "recursive", 32)
    assert f.epochs_ == 2 and f.seasonal_ is True
    # one series on small data: one fit per window centring (2 networks each), averaged
    assert f.normalize_ == ("window", "last") and f.n_estimators_ == 4
    assert [(e.normalize_, e.n_estimators_) for e in f.estimators_] == [("window", 2), ("last", 2)]
    assert f.predict(fh=np.arange(1, 25)).shape == (24,)  # beyond the horizon: recursive
    assert np.all(np.isfinite(f.predict()))


def test_default_fit_of_a_panel_with_a_short_series():
    panel = {"long": _monthly(60), "short": _monthly(60).iloc[-20:]}  # both end in the same month
    f = LSTMForecaster(horizon=3, epochs=2, batch_size=64, n_estimators=1, random_state=0).fit(panel)
    assert f.short_series_ == ["short"]
    pred = f.predict()
    assert pred.shape == (3, 2) and np.isfinite(pred.to_numpy()).all()


def test_auto_is_rejected_where_not_offered():
    with pytest.raises(ValueError, match="horizon"):
        LSTMForecaster(horizon="auto").fit(_monthly(60))


# ------------------------------------------------------------------ LSTMClassifier's "auto" rule
def _clf_settings(n, T, numeric_fixed=True, **given):
    params = dict(patch="auto", epochs="auto", batch_size="auto", learning_rate="auto",
                  validation_fraction="auto", patience="auto", n_estimators="auto")
    params.update(given)
    return classifier_settings(**params, n_samples=n, n_timesteps=T, numeric_fixed=numeric_fixed)


def test_classifier_rule_small_and_large_training_sets():
    small = _clf_settings(50, 150)  # GunPoint's shape: about 30 steps of 5 values, the small-data recipe
    assert small == dict(epochs=300, batch_size=16, learning_rate=3e-3, validation_fraction=0.0, patience=50,
                         n_estimators=3, patch=5)
    large = _clf_settings(5000, 24)
    assert (large["epochs"], large["n_estimators"], large["validation_fraction"], large["patch"]) == (50, 1, 0.1, 1)
    tokens = _clf_settings(50, 300, numeric_fixed=False)  # token ids / variable lengths: no patching, large recipe
    assert (tokens["patch"], tokens["epochs"], tokens["n_estimators"]) == (1, 50, 1)


def test_classifier_rule_explicit_values_win():
    s = _clf_settings(50, 150, patch=2, epochs=7, n_estimators=1, learning_rate=0.01)
    assert (s["patch"], s["epochs"], s["n_estimators"], s["learning_rate"]) == (2, 7, 1, 0.01)
    assert s["batch_size"] == 16  # the rest still from the rule


def test_classifier_reports_its_settings_and_pads_patches_with_the_first_step():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(12, 31, 2))
    y = np.array([0, 1] * 6)
    clf = LSTMClassifier(units=4, epochs=1, n_estimators=1, random_state=0).fit(X, y)
    assert (clf.patch_, clf.epochs_, clf.n_estimators_) == (1, 1, 1)  # round(31 / 30) = 1
    clf = LSTMClassifier(units=4, patch=4, epochs=1, n_estimators=1, random_state=0).fit(X, y)
    assert clf.patch_ == 4 and clf.predict_proba(X).shape == (12, 2)
    from tsforecast.neural._checks import check_sequences

    x = clf._network_input(check_sequences(clf, X[:2], reset=False))
    assert x.shape == (2, 8, 8)  # 31 steps + 1 repeated first step = 8 patches of 4 steps x 2 channels
    first = x[:, 0].reshape(2, 4, 2)
    np.testing.assert_allclose(first[:, 0], first[:, 1])  # the padding repeats the first (scaled) step
    assert not np.allclose(first[:, 0], 0)  # ... rather than zeros


def test_auto_window_leaves_training_windows_beside_the_validation_windows():
    # 54 monthly values, h=18: a 36-value window gives 18 one-step windows, but holding out the
    # validation window (and the 17 windows whose targets overlap it) would leave none
    assert settings(12, 18, [54]).window == 36
    assert settings(12, 18, [54], validation_fraction=0.1).window == 24


def test_default_fit_of_a_short_series_with_a_long_horizon():
    y = _monthly(54)
    f = LSTMForecaster(horizon=18, epochs=2, batch_size=64, n_estimators=1, random_state=0).fit(y)  # was an error
    assert f.window_ == 24 and f.calibration_residuals_ is not None
    lo, hi = f.predict_interval(coverage=0.9).T.to_numpy()
    assert np.all(lo <= hi) and lo.shape == (18,)


def test_held_out_windows_never_take_every_training_window():
    from tsforecast.neural._conformal import held_out_windows

    keep, held = held_out_windows(np.arange(18), 54, 36, 18, 1, 0.1)  # one full-horizon window, 18 one-step
    assert keep is None and held.size == 0
    keep, held = held_out_windows(np.arange(30), 54, 24, 18, 1, 0.1)
    assert held.tolist() == [11, 12] and keep.sum() == 11


def test_explicit_multioutput_shortens_the_auto_window_for_its_longer_windows():
    s = settings(12, 18, [36], strategy="multioutput")  # 24 + 18 > 36; 12 + 18 gives 7 windows; 11 + 18 gives 8
    assert (s.window, s.patch) == (11, 1)
    f = LSTMForecaster(horizon=18, strategy="multioutput", epochs=1, n_estimators=1, random_state=0)
    f.fit(_monthly(36))  # was "y has 36 observations; window=24 and horizon=18 need at least 42"
    assert f.window_ == 11 and f.predict().shape == (18,)


# ------------------------------------------------------------------ difference="auto"
def test_auto_difference_follows_the_adf_vote_on_small_data():
    from tsforecast.neural._auto import auto_difference

    rng = np.random.default_rng(0)
    walk, noise = rng.normal(size=120).cumsum(), rng.normal(size=120)
    assert auto_difference([walk], small_data=True, needed=30) == 1
    assert auto_difference([noise], small_data=True, needed=30) == 0
    assert auto_difference([walk], small_data=False, needed=30) == 0  # the large-data recipe never differences
    assert auto_difference([walk, walk, noise], small_data=True, needed=30) == 1  # a majority of the series
    assert auto_difference([walk, noise, noise], small_data=True, needed=30) == 0
    # a series with just one training window undifferenced would lose it: no differencing
    assert auto_difference([walk, walk[:29]], small_data=True, needed=30) == 0
    # series too short to train on do not vote (a short noise series next to a walk)
    assert auto_difference([walk, noise[:10]], small_data=True, needed=30) == 1


@pytest.mark.slow  # three fits (~5 s); the vote itself is tested above
def test_difference_auto_fit_reports_difference_():
    rng = np.random.default_rng(1)
    trend = pd.Series(100 + rng.normal(size=90).cumsum(), index=pd.date_range("2000", periods=90, freq="YS"))
    f = LSTMForecaster(horizon=4, difference="auto", epochs=2, n_estimators=1, refit=False, random_state=0).fit(trend)
    assert f.difference_ == 1
    level = pd.Series(100 + rng.normal(size=90), index=trend.index)
    quick = dict(horizon=4, epochs=1, n_estimators=1, validation_fraction=0.0, random_state=0)
    assert LSTMForecaster(difference="auto", **quick).fit(level).difference_ == 0
    assert LSTMForecaster(difference=0, **quick).fit(trend).difference_ == 0
    assert np.all(np.isfinite(f.predict()))


def test_refit_auto_only_on_small_data(monkeypatch):
    import tsforecast.neural._auto as auto

    y = _monthly(72)
    small = LSTMForecaster(horizon=6, epochs=2, batch_size=64, n_estimators=1, random_state=0).fit(y)
    assert small.refit_ == "average"
    monkeypatch.setattr(auto, "SMALL_DATA_WINDOWS", 10)  # the same series counted as large data
    large = LSTMForecaster(horizon=6, epochs=2, batch_size=64, n_estimators=1, random_state=0).fit(y)
    assert large.strategy_ == "multioutput" and large.refit_ is False
    forced = LSTMForecaster(horizon=6, epochs=2, batch_size=64, n_estimators=1, refit=True, random_state=0).fit(y)
    assert forced.refit_ and forced.n_windows_ > large.n_windows_


def test_large_data_auto_strategy_with_exog_calibrates_its_intervals(monkeypatch):
    # strategy="auto" resolves to multioutput on large data: the held-out windows' exogenous rows must
    # follow strategy_, not the parameter (they once took h-1 rows past the series' end: IndexError)
    import tsforecast.neural._auto as auto

    rng = np.random.default_rng(0)
    y = _monthly(72)
    X = pd.DataFrame({"x": rng.normal(size=78)}, index=pd.date_range(y.index[0], periods=78, freq=y.index.freq))
    monkeypatch.setattr(auto, "SMALL_DATA_WINDOWS", 10)
    f = LSTMForecaster(horizon=6, window=12, epochs=1, n_estimators=1, random_state=0).fit(y, X.iloc[:72])
    assert f.strategy_ == "multioutput" and f.calibration_residuals_.shape[1] == 6
    iv = f.predict_interval(np.arange(1, 7), coverage=0.9, X=X.iloc[72:])
    assert np.all(np.isfinite(iv.to_numpy())) and np.all(iv["lower"] <= iv["upper"])


def test_window_scales_auto_spreads_the_networks_windows_on_small_data_only():
    # small data, automatic window 36 (patch 12): two thirds and four thirds of it, whole patches
    assert settings(12, 18, [144], window_scales="auto").windows == (36, 24, 48)
    assert settings(1, 6, [100], window_scales="auto").windows == (12, 8, 16)
    # the networks cycle through the scales
    assert settings(1, 6, [100], window_scales="auto", n_estimators=5).windows == (12, 8, 16, 12, 8)
    # an explicit window, large data, or the default of the pure rule (1,) keep one window
    assert settings(12, 18, [144], window=24, window_scales="auto").windows == (24, 24, 24)
    assert set(settings(24, 48, [912] * 200, window_scales="auto").windows) == {168}
    assert settings(12, 18, [144]).windows == (36, 36, 36)
    # explicit scales apply to any window (rounded to whole patches, at least one patch)
    assert settings(12, 18, [144], window=24, window_scales=(1, 0.1, 2)).windows == (24, 12, 48)


def test_a_member_window_too_long_for_the_series_becomes_the_automatic_window():
    # 22 values, h=6, recursive: window 12 leaves 10 training windows, 16 would leave 6 < MIN_WINDOWS
    assert MIN_WINDOWS == 8
    assert settings(1, 6, [22], window_scales="auto").windows == (12, 8, 12)
    assert settings(1, 6, [30], window_scales="auto").windows == (12, 8, 16)
