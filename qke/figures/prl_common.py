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


#: Yield tolerance of the rate equation for the figures (Omega to 0.1 % is far below the
#: line width; the refined roots then carry the same relative accuracy) and in --quick mode.
FIGURE_RTOL, QUICK_RTOL = 1e-3, 3e-3


def card(convention: str, quick: bool = False, **params) -> Card:
    """The PRL benchmark point with the scalar mediator (internal units: GeV)."""
    base = {"m4": M4, "sin2_2theta": SIN2_2THETA, "flavor": "mu", "convention": convention,
            "m_phi": 0.1, "coupling": 1e-3}
    return Card(model="scalar", parameters=dict(base, **params),
                settings={"rtol": QUICK_RTOL if quick else FIGURE_RTOL})


def plane_axes(n: int):
    """(m_phi axis, coupling axis), log-spaced with n and 5n/6 points (4 and 6 decades)."""
    return (Axis("m_phi", np.geomspace(*M_PHI_RANGE, n), "log", "GeV"),
            Axis("coupling", np.geomspace(*COUPLING_RANGE, max(4, round(n * 5 / 6))), "log", None))


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


#: Where A, B, C are taken, each on its own branch in the middle of its regime:
#: C on the lower branch at m_phi = 10 MeV (phi light during production, z0 < z1),
#: B on the middle branch at the m_phi where the curve is triple-valued,
#: A on the upper branch at m_phi = 5 GeV (heavy phi, off-shell scattering).
ABC_MASS = {"C": 0.01, "A": 5.0}


def roots_at(ctx, convention: str, m_phi: float, quick: bool = False) -> list:
    """All couplings with Omega h^2 = 0.12 at ``m_phi`` (increasing)."""
    point = card(convention, quick, m_phi=float(m_phi)).to_mapping()
    spec = pts.RootSpec("coupling", *COUPLING_RANGE, n_bracket=12 if quick else 40, rtol=1e-3 if quick else 1e-5)
    point["root_spec"] = dataclasses.asdict(spec)
    (res,) = ctx.run([point], pts.solve_line_point)
    if not res.ok:
        return []
    return [res.values[f"root_{i}"] for i in range(int(res.values["n_roots"]))]


def grid_n(quick: bool) -> int:
    """Points per axis of the coarse (m_phi, lambda) grid (shared by the PRL figures, so cached once)."""
    return 7 if quick else 30


def abc_for(ctx, convention: str) -> dict:
    """{'C', 'B', 'A': (m_phi [GeV], lambda)} (those found): one point per branch (:data:`ABC_MASS`)."""
    x_axis, y_axis = plane_axes(grid_n(ctx.quick))
    results = ctx.run(pts.card_points(card(convention, ctx.quick), [y_axis, x_axis]), pts.evaluate_card)
    omega = pts.root_values(results).reshape(len(y_axis), len(x_axis))
    out = {}
    lower = roots_at(ctx, convention, ABC_MASS["C"], ctx.quick)
    if lower:
        out["C"] = (ABC_MASS["C"], lower[0])
    col = triple_column(omega)
    if col is not None:
        middle = roots_at(ctx, convention, float(x_axis.values[col]), ctx.quick)
        if len(middle) == 3:
            out["B"] = (float(x_axis.values[col]), middle[1])
    upper = roots_at(ctx, convention, ABC_MASS["A"], ctx.quick)
    if upper:
        out["A"] = (ABC_MASS["A"], upper[-1])
    return out


def benchmark_cards(abc: dict, convention: str, quick: bool = False) -> dict:
    """Cards of A, B, C and of plain DW (the scalar with a negligible coupling)."""
    out = {name: card(convention, quick, m_phi=float(m), coupling=float(lam)) for name, (m, lam) in abc.items()}
    out["DW"] = card(convention, quick, m_phi=1.0, coupling=1e-12)
    return out
