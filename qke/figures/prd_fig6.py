"""prd-fig6: PRD Fig. 4's curves with the closed-form laboratory and cosmology limits.

Neutrinophilic vector (``vector-nu``), both benchmarks, with the limits of
:mod:`qke.physics.limits`: Higgs invisible width (PRD eq. 3.19; Br < 24 % now,
2.5 % HL-LHC), the W width (eq. 3.20 with the corrected bracket, below the
42 MeV uncertainty) and BBN (m_V < 5 MeV). The meson decays K+, pi+ -> mu+ nu nu
nubar (Br < 2.4e-6, 5e-6) need the vector's three-body width, which qke does
not yet derive: they are not drawn (stated in the caption). One image per convention.
"""
from __future__ import annotations

import numpy as np

from ..physics import limits
from . import Figure
from . import prd_common as prd
from . import prd_fig4

FIGURE = Figure("prd-fig6", __name__, "PRD Fig. 6: Fig. 4 with Higgs, W and BBN limits",
                "Kelly et al., PRD 101 (2020) 115031, Fig. 6")


def compute(ctx) -> dict:
    return prd_fig4.compute(ctx)


def _limits(ax) -> None:
    m = np.geomspace(*prd.M_V_RANGE, 200)
    prd.bbn_band(ax)
    ax.plot(m, limits.coupling_limit_h_invisible(m), "C4-", label="h invisible, Br < 24 %")
    ax.plot(m, limits.coupling_limit_h_invisible(m, br_max=limits.BR_H_INVISIBLE_HL_LHC), "C4--",
            label="h invisible, HL-LHC 2.5 %")
    ax.plot(m, limits.coupling_limit_w_width(m), "C2-", label="W width (42 MeV)")
    ax.text(0.02, 0.02, "K+, pi+ -> mu nu nu nubar: not drawn (3-body width not derived)",
            transform=ax.transAxes, fontsize=6)


def draw(data: dict, ctx) -> list:
    return prd.draw_curve_figure(data, ctx, "prd_fig6", "Neutrinophilic vector with limits (PRD Fig. 6)",
                                 r"$\lambda_{\mu\mu}$ (dimensionless)", decorate=_limits)
