"""bh-fig3: Berlin & Hooper Fig. 3 -- QCD axion: the coupling g_a giving all the dark matter against m_s.

Model ``qcd-axion`` (BH eq. 17-18), nu_mu, rho_a = 1e-2 rho_DM today (full resolution
also 1e-3 and 1e-1), m_a(T) from the lattice susceptibility of Borsanyi et al. 2016.
f_a is BH's choice (:meth:`qke.models.axion.QCDAxionModel.f_a_max`): the largest f_a
for which the axion oscillates (m_a = 3H) at the production peak T*; the axion is
frozen above T* (sudden prescription). For each m_s the g_a with Omega_s h^2 = 0.120
comes from :func:`qke.figures.bh_common.solve_coupling_point` (Omega ∝ g_a^2).

Lines: the m_s above which m_a(T*) > 3H(T*) needs f_a < 1e9 GeV (BH: in conflict with
supernova cooling; BH find m_s ≈ 2 MeV), and the CMB-lifetime region: nu_s -> nu a
with Gamma = g_a^2 v^2 m_s/(32 pi f_a^2) (BH eq. 11 suppressed by v^2/(2 f_a^2)),
f_a = f_a_max(m_s), faster than 1/(160 Gyr).
"""
from __future__ import annotations

import csv
import dataclasses

import numpy as np

from .. import constants as const
from ..cards import Card
from ..models.axion import CMB_LIFETIME_S, V_HIGGS
from ..scans import points as pts
from ..scans.grid import Axis
from . import Figure
from .bh_common import PHYSICS, caption, solve_coupling_point

FIGURE = Figure("bh-fig3", __name__,
                "QCD axion: g_a giving all the DM against m_s, with the f_a < 1e9 GeV line and the CMB lifetime region",
                "Berlin & Hooper, PRD 95 (2017) 075017, Fig. 3")
FRACTIONS = (1e-3, 1e-2, 1e-1)
F_A_SN = 1e9  # GeV


def _masses(quick: bool) -> np.ndarray:
    return np.geomspace(1e-6, 1e-1, 4 if quick else 21)


def compute(ctx) -> dict:
    """{fraction: rows of (m_s [GeV], g_a, f_a [GeV], T_peak [GeV], mixing today)}."""
    spec = dataclasses.asdict(pts.RootSpec("g_a", 1e-40, 1.0))
    points, keys = [], []
    for frac in ((1e-2,) if ctx.quick else FRACTIONS):
        card = Card(model="qcd-axion", parameters={"flavor": "mu", "g_a": 1e-12, "rho_a_fraction": frac})
        for p in pts.card_points(card, [Axis("m4", _masses(ctx.quick), "log", "GeV")]):
            p["root_spec"] = spec
            points.append(p)
            keys.append(frac)
    results = ctx.run(points, solve_coupling_point)
    data: dict = {}
    nan = np.nan
    for frac, r in zip(keys, results):
        ok = r.ok and r.values.get("n_roots", 0) >= 1
        v = r.values
        data.setdefault(frac, []).append((r.point["m4"], *((v["root_0"], v["f_a"], v["peak_temperature"],
                                                             v["mixing_today"]) if ok else (nan,) * 4)))
    return {k: np.array(v, dtype=float) for k, v in data.items()}


def g_cmb(m_s, f_a) -> np.ndarray:
    """g_a above which Gamma(nu_s -> nu a) = g_a^2 v^2 m_s/(32 pi f_a^2) exceeds hbar/tau_CMB."""
    m_s, f_a = np.asarray(m_s, float), np.asarray(f_a, float)
    return np.sqrt(32.0 * np.pi * f_a**2 * const.HBAR_GEV_S / (CMB_LIFETIME_S * V_HIGGS**2 * m_s))


