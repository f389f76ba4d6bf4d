"""Tests of the benchmark runner (tsforecast.benchmark): folds, scoring, faults, results files, resume."""

import importlib
import io
import json
import os
import re
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

from tsforecast import Naive2Forecaster, NaiveForecaster, SeasonalNaiveForecaster
from tsforecast.benchmark import (
    fit_predict,
    import_model,
    leaderboard,
    list_models,
    load_forecasts,
    load_results,
    make_model,
    run,
)
from tsforecast.benchmark._progress import Progress
from tsforecast.benchmark._store import CSVStore
from tsforecast.datasets import load_airline
from tsforecast.forecasting._base import BaseForecaster
from tsforecast.metrics import mase, owa, smape
from tsforecast.utils._frequency import default_horizon, season_length_from_freq

METRIC_COLS = ["smape", "mase", "owa", "naive2_smape", "naive2_mase"]

# -------------------------------------------------------------- test models
FIT_LOG = []  # (tag, series length, last label) of every fit run in this process


class RecordingForecaster(BaseForecaster):
    """Naive forecaster that logs the training data it is fitted on."""

    def __init__(self, tag="a", horizon=1, n_jobs=None):
        self.tag = tag
        self.horizon = horizon
        self.n_jobs = n_jobs

    def _fit(self, y, X):
        FIT_LOG.append((self.tag, y.size, float(y[-1])))
        self.last_ = y[-1]
        return self

    def _predict(self, steps, X):
        return np.full(len(steps), self.last_)


class FaultyForecaster(NaiveForecaster):
    """Raises on series whose last training value is above ``threshold``; NaN forecasts when asked."""

    def __init__(self, threshold=np.inf, nan=False, horizon=1, n_jobs=None):
        self.threshold = threshold
        self.nan = nan
        self.horizon = horizon
        self.n_jobs = n_jobs

    def _fit(self, y, X):
        if y[-1] > self.threshold:
            raise RuntimeError(f"boom at {y[-1]:g}")
        return super()._fit(y, X)

    def _predict(self, steps, X):
        out = super()._predict(steps, X)
        return out * np.nan if self.nan else out


class SleepyForecaster(NaiveForecaster):
    def __init__(self, seconds=2.0, horizon=1, n_jobs=None):
        self.seconds = seconds
        self.horizon = horizon
        self.n_jobs = n_jobs

    def _fit(self, y, X):
        time.sleep(self.seconds)
        return super()._fit(y, X)


class PlainModel:
    """Not a scikit-learn estimator: just fit/predict."""

    def fit(self, y):
        self.mean = float(np.mean(y))
        return self

    def predict(self, fh):
        return np.full(fh, self.mean)


@pytest.fixture
def panel():
    rng = np.random.default_rng(0)
    idx = pd.period_range("2000-01", periods=40, freq="M")
    return pd.DataFrame({f"s{k}": 50 + np.cumsum(rng.normal(size=40)) for k in range(3)}, index=idx)


def _numbers(df):
    return df[[c for c in df.columns if c not in ("fit_seconds", "predict_seconds")]]


# ----------------------------------------------------------------- folds
def test_folds_and_metrics_match_manual_computation():
    y = load_airline()
    res = run({"naive": "naive", "snaive": "snaive"}, ["airline"], horizon=12, n_windows=3)
    assert list(res.columns) == ["dataset", "series", "model", "fold", *METRIC_COLS,
                                 "fit_seconds", "predict_seconds", "status", "error"]
    assert len(res) == 6 and (res["status"] == "ok").all()
    v = y.to_numpy()
    for k, cut in enumerate([108, 120, 132]):  # last fold ends at the end of the series
        train, test = v[:cut], v[cut:cut + 12]
        naive = np.full(12, train[-1])
        n2 = Naive2Forecaster(seasonal_periods=12).fit(train).predict(12)
        row = res[(res["model"] == "naive") & (res["fold"] == k)].iloc[0]
        assert row["smape"] == pytest.approx(smape(test, naive))
        assert row["mase"] == pytest.approx(mase(test, naive, y_train=train, m=12))
        assert row["naive2_smape"] == pytest.approx(smape(test, n2))
        expected_owa = owa(smape(test, naive), mase(test, naive, y_train=train, m=12),
                           smape(test, n2), mase(test, n2, y_train=train, m=12))
        assert row["owa"] == pytest.approx(expected_owa)
        srow = res[(res["model"] == "snaive") & (res["fold"] == k)].iloc[0]
        assert srow["smape"] == pytest.approx(smape(test, train[-12:]))


