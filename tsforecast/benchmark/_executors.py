"""Where the cells run: in this process, in joblib worker processes, or on a Dask cluster.

Each executor takes the jobs (the arguments of
:func:`~tsforecast.benchmark._cell.run_cell`, the first being the cell's
position) and yields ``(position, result)`` pairs as cells finish, in any
order. Each cell uses one BLAS/OpenMP thread (the parallelism is across
cells): joblib and Dask worker processes are set up that way, and
in-process runs limit the thread pools with ``threadpoolctl`` while the
cells run.

Worker crashes
--------------
A cell can kill the joblib worker process running it (a segmentation
fault in compiled code, the out-of-memory killer, ``os._exit``). joblib
then stops the whole pool and raises ``TerminatedWorkerError``; the cells
whose results had come back are kept (and already written), the others
are unfinished. Each cell leaves a marker file (in a temporary folder)
while it runs, so the executor knows which unfinished cells were running
when the pool broke: it re-runs each of those alone, in a fresh pool, then
the other unfinished cells together. A cell that kills its worker when it
runs alone is recorded as failed ("WorkerDied: ..."); every other cell
runs normally and is recorded once (a cell whose result was lost with the
pool is simply run again). Without markers (e.g. an unwritable temporary
folder) the unfinished cells are halved until the culprit runs alone. A
cell that kills its worker thus costs two pool restarts. In-process runs
(``n_jobs=1``) cannot survive a cell that kills the process itself.

On Dask, the scheduler re-runs the cells that a dead worker was running
(or had queued) on the other workers; a cell that has been on
``distributed.scheduler.allowed-failures + 1`` (default 4) workers that
died is recorded as failed ("DaskError: KilledWorker: ..."). Each cell is
a future that completes once, so it is recorded once however often it
ran. The scheduler's event log tells which of them were on a worker that
left (read as the run goes); the executors add the positions of the cells
they re-ran to the ``retried`` set they are given, and the runner names
them in a warning.

A cluster left with no worker at all (every worker died or was stopped)
would keep the cells queued forever: after ``NO_WORKER_TIMEOUT`` seconds
(300) without a worker the run stops with a ``NoWorkerError`` (a ``RuntimeError``) that says
so; the finished cells are already written, and ``--resume`` continues
once workers are back.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time

from ..utils._numeric import shorten
from ._cell import MAX_ERROR, error_text, outcome, run_cell

__all__ = ["NoWorkerError", "local_results", "dask_results"]

logger = logging.getLogger("tsforecast.benchmark")


def local_results(jobs, n_jobs, retried=None):
    """Run the jobs in this process (``n_jobs`` 1 or None) or in joblib worker processes.

    ``retried``: a set to which the positions of the cells that were
    running when a worker process died (and are run again) are added.
    """
    if n_jobs in (None, 1) or len(jobs) <= 1:
        from threadpoolctl import threadpool_limits

        # One BLAS/OpenMP thread per cell, as in joblib's and Dask's worker processes: the
        # cells are small fits, and multi-threaded BLAS on them is much slower (oversubscription).
        # The previous limits are restored when the loop ends or the generator is closed.
        with threadpool_limits(limits=1):
            for job in jobs:
                yield run_cell(*job)
        return
    yield from _parallel_results(jobs, n_jobs, set() if retried is None else retried)


def _worker_died(exc):
    text = ("WorkerDied: the worker process running this cell died (a crash such as a segmentation "
            "fault, the out-of-memory killer, os._exit or a signal): " + " ".join(str(exc).split()))
    return outcome(shorten(text, MAX_ERROR))


def _parallel_results(jobs, n_jobs, retried):
    """Run the jobs in joblib worker processes, surviving workers that die (see the module docstring)."""
    from concurrent.futures import BrokenExecutor  # joblib/loky's TerminatedWorkerError is one

    from joblib import Parallel, delayed

    with tempfile.TemporaryDirectory(prefix="tsforecast-cells-") as markers:
        groups = [list(jobs)]
        while groups:
            group = groups.pop(0)
            pending = {job[0]: job for job in group}
            try:
                parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
                for i, out in parallel(delayed(run_cell)(*job, markers) for job in group):
                    del pending[i]
                    yield i, out
            except BrokenExecutor as exc:
                lost = [job for job in group if job[0] in pending]  # the cells that did not come back
                running = {job[0] for job in lost if os.path.exists(os.path.join(markers, str(job[0])))}
                for i in running:
                    os.remove(os.path.join(markers, str(i)))
                retried.update(running)
                if len(lost) == 1:  # then it is the one that killed its worker
                    logger.warning("a worker process died running cell %d; it is recorded as failed", lost[0][0])
                    yield lost[0][0], _worker_died(exc)
                elif running:  # the culprit is among the cells that were running: each alone, then the rest
                    logger.warning("a worker process died; re-running %d unfinished cells", len(lost))
                    alone = [[job] for job in lost if job[0] in running]
                    rest = [job for job in lost if job[0] not in running]
                    groups[:0] = alone + ([rest] if rest else [])
                else:
                    logger.warning("a worker process died; re-running %d unfinished cells in two groups", len(lost))
                    half = len(lost) // 2
                    groups[:0] = [lost[:half], lost[half:]]


def _dask_client(dask):
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - optional dependency
        raise ImportError("dask= needs the 'distributed' package: pip install 'tsforecast[dask]'.") from exc
    if isinstance(dask, Client):
        return dask, False
    if dask is True:
        from distributed import get_client

        return get_client(), False
    if isinstance(dask, str):
        return Client(dask, set_as_default=False), True
    raise TypeError(f"dask must be a scheduler address such as 'tcp://host:8786' or a distributed.Client; got {dask!r}.")


#: seconds a Dask cluster may have no worker before the run stops (its cells would wait forever)
NO_WORKER_TIMEOUT = 300.0

#: seconds between two questions to the scheduler about its workers while no cell finishes
_WORKER_CHECK_EVERY = 1.0


class NoWorkerError(RuntimeError):
    """The Dask cluster has had no worker for ``NO_WORKER_TIMEOUT`` seconds."""


class _WorkerWatch:
    """Raises once the cluster has had no worker for ``NO_WORKER_TIMEOUT`` seconds."""

    def __init__(self, client):
        self.client = client
        self.checked_at = self.alone_since = None

    def check(self, n_unfinished):
        now = time.monotonic()
        if self.checked_at is not None and now - self.checked_at < _WORKER_CHECK_EVERY:
            return
        self.checked_at = now
        try:
            n_workers = len(self.client.scheduler_info().get("workers", {}))
        except Exception as exc:  # noqa: BLE001 - a scheduler that cannot answer is not "no worker"
            logger.debug("could not ask the Dask scheduler for its workers: %s", exc)
            return
        if n_workers:
            self.alone_since = None
            return
        if self.alone_since is None:
            self.alone_since = now
            logger.warning("the Dask cluster has no worker; %d cells wait (the run stops after %g s without one)",
                           n_unfinished, NO_WORKER_TIMEOUT)
        elif now - self.alone_since >= NO_WORKER_TIMEOUT:
            address = getattr(self.client.scheduler, "address", "?")
            raise NoWorkerError(
                f"the Dask cluster at {address} has had no worker for "
                f"{now - self.alone_since:.0f} s; {n_unfinished} cells are unfinished. The finished cells are "
                "saved: start workers again and continue the run with --resume (run(..., resume=True))."
            )


#: read the scheduler's event log after this many finished cells or seconds, whichever comes first:
#: it keeps the last ``distributed.admin.low-level-log-length`` (default 1000) events of a topic,
#: and fetching each result adds one ("gather")
_EVENTS_EVERY_CELLS = 100
_EVENTS_EVERY_SECONDS = 30.0


def _left_with_a_worker(client, keys):
    """The keys among ``keys`` that were on a worker when it left the cluster (it died or was closed).

    Read from the scheduler's event log (topic ``"all"``, action
    ``"remove-worker"``): the tasks the worker was running or had queued,
    and those whose results were lost with it. Empty when the log cannot
    be read.
    """
    try:
        events = client.get_events("all")
    except Exception as exc:  # noqa: BLE001 - the report is best effort; the results are complete anyway
        logger.debug("could not read the Dask scheduler's event log: %s", exc)
        return set()
    hit = set()
    for _, msg in events:
        if isinstance(msg, dict) and msg.get("action") == "remove-worker":
            hit.update(msg.get("processing-tasks", ()), msg.get("lost-computed-tasks", ()))
    return hit & keys.keys()


def dask_results(jobs, dask, retried=None):
    """Run the jobs on a Dask cluster (a scheduler address, a ``Client`` or ``True`` for the current one).

    ``retried``: a set to which the positions of the cells that were re-run
    because their worker left the cluster are added (read from the
    scheduler's event log every 100 cells or 30 seconds, and at the end).
    """
    from distributed import as_completed

    client, own = _dask_client(dask)
    futures = {}
    positions = {}  # task key -> cell position
    try:
        for job in jobs:
            fut = client.submit(run_cell, *job, pure=False)
            futures[fut] = positions[fut.key] = job[0]
        unread, read_at = 0, time.monotonic()
        pending, watch = as_completed(list(futures), loop=client.loop), _WorkerWatch(client)
        while not pending.is_empty():
            if not pending.has_ready():
                watch.check(len(futures))
                time.sleep(0.05)
                continue
            fut = next(pending)
            i = futures.pop(fut)
            try:
                yield fut.result()
            except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker: that cell fails, the run goes on
                yield i, outcome("DaskError: " + error_text(exc))
            unread += 1
            if retried is not None and (not futures or unread >= _EVENTS_EVERY_CELLS
                                        or time.monotonic() - read_at >= _EVENTS_EVERY_SECONDS):
                retried.update(positions[k] for k in _left_with_a_worker(client, positions))
                unread, read_at = 0, time.monotonic()
    finally:
        if futures:
            client.cancel(list(futures))
        if own:
            client.close()
