"""Shared pieces of the PRL figures (de Gouvea, Sen, Tangarife & Zhang, PRL 124 (2020) 081802).

Benchmark (PRL Fig. 2-4 captions): m4 = 7.1 keV, nu_mu, sin^2 2theta = 7e-11
(the caption's value; the text's theta = 4e-6 would be 6.4e-11), complex
scalar phi with m_phi from 1 MeV to 10 GeV and lambda_phi from 1e-6 to 1.
Standard cosmology (Saikawa-Shirai g*), rate equation. Each figure is drawn
in the two conventions of SPEC section 8: ``derived`` (the corrected
physics) and ``seed`` (the PRL's printed eq. 5-7).

The S-curve Omega h^2 = 0.12 in (m_phi, lambda) comes from
:func:`qke.scans.commands.trace_omega_contour` (coarse grid, contourpy,
vertices refined by Brent along the grid edges); the points A, B, C are the
three roots in lambda at one m_phi where the curve is triple-valued, in
increasing lambda C, B, A (C: Omega ∝ lambda^2 theta^2/m_phi; B: Omega ∝
m4^4 theta^2/(lambda^2 m_phi^5); A: Omega ∝ lambda^3 theta^2 m4/m_phi^2).
"""
from __future__ import annotations

import dataclasses

import numpy as np

from .. import constants as const
from ..cards import Card
from ..scans import points as pts
from ..scans.grid import Axis

CONVENTIONS = ("derived", "seed")
M4, SIN2_2THETA = 7.1e-6, 7e-11
M_PHI_RANGE = (1e-3, 10.0)    # GeV
COUPLING_RANGE = (1e-6, 1.0)
#: Slopes d ln lambda / d ln m_phi of the regimes along Omega = const (PRL text).
REGIME_SLOPES = {"A": 2.0 / 3.0, "B": -2.5, "C": 0.5}


#: Yield tolerance of the rate equation in --quick mode (the default 3e-4 otherwise).
QUICK_RTOL = 3e-3


def card(convention: str, quick: bool = False, **params) -> Card:
    """The PRL benchmark point with the scalar mediator (internal units: GeV)."""
    base = {"m4": M4, "sin2_2theta": SIN2_2THETA, "flavor": "mu", "convention": convention,
            "m_phi": 0.1, "coupling": 1e-3}
    return Card(model="scalar", parameters=dict(base, **params), settings={"rtol": QUICK_RTOL} if quick else {})


def plane_axes(n: int):
    """(m_phi axis, coupling axis), log-spaced with n points each."""
    return (Axis("m_phi", np.geomspace(*M_PHI_RANGE, n), "log", "GeV"),
            Axis("coupling", np.geomspace(*COUPLING_RANGE, n), "log", None))


def s_curve(ctx, convention: str, n: int):
    """The refined contour Omega h^2 = 0.12 (a ContourResult) for one convention."""
    from ..scans.commands import trace_omega_contour

    x_axis, y_axis = plane_axes(n)
    return trace_omega_contour(card(convention, ctx.quick), x_axis, y_axis, const.OMEGA_DM_H2, run=ctx.run,
                               rtol=1e-2 if ctx.quick else 1e-4)


def triple_column(omega: np.ndarray, target: float = const.OMEGA_DM_H2):
    """Index of the m_phi column where ln(Omega/target) changes sign most often (3 on the S), or None."""
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.log(omega / target)
    changes = [int(np.sum(np.diff(np.sign(z[:, i][np.isfinite(z[:, i])])) != 0)) for i in range(z.shape[1])]
    best = max(changes) if changes else 0
    if best < 2:
        return None
    cols = [i for i, c in enumerate(changes) if c == best]
    return cols[len(cols) // 2]


def abc_points(ctx, convention: str, m_phi: float, quick: bool = False) -> dict:
    """{'C': lambda, 'B': lambda, 'A': lambda} (as many as found) at ``m_phi``: the roots of Omega = 0.12."""
    point = card(convention, quick, m_phi=float(m_phi)).to_mapping()
    spec = pts.RootSpec("coupling", *COUPLING_RANGE, n_bracket=12 if quick else 40, rtol=1e-3 if quick else 1e-5)
    point["root_spec"] = dataclasses.asdict(spec)
    (res,) = ctx.run([point], pts.solve_line_point)
    if not res.ok:
        return {}
    roots = [res.values[f"root_{i}"] for i in range(int(res.values["n_roots"]))]
    names = ("C", "B", "A") if len(roots) == 3 else ("C", "A")[:len(roots)] if len(roots) <= 2 else ()
    return {name: r for name, r in zip(names, roots)}


def grid_n(quick: bool) -> int:
    """Points per axis of the coarse (m_phi, lambda) grid (shared by the PRL figures, so cached once)."""
    return 7 if quick else 22


def abc_for(ctx, convention: str):
    """(m_phi_ABC, {'C', 'B', 'A': lambda}) from the coarse grid (cached) and the roots there."""
    x_axis, y_axis = plane_axes(grid_n(ctx.quick))
    results = ctx.run(pts.card_points(card(convention, ctx.quick), [y_axis, x_axis]), pts.evaluate_card)
    omega = pts.root_values(results).reshape(len(y_axis), len(x_axis))
    col = triple_column(omega)
    if col is None:
        return None, {}
    m_abc = float(x_axis.values[col])
    return m_abc, abc_points(ctx, convention, m_abc, ctx.quick)


def benchmark_cards(abc: dict, m_phi: float, convention: str, quick: bool = False) -> dict:
    """Cards of A, B, C (at ``m_phi``) and of plain DW (the scalar with a negligible coupling)."""
    out = {name: card(convention, quick, m_phi=float(m_phi), coupling=float(lam)) for name, lam in abc.items()}
    out["DW"] = card(convention, quick, m_phi=float(m_phi), coupling=1e-12)
    return out