def test_every_model_sees_the_same_folds(panel):
    FIT_LOG.clear()
    models = {"a": RecordingForecaster(tag="a"), "b": RecordingForecaster(tag="b")}
    res = run(models, {"p": panel}, horizon=4, n_windows=3, step=2)
    seen_a = sorted(x[1:] for x in FIT_LOG if x[0] == "a")
    seen_b = sorted(x[1:] for x in FIT_LOG if x[0] == "b")
    assert seen_a == seen_b and len(seen_a) == 9
    assert sorted({n for n, _ in seen_a}) == [32, 34, 36]  # 40 - 4 - 2*step, ..., 40 - 4
    assert res["series"].tolist()[:3] == ["s0"] * 3 and res["fold"].tolist()[:3] == [0, 1, 2]


def test_step_defaults_to_horizon_and_horizon_to_frequency():
    res = run(["naive"], "airline", n_windows=2)  # monthly: M4 horizon 18
    assert len(res) == 2
    assert default_horizon("M") == 18 and default_horizon("Y-DEC") == 6 and default_horizon("min") is None
    assert season_length_from_freq("QE-DEC") == 4 and season_length_from_freq("h") == 24


def test_horizon_is_set_on_models_including_nested():
    grid = GridSearchCV(SeasonalNaiveForecaster(), {"seasonal_periods": [1, 12]},
                        cv=TimeSeriesSplit(n_splits=2, test_size=12))
    res = run({"grid": grid, "snaive": "snaive"}, "airline", horizon=12, n_windows=2)
    assert (res["status"] == "ok").all()
    # the grid search picks m=12 on airline, so it matches the seasonal naive exactly
    np.testing.assert_allclose(res.loc[res["model"] == "grid", "smape"].to_numpy(),
                               res.loc[res["model"] == "snaive", "smape"].to_numpy())


def test_plain_object_and_factory_models():
    res = run({"plain": PlainModel(), "factory": lambda season_length, horizon: NaiveForecaster()},
              {"x": np.arange(1.0, 31.0)}, horizon=3, n_windows=2)
    assert (res["status"] == "ok").all()
    plain = res[res["model"] == "plain"].iloc[-1]
    assert plain["smape"] == pytest.approx(smape([28, 29, 30], np.full(3, np.mean(np.arange(1, 28)))))


# ------------------------------------------------------------------ faults
def test_failures_are_recorded_and_the_run_goes_on(panel):
    models = {"faulty": FaultyForecaster(threshold=1e8), "nan": FaultyForecaster(nan=True), "naive": "naive"}
    panel = panel.copy()
    panel["s1"] = panel["s1"] + 1e9  # "faulty" raises on this series only
    res = run(models, {"p": panel}, horizon=4, n_windows=2)
    faulty = res[res["model"] == "faulty"]
    assert (faulty.loc[faulty["series"] == "s1", "status"] == "failed").all()
    assert faulty.loc[faulty["series"] == "s1", "error"].str.startswith("RuntimeError: boom").all()
    assert (faulty.loc[faulty["series"] != "s1", "status"] == "ok").all()
    nan = res[res["model"] == "nan"]
    assert (nan["status"] == "failed").all()
    # BaseForecaster.predict itself refuses a non-finite forecast, naming the model
    assert nan["error"].str.contains("FaultyForecaster produced a non-finite forecast").all() and nan["smape"].isna().all()
    assert (res.loc[res["model"] == "naive", "status"] == "ok").all()
    board = leaderboard(res).set_index(["dataset", "model"])
    assert board.loc[("p", "faulty"), "n_failed"] == 2
    assert board.loc[("p", "nan"), "n_failed"] == 6
    assert board.loc[("overall", "naive"), "n_failed"] == 0


def test_time_limit_abandons_slow_fits():
    start = time.perf_counter()
    res = run({"sleepy": SleepyForecaster(seconds=3.0), "naive": "naive"}, {"x": np.arange(1.0, 21.0)},
              horizon=2, n_windows=2, time_limit=0.2)
    elapsed = time.perf_counter() - start
    sleepy = res[res["model"] == "sleepy"]
    assert (sleepy["status"] == "failed").all()
    assert sleepy["error"].str.contains("time limit of 0.2 s").all()
    assert (res.loc[res["model"] == "naive", "status"] == "ok").all()
    assert elapsed < 2.5  # two 3 s fits were abandoned, not waited for


