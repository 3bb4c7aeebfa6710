"""bh-fig2: Berlin & Hooper Fig. 2 -- the mixing today for the dark-matter abundance, DW against axion-assisted.

For m_s = 1 keV to 1 GeV (nu_mu):

- solid: plain Dodelson-Widrow, the vacuum sin^2 2theta with Omega_s h^2 = 0.120
  (model ``sm``; :func:`qke.figures.bh_common.solve_mixing_point`);
- dashed: axion-assisted (model ``axion``, BH eq. 1), the mixing today
  <sin^2 2theta_eff>_0 = 4 g_phi^2 rho_phi,0/(m_phi^2 m_s^2) (BH eq. 4 today) at the g_phi
  with Omega_s h^2 = 0.120, for m_phi = 1e-3 eV, rho_phi = 1e-2 rho_DM. While phi
  oscillates during production (m_phi >> 3H(T_max), true here up to m_s = 1 GeV) this
  does not depend on m_phi or rho_phi: production fixes g_phi^2 rho_phi/m_phi^2;
- shaded: the DW lifetime region, tau(nu_s -> nu gamma, nu nu nubar) < age of the Universe
  (13.787 Gyr), Majorana nu_s (BH eq. 10 x 2, Z-exchange 3-nu width x 2;
  :func:`qke.physics.limits.nu4_lifetime`).

X-ray and gamma-ray line limits (Chandra, NuSTAR, INTEGRAL, Fermi-LAT in BH) are
external data: they are drawn only from a user file given as
``qke figures bh-fig2 --data xray=FILE`` (CSV with columns m_s_keV, sin2_2theta and optional
label; :func:`qke.figures.bh_common.read_limits_file`); without it the caption says so.
"""
from __future__ import annotations

import csv
import dataclasses

import numpy as np

from .. import constants as const
from ..cards import Card
from ..physics import limits
from ..scans import points as pts
from ..scans.grid import Axis
from . import Figure
from .bh_common import LIMITS_DATA, PHYSICS, caption, read_limits_file, solve_coupling_point, solve_mixing_point

FIGURE = Figure("bh-fig2", __name__,
                "mixing today for the DM abundance against m_s: Dodelson-Widrow vs axion-assisted, lifetime region",
                "Berlin & Hooper, PRD 95 (2017) 075017, Fig. 2")
M_PHI = 1e-12  # GeV (1e-3 eV)
FRACTION = 1e-2


def _masses(quick: bool) -> np.ndarray:
    return np.geomspace(1e-6, 1.0, 4 if quick else 25)


def compute(ctx) -> dict:
    """{'dw': rows (m_s, sin2_2theta), 'axion': rows (m_s, g_phi, mixing today, T_peak, T_osc)}."""
    m_s = _masses(ctx.quick)
    axis = [Axis("m4", m_s, "log", "GeV")]
    dw_points = pts.card_points(Card(model="sm", parameters={"flavor": "mu", "sin2_2theta": 1e-10}), axis)
    ax_points = pts.card_points(Card(model="axion", parameters={"flavor": "mu", "m_phi": M_PHI, "g_phi": 1e-20,
                                                                "rho_phi_fraction": FRACTION}), axis)
    for p in dw_points:
        p["root_spec"] = dataclasses.asdict(pts.RootSpec("sin2_2theta", 1e-30, 1e-3))
    for p in ax_points:
        p["root_spec"] = dataclasses.asdict(pts.RootSpec("g_phi", 1e-40, 1e-3))
    dw = ctx.run(dw_points, solve_mixing_point)
    ax = ctx.run(ax_points, solve_coupling_point)
    nan = np.nan
    return {
        "dw": np.array([(r.point["m4"], r.values["root_0"] if r.ok and r.values.get("n_roots", 0) else nan)
                        for r in dw]),
        "axion": np.array([(r.point["m4"], *((r.values["root_0"], r.values["mixing_today"],
                                              r.values["peak_temperature"], r.values["oscillation_temperature"])
                                             if r.ok and r.values.get("n_roots", 0) else (nan,) * 4))
                           for r in ax]),
    }


