"""MSW crossings of the rate equation's kernel: location and local Lorentzians.

Where Delta cos2theta = V (V_T changing sign, e.g. with a light mediator) the
production kernel k(u) of :mod:`qke.solvers.rate` (u = -ln T) is, per momentum
bin, a Lorentzian that can be orders of magnitude narrower than any affordable
grid. For each sign change of omega = Delta cos2theta - V between two grid nodes,
the cubic through omega at the four nodes around it gives a first root and slope
without any model call; with D interpolated there they estimate the width, and a
crossing too wide to need the exact treatment is left to the grid at once. The
others are located by Newton's method from that root, safeguarded by the bracket,
on omega alone (the model's potential hooks, without the costly collision rates;
value, slope and curvature by central differences in one call per step, usually one step); the
Lorentzian's width follows from the slope there and its height from the model's
rates at the root. Roots found on a coarser grid are carried to a refined one
(``known`` of :func:`find_resonances`). The rate solver subtracts the Lorentzians
from its samples and adds their exact integrals back.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..cosmology import Cosmology
from ..models.base import Model
from . import core

#: Safeguarded Newton steps locating a resonance between two grid nodes (each one call of the
#: model's potential). They start from the root of the cubic through omega at the four grid nodes
#: around the bracket (error ~du^4), so that one step usually suffices.
RESONANCE_STEPS = 14
#: The steps stop once the last step (kept) leaves every root within about this of the true one
#: (in u = -ln T; the bound of :func:`_newton`), far below any grid spacing and resonance width
#: kept: the Lorentzians' integrals do not depend on where inside its cell a root lies to that precision.
ROOT_TOL = 1e-11
#: Newton steps on the grid's cubic from the regula falsi point (:func:`_cubic_start`): its root to ~1e-9 of a
#: grid spacing, far inside the one model-call step of :func:`_newton` (whose own start error is the cubic's, ~du^4).
CUBIC_STEPS = 2
#: Step of the central difference for d omega/du, as a fraction of the bracketing grid interval.
SLOPE_STEP = 1e-4
#: Crossings wider than this many grid spacings (in ln T) are left to the grid.
RESONANCE_MAX_WIDTH = 2.0
#: Crossings whose width estimated on the grid exceeds this factor times ``RESONANCE_MAX_WIDTH`` grid
#: spacings are neither located nor fitted. The estimate is D (interpolated geometrically between the
#: grid nodes) over the slope, both at the root of the cubic through omega at the four nodes around
#: the sign change (no model calls). Margin: over 22,164 crossings narrower than 10 grid spacings
#: located in the test suite the width at the root was 0.980-1.018 times this estimate.
WIDE_SCREEN = 1.1


@dataclass(frozen=True)
class Resonances:
    """MSW crossings Delta cos2theta = V_T, one entry per (momentum bin, crossing).

    Near a crossing at u_r the kernel is a Lorentzian in u = -ln T,
    k ~ a / (1 + ((u - u_r)/w)^2), with a = (dt/du)(Gamma/4) Delta^2 s2/D^2,
    w = D/|d omega/du|, D^2 = Delta^2 s2 + Gamma^2/4, omega = Delta cos2theta - V_T.
    When V_T changes sign this peak can be far narrower than any affordable
    grid; the solver subtracts it from the sampled kernel and adds its exact
    integral (atan), so the grid only has to resolve the smooth remainder.
    """

    column: np.ndarray  # index into the y grid (without y = 0)
    u_r: np.ndarray
    a: np.ndarray
    width: np.ndarray
    f_a: np.ndarray

    def _grouping(self):
        """(order, columns, first index of each) of the crossings sorted by momentum column; None when
        every column holds one crossing (the common case)."""
        if np.unique(self.column).size == self.column.size:
            return None
        order = np.argsort(self.column, kind="stable")
        cols, start = np.unique(self.column[order], return_index=True)
        return order, cols, start

    def _by_column(self, per_res, n_y, grouping):
        """Sum the per-crossing rows of ``per_res`` (n, m) into their momentum columns: (m, n_y)
        (the transpose of a row-major (n_y, m) array: whole rows are written)."""
        out = np.zeros((n_y, per_res.shape[1]))
        if grouping is None:
            out[self.column] = per_res
        else:
            order, cols, start = grouping
            out[cols] = np.add.reduceat(per_res[order], start, axis=0)
        return out.T

    def _x(self, u):
        """(u - u_r)/width, shape (crossings, u.size)."""
        return self._x_into(u, slice(None), np.empty((self.u_r.size, u.size)))

    def _consecutive(self):
        """(order, slice of columns) when the crossings hold one column each and the columns are
        consecutive (the common case: every column of a resonant range); None otherwise."""
        order = np.argsort(self.column)
        col = self.column[order]
        if col[-1] - col[0] + 1 != col.size:
            return None
        return order, slice(int(col[0]), int(col[-1]) + 1)

    def _x_into(self, u, order, x):
        """(u - u_r)/width of the crossings in ``order``, written into ``x`` (crossings, u.size)."""
        inv = 1.0 / self.width[order]
        np.multiply(u[None, :], inv[:, None], out=x)
        x -= (self.u_r[order] * inv)[:, None]
        return x

    @staticmethod
    def _rows(count, n_y, n_u, columns: slice):
        """``count`` (n_y, n_u) arrays, zero outside the rows of ``columns``."""
        out = np.empty((count, n_y, n_u))
        out[:, :columns.start] = 0.0
        out[:, columns.stop:] = 0.0
        return out

    def on_grid(self, u, n_y):
        """Sums of the Lorentzians on the grid for the kernel and the source, and their exact
        integrals from u[0] (arctan), each (u.size, n_y)."""
        layout = self._consecutive()
        if layout is not None:     # written in place, row by row of the (momentum, clock) layout
            order, cols = layout
            lk, ls, ck, cs = out = self._rows(4, n_y, u.size, cols)
            x = self._x_into(u, order, ck[cols])
            shape = np.multiply(x, x, out=lk[cols])
            shape += 1.0
            np.divide(self.a[order, None], shape, out=shape)
            _arctan_from_start(x, (self.a * self.width)[order])
            f_a = self.f_a[order, None]
            np.multiply(shape, f_a, out=ls[cols])
            np.multiply(x, f_a, out=cs[cols])
            return tuple(a.T for a in out)
        x = self._x(u)
        atan = np.arctan(x)
        atan -= atan[:, :1]
        atan *= (self.a * self.width)[:, None]
        shape = np.multiply(x, x, out=x)
        shape += 1.0
        np.divide(self.a[:, None], shape, out=shape)
        f_a = self.f_a[:, None]
        group = self._grouping()
        return tuple(self._by_column(p, n_y, group) for p in (shape, shape * f_a, atan, atan * f_a))

    def cumulative(self, u, n_y):
        """Exact integral of the source Lorentzians from u[0] to each u, shape (u.size, n_y)."""
        layout = self._consecutive()
        if layout is not None:     # written in place, as in :meth:`on_grid`
            order, cols = layout
            out = self._rows(1, n_y, u.size, cols)[0]
            _arctan_from_start(self._x_into(u, order, out[cols]), (self.a * self.width * self.f_a)[order])
            return out.T
        atan = np.arctan(self._x(u))
        atan -= atan[:, :1]
        atan *= (self.a * self.width * self.f_a)[:, None]
        return self._by_column(atan, n_y, self._grouping())


def _arctan_from_start(x, scale):
    """In place: x -> scale (arctan x - arctan x[:, 0]) row by row (the Lorentzians' integrals from the first u)."""
    np.arctan(x, out=x)
    x -= x[:, :1].copy()
    x *= scale[:, None]
    return x


def _omega(model: Model, cosmology: Cosmology, u, y, anti: bool):
    """Delta cos2theta - V [GeV] at clock values u and comoving momenta y (same shape).

    The hooks :meth:`Model.coefficients` would combine, without the collision rates
    (the costly part, not needed here): v_nu = V_T + V_odd, v_nubar = V_T - V_odd.
    """
    t = np.exp(-u)
    p = y * t * cosmology.t_nu_over_t(t)
    v = model.thermal_potential(p, t)
    odd = model.potential_asymmetry(p, t)
    if odd is not None:
        v = v - odd if anti else v + odd
    return model.delta(p, t) * np.sqrt(1.0 - model.mixing(t)) - v


def _locate_crossings(model, cosmology, u, y, omega, big_d, anti, known=None):
    """Clock values u_r, momentum indices and slopes d omega/du of the sign changes of omega (shape (u.size, y.size)).

    Crossings whose width estimated from the grid (:func:`_cubic_start`) exceeds
    ``WIDE_SCREEN`` x the kept width are left to the grid without a search.
    ``known`` = (momentum indices, u_r, ...) of roots located on a coarser grid: a sign
    change holding one of them in the same column takes it without a new search. Returns
    u_r, the momentum indices, per root the index of the known root it is (-1: new) and the
    slopes at the new roots (NaN at known ones).
    """
    negative = omega < 0.0
    it, iy = np.nonzero(negative[1:] != negative[:-1])  # a node where omega = 0 ends a bracket
    if it.size == 0:
        return None, None, None, None
    start, slope = _cubic_start(u, omega, it, iy)
    du = u[it + 1] - u[it]
    f = (start - u[it]) / du
    d = big_d[it, iy] ** (1.0 - f) * big_d[it + 1, iy] ** f
    with np.errstate(divide="ignore", invalid="ignore"):
        narrow = ~(d > WIDE_SCREEN * RESONANCE_MAX_WIDTH * du * np.abs(slope))
    it, iy, start = it[narrow], iy[narrow], start[narrow]
    if it.size == 0:
        return None, None, None, None
    which = _known_roots(u, y.size, it, iy, known)
    u_r = np.where(which >= 0, known[1][which] if known is not None else 0.0, np.nan)
    slope = np.full(u_r.size, np.nan)
    todo = which < 0
    if todo.any():
        i, j = it[todo], iy[todo]
        u_r[todo], slope[todo] = _newton(model, cosmology, u[i], u[i + 1], omega[i, j], omega[i + 1, j], y[j], anti,
                                         start[todo])
    return u_r, iy, which, slope


def _cubic_start(u, omega, it, iy):
    """Roots in (u[it], u[it + 1]) of the cubics through omega[:, iy] at the four grid nodes around each
    bracket, and the cubics' slopes there.

    ``CUBIC_STEPS`` Newton steps on the interpolant (Newton's divided-difference form) from the
    regula falsi point, kept inside the bracket; the regula falsi point and the secant slope where
    the grid has fewer than four nodes or the cubic's root is not found. No model calls: the
    start of :func:`_newton` and the slope of the width screen.
    """
    a, b = u[it], u[it + 1]
    fa, fb = omega[it, iy], omega[it + 1, iy]
    falsi, secant = (a * fb - b * fa) / (fb - fa), (fb - fa) / (b - a)
    if u.size < 4:
        return falsi, secant
    nodes = np.clip(it - 1, 0, u.size - 4) + np.arange(4)[:, None]       # (4, crossings)
    xs, fs = u[nodes], omega[nodes, iy]
    d1 = np.diff(fs, axis=0) / np.diff(xs, axis=0)                      # divided differences
    d2 = np.diff(d1, axis=0) / (xs[2:] - xs[:-2])
    d3 = (d2[1] - d2[0]) / (xs[3] - xs[0])
    x = falsi
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(CUBIC_STEPS):
            p = x - xs[:3]
            value = fs[0] + p[0] * (d1[0] + p[1] * (d2[0] + p[2] * d3))
            slope = d1[0] + d2[0] * (p[0] + p[1]) + d3 * (p[1] * p[2] + p[0] * p[2] + p[0] * p[1])
            x = np.clip(x - value / slope, a, b)
    good = np.isfinite(x) & np.isfinite(slope) & (slope != 0.0)
    return np.where(good, x, falsi), np.where(good, slope, secant)


def _known_roots(u, n_y: int, it, iy, known):
    """Per sign change (interval it, column iy): the index of a known root inside it, else -1."""
    out = np.full(it.size, -1)
    if known is None or known[0].size == 0:
        return out
    k_col, k_u = known[0], known[1]
    k_int = np.clip(np.searchsorted(u, k_u) - 1, 0, u.size - 2)
    keys = k_int * n_y + k_col
    order = np.argsort(keys)
    want = it * n_y + iy
    pos = np.clip(np.searchsorted(keys[order], want), 0, keys.size - 1)
    hit = keys[order][pos] == want
    out[hit] = order[pos[hit]]
    return out


def _newton(model, cosmology, a, b, fa, fb, yy, anti, x):
    """Roots of omega(u, y) bracketed by (a, b), and d omega/du there.

    From ``x`` (inside the brackets), one call of the model per step gives omega, its slope s and
    its curvature c by central differences (step ``SLOPE_STEP`` x (b - a)); the step dx solves
    omega + s dx + c dx^2/2 = 0 (the root of the local parabola nearer x; Newton's step where
    the parabola has none). A step leaving the shrinking bracket is replaced by the bisection of
    it. The steps stop once every step's own error bound, (c/2s)^2 |dx|^3 (third-order
    convergence), is below ``ROOT_TOL``; the slope is then moved to the new root with the
    curvature. From the grid's cubic root (error ~du^4) that is one call.
    """
    h = SLOPE_STEP * (b - a)
    n = x.size
    for _ in range(RESONANCE_STEPS):
        f = _omega(model, cosmology, np.concatenate([x, x - h, x + h]), np.tile(yy, 3), anti)
        fx, lo, hi = f[:n], f[n:2 * n], f[2 * n:]
        slope, curvature = (hi - lo) / (2.0 * h), (hi - 2.0 * fx + lo) / (h * h)
        left = np.sign(fx) == np.sign(fa)  # the root lies right of x
        a, fa = np.where(left, x, a), np.where(left, fx, fa)
        b, fb = np.where(left, b, x), np.where(left, fb, fx)
        with np.errstate(divide="ignore", invalid="ignore"):
            disc = slope * slope - 2.0 * curvature * fx
            root = np.sqrt(np.maximum(disc, 0.0))
            dx = np.where(disc >= 0.0, -2.0 * fx / (slope + np.copysign(root, slope)), -fx / slope)
            step = x + dx
            ok = np.isfinite(step) & (step >= a) & (step <= b)
            x_new = np.where(fx == 0.0, x, np.where(ok, step, 0.5 * (a + b)))
            k = 0.5 * curvature / slope
            bound = np.where(ok | (fx == 0.0), k * k * np.abs(x_new - x) ** 3, np.inf)
        if bound.max() <= ROOT_TOL:
            return x_new, slope + curvature * (x_new - x)
        x = x_new
    return x, slope


def find_resonances(model: Model, cosmology: Cosmology, u, y, omega, big_d, anti: bool, known=None):
    """Locate sign changes of omega (safeguarded Newton, :func:`_newton`) and fit the local Lorentzians.

    ``big_d`` is D = sqrt(Delta^2 s2 + Gamma^2/4) on the grid [GeV] (screens out wide crossings);
    ``known`` as in :func:`_locate_crossings`. Returns the kept crossings (:class:`Resonances`
    or None) and all roots located, (momentum indices, u_r, a, width, f_a), for the next grid.
    """
    u_r, iy, which, slope = _locate_crossings(model, cosmology, u, y, omega, big_d, anti, known)
    if u_r is None:
        return None, None
    du = local_spacing(u, u_r)
    params = np.empty((3, u_r.size))
    new = which < 0
    if not new.all():
        params[:, ~new] = np.array(known[2:])[:, which[~new]]
    if new.any():
        params[:, new] = _lorentzian(model, cosmology, u_r[new], y[iy[new]], slope[new])
    a, width, f_a = params
    roots = (iy, u_r, a, width, f_a)
    # only crossings narrower than the grid need the exact treatment; a wide one is
    # resolved by the grid itself, where the local Lorentzian (constant D) would be poor
    keep = width < RESONANCE_MAX_WIDTH * du
    if not keep.any():
        return None, roots
    return Resonances(column=iy[keep], u_r=u_r[keep], a=a[keep], width=width[keep], f_a=f_a[keep]), roots


def _lorentzian(model, cosmology, u_r, yy, slope):
    """Height a [per unit u], width w [in u] and f_a of the Lorentzians at crossings u_r with d omega/du = ``slope``.

    The model's hooks that :meth:`Model.coefficients` would combine, without the potentials
    (already in the slope).
    """
    t = np.exp(-u_r)
    p = yy * t * cosmology.t_nu_over_t(t)
    gamma = model.collision_rate(p, t)
    delta, s2 = model.delta(p, t), model.mixing(t)
    rho = model.extra_energy_density(t)
    d2s2 = delta**2 * s2
    big_d2 = d2s2 + 0.25 * gamma**2
    a = -cosmology.dt_dlnT(t, 0.0 if rho is None else rho) * 0.25 * gamma * d2s2 / big_d2
    return a, np.sqrt(big_d2) / np.abs(slope), core.fermi_dirac(p / t)


def local_spacing(u, u_r):
    """Width of the grid interval holding each u_r (the grid may be refined locally)."""
    i = np.clip(np.searchsorted(u, u_r) - 1, 0, u.size - 2)
    return u[i + 1] - u[i]
