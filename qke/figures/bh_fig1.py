"""bh-fig1: Berlin & Hooper Fig. 1 -- where axion-assisted production gives all the dark matter in (m_phi, g_phi).

Model ``axion`` (BH eq. 1), nu_mu, m_s = 100 keV, for rho_phi/rho_DM = 1e-4, 1e-2, 1
(today). For every m_phi the coupling g_phi with Omega_s h^2 = 0.120 is found
(:func:`qke.figures.bh_common.solve_coupling_point`; Omega ∝ g_phi^2 rho_phi at
fixed m_phi, so the curve Omega = Omega_DM in the plane is this one root per m_phi).
Physics: BH's sudden field history (frozen while m_phi < 3H, then rho ∝ a^-3),
<sin^2 2theta_eff> of BH eq. 4; dotted (full resolution, rho_phi = 1e-2 rho_DM):
the exact damped-oscillator history (``evolution='exact'``), which gives
~5x more production while the field is frozen (``qke.models.axion``).
Lines: m_phi = 3H(T_max) (T_max: peak of production in the oscillating regime;
below it phi is frozen during production) and the coupling above which
nu_s -> nu phi (BH eq. 11) is faster than the CMB lifetime bound (160 Gyr).
"""
from __future__ import annotations

import csv
import dataclasses

import numpy as np

from .. import constants as const
from ..cards import Card
from ..models.axion import CMB_LIFETIME_S, _cosmology
from ..scans import points as pts
from ..scans.grid import Axis
from . import Figure
from .bh_common import PHYSICS, caption, solve_coupling_point

FIGURE = Figure("bh-fig1", __name__,
                "axion-assisted production: g_phi giving all the DM against m_phi, for several rho_phi/rho_DM",
                "Berlin & Hooper, PRD 95 (2017) 075017, Fig. 1")
M_S = 1e-4  # GeV
FRACTIONS = (1e-4, 1e-2, 1.0)
EXACT_FRACTION = 1e-2


def _masses(quick: bool) -> np.ndarray:
    """m_phi [GeV]: 1e-16 eV to 1e-2 eV."""
    return np.geomspace(1e-25, 1e-11, 5 if quick else 29)


def _points(ctx):
    spec = dataclasses.asdict(pts.RootSpec("g_phi", 1e-40, 1e-3, rtol=1e-4))
    points, keys = [], []
    runs = [(f, "sudden") for f in ((1e-2,) if ctx.quick else FRACTIONS)]
    if not ctx.quick:
        runs.append((EXACT_FRACTION, "exact"))
    for frac, evolution in runs:
        card = Card(model="axion", parameters={"m4": M_S, "flavor": "mu", "rho_phi_fraction": frac,
                                               "evolution": evolution, "g_phi": 1e-20})
        for p in pts.card_points(card, [Axis("m_phi", _masses(ctx.quick), "log", "GeV")]):
            p["root_spec"] = spec
            points.append(p)
            keys.append((frac, evolution))
    return points, keys


def compute(ctx) -> dict:
    """{(fraction, evolution): rows of (m_phi [GeV], g_phi, T_osc [GeV], T_peak [GeV], evaluations)}."""
    points, keys = _points(ctx)
    results = ctx.run(points, solve_coupling_point)
    data: dict = {}
    for key, r in zip(keys, results):
        ok = r.ok and r.values.get("n_roots", 0) >= 1
        v = r.values if ok else {}
        data.setdefault(key, []).append((r.point["m_phi"], v.get("root_0", np.nan),
                                         v.get("oscillation_temperature", np.nan),
                                         v.get("peak_temperature", np.nan), v.get("evaluations", np.nan)))
    return {k: np.array(v, dtype=float) for k, v in data.items()}


def t_max_and_line(data) -> tuple[float, float]:
    """T_max [GeV] (peak production at the largest m_phi, oscillating regime) and 3H(T_max) [GeV]."""
    rows = data[(1e-2, "sudden")]
    t_max = float(rows[np.nanargmax(rows[:, 0]), 3])
    return t_max, 3.0 * float(_cosmology("standard").hubble(t_max))


