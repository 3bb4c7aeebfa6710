"""Executors (qke.scans.run): serial, local processes and Dask agree; failures, resume, kill."""
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

import scan_toys
from qke.errors import QKEInputError
from qke.scans.grid import INDEX_KEY, parse_axis, product_points
from qke.scans.run import results_to_grid, run_points
from qke.scans.store import ResultStore

TESTS = Path(__file__).resolve().parent
AXES = [parse_axis("a=1:4:lin:4"), parse_axis("b=-1,0.5,2")]
POINTS = product_points({"tag": "toy"}, AXES)  # 12 points; (a=3, b=-1) fails


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as local:
        yield local


def outcome(results):
    return [(r.point, r.values, r.error) for r in results]


def test_serial_processes_and_dask_agree(cluster):
    serial = run_points(POINTS, scan_toys.toy, workers=1, progress=False)
    pool = run_points(POINTS, scan_toys.toy, workers=2, progress=False)
    dask = run_points(POINTS, scan_toys.toy, dask=cluster.scheduler_address, progress=False)
    assert len(serial) == 12
    assert outcome(serial) == outcome(pool) == outcome(dask)
    assert [r.point[INDEX_KEY] for r in dask] == [p[INDEX_KEY] for p in POINTS]
    assert all(not r.cached and r.wall_time >= 0 for r in serial + pool + dask)


def test_dask_local_cluster_is_started_and_closed():
    pytest.importorskip("distributed")
    results = run_points(POINTS[:4], scan_toys.toy, dask="local", workers=1, progress=False)
    assert outcome(results) == outcome(run_points(POINTS[:4], scan_toys.toy, workers=1, progress=False))


def test_failed_points_are_recorded_and_do_not_stop_the_scan():
    store = ResultStore(version="t")
    results = run_points(POINTS, scan_toys.toy, store=store, workers=2, progress=False)
    failed = [r for r in results if not r.ok]
    assert len(failed) == 1 and failed[0].point["a"] == 3.0 and failed[0].point["b"] == -1.0
    assert failed[0].values is None
    assert failed[0].error == "ValueError: toy: refused a = 3.0, b = -1.0 (second line)"
    assert sum(r.ok for r in results) == 11
    assert store.get(failed[0].point).error == failed[0].error
    assert len(store.done_keys("ok")) == 11


def test_bad_return_value_is_a_failed_point():
    (result,) = run_points([{"x": 1.0}], scan_toys.bad_return, workers=1, progress=False)
    assert result.error.startswith("TypeError: evaluator returned list")


def test_resume_recomputes_nothing(tmp_path):
    db = tmp_path / "scan.sqlite"
    first = run_points(POINTS, scan_toys.toy, store=db, version="r", workers=2, progress=False)
    assert not any(r.cached for r in first)
    second = run_points(POINTS, scan_toys.toy, store=db, version="r", workers=2, progress=False)
    assert all(r.cached for r in second)  # the evaluator was not called at all
    assert outcome(second) == outcome(first)
    third = run_points(POINTS, scan_toys.toy, store=db, version="r", workers=1, progress=False,
                       retry_failed=True)
    assert [r.point for r in third if not r.cached] == [r.point for r in first if not r.ok]
    other = run_points(POINTS[:2], scan_toys.toy, store=db, version="r2", workers=1, progress=False)
    assert not any(r.cached for r in other)  # another version is another key


def test_store_version_must_match():
    with pytest.raises(QKEInputError, match="version"):
        run_points(POINTS, scan_toys.toy, store=ResultStore(version="a"), version="b")


def test_initializer_runs_in_each_worker(monkeypatch):
    points = [{"x": float(i)} for i in range(6)]
    monkeypatch.delenv("QKE_TOY_WARM", raising=False)
    results = run_points(points, scan_toys.warm_check, workers=2, progress=False,
                         initializer=scan_toys.warm_marker)
    assert all(r.values["warm"] == 1.0 for r in results)
    assert "QKE_TOY_WARM" not in os.environ  # it ran in the workers, not here


def test_initializer_runs_on_dask_workers(cluster):
    points = [{"x": float(i)} for i in range(4)]
    results = run_points(points, scan_toys.warm_check, dask=cluster.scheduler_address, progress=False,
                         initializer=scan_toys.warm_marker)
    assert all(r.values["warm"] == 1.0 for r in results)


