"""Cost of the QKE at the Johns-Fuller runaway against the linear QKE on the same point, on this machine.

Usage::

    python tests/benchmarks/bench_runaway.py                  # 200 bins, rtol 1e-5, lambda = 0.03
    python tests/benchmarks/bench_runaway.py --bins 400 --rtol 1e-6 --lam 0.02 --repeat 5

The point is that of tests/test_runaway.py and the js-runaway figure: model
'sm', nu_mu, m4 = 7.1 keV, sin^2 2theta = 1e-12, sterile mediator m_X = 1 GeV
with coupling ``--lam`` (the runaway sets in between 0.01 and 0.03). Three
solves, each timed warm (median of ``--repeat``):

- runaway: Gamma_s[f22] and V_s[f22], iterated to self-consistency;
- Gamma_s only: the same with ``self_potential=False``;
- linear: no self-interaction (plain DW, one linear solve per stage).

Printed: wall time, Omega h^2, accepted and rejected steps, self-consistent
sweeps (per step attempt), kernel evaluations, and the time ratios to the
linear case. Ratios are meaningful within one run only (shared machines).
"""
import argparse
import logging
import statistics
import time
from dataclasses import replace

from qke.models import get_model
from qke.solvers.qke import QKESettings, solve_qke

POINT = dict(m4=7.1e-6, sin2_2theta=1e-12, flavor="mu")
M_X = 1.0  # GeV


def cases(lam: float) -> dict:
    """The three models of the benchmark, by label."""
    runaway = get_model("sm", **POINT, self_m_phi=M_X, self_lambda=lam)
    return {"runaway": runaway, "Gamma_s only": replace(runaway, self_potential=False),
            "linear": get_model("sm", **POINT)}


def timed(model, settings, repeat: int):
    """(median wall time [s], result of the last solve), after one warm-up solve."""
    result = solve_qke(model, settings=settings)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = solve_qke(model, settings=settings)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bins", type=int, default=200)
    ap.add_argument("--rtol", type=float, default=1e-5)
    ap.add_argument("--lam", type=float, default=3e-2, help="sterile self-coupling (m_X = 1 GeV)")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    logging.getLogger("qke").setLevel(logging.ERROR)
    settings = QKESettings(n_bins=args.bins, rtol=args.rtol)
    print(f"QKE, sm nu_mu, m4 = 7.1 keV, sin^2 2theta = 1e-12, m_X = {M_X:g} GeV, lambda = {args.lam:g}; "
          f"{args.bins} bins, rtol = {args.rtol:g}, median of {args.repeat} warm solves")
    print(f"{'case':>13} {'time [s]':>9} {'Omega h^2':>12} {'steps':>6} {'rejected':>8} {'sweeps':>7} "
          f"{'sweeps/att':>10} {'kernels':>8} {'x linear':>9}")
    rows = {label: timed(model, settings, args.repeat) for label, model in cases(args.lam).items()}
    t_lin = rows["linear"][0]
    for label, (t, res) in rows.items():
        st = res.stats
        print(f"{label:>13} {t:9.3f} {res.omega_h2:12.6g} {st.steps:6d} {st.rejected_steps:8d} "
              f"{st.gamma_s_sweeps:7d} {st.gamma_s_sweeps / st.step_attempts:10.2f} {st.kernel_evaluations:8d} "
              f"{t / t_lin:9.2f}")


if __name__ == "__main__":
    main()
