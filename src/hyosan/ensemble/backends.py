"""Where replicates run: a local process pool (default) or a Dask cluster.

Both take the same task dicts (``hyosan.ensemble.task.make_task``) and yield results as they
finish, in whatever order; the caller (the parent process) stores each one at once. A task that
fails stops the sweep with an error naming its run; what finished before is kept.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from hyosan.ensemble.task import run_task
from hyosan.errors import HyosanError

_PR_SET_PDEATHSIG = 1


class TaskError(HyosanError):
    """A replicate raised an error in its worker."""


def _failed(task: dict[str, Any], exc: BaseException) -> TaskError:
    name = (task.get("scenario") or {}).get("name", "?")
    return TaskError(f"replicate {task['run_id']} of scenario {name!r} failed in its worker: "
                     f"{type(exc).__name__}: {exc}")


def _die_with_parent(parent: int) -> None:
    """Pool initializer: this worker ends when its parent does, even by SIGKILL.

    Linux delivers SIGKILL on the parent's death (prctl PR_SET_PDEATHSIG); everywhere a daemon
    thread also watches the parent id. Ctrl-C is the parent's to handle: it stops the pool."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):  # pragma: no cover - no prctl in this libc
            pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="hyosan-parent-watch", daemon=True).start()


def _stop(pool: ProcessPoolExecutor) -> None:
    """End the pool's worker processes now (after an error or Ctrl-C in the parent)."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        proc.terminate()


def run_local(tasks: list[dict[str, Any]], workers: int) -> Iterator[dict[str, Any]]:
    """Run tasks in ``workers`` fresh processes (spawn: no inherited state, same on every OS)
    that end with their parent."""
    if not tasks:
        return
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=max(1, workers), mp_context=ctx,
                               initializer=_die_with_parent, initargs=(os.getpid(),))
    finished = False
    try:
        pending: dict[Future, dict[str, Any]] = {pool.submit(run_task, t): t for t in tasks}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in done:
                task = pending.pop(fut)
                exc = fut.exception()
                if exc is not None:
                    raise _failed(task, exc) from exc
                yield fut.result()
        finished = True
    finally:
        # on an error or Ctrl-C: drop what has not started and stop what is running
        if not finished:
            _stop(pool)
        pool.shutdown(wait=finished, cancel_futures=True)


def run_dask(tasks: list[dict[str, Any]], workers: int, scheduler: str | None = None
             ) -> Iterator[dict[str, Any]]:
    """Run tasks on a Dask cluster at ``scheduler`` (``tcp://host:8786``), or, without one, on a
    ``LocalCluster`` of ``workers`` single-threaded processes. Workers need hyosan installed."""
    if not tasks:
        return
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    else:
        try:
            client = Client(scheduler, timeout="20s")
        except OSError as exc:
            raise HyosanError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from None
    by_key = {f"hyosan-{t['run_id']}": t for t in tasks}
    futures: list = []
    try:
        futures = client.map(run_task, tasks, key=list(by_key), pure=False)
        for fut in as_completed(futures):
            if fut.status == "error":
                raise _failed(by_key[fut.key], fut.exception())
            yield fut.result()
    finally:
        if futures:
            client.cancel(futures)
        client.close()
        if cluster is not None:
            cluster.close()


def run_tasks(tasks: list[dict[str, Any]], *, backend: str = "local", workers: int = 1,
              scheduler: str | None = None) -> Iterator[dict[str, Any]]:
    """Dispatch to a backend by name (``local`` or ``dask``)."""
    if backend == "local":
        if scheduler is not None:
            raise HyosanError("--scheduler needs --backend dask")
        return run_local(tasks, workers)
    if backend == "dask":
        return run_dask(tasks, workers, scheduler)
    raise HyosanError(f"unknown backend {backend!r} (choose local or dask)")
