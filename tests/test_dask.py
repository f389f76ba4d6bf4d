"""Benchmarks and grid searches on a real Dask distributed cluster.

A module fixture starts a ``dask scheduler`` and two ``dask worker``
processes (``--nworkers 1 --nthreads 1`` each) on 127.0.0.1 as separate
processes and stops them at the end. Two workers because joblib's Dask
backend runs a job in-process when the cluster has a single thread.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

distributed = pytest.importorskip("distributed")
joblib = pytest.importorskip("joblib")

from sklearn.model_selection import GridSearchCV  # noqa: E402

from tsforecast import SeasonalNaiveForecaster  # noqa: E402
from tsforecast.benchmark import load_results, run  # noqa: E402
from tsforecast.cli import main  # noqa: E402
from tsforecast.datasets import load_airline  # noqa: E402
from tsforecast.model_selection import ExpandingWindowSplitter  # noqa: E402

MODELS = ["naive", "snaive", "naive2", "drift"]
N_WORKERS = 2


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dask_command(kind):
    exe = Path(sys.executable).with_name("dask")
    if exe.exists():
        return [str(exe), kind]
    return [sys.executable, "-m", f"distributed.cli.dask_{kind}"]


def _stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)


@pytest.fixture(scope="module")
def scheduler_address(tmp_path_factory):
    logs = tmp_path_factory.mktemp("dask-logs")
    address = f"tcp://127.0.0.1:{_free_port()}"
    procs = []
    try:
        with open(logs / "scheduler.log", "w") as log:
            procs.append(subprocess.Popen(
                _dask_command("scheduler") + ["--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                                              "--no-dashboard"],
                stdout=log, stderr=subprocess.STDOUT))
        for k in range(N_WORKERS):
            with open(logs / f"worker{k}.log", "w") as log:
                procs.append(subprocess.Popen(
                    _dask_command("worker") + [address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                                               "--host", "127.0.0.1", "--memory-limit", "0"],
                    stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONWARNINGS": "ignore"}))
        with distributed.Client(address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(N_WORKERS, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            _stop(proc)


@pytest.fixture
def client(scheduler_address):
    with distributed.Client(scheduler_address, timeout=60) as c:
        yield c


def _numbers(df):
    return df.drop(columns=["fit_seconds", "predict_seconds"])


def _panel():
    rng = np.random.default_rng(1)
    idx = pd.period_range("2001-01", periods=48, freq="M")
    return pd.DataFrame({f"s{k}": 20 + np.cumsum(rng.normal(size=48)) for k in range(3)}, index=idx)


@pytest.mark.slow  # a benchmark on the cluster and again locally
def test_benchmark_on_cluster_equals_local_run(client, scheduler_address, tmp_path):
    datasets = {"airline": None, "panel": _panel()}
    local = run(MODELS, datasets, horizon=6, n_windows=3)
    with distributed.get_task_stream(client) as stream:
        remote = run(MODELS, datasets, horizon=6, n_windows=3, dask=scheduler_address, results=tmp_path / "out")
    pd.testing.assert_frame_equal(_numbers(remote), _numbers(local))
    # the file is in completion order; its rows are the returned ones
    key = ["dataset", "series", "model", "fold"]
    on_disk = load_results(tmp_path / "out").sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(on_disk, remote.sort_values(key).reset_index(drop=True))
    cells = [t for t in stream.data if "run_cell" in str(t["key"])]
    assert len(cells) == len(local) == 4 * 4 * 3  # every cell ran on the cluster
    assert {t["worker"] for t in cells} <= set(client.scheduler_info()["workers"])

    # a connected Client works too, and resume on the cluster skips everything
    again = run(MODELS, datasets, horizon=6, n_windows=3, dask=client, results=tmp_path / "out", resume=True)
    pd.testing.assert_frame_equal(again, remote)


def test_cli_scheduler_option(scheduler_address, tmp_path, capsys):
    out = tmp_path / "cli"
    assert main(["benchmark", "--models", "naive,snaive", "--datasets", "airline", "--horizon", "12",
                 "--n-windows", "2", "--scheduler", scheduler_address, "-o", str(out), "--no-plots", "-q"]) == 0
    res = load_results(out).sort_values(["model", "fold"]).reset_index(drop=True)  # file: completion order
    assert len(res) == 4 and (res["status"] == "ok").all()
    local = run(["naive", "snaive"], "airline", horizon=12, n_windows=2)
    pd.testing.assert_frame_equal(_numbers(res), _numbers(local))


def test_gridsearch_with_joblib_dask_backend(client):
    y = load_airline()
    grid = {"seasonal_periods": [1, 4, 6, 12]}
    cv = ExpandingWindowSplitter(horizon=12, n_splits=3)
    local = GridSearchCV(SeasonalNaiveForecaster(), grid, cv=cv).fit(y)
    with distributed.get_task_stream(client) as stream:
        with joblib.parallel_backend("dask"):
            remote = GridSearchCV(SeasonalNaiveForecaster(), grid, cv=cv, n_jobs=-1).fit(y)
    assert remote.best_params_ == local.best_params_ == {"seasonal_periods": 12}
    np.testing.assert_allclose(remote.cv_results_["mean_test_score"], local.cv_results_["mean_test_score"])
    assert len(stream.data) > 0  # the fits ran as Dask tasks
    assert {t["worker"] for t in stream.data} <= set(client.scheduler_info()["workers"])
    pd.testing.assert_series_equal(remote.predict(6), local.predict(6))
