"""prl-fig5: where in (m4, sin^2 2theta) some (lambda_phi, m_phi) gives all the dark matter (PRL Fig. 5).

For each m4, Omega h^2 is computed on the (m_phi, lambda) plane of PRL Fig. 2
(1 MeV-10 GeV, 1e-6-1) at a reference mixing sin^2 2theta_ref. With the phi
rate and potential independent of theta and the sterile population far from
equilibrium, Omega ∝ sin^2 2theta (checked in tests/test_prl_figures.py), so the
band of mixings for which some plane point gives Omega h^2 = 0.12 runs from
0.12 s_ref / max(Omega) (lower edge: below it no coupling produces enough) to
0.12 s_ref / min(Omega) (upper edge: above it even the strongest suppression,
where the phi potential cancels the SM one least favourably, overproduces).
The plain-DW line (same model, lambda -> 0) is drawn for reference. One image
per convention.
"""
from __future__ import annotations

import dataclasses

import numpy as np

from .. import constants as const
from ..scans import points as pts
from ..scans.grid import Axis
from . import Figure, pyplot, write_table
from . import prl_common as prl

FIGURE = Figure("prl-fig5", __name__, "PRL Fig. 5: (m4, sin^2 2theta) band giving all the DM, and the DW line",
                "de Gouvea et al., PRL 124 (2020) 081802, Fig. 5")

S_REF = 1e-13  # small enough that no plane point approaches equilibrium (Omega stays linear)


def _masses(quick: bool) -> np.ndarray:
    return np.geomspace(1e-6, 1e-4, 3 if quick else 8)


def compute(ctx) -> dict:
    """Per convention: m4 [GeV], band edges and the DW line in sin^2 2theta."""
    n = 4 if ctx.quick else 12
    x_axis, y_axis = prl.plane_axes(n)
    out = {}
    for conv in prl.CONVENTIONS:
        lo, hi, dw = [], [], []
        for m4 in _masses(ctx.quick):
            base = prl.card(conv, ctx.quick, m4=float(m4), sin2_2theta=S_REF)
            res = ctx.run(pts.card_points(base, [y_axis, x_axis]), pts.evaluate_card)
            om = pts.root_values(res)
            om = om[np.isfinite(om) & (om > 0)]
            lo.append(const.OMEGA_DM_H2 * S_REF / om.max() if om.size else np.nan)
            hi.append(const.OMEGA_DM_H2 * S_REF / om.min() if om.size else np.nan)
        line = [dict(p, root_spec=dataclasses.asdict(pts.RootSpec("sin2_2theta", 1e-14, 1e-4)))
                for p in pts.card_points(prl.card(conv, ctx.quick, coupling=1e-12),
                                         [Axis("m4", _masses(ctx.quick), "log", "GeV")])]
        for r in ctx.run(line, pts.solve_line_point):
            dw.append(r.values["root_0"] if r.ok and r.values["n_roots"] >= 1 else np.nan)
        out[conv] = {"m4": _masses(ctx.quick), "lower": np.array(lo), "upper": np.array(hi), "dw": np.array(dw)}
    return out


def draw(data: dict, ctx) -> list:
    plt = pyplot()

    written = []
    for conv, d in data.items():
        fig, ax = plt.subplots(figsize=(6.4, 4.6))
        m = d["m4"] * 1e6
        ax.fill_between(m, d["lower"], d["upper"], color="C0", alpha=0.3,
                        label=r"some $(m_\phi, \lambda_\phi)$ gives $\Omega_s h^2 = 0.12$")
        ax.loglog(m, d["lower"], "C0-", lw=1)
        ax.loglog(m, d["upper"], "C0-", lw=1)
        ax.loglog(m, d["dw"], "k-", lw=2, label="plain Dodelson-Widrow")
        ax.set_xlabel(r"$m_4$ [keV]")
        ax.set_ylabel(r"$\sin^2 2\theta$ (dimensionless)")
        ax.set_title(r"$\nu_\mu$, $m_\phi \in$ [1 MeV, 10 GeV], $\lambda_\phi \in [10^{-6}, 1]$; "
                     f"convention: {conv}" + (" (quick)" if ctx.quick else ""), fontsize=9)
        ax.legend(fontsize=8)
        fig.tight_layout()
        written += ctx.save(fig, f"prl_fig5_{conv}", _write_csv, d)
    return written


def _write_csv(path, d) -> None:
    write_table(path, "prl-fig5: band of sin^2 2theta where some (m_phi, lambda) in the PRL plane gives "
                f"Omega h^2 = {const.OMEGA_DM_H2} (Omega ∝ sin^2 2theta, reference {S_REF:g}), and the DW line",
                [("m4_keV", "keV"), ("lower", ""), ("upper", ""), ("dw", "")],
                zip(d["m4"] * 1e6, d["lower"], d["upper"], d["dw"]))
