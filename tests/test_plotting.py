"""Tests of tsforecast.plotting."""

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from tsforecast import NaiveForecaster
from tsforecast.benchmark import leaderboard, run
from tsforecast.datasets import load_airline
from tsforecast.plotting import figure, plot_accuracy_vs_time, plot_forecast, plot_leaderboard

matplotlib = pytest.importorskip("matplotlib")


def test_importing_plotting_does_not_import_matplotlib():
    code = "import sys, tsforecast.plotting; print('matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.fixture(scope="module")
def board():
    res = run(["naive", "snaive", "drift"], {"air": load_airline(), "lin": pd.Series(np.arange(1.0, 41.0))},
              horizon=6, n_windows=2, season_length={"lin": 1})
    return leaderboard(res)


def test_plot_forecast_with_interval_and_actuals():
    y = load_airline()
    f = NaiveForecaster().fit(y[:-12])
    fig, ax = figure()
    out = plot_forecast(y[:-12], f.predict(12), f.predict_interval(12), ax=ax, actual=y[-12:], last=24,
                        title="airline")
    assert out is ax and ax.get_title() == "airline"
    observed, actual, forecast = ax.get_lines()
    assert len(observed.get_xdata()) == 24 and len(actual.get_xdata()) == 12
    np.testing.assert_allclose(forecast.get_ydata(), np.full(12, y.iloc[-13]))
    band = ax.collections[0].get_paths()[0].vertices
    assert band[:, 1].min() < y.iloc[-13] < band[:, 1].max()
    # the forecast starts right after the observations (PeriodIndex drawn as dates)
    assert forecast.get_xdata()[0] > observed.get_xdata()[-1]


def test_plot_forecast_arrays_and_bad_interval():
    fig, ax = figure()
    plot_forecast(np.arange(10.0), np.array([10.0, 11.0]), (np.array([9.0, 9.0]), np.array([12.0, 13.0])), ax=ax)
    np.testing.assert_array_equal(ax.get_lines()[1].get_xdata(), [10, 11])
    with pytest.raises(ValueError, match="interval has 1 lower and 1 upper values; the forecast has 2"):
        plot_forecast(np.arange(10.0), [10.0, 11.0], ([9.0], [12.0]), ax=ax)


def test_plot_forecast_without_ax_uses_pyplot():
    import matplotlib.pyplot as plt

    ax = plot_forecast([1.0, 2.0, 3.0], [3.0, 3.0])
    try:
        assert ax.figure in [plt.figure(n) for n in plt.get_fignums()]
    finally:
        plt.close(ax.figure)


def test_plot_leaderboard_groups_bars(board):
    fig, ax = figure()
    plot_leaderboard(board, ax=ax)
    assert len(ax.patches) == 3 * 3  # 3 models x (2 datasets + overall)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    overall = board[board["dataset"] == "overall"].set_index("model")["owa"]
    assert labels[-1] == overall.idxmin()  # best model on top
    # the legend lists the datasets in the order of the bars, top to bottom, beside the axes (never over a bar)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["overall", "lin", "air"]
    fig.draw_without_rendering()  # lays the figure out
    assert ax.get_legend().get_window_extent().x0 >= ax.get_window_extent().x1
    with pytest.raises(ValueError, match="leaderboard has no column 'mae'"):
        plot_leaderboard(board, metric="mae", ax=ax)


def test_plot_accuracy_vs_time(board, tmp_path):
    fig, ax = figure()
    plot_accuracy_vs_time(board, ax=ax)
    assert ax.get_xscale() == "log"
    assert sorted(t.get_text() for t in ax.texts) == ["drift", "naive", "snaive"]
    fig.savefig(tmp_path / "acc.png")
    assert (tmp_path / "acc.png").read_bytes()[:4] == b"\x89PNG"
    with pytest.raises(ValueError, match="no leaderboard rows for dataset 'x'"):
        plot_accuracy_vs_time(board, dataset="x", ax=ax)
