"""Run an evaluator over points: serially, on local processes or on Dask.

The evaluator is a top-level (picklable) function
``evaluate(point: dict) -> dict[str, float]`` called in the worker with the
point's parameters (bookkeeping keys such as the grid index removed). It may
raise: the point is then recorded as failed with a one-line message
(``"TypeName: message"``) and the scan goes on.

With a :class:`~qke.scans.store.ResultStore`, points already stored are not
recomputed (resume) and every finished point is committed as soon as it
arrives, in the main process. All modes return the same results in the order
of the input points.

Examples
--------
>>> from qke.scans.grid import parse_axis, product_points
>>> res = run_points(product_points({}, [parse_axis("x=1,2,3")]), _doctest_square,
...                  workers=1, progress=False)
>>> [r.values["y"] for r in res]
[1.0, 4.0, 9.0]
"""
from __future__ import annotations

import logging
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from functools import partial
from typing import Callable, Iterator, Mapping, Sequence

import numpy as np

from ..errors import QKEInputError
from .grid import INDEX_KEY, Axis, parameters
from .store import ResultStore

logger = logging.getLogger(__name__)

#: ``evaluate(point) -> {name: float}``; may raise for a failed point.
Evaluator = Callable[[dict], Mapping[str, float]]


@dataclass(frozen=True)
class PointResult:
    """The result of one point.

    Attributes
    ----------
    point : dict
        The input point, as given (bookkeeping keys included).
    values : dict or None
        ``{name: float}`` from the evaluator; None if the point failed.
    error : str or None
        One-line ``"TypeName: message"``; None if the point succeeded.
    wall_time : float
        Evaluation wall time in the worker [s] (the stored one if cached).
    cached : bool
        True if taken from the store rather than computed in this run.
    """

    point: dict
    values: dict | None
    error: str | None
    wall_time: float
    cached: bool

    @property
    def ok(self) -> bool:
        """True if the point succeeded."""
        return self.error is None


@dataclass(frozen=True)
class Outcome:
    """What a worker returns for one point.

    ``persist`` is False for failures of the executor itself (a worker process
    died, the cluster went away): those are reported but not stored, so a
    rerun tries the point again.
    """

    values: dict | None
    error: str | None
    wall_time: float
    persist: bool = True


def run_points(points: Sequence[dict], evaluate: Evaluator, store: ResultStore | str | os.PathLike | None = None,
               workers: int | None = None, dask=None, progress: bool | None = None,
               version: str | None = None, initializer: Callable[[], None] | None = None,
               chunksize: int = 1, retry_failed: bool = False,
               executor: ProcessPoolExecutor | None = None) -> list[PointResult]:
    """Evaluate every point; return their results in input order.

    Parameters
    ----------
    points : sequence of dict
        The points (e.g. from :func:`~qke.scans.grid.product_points`).
    evaluate : callable
        Top-level (picklable) ``evaluate(point) -> {name: float}``.
    store : ResultStore, path or None
        Where results are read from (resume) and written to, one commit per
        point. A path opens (and closes) a store with ``version``.
    workers : int, optional
        1: serial, in this process. N > 1: N local processes
        (:class:`concurrent.futures.ProcessPoolExecutor`). Default: all cores.
        With ``dask='local'``, the number of Dask workers.
    dask : {'local'} or str or distributed.Client, optional
        ``'local'``: start a ``distributed.LocalCluster`` (one thread per worker
        process; its worker processes are spawned, so a script using it needs
        an ``if __name__ == "__main__":`` guard); an address string such as
        ``'tcp://host:8786'``: connect to that scheduler; a Client: use it.
        Needs ``pip install -e ".[cluster]"``.
    progress : bool, optional
        Progress bar on stderr; None (default): only if stderr is a terminal.
    version : str, optional
        Store version when ``store`` is a path; if a ResultStore is given it
        must match its version.
    initializer : callable, optional
        Called once per worker (once in this process when serial) before any
        point, e.g. to warm tables. On Dask it runs on the workers connected
        at the start (``Client.run``); workers joining later skip it.
    chunksize : int, optional
        Points sent to a local process at a time (default 1).
    retry_failed : bool, optional
        Recompute points stored as failed (default False: they count as done).
    executor : ProcessPoolExecutor, optional
        A process pool owned by the caller (already warmed by its initializer),
        reused across calls instead of starting one per call; ``workers`` and
        ``initializer`` are then not used for the local processes.

    Returns
    -------
    list of PointResult
    """
    points = list(points)
    _check_workers(workers, chunksize)
    store, owned = _open_store(store, version)
    try:
        results, todo = _plan(points, store, retry_failed)
        logger.info("scan: %d points, %d from the store, %d to compute",
                    len(points), len(points) - len(todo), len(todo))
        if todo:
            stream = _backend(todo, evaluate, workers, dask, initializer, chunksize, executor)
            _collect(stream, points, results, store, _progress_bar(progress, len(points), len(points) - len(todo)))
    finally:
        if owned:
            store.close()
    _log_summary(results)
    return results


