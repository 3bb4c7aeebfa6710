"""Benchmark: warm axion-assisted points against a plain-DW point, in one run (issue 11, target <= 2x).

    python tests/benchmarks/bench_axion.py

For each sterile mass, the median warm wall time of ``solve_rate`` for the simplified axion model
(m_phi = 1e-19 GeV, g_phi = 1e-12, rho_phi = 1e-2 rho_DM: phi oscillating during production) and for
the QCD axion (g_a = 1e-12, rho_a = rho_DM; graded momentum grid), each as a ratio to a plain-DW point
(nu_mu, 7.1 keV, sin^2 2theta = 2e-9) timed in the same run; with the grid each needed.
"""
import logging
import statistics
import time

from qke.models import get_model
from qke.solvers.rate import solve_rate


def _median(model, repeat=5):
    solve_rate(model)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = solve_rate(model)
        times.append(time.perf_counter() - t0)
    return statistics.median(times), res


def main() -> None:
    logging.disable(logging.WARNING)
    dw, _ = _median(get_model("sm", m4=7.1e-6, sin2_2theta=2e-9, flavor="mu"))
    print(f"plain DW point: {dw * 1e3:.1f} ms (warm median)")
    models = {"axion": dict(m_phi=1e-19, g_phi=1e-12, rho_phi_fraction=0.01),
              "qcd-axion": dict(g_a=1e-12, rho_a_fraction=1.0)}
    for m4 in (3e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1):
        for name, params in models.items():
            t, res = _median(get_model(name, m4=m4, flavor="mu", **params))
            d = res.diagnostics
            print(f"  {name:9s} m_s = {m4 * 1e6:9.4g} keV: {t * 1e3:7.1f} ms = {t / dw:4.1f} x DW "
                  f"(target <= 2)  grid {d.n_t} x {d.n_y}, {len(d.refinements)} grids")


if __name__ == "__main__":
    main()
