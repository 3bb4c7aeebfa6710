"""Cost of a warm mediator point against a plain Dodelson-Widrow point (issues 9 and 10), measured here.

    python tests/benchmarks/bench_models.py [--rounds N] [--no-curve]

Reports, all measured in the same run (ratios, so machine noise largely cancels):

- for plain DW (``sm``, nu_mu, m4 = 7.1 keV, sin^2 2theta = 2e-9, as ``qke bench``) and for the
  benchmark points A, B, C of the scalar (PRL Fig. 2) and of the three vector models (PRD Figs. 4, 7,
  8; gray benchmark m4 = 7.1 keV, sin^2 2theta = 7e-11), in both conventions: the median warm time
  of ``solve_rate(model)`` (the model built once; tables built by an untimed first solve) and of a
  whole scan point (``get_model`` + ``solve_rate``: the production estimate included), each as a
  ratio to the same time of DW (target <= 2), with Omega h^2, the grids tried (refinements) and the
  kernel evaluations (nodes evaluated over all grids, ``stats.kernel_evaluations``) of the result;
- the wall time of one vector S-curve Omega h^2 = 0.12 (vector-nu, gray benchmark, derived
  convention: the coarse grid and the refined vertices of prd-fig4) with 2 local processes and a
  fresh store (target <= 60 s for >= 60 refined points).

The rounds interleave the points (each round times every point once), so that a change of the
machine's load affects all of them alike. Nothing is asserted.
"""
import argparse
import logging
import os
import statistics
import sys
import tempfile
import time

from qke import __version__
from qke.models import get_model
from qke.solvers.rate import solve_rate

DW = ("sm", {"m4": 7.1e-6, "sin2_2theta": 2e-9, "flavor": "mu"})
GRAY = {"m4": 7.1e-6, "sin2_2theta": 7e-11, "flavor": "mu"}
#: (m_phi [GeV], lambda) of A, B, C per convention: figures/prl_fig2_*.csv (qke.figures.prl_common.abc_for).
SCALAR_ABC = {
    "derived": {"A": (5.0, 0.32378753445772074), "B": (1.0826367338740541, 0.005174794931053776),
                "C": (0.01, 2.2266916702836843e-06)},
    "seed": {"A": (5.0, 0.30541728226963794), "B": (1.0826367338740541, 0.005292007496410377),
             "C": (0.01, 1.697068176733098e-06)},
}
#: Couplings of the gray curve at m_V = 1.0826 GeV (where it is triple-valued), largest A, smallest C:
#: figures/prd_fig4_*.csv (A, B, C rows), prd_fig7_*.csv and prd_fig8_*.csv (the crossings at that m_V).
M_V_ABC = 1.0826367338740541
VECTOR_ABC = {
    ("vector-nu", "derived"): (0.04932289561008917, 0.0036596349209245807, 6.679627699730814e-05),
    ("vector-nu", "seed"): (0.04646948994667392, 0.0037426746027641486, 6.1020405824639825e-05),
    ("vector-lmu-ltau", "derived"): (0.04188662349598275, 0.0036604131406568277, 6.67959088133698e-05),
    ("vector-lmu-ltau", "seed"): (0.04041781047194263, 0.0017984648772986426, 0.00012390517019531298),
    ("vector-b-l", "derived"): (0.0338356975513038, 0.003661482357105469, 6.679590879847647e-05),
    ("vector-b-l", "seed"): (0.03330764081173449, 0.0010905112984994855, 0.00017998895815587966),
}


def points():
    """{label: (model name, parameters)}: DW first, then A, B, C of every family and convention."""
    out = {"DW": DW}
    for conv, abc in SCALAR_ABC.items():
        for name, (m, lam) in abc.items():
            out[f"scalar {conv} {name}"] = ("scalar", dict(GRAY, convention=conv, m_phi=m, coupling=lam))
    for (model, conv), couplings in VECTOR_ABC.items():
        for name, lam in zip("ABC", couplings):
            out[f"{model} {conv} {name}"] = (model, dict(GRAY, convention=conv, m_v=M_V_ABC, coupling=lam))
    return out


