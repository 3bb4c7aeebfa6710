"""prd-fig4: Neutrinophilic vector (PRD Fig. 4): the curves Omega h^2 = 0.12 in (m_V, coupling) for both benchmarks.

Model ``vector-nu`` (qke/models/vector.py). Gray: m4 = 7.1 keV, sin^2 2theta = 7e-11;
black: m4 = 50 keV, sin^2 2theta = 1e-15; nu_mu; standard cosmology, rate equation.
One image per convention; the numbers in the CSV.
"""
from __future__ import annotations

from . import Figure
from . import prd_common as prd

FIGURE = Figure("prd-fig4", __name__, "Neutrinophilic vector (PRD Fig. 4): Omega h^2 = 0.12 curves, both benchmarks",
                "Kelly et al., PRD 101 (2020) 115031, Fig. 4")


def compute(ctx) -> dict:
    return prd.compute_curves(ctx, "vector-nu", with_abc=True)


def draw(data: dict, ctx) -> list:
    return prd.draw_curve_figure(data, ctx, "prd_fig4", "Neutrinophilic vector (PRD Fig. 4)", r"$\lambda_{\mu\mu}$ (dimensionless)")