def evaluate_point(evaluate: Evaluator, point: dict) -> Outcome:
    """Call the evaluator on one point (in the worker), timing it and catching failures."""
    start = time.perf_counter()
    try:
        values = _check_values(evaluate(parameters(point)))
    except Exception as exc:  # a failed point must never stop the scan
        return Outcome(None, format_error(exc), time.perf_counter() - start)
    return Outcome(values, None, time.perf_counter() - start)


def evaluate_chunk(evaluate: Evaluator, points: Sequence[dict]) -> list[Outcome]:
    """:func:`evaluate_point` over several points (one task of a local process)."""
    return [evaluate_point(evaluate, p) for p in points]


def format_error(exc: BaseException) -> str:
    """One line: ``"TypeName: message"`` (whitespace collapsed)."""
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def results_to_grid(results: Sequence[PointResult], axes: Sequence[Axis], name: str) -> np.ndarray:
    """Array of result ``name`` over the grid, shape ``(len(axes[0]), len(axes[1]), ...)``.

    Points are placed by their grid index (:data:`~qke.scans.grid.INDEX_KEY`);
    failed or missing points are NaN.
    """
    grid = np.full(tuple(len(a) for a in axes), np.nan)
    for r in results:
        index = r.point.get(INDEX_KEY)
        if index is not None and r.values is not None and name in r.values:
            grid[tuple(index)] = r.values[name]
    return grid


def _check_values(values) -> dict[str, float]:
    """The evaluator must return a mapping of names to numbers."""
    if not isinstance(values, Mapping):
        raise TypeError(f"evaluator returned {type(values).__name__}, expected a dict of floats")
    out = {}
    for k, v in values.items():
        try:
            out[str(k)] = float(v)
        except (TypeError, ValueError):
            raise TypeError(f"evaluator returned {k!r}: {v!r}, expected a float") from None
    return out


def _check_workers(workers: int | None, chunksize: int) -> None:
    """workers and chunksize are positive integers."""
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise QKEInputError(f"workers: must be an integer >= 1, got {workers!r}")
    if not isinstance(chunksize, int) or chunksize < 1:
        raise QKEInputError(f"chunksize: must be an integer >= 1, got {chunksize!r}")


def _open_store(store, version: str | None) -> tuple[ResultStore | None, bool]:
    """(store, owned): open a path; check the version of a given store."""
    if store is None:
        return None, False
    if isinstance(store, ResultStore):
        if version is not None and version != store.version:
            raise QKEInputError(f"version: {version!r} differs from the store's {store.version!r}")
        return store, False
    return ResultStore(store, version=version or ""), True


def _plan(points: list[dict], store: ResultStore | None, retry_failed: bool):
    """Results taken from the store, and the (index, point) pairs still to compute."""
    results: list[PointResult | None] = [None] * len(points)
    todo = []
    done = store.done_keys() if store is not None else set()
    for i, point in enumerate(points):
        key = store.key(point) if store is not None else None
        stored = store.get_key(key) if key in done else None
        if stored is not None and (stored.ok or not retry_failed):
            results[i] = PointResult(point, stored.values, stored.error, stored.wall_time, cached=True)
        else:
            todo.append((i, point))
    return results, todo


def _backend(todo, evaluate, workers, dask, initializer, chunksize, executor=None) -> Iterator[tuple[int, Outcome]]:
    """The generator of (index, outcome) for the chosen execution mode."""
    if dask is not None:
        return _run_dask(todo, evaluate, dask, workers, initializer)
    if executor is not None:
        return _run_processes(todo, evaluate, workers, initializer, chunksize, executor)
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        return _run_serial(todo, evaluate, initializer)
    return _run_processes(todo, evaluate, workers, initializer, chunksize)


def _collect(stream, points, results, store, bar) -> None:
    """Record each outcome as it arrives: result list, store, progress bar."""
    try:
        for i, outcome in stream:
            results[i] = PointResult(points[i], outcome.values, outcome.error, outcome.wall_time, cached=False)
            if store is not None and outcome.persist:
                store.put(points[i], outcome.values, outcome.error, outcome.wall_time)
            if outcome.error is not None:
                logger.debug("point %s failed: %s", points[i], outcome.error)
            bar.update(outcome.error is None)
    finally:
        stream.close()  # on an interrupt: stop the pool now
        bar.close()


def _run_serial(todo, evaluate, initializer) -> Iterator[tuple[int, Outcome]]:
    """Evaluate in this process."""
    if initializer is not None:
        initializer()
    for i, point in todo:
        yield i, evaluate_point(evaluate, point)


def _run_processes(todo, evaluate, workers, initializer, chunksize, pool=None) -> Iterator[tuple[int, Outcome]]:
    """Evaluate on a local process pool (``pool``, or one started here), yielding outcomes as chunks finish."""
    chunks = [todo[k:k + chunksize] for k in range(0, len(todo), chunksize)]
    executor = pool or ProcessPoolExecutor(max_workers=min(workers, len(chunks)), initializer=initializer)
    finished = False
    try:
        futures = {executor.submit(evaluate_chunk, evaluate, [p for _, p in chunk]): [i for i, _ in chunk]
                   for chunk in chunks}
        for future in as_completed(futures):
            indices = futures[future]
            yield from zip(indices, _chunk_outcomes(future, len(indices)))
        finished = True
    finally:
        if pool is None or not finished:
            _shutdown_pool(executor, abort=not finished)


