"""The rate equation with sterile feedback: Gamma_s[f_s] and V_s[f_s] (sterile self-interactions).

With a sterile self-interaction the production rate depends on the sterile
spectrum itself (notes eq. 28-33, SPEC section 4; Johns & Fuller 2019):

    d f_s/du = k(u, y; f_s) (f_a - f_s),
    k = (dt/du) (Gamma/4) sin^2 2theta_eff(Delta, s2, V_a - V_s, Gamma),   Gamma = Gamma_a + Gamma_s,

with Gamma_s(p_i) = sum_j K_ij f_s(q_j) and V_s(p_i) = sum_j W_ij f_s(q_j) on
the momentum grid (the model's kernels, :attr:`Coefficients.kernel` and
:attr:`Coefficients.potential_kernel`). The equation is no longer linear in
f_s, so it is marched in u = -ln T: on each interval the coefficients are
frozen at a predictor and a corrector (Heun), and the linear step is taken
exactly in K = int k du (exponential integrator: stable however fast the
production), with f_a linear across the interval. Second order in the step;
the solver's Richardson estimate (this grid against every second node)
drives the refinement as for the linear equation.
"""
from __future__ import annotations

import numpy as np

from ..generated.liouville import sin2_2theta_eff
from . import core


class _Kernels:
    """The kernel matrices at each temperature node, built when first needed (memory O(n^2), not O(n_T n^2))."""

    def __init__(self, kernel, t_nu, y, weights):
        # on the fixed comoving grid, with a narrow mediator pole integrated exactly: Gamma_s is
        # smooth in T (no staircase as 4 p q crosses m^2), as in the QKE
        self.grid, self.t_nu = kernel.on_grid(y, weights), t_nu
        self._cache: dict[int, np.ndarray] = {}

    def __getitem__(self, i: int) -> np.ndarray:
        if i not in self._cache:
            if len(self._cache) > 2:
                self._cache.pop(min(self._cache))
            self._cache[i] = self.grid(float(self.t_nu[i]))
        return self._cache[i]


def _kernels(kernel, t_nu, y, weights):
    """Lazily built matrices of a kernel on the momentum nodes y (without y = 0) at each T_nu, or None."""
    return None if kernel is None else _Kernels(kernel, t_nu, y, weights)


def _rate(grid, i, f, kmat, wmat, anti: bool):
    """k at node i for the spectrum f (on the nodes without y = 0)."""
    c = grid.coef
    gamma = np.broadcast_to(c.damping, grid.momentum.shape)[i]
    v = np.broadcast_to(c.potential(anti), grid.momentum.shape)[i]
    if kmat is not None:
        gamma = gamma + kmat[i] @ f
    if wmat is not None:
        v = v - wmat[i] @ f
    delta = np.broadcast_to(c.delta, grid.momentum.shape)[i]
    s2 = np.broadcast_to(c.sin2_2theta, grid.momentum.shape)[i]
    with np.errstate(divide="ignore"):
        eff = sin2_2theta_eff(delta, s2, v, gamma)
    return grid.clock[i, 0] * 0.25 * gamma * eff


def _step(f, fa0, fa1, d):
    """Exact step of d f/dK = f_a - f over D = d with f_a linear from fa0 to fa1."""
    e = np.exp(-d)
    with np.errstate(invalid="ignore", divide="ignore"):
        phi = np.where(d > 1e-8, 1.0 - (1.0 - e) / d, 0.5 * d)
    return f * e + fa0 * (1.0 - e) + (fa1 - fa0) * phi


def march(model, cosmology, u, y, anti: bool):
    """Node values f_s (n_T, n_y + 1) of the rate equation with feedback on the grid (u, y).

    Parameters
    ----------
    u : ndarray
        Clock -ln T, increasing (uniform).
    y : ndarray
        Comoving momenta from 0 (uniform, Simpson weights).
    anti : bool
        Solve for nubar_s (its potential).
    """
    yb = y[1:]
    grid = core.evaluate_grid(model, cosmology, np.exp(-u), yb, "rate equation")
    _, w_full = core.momentum_grid(y.size - 1, y[-1])
    t_nu = grid.t_nu[:, 0]
    kmat = _kernels(grid.coef.kernel, t_nu, yb, w_full[1:])
    wmat = _kernels(getattr(grid.coef, "potential_kernel", None), t_nu, yb, w_full[1:])
    du = np.diff(u)
    f_a = grid.f_eq
    f = np.zeros((u.size, yb.size))
    k0 = _rate(grid, 0, f[0], kmat, wmat, anti)
    for n in range(u.size - 1):
        pred = _step(f[n], f_a[n], f_a[n + 1], k0 * du[n])
        k1 = _rate(grid, n + 1, pred, kmat, wmat, anti)
        f[n + 1] = _step(f[n], f_a[n], f_a[n + 1], 0.5 * (k0 + k1) * du[n])
        k0 = _rate(grid, n + 1, f[n + 1], kmat, wmat, anti)
    return np.concatenate([np.zeros((u.size, 1)), f], axis=1)