def test_fit_predict_reports_wrong_length_and_intervals():
    class Short(PlainModel):
        def predict(self, fh):
            return np.ones(fh - 1)

    out = fit_predict(Short(), np.arange(5.0), 3)
    assert out["error"] == "BadForecast: predict(3) returned 2 values; expected 3"
    out = fit_predict(NaiveForecaster(), np.arange(5.0), 3, interval=True)
    assert out["error"] == "" and len(out["lower"]) == 3 and out["lower"][0] < 4.0 < out["upper"][0]


def test_undefined_metric_gives_nan_not_failure():
    y = np.r_[np.ones(10), np.arange(1.0, 5.0)]  # constant training part: MASE undefined
    res = run(["naive"], {"c": y}, horizon=4, n_windows=1)
    row = res.iloc[0]
    assert row["status"] == "ok" and np.isnan(row["mase"]) and row["smape"] > 0
    assert "mase undefined" in row["error"]


# ------------------------------------------------------------------ inputs
def test_user_data_formats_and_series_names(panel):
    res = run(["naive"], {"frame": panel, "dict": {"a": panel["s0"], 7: panel["s1"]}, "arr": panel["s2"].to_numpy()},
              horizon=3, n_windows=1)
    assert list(zip(res["dataset"], res["series"])) == [
        ("frame", "s0"), ("frame", "s1"), ("frame", "s2"), ("dict", "a"), ("dict", "7"), ("arr", "arr")]


def test_bad_arguments_have_clear_errors(panel):
    with pytest.raises(ValueError, match=r"unknown model 'nope'; registry models are \['arima'"):
        run(["nope"], "airline")
    with pytest.raises(ValueError, match=r"unknown dataset 'nope'; available: \['airline'"):
        run(["naive"], "nope")
    with pytest.raises(ValueError, match=re.escape("dataset 'p', series 's0': series has 40 observations; "
                                                   "5 splits with horizon=12")):
        run(["naive"], {"p": panel}, horizon=12, n_windows=5)
    with pytest.raises(ValueError, match="unknown metric 'accuracy'"):
        run(["naive"], "airline", metrics=["accuracy"])
    with pytest.raises(ValueError, match="resume=True needs results="):
        run(["naive"], "airline", resume=True)
    with pytest.raises(TypeError, match="is the class NaiveForecaster; pass an instance"):
        run({"n": NaiveForecaster}, "airline")
    with pytest.raises(ValueError, match="no known frequency to choose a default horizon"):
        run(["naive"], {"x": np.arange(30.0)})
    with pytest.raises(ValueError, match=r"n_windows must be a positive int; got 0"):
        run(["naive"], "airline", n_windows=0)
    with pytest.raises(ValueError, match=r"missing value"):
        run(["naive"], {"x": [1.0, np.nan, 3.0, 4.0, 5.0]}, horizon=1)


def test_metrics_selection():
    res = run(["naive"], "airline", horizon=6, n_windows=1, metrics=["mae", "rmse"])
    assert [c for c in res.columns if c in ("mae", "rmse", "smape", "owa")] == ["mae", "rmse"]
    y = load_airline().to_numpy()
    assert res["mae"].iloc[0] == pytest.approx(np.mean(np.abs(y[-6:] - y[-7])))


def test_parallel_jobs_give_the_same_numbers(panel):
    one = run(["naive", "drift"], {"p": panel}, horizon=3, n_windows=2, n_jobs=1)
    two = run(["naive", "drift"], {"p": panel}, horizon=3, n_windows=2, n_jobs=2)
    pd.testing.assert_frame_equal(_numbers(one), _numbers(two))