def test_bad_arguments():
    with pytest.raises(QKEInputError, match="workers"):
        run_points(POINTS, scan_toys.toy, workers=0)
    with pytest.raises(QKEInputError, match="chunksize"):
        run_points(POINTS, scan_toys.toy, chunksize=0)
    with pytest.raises(QKEInputError, match="dask"):
        run_points(POINTS, scan_toys.toy, dask=42)


def test_unreachable_scheduler_is_an_input_error():
    dask = pytest.importorskip("dask")
    with dask.config.set({"distributed.comm.timeouts.connect": "0.5s"}):
        with pytest.raises(QKEInputError, match="cannot reach the scheduler"):
            run_points(POINTS[:1], scan_toys.toy, dask="tcp://127.0.0.1:9", progress=False)


def test_missing_dask_gives_install_hint(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(QKEInputError, match=r'pip install -e "\.\[cluster\]"'):
        run_points(POINTS, scan_toys.toy, dask="local")


def test_chunked_pool_and_grid_array():
    results = run_points(POINTS, scan_toys.toy, workers=2, chunksize=5, progress=False)
    grid = results_to_grid(results, AXES, "sum")
    a, b = np.meshgrid(AXES[0].values, AXES[1].values, indexing="ij")
    expected = a + b
    expected[2, 0] = np.nan  # the failed point
    np.testing.assert_array_equal(grid, expected)


def test_progress_bar_on_request_only(capsys):
    run_points(POINTS, scan_toys.toy, workers=1, progress=True)
    err = capsys.readouterr().err
    assert "12/12" in err and "failed=1" in err and "ok=11" in err
    run_points(POINTS, scan_toys.toy, workers=1)  # auto: stderr is not a terminal here
    assert capsys.readouterr().err == ""


def test_interrupt_stops_the_pool_promptly(tmp_path):
    points = [{"x": float(i), "sleep": 0.3} for i in range(20)]  # 3 s of work on 2 workers
    store = ResultStore(tmp_path / "s.sqlite")
    children = set(multiprocessing.active_children())  # e.g. the Dask fixture's workers
    timer = threading.Timer(0.8, os.kill, (os.getpid(), signal.SIGINT))
    start = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        run_points(points, scan_toys.sleepy, store=store, workers=2, progress=False)
    elapsed = time.perf_counter() - start
    timer.join()
    assert elapsed < 1.6
    assert set(multiprocessing.active_children()) <= children  # the pool's workers are gone
    finished = len(store)
    assert 2 <= finished < 20  # what finished before the interrupt is kept
    rerun = run_points(points[:finished], scan_toys.sleepy, store=store, workers=1, progress=False)
    assert sum(r.cached for r in rerun) >= 1


KILLED_SCAN = """
import sys
sys.path.insert(0, {tests!r})
import scan_toys
from qke.scans.grid import parse_axis, product_points
from qke.scans.run import run_points
points = product_points({{"sleep": 0.05}}, [parse_axis("x=1:40:lin:40")])
run_points(points, scan_toys.sleepy, store={db!r}, version="kill", workers=2, progress=False)
"""


def _rows(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
    except sqlite3.OperationalError:  # table not created yet
        return 0


@pytest.mark.skipif(not hasattr(os, "killpg"), reason="needs POSIX process groups")
def test_killed_scan_resumes_without_recomputing(tmp_path):
    db = tmp_path / "killed.sqlite"
    code = KILLED_SCAN.format(tests=str(TESTS), db=str(db))
    proc = subprocess.Popen([sys.executable, "-c", code], start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while _rows(db) < 5 and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the scan and its worker processes
        proc.wait()
    with ResultStore(db, version="kill") as store:
        before = {r.key: r.created for r in store.rows()}
    assert 5 <= len(before) < 40, "the scan should have been killed midway"

    points = product_points({"sleep": 0.05}, [parse_axis("x=1:40:lin:40")])
    with ResultStore(db, version="kill") as store:
        results = run_points(points, scan_toys.sleepy, store=store, workers=2, progress=False)
        after = {r.key: r.created for r in store.rows()}
        cached = {store.key(r.point) for r in results if r.cached}
    assert all(r.ok for r in results) and len(after) == 40
    assert cached == set(before)  # every finished point came from the store...
    assert all(after[k] == t for k, t in before.items())  # ...untouched
    assert [r.values["y"] for r in results] == [p["x"] ** 2 for p in points]
