"""Benchmarks and grid searches on a real Dask distributed cluster.

A module fixture starts a ``dask scheduler`` and two ``dask worker``
processes (``--nworkers 1 --nthreads 1`` each) on 127.0.0.1 as separate
processes and stops them at the end. Two workers because joblib's Dask
backend runs a job in-process when the cluster has a single thread. The
test that kills a worker starts a cluster of its own. Test models the
workers run come from ``tests/_slow_models.py``.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
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

from _slow_models import SlowNaiveForecaster  # noqa: E402

MODELS = ["naive", "snaive", "naive2", "drift"]
N_WORKERS = 2
TESTS = Path(__file__).resolve().parent


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


@contextlib.contextmanager
def _cluster(logs, n_workers=N_WORKERS, procs=None):
    """A ``dask scheduler`` and ``n_workers`` ``dask worker`` processes on 127.0.0.1; yields the address.

    The scheduler and workers import test models from ``tests/`` (on their ``PYTHONPATH``). Every process is
    stopped on exit, also when starting fails or a test fails. ``procs``: a list that receives the
    processes (the scheduler first).
    """
    address = f"tcp://127.0.0.1:{_free_port()}"
    path = os.pathsep.join(p for p in (str(TESTS), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "PYTHONPATH": path}
    procs = [] if procs is None else procs
    try:
        with open(logs / "scheduler.log", "w") as log:
            procs.append(subprocess.Popen(
                _dask_command("scheduler") + ["--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                                              "--no-dashboard"],
                stdout=log, stderr=subprocess.STDOUT, env=env))  # the scheduler unpickles the tasks too
        for k in range(n_workers):
            with open(logs / f"worker{k}.log", "w") as log:
                procs.append(subprocess.Popen(
                    _dask_command("worker") + [address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                                               "--host", "127.0.0.1", "--memory-limit", "0"],
                    stdout=log, stderr=subprocess.STDOUT, env=env))
        with distributed.Client(address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(n_workers, timeout=120)
        yield address
    finally:
        for proc in reversed(procs):
            _stop(proc)


@pytest.fixture(scope="module")
def scheduler_address(tmp_path_factory):
    with _cluster(tmp_path_factory.mktemp("dask-logs")) as address:
        yield address


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


def test_time_limit_works_on_dask_workers(scheduler_address):
    # the fit runs in a Dask worker's task thread, where a signal-based limit could not work
    start = time.perf_counter()
    res = run({"slow": SlowNaiveForecaster(seconds=15.0), "naive": "naive"}, {"x": np.arange(1.0, 21.0)},
              horizon=2, n_windows=2, time_limit=0.5, dask=scheduler_address)
    elapsed = time.perf_counter() - start
    slow = res[res["model"] == "slow"]
    assert (slow["status"] == "failed").all()
    assert slow["error"].str.contains("time limit of 0.5 s").all(), slow["error"].tolist()
    assert (res.loc[res["model"] == "naive", "status"] == "ok").all()
    assert elapsed < 12  # the 15 s fits were abandoned, not waited for


def _run_in_thread(timeout, **kwargs):
    """``run(**kwargs)`` in a daemon thread: ``(join, box)``; ``join()`` waits at most ``timeout`` s."""
    box = {}

    def target():
        try:
            box["result"] = run(**kwargs)
        except BaseException as exc:  # noqa: BLE001 - re-raised by the test
            box["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()

    def join():
        thread.join(timeout)
        assert not thread.is_alive(), f"the run did not finish within {timeout} s"
        if "error" in box:
            raise box["error"]
        return box["result"]

    return join


def _kill_first_fit(markers, timeout):
    """SIGKILL the worker process that starts the first slow fit; ``(pid, training size)``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        names = sorted(markers.iterdir(), key=lambda p: p.stat().st_mtime) if markers.exists() else []
        if names:
            pid, size = (int(v) for v in names[0].name.split("-")[:2])
            assert pid != os.getpid()
            os.kill(pid, signal.SIGKILL)
            return pid, size
        time.sleep(0.02)
    raise AssertionError(f"no fit started on the cluster within {timeout} s")


@pytest.mark.slow  # starts its own cluster, kills a worker and waits for its nanny to restart it
def test_a_killed_dask_worker_costs_no_cell(tmp_path, caplog):
    y = {"x": np.arange(1.0, 41.0)}
    markers = tmp_path / "markers"
    markers.mkdir()
    settings = dict(datasets=y, horizon=2, n_windows=6)
    local = run({"slow": SlowNaiveForecaster(seconds=0.0), "naive": "naive"}, **settings)
    logs = tmp_path / "logs"
    logs.mkdir()
    with _cluster(logs) as address:
        with caplog.at_level("WARNING", logger="tsforecast.benchmark"):
            join = _run_in_thread(180, models={"slow": SlowNaiveForecaster(seconds=1.5, marker_dir=str(markers)),
                                               "naive": "naive"}, dask=address, results=tmp_path / "out", **settings)
            _, size = _kill_first_fit(markers, timeout=60)
            remote = join()
    # finished, every cell once, same numbers as in-process
    assert (remote["status"] == "ok").all(), remote["error"].tolist()
    pd.testing.assert_frame_equal(_numbers(remote), _numbers(local))
    lines = (tmp_path / "out" / "results.csv").read_text().splitlines()
    assert len(lines) == 1 + len(local) == 1 + 2 * 6
    on_disk = load_results(tmp_path / "out")
    assert on_disk[["series", "model", "fold"]].apply(tuple, axis=1).is_unique
    # the killed cell is named as retried (with the cells queued on that worker, if any)
    killed = ("x", "x", "slow", 5 - (38 - size) // 2)  # the last fold (5) trains on 38 points, each earlier on 2 less
    retried = remote.attrs["retried"]
    assert killed in retried, (killed, retried)
    assert set(retried) <= set(zip(local["dataset"], local["series"], local["model"], local["fold"]))
    assert "were started again because the worker process running or holding them died" in caplog.text
    assert "x/x/slow/fold" in caplog.text


@pytest.mark.slow  # starts its own cluster and stops its only worker
def test_a_cluster_without_workers_stops_the_run_with_a_clear_error(tmp_path, monkeypatch):
    from tsforecast.benchmark import _executors

    monkeypatch.setattr(_executors, "NO_WORKER_TIMEOUT", 3.0)
    markers = tmp_path / "markers"
    markers.mkdir()
    logs = tmp_path / "logs"
    logs.mkdir()
    procs = []
    with _cluster(logs, n_workers=1, procs=procs) as address:
        join = _run_in_thread(120, models={"slow": SlowNaiveForecaster(seconds=1.0, marker_dir=str(markers))},
                              datasets={"x": np.arange(1.0, 41.0)}, horizon=2, n_windows=6, dask=address,
                              results=tmp_path / "out")
        deadline = time.monotonic() + 60
        while not any(markers.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert any(markers.iterdir()), "no fit started on the cluster"
        _stop(procs[1])  # the worker and its nanny: the cluster has no worker left
        with pytest.raises(_executors.NoWorkerError, match="has had no worker for .* cells are unfinished.*--resume"):
            join()