# ------------------------------------------------------ results files, resume
def test_results_files_and_resume(tmp_path, panel):
    out = tmp_path / "out"
    models = {"a": RecordingForecaster(tag="a"), "naive": "naive"}
    first = run(models, {"p": panel}, horizon=3, n_windows=2, results=out)
    assert sorted(os.listdir(out)) == ["forecasts.csv", "leaderboard.csv", "leaderboard.md", "results.csv", "run.json"]
    on_disk = load_results(out)
    pd.testing.assert_frame_equal(on_disk, first)  # exact float round trip
    assert json.loads((out / "run.json").read_text())["datasets"]["p"]["horizon"] == 3
    fc = load_forecasts(out)  # long: one row per cell and step
    assert list(fc.columns) == ["dataset", "unique_id", "model", "fold", "step", "ds", "y_true", "y_pred",
                                "lower", "upper"]
    assert len(fc) == len(first) * 3
    cells = fc.drop_duplicates(["unique_id", "model", "fold"])
    assert list(zip(cells["unique_id"], cells["model"], cells["fold"])) == list(
        zip(first["series"], first["model"], first["fold"]))
    naive = fc[(fc["unique_id"] == "s1") & (fc["model"] == "naive") & (fc["fold"] == 0)]
    cut = len(panel) - 3 - 3  # fold 0 of 2, horizon = step = 3
    assert naive["step"].tolist() == [1, 2, 3] and naive["ds"].tolist() == [str(p) for p in panel.index[cut:cut + 3]]
    np.testing.assert_array_equal(naive["y_true"], panel["s1"].iloc[cut:cut + 3])
    np.testing.assert_array_equal(naive["y_pred"], np.repeat(panel["s1"].iloc[cut - 1], 3))
    # intervals are kept for the first series on its last fold, for models that have them
    has_interval = fc.loc[fc["lower"].notna(), ["unique_id", "model", "fold"]].drop_duplicates()
    assert has_interval.values.tolist() == [["s0", "naive", 1]]
    assert (fc["lower"] < fc["y_pred"]).where(fc["lower"].notna(), True).all()

    FIT_LOG.clear()
    again = run(models, {"p": panel}, horizon=3, n_windows=2, results=out, resume=True)
    assert FIT_LOG == []  # nothing recomputed
    pd.testing.assert_frame_equal(again, first)

    # adding a model on resume runs only its cells
    more = run({**models, "b": RecordingForecaster(tag="b")}, {"p": panel}, horizon=3, n_windows=2,
               results=out, resume=True)
    assert {t for t, *_ in FIT_LOG} == {"b"} and len(FIT_LOG) == 6
    assert len(more) == 18 and len(load_results(out)) == 18
    lb = pd.read_csv(out / "leaderboard.csv")
    assert set(lb["model"]) == {"a", "b", "naive"}
    assert (out / "leaderboard.md").read_text().startswith("| dataset")


def test_resume_drops_a_torn_last_line(tmp_path):
    out = tmp_path / "out"
    full = run(["naive", "drift"], "airline", horizon=12, n_windows=3, results=out)
    lines = (out / "results.csv").read_text().splitlines(keepends=True)
    # simulate a kill -9 in the middle of writing the 5th row: 4 rows kept, a prefix of the 5th
    (out / "results.csv").write_text("".join(lines[:5]) + lines[5][:20])
    resumed = run(["naive", "drift"], "airline", horizon=12, n_windows=3, results=out, resume=True)
    pd.testing.assert_frame_equal(_numbers(resumed), _numbers(full))
    text = (out / "results.csv").read_text()
    assert text.endswith("\n") and len(text.splitlines()) == 7
    keys = load_results(out)[["model", "fold"]].apply(tuple, axis=1)
    assert keys.is_unique


def test_resume_after_a_crash_while_writing_forecasts_and_results(tmp_path, caplog):
    out = tmp_path / "out"
    full = run(["naive", "drift"], "airline", horizon=12, n_windows=3, results=out)
    fc_full = load_forecasts(out)
    results = (out / "results.csv").read_text().splitlines(keepends=True)
    forecasts = (out / "forecasts.csv").read_text().splitlines(keepends=True)
    # killed while the 4th cell was written: its forecasts cut mid-line, its results line not written
    (out / "forecasts.csv").write_text("".join(forecasts[:1 + 3 * 12 + 5]) + forecasts[1 + 3 * 12 + 5][:15])
    (out / "results.csv").write_text("".join(results[:4]) + results[4][:30])
    with caplog.at_level("WARNING", logger="tsforecast.benchmark"):
        resumed = run(["naive", "drift"], "airline", horizon=12, n_windows=3, results=out, resume=True)
    assert "results.csv: dropped a torn last line" in caplog.text and "forecasts.csv: dropped" in caplog.text
    pd.testing.assert_frame_equal(_numbers(resumed), _numbers(full))
    assert len(load_results(out)) == 6
    fc = load_forecasts(out)  # the redone cell's rows replace the 5 complete rows left by the crash
    assert len(fc) == 6 * 12
    key = ["model", "fold", "step"]
    pd.testing.assert_frame_equal(fc.sort_values(key, ignore_index=True), fc_full.sort_values(key, ignore_index=True))