def lifetime_boundary(m_s) -> np.ndarray:
    """sin^2 2theta above which tau(nu gamma + nu nu nubar) < age of the Universe (Majorana), capped at 1."""
    m_s = np.asarray(m_s, float)
    ref = 1e-30
    tau = limits.nu4_lifetime(m_s, ref, 1e3, 0.0, kind="vector", majorana=True)
    return np.minimum(ref * tau / limits.AGE_OF_UNIVERSE_S, 1.0)


def draw(data: dict, ctx) -> list:
    """PNG and PDF, and the numbers as CSV."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    user = read_limits_file(ctx.data_file(LIMITS_DATA))
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    m_fine = np.geomspace(1e-6, 1.0, 200)
    life = lifetime_boundary(m_fine)
    ax.fill_between(m_fine * 1e6, life, 1.0, color="0.85", lw=0)
    ax.plot(m_fine * 1e6, life, color="0.5", lw=0.8)
    ax.text(2e5, 1e-4, r"DW: $\tau < t_U$", fontsize=7, color="0.3")
    dw, axn = data["dw"], data["axion"]
    ax.loglog(dw[:, 0] * 1e6, dw[:, 1], "-", color="k", marker="o" if ctx.quick else None, ms=3,
              label="Dodelson-Widrow")
    ax.loglog(axn[:, 0] * 1e6, axn[:, 2], "--", color="C3", marker="o" if ctx.quick else None, ms=3,
              label=r"axion-assisted, $\langle\sin^2 2\theta_{eff}\rangle_0$")
    if user:
        for i, (label, (m, s2)) in enumerate((k, v) for k, v in user.items() if k != "_path"):
            ax.loglog(m * 1e6, s2, "-", color=f"C{i}", lw=1, label=label)
        note = f"X-ray/gamma-ray limits from the user file {user['_path']}."
    else:
        note = (f"X-ray/gamma-ray line limits not drawn: no data file given (qke figures --data {LIMITS_DATA}=FILE, a CSV with "
                "columns m_s_keV, sin2_2theta, label).")
    ax.set_xlabel(r"$m_s$ [keV]")
    ax.set_ylabel(r"$\sin^2 2\theta$ today (dimensionless)")
    ax.set_ylim(1e-70, 1.0)
    ax.set_title(r"BH Fig. 2: all the dark matter, $\nu_\mu$" + (" (quick)" if ctx.quick else ""), fontsize=10)
    ax.legend(fontsize=7, loc="lower left")
    fig.text(0.01, 0.005, caption("Axion: m_phi = 1e-3 eV, rho_phi = 1e-2 rho_DM (oscillating during production: "
                                  "the mixing today is then independent of both). Lifetime: nu gamma (BH eq. 10 x 2, "
                                  "Majorana) + Z-exchange nu nu nubar. " + note + " " + PHYSICS + "."), fontsize=6)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    return ctx.save(fig, "bh_fig2", _write_csv, (data, user), dpi=130)


def _write_csv(path, payload) -> None:
    data, user = payload
    with open(path, "w", newline="") as fh:
        fh.write(f"# bh-fig2: mixing with Omega_s h^2 = {const.OMEGA_DM_H2}, nu_mu; axion: m_phi = {M_PHI!r} GeV, "
                 f"rho_phi_fraction = {FRACTION!r}, sudden field history; {PHYSICS}; X-ray limits file: "
                 f"{user['_path'] if user else 'none'}\n")
        fh.write("# columns: m_s [GeV], sin2_2theta_dw (plain DW vacuum mixing for the DM, dimensionless), "
                 "g_phi (axion-assisted coupling for the DM, dimensionless), mixing_today_axion "
                 "(<sin^2 2theta_eff> today, dimensionless), T_peak_axion [GeV], T_osc_axion [GeV], "
                 "sin2_2theta_lifetime (DW: tau = age of the Universe above, dimensionless)\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["m_s_GeV", "sin2_2theta_dw", "g_phi", "mixing_today_axion", "T_peak_axion_GeV",
                    "T_osc_axion_GeV", "sin2_2theta_lifetime"])
        life = lifetime_boundary(data["dw"][:, 0])
        for (m, s2), (_, g, mix, tp, to), lf in zip(data["dw"], data["axion"], life):
            w.writerow([repr(float(m))] + ["" if np.isnan(v) else repr(float(v)) for v in (s2, g, mix, tp, to, lf)])
