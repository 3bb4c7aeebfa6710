"""js-runaway: the nonlinear resonant runaway of sterile self-interactions (Johns & Fuller 2019).

A sterile self-interaction through a heavy mediator (m_X = 1 GeV, coupling
lambda) gives the sterile state a potential from its own population,
V_s ≈ -(4/3) lambda^2 E rho_s/m_X^4 (derivations/out/sterile_potential.md). Once
|V_s| exceeds |V_a| the in-medium mixing meets Delta cos 2theta = V_a - V_s,
the resonance feeds rho_s, which deepens V_s: production runs away. Below a
critical coupling nothing happens (plain DW); above it Omega jumps by orders
of magnitude. Left: Omega h^2 against lambda for the rate equation with
feedback (Gamma_s[f_s], V_s[f_s]) and the QKE; right: production histories
below and above the transition (QKE). m4 = 7.1 keV, sin^2 2theta = 1e-12, nu_mu.
"""
from __future__ import annotations

import numpy as np

from ..cards import Card
from ..scans import points as pts
from . import Figure, pyplot, write_table

FIGURE = Figure("js-runaway", __name__, "sterile self-interaction runaway: Omega vs lambda, histories (both solvers)",
                "Johns & Fuller 2019 (arXiv:1903.08296); qke")

M_X = 1.0  # GeV


def _card(lam: float, method: str, quick: bool) -> Card:
    settings = ({"rtol": 3e-3} if quick else {"rtol": 1e-3}) if method == "rate" else \
        ({"n_bins": 40, "rtol": 1e-4} if quick else {"n_bins": 100, "rtol": 1e-5})
    return Card(model="sm", method=method, settings=settings,
                parameters={"m4": 7.1e-6, "sin2_2theta": 1e-12, "flavor": "mu", "self_m_phi": M_X,
                            "self_lambda": float(lam)})


def _couplings(quick: bool):
    return np.array([3e-3, 3e-2]) if quick else np.geomspace(1e-3, 3e-2, 9)


def compute(ctx) -> dict:
    """Omega(lambda) for both solvers and the QKE histories at the smallest and largest coupling."""
    lams = _couplings(ctx.quick)
    qke_lams = lams[-1:] if ctx.quick else lams
    cards = [_card(lam, "rate", ctx.quick) for lam in lams] + [_card(lam, "qke", ctx.quick) for lam in qke_lams]
    results = ctx.run([c.to_mapping() for c in cards], pts.evaluate_card_history)
    n = len(lams)
    out = {"lambda": lams, "rate": [], "qke_lambda": qke_lams, "qke": [], "hist": {}}
    for r in results[:n]:
        out["rate"].append(r.values["omega_h2"] if r.ok else np.nan)
    for lam, r in zip(qke_lams, results[n:]):
        out["qke"].append(r.values["omega_h2"] if r.ok else np.nan)
        if r.ok:
            out["hist"][float(lam)] = pts.columns_with_prefix(r.values, "dY_dlnT")
    first = results[0]
    if first.ok:
        out["hist"].setdefault(float(lams[0]), pts.columns_with_prefix(first.values, "dY_dlnT"))
    return out


def draw(data: dict, ctx) -> list:
    plt = pyplot()

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    ax1.loglog(data["lambda"], data["rate"], "k-o", ms=4, label="rate equation with feedback")
    ax1.loglog(data["qke_lambda"], data["qke"], "C1s", ms=6, mfc="none", label="QKE")
    ax1.axhline(0.12, color="0.6", ls="--", lw=1, label=r"$\Omega_{\rm DM} h^2$")
    ax1.set_xlabel(r"$\lambda$ (sterile self-coupling, $m_X$ = 1 GeV)")
    ax1.set_ylabel(r"$\Omega_s h^2$ (dimensionless)")
    ax1.legend(fontsize=8)
    for lam, (t, h) in sorted(data["hist"].items()):
        ax2.loglog(t * 1e3, np.where(h > 0, h, np.nan), label=rf"$\lambda$ = {lam:.2g}")
    ax2.invert_xaxis()
    ax2.set_xlabel("T [MeV]")
    ax2.set_ylabel(r"$dY/d\ln z$ (dimensionless)")
    ax2.legend(fontsize=8)
    fig.suptitle(r"runaway: $m_4$ = 7.1 keV, $\sin^2 2\theta = 10^{-12}$, $\nu_\mu$; derived physics"
                 + (" (quick)" if ctx.quick else ""), fontsize=10)
    fig.tight_layout()
    return ctx.save(fig, "js_runaway", _write_csv, data)


def _write_csv(path, data) -> None:
    rows = [("rate", lam, om) for lam, om in zip(data["lambda"], data["rate"])]
    rows += [("qke", lam, om) for lam, om in zip(data["qke_lambda"], data["qke"])]
    write_table(path, "js-runaway: Omega h^2 against the sterile self-coupling lambda (m_X = 1 GeV, "
                "m4 = 7.1 keV, sin^2 2theta = 1e-12, nu_mu, standard cosmology)",
                [("solver", "rate | qke"), ("lambda", ""), ("omega_h2", "")], rows)