def _timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def measure(rounds):
    """{label: row} with the median solve and point times [s] and the first result's numbers."""
    rows = {}
    for label, (name, params) in points().items():
        model = get_model(name, **params)
        res = solve_rate(model)  # untimed: builds the tables of this model class
        rows[label] = {"model": model, "name": name, "params": params, "solve": [], "point": [],
                       "omega_h2": res.omega_h2, "grids": len(res.diagnostics.refinements),
                       "n_t": res.diagnostics.n_t, "n_y": res.diagnostics.n_y,
                       "kernel_evaluations": res.stats.kernel_evaluations, "resonances": res.diagnostics.resonances}
    for _ in range(rounds):
        for row in rows.values():
            row["solve"].append(_timed(lambda: solve_rate(row["model"])))
            row["point"].append(_timed(lambda: solve_rate(get_model(row["name"], **row["params"]))))
    for row in rows.values():
        row["solve_s"] = statistics.median(row["solve"])
        row["point_s"] = statistics.median(row["point"])
    return rows


def report(rows):
    dw = rows["DW"]
    print(f"  {'point':26s} {'solve [ms]':>10s} {'x DW':>6s} {'point [ms]':>10s} {'x DW':>6s} "
          f"{'Omega h^2':>17s} {'grids':>5s} {'n_t x n_y':>10s} {'kernel ev.':>10s} {'res.':>5s}")
    ratios = []
    for label, r in rows.items():
        rs, rp = r["solve_s"] / dw["solve_s"], r["point_s"] / dw["point_s"]
        if label != "DW":
            ratios.append(max(rs, rp))
        print(f"  {label:26s} {1e3 * r['solve_s']:10.2f} {rs:6.2f} {1e3 * r['point_s']:10.2f} {rp:6.2f} "
              f"{r['omega_h2']:17.10e} {r['grids']:5d} {r['n_t']:>4d} x {r['n_y']:<4d} "
              f"{r['kernel_evaluations']:10d} {r['resonances']:5d}")
    worst = max(ratios)
    print(f"  ratio to DW (larger of solve and point) over the mediator points: "
          f"median {statistics.median(ratios):.2f}, largest {worst:.2f} (target <= 2): "
          f"{'met' if worst <= 2.0 else 'NOT met'}")


def time_s_curve(workers=2):
    """Wall time [s] and refined vertices of the vector-nu gray S-curve (derived), fresh store."""
    from pathlib import Path

    from qke import constants as const
    from qke.figures import FigureContext, _shared_pool
    from qke.figures import prd_common as prd
    from qke.figures import prl_common
    from qke.scans.commands import trace_omega_contour

    with tempfile.TemporaryDirectory() as tmp:
        ctx = FigureContext(out_dir=Path(tmp), workers=workers, progress=False)
        t0 = time.perf_counter()
        with _shared_pool(ctx) as pool:
            ctx = FigureContext(out_dir=Path(tmp), workers=workers, progress=False, executor=pool)
            x_axis, y_axis = prd.plane_axes(prl_common.grid_n(False), "gray")
            res = trace_omega_contour(prd.card("vector-nu", "derived", "gray"), x_axis, y_axis,
                                      const.OMEGA_DM_H2, run=ctx.run, rtol=1e-4)
        wall = time.perf_counter() - t0
    refined = sum(int(sum(ln.refined)) for ln in res.lines)
    return wall, refined, len(x_axis) * len(y_axis)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=15, help="timed rounds (medians reported)")
    ap.add_argument("--no-curve", action="store_true", help="skip the S-curve timing")
    args = ap.parse_args(argv)
    logging.getLogger("qke").setLevel(logging.ERROR)
    print(f"mediator points vs plain DW (measured here, {os.cpu_count()} cores, medians of {args.rounds} "
          f"interleaved rounds; qke {__version__}; load {os.getloadavg()[0]:.2f})")
    report(measure(args.rounds))
    if not args.no_curve:
        wall, refined, grid = time_s_curve()
        print(f"  vector-nu S-curve (gray, derived; {grid} grid points + {refined} refined vertices), "
              f"2 processes, fresh store: {wall:.1f} s (target <= 60 s): {'met' if wall <= 60 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
