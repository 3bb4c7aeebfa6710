"""Thermodynamics of the plasma: energy densities of massive species.

The Fermi-Dirac energy density of a species of mass m and g internal states,

    rho = g/(2 pi^2) T^4 J(m/T),   J(r) = int_0^inf du u^2 sqrt(u^2 + r^2) / (exp(sqrt(u^2 + r^2)) + 1),

is tabulated once in r = m/T (cached on first use) and interpolated; the
relativistic limit is J(0) = 7 pi^4/120. The Bose-Einstein analogue (zero
chemical potential),

    rho = g/(2 pi^2) T^4 J_B(m/T),   J_B(r) = int_0^inf du u^2 sqrt(u^2 + r^2) / (exp(sqrt(u^2 + r^2)) - 1),

with J_B(0) = pi^4/15 (e.g. a thermal complex scalar, g = 2:
rho = (pi^2/15) T^4 = rho_gamma at m = 0), is tabulated the same way
(:func:`boson_energy_density`).

Examples
--------
>>> import math
>>> from qke.physics.plasma import fermion_energy_density
>>> rho = fermion_energy_density(0.0, 1.0, 2)
>>> bool(abs(rho / (7 * math.pi**2 / 120) - 1) < 1e-6)
True

Tabulated plasma rates and potentials on (temperature, energy) grids (the ALS rate of
:mod:`qke.models.sm`, the mediator potential of :mod:`qke.physics.potentials`) are bicubic
splines; :class:`BicubicTable` evaluates such a spline fast on the solvers' grids.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy.interpolate import BSpline, CubicSpline

#: Table range in r = m/T: below R_MIN J is its relativistic value to < 1e-8,
#: above R_MAX J < 1e-30 (set to zero).
R_MIN, R_MAX = 1e-4, 80.0


@lru_cache(maxsize=None)
def _j_table(n_r: int = 400, n_u: int = 2000, bose: bool = False):
    """Spline of ln J(r) (``bose``: ln J_B(r)) on a log grid of r (built once per process)."""
    r = np.geomspace(R_MIN, R_MAX, n_r)
    # substitute u = w^2 to resolve small u; trapezoid on a fine grid up to
    # E/T = r + 60 where the Fermi factor is < 1e-26 relative
    j = np.empty_like(r)
    for i, ri in enumerate(r):
        umax = math.sqrt((ri + 60.0) ** 2 - ri**2)
        u = np.linspace(0.0, umax, n_u)
        e = np.sqrt(u**2 + ri**2)
        # Bose: u^2 e/(e^e - 1) -> u^2 as u, r -> 0 (regular at u = 0)
        f = u**2 * e / np.expm1(e) if bose else u**2 * e / (np.exp(e) + 1.0)
        # Simpson's rule (n_u even number of intervals? use odd points)
        j[i] = _simpson(f, u)
    return CubicSpline(np.log(r), np.log(j))


def _simpson(f, x):
    n = len(x) - 1
    if n % 2:
        return np.trapezoid(f, x)
    h = (x[-1] - x[0]) / n
    return h / 3 * (f[0] + f[-1] + 4 * f[1:-1:2].sum() + 2 * f[2:-1:2].sum())


@lru_cache(maxsize=None)
def _j_lookup(bose: bool = False):
    """:func:`_j_table` as a :class:`UniformCubic` (the same spline, evaluated without a search)."""
    spline = _j_table(bose=bose)
    return UniformCubic(spline, 1.0 / (spline.x[1] - spline.x[0]))


def _j_of(r, bose: bool, relativistic: float):
    """J or J_B at r = m/T from the table: the relativistic value below R_MIN, zero above R_MAX."""
    r = np.asarray(r, dtype=float)
    out = np.exp(_j_lookup(bose)(np.log(np.minimum(np.maximum(r, R_MIN), R_MAX))))
    if (r < R_MIN).any() or (r > R_MAX).any():
        out = np.where(r < R_MIN, relativistic, np.where(r > R_MAX, 0.0, out))
    return out


def energy_integral_j(r):
    """J(r) = int_0^inf u^2 sqrt(u^2+r^2)/(e^{sqrt(u^2+r^2)}+1) du [dimensionless].

    Relativistic limit J(0) = 7 pi^4/120 (used below r = 1e-4); zero above r = 80.

    Parameters
    ----------
    r : array_like
        m/T >= 0.
    """
    return _j_of(r, False, 7.0 * math.pi**4 / 120.0)


def fermion_energy_density(mass, temperature, g):
    """Energy density of a Fermi-Dirac species with zero chemical potential [GeV^4].

    Parameters
    ----------
    mass : float or array_like
        Particle mass [GeV].
    temperature : array_like
        Temperature [GeV].
    g : float
        Internal degrees of freedom (e.g. 4 for l- and l+ with two spins).
    """
    t = np.asarray(temperature, dtype=float)
    if np.ndim(mass) == 0 and mass == 0:  # relativistic: J(0) = 7 pi^4/120
        return g / (2.0 * math.pi**2) * t**4 * (7.0 * math.pi**4 / 120.0)
    return g / (2.0 * math.pi**2) * t**4 * energy_integral_j(mass / t)


def energy_integral_j_boson(r):
    """J_B(r) = int_0^inf u^2 sqrt(u^2+r^2)/(e^{sqrt(u^2+r^2)}-1) du [dimensionless].

    Relativistic limit J_B(0) = pi^4/15 (used below r = 1e-4, where the
    correction -pi^2 r^2/12 is < 1e-8 relative); zero above r = 80.

    Parameters
    ----------
    r : array_like
        m/T >= 0.
    """
    return _j_of(r, True, math.pi**4 / 15.0)


def boson_energy_density(mass, temperature, g):
    """Energy density of a Bose-Einstein species with zero chemical potential [GeV^4].

    rho = g/(2 pi^2) T^4 J_B(m/T); for m = 0, rho = g (pi^2/30) T^4.

    Parameters
    ----------
    mass : float or array_like
        Particle mass [GeV].
    temperature : array_like
        Temperature [GeV] of the species.
    g : float
        Internal degrees of freedom (e.g. 2 for a complex scalar).

    Examples
    --------
    >>> import math
    >>> rho = boson_energy_density(0.0, 1.0, 2)
    >>> bool(abs(rho / (math.pi**2 / 15) - 1) < 1e-6)
    True
    """
    t = np.asarray(temperature, dtype=float)
    return g / (2.0 * math.pi**2) * t**4 * energy_integral_j_boson(mass / t)


# ---------------------------------------------------------------------------
# fast evaluation of tabulated bicubic splines
#: Smallest number of points for which :class:`BicubicTable` contracts the polynomials per row first.
ROW_PATH_MIN_POINTS = 2048


class UniformCubic:
    """A cubic spline whose knots lie on a uniform grid, evaluated without a search.

    The pieces of ``spline`` (a :class:`scipy.interpolate.CubicSpline` or any
    :class:`~scipy.interpolate.PPoly` of degree 3) are re-expanded on the cells of the
    uniform grid of step 1/``per_unit`` from its first to its last knot (every knot a cell
    edge): evaluation is a cell index by arithmetic and a Horner scheme, the same function as
    the spline to rounding. Beyond the knots the end values are held (the argument is clamped).

    Parameters
    ----------
    spline : scipy.interpolate.PPoly
        Cubic spline with knots ``spline.x`` on a uniform grid of step 1/``per_unit`` (or a coarser
        grid of it: several uniform pieces of different steps are fine if all knots lie on the finest).
    per_unit : float
        Cells per unit of the argument.
    """

    def __init__(self, spline, per_unit):
        knots = spline.x
        self.lo, self.hi = float(knots[0]), float(knots[-1])
        self.per_unit = float(per_unit)
        n = int(round((self.hi - self.lo) * per_unit))
        left = self.lo + np.arange(n) / per_unit
        # the piece holding each cell (chosen at its centre: robust to rounding at the knots)
        piece = np.clip(np.searchsorted(knots, left + 0.5 / per_unit) - 1, 0, knots.size - 2)
        c3, c2, c1, c0 = spline.c[:, piece]        # c3 (x - x_i)^3 + c2 (x - x_i)^2 + c1 (x - x_i) + c0
        d = left - knots[piece]
        h = 1.0 / per_unit
        self.coef = np.ascontiguousarray(np.stack([((c3 * d + c2) * d + c1) * d + c0,
                                                   ((3.0 * c3 * d + 2.0 * c2) * d + c1) * h,
                                                   (3.0 * c3 * d + c2) * h * h, c3 * h**3], axis=1))

    def __call__(self, x):
        """The spline at ``x`` (clamped to the knots)."""
        s = (np.minimum(np.maximum(x, self.lo), self.hi) - self.lo) * self.per_unit
        i = np.minimum(np.asarray(s).astype(np.intp), self.coef.shape[0] - 1)
        return _horner(self.coef.take(i, axis=0), s - i)


class _CellAxis:
    """Cells of one axis of a data grid: the cell of each coordinate and the offset in it (units of the cell).

    Coordinates are clamped to the grid (as FITPACK's ``bispev`` does); a uniform grid is
    located by arithmetic, any other by a binary search.
    """

    def __init__(self, nodes):
        self.nodes = np.asarray(nodes, dtype=float)
        self.cells = self.nodes.size - 1
        self.lo, self.hi = float(self.nodes[0]), float(self.nodes[-1])
        self.steps = np.diff(self.nodes)
        self.uniform = bool(np.allclose(self.steps, self.steps[0], rtol=1e-12, atol=0.0))
        self.inv_step = self.cells / (self.hi - self.lo)

    def locate(self, x):
        """(cell index, offset in [0, 1]) of the coordinates ``x`` (arrays of the shape of ``x``)."""
        xc = np.minimum(np.maximum(x, self.lo), self.hi)
        if self.uniform:
            s = (xc - self.lo) * self.inv_step
            i = np.minimum(s.astype(np.intp), self.cells - 1)
            return i, s - i
        i = np.minimum(np.searchsorted(self.nodes, xc, side="right") - 1, self.cells - 1)
        return i, (xc - self.nodes[i]) / self.steps[i]


def _local_polynomials(knots, nodes, n_basis):
    """(cells, 4, n_basis): Taylor coefficients in the unit offset of every cubic B-spline on each data cell."""
    basis = BSpline(knots, np.eye(n_basis), 3, extrapolate=True)
    left, h = nodes[:-1], np.diff(nodes)
    out = [basis(left)] + [basis.derivative(k)(left) * (h**k / math.factorial(k))[:, None] for k in (1, 2, 3)]
    return np.stack(out, axis=1)


def _horner(c, t):
    """c[..., 0] + c[..., 1] t + c[..., 2] t^2 + c[..., 3] t^3."""
    return ((c[..., 3] * t + c[..., 2]) * t + c[..., 1]) * t + c[..., 0]


class BicubicTable:
    """A bicubic interpolating spline held as one polynomial per cell of its data grid, for fast evaluation.

    The spline S(a, b) (FITPACK tensor-product B-spline of degree 3 in both variables, e.g. a
    :class:`scipy.interpolate.RectBivariateSpline` through the table) is, on each cell
    [a_i, a_(i+1)] x [b_j, b_(j+1)] of the data grid, a bicubic polynomial
    sum_kq P_ijkq s^k t^q in the offsets s, t in [0, 1]; the P are computed once from the
    B-spline coefficients, so that evaluation is a cell lookup and a Horner scheme: the same
    function as the spline to rounding (~1e-15 relative), coordinates clamped to the grid as
    in FITPACK. When one coordinate is constant along the last axis (a function of the row,
    e.g. of T on a (T, p) grid) and the points are many, the polynomials are first contracted
    once per row, leaving a cubic in the other coordinate per point.

    Parameters
    ----------
    spline : scipy.interpolate.RectBivariateSpline
        Interpolating spline of degrees (3, 3) through a table on the grid ``nodes_a`` x ``nodes_b``.
    nodes_a, nodes_b : array_like
        The data grid (strictly increasing); every knot of the spline must be one of its nodes.
    """

    def __init__(self, spline, nodes_a, nodes_b):
        if tuple(spline.degrees) != (3, 3):
            raise ValueError("BicubicTable: the spline must be cubic in both variables")
        ta, tb, c = spline.tck
        self.axes = (_CellAxis(nodes_a), _CellAxis(nodes_b))
        na, nb = len(ta) - 4, len(tb) - 4
        pa = _local_polynomials(ta, self.axes[0].nodes, na)
        pb = _local_polynomials(tb, self.axes[1].nodes, nb)
        coef = np.einsum("ika,ab,jqb->ijkq", pa, np.asarray(c, float).reshape(na, nb), pb, optimize=True)
        ca, cb = self.axes[0].cells, self.axes[1].cells
        # general points: [(i, j), (k, q)]; rows along a: [i, k, (j, q)]; rows along b: [j, q, (i, k)]
        self._cells = np.ascontiguousarray(coef.transpose(0, 1, 3, 2).reshape(ca * cb, 4, 4))
        self._rows = (np.ascontiguousarray(coef.transpose(0, 2, 1, 3).reshape(ca, 4, cb * 4)),
                      np.ascontiguousarray(coef.transpose(1, 3, 0, 2).reshape(cb, 4, ca * 4)))

    def __call__(self, a, b, db=0):
        """S(a, b) (``db=1``: dS/db) at broadcasting coordinates ``a``, ``b`` (clamped to the grid).

        Parameters
        ----------
        a, b : array_like
            Coordinates along the first and the second axis of the table.
        db : {0, 1}
            Order of the derivative in ``b``.

        Returns
        -------
        ndarray
            Broadcast shape of ``a`` and ``b``.
        """
        a = np.asarray(a, dtype=float)
        b = np.asarray(b, dtype=float)
        row = self._row_axis(a, b) if db == 0 else None
        if row is None:
            return self._general(a, b, db)
        return self._by_rows(a, b, 0) if row == 0 else self._by_rows(b, a, 1)

    @staticmethod
    def _row_axis(a, b):
        """0 (1) if ``a`` (``b``) is a column against a 2-D array of many points of the other; else None."""
        if a.ndim != 2 or b.ndim != 2 or a.shape[0] != b.shape[0]:
            return None
        if a.shape[1] == 1 and b.shape[1] > 1 and b.size >= ROW_PATH_MIN_POINTS:
            return 0
        if b.shape[1] == 1 and a.shape[1] > 1 and a.size >= ROW_PATH_MIN_POINTS:
            return 1
        return None

    def _general(self, a, b, db):
        """Any points: the 16 coefficients of each point's cell, then Horner in b and in a."""
        ia, s = self.axes[0].locate(a)
        ib, t = self.axes[1].locate(b)
        p = self._cells.take(ia * self.axes[1].cells + ib, axis=0)      # (..., q, k)
        if db == 0:
            return _horner(_horner(p, s[..., None]), t)
        dq = (3.0 * p[..., 3, :] * t[..., None] + 2.0 * p[..., 2, :]) * t[..., None] + p[..., 1, :]
        return _horner(dq, s) / self.axes[1].steps[ib]

    def _by_rows(self, row, pts, axis):
        """Row coordinate ``row`` (n, 1) on table axis ``axis``, the other (n, m): contract per row, then a cubic."""
        row_axis, pt_axis = self.axes[axis], self.axes[1 - axis]
        table = self._rows[axis]
        ir, s = row_axis.locate(row[:, 0])
        ip, t = pt_axis.locate(pts)
        first, last = int(ip.min()), int(ip.max())          # the cells of the points, in every row
        cols = slice(4 * first, 4 * (last + 1))
        # runs of rows in the same cell (one run per cell when the rows are ordered): one batched product
        # of each run's powers (padded to the longest run) with its cell's coefficients
        starts = np.concatenate([[0], np.flatnonzero(np.diff(ir)) + 1])
        lengths = np.diff(np.append(starts, ir.size))
        run = np.repeat(np.arange(starts.size), lengths)
        pos = np.arange(ir.size) - starts[run]
        powers = np.zeros((starts.size, int(lengths.max()), 4))
        powers[run, pos] = np.stack([np.ones_like(s), s, s * s, s * s * s], axis=1)
        contracted = np.matmul(powers, table[ir[starts], :, cols])[run, pos]
        index = ip + (np.arange(ir.size) * (last + 1 - first) - first)[:, None]
        return _horner(contracted.reshape(-1, 4).take(index, axis=0), t)