def test_run_json_records_models_by_registry_name_and_params(tmp_path):
    out = tmp_path / "out"
    run({"naive": "naive", "mine": SeasonalNaiveForecaster(seasonal_periods=12)}, "airline", horizon=6, n_windows=1,
        results=out)
    models = json.loads((out / "run.json").read_text())["models"]
    assert models["naive"] == {"airline": {"registry": "naive", "params": {"horizon": 6}}}
    assert models["mine"] == {"airline": {"class": "tsforecast.SeasonalNaiveForecaster",  # as given
                                          "params": {"seasonal_periods": 12}}}
    # a registry model shows its registry name and its parameters
    from tsforecast.benchmark._config import model_record

    text = json.dumps(model_record(make_model("lstm", season_length=12, horizon=6), "lstm"))
    assert json.loads(text) == {"registry": "lstm", "params": {"horizon": 6, "random_state": 0, "seasonal_periods": 12}}
    # a run.json written by an older version (models as reprs) can still be resumed
    data = json.loads((out / "run.json").read_text())
    data["models"]["naive"]["airline"] = "NaiveForecaster(horizon=6)"
    (out / "run.json").write_text(json.dumps(data))
    run(["naive"], "airline", horizon=6, n_windows=1, results=out, resume=True)


def test_resume_refuses_different_settings(tmp_path):
    out = tmp_path / "out"
    run(["naive"], "airline", horizon=12, n_windows=2, results=out)
    with pytest.raises(ValueError, match=r"cannot resume: dataset 'airline' was benchmarked with"):
        run(["naive"], "airline", horizon=6, n_windows=2, results=out, resume=True)
    with pytest.raises(ValueError, match=r"cannot resume: .* n_windows=2, this run has n_windows=3"):
        run(["naive"], "airline", horizon=12, n_windows=3, results=out, resume=True)
    with pytest.raises(ValueError, match=r"cannot resume: model 'naive' on dataset 'airline' was"):
        run({"naive": SeasonalNaiveForecaster()}, "airline", horizon=12, n_windows=2, results=out, resume=True)
    # without resume the folder is started over
    res = run(["drift"], "airline", horizon=6, n_windows=2, results=out)
    assert set(load_results(out)["model"]) == {"drift"} and len(res) == 2


def test_store_rejects_other_columns_and_corrupt_lines(tmp_path):
    path = tmp_path / "r.csv"
    with CSVStore(path, ["a", "b"]) as store:
        store.append({"a": 1.5, "b": "x\ny"})
    assert path.read_text() == "a,b\n1.5,x y\n"
    with pytest.raises(ValueError, match=r"has columns \['a', 'b'\] but this run writes \['a', 'c'\]"):
        CSVStore(path, ["a", "c"], resume=True)
    path.write_text("a,b\n1,2,3\n")
    with pytest.raises(ValueError, match="line 2 of .* has 3 fields; expected 2"):
        CSVStore(path, ["a", "b"], resume=True)
    path.write_text("a,")  # torn header: start over
    store = CSVStore(path, ["a", "b"], resume=True)
    store.close()
    assert store.dropped_torn_line and path.read_text() == "a,b\n"


# --------------------------------------------------------------- leaderboard
def test_leaderboard_ranks_and_owa():
    res = pd.DataFrame({
        "dataset": ["d"] * 4, "series": ["s"] * 4, "model": ["x", "y", "x", "y"], "fold": [0, 0, 1, 1],
        "smape": [10.0, 20.0, 30.0, np.nan], "mase": [1.0, 2.0, 3.0, np.nan], "owa": [0.5, 1.0, 1.5, np.nan],
        "naive2_smape": [20.0, 20.0, 20.0, 20.0], "naive2_mase": [2.0, 2.0, 2.0, 2.0],
        "fit_seconds": [1.0, 2.0, 3.0, 4.0], "status": ["ok", "ok", "ok", "failed"], "error": ["", "", "", "E"],
    })
    board = leaderboard(res)
    d = board[board["dataset"] == "d"].set_index("model")
    assert d.loc["x", "mean_rank"] == 1.0 and d.loc["y", "mean_rank"] == 2.0  # failed ranks last
    assert d.loc["x", "smape"] == 20.0 and d.loc["y", "smape"] == 20.0
    assert d.loc["x", "owa"] == pytest.approx((20 / 20 + 2 / 2) / 2)  # M4: ratio of means
    assert d.loc["y", "n_failed"] == 1 and d.loc["y", "fit_seconds"] == 6.0
    assert list(board["dataset"]) == ["d", "d", "overall", "overall"]
    with pytest.raises(ValueError, match="metric 'mae' is not in the results"):
        leaderboard(res, metric="mae")


