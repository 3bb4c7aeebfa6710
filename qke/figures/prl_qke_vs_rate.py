"""prl-qke-vs-rate: the QKE against the rate equation along the PRL S-curve (derived convention).

Every refined vertex of the prl-fig2 curve Omega h^2 = 0.12 (m4 = 7.1 keV,
sin^2 2theta = 7e-11, nu_mu) and the points A, B, C are solved with both
solvers (QKE: 200 bins, rtol 1e-5); the figure shows Omega_QKE/Omega_rate
along the curve against m_phi, with the usual 0.3 % band. Where they differ
beyond it, the rate equation's quasi-static reduction fails: an MSW crossing
Delta cos 2theta = V_T (possible because the phi potential changes sign) that
is not collision-dominated (Landau-Zener, as in tests/test_qke_resonance.py),
or a large Gamma_s-free coherence. The table beside it lists every point.
"""
from __future__ import annotations

import numpy as np

from ..scans import points as pts
from . import Figure, pyplot, write_table
from . import prl_common as prl

FIGURE = Figure("prl-qke-vs-rate", __name__,
                "QKE / rate equation along the PRL S-curve (A, B, C and every refined vertex)", "qke")

#: Agreement expected where the quasi-static reduction holds.
AGREEMENT = 3e-3


def compute(ctx) -> dict:
    """(name, m_phi, lambda, Omega_rate, Omega_qke) for each point on the curve."""
    res = prl.s_curve(ctx, "derived", prl.grid_n(ctx.quick))
    named = [(name, m, lam) for name, (m, lam) in prl.abc_for(ctx, "derived").items()]
    vertices = [(f"{b}:{i}", x, y) for b, ln in enumerate(res.lines)
                for i, (x, y, ok) in enumerate(zip(ln.x, ln.y, ln.refined)) if ok]
    if ctx.quick:
        vertices = vertices[:: max(1, len(vertices) // 3)][:3]
    rows = named + vertices
    cards = [prl.card("derived", ctx.quick, m_phi=float(m), coupling=float(lam)) for _, m, lam in rows]
    qke = {"n_bins": 40 if ctx.quick else 200}
    results = ctx.run([c.to_mapping() for c in cards]
                      + [c.replace(method="qke", settings=qke).to_mapping() for c in cards], pts.evaluate_card)
    n = len(rows)
    out = []
    for k, (name, m, lam) in enumerate(rows):
        r, q = results[k], results[n + k]
        om_r = r.values["omega_h2"] if r.ok else np.nan
        om_q = q.values["omega_h2"] if q.ok else np.nan
        out.append((name, float(m), float(lam), om_r, om_q, r.error or q.error or ""))
    return {"rows": out}


def draw(data: dict, ctx) -> list:
    plt = pyplot()

    fig, ax = plt.subplots(figsize=(6.6, 4.4))
    for name, m, lam, om_r, om_q, _ in data["rows"]:
        ratio = om_q / om_r
        named = name in ("A", "B", "C")
        ax.semilogx(m, ratio, "s" if named else "o", color="C3" if named else "C0", ms=6 if named else 4)
        if named:
            ax.annotate(name, (m, ratio), textcoords="offset points", xytext=(5, 4))
    ax.axhspan(1 - AGREEMENT, 1 + AGREEMENT, color="0.85", label="±0.3 %")
    ax.set_xlabel(r"$m_\phi$ [GeV] (points on $\Omega_s h^2 = 0.12$)")
    ax.set_ylabel(r"$\Omega_{\rm QKE} / \Omega_{\rm rate}$ (dimensionless)")
    ax.set_title("QKE vs rate equation along the PRL S-curve (derived convention)"
                 + (" (quick)" if ctx.quick else ""), fontsize=9)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return ctx.save(fig, "prl_qke_vs_rate", _write_csv, data)


def _write_csv(path, data) -> None:
    write_table(path, "prl-qke-vs-rate: both solvers on the S-curve of prl-fig2 (derived convention); "
                "name: A/B/C or branch:vertex",
                [("name", "-"), ("m_phi", "GeV"), ("lambda", ""), ("omega_rate", ""), ("omega_qke", ""),
                 ("ratio", ""), ("error", "-")],
                [(n, m, lam, om_r, om_q, om_q / om_r, err) for n, m, lam, om_r, om_q, err in data["rows"]])
