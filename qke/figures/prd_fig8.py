"""prd-fig8: Gauged U(1)B-L (PRD Fig. 8): the curves Omega h^2 = 0.12 in (m_V, coupling) for both benchmarks.

Model ``vector-b-l`` (qke/models/vector.py). Gray: m4 = 7.1 keV, sin^2 2theta = 7e-11;
black: m4 = 50 keV, sin^2 2theta = 1e-15; nu_mu; standard cosmology, rate equation.
One image per convention; the numbers in the CSV.
"""
from __future__ import annotations

from . import Figure
from . import prd_common as prd

FIGURE = Figure("prd-fig8", __name__, "Gauged U(1)B-L (PRD Fig. 8): Omega h^2 = 0.12 curves, both benchmarks",
                "Kelly et al., PRD 101 (2020) 115031, Fig. 8")


def compute(ctx) -> dict:
    return prd.compute_curves(ctx, "vector-b-l", with_abc=False)


def draw(data: dict, ctx) -> list:
    return prd.draw_curve_figure(data, ctx, "prd_fig8", "Gauged U(1)B-L (PRD Fig. 8)", r"$g_{B-L}$ (dimensionless)",
                                 decorate=prd.bbn_band)