def m_s_at_f_a(rows, f_a=F_A_SN) -> float:
    """m_s [GeV] where f_a_max(m_s) = f_a (log-log interpolation; NaN if outside the grid)."""
    m, fa = rows[:, 0], rows[:, 2]
    ok = np.isfinite(fa)
    m, fa = m[ok], fa[ok]
    if fa.size < 2 or not (fa.min() <= f_a <= fa.max()):
        return float("nan")
    order = np.argsort(fa)
    return float(np.exp(np.interp(np.log(f_a), np.log(fa[order]), np.log(m[order]))))


def draw(data: dict, ctx) -> list:
    """PNG and PDF, and the numbers as CSV."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ref = data[1e-2]
    m_sn = m_s_at_f_a(ref)
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    for frac, rows in sorted(data.items()):
        ax.loglog(rows[:, 0] * 1e6, rows[:, 1], "-", color={1e-3: "C0", 1e-2: "C1", 1e-1: "C2"}.get(frac, "C3"),
                  marker="o" if ctx.quick else None, ms=3, label=rf"$\rho_a = {frac:g}\,\rho_{{DM}}$")
    ok = np.isfinite(ref[:, 2])
    gc = g_cmb(ref[ok, 0], ref[ok, 2])
    top = max(1.0, float(np.nanmax(gc)) * 10)
    ax.fill_between(ref[ok, 0] * 1e6, gc, top, color="gold", alpha=0.4, lw=0, label="CMB lifetime (nu_s -> nu a)")
    if np.isfinite(m_sn):
        ax.axvline(m_sn * 1e6, color="b", ls="-.", lw=1)
        ax.text(m_sn * 1e6 * 1.2, 1e-6, r"right: $f_a \lesssim 10^9$ GeV needed", color="b",
                fontsize=7, rotation=90)
    ax.set_ylim(top=top)
    ax.set_xlabel(r"$m_s$ [keV]")
    ax.set_ylabel(r"$g_a$ giving $\Omega_s h^2 = 0.120$ (dimensionless)")
    ax.set_title(r"BH Fig. 3: QCD axion, $\nu_\mu$" + (" (quick)" if ctx.quick else ""), fontsize=10)
    ax.legend(fontsize=7, loc="lower left")
    where = f"{m_sn * 1e3:.2g} MeV" if np.isfinite(m_sn) else "outside the plotted range"
    fig.text(0.01, 0.005, caption("f_a = f_a,max(m_s) (BH's choice: m_a = 3H at the production peak, axion frozen above); "
                                  f"f_a,max = 1e9 GeV at m_s = {where} (BH: ~2 MeV). m_a(T): Borsanyi et al. 2016. "
                                  "CMB: tau > 160 Gyr. " + PHYSICS + "."), fontsize=6)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return ctx.save(fig, "bh_fig3", _write_csv, (data, m_sn), dpi=130)


def _write_csv(path, payload) -> None:
    data, m_sn = payload
    with open(path, "w", newline="") as fh:
        fh.write(f"# bh-fig3: g_a with Omega_s h^2 = {const.OMEGA_DM_H2} (model qcd-axion, nu_mu, f_a = f_a_max); "
                 f"f_a_max = 1e9 GeV at m_s = {m_sn!r} GeV (rho_a = 1e-2 rho_DM); CMB lifetime bound "
                 f"{CMB_LIFETIME_S!r} s; {PHYSICS}\n")
        fh.write("# columns: rho_a_fraction (rho_a/rho_DM today, dimensionless), m_s [GeV], g_a [dimensionless] "
                 "(empty: no root), f_a [GeV] (f_a_max), T_peak [GeV], mixing_today (<sin^2 2theta_eff>_0, "
                 "dimensionless), g_a_cmb (nu_s -> nu a faster than 1/(160 Gyr) above, dimensionless)\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["rho_a_fraction", "m_s_GeV", "g_a", "f_a_GeV", "T_peak_GeV", "mixing_today", "g_a_cmb"])
        for frac, rows in data.items():
            for m, g, fa, tp, mix in rows:
                vals = (g, fa, tp, mix, float(g_cmb(m, fa)) if np.isfinite(fa) else np.nan)
                w.writerow([repr(frac), repr(float(m))] + ["" if np.isnan(v) else repr(float(v)) for v in vals])
