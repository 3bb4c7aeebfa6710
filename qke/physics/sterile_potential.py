"""The sterile state's own forward-scattering potential V_s[f22] (sterile self-interaction).

A mediator phi of mass m coupling as (lam/2) nu_s nu_s phi + h.c. (the sterile
mediator of ``derivations/out/cross_sections.md``) gives a nu_s of momentum p
an energy shift from the nu_s and nubar_s already present
(``derivations/out/sterile_potential.md``):

    V_s(p) = lam^2 m^2/(32 pi^2 p^2) int_0^oo dq [ f(q) k_same(x) + fbar(q) k_conj(x) ],
    x = 4 p q / m^2,
    k_same = x + ln|1 - x|      (nu_s background, s-channel phi; principal value at x = 1),
    k_conj = x - ln(1 + x)      (nubar_s background, phi exchange).

With equal occupations f = fbar = f22 (no sterile asymmetry, the case of the
solvers) the kernel is k_sym = k_same + k_conj = -2 Lambda(x),
Lambda = (1/2) ln|(1+x)/(1-x)| - x: exactly the fermion part of PRL eq. 7
with n_F -> f22. Limits: heavy mediator (m^2 >> 4pq)
V_s = -(4/3) lam^2 p rho_s/m^4 (rho_s the energy density of nu_s + nubar_s;
Notzold-Raffelt-like, negative); light mediator V_s = +lam^2/(4p) int d^3q/(2pi)^3 (f + fbar)/q.

Sign convention
---------------
V_s is the energy shift of the sterile flavour state (E = p + V_s), the 22
entry of H0. The QKE uses H0_11 - H0_22 = V_a - V_s - Delta cos 2theta, i.e.
the frequency of f12 is Delta cos 2theta - V_a + V_s, and the rate equation's
effective mixing uses (Delta cos 2theta - V_a + V_s)^2. A heavy-mediator V_s
is negative like the Standard-Model V_a, so a sterile population cancels the
active potential (the Johns-Fuller resonance).

On a momentum grid the potential is linear in f22: V_s(p_i) = sum_j W_ij f22(q_j).
:meth:`SterilePotentialKernel.matrix` returns W. The kernel depends on
(p, q, m) only through x and is closed-form (generated
``qke.generated.sterile_potential``), so nothing is tabulated and no
quadrature runs at call time: one call costs a few logarithms per matrix
entry. The integrable logarithmic singularity at q* = m^2/(4p) is handled by
singularity subtraction,

    int k f dq ~ sum_j w_j [k(x_j) f_j - ln|1 - x_j| f*] + f* int_0^Q ln|1 - x| dq,

plus the same with f'(q*) (q - q*): f* = f(q*) and f'(q*) are interpolated
from the nodes (cubic Hermite, C^1 in q*) and the log integrals are exact
(J(x) = (x - 1) ln|1 - x| - x and its first moment). The remaining integrand
vanishes like (q - q*)^2 ln|q - q*| at q*, so the error is O(h^3) there and
the result is smooth in p (no spike or kink when q* crosses a node).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..errors import QKEInputError
from ..generated import sterile_potential as _gen

__all__ = ["SterilePotentialKernel", "PotentialGrid"]

_SERIES = {"same": _gen.kernel_same_series, "conj": _gen.kernel_conj_series,
           "symmetric": _gen.kernel_symmetric_series}
_SINGULAR = {"same": True, "conj": False, "symmetric": True}
_EPS_HALF = 2.0**-53          # |1 - x| at the double nearest below 1


def _kernel(channel, x, ell):
    """k(x) of one channel for an array x >= 0, with ell = ln|1 - x| given (clamped at x = 1).

    Same values as the generated ``kernel_same/kernel_conj/kernel_symmetric``
    (closed form above SERIES_CUT, series below), each branch evaluated only
    where it applies.
    """
    if channel == "same":
        k = x + ell
    elif channel == "conj":
        k = x - np.log1p(x)
    else:
        k = 2.0 * x + ell - np.log1p(x)
    small = x < _gen.SERIES_CUT
    if small.any():
        k[small] = _SERIES[channel](x[small])
    return k


def _log_distance(x):
    """ln|1 - x|, finite at the principal-value point x = 1 itself (|1 - x| >= 2^-53 there)."""
    return np.log(np.maximum(np.abs(1.0 - x), _EPS_HALF))


def _as_1d(name, arr, positive=True):
    a = np.asarray(arr, dtype=float)
    if a.ndim != 1 or a.size == 0:
        raise QKEInputError(f"{name}: expected a non-empty 1-D array, got shape {a.shape}")
    if not np.all(np.isfinite(a)) or (np.any(a <= 0) if positive else np.any(a < 0)):
        bound = "> 0" if positive else ">= 0"
        raise QKEInputError(f"{name}: every value must be finite and {bound} [GeV]")
    return a


@dataclass(frozen=True)
class SterilePotentialKernel:
    """V_s = W f22 on a momentum grid, for the sterile mediator (m_phi, lam).

    Parameters
    ----------
    m_phi : float
        Mediator mass m [GeV] (> 0).
    lam : float
        Coupling lambda of (lam/2) nu_s nu_s phi + h.c. (dimensionless, 0 < lam <= 4 pi).

    Notes
    -----
    Nothing is precomputed: W is closed-form in x = 4pq/m^2, scaled by
    lam^2 m^2/(32 pi^2 p^2), so instances are cheap and every call works for
    any temperature. The mediator width (Gamma/m = lam^2/(32 pi)) and the
    sterile mass (m4 << p) are neglected in the loop; no mediator population
    is included (see the derivation report). The potential does not depend
    on the narrow-width option of the damping kernel.

    Examples
    --------
    >>> import numpy as np
    >>> k = SterilePotentialKernel(m_phi=10.0, lam=1.0)
    >>> q = np.linspace(1e-3, 0.1, 101); w = np.full(q.size, q[1] - q[0])
    >>> bool(np.all(k.potential(q, q, w, np.exp(-q / 0.01)) < 0))   # heavy mediator: negative
    True
    """

    m_phi: float
    lam: float

    def __post_init__(self):
        if not (isinstance(self.m_phi, (int, float)) and math.isfinite(self.m_phi) and self.m_phi > 0):
            raise QKEInputError(f"m_phi: mediator mass must be positive, got {self.m_phi!r} GeV")
        if not (isinstance(self.lam, (int, float)) and math.isfinite(self.lam) and 0 < self.lam <= 4 * math.pi):
            raise QKEInputError(f"lam: coupling must lie in (0, 4 pi], got {self.lam!r}")

    @classmethod
    def from_self_interaction(cls, si) -> "SterilePotentialKernel":
        """The kernel of a :class:`qke.physics.self_scattering.SterileSelfInteraction` (same m_phi, lam)."""
        return cls(m_phi=float(si.m_phi), lam=float(si.lam))

    @property
    def description(self) -> str:
        return f"sterile potential, complex scalar, m_phi = {self.m_phi:.4g} GeV, lam = {self.lam:.4g}"

    # ------------------------------------------------------------------
    def _channel(self, p, q, weights, channel, q_max):
        """W (len(p), len(q)) of one channel; duplicated nodes share their merged weight."""
        m2 = self.m_phi**2
        increasing = q.size < 2 or bool(np.all(q[1:] > q[:-1]))
        if increasing:
            qu, wu, inv = q, weights, None
        else:
            qu, inv = np.unique(q, return_inverse=True)
            wu = np.bincount(inv, weights=weights, minlength=qu.size)
        x = (4.0 / m2) * p[:, None] * qu[None, :]
        ell = _log_distance(x) if _SINGULAR[channel] else None
        base = _kernel(channel, x, ell)
        base *= wu[None, :]
        if _SINGULAR[channel]:
            at, values = self._corrections(p, qu, wu, q_max, lambda rows: ell[rows])
            np.add.at(base, at, values)
        base *= self._prefactor(p)[:, None]
        if inv is None:
            return base
        wu_safe = np.where(wu > 0, wu, 1.0)
        return base[:, inv] * np.where(wu[inv] > 0, weights / wu_safe[inv], 0.0)[None, :]

    def _prefactor(self, p):
        """lam^2 m^2/(32 pi^2 p^2) [GeV^0 per GeV of q]: W_ij = prefactor_i (k(x_ij) w_j + corrections)."""
        return self.lam**2 * self.m_phi**2 / (32.0 * math.pi**2 * p**2)

    def _corrections(self, p, qu, wu, q_max, ell_rows):
        """Singularity subtraction: ((rows, cols), values) to add to k(x_ij) w_j (before the prefactor).

        ``ell_rows(rows)`` gives ln|1 - x| on those rows of the matrix (nodes qu increasing).
        """
        m2 = self.m_phi**2
        rows, loc, cols, ca, cb = self._subtraction(p, qu, m2)
        if not rows.size:
            return (rows, rows), np.zeros(0)
        qs = m2 / (4.0 * p[rows])
        x_top = (qu[-1] if q_max is None else float(q_max)) / qs
        # the log antiderivatives are continuous at x = 1 but (x - 1) ln|x - 1| evaluates to nan there
        x_top = np.where(x_top == 1.0, np.nextafter(1.0, 2.0), x_top)
        ell_r = ell_rows(rows)
        # f(q*) and f'(q*) terms: rule sums replaced by the exact log integrals
        s0 = ell_r @ wu
        c0 = qs * _gen.log_antiderivative(x_top) - s0
        c1 = qs**2 * _gen.log_moment_antiderivative(x_top) - (ell_r @ (wu * qu) - qs * s0)
        return (rows[loc], cols), c0[loc] * ca + c1[loc] * cb

    @staticmethod
    def _subtraction(p, qu, m2):
        """Rows with q* = m^2/(4p) within reach of the grid and, in coordinate form
        (loc: index into rows, cols, ca, cb), the coefficients of f(q*) = sum ca f_cols
        and f'(q*) = sum cb f_cols.

        f(q*) is the cubic Hermite interpolant of the nodes with the node
        slopes d_j (centred differences, one-sided at the ends), and f'(q*)
        the linear interpolant of the d_j: f(q*) is C^1 and f'(q*) continuous
        in q*, so V_s(p) has no kink when q* crosses a node. Below the first
        node f(q*) continues along the tangent at q_1 (f'(q*) = d_1); above
        the last node both go to zero over one spacing (Hermite, value and
        slope zero at q_N + h), beyond which no subtraction is needed.
        """
        n = qu.size
        qs = m2 / (4.0 * p)
        h_last = qu[-1] - qu[-2] if n > 1 else qu[-1]
        rows = np.flatnonzero(qs < qu[-1] + h_last)
        empty = np.zeros(0)
        if rows.size == 0:
            return rows, empty.astype(int), empty.astype(int), empty, empty
        q_r = qs[rows]
        idx = np.arange(rows.size)
        # node slopes d_j = (f[hi_j] - f[lo_j]) / span_j: centred inside, one-sided at the ends
        lo = np.clip(np.arange(n) - 1, 0, n - 1)
        hi = np.clip(np.arange(n) + 1, 0, n - 1)
        span = qu[hi] - qu[lo]
        inv_span = np.where(span > 0, 1.0 / np.where(span > 0, span, 1.0), 0.0)
        loc, cols, ca, cb = [], [], [], []

        def value(r, j, c):                     # f(q*) += c f_j
            loc.append(r), cols.append(j), ca.append(c), cb.append(np.zeros_like(c))

        def slope(r, j, c, into_b):             # (f or f')(q*) += c d_j
            s = c * inv_span[j]
            z = np.zeros_like(s)
            for col, val in ((hi[j], s), (lo[j], -s)):
                loc.append(r), cols.append(col)
                ca.append(z if into_b else val), cb.append(val if into_b else z)

        below = q_r <= qu[0]
        inside = (q_r > qu[0]) & (q_r <= qu[-1])
        above = q_r > qu[-1]
        if below.any():
            r = idx[below]
            zero = np.zeros(r.size, dtype=int)
            value(r, zero, np.ones(r.size))
            slope(r, zero, q_r[below] - qu[0], False)
            slope(r, zero, np.ones(r.size), True)
        if inside.any():
            r = idx[inside]
            j = np.searchsorted(qu, q_r[inside], side="left")
            h = qu[j] - qu[j - 1]
            t = (q_r[inside] - qu[j - 1]) / h
            t2, t3 = t * t, t * t * t
            value(r, j - 1, 2 * t3 - 3 * t2 + 1)
            value(r, j, -2 * t3 + 3 * t2)
            slope(r, j - 1, h * (t3 - 2 * t2 + t), False)
            slope(r, j, h * (t3 - t2), False)
            slope(r, j - 1, 1.0 - t, True)
            slope(r, j, t, True)
        if above.any():
            r = idx[above]
            t = (q_r[above] - qu[-1]) / h_last
            t2, t3 = t * t, t * t * t
            last = np.full(r.size, n - 1)
            value(r, last, 2 * t3 - 3 * t2 + 1)
            slope(r, last, h_last * (t3 - 2 * t2 + t), False)
            slope(r, last, 1.0 - t, True)
        return (rows, np.concatenate(loc), np.concatenate(cols), np.concatenate(ca), np.concatenate(cb))

    def _check(self, p, q, weights):
        p = _as_1d("p", p)
        q = _as_1d("q", q)
        w = _as_1d("weights", weights, positive=False)
        if w.shape != q.shape:
            raise QKEInputError(f"weights: shape {w.shape} does not match q {q.shape}")
        return p, q, w

    # ------------------------------------------------------------------
    def channel_matrices(self, p, q, weights, q_max=None):
        """(W_same, W_conj): V_s(p_i) = W_same @ f + W_conj @ fbar [GeV] for a nu_s.

        For a nubar_s the roles swap (CP): V(p_i) = W_same @ fbar + W_conj @ f.

        Parameters
        ----------
        p : ndarray, shape (n,)
            Momenta of the test nu_s [GeV] (> 0).
        q : ndarray, shape (k,)
            Quadrature nodes [GeV] (> 0, any order; repeated nodes have their
            weights merged and share the interpolated value).
        weights : ndarray, shape (k,)
            Quadrature weights in q [GeV] of a rule on [0, q_max] (the q = 0
            node, if any, dropped: the integrand vanishes there), e.g. the
            Simpson weights of ``core.momentum_grid`` times T_nu.
        q_max : float, optional
            Upper end of the rule [GeV]; default ``max(q)``.

        Returns
        -------
        tuple of ndarray, each shape (n, k)
            W_same (s-channel, the nu_s background) and W_conj (exchange, the
            nubar_s background) [GeV per unit occupation].
        """
        p, q, w = self._check(p, q, weights)
        return self._channel(p, q, w, "same", q_max), self._channel(p, q, w, "conj", q_max)

    def matrix(self, p, q, weights, anti_p=None, anti_q=None, q_max=None):
        """W with V_s(p_i) = sum_j W_ij f22(q_j) [GeV]: the sterile state's own potential.

        Without species masks the background is CP symmetric (nu_s and
        nubar_s both with occupation f22) and W uses the symmetric kernel
        -2 Lambda(4pq/m^2), the fermion part of PRL eq. 7 with n_F -> f22.
        Sign convention: V_s is the energy shift of nu_s (E = p + V_s), the
        22 entry of H0; the QKE uses H0_11 - H0_22 = V_a - V_s - Delta cos 2theta.

        Parameters
        ----------
        p : ndarray, shape (n,)
            Momenta at which V_s is wanted [GeV] (> 0).
        q : ndarray, shape (k,)
            Quadrature nodes [GeV] (> 0). Stacked species grids (the same
            momenta repeated, as in the QKE solver for asymmetric models) are
            allowed: repeated nodes are merged with their summed weight.
        weights : ndarray, shape (k,)
            Quadrature weights in q [GeV] (as in
            :meth:`qke.physics.self_scattering.ScatteringKernel.matrix`); with
            the solver's halved weights of stacked nu/nubar bins the symmetric
            W acts on the mean occupation (f + fbar)/2.
        anti_p, anti_q : ndarray of bool, optional
            Species of the rows (test particle) and columns (background):
            True for nubar_s. Given together, each block uses the channel
            kernel (same species: W_same, opposite: W_conj) and the weights
            must be those of one species (not halved). The asymmetric terms
            then appear (heavy limit -lam^2 (n - nbar)/(2 m^2) for nu_s).
        q_max : float, optional
            Upper end of the quadrature rule [GeV]; default ``max(q)``.

        Returns
        -------
        ndarray, shape (n, k)
            W [GeV per unit occupation].
        """
        p, q, w = self._check(p, q, weights)
        if anti_p is None and anti_q is None:
            return self._channel(p, q, w, "symmetric", q_max)
        if anti_p is None or anti_q is None:
            raise QKEInputError("anti_p/anti_q: give both species masks or neither")
        anti_p = np.asarray(anti_p, dtype=bool)
        anti_q = np.asarray(anti_q, dtype=bool)
        if anti_p.shape != p.shape or anti_q.shape != q.shape:
            raise QKEInputError("anti_p/anti_q: masks must match the shapes of p and q")
        out = np.zeros((p.size, q.size))
        for species in (False, True):
            cols = anti_q == species
            if not cols.any():
                continue
            same = self._channel(p, q[cols], w[cols], "same", q_max)
            conj = self._channel(p, q[cols], w[cols], "conj", q_max)
            out[:, cols] = np.where((anti_p == species)[:, None], same, conj)
        return out

    def on_grid(self, y, weights) -> "PotentialGrid":
        """:meth:`matrix` (symmetric background) on the comoving grid p = q = y T_nu as a function of T_nu."""
        return PotentialGrid(self, y, weights)

    def potential(self, p, q, weights, f22, f22_bar=None, q_max=None):
        """V_s(p) [GeV] of a nu_s for occupations ``f22`` (and ``f22_bar`` of nubar_s) on the nodes ``q``.

        With ``f22_bar=None`` the background is CP symmetric (fbar = f22). For
        the potential of a nubar_s call with the two occupations swapped.
        """
        f = np.asarray(f22, dtype=float)
        if f22_bar is None:
            return self.matrix(p, q, weights, q_max=q_max) @ f
        w_same, w_conj = self.channel_matrices(p, q, weights, q_max=q_max)
        return w_same @ f + w_conj @ np.asarray(f22_bar, dtype=float)

    def heavy_matrix(self, p, q, weights):
        """W of the heavy-mediator form V_s = -(4/3) lam^2 p rho_s/m^4 (f = fbar = f22) [GeV].

        rho_s = sum_j w_j q_j^3 (2 f22_j)/(2 pi^2). Valid for m^2 >> 4 p q over
        the spectrum (see the derivation report for the size of the corrections);
        :meth:`matrix` is exact at any mass.
        """
        p, q, w = self._check(p, q, weights)
        rho_per_f = w * q**3 / math.pi**2                 # d rho_s / d f22_j  [GeV^4]
        return _gen.v_heavy(p[:, None], rho_per_f[None, :], 0.0, self.m_phi, self.lam)


class PotentialGrid:
    """W(T_nu) = :meth:`SterilePotentialKernel.matrix` (symmetric) on a fixed grid, p = q = y T_nu.

    x = 4 p_i q_j/m^2 depends on the products y_i y_j only, so the kernel and
    ln|1 - x| are evaluated once per distinct product (about a third of the
    n^2 entries on a uniform grid).

    Parameters
    ----------
    kernel : SterilePotentialKernel
    y : ndarray, shape (n,)
        Increasing comoving momenta p/T_nu (> 0).
    weights : ndarray, shape (n,)
        Quadrature weights in y of a rule on [0, max(y)] (the y = 0 node dropped).
    """

    def __init__(self, kernel: SterilePotentialKernel, y, weights):
        self.kernel = kernel
        self.y = _as_1d("y", y)
        self.w = _as_1d("weights", weights, positive=False)
        if self.w.shape != self.y.shape or not np.all(np.diff(self.y) > 0):
            raise QKEInputError("y: the grid must be increasing, with weights of the same shape")
        self.products, inverse = np.unique(np.multiply.outer(self.y, self.y), return_inverse=True)
        self.inverse = inverse.reshape(self.y.size, self.y.size)
        self.node = kernel._prefactor(self.y)[:, None] * self.w[None, :]   # W_ij = k(x_ij) node_ij / T_nu

    def __call__(self, t_nu: float):
        """W (n, n) [GeV per unit occupation] at neutrino temperature ``t_nu`` [GeV]."""
        x = (4.0 / self.kernel.m_phi**2) * t_nu**2 * self.products
        ell = _log_distance(x)
        w = (_kernel("symmetric", x, ell) / t_nu)[self.inverse]
        w *= self.node
        p = self.y * t_nu
        (rows, cols), values = self.kernel._corrections(p, p, self.w * t_nu, None,
                                                        lambda r: ell[self.inverse[r]])
        np.add.at(w, (rows, cols), values * self.kernel._prefactor(p)[rows])
        return w