def g_cmb() -> float:
    """g_phi above which Gamma(nu_s -> nu phi) = g^2 m_s/(16 pi) exceeds hbar/tau_CMB (BH eq. 11)."""
    return float(np.sqrt(16.0 * np.pi * const.HBAR_GEV_S / (CMB_LIFETIME_S * M_S)))


def draw(data: dict, ctx) -> list:
    """PNG and PDF of the curves, and the numbers as CSV."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t_max, m_line = t_max_and_line(data)
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    for i, ((frac, evolution), rows) in enumerate(sorted(data.items(), key=lambda kv: (kv[0][1], kv[0][0]))):
        color = {1e-4: "C0", 1e-2: "C1", 1.0: "C2"}.get(frac, "C3")
        style = "-" if evolution == "sudden" else ":"
        label = rf"$\rho_\phi = {frac:g}\,\rho_{{DM}}$" + ("" if evolution == "sudden" else " (exact field)")
        ax.loglog(rows[:, 0] * 1e9, rows[:, 1], style, color=color, marker="o" if ctx.quick else None, ms=3,
                  label=label)
    ax.axvline(m_line * 1e9, color="b", ls="-.", lw=1)
    ax.text(m_line * 1e9 * 1.3, ax.get_ylim()[0] * 3, r"$m_\phi = 3H(T_{max})$", color="b", fontsize=7, rotation=90)
    ax.axhline(g_cmb(), color="0.4", ls="--", lw=1)
    ax.text(ax.get_xlim()[0] * 2, g_cmb() * 1.5, r"$\tau(\nu_s\to\nu\phi) < 160$ Gyr above", fontsize=7, color="0.3")
    ax.set_xlabel(r"$m_\phi$ [eV]")
    ax.set_ylabel(r"$g_\phi$ giving $\Omega_s h^2 = 0.120$ (dimensionless)")
    ax.set_title(r"BH Fig. 1: axion-assisted production, $m_s$ = 100 keV, $\nu_\mu$" + (" (quick)" if ctx.quick else ""),
                 fontsize=10)
    ax.legend(fontsize=7, loc="lower right")
    fig.text(0.01, 0.005, caption(f"Sudden field history (BH) unless marked; T_max = {t_max * 1e3:.0f} MeV; "
                                  "left of the dash-dotted line phi is frozen during production. " + PHYSICS + "."),
             fontsize=6)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return ctx.save(fig, "bh_fig1", _write_csv, (data, t_max, m_line), dpi=130)


def _write_csv(path, payload) -> None:
    data, t_max, m_line = payload
    with open(path, "w", newline="") as fh:
        fh.write(f"# bh-fig1: g_phi with Omega_s h^2 = {const.OMEGA_DM_H2} (model axion, m_s = 100 keV, nu_mu); "
                 f"T_max = {t_max!r} GeV, 3H(T_max) = {m_line!r} GeV; CMB-lifetime coupling g_cmb = {g_cmb()!r}; "
                 f"{PHYSICS}\n")
        fh.write("# columns: rho_phi_fraction (rho_phi/rho_DM today, dimensionless), evolution (sudden | exact), "
                 "m_phi [GeV], g_phi [dimensionless] (empty: no root), T_osc [GeV] (m_phi = 3H), "
                 "T_peak [GeV] (peak of production per ln T at the root), evaluations (solves)\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["rho_phi_fraction", "evolution", "m_phi_GeV", "g_phi", "T_osc_GeV", "T_peak_GeV", "evaluations"])
        for (frac, evolution), rows in data.items():
            for m, g, t_osc, t_peak, n in rows:
                w.writerow([repr(frac), evolution, repr(float(m)), "" if np.isnan(g) else repr(float(g)),
                            repr(float(t_osc)), "" if np.isnan(t_peak) else repr(float(t_peak)),
                            "" if np.isnan(n) else int(n)])
