"""The rate equation with a lepton asymmetry that evolves as sterile states are produced.

A lepton asymmetry L of the mixing flavour (L = flavour lepton number per
entropy, conserved by expansion) adds to the active potential a term odd under
nu <-> nubar, V_odd = (dV/d ell) ell with ell = L s/T^3, and gives the active
neutrinos a chemical potential mu = (dmu/d ell) ell (the plasma response,
:meth:`qke.models.base.Model.asymmetry_response`; Venumadhav et al., PRD 94
(2016) 043515). The two sterile species then obey

    d f_sigma/du = k_sigma(u, y; L) (f_a,sigma - f_sigma),   sigma = nu (+1), nubar (-1),
    k_sigma = (dt/du) (Gamma/4) Delta^2 s2 / (Delta^2 s2 + Gamma^2/4 + omega_sigma^2),
    omega_sigma = Delta cos2theta - V_even - sigma (dV/dL) L,
    f_a,sigma = 1/(exp(p/T - sigma mu/T) + 1),

and sterile production converts the asymmetry (total lepton number is conserved):

    L(u) = L_0 - (Y_nu(u) - Y_nubar(u)),   Y_sigma = (45/(4 pi^4 g*s_ref)) int y^2 f_sigma dy.

The crossing Delta cos2theta = V of one species (the MSW resonance) sweeps
through momentum space as T falls and can be far narrower than any grid.

- Momenta are graded, y = y_max s^2 (resonant spectra are cold).
- Each interval [u_n, u_{n+1}] is cut into sub-steps across which L changes by
  about one momentum cell's worth (``DL_PER_CELL``/n_y of L_0): the conversion
  can run away (a faster-moving resonance sweeps more populated bins) within a
  small fraction of an e-fold.
- On a sub-step, omega is taken linear between its exact end values (Delta,
  the potentials and dV/dL are interpolated log-linearly between the grid
  nodes, exact for power laws; L linearly), and int k du is done in closed
  form, with the slowly varying factors at the crossing (or the mid-point):
  however narrow, a crossing is integrated exactly.
- The Lorentzian is averaged over a few momentum cells (a soft box of
  half-width ``CELL_SMOOTHING`` x the omega spread of a cell): the sweep of the
  resonance then drains L continuously, as in the continuum, rather than in
  one jump per bin. Converting each bin at the instant its node is crossed
  lets the resonance jump ahead by about a bin each time, whatever the bin
  size, and biases the result; the smoothing shrinks with the cells, so the
  refined solution converges to the continuum one.
- The step is exact in K = int k du (exponential integrator, stable however
  fast the conversion): f_{n+1} = f_n e^{-dK} + f_a (1 - e^{-dK}).
- L at the end of a sub-step solves the conservation law (a scalar equation;
  bracketed Illinois iteration), so lepton number is conserved to round-off.

The solver's Richardson estimates (this grid against every second node in T,
and against a separate solve on half the momentum intervals) drive refinement
as for the linear equation.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from ..errors import SolverError
from ..units import format_energy
from . import core

#: Illinois iterations for L at the end of an interval, and their tolerance (fraction of L_0).
ILLINOIS_STEPS, ILLINOIS_RTOL = 40, 1e-6
#: Largest change of the asymmetry across one sub-step, as a fraction of L_0
#: times the number of momentum intervals (the drain of about one cell), and the
#: largest number of halvings of a grid interval.
DL_PER_CELL, MAX_SPLIT = 1.0, 12
#: Width of the momentum smoothing of the resonance (half-width of the box in
#: omega, in units of half the omega range of one momentum cell).
CELL_SMOOTHING = 4.0


@dataclass(frozen=True)
class AsymmetryGrid:
    """L-independent inputs on the (u, y) grid (y without y = 0), built once per grid.

    Attributes
    ----------
    u : ndarray, shape (n_u,)
        Clock -ln T.
    ln_delta : ndarray, shape (n_u, n_y)
        ln of Delta sqrt(1 - s2) [ln GeV].
    v_even : ndarray, shape (2, n_u, n_y)
        Potential of nu and nubar without the dynamical asymmetry term [GeV].
    ln_slow : ndarray, shape (n_u, 4, 2, n_y)
        ln of the slowly varying factors of (nu, nubar), interpolated log-linearly
        within an interval: A = (dt/du)(Gamma/4) Delta^2 s2 [GeV^3], D^2 = Delta^2 s2
        + Gamma^2/4 [GeV^2], the momentum-smoothing half-width of omega
        (:func:`_half_spread`) [GeV] and p/T.
    v_per_l : ndarray, shape (n_u, 1)
        dV_odd/dL [GeV per unit L = (lepton number)/s].
    mu_per_l : ndarray, shape (n_u, 1)
        d(mu/T)/dL of the active neutrino [per unit L].
    yield_weight : ndarray, shape (n_y,)
        Y_sigma = sum(yield_weight * f_sigma) (one species).
    """

    u: np.ndarray
    ln_delta: np.ndarray
    v_even: np.ndarray
    ln_slow: np.ndarray
    v_per_l: np.ndarray
    mu_per_l: np.ndarray
    yield_weight: np.ndarray

    def coarse(self) -> "AsymmetryGrid":
        """The same grid on every second u node (for the Richardson error estimate)."""
        return replace(self, u=self.u[::2], ln_delta=self.ln_delta[::2], v_even=self.v_even[:, ::2],
                       ln_slow=self.ln_slow[::2], v_per_l=self.v_per_l[::2], mu_per_l=self.mu_per_l[::2])


def build_grid(model, cosmology, u, y, weights) -> AsymmetryGrid:
    """Evaluate the model once on the grid and the plasma response to L.

    ``y`` are the comoving momenta without y = 0 and ``weights`` their weights of int dy.
    """
    g = core.evaluate_grid(model, cosmology, np.exp(-u), y, "rate equation (lepton asymmetry)")
    c, shape = g.coef, g.momentum.shape
    t = g.temperature
    d2s2 = c.delta**2 * c.sin2_2theta
    with np.errstate(divide="ignore"):
        ln_a = np.log(g.clock * 0.25 * c.damping * d2s2)
    v_ell, mu_ell = model.asymmetry_response(t)
    s_over_t3 = 2.0 * math.pi**2 / 45.0 * cosmology.g_star_s(t)
    weight = 0.5 * core.yield_prefactor(cosmology.g_s_ref) * weights * y**2
    v_even = np.stack([np.broadcast_to(c.v_nu, shape), np.broadcast_to(c.v_nubar, shape)])
    return AsymmetryGrid(
        u=u, ln_delta=np.broadcast_to(np.log(c.delta * np.sqrt(1.0 - c.sin2_2theta)), shape),
        v_even=v_even, ln_slow=_slow_factors(ln_a, np.log(d2s2 + 0.25 * c.damping**2),
                                             np.log(_half_spread(c.delta * np.sqrt(1.0 - c.sin2_2theta) - v_even)),
                                             np.log(g.momentum / t)),
        v_per_l=np.asarray(v_ell * s_over_t3, dtype=float).reshape(-1, 1),
        mu_per_l=np.asarray(mu_ell / t * s_over_t3, dtype=float).reshape(-1, 1), yield_weight=weight)


def _slow_factors(*logs):
    """The logs of the slow factors, each broadcast to (2 species, n_u, n_y), as one (n_u, 4, 2, n_y) array."""
    return np.moveaxis(np.stack(np.broadcast_arrays(*logs, np.zeros((2, 1, 1)))[:-1]), 2, 0)


def _half_spread(omega):
    """Half-width of the momentum smoothing of omega: ``CELL_SMOOTHING`` x half its range across a cell [GeV].

    The range across a cell comes from the neighbouring nodes (last axis). Smoothing
    over a few cells keeps the drain of the asymmetry free of the jumps of single
    bins converting; it shrinks with the cell size, so the refined solution converges
    to the continuum one.
    """
    padded = np.concatenate([omega[..., :1], omega, omega[..., -1:]], axis=-1)
    spread = 0.25 * CELL_SMOOTHING * np.abs(padded[..., 2:] - padded[..., :-2])
    spread[..., 0] *= 2.0
    spread[..., -1] *= 2.0
    return np.maximum(spread, 1e-300)


def _loglin(a0, a1, t):
    """Log-linear interpolation of positive a between a0 (t=0) and a1 (t=1) given their logs."""
    return np.exp(a0 + (a1 - a0) * t)


_SIGMA = np.array([1.0, -1.0]).reshape(2, 1)


#: The momentum grid of the coupled solver (graded: resonant spectra are cold).
momentum_nodes = core.graded_momentum_grid


class _Interval:
    """Interpolants of one interval [u_n, u_{n+1}] for both species, as functions of t in [0, 1].

    The asymmetry is linear in t on a segment: L(t) = la + lb t. Potentials are
    interpolated log-linearly in |V| where the ends share a sign (power laws),
    linearly otherwise; the L-independent part of omega is cached per t.
    """

    def __init__(self, grid: AsymmetryGrid, n: int):
        sl = slice(n, n + 2)
        self.h = float(grid.u[n + 1] - grid.u[n])
        self.ln_delta = grid.ln_delta[sl]
        self.v0, self.dv = _signed_parts(grid.v_even[:, n], grid.v_even[:, n + 1])
        self.vl0, self.dvl = _signed_parts(grid.v_per_l[n, 0], grid.v_per_l[n + 1, 0])
        self.mu_per_l = grid.mu_per_l[sl, 0]
        # ln of (A, D^2, smoothing half-width, p/T) at both ends: (4, 2, n_y) each
        self.ln_slow0, self.ln_slow_slope = grid.ln_slow[n], grid.ln_slow[n + 1] - grid.ln_slow[n]
        self._cache: dict[float, tuple] = {}

    def slow(self, t):
        """(A, D^2, half-spread, p/T) at t (shape (2, n_y)), log-linear between the ends."""
        return np.exp(self.ln_slow0 + self.ln_slow_slope * t)

    def even(self, t: float):
        """(Delta cos2theta - V_even of nu and nubar, dV/dL) at t (scalar) [GeV, GeV]."""
        if t not in self._cache:
            d = _loglin(self.ln_delta[0], self.ln_delta[1], t)
            self._cache[t] = (d - _signed_eval(self.v0, self.dv, t), _signed_eval(self.vl0, self.dvl, t))
        return self._cache[t]

    def omega(self, t: float, la, lb):
        """Delta cos2theta - V of (nu, nubar) at t, shape (2, n_y) [GeV]."""
        w_even, v_l = self.even(t)
        return w_even - _SIGMA * v_l * (la + lb * t)


def _signed_parts(v0, v1):
    """(v0, (log ratio, same-sign mask, difference)) for :func:`_signed_eval`."""
    v0, v1 = np.asarray(v0, dtype=float), np.asarray(v1, dtype=float)
    same = v0 * v1 > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        ln_ratio = np.where(same, np.log(np.abs(np.where(same, v1 / np.where(same, v0, 1.0), 1.0))), 0.0)
    return v0, (ln_ratio, same, v1 - v0)


def _signed_eval(v0, parts, t: float):
    """v at t: log-linear in |v| where the ends share a sign (power laws), linear otherwise."""
    ln_ratio, same, diff = parts
    return np.where(same, v0 * np.exp(ln_ratio * t), v0 + diff * t)


def _lorentz_mean(x0, x1):
    """Mean of 1/(1 + x^2) over [x0, x1] (stable: atan difference as one atan2)."""
    dx = x1 - x0
    small = np.abs(dx) <= 1e-8 * (1.0 + np.abs(x0))
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.arctan2(dx, 1.0 + x0 * x1) / np.where(small, 1.0, dx)
    return np.where(small, 1.0 / (1.0 + x0 * x1), mean)


def _box(x, e):
    """Cell-averaged Lorentzian g(x) = [atan(x + e) - atan(x - e)]/(2e), for e > 0."""
    return np.arctan2(2.0 * e, 1.0 + x * x - e * e) / (2.0 * e)


def _box_antiderivative(x, e):
    """H(x) = int g dx (times 2e) = F(x + e) - F(x - e), F(s) = s atan s - ln(1 + s^2)/2, without cancellation."""
    return (x * np.arctan2(2.0 * e, 1.0 + x * x - e * e) + e * (np.arctan(x + e) + np.arctan(x - e))
            - 0.5 * np.log1p(4.0 * x * e / (1.0 + (x - e) ** 2)))


def _cell_mean(w0, w1, half, d):
    """Mean over omega in [w0, w1] of the rate shape 1/(D^2 + omega^2) averaged over a momentum cell [GeV^-2].

    Across a momentum cell omega spans +-``half`` (the spread between neighbouring
    bins): the cell average of the Lorentzian is the soft box d^-2 g(omega/d, half/d).
    Averaging over the cell turns the sweep of a resonance through momentum space into
    a conversion spread over the time it takes to cross the cell, instead of a jump at
    each node, so the asymmetry it drains evolves smoothly. Far from the resonance it is
    the plain Lorentzian.
    """
    x0, x1, e = w0 / d, w1 / d, half / d
    mean = _lorentz_mean(x0, x1)
    near = (np.minimum(np.abs(x0), np.abs(x1)) <= 10.0 * (1.0 + e)) | (x0 * x1 <= 0)
    near &= e > 1e-6
    if near.any():
        x0, x1, e = x0[near], x1[near], e[near]
        dx = x1 - x0
        short = np.abs(dx) < 1e-2 * (1.0 + e)
        with np.errstate(divide="ignore", invalid="ignore"):
            box = (_box_antiderivative(x1, e) - _box_antiderivative(x0, e)) / (2.0 * e * np.where(short, 1.0, dx))
        if short.any():
            xs0, xs1, es = x0[short], x1[short], e[short]
            box[short] = (_box(xs0, es) + 4.0 * _box(0.5 * (xs0 + xs1), es) + _box(xs1, es)) / 6.0
        mean[near] = box
    return mean / d**2


def _increments(iv: _Interval, t0, t1, l0, l1):
    """dK = int k du and f_a at the crossing (or mid-point) over [t0, t1] for (nu, nubar), each (2, n_y).

    omega is taken linear across the piece (exact ends), the slowly varying factors
    at the crossing point (sign change of omega) or at the mid-point.
    """
    lb = (l1 - l0) / (t1 - t0)
    la = l0 - lb * t0
    w0, w1 = iv.omega(t0, la, lb), iv.omega(t1, la, lb)
    cross = w0 * w1 < 0
    with np.errstate(divide="ignore", invalid="ignore"):
        t_star = np.where(cross, t0 + (t1 - t0) * w0 / np.where(cross, w0 - w1, 1.0), 0.5 * (t0 + t1))
    a, d2, half, x = iv.slow(t_star)
    d = np.sqrt(d2)
    dk = iv.h * (t1 - t0) * a * _cell_mean(w0, w1, half, d)
    mu = (iv.mu_per_l[0] + (iv.mu_per_l[1] - iv.mu_per_l[0]) * t_star) * (la + lb * t_star)
    return dk, core.fermi_dirac(x - _SIGMA * mu)


def _advance(iv: _Interval, f, t0, t1, l0, l1):
    """(nu, nubar) spectra at t1 from f at t0, with L linear from l0 to l1 (exact in K)."""
    dk, fa = _increments(iv, t0, t1, l0, l1)
    e = np.exp(-dk)
    return f * e + fa * (1.0 - e)


@dataclass
class _Context:
    """What the pieces of one march share: the grid, L_0, the step limit and the last drain rate."""

    grid: AsymmetryGrid
    l_init: float
    dl_max: float
    slope: float = 0.0  # dL/du of the last piece
    n: int = 0


def _solve_segment(ctx: _Context, iv: _Interval, f, t0, t1, l0):
    """Spectra and asymmetry at t1 solving L = L_0 - (Y_nu - Y_nubar) (bracketed Illinois).

    The residual r(l) = L_0 - (Y_nu - Y_nubar)(l) - l falls at least as fast as -l
    (more asymmetry converts more nu), so [x0, x0 + r(x0)] brackets the root; the
    first guess continues the last drain rate.
    """
    weight = ctx.grid.yield_weight

    def residual(l1):
        f1 = _advance(iv, f, t0, t1, l0, l1)
        return ctx.l_init - weight @ (f1[0] - f1[1]) - l1, f1

    tol = ILLINOIS_RTOL * abs(ctx.l_init)
    guess = l0 + ctx.slope * iv.h * (t1 - t0)
    if guess * l0 <= 0:
        guess = l0
    a, (ra, fa) = guess, residual(guess)
    if abs(ra) <= tol:
        return fa, a + ra  # the asymmetry the spectra imply: lepton number conserved to round-off
    b, (rb, fb) = a + ra, residual(a + ra)
    for _ in range(ILLINOIS_STEPS):
        if abs(rb) <= tol or abs(b - a) <= tol:
            return fb, b + rb
        c = b - rb * (b - a) / (rb - ra) if rb != ra else 0.5 * (a + b)
        rc, fc = residual(c)
        if rc * rb < 0:
            a, ra = b, rb
        else:
            ra *= 0.5
        b, rb, fb = c, rc, fc
    t = math.exp(-(ctx.grid.u[ctx.n] + t1 * iv.h))
    raise SolverError(f"rate equation (lepton asymmetry): the asymmetry at T = {format_energy(t)} did not "
                      f"converge (residual {abs(rb) / abs(ctx.l_init):.2g} of L_0); cause: conversion of the "
                      "asymmetry faster than the temperature step resolves; refine the grid (--nt)")


def _segment(ctx: _Context, iv: _Interval, f, t0, t1, l0, depth=0):
    """March [t0, t1], halving it while the asymmetry changes by more than ``ctx.dl_max`` L_0 across it."""
    f1, l1 = _solve_segment(ctx, iv, f, t0, t1, l0)
    if abs(l1 - l0) <= ctx.dl_max * abs(ctx.l_init) or depth >= MAX_SPLIT:
        ctx.slope = (l1 - l0) / (iv.h * (t1 - t0))
        return f1, l1
    tm = 0.5 * (t0 + t1)
    f_m, l_m = _segment(ctx, iv, f, t0, tm, l0, depth + 1)
    return _segment(ctx, iv, f_m, tm, t1, l_m, depth + 1)


def _pieces(ctx: _Context, h: float) -> int:
    """Number of equal pieces of an interval of length h predicted from the last drain rate."""
    need = abs(ctx.slope) * h / (ctx.dl_max * abs(ctx.l_init))
    return 1 if need <= 1 else min(math.ceil(1.25 * need), 2**MAX_SPLIT)


def march(grid: AsymmetryGrid, l_init: float):
    """Spectra of (nu_s, nubar_s) at every node, shape (n_u, 2, n_y), and L at every node.

    Each grid interval is cut into pieces across which the asymmetry changes by
    at most ``DL_PER_CELL / n_y`` of L_0 (predicted from the last drain rate,
    halved further where needed): the conversion can run away (a faster-moving
    resonance sweeps more populated bins) within a small fraction of an e-fold,
    and a piece should not let the resonance jump over more than about one
    momentum cell.
    """
    n_u, n_y = grid.ln_delta.shape
    f = np.zeros((n_u, 2, n_y))
    l_hist = np.empty(n_u)
    l_hist[0] = l_init
    ctx = _Context(grid, l_init, DL_PER_CELL / n_y)
    for n in range(n_u - 1):
        ctx.n, iv = n, _Interval(grid, n)
        m = _pieces(ctx, iv.h)
        fn, ln = f[n], l_hist[n]
        for j in range(m):
            fn, ln = _segment(ctx, iv, fn, j / m, (j + 1) / m, ln)
        f[n + 1], l_hist[n + 1] = fn, ln
    return f, l_hist
