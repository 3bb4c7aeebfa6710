"""prd-fig6: PRD Fig. 4's curves with the closed-form laboratory and cosmology limits.

Neutrinophilic vector (``vector-nu``), both benchmarks, with the limits of
:mod:`qke.physics.limits`, each an upper bound on lambda_mumu:

* Higgs invisible width (PRD eq. 3.19, Sec. III B; Br < 24 % now, 2.5 % HL-LHC);
* W width (PRD eq. 3.20, Sec. III C; below the 42 MeV uncertainty);
* meson decays K+, pi+ -> mu+ nu V, V -> nu nubar (PRD Sec. III E; Br(K+ -> mu+ nu nu nubar)
  < 2.4e-6, E949, Artamonov et al., PRD 94 (2016) 032012; Br(pi+ -> mu+ nu nu nubar) < 5e-6);
* BBN (m_V < 5 MeV, Sec. III F).

The h, W and meson widths are derived in derivations/meson_decays.py (report:
derivations/out/meson_decays.md): eqs. 3.19 and 3.20 are used with one power of G_F (the
printed G_F^2 is dimensionally wrong) and eq. 3.20 with the bracket 1 - 8w. The limit lines
are written to the CSV (rows with benchmark 'limit'). One image per convention.
"""
from __future__ import annotations

import numpy as np

from .. import constants as const
from ..physics import limits
from . import Figure
from . import prd_common as prd
from . import prd_fig4

FIGURE = Figure("prd-fig6", __name__, "PRD Fig. 6: Fig. 4 with Higgs, W, meson-decay and BBN limits",
                "Kelly et al., PRD 101 (2020) 115031, Fig. 6")
#: Points per limit line.
N_LIMIT = 200


def compute(ctx) -> dict:
    return prd_fig4.compute(ctx)


def _meson_grid(meson: str) -> np.ndarray:
    """m_V from the plot's lower edge to just below the M -> mu V threshold [GeV]."""
    end = min(limits.MESONS[meson][0] - const.M_MU, prd.M_V_RANGE[1])
    return np.geomspace(prd.M_V_RANGE[0], end * (1.0 - 1e-6), N_LIMIT)


def limit_lines() -> list:
    """(name, legend label, style, m_V [GeV], bound on lambda_mumu) of every limit line of the figure."""
    m = np.geomspace(*prd.M_V_RANGE, N_LIMIT)
    m_k, m_pi = _meson_grid("K"), _meson_grid("pi")
    return [
        ("h_invisible_br0.24", "h invisible, Br < 24 %", "C4-", m, limits.coupling_limit_h_invisible(m)),
        ("h_invisible_hl_lhc_br0.025", "h invisible, HL-LHC 2.5 %", "C4--", m,
         limits.coupling_limit_h_invisible(m, br_max=limits.BR_H_INVISIBLE_HL_LHC)),
        ("w_width_42MeV", "W width (42 MeV)", "C2-", m, limits.coupling_limit_w_width(m)),
        ("k_mu_nu_v_br2.4e-6", r"$K^+\to\mu^+\nu V$, Br < 2.4e-6 (E949)", "C0-", m_k,
         limits.coupling_limit_meson_to_mu_nu_v(m_k, "K")),
        ("pi_mu_nu_v_br5e-6", r"$\pi^+\to\mu^+\nu V$, Br < 5e-6", "C0-.", m_pi,
         limits.coupling_limit_meson_to_mu_nu_v(m_pi, "pi")),
    ]


def _decorate(ax) -> None:
    prd.bbn_band(ax)
    ax.text(0.02, 0.98, "h, W, meson widths derived: derivations/out/meson_decays.md\n(eqs. 3.19, 3.20 with G_F, not G_F²); "
            "meson limits: PRD Sec. III E\n(K⁺: E949, PRD 94 (2016) 032012; π⁺: as quoted there)",
            transform=ax.transAxes, fontsize=6, va="top")


def draw(data: dict, ctx) -> list:
    return prd.draw_curve_figure(data, ctx, "prd_fig6", "Neutrinophilic vector with limits (PRD Fig. 6)",
                                 r"$\lambda_{\mu\mu}$ (dimensionless)", decorate=_decorate, limits=limit_lines())