def test_importing_benchmark_and_cli_stays_light():
    code = ("import sys, tsforecast.benchmark, tsforecast.cli\n"
            "print([m for m in ('statsmodels', 'matplotlib', 'dask', 'distributed', 'tensorflow', 'keras') "
            "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_progress_bar_redraws_in_place_on_a_terminal():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    bar = Progress(4, enabled=True, stream=stream, width=4)
    bar.update()
    bar.update(failed=True)
    bar.close()
    text = stream.getvalue()
    assert text.count("\r") == 3 and text.endswith("\n")
    assert "[##..] 2/4 cells  50%  1 failed" in text


def test_progress_bar_shows_a_long_wait_for_a_cell():
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    stream = Terminal()
    bar = Progress(2, enabled=True, stream=stream, width=4, tick=0.05)
    time.sleep(0.5)
    bar.update()
    bar.close()
    text = stream.getvalue()
    assert re.search(r"0/2 cells   0%  0 failed +[0-9.]+s  \(no cell finished for 0s\)", text)
    last = text.split("\r")[-1]  # the redraw after the cell: the longer waiting line is blanked out
    assert "1/2 cells  50%" in last and "no cell finished" not in last
    assert last.endswith(" " * len("  (no cell finished for 0s)") + "\n")


# ------------------------------------------------------------------ registry
def test_import_model():
    assert import_model("tsforecast:NaiveForecaster") is NaiveForecaster
    assert import_model("tsforecast.NaiveForecaster") is NaiveForecaster
    with pytest.raises(ValueError, match=re.escape("model import path must look like 'package.module:Name'; "
                                                   "got 'nodots'.")):
        import_model("nodots")
    with pytest.raises(ValueError, match="cannot import model 'tsforecast:Nope'"):
        import_model("tsforecast:Nope")


def test_registry_naive_models():
    assert set(list_models()) == {"naive", "snaive", "naive2", "drift", "theta", "arima", "holtwinters", "lstm",
                                  "lstm_theta", "esrnn"}
    m = make_model("naive2", season_length=4, horizon=3)
    assert isinstance(m, Naive2Forecaster) and m.seasonal_periods == 4 and m.horizon == 3
    assert make_model("snaive", season_length=7, horizon=2).get_params()["seasonal_periods"] == 7


@pytest.mark.parametrize("name, module, cls", [
    ("theta", "tsforecast.forecasting.theta", "ThetaForecaster"),
    ("arima", "tsforecast.forecasting.arima", "ARIMAForecaster"),
    ("holtwinters", "tsforecast.forecasting.holtwinters", "HoltWintersForecaster"),
])
def test_registry_statistical_models(name, module, cls):
    mod = importlib.import_module(module)
    est = make_model(name, season_length=12, horizon=6)
    assert isinstance(est, getattr(mod, cls)) and est.seasonal_periods == 12
    res = run([name], "airline", horizon=6, n_windows=1)
    assert res["status"].tolist() == ["ok"], res["error"].tolist()
    assert res["owa"].iloc[0] < 2.0


@pytest.mark.slow  # imports TensorFlow
def test_registry_lstm():
    from tsforecast import neural as mod

    est = make_model("lstm", season_length=12, horizon=6)
    # the public estimator with its data-driven defaults: no private class, no hand-made window formula
    assert type(est) is mod.LSTMForecaster and est.horizon == 6 and est.seasonal_periods == 12
    auto = {k: v for k, v in est.get_params().items() if v == "auto"}
    assert set(auto) >= {"window", "patch", "strategy", "deseasonalize", "units", "epochs", "n_estimators", "normalize"}
    # on airline: the small-data rule (two seasons, one season per step, recursive networks, one fit per
    # window centring: 2 networks each here)
    small = est.set_params(epochs=2, n_estimators=2)
    res = run({"lstm": small}, "airline", horizon=6, n_windows=1)
    assert res["status"].tolist() == ["ok"], res["error"].tolist()
    fitted = small.fit(load_airline().iloc[:-6])
    assert (fitted.window_, fitted.patch_, fitted.strategy_, fitted.n_estimators_) == (24, 12, "recursive", 4)
    assert fitted.normalize_ == ("window", "last")
    assert fitted.predict_interval(6).shape == (6, 2)


def test_registry_lstm_theta():
    from tsforecast import EnsembleForecaster, LSTMForecaster, ThetaForecaster

    est = make_model("lstm_theta", season_length=12, horizon=6)
    assert type(est) is EnsembleForecaster and est.horizon == 6 and est.aggregation == "mean"
    lstm, theta = dict(est.forecasters).values()
    assert type(lstm) is LSTMForecaster and lstm.get_params() == make_model("lstm", season_length=12, horizon=6).get_params()
    assert type(theta) is ThetaForecaster and theta.seasonal_periods == 12
    quick = est.set_params(lstm__epochs=2, lstm__n_estimators=1, lstm__normalize="window")
    res = run({"lstm_theta": quick}, "airline", horizon=6, n_windows=1)
    assert res["status"].tolist() == ["ok"], res["error"].tolist()
    assert np.isfinite(res["owa"]).all()


def test_registry_esrnn():
    from tsforecast import neural as mod

    est = make_model("esrnn", season_length=12, horizon=6)
    assert type(est) is mod.ESRNNForecaster and est.horizon == 6 and est.seasonal_periods == 12
    res = run({"esrnn": est.set_params(units=4, epochs=2)}, "airline", horizon=6, n_windows=1)
    assert res["status"].tolist() == ["ok"], res["error"].tolist()
    assert np.isfinite(res["owa"]).all()


# ------------------------------------------------------- a worker that dies
class KillerForecaster(NaiveForecaster):
    """Kills the process it runs in (like a segfault or the OOM killer) on series starting at >= 1000."""

    def _fit(self, y, X):
        if y[0] >= 1000 and os.getpid() != int(os.environ.get("TSF_TEST_PARENT_PID", "0")):
            import signal

            os.kill(os.getpid(), signal.SIGKILL)
        return super()._fit(y, X)


@pytest.mark.slow  # kills and restarts worker processes
def test_a_killed_worker_fails_its_cell_only_and_resume_adds_nothing(tmp_path, panel, monkeypatch):
    monkeypatch.setenv("TSF_TEST_PARENT_PID", str(os.getpid()))  # never kill the test process itself
    data = {"p": panel.assign(s1=panel["s1"] + 1000)}  # only series s1 kills its worker
    models = {"killer": KillerForecaster(), "naive": "naive"}
    out = tmp_path / "out"
    res = run(models, data, horizon=3, n_windows=2, n_jobs=2, results=out)
    assert len(res) == 3 * 2 * 2
    bad = res[(res["model"] == "killer") & (res["series"] == "s1")]
    assert bad["status"].tolist() == ["failed", "failed"]
    assert all(re.search(r"worker .*died", e) for e in bad["error"]), bad["error"].tolist()
    # the cells running when a worker died were started again (the culprit alone), and are named
    assert set(zip(bad["dataset"], bad["series"], bad["model"], bad["fold"])) <= set(res.attrs["retried"])
    good = res.drop(bad.index)
    assert (good["status"] == "ok").all(), good["error"].tolist()
    expected = run({"killer": NaiveForecaster(), "naive": "naive"}, data, horizon=3, n_windows=2)
    pd.testing.assert_frame_equal(_numbers(good), _numbers(expected.drop(bad.index)))
    on_disk = load_results(out)
    assert len(on_disk) == 12 and on_disk[["series", "model", "fold"]].apply(tuple, axis=1).is_unique
    # resuming finds every cell done (the failed ones included): nothing is run or written twice
    again = run(models, data, horizon=3, n_windows=2, n_jobs=2, results=out, resume=True)
    pd.testing.assert_frame_equal(_numbers(again), _numbers(res))
    assert len((out / "results.csv").read_text().splitlines()) == 1 + 12