def _chunk_outcomes(future, n: int) -> list[Outcome]:
    """A chunk's outcomes; if the task itself failed (dead worker), n unstored failures."""
    try:
        return future.result()
    except Exception as exc:
        return [Outcome(None, f"executor: {format_error(exc)}", 0.0, persist=False)] * n


def _shutdown_pool(executor: ProcessPoolExecutor, abort: bool) -> None:
    """Normal end: wait for the pool. Abort (interrupt): cancel and terminate workers now."""
    if not abort:
        executor.shutdown(wait=True)
        return
    # Running tasks cannot be cancelled: stop their processes first, then let the
    # executor's manager thread see the broken pool, fail what is pending and reap them.
    for process in list((getattr(executor, "_processes", None) or {}).values()):
        process.terminate()
    executor.shutdown(wait=True, cancel_futures=True)


def _run_dask(todo, evaluate, target, workers, initializer) -> Iterator[tuple[int, Outcome]]:
    """Evaluate on Dask distributed, yielding outcomes as tasks finish."""
    distributed = _import_distributed()
    client, owned = _dask_client(distributed, target, workers)
    futures, finished = [], False
    try:
        if initializer is not None:
            client.run(initializer)
        futures = client.map(partial(evaluate_point, evaluate), [p for _, p in todo], pure=False)
        index = {f.key: i for (i, _), f in zip(todo, futures)}
        for future in distributed.as_completed(futures):
            yield index[future.key], _dask_outcome(future)
        finished = True
    finally:
        if not finished and futures:
            client.cancel(futures)
        for resource in owned:
            resource.close()


def _dask_outcome(future) -> Outcome:
    """The task's outcome; if the task itself failed (lost worker), an unstored failure."""
    try:
        return future.result()
    except Exception as exc:
        return Outcome(None, f"executor: {format_error(exc)}", 0.0, persist=False)


def _import_distributed():
    """Import dask.distributed lazily, with an installation hint."""
    try:
        import distributed
    except ImportError:
        raise QKEInputError('dask: dask.distributed is not installed; run pip install -e ".[cluster]"') from None
    return distributed


def _dask_client(distributed, target, workers) -> tuple[object, list]:
    """(client, resources to close after the run, in order).

    ``'local'`` starts a LocalCluster (closed with its client afterwards); an
    address opens a client (closed afterwards); a given Client is left open.
    """
    if isinstance(target, str) and target == "local":
        n = workers or os.cpu_count() or 1
        cluster = distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                                           dashboard_address=":0", silence_logs=logging.WARNING)
        client = distributed.Client(cluster)
        client.wait_for_workers(n)
        return client, [client, cluster]
    if isinstance(target, str):
        try:
            client = distributed.Client(target)  # timeout: dask config comm.timeouts.connect
        except (OSError, TimeoutError) as exc:
            raise QKEInputError(f"dask: cannot reach the scheduler at {target!r} ({format_error(exc)})") from None
        return client, [client]
    if hasattr(target, "submit") and hasattr(target, "map"):
        return target, []
    raise QKEInputError(f"dask: expected 'local', a scheduler address or a distributed.Client, got {target!r}")


class _Progress:
    """tqdm bar with ok/failed/cached counts in its postfix."""

    def __init__(self, total: int, cached: int, enabled: bool):
        from tqdm import tqdm

        self.ok = self.failed = 0
        self.cached = cached
        self._bar = tqdm(total=total, initial=cached, disable=not enabled, file=sys.stderr,
                         unit="pt", dynamic_ncols=True, desc="scan")
        self._bar.set_postfix(self._counts(), refresh=False)

    def _counts(self) -> dict:
        return {"ok": self.ok, "failed": self.failed, "cached": self.cached}

    def update(self, ok: bool) -> None:
        """One more point finished."""
        self.ok += ok
        self.failed += not ok
        self._bar.set_postfix(self._counts(), refresh=False)
        self._bar.update(1)

    def close(self) -> None:
        """Close the bar."""
        self._bar.close()


def _progress_bar(progress: bool | None, total: int, cached: int) -> _Progress:
    """The bar, enabled if asked or (auto) if stderr is a terminal."""
    enabled = progress if progress is not None else bool(getattr(sys.stderr, "isatty", lambda: False)())
    return _Progress(total, cached, enabled)


def _log_summary(results: Sequence[PointResult]) -> None:
    """One log line: computed, cached, failed."""
    failed = sum(r is not None and not r.ok for r in results)
    cached = sum(r is not None and r.cached for r in results)
    level = logging.WARNING if failed else logging.INFO
    logger.log(level, "scan done: %d points, %d cached, %d failed", len(results), cached, failed)


def _doctest_square(point: dict) -> dict:
    """Toy evaluator for the module doctest: y = x^2."""
    return {"y": point["x"] ** 2}
