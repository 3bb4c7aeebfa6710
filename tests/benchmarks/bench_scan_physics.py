"""Scan-layer performance on the physics (issue 8, item 7), measured on this machine.

    python tests/benchmarks/bench_scan_physics.py

Reports, all measured in the same run (ratios, so machine noise largely cancels):

- throughput of 2 local processes over serial on a 200-point (m4 x sin^2 2theta) rate-equation grid
  (target >= 1.8x on 2 cores; both with a fresh result store, pool start-up included);
- the scan layer's overhead per point: run_points with the SQLite store (serial) over bare
  ``Card.run()`` calls on the same points (target <= 10 %);
- the wall time of the plain-DW line sin^2 2theta_DM(m4) at 50 masses on 2 cores
  (``qke dm-line`` machinery, target <= 2 s).
"""
import dataclasses
import os
import statistics
import sys
import tempfile
import time

import numpy as np

from qke import __version__
from qke.cards import Card
from qke.scans import points as pts
from qke.scans.grid import Axis
from qke.scans.run import run_points


def grid_points(n_m4=20, n_s2=10):
    axes = [Axis("m4", np.geomspace(1e-6, 1e-4, n_m4), "log", "GeV"),
            Axis("sin2_2theta", np.geomspace(1e-12, 1e-9, n_s2), "log", None)]
    return pts.card_points(Card(), axes)


def timed_run(points, evaluate, workers):
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        run_points(points, evaluate, store=os.path.join(tmp, "s.sqlite"), workers=workers, progress=False,
                   version=__version__, initializer=pts.warm_up)
        return time.perf_counter() - t0


def bare(points):
    t0 = time.perf_counter()
    for p in points:
        pts.card_of(p).run()
    return time.perf_counter() - t0


def main(repeat=3):
    pts.warm_up()
    points = grid_points()
    serial = [timed_run(points, pts.evaluate_card, 1) for _ in range(repeat)]
    parallel = [timed_run(points, pts.evaluate_card, 2) for _ in range(repeat)]
    bare_t = [bare(points) for _ in range(repeat)]
    s, p, b = statistics.median(serial), statistics.median(parallel), statistics.median(bare_t)
    spec = dataclasses.asdict(pts.RootSpec("sin2_2theta", 1e-14, 1e-4))
    line = pts.card_points(Card(), [Axis("m4", np.geomspace(1e-6, 1e-4, 50), "log", "GeV")])
    for q in line:
        q["root_spec"] = spec
    dw = statistics.median(timed_run(line, pts.solve_line_point, 2) for _ in range(repeat))
    print(f"scan benchmark (measured here, {os.cpu_count()} cores, medians of {repeat}; qke {__version__})")
    print(f"  200-point rate grid: serial {s:.2f} s, 2 processes {p:.2f} s -> throughput x{s / p:.2f} "
          f"(target >= 1.8): {'met' if s / p >= 1.8 else 'NOT met'}")
    print(f"  overhead of run_points + store over bare solves: {100 * (s / b - 1):+.1f} % "
          f"({1e3 * (s - b) / len(points):+.2f} ms per point; target <= 10 %): {'met' if s / b <= 1.1 else 'NOT met'}")
    print(f"  plain-DW line, 50 masses, 2 processes: {dw:.2f} s (target <= 2 s): {'met' if dw <= 2 else 'NOT met'}")


if __name__ == "__main__":
    sys.exit(main())
