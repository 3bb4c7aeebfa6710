r"""Rates that depend on the neutrino energy E and the temperature T only through w = m^2/(4 E T).

Every mediator rate of qke has parts of the form

    Gamma(E, T) = (T^2/E) R(w),   w = m^2/(4 E T),

with R dimensionless: the mediator's own off-shell remainder, its first-order width
correction and its on-shell pole (:class:`qke.physics.mediator_rates.MediatorRateTable`:
lam^4 T^3/m^2 Phi(w) = (T^2/E) lam^4 Phi(w)/(4 w), and C K(m^2; E, T) = (T^2/E) C w ln(1 + e^-w)/(2 pi^2)),
and the charged plasma's Weyl partners and annihilation channels at fixed m
(:class:`qke.physics.mediator_rates.PlasmaSlices`: g^4 T^3/m^2 Phi(w) again). A model
with fixed mass and coupling therefore needs R only as a function of one variable.

:class:`ReducedRate` holds such an R as one cubic polynomial per cell of a uniform grid in
log10 w (:data:`LOG10_W_MIN` to :data:`LOG10_W_MAX`, :data:`PER_DECADE` cells per decade),
stored as w (1 + w) R(w), which is O(1) or smaller across the grid for every part above
(R ~ 1/w for w -> 0 and ~ 1/w^2 for w -> oo at most). Evaluation is a cell index by
arithmetic and a Horner scheme, whatever the number of parts: ReducedRate objects add and
scale exactly (the cubics of a sum are the sums of the cubics), so a model sums its parts,
weighted by its couplings, once, and a scan builds nothing but that sum.

Accuracy (tests/test_reduced_rate.py): a smooth part (:meth:`ReducedRate.fit`, an
interpolating cubic spline through the exact values at every node) is reproduced to ~1e-8
relative between the nodes, the e^-w fall-off of the on-shell poles included (it is
tabulated with the e^-w taken out: :meth:`ReducedRate.fit` with ``falling``); a part that is
already piecewise linear in log10 w on nodes of this grid
(:meth:`ReducedRate.piecewise_linear`) is reproduced to rounding. Measured on the models'
whole rates (scalar, vector-nu, L_mu - L_tau, B - L, both conventions, E/T from 1e-3 to 100,
T from 0.1 MeV to 10 GeV): < 5e-9 relative. Outside the grid the caller evaluates the exact
parts (:meth:`ReducedRate.covers`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.interpolate import CubicSpline

__all__ = ["ReducedRate", "LOG10_W_MIN", "LOG10_W_MAX", "PER_DECADE"]

#: Range of the grid in log10 w (beyond it the callers use the exact parts).
LOG10_W_MIN, LOG10_W_MAX = -14.0, 14.0
#: Cells per decade of w: a multiple of 48 and 16 (and 8), so that the nodes of the plasma slices
#: (:data:`qke.physics.mediator_rates.SLICE_W`) lie on the grid; fine enough for ~1e-8 (module docstring).
PER_DECADE = 192
_CELLS = int(round((LOG10_W_MAX - LOG10_W_MIN) * PER_DECADE))
#: Largest w at which the parts that fall as e^-w are tabulated (beyond it they are < e^-600 of their scale).
W_FALL = 600.0


def nodes() -> np.ndarray:
    """The grid's nodes in log10 w (``_CELLS`` + 1 of them)."""
    return LOG10_W_MIN + np.arange(_CELLS + 1) / PER_DECADE


def _taylor(values):
    """(4, cells) Taylor coefficients in the cell offset of the not-a-knot cubic spline through ``values`` at the nodes."""
    c3, c2, c1, c0 = CubicSpline(nodes(), values).c        # in (x - x_i), cells of width h
    h = 1.0 / PER_DECADE
    return np.stack([c0, c1 * h, c2 * h * h, c3 * h**3])


def _frozen(coef):
    if coef is None:
        return None
    coef = np.ascontiguousarray(coef, dtype=float)
    coef.setflags(write=False)
    return coef


