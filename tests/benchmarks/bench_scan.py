"""Throughput and overhead of qke.scans.run.run_points, measured on this machine.

Usage::

    python tests/benchmarks/bench_scan.py                      # toy: 20 ms of CPU per point
    python tests/benchmarks/bench_scan.py --evaluator mypkg.mod:evaluate \\
        --base '{"model": "sm", "flavor": "mu"}' --grid m4=1:50:log:20

Reports, for the points of ``--grid`` on top of ``--base``:

- the throughput ratio of ``--workers`` local processes over serial (both with
  a result store, pool start-up included);
- the per-point overhead of run_points with an SQLite store (one commit per
  point) relative to calling the evaluator directly in a loop.
"""
import argparse
import importlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for scan_toys

from qke.scans.grid import parameters, parse_grid, product_points  # noqa: E402
from qke.scans.run import run_points  # noqa: E402
import scan_toys  # noqa: E402


def load_evaluator(dotted: str):
    """``'module:function'`` -> the function."""
    module, _, name = dotted.partition(":")
    if not name:
        raise SystemExit(f"--evaluator: expected module:function, got {dotted!r}")
    return getattr(importlib.import_module(module), name)


def time_direct(evaluate, points) -> float:
    """Wall time [s] of calling the evaluator on every point in a plain loop."""
    start = time.perf_counter()
    for point in points:
        evaluate(parameters(point))
    return time.perf_counter() - start


def time_run(evaluate, points, workers: int, with_store: bool) -> float:
    """Wall time [s] of run_points (fresh temporary store if asked)."""
    with tempfile.TemporaryDirectory() as tmp:
        store = os.path.join(tmp, "bench.sqlite") if with_store else None
        start = time.perf_counter()
        results = run_points(points, evaluate, store=store, workers=workers, progress=False)
        elapsed = time.perf_counter() - start
    failed = sum(not r.ok for r in results)
    if failed:
        print(f"  note: {failed} of {len(results)} points failed, e.g. {next(r.error for r in results if not r.ok)}")
    return elapsed


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--evaluator", default="scan_toys:burn", help="module:function (default scan_toys:burn)")
    parser.add_argument("--base", help="JSON of the fixed parameters (default for the toy: "
                                       "a loop count calibrated to ~20 ms here)")
    parser.add_argument("--grid", action="append", help="axis NAME=START:STOP:SCALE:N or NAME=v1,v2 "
                                                          "(repeatable; default i=1:200:lin:200)")
    parser.add_argument("--workers", type=int, default=2, help="processes for the parallel run (default 2)")
    parser.add_argument("--repeat", type=int, default=3, help="take the best of this many timings (default 3)")
    args = parser.parse_args(argv)

    evaluate = load_evaluator(args.evaluator)
    base = json.loads(args.base) if args.base else {"iters": scan_toys.calibrate_burn(20.0)}
    points = product_points(base, parse_grid(args.grid or ["i=1:200:lin:200"]))
    n = len(points)
    print(f"bench_scan: {n} points of {args.evaluator}, base {json.dumps(base)}; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; best of {args.repeat}; "
          "measured here, in this run")

    def best(measure):
        return min(measure() for _ in range(args.repeat))

    direct_runs = [time_direct(evaluate, points) for _ in range(args.repeat)]
    direct = min(direct_runs)
    serial_nostore = best(lambda: time_run(evaluate, points, 1, with_store=False))
    serial = best(lambda: time_run(evaluate, points, 1, with_store=True))
    parallel = best(lambda: time_run(evaluate, points, args.workers, with_store=True))
    machinery = best(lambda: time_run(scan_toys.constant, points, 1, with_store=True))

    print(f"  direct loop               {direct:8.3f} s  ({1e3 * direct / n:.3f} ms/point)")
    print(f"  run_points serial         {serial_nostore:8.3f} s  (no store)")
    print(f"  run_points serial + store {serial:8.3f} s")
    print(f"  run_points {args.workers} processes    {parallel:8.3f} s  (+ store, pool start-up included)")
    print(f"  throughput {args.workers} processes / serial: {serial / parallel:.2f}x")
    print(f"  overhead of run_points + store: {1e3 * (serial - direct) / n:+.3f} ms/point "
          f"= {100 * (serial / direct - 1):+.2f}% of a direct call "
          f"(store alone {1e3 * (serial - serial_nostore) / n:+.3f} ms/point)")
    print(f"  machinery alone (no-op evaluator, serial + store): {1e3 * machinery / n:.3f} ms/point")
    print(f"  timing noise: repeats of the direct loop spread by {1e3 * (max(direct_runs) - direct) / n:.3f} "
          "ms/point; smaller differences are not resolved")


if __name__ == "__main__":
    main()
