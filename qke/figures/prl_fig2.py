"""prl-fig2: the S-curve Omega h^2 = 0.12 in (m_phi, lambda_phi), PRL Fig. 2.

Left: the refined curve with the points A, B, C (one per branch, see
:data:`qke.figures.prl_common.ABC_MASS`)
and the regime scalings through them (dotted; A: lambda ∝ m_phi^{2/3},
B: lambda ∝ m_phi^{-5/2}, C: lambda ∝ m_phi^{1/2}). Right: the same curve with
the closed-form limits of :mod:`qke.physics.limits`: nu_4 lifetime shorter
than the age of the Universe (nu_4 -> 3 nu through phi and nu_4 -> nu gamma),
BBN (m_phi < 5 MeV), K+ -> mu+ nu phi (E949 Br < 2.4e-6, acceptance not
modelled) and the line G_eff = lambda^2/m_phi^2 = G_F. One image per
convention (``prl_fig2_derived``, ``prl_fig2_seed``); the numbers in the CSV.
"""
from __future__ import annotations

import csv

import numpy as np

from ..physics import limits
from . import Figure, pyplot
from . import prl_common as prl

FIGURE = Figure("prl-fig2", __name__, "PRL Fig. 2: S-curve Omega h^2 = 0.12 in (m_phi, lambda), A, B, C, limits",
                "de Gouvea et al., PRL 124 (2020) 081802, Fig. 2")


def compute(ctx) -> dict:
    """Per convention: the refined branches, the coarse grid, A/B/C."""
    n = prl.grid_n(ctx.quick)
    out = {}
    for conv in prl.CONVENTIONS:
        res = prl.s_curve(ctx, conv, n)
        out[conv] = {"lines": [(ln.x, ln.y, ln.refined) for ln in res.lines], "abc": prl.abc_for(ctx, conv),
                     "refined": int(sum(ln.refined.sum() for ln in res.lines))}
    return out


def _limits_panel(ax, m):
    lam = np.geomspace(*prl.COUPLING_RANGE, 200)
    mm, ll = np.meshgrid(m, lam)
    short = ~limits.nu4_outlives_universe(prl.M4, prl.SIN2_2THETA, mm, ll, kind="scalar")
    ax.contourf(m, lam, short.astype(float), levels=[0.5, 1.5], colors=["#c8a27c"], alpha=0.5)
    ax.axvspan(m[0], limits.BBN_MIN_MEDIATOR_MASS, color="0.7", alpha=0.5, label="BBN (m_phi < 5 MeV)")
    ax.plot(m, np.minimum(limits.coupling_limit_k_to_mu_nu_phi(m), 10.0), color="g",
            label=r"$K^+\to\mu^+\nu\phi$ (above excluded)")
    ax.plot(m, limits.coupling_on_gf_line(m), "m--", label=r"$G_{\rm eff} = G_F$")
    ax.plot([], [], color="#c8a27c", lw=6, alpha=0.5, label=r"$\tau(\nu_4)$ < age of the Universe")


def draw(data: dict, ctx) -> list:
    """Two panels per convention; PNG/PDF per convention, one CSV."""
    plt = pyplot()

    written = []
    m = np.geomspace(*prl.M_PHI_RANGE, 200)
    for conv, d in data.items():
        fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), sharey=True)
        for ax in axes:
            for x, y, _ in d["lines"]:
                ax.loglog(x, y, "k-")
            ax.set_xlim(*prl.M_PHI_RANGE)
            ax.set_ylim(*prl.COUPLING_RANGE)
            ax.set_xlabel(r"$m_\phi$ [GeV]")
        for name, (m_pt, lam) in d["abc"].items():
            axes[0].plot(m_pt, lam, "o", color="C3")
            axes[0].annotate(name, (m_pt, lam), textcoords="offset points", xytext=(6, 4))
            slope = prl.REGIME_SLOPES[name]
            axes[0].plot(m, lam * (m / m_pt) ** slope, ":", color="C0", lw=1)
        _limits_panel(axes[1], m)
        axes[1].legend(fontsize=7, loc="lower right")
        axes[0].set_ylabel(r"$\lambda_\phi$ (dimensionless)")
        fig.suptitle(rf"$\Omega_s h^2 = 0.12$: $m_4$ = 7.1 keV, $\sin^2 2\theta = 7\times10^{{-11}}$, $\nu_\mu$; "
                     f"convention: {conv}" + (" (quick)" if ctx.quick else ""), fontsize=10)
        fig.tight_layout()
        written += ctx.save(fig, f"prl_fig2_{conv}", _write_csv, d)
    return written


def _write_csv(path, d) -> None:
    with open(path, "w", newline="") as fh:
        fh.write("# prl-fig2: Omega h^2 = 0.12 curve (m4 = 7.1 keV, sin^2 2theta = 7e-11, nu_mu, standard "
                 "cosmology, rate equation); A/B/C rows: branch points at m_phi_ABC\n")
        fh.write("# columns: branch (0, 1, ... or A/B/C), m_phi [GeV], lambda [dimensionless], "
                 "refined (1: on the curve to the root tolerance)\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["branch", "m_phi", "lambda", "refined"])
        for b, (x, y, ok) in enumerate(d["lines"]):
            w.writerows([b, repr(float(a)), repr(float(c)), int(r)] for a, c, r in zip(x, y, ok))
        for name, (m_pt, lam) in d["abc"].items():
            w.writerow([name, repr(float(m_pt)), repr(float(lam)), 1])
