"""Batched three-stage Radau IIA collocation step for block-diagonal linear systems.

The QKE of each momentum bin is, for a given sterile self-scattering rate,
a *linear* ODE dy/du = J(u) y + b(u) in the four real components of the
density matrix. One Radau IIA step (order 5, L-stable, stiffly accurate;
Hairer & Wanner, *Solving ODEs II*, sec. IV.5) solves the collocation
equations

    Z_i = h sum_j a_ij F(u_0 + c_j h, y_0 + Z_j),   i = 1, 2, 3,

which for a linear F(u, y) = F(u, y_0) + J(u) (y - y_0) are one linear
12x12 system per bin, with the Jacobian taken at the *stage* times (exact
collocation, no Newton iteration, no frozen-Jacobian error however fast
the oscillation frequency changes within the step). The systems of all bins
are solved in one batched LAPACK call over shape (N, 12, 12): cost linear
in N, no (4N)x(4N) factorisation.

The local error estimate is Hairer's (as in ``radau5`` and
scipy.integrate.Radau), err = (mu/h - J_0)^{-1} (F_0 + sum_j e_j Z_j / h),
applied twice (the second time to F(y_0 + err)), which filters the error of
the stiff, damped components through the resolvent so that the slow
variables (f11, f22) control the step.
"""
from __future__ import annotations

import math

import numpy as np
import scipy.linalg

_S6 = math.sqrt(6.0)
#: Radau IIA nodes c_i.
C = np.array([(4.0 - _S6) / 10.0, (4.0 + _S6) / 10.0, 1.0])
#: Radau IIA Butcher matrix a_ij.
A = np.array([
    [(88.0 - 7.0 * _S6) / 360.0, (296.0 - 169.0 * _S6) / 1800.0, (-2.0 + 3.0 * _S6) / 225.0],
    [(296.0 + 169.0 * _S6) / 1800.0, (88.0 + 7.0 * _S6) / 360.0, (-2.0 - 3.0 * _S6) / 225.0],
    [(16.0 - _S6) / 36.0, (16.0 + _S6) / 36.0, 1.0 / 9.0],
])
#: Real eigenvalue of A^{-1} (error-estimate resolvent).
MU_REAL = 3.0 + 3.0 ** (2.0 / 3.0) - 3.0 ** (1.0 / 3.0)
#: Error-estimate weights e_j (scaled by MU_REAL as in scipy's Radau).
E = np.array([-13.0 - 7.0 * _S6, -13.0 + 7.0 * _S6, -1.0]) / 3.0


def collocation_solve(h: float, jac, f0, extra=None):
    """Stage increments Z of one Radau IIA step of a linear ODE.

    Parameters
    ----------
    h : float
        Step size (in the clock variable u).
    jac : ndarray, shape (3, N, k, k)
        Jacobian dF/dy at the three stage times.
    f0 : ndarray, shape (3, N, k)
        F(u_0 + c_j h, y_0) at the three stage times.
    extra : ndarray, shape (N, 3 k, m), optional
        Further right-hand sides, solved with the same per-bin matrices
        (e.g. :func:`coupling_columns`).

    Returns
    -------
    ndarray, shape (3, N, k)
        Stage increments Z_j = y(u_0 + c_j h) - y_0; Z[2] is the step.
    ndarray, shape (N, 3 k, m)
        Only with ``extra``: M^-1 extra, M = 1 - h A x J the per-bin stage matrix.
    """
    _, n, k, _ = jac.shape
    # M[n, (i,a), (j,b)] = delta - h a_ij J_j[n,a,b], assembled block by block
    # into a C-contiguous (N, 12, 12) array (no transposed copy)
    m = np.empty((n, 3, k, 3, k))
    for i in range(3):
        for j in range(3):
            np.multiply(jac[j], -h * A[i, j], out=m[:, i, :, j, :])
    m = m.reshape(n, 3 * k, 3 * k)
    idx = np.arange(3 * k)
    m[:, idx, idx] += 1.0
    rhs = h * np.einsum("ij,jna->nia", A, f0).reshape(n, 3 * k, 1)
    if extra is None:
        z = np.linalg.solve(m, rhs).reshape(n, 3, k)
        return np.moveaxis(z, 1, 0)
    sol = np.linalg.solve(m, np.concatenate([rhs, extra], axis=2))
    return np.moveaxis(sol[..., 0].reshape(n, 3, k), 1, 0), sol[..., 1:]


def coupling_columns(h: float, dfdp):
    """Columns h (A x dF/dphi) of the stage equations' derivative with respect to per-bin stage fields phi.

    Parameters
    ----------
    h : float
        Step size.
    dfdp : ndarray, shape (3, N, k, f)
        dF/dphi at each stage time for f fields per bin (the stage's own fields only).

    Returns
    -------
    ndarray, shape (N, 3 k, 3 f)
        U with U[n, (i, a), (j, b)] = h a_ij dF_a/dphi_b at stage j: the change of
        the stage residual Z - h A F per unit change of the fields of stage j.
    """
    _, n, k, f = dfdp.shape
    return (h * np.einsum("ij,jnab->niajb", A, dfdp)).reshape(n, 3 * k, 3 * f)


