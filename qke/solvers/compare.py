"""QKE versus the averaged rate equation for the same model and cosmology.

Both solvers use the same comoving momentum y = p/T_nu, the same clock
u = -ln T and the same cosmology, so their difference is the collision
physics alone: the QKE keeps the coherence f12 dynamically (Delta^2 sin^2
2theta term, depletion of f11, resonance crossings) and the model's sterile
self-scattering Gamma_s, which the rate equation does not know.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from scipy.interpolate import CubicSpline

from ..cosmology import Cosmology, StandardCosmology
from .qke import QKESettings, solve_qke
from .rate import RateSettings, solve_rate
from .result import RelicResult

#: Momentum window p/T_nu of the per-bin comparison.
Y_WINDOW = (0.1, 10.0)


@dataclass(frozen=True)
class Comparison:
    """Outcome of :func:`compare`.

    Attributes
    ----------
    qke, rate : RelicResult
        The two solutions.
    ratio : float
        Omega_qke / Omega_rate.
    max_deviation : float
        Largest |f22(y)/f_s(y) - 1| over the QKE bins with 0.1 <= y <= 10
        (rate-equation spectrum interpolated onto the QKE bins where the grids differ).
    max_deviation_y : float
        y = p/T_nu where it occurs.
    """

    qke: RelicResult
    rate: RelicResult
    ratio: float
    max_deviation: float
    max_deviation_y: float

    def to_dict(self) -> dict:
        """JSON-ready summary (both results without arrays)."""
        return {"qke": self.qke.to_dict(), "rate": self.rate.to_dict(), "ratio": self.ratio,
                "max_deviation": self.max_deviation, "max_deviation_y": self.max_deviation_y,
                "y_window": list(Y_WINDOW)}


def spectrum_on(result: RelicResult, y):
    """The sterile spectrum of ``result`` at momenta ``y`` (exact on shared nodes).

    Off the nodes, a cubic spline in (ln y, ln f_s) (the spectra are smooth
    and positive for y > 0; near y = 0 they behave as powers of y).
    """
    y = np.asarray(y, dtype=float)
    ry, rf = result.y, result.f_s
    out = np.empty_like(y)
    idx = np.searchsorted(ry, y)
    idx = np.clip(idx, 0, ry.size - 1)
    on_node = np.isclose(ry[idx], y, rtol=1e-12, atol=1e-14)
    out[on_node] = rf[idx[on_node]]
    if not on_node.all():
        pos = (ry > 0) & (rf > 0)
        spline = CubicSpline(np.log(ry[pos]), np.log(rf[pos]))
        out[~on_node] = np.exp(spline(np.log(y[~on_node])))
    return out


def compare(model, cosmology: Cosmology | None = None, qke_settings: QKESettings | None = None,
            rate_settings: RateSettings | None = None) -> Comparison:
    """Solve the QKE and the rate equation for ``model`` and compare them.

    Parameters
    ----------
    model : qke.models.Model
    cosmology : qke.cosmology.Cosmology, optional
        Default :class:`~qke.cosmology.StandardCosmology`; used by both solvers.
    qke_settings : QKESettings, optional
    rate_settings : RateSettings, optional
        Default: rtol 1e-5. Unset temperatures are taken from the QKE's
        resolved range (after its automatic widening). In any case the
        rate equation's momentum grid is made to contain the QKE bins
        (n_y -> lcm(n_bins, 4) unless n_y is already a multiple of n_bins, and
        the QKE's y_max), so that the spectra are compared node by node rather
        than through an interpolation (the tabulated rates are only piecewise
        smooth in p/T, and interpolating a coarse spectrum near y = 0.1 can err
        by 10 %).

    Returns
    -------
    Comparison
    """
    cosmology = cosmology or StandardCosmology()
    qs = qke_settings or QKESettings()
    q = solve_qke(model, cosmology, qs)
    if rate_settings is None:
        rate_settings = RateSettings(rtol=1e-5)
    # same temperature range as the QKE (after its automatic widening)
    rate_settings = replace(rate_settings,
                            t_high=rate_settings.t_high if rate_settings.t_high is not None else q.settings.t_high,
                            t_low=rate_settings.t_low if rate_settings.t_low is not None else q.settings.t_low)
    if rate_settings.n_y % qs.n_bins or rate_settings.y_max != qs.y_max:
        rate_settings = replace(rate_settings, n_y=math.lcm(qs.n_bins, 4), y_max=qs.y_max)
    r = solve_rate(model, cosmology, rate_settings)
    lo, hi = Y_WINDOW
    sel = (q.y >= lo - 1e-12) & (q.y <= hi + 1e-12)
    ys = q.y[sel]
    dev = np.abs(q.f_s[sel] / spectrum_on(r, ys) - 1.0)
    i = int(np.argmax(dev))
    ratio = q.omega_h2 / r.omega_h2 if r.omega_h2 > 0 else math.inf
    return Comparison(qke=q, rate=r, ratio=float(ratio), max_deviation=float(dev[i]),
                      max_deviation_y=float(ys[i]))
