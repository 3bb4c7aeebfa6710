"""Benchmarks behind ``qke bench`` (wall times are reported, never asserted).

``bench_rate`` times one plain Dodelson-Widrow relic-abundance evaluation
(SM model, nu_mu, m4 = 7.1 keV, sin^2 2theta = 2e-9, standard cosmology):

- *warm*: median over repeated solves in this process (tables loaded);
- *cold*: median over fresh interpreters of import + first solve;
- *error*: relative difference of Omega h^2 against the same solve on a
  grid four times finer in temperature and momentum;
- *baseline*: the same physics integrated the straightforward way, each
  momentum bin by ``scipy.integrate.solve_ivp`` (LSODA, rtol 1e-8) with the
  model evaluated inside the right-hand side, measured in the same run; the
  report gives the speed-up over it. For scale, the Fortran code sterile-dm
  (Venumadhav et al. 2016) needs 0.65 s per plain-DW point with 1000 bins on
  this machine (quoted, not measured here).

``bench_qke`` times the density-matrix solver for several bin counts and
reports the cost per bin (linear scaling keeps it flat) and the agreement with
the rate equation.
"""
from __future__ import annotations

import logging
import math
import statistics
import subprocess
import sys
import time

import numpy as np

BENCH_POINT = {"m4": 7.1e-6, "sin2_2theta": 2e-9, "flavor": "mu"}
#: Quoted reference: sterile-dm (Venumadhav et al.) plain-DW point, 1000 bins [s].
STERILE_DM_SECONDS = 0.65
#: Quoted reference: LASAGNA, 200 bins on a fixed grid [s].
LASAGNA_SECONDS = 1.3

_COLD_SNIPPET = (
    "import time; t0 = time.perf_counter();"
    "from qke.models import get_model; from qke.solvers.rate import solve_rate;"
    "solve_rate(get_model('sm', m4={m4!r}, sin2_2theta={s2!r}, flavor={fl!r}));"
    "print(time.perf_counter() - t0)"
)