@dataclass(frozen=True, eq=False)
class ReducedRate:
    """R(w) = (E/T^2) x a rate that depends on w = m^2/(4ET) alone (dimensionless; module docstring).

    R(w) = [P(log10 w) + e^-w F(log10 w)] / (w (1 + w)), P and F cubic on each cell of the grid
    (:func:`nodes`): P holds the parts with power-law tails, F the parts that fall as e^-w
    (on-shell poles, width corrections), so that both are smooth in log10 w.

    Attributes
    ----------
    power, fall : ndarray, shape (4, cells), or None
        Taylor coefficients of P and F in the offset t in [0, 1) of each cell, c0 + c1 t + c2 t^2
        + c3 t^3 (None: that part is zero).
    power_scale, fall_scale : float
        Factors of P and F (so that scaling a table, or a sum whose P or F has a single term, shares the
        arrays instead of copying them).

    Examples
    --------
    >>> import numpy as np
    >>> off = ReducedRate.fit(lambda w: 1.0 / (w * (1.0 + w)))
    >>> pole = ReducedRate.fit(lambda w: np.exp(-w) / w, falling=True)
    >>> r = off + pole * 2.0
    >>> w = np.array([1e-3, 2.0, 30.0, 3e5])
    >>> bool(np.allclose(r(w, np.log10(w)), 1.0 / (w * (1.0 + w)) + 2.0 * np.exp(-w) / w, rtol=1e-9))
    True
    """

    power: np.ndarray | None = None
    fall: np.ndarray | None = None
    power_scale: float = 1.0
    fall_scale: float = 1.0

    @classmethod
    def fit(cls, func, falling: bool = False) -> "ReducedRate":
        """The interpolating cubic spline (not-a-knot) of ``func`` through every node.

        ``func`` maps an array of w to R(w) and must be finite on the grid. ``falling``: R falls
        as e^-w (or faster) for w -> oo; its spline is then taken of w (1 + w) e^w R(w) on
        w <= :data:`W_FALL` and held constant beyond (where R < e^-W_FALL: dropped).
        """
        w = 10.0**nodes()
        if falling:
            wc = np.minimum(w, W_FALL)
            return cls(fall=_frozen(_taylor(wc * (1.0 + wc) * np.exp(wc) * func(wc))))
        return cls(power=_frozen(_taylor(w * (1.0 + w) * func(w))))

    @classmethod
    def piecewise_linear(cls, log10_w, values) -> "ReducedRate":
        """The function with w (1 + w) R linear in log10 w between ``log10_w`` (increasing) and equal to
        ``values`` there, held constant beyond both ends; exact when every node lies on the grid."""
        v = np.interp(nodes(), log10_w, values)
        coef = np.zeros((4, _CELLS))
        coef[0], coef[1] = v[:-1], np.diff(v)
        return cls(power=_frozen(coef))

    @classmethod
    def sum(cls, terms) -> "ReducedRate":
        """sum_k c_k R_k of ``terms`` = ((R_k, c_k), ...): P (and F) of a single term shared with its factor,
        of several accumulated into one new array."""
        arrays, scales = [], []
        for kind in ("power", "fall"):
            parts = [(getattr(r, kind), float(c) * getattr(r, kind + "_scale")) for r, c in terms
                     if getattr(r, kind) is not None]
            if len(parts) == 1:
                arrays.append(parts[0][0])
                scales.append(parts[0][1])
                continue
            total = None
            for coef, c in parts:
                if total is None:
                    total = c * coef
                else:
                    total += c * coef
            arrays.append(_frozen(total))
            scales.append(1.0)
        return cls(*arrays, *scales)

    def __add__(self, other: "ReducedRate") -> "ReducedRate":
        return ReducedRate.sum(((self, 1.0), (other, 1.0)))

    def __mul__(self, factor: float) -> "ReducedRate":
        f = float(factor)
        return ReducedRate(self.power, self.fall, self.power_scale * f, self.fall_scale * f)

    __rmul__ = __mul__

    @staticmethod
    def covers(log10_w) -> bool:
        """Whether every ``log10_w`` lies on the grid (else the caller needs the exact parts somewhere)."""
        lw = np.asarray(log10_w)
        return bool(lw.min() >= LOG10_W_MIN and lw.max() <= LOG10_W_MAX)

    @property
    def _columns(self):
        """The coefficients of P, then of F, each a contiguous array over the cells (one gather per
        coefficient: faster than gathering rows of 4 and reading them with a stride)."""
        return tuple(c[k] for c in (self.power, self.fall) if c is not None for k in range(4))

    def numerator(self, w, log10_w):
        """w (1 + w) R(w) = P + e^-w F, given w and log10 w (broadcast together) inside the grid
        (:meth:`covers`; not clamped)."""
        s = (np.asarray(log10_w) - LOG10_W_MIN) * PER_DECADE
        i = np.minimum(s.astype(np.intp), _CELLS - 1)
        t = s - i
        cols = self._columns
        if not cols:
            return np.zeros_like(t)
        out = ((cols[3].take(i) * t + cols[2].take(i)) * t + cols[1].take(i)) * t + cols[0].take(i)
        if self.fall is None:
            return out if self.power_scale == 1.0 else out * self.power_scale
        with np.errstate(under="ignore"):
            decay = np.exp(-np.asarray(w)) * self.fall_scale
        if self.power is None:
            return out * decay
        fall = ((cols[7].take(i) * t + cols[6].take(i)) * t + cols[5].take(i)) * t + cols[4].take(i)
        if self.power_scale != 1.0:
            out *= self.power_scale
        return out + fall * decay

    def __call__(self, w, log10_w):
        """R(w), given w and log10 w (broadcast together), for log10 w on the grid (clamped to it)."""
        with np.errstate(under="ignore"):
            num = self.numerator(w, np.minimum(np.maximum(log10_w, LOG10_W_MIN), LOG10_W_MAX))
        return num / (w * (1.0 + w))
