"""Tests of the ``tsforecast`` command line (tsforecast.cli)."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest

from tsforecast.benchmark import load_forecasts, load_results
from tsforecast.cli import main

FAST = ["--models", "naive,snaive,naive2", "--datasets", "airline", "--horizon", "12", "--n-windows", "2"]


def _numbers(df):
    return df.drop(columns=["fit_seconds", "predict_seconds"])


def test_help_explains_commands(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert "benchmark" in text and "datasets" in text and "models" in text
    with pytest.raises(SystemExit):
        main(["benchmark", "--help"])
    text = capsys.readouterr().out
    for option in ("--models", "--datasets", "--horizon", "--n-windows", "--output", "--resume", "--n-jobs",
                   "--time-limit", "--scheduler", "--config", "results.csv", "leaderboard.md"):
        assert option in text
    assert main([]) == 0 and "usage: tsforecast" in capsys.readouterr().out


def test_datasets_and_models_commands(capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert "airline" in out and "season_length" in out
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert "naive2" in out and "holtwinters" in out


def test_benchmark_writes_results_leaderboard_and_plots(tmp_path, capsys):
    out = tmp_path / "bench"
    assert main(["benchmark", *FAST, "--output", str(out)]) == 0
    captured = capsys.readouterr()
    assert "| dataset | model" in captured.out and "naive2" in captured.out
    assert "| n_cells | n_failed |" in captured.out  # the columns of leaderboard.md
    wrote = captured.out.strip().splitlines()[-1]
    assert wrote.startswith("wrote ") and wrote.endswith(f" to {out}")
    listed = set(wrote[len("wrote "):-len(f" to {out}")].split(", "))
    assert listed == set(os.listdir(out))  # every file written is named
    assert "benchmark [" in captured.err and "6/6 cells" in captured.err  # progress bar on stderr
    names = set(os.listdir(out))
    assert {"results.csv", "leaderboard.csv", "leaderboard.md", "leaderboard.png", "accuracy_vs_time.png",
            "forecasts_airline.png", "forecasts.csv", "run.json"} <= names
    res = load_results(out)
    assert len(res) == 6 and set(res["model"]) == {"naive", "snaive", "naive2"}
    with open(out / "leaderboard.png", "rb") as fh:
        assert fh.read(8) == b"\x89PNG\r\n\x1a\n"


def test_benchmark_config_file_and_csv_dataset(tmp_path, capsys):
    idx = pd.period_range("2001-01", periods=36, freq="M")
    pd.DataFrame({"a": range(1, 37), "b": [x % 12 + 1.0 for x in range(36)]}, index=idx.to_timestamp()) \
        .rename_axis("month").to_csv(tmp_path / "sales.csv")
    (tmp_path / "bench.toml").write_text(textwrap.dedent(f"""
        [benchmark]
        models = ["naive", "snaive4"]
        datasets = ["{tmp_path / 'sales.csv'}"]
        horizon = 3
        n_windows = 2
        output = "{tmp_path / 'from-config'}"

        [models.snaive4]
        class = "tsforecast.SeasonalNaiveForecaster"
        params = {{ seasonal_periods = "$m" }}
    """))
    assert main(["benchmark", "--config", str(tmp_path / "bench.toml"), "--no-plots", "-q",
                 "--n-windows", "3"]) == 0  # the command line wins over the file
    res = load_results(tmp_path / "from-config")
    assert len(res) == 2 * 2 * 3 and set(res["series"]) == {"a", "b"}
    snaive = res[(res["model"] == "snaive4") & (res["series"] == "b")]
    assert (snaive["smape"] == 0).all()  # season length 12 inferred from the monthly index: exact
    assert not (tmp_path / "from-config" / "leaderboard.png").exists()


def test_csv_dataset_with_integer_index_and_different_lengths(tmp_path):
    # the layout of M4 as written by benchmarks/bench_dask_scaling.py --write-csv: positions, not dates
    a, b = [float(x) for x in range(1, 21)], [5.0, 7.0] * 6
    frame = pd.DataFrame({"a": a, "b": [None] * 8 + b}).rename_axis("t")
    frame.to_csv(tmp_path / "m4.csv")
    assert main(["benchmark", "--models", "naive,drift", "--datasets", str(tmp_path / "m4.csv"), "--horizon", "3",
                 "--n-windows", "1", "--season-length", "1", "-o", str(tmp_path / "out"), "--no-plots", "-q"]) == 0
    res = load_results(tmp_path / "out")
    from tsforecast.benchmark import run

    local = run(["naive", "drift"], {"m4": {"a": pd.Series(a), "b": pd.Series(b)}}, horizon=3, n_windows=1,
                season_length=1)
    pd.testing.assert_frame_equal(_numbers(res), _numbers(local))  # series b starts at its first value
    fc = load_forecasts(tmp_path / "out" / "forecasts.csv")
    assert fc.loc[(fc["unique_id"] == "a") & (fc["model"] == "naive"), "ds"].astype(str).tolist() == ["17", "18", "19"]


def test_benchmark_errors_are_short(tmp_path, capsys):
    assert main(["benchmark", "--models", "nope", "--datasets", "airline", "-o", str(tmp_path), "-q"]) == 2
    assert "error: unknown model 'nope'" in capsys.readouterr().err
    (tmp_path / "bad.toml").write_text("[benchmark]\nmodel = ['naive']\n")
    with pytest.raises(SystemExit, match=r"unknown key\(s\) \['model'\] in \[benchmark\]"):
        main(["benchmark", "--config", str(tmp_path / "bad.toml")])


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "tsforecast", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("tsforecast ")


SLOW_MODEL = '''
import time
from tsforecast import NaiveForecaster


class SlowNaive(NaiveForecaster):
    def _fit(self, y, X):
        time.sleep(0.05)
        return super()._fit(y, X)
'''


@pytest.mark.slow  # three benchmark processes
def test_kill_9_then_resume_gives_each_cell_once_and_the_same_numbers(tmp_path):
    (tmp_path / "slowmods.py").write_text(SLOW_MODEL)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    args = [sys.executable, "-m", "tsforecast", "benchmark", "--models", "naive,slowmods:SlowNaive",
            "--datasets", "airline", "--horizon", "1", "--n-windows", "20", "--no-plots", "-q"]
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    proc = subprocess.Popen([*args, "--output", str(killed)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    results = killed / "results.csv"
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline:  # kill it once it is part-way through the slow model
            if results.exists() and results.read_text().count("\n") >= 26:
                break
            time.sleep(0.01)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    n_rows = results.read_text().count("\n") - 1
    assert 25 <= n_rows < 40, n_rows
    with open(results, "a") as fh:  # and a torn line, as if killed in the middle of a write
        fh.write("airline,passengers,slowmods:SlowNaive,19,0.1")

    subprocess.run([*args, "--output", str(killed), "--resume"], env=env, check=True, capture_output=True)
    subprocess.run([*args, "--output", str(clean)], env=env, check=True, capture_output=True)
    resumed, reference = load_results(killed), load_results(clean)
    assert len(resumed) == 40 and not resumed.duplicated(["dataset", "series", "model", "fold"]).any()
    order = ["dataset", "series", "model", "fold"]
    pd.testing.assert_frame_equal(_numbers(resumed.sort_values(order).reset_index(drop=True)),
                                  _numbers(reference.sort_values(order).reset_index(drop=True)))
    # forecasts.csv too: a cell cut short by the kill was run again, and its new rows win
    key = ["model", "fold", "step"]
    pd.testing.assert_frame_equal(load_forecasts(killed).sort_values(key, ignore_index=True),
                                  load_forecasts(clean).sort_values(key, ignore_index=True))
