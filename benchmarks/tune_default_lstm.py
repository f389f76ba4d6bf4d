"""Registry-LSTM tuning: validation set (data disjoint from the default benchmark's test windows) + test.

Usage: .venv/bin/python benchmarks/tune_default_lstm.py CONFIG [CONFIG ...] [--test] [--val]
(the configurations and their results are in benchmarks/RESULTS.md, "Default benchmark: LSTM with
seasonal adjustment").
"""
import json
import sys
import time

import numpy as np
import pandas as pd

from tsforecast.benchmark import leaderboard, run
from tsforecast.datasets import load_dataset


def _window(m, h, patch, seasons=2, horizons=2, floor=8):
    return -(-max(seasons * m, horizons * h, floor) // patch) * patch


def make(cfg):
    def factory(season_length, horizon):
        from tsforecast import EnsembleForecaster
        from tsforecast.neural import LSTMForecaster

        m, h = season_length, horizon
        c = dict(CONFIGS[cfg])
        patch = m if (m > 1 and c.pop("patch_m", True)) else 1
        win = c.pop("window_fn", lambda m, h, p: _window(m, h, p))(m, h, patch)
        params = dict(window=win, horizon=h, patch=patch, units=32, epochs=50, batch_size=16, random_state=0)
        if c.get("deseasonalize"):
            params["seasonal_periods"] = m
        n_members = c.pop("n_members", 1)
        params.update(c)
        if n_members > 1:  # the registry's kind of seed ensemble, around this configuration
            seed = params.pop("random_state")
            return EnsembleForecaster(
                [(f"seed{i}", LSTMForecaster(**params, random_state=seed + i)) for i in range(n_members)], horizon=h)
        return LSTMForecaster(**params)

    return factory


CONFIGS = {
    "A_baseline": {},
    "B_auto": {"deseasonalize": "auto"},
    "C_auto_diff": {"deseasonalize": "auto", "difference": 1},
    "D_auto_short": {"deseasonalize": "auto", "window_fn": lambda m, h, p: _window(m, h, p, 1, 1, 8)},
    "E_auto_noval": {"deseasonalize": "auto", "validation_fraction": 0.0},
    "F_auto_series": {"deseasonalize": "auto", "normalize": "series"},
    "G_auto_small": {"deseasonalize": "auto", "units": 16, "epochs": 100, "patience": 10},
    "H_auto_short_noval": {"deseasonalize": "auto", "validation_fraction": 0.0,
                           "window_fn": lambda m, h, p: _window(m, h, p, 1, 1, 8)},
}
CONFIGS["J_auto_short_rec"] = {**CONFIGS["D_auto_short"], "strategy": "recursive"}
CONFIGS["K_auto_rec"] = {**CONFIGS["B_auto"], "strategy": "recursive"}
CONFIGS["I_auto_short_ens3"] = {**CONFIGS["D_auto_short"], "n_members": 3}
CONFIGS["L_auto_rec_ens3"] = {**CONFIGS["K_auto_rec"], "n_members": 3}
for _base in ["D_auto_short", "E_auto_noval", "H_auto_short_noval", "J_auto_short_rec", "K_auto_rec"]:
    for _seed in (1, 2):
        CONFIGS[f"{_base}_s{_seed}"] = {**CONFIGS[_base], "random_state": _seed}


def val_sets():
    air = load_dataset("airline")
    nile = load_dataset("nile")
    eln = load_dataset("elnino")
    macro = load_dataset("macrodata")
    sun = load_dataset("sunspots")
    # (datasets, horizon, season_length, n_windows)
    return [
        ({"airline_val": air.iloc[:90]}, {"airline_val": 18}, {"airline_val": 12}, 1),
        ({"nile_val": nile.iloc[:82]}, {"nile_val": 6}, {"nile_val": 1}, 3),
        ({"elnino_val": eln.iloc[-204:]}, {"elnino_val": 18}, {"elnino_val": 12}, 3),
        ({"macro_val": macro[["realgdp", "realcons", "realinv", "cpi"]]}, {"macro_val": 8}, {"macro_val": 4}, 3),
        ({"sunspots_val": sun.iloc[-120:]}, {"sunspots_val": 6}, {"sunspots_val": 1}, 3),
    ]


def evaluate(models, sets):
    frames = []
    for data, h, m, nw in sets:
        frames.append(run(models, data, horizon=h, season_length=m, n_windows=nw))
    res = pd.concat(frames, ignore_index=True)
    return res, leaderboard(res)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    do_test = "--test" in sys.argv
    do_val = "--val" in sys.argv
    baselines = "--baselines" in sys.argv
    for cfg in args:
        models = {cfg: make(cfg)}
        if baselines:
            models = {**{k: k for k in ["naive2", "snaive", "theta", "arima", "holtwinters"]}, **models}
        out = {"config": cfg}
        if do_val:
            t0 = time.perf_counter()
            res, lb = evaluate(models, val_sets())
            out["val_wall"] = round(time.perf_counter() - t0, 1)
            if baselines:
                print(lb.to_string())
            ov = lb[lb["dataset"] == "overall"].set_index("model")
            out["val_owa"] = round(float(ov.loc[cfg, "owa"]), 3)
            out["val_fit_s"] = round(float(ov.loc[cfg, "fit_seconds"]), 1)
            out["val_failed"] = int(ov.loc[cfg, "n_failed"])
            per = lb[lb["model"] == cfg].set_index("dataset")["owa"].round(3).to_dict()
            out["val_per_dataset"] = per
            dsets = [d for d in lb["dataset"].unique() if d != "overall"]
            # selection criterion: mean of the per-dataset OWAs, a dataset whose cells failed counts as 1 (Naive2)
            out["val_mean_owa"] = round(float(np.mean([1.0 if pd.isna(per.get(d)) else per[d] for d in dsets])), 3)
        if do_test:
            res = run(models, ["airline", "nile"], n_windows=3)
            lb = leaderboard(res)
            ov = lb[lb["dataset"] == "overall"].set_index("model")
            out["test_owa"] = round(float(ov.loc[cfg, "owa"]), 3)
            out["test_fit_s"] = round(float(ov.loc[cfg, "fit_seconds"]), 1)
            out["test_per_dataset"] = lb[lb["model"] == cfg].set_index("dataset")["owa"].round(3).to_dict()
        print(json.dumps(out), flush=True)
