"""dw-line: the plain Dodelson-Widrow line sin^2 2theta_DM(m4) for nu_e, nu_mu, nu_tau.

For each flavour and m4 = 1-100 keV, the mixing at which Omega_s h^2 =
Omega_DM h^2 = 0.120 (``qke dm-line``, the checked-linear root of
:func:`qke.scans.points.solve_line_point`), in two conventions:

- ``standard`` (solid): Asaka-Laine-Shaposhnikov rates, Notzold-Raffelt
  potential with massive charged leptons, Saikawa-Shirai g*(T) with entropy
  release (the code's default physics);
- ``seeds`` (dashed): the seeds' fixed-g* universe (g* = 10.75, comoving
  momentum = E/T), leptonic rate 1.27/0.92 G_F^2 E T^4 and the relativistic
  Notzold-Raffelt potential: the black line of PRL Fig. 5 and the solid line
  of BH Fig. 2 as those papers computed them.
"""
from __future__ import annotations

import csv
import dataclasses

import numpy as np

from .. import constants as const
from ..cards import Card
from . import Figure, pyplot
from ..scans import points as pts
from ..scans.grid import Axis

FIGURE = Figure("dw-line", __name__,
                "plain Dodelson-Widrow line sin^2 2theta_DM(m4), nu_e, nu_mu, nu_tau, standard vs seeds' convention",
                "PRL Fig. 5 black line, BH Fig. 2 solid line; qke")
FLAVORS = ("e", "mu", "tau")
_TEX = {"e": "e", "mu": r"\mu", "tau": r"\tau"}
CONVENTIONS = {
    "standard": Card(),
    "seeds": Card(cosmology="constant", gstar=10.75, parameters={"rate": "leptonic", "potential": "nr-relativistic"}),
}


def _masses(quick: bool) -> np.ndarray:
    return np.geomspace(1e-6, 1e-4, 6 if quick else 50)


def compute(ctx) -> dict:
    """sin^2 2theta_DM for every (convention, flavour, m4): {key: (m4 [GeV], s2)}."""
    spec = dataclasses.asdict(pts.RootSpec("sin2_2theta", 1e-14, 1e-4))
    m4 = _masses(ctx.quick)
    points, keys = [], []
    for conv, base in CONVENTIONS.items():
        for fl in FLAVORS:
            card = base.replace(parameters={"flavor": fl, "sin2_2theta": 1e-10})
            for p in pts.card_points(card, [Axis("m4", m4, "log", "GeV")]):
                p["root_spec"] = spec
                points.append(p)
                keys.append((conv, fl))
    results = ctx.run(points, pts.solve_line_point)
    data = {}
    for (conv, fl), r in zip(keys, results):
        s2 = r.values["root_0"] if r.ok and r.values["n_roots"] >= 1 else np.nan
        data.setdefault((conv, fl), []).append((r.point["m4"], s2))
    return {k: np.array(v) for k, v in data.items()}


def draw(data: dict, ctx) -> list:
    """PNG and PDF of the lines, and the numbers as CSV."""
    plt = pyplot()

    fig, ax = plt.subplots(figsize=(6.4, 4.6))
    for i, fl in enumerate(FLAVORS):
        for conv, style in (("standard", "-"), ("seeds", "--")):
            m4, s2 = data[(conv, fl)].T
            ax.loglog(m4 * 1e6, s2, style, color=f"C{i}",
                      label=rf"$\nu_{{{_TEX[fl]}}}$, {conv}")
    ax.set_xlabel(r"$m_4$ [keV]")
    ax.set_ylabel(r"$\sin^2 2\theta$ giving $\Omega_s h^2 = 0.120$ (dimensionless)")
    ax.set_title("Dodelson-Widrow: all the dark matter" + (" (quick)" if ctx.quick else ""), fontsize=10)
    ax.legend(fontsize=7, ncol=2)
    fig.text(0.01, 0.005, "standard: ALS rates, Saikawa-Shirai g*(T); seeds: g* = 10.75, leptonic rate, "
             "relativistic potential.", fontsize=6)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return ctx.save(fig, "dw_line", _write_csv, data, dpi=130)


def _write_csv(path, data) -> None:
    with open(path, "w", newline="") as fh:
        fh.write(f"# dw-line: sin^2 2theta where Omega_s h^2 = {const.OMEGA_DM_H2} (plain Dodelson-Widrow)\n")
        fh.write("# columns: convention (standard | seeds, see qke/figures/dw_line.py), flavor, m4 [keV], "
                 "sin2_2theta [dimensionless] (empty: no root in 1e-14..1e-4)\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["convention", "flavor", "m4_keV", "sin2_2theta"])
        for (conv, fl), arr in data.items():
            for m4, s2 in arr:
                w.writerow([conv, fl, repr(float(m4 * 1e6)), "" if np.isnan(s2) else repr(float(s2))])
