"""benchmarks/bench_m3.py on tiny sheets in the M3 layout (the M3 data are not shipped)."""

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def _bench():
    sys.path.insert(0, str(BENCH))  # the script imports its sibling bench_m4_lstm, as when run from benchmarks/
    try:
        spec = importlib.util.spec_from_file_location("bench_m3", BENCH / "bench_m3.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BENCH))
    return module


def _sheet(path, n=72):
    t = np.arange(n)
    rows = []
    for k, (year, month) in enumerate([(1983, 1), (1990, 10), (0, 0)]):  # the last has no start, as some M3 rows
        values = 100 + k * 10 + 0.5 * t + 8 * np.sin(2 * np.pi * t / 12)
        rows.append({"Series": f"N{k}", "N": n, "NF": 18, "Category": "MICRO" if k else "MACRO",
                     "Starting Year": year, "Starting Month": month, **{str(i + 1): v for i, v in enumerate(values)}})
    pd.DataFrame(rows).to_csv(path, index=False)


def test_load_and_split_cut_the_test_then_the_validation_values(tmp_path):
    bench = _bench()
    _sheet(tmp_path / "m3.csv")
    data = bench.load(str(tmp_path / "m3.csv"))
    assert list(data) == ["N0", "N1", "N2"]
    y, category = data["N1"]
    assert category == "MICRO" and y.index[0] == pd.Period("1990-10", freq="M") and y.size == 72
    assert data["N2"][0].index[0] == pd.Period("1990-01", freq="M")  # no start given
    train, truth = bench.split(data, "validation", 18)
    np.testing.assert_array_equal(truth["N0"], data["N0"][0].to_numpy()[-36:-18])
    assert train["N0"].size == 36
    train, truth = bench.split(data, "test", 18)
    np.testing.assert_array_equal(truth["N0"], data["N0"][0].to_numpy()[-18:])
    assert train["N0"].size == 54


def test_main_scores_a_model_and_reports_what_it_chose(tmp_path, capsys):
    bench = _bench()
    _sheet(tmp_path / "m3.csv", n=120)  # long enough to hold windows out, so the intervals are calibrated
    log = tmp_path / "log.jsonl"
    bench.main(["--data", str(tmp_path / "m3.csv"), "--models", "theta,lstm", "--log", str(log),
                "--params", json.dumps({"units": 4, "epochs": 2, "n_estimators": 1, "random_state": 0})])
    theta, lstm = [json.loads(line) for line in log.read_text().splitlines()]
    assert theta["model"] == "theta" and theta["n_series"] == 3 and np.isfinite(theta["owa"])
    assert set(theta["owa_by_category"]) == {"MACRO", "MICRO"}
    # the LSTM reads the season from the monthly index and, on this small panel, damps its forecasts
    assert lstm["fitted"]["seasonal_periods_"] == 12 and lstm["fitted"]["damping_"] == 0.95
    assert 0.0 <= lstm["coverage90"] <= 1.0
    assert capsys.readouterr().out.count('"model"') == 2


def _year_sheet(path, n=30):
    t = np.arange(n)
    rows = [{"Series": f"N{k}", "N": n, "NF": 6, "Category": "MACRO", "Starting Year": year, "Unnamed: 5": None,
             **{str(i + 1): v for i, v in enumerate(1000 + 20 * k + 15 * t)}}
            for k, year in enumerate([1960, 0])]
    pd.DataFrame(rows).to_csv(path, index=False)


def test_year_sheet_fitted_per_series(tmp_path):
    bench = _bench()
    _year_sheet(tmp_path / "y.csv")
    data = bench.load(str(tmp_path / "y.csv"), "Year")
    y = data["N0"][0]
    assert y.index[0] == pd.Period("1960", freq="Y") and data["N1"][0].index[0] == pd.Period("1990", freq="Y")
    train, truth = bench.split(data, "validation", 6)
    assert train["N0"].size == 18 and truth["N0"].size == 6
    # one model per series: two fitted Theta models; the second series is the first moved up by 20
    pred, models, _, _ = bench.fit_and_forecast("theta", {}, 6, train, per_series=True)
    assert set(models) == {"N0", "N1"} and models["N0"] is not models["N1"]
    np.testing.assert_allclose(pred["N1"] - pred["N0"], 20, atol=1e-6)
    assert np.all(np.diff(pred["N0"]) > 0) and pred["N0"][0] > train["N0"].iloc[-1]
    assert bench.describe(models) == {"seasonal_periods_": {"1": 2}}