def gmres(apply, b, rtol: float = 1e-2, maxiter: int = 30):
    """Solve apply(x) = b (flat vectors) by GMRES without restarts; the last iterate if not converged.

    Used for the small dense coupling systems of the QKE (identity minus an
    operator with a few large eigenvalues), where a handful of iterations do.
    """
    beta = float(np.linalg.norm(b))
    if beta == 0.0:
        return np.zeros_like(b)
    basis = [b / beta]
    hess = np.zeros((maxiter + 1, maxiter))
    y = np.zeros(0)
    for j in range(maxiter):
        w = apply(basis[j])
        for i in range(j + 1):                      # modified Gram-Schmidt
            hess[i, j] = float(basis[i] @ w)
            w = w - hess[i, j] * basis[i]
        hess[j + 1, j] = float(np.linalg.norm(w))
        e1 = np.zeros(j + 2)
        e1[0] = beta
        y, *_ = np.linalg.lstsq(hess[:j + 2, :j + 1], e1, rcond=None)
        if np.linalg.norm(hess[:j + 2, :j + 1] @ y - e1) <= rtol * beta or hess[j + 1, j] == 0.0:
            break
        basis.append(w / hess[j + 1, j])
    return np.array(basis[:y.size]).T @ y


def error_estimate(h: float, jac0, f0_start, z, rhs_at, coupling=None):
    """Hairer's embedded error estimate of a Radau IIA step (shape (N, k)).

    Parameters
    ----------
    h : float
        Step size.
    jac0 : ndarray, shape (N, k, k)
        Jacobian at the start of the step (per bin).
    f0_start : ndarray, shape (N, k)
        F(u_0, y_0).
    z : ndarray, shape (3, N, k)
        Stage increments.
    rhs_at : callable
        rhs_at(dy) -> F(u_0, y_0 + dy), used for the improved (second) estimate.
    coupling : tuple, optional
        (dfdp, kernels, comp) for a Jacobian with a dense part coupling the
        bins through one component: dF_n/dy_m = jac0_n delta_nm + sum_f
        dfdp[n, :, f] kernels[f][n, m] e_comp, with dfdp of shape (N, k, f)
        and kernels a list of f (N, N) arrays (None entries skipped). The
        resolvent (mu/h - J)^-1 then includes it (Sherman-Morrison-Woodbury:
        one dense N x N solve), so that stiff modes of the coupled system are
        filtered like those of the bins.
    """
    n, k, _ = jac0.shape
    lu = -jac0.copy()
    idx = np.arange(k)
    lu[:, idx, idx] += MU_REAL / h
    ze = np.einsum("jna,j->na", z, E) / h
    inv = np.linalg.inv(lu)
    resolve = _coupled_resolvent(inv, *coupling) if coupling is not None else \
        (lambda v: np.einsum("nab,nb->na", inv, v))
    err = resolve(f0_start + ze)
    err = resolve(rhs_at(err) + ze)
    return err


def _coupled_resolvent(inv, dfdp, kernels, comp):
    """v -> (D - P G e_comp)^-1 v for the per-bin inverses ``inv`` = D^-1 (see :func:`error_estimate`)."""
    n = inv.shape[0]
    ip = np.einsum("nab,nbf->naf", inv, dfdp)                    # D^-1 P, (N, k, f)
    cap = np.eye(n)
    for f, g in enumerate(kernels):
        if g is not None:
            cap -= ip[:, comp, f][:, None] * g
    lu_piv = scipy.linalg.lu_factor(cap)

    def resolve(v):
        e = np.einsum("nab,nb->na", inv, v)
        e_comp = scipy.linalg.lu_solve(lu_piv, e[:, comp])
        phi = np.stack([np.zeros(n) if g is None else g @ e_comp for g in kernels], axis=-1)
        return e + np.einsum("naf,nf->na", ip, phi)

    return resolve


def extrapolate(z_last, ratio: float):
    """Stage increments of the next step predicted by the last step's collocation polynomial.

    The collocation polynomial of a step interpolates the increments 0, Z_1,
    Z_2, Z_3 at c = 0, c_1, c_2, 1 (in units of that step); the next step of
    size ``ratio`` times the last starts at its end, so its stages lie at
    1 + ratio c_i. The usual starting guess of Radau IIA codes (Hairer &
    Wanner's ``radau5``), exact for solutions cubic in u.

    Parameters
    ----------
    z_last : ndarray, shape (3, ...)
        Stage increments of the last accepted step.
    ratio : float
        New step size over the last one.

    Returns
    -------
    ndarray, shape (3, ...)
        Predicted increments from the new step's start (the last step's end).
    """
    nodes = np.concatenate([[0.0], C])
    tau = 1.0 + ratio * C
    # Lagrange basis of the nodes 0, c_1, c_2, 1 at tau (the node 0 carries the value 0)
    basis = np.ones((3, 3))
    for j in range(3):
        for m, node in enumerate(nodes):
            if m != j + 1:
                basis[:, j] *= (tau - node) / (nodes[j + 1] - node)
    return np.tensordot(basis, z_last, axes=1) - z_last[2]