def _median_time(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def _baseline_solve_ivp(model, cosmology, settings, y):
    """Straightforward reference: per-bin LSODA integration of d f_s/du with the model in the RHS."""
    from scipy.integrate import solve_ivp

    from .generated.liouville import sin2_2theta_eff
    from .solvers.result import simpson

    def rhs(u, f, yy):
        t = math.exp(-u)
        p = yy * t * float(cosmology.t_nu_over_t(t))
        gamma = float(model.collision_rate(p, t))
        eff = sin2_2theta_eff(model.delta(p, t), model.sin2_2theta, float(model.thermal_potential(p, t)), gamma)
        k = -float(cosmology.dt_dlnT(t)) * 0.25 * gamma * eff
        return [k * (1.0 / (math.exp(p / t) + 1.0) - f[0])]

    u0, u1 = -math.log(settings.t_high), -math.log(settings.t_low)
    f_s = np.zeros_like(y)
    for i, yy in enumerate(y[1:], start=1):
        sol = solve_ivp(rhs, (u0, u1), [0.0], method="LSODA", rtol=1e-8, atol=1e-30, args=(yy,))
        f_s[i] = sol.y[0, -1]
    return simpson(y**2 * f_s, y)


def _check_repeat(repeat) -> int:
    from .errors import QKEInputError

    if isinstance(repeat, bool) or not isinstance(repeat, int) or not 1 <= repeat <= 10000:
        raise QKEInputError(f"repeat: must be an integer in [1, 10000], got {repeat!r}")
    return repeat


def bench_rate(repeat: int = 20, cold_repeat: int = 3, baseline_bins: int = 32) -> dict:
    """Benchmark the rate-equation solver at the plain-DW benchmark point.

    Parameters
    ----------
    repeat : int
        Warm solves to time (median reported).
    cold_repeat : int
        Fresh interpreters to time (median reported).
    baseline_bins : int
        Momentum intervals of the solve_ivp baseline (its cost per bin is
        measured and scaled to the solver's bin count).

    Returns
    -------
    dict
        Times [s], errors and ratios.
    """
    from .cosmology import StandardCosmology
    from .models import get_model
    from .solvers.rate import RateSettings, solve_rate

    _check_repeat(repeat)
    model = get_model("sm", **BENCH_POINT)
    cosmo = StandardCosmology()
    first = solve_rate(model, cosmo)
    warm, _ = _median_time(lambda: solve_rate(model, cosmo), repeat)
    st = first.settings
    fine = solve_rate(model, cosmo, RateSettings(t_high=st.t_high, t_low=st.t_low, y_max=st.y_max,
                                                 n_t=4 * st.n_t, n_y=4 * st.n_y, max_refine=0))
    error = abs(first.omega_h2 / fine.omega_h2 - 1.0)

    cold_times = []
    code = _COLD_SNIPPET.format(m4=BENCH_POINT["m4"], s2=BENCH_POINT["sin2_2theta"], fl=BENCH_POINT["flavor"])
    for _ in range(cold_repeat):
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        cold_times.append(float(out.stdout.strip().splitlines()[-1]))
    cold = statistics.median(cold_times)

    y_base = np.linspace(0.0, st.y_max, baseline_bins + 1)
    t0 = time.perf_counter()
    _baseline_solve_ivp(model, cosmo, st, y_base)
    base_measured = time.perf_counter() - t0
    base_time = base_measured * st.n_y / baseline_bins
    return {
        "benchmark": "rate equation, plain DW: SM, nu_mu, m4 = 7.1 keV, sin^2 2theta = 2e-9",
        "omega_h2": first.omega_h2,
        "omega_h2_4x_finer": fine.omega_h2,
        "relative_error_vs_4x_finer": error,
        "grid": {"n_t": st.n_t, "n_y": st.n_y},
        "warm_median_s": warm,
        "cold_median_s": cold,
        "baseline_solve_ivp_measured_s": base_measured,
        "baseline_bins_measured": baseline_bins,
        "baseline_solve_ivp_s": base_time,
        "baseline_note": f"measured here on {baseline_bins} bins, extrapolated linearly to {st.n_y} bins",
        "speedup_vs_baseline": base_time / warm,
        "sterile_dm_quoted_s": STERILE_DM_SECONDS,
        "speedup_vs_sterile_dm_quoted": STERILE_DM_SECONDS / warm,
        "target": "warm <= 20 ms at <= 0.1 % error",
        "target_met": bool(warm <= 0.020 and error <= 1e-3),
    }


def bench_qke(bins=(100, 200, 400, 800), repeat: int = 3) -> dict:
    """Benchmark the QKE solver for several bin counts at the plain-DW point.

    Returns
    -------
    dict
        Per bin count: median wall time [s], time per bin, steps, Omega h^2 and its
        ratio to the rate equation.
    """
    from .cosmology import StandardCosmology
    from .models import get_model
    from .solvers.qke import QKESettings, solve_qke
    from .solvers.rate import RateSettings, solve_rate

    _check_repeat(repeat)
    model = get_model("sm", **BENCH_POINT)
    cosmo = StandardCosmology()
    # the benchmark range: T = 10 GeV down to 1 MeV
    t_range = {"t_high": 10.0, "t_low": 1e-3}
    # the range ends below neutrino decoupling on purpose (the benchmark);
    # silence the rate solver's warning about it for the repeated solves
    logging.getLogger("qke.solvers").setLevel(logging.ERROR)
    rate = solve_rate(model, cosmo, RateSettings(rtol=1e-5, **t_range))
    rows = []
    for n in bins:
        settings = QKESettings(n_bins=n, **t_range)
        res = solve_qke(model, cosmo, settings)
        med, _ = _median_time(lambda: solve_qke(model, cosmo, settings), repeat)
        rows.append({"bins": n, "median_s": med, "per_bin_ms": 1e3 * med / n,
                     "steps": res.stats.steps, "omega_h2": res.omega_h2,
                     "ratio_to_rate": res.omega_h2 / rate.omega_h2})
    base = rows[0]
    for row in rows:
        row["time_ratio_to_first"] = row["median_s"] / base["median_s"]
        row["bins_ratio_to_first"] = row["bins"] / base["bins"]
    t200 = next((r["median_s"] for r in rows if r["bins"] == 200), None)
    return {
        "benchmark": "QKE, plain DW: SM, nu_mu, m4 = 7.1 keV, sin^2 2theta = 2e-9, T = 10 GeV -> 1 MeV",
        "rate_omega_h2": rate.omega_h2,
        "rows": rows,
        "lasagna_quoted_s_200_bins": LASAGNA_SECONDS,
        "target": "200 bins <= 1 s, cost at most linear in bins",
        "target_met": None if t200 is None else bool(t200 <= 1.0),
    }


def format_report(report: dict) -> str:
    """Human-readable benchmark report."""
    lines = [report["benchmark"]]
    if "rows" in report:
        lines.append(f"  rate equation Omega h^2 = {report['rate_omega_h2']:.6g}")
        lines.append(f"  {'bins':>6s} {'median [s]':>11s} {'ms/bin':>8s} {'t/t0':>6s} {'N/N0':>6s}"
                     f" {'steps':>6s} {'Omega h^2':>11s} {'QKE/rate':>9s}")
        for r in report["rows"]:
            lines.append(f"  {r['bins']:6d} {r['median_s']:11.4f} {r['per_bin_ms']:8.3f} "
                         f"{r['time_ratio_to_first']:6.2f} {r['bins_ratio_to_first']:6.1f} "
                         f"{str(r['steps']):>6s} {r['omega_h2']:11.6g} {r['ratio_to_rate']:9.5f}")
        lines.append(f"  quoted: LASAGNA {report['lasagna_quoted_s_200_bins']} s for 200 bins")
    else:
        lines += [
            f"  Omega h^2                 {report['omega_h2']:.6g} (4x finer grid: {report['omega_h2_4x_finer']:.6g})",
            f"  error vs 4x finer grid    {report['relative_error_vs_4x_finer']:.2e}",
            f"  grid                      {report['grid']['n_t']} x {report['grid']['n_y']} (T x momentum)",
            f"  warm evaluation (median)  {report['warm_median_s'] * 1e3:.2f} ms",
            f"  cold start (median)       {report['cold_median_s'] * 1e3:.0f} ms (import + tables + first solve)",
            f"  solve_ivp baseline        {report['baseline_solve_ivp_measured_s'] * 1e3:.0f} ms measured on "
            f"{report['baseline_bins_measured']} bins; extrapolated to {report['grid']['n_y']} bins: "
            f"{report['baseline_solve_ivp_s'] * 1e3:.0f} ms -> speed-up x{report['speedup_vs_baseline']:.0f} "
            "(extrapolated)",
            f"  sterile-dm (quoted 0.65 s, not measured here) speed-up x{report['speedup_vs_sterile_dm_quoted']:.0f}",
        ]
    lines.append(f"  target: {report['target']}: {'met' if report['target_met'] else 'NOT met'}")
    return "\n".join(lines)
