"""Benchmark: a resonant (lepton-asymmetry) point against a plain-DW point, warm, in one run.

    python tests/benchmarks/bench_asymmetry.py

Prints the median warm wall time of each (default settings, rate equation), their
ratio, and the grid the resonant point needed. Resonant point: nu_mu, m4 = 7.1 keV,
sin^2 2theta = 4e-11, L/s = 8e-5 (L_6 = 80). Target (issue 12): <= 1 s warm; the
public Fortran code sterile-dm needs about 29 s for such a point on this machine
(quoted in the issue, not measured here).
"""
import statistics
import time

from qke.models import get_model
from qke.solvers.rate import solve_rate


def _median(fn, repeat):
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), res


def main(repeat: int = 5) -> None:
    point = dict(m4=7.1e-6, sin2_2theta=4e-11, flavor="mu")
    dw_model = get_model("sm", **point)
    res_model = get_model("sm", lepton_asymmetry=8e-5, **point)
    t_dw, _ = _median(lambda: solve_rate(dw_model), repeat)
    t_res, res = _median(lambda: solve_rate(res_model), repeat)
    d = res.diagnostics
    print(f"plain DW point (warm, median of {repeat}):  {t_dw * 1e3:8.1f} ms")
    print(f"resonant point (warm, median of {repeat}):  {t_res * 1e3:8.1f} ms  = {t_res / t_dw:.1f} x DW "
          f"(target <= 1 s: {'met' if t_res <= 1.0 else 'NOT met'})")
    print(f"  Omega h^2 = {res.omega_h2:.5f} (nu_s {res.omega_h2_nu:.5f}, nubar_s {res.omega_h2_nubar:.3g}), "
          f"L: {res.lepton_asymmetry[0]:.3g} -> {res.lepton_asymmetry[-1]:.3g}")
    print(f"  grid {d.n_t} x {d.n_y}, {len(d.refinements)} grids, est. rel. error {d.error_estimate:.1e}")


if __name__ == "__main__":
    main()
