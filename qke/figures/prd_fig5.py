"""prd-fig5: for A, B, C of the gray neutrinophilic curve, against z = 1 MeV/T at x = E/T = 1:
Gamma/H (top), theta_eff/theta (middle) and d f_s/d ln z (bottom), with z0 (Gamma/H = 1),
z1 (Delta = max(|V_T|, Gamma)) and z2 = 1 MeV/m_V marked (PRD Fig. 5; note the PRD's z0, z1
are the PRL's z1, z0).

Gamma, V_T and Delta come from the model's coefficients (no solve); d f_s/d ln z from the
rate equation's production map. One image per convention.
"""
from __future__ import annotations

import numpy as np

from .. import constants as const
from ..cosmology import StandardCosmology
from ..models import get_model
from ..scans import points as pts
from . import Figure, pyplot, write_table
from . import prd_common as prd

FIGURE = Figure("prd-fig5", __name__, "PRD Fig. 5: Gamma/H, theta_eff/theta, d f_s/d ln z for A, B, C",
                "Kelly et al., PRD 101 (2020) 115031, Fig. 5")
Z = np.geomspace(1e-4, 10.0, 161)


def _coefficient_curves(card):
    """(Gamma/H, theta_eff/theta, Delta, max(|V|, Gamma)) at x = 1 on Z."""
    model = get_model(card.model, **card.parameters)
    t = const.Z_SCALE / Z
    c = model.coefficients(t, t)
    gamma, v, delta, s2 = (np.broadcast_to(a, t.shape) for a in (c.damping, c.v_nu, c.delta, c.sin2_2theta))
    eff = delta**2 * s2 / (delta**2 * s2 + 0.25 * gamma**2 + (delta * np.sqrt(1 - s2) - v) ** 2)
    return gamma / StandardCosmology().hubble(t), np.sqrt(eff / s2), delta, np.maximum(np.abs(v), gamma)


def _crossing(z, a, b):
    """First z where a - b changes sign (None if never)."""
    d = np.sign(a - b)
    idx = np.nonzero(np.diff(d))[0]
    return float(z[idx[0]]) if idx.size else None


def compute(ctx) -> dict:
    out = {}
    for conv in prd.CONVENTIONS:
        abc = prd.abc_gray(ctx, "vector-nu", conv)
        cards = {n: prd.card("vector-nu", conv, "gray", ctx.quick, m_v=m, coupling=lam) for n, (m, lam) in abc.items()}
        results = ctx.run([c.to_mapping() for c in cards.values()], pts.evaluate_card_production)
        curves = {}
        for (name, card), r in zip(cards.items(), results):
            g_h, th, delta, vg = _coefficient_curves(card)
            z, dfs = pts.columns_with_prefix(r.values, "dfs_dz") if r.ok else (Z, np.zeros_like(Z))
            curves[name] = {"gamma_h": g_h, "theta": th, "dfs_dlnz": np.interp(Z, z, dfs) * Z,
                            "z0": _crossing(Z, g_h, 1.0), "z1": _crossing(Z, delta, vg),
                            "z2": const.Z_SCALE / card.parameters["m_v"]}
        out[conv] = {"abc": abc, "curves": curves}
    return out


def draw(data: dict, ctx) -> list:
    plt = pyplot()
    written = []
    for conv, d in data.items():
        fig, axes = plt.subplots(3, 1, figsize=(6.4, 8.0), sharex=True)
        for i, (name, c) in enumerate(d["curves"].items()):
            color = f"C{i}"
            axes[0].loglog(Z, c["gamma_h"], color=color, label=name)
            axes[1].loglog(Z, c["theta"], color=color)
            pos = c["dfs_dlnz"] > 0
            axes[2].loglog(Z[pos], c["dfs_dlnz"][pos], color=color)
            for key, style in (("z0", ":"), ("z1", "--"), ("z2", "-.")):
                if c[key] is not None:
                    for ax in axes:
                        ax.axvline(c[key], color=color, ls=style, lw=0.7)
        axes[0].axhline(1.0, color="0.6", lw=0.7)
        axes[0].set_ylabel(r"$\Gamma/H$")
        axes[1].set_ylabel(r"$\theta_{\rm eff}/\theta$")
        axes[2].set_ylabel(r"$d f_s/d\ln z$")
        axes[2].set_xlabel(r"$z = 1\,{\rm MeV}/T$ (x = E/T = 1); dotted z0, dashed z1, dash-dot z2")
        axes[0].legend(fontsize=8)
        axes[0].set_title(f"neutrinophilic V, gray benchmark; convention: {conv}" + (" (quick)" if ctx.quick else ""),
                          fontsize=9)
        fig.tight_layout()
        written += ctx.save(fig, f"prd_fig5_{conv}", _write_csv, d)
    return written


def _write_csv(path, d) -> None:
    rows = [(n, z, g, t, f) for n, c in d["curves"].items()
            for z, g, t, f in zip(Z, c["gamma_h"], c["theta"], c["dfs_dlnz"])]
    write_table(path, f"prd-fig5: A, B, C (m_V [GeV], lambda) = {d['abc']}, x = 1",
                [("point", "A, B, C"), ("z", "1 MeV/T"), ("gamma_over_h", ""), ("theta_eff_over_theta", ""),
                 ("dfs_dlnz", "")], rows)
