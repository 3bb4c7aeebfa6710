"""Sterile-neutrino self-scattering: the self-consistent damping rate Gamma_s[f22].

A mediator of mass m_phi > m4 coupling to nu_s with strength lam makes the
sterile states scatter on each other. Their rate (notes eqs. (28)-(31);
SPEC section 4) is

    Gamma_s(p) = 2 int d^3q/(2 pi)^3 sigma(s) v_Mol f22(q),                (31)

the factor 2 counting nu_s and nubar_s, with massless kinematics
s = 2 p q (1 - cos th) and v_Mol = 1 - cos th. With w = 1 - cos th the angular
integral is

    int_{-1}^{1} dcos th sigma(s) v_Mol = A(S) = S^-2 int_0^{2S} sigma(s) s ds,   S = 2 p q,

so that

    Gamma_s(p) = 1/(2 pi^2) int_0^inf dq q^2 A(2 p q) f22(q).

A(S) is a function of one variable: it is tabulated once (cumulative
integral of s sigma(s) on a grid resolving the Breit-Wigner pole) and
interpolated, so no quadrature runs inside the solver's right-hand side. On
a momentum grid q_j with weights w_j, Gamma_s(p_i) = sum_j K_ij f22_j with
K_ij = w_j q_j^2 A(2 p_i q_j) / (2 pi^2).

A narrow s-channel pole (Gamma_phi/m_phi ~ lam^2/(32 pi)) makes B(s) =
int_0^s sigma s' ds' a step at s = m_phi^2, and the node rule a staircase in
p: K_ij jumps as 4 p_i q_j crosses m_phi^2. :meth:`ScatteringKernel.resolved_matrix`
(and :meth:`ScatteringKernel.on_grid` for a fixed comoving grid, used by the
QKE) integrates the step over the interpolated f22 instead, which makes
Gamma_s smooth in p and T (error O(dq^2) or better instead of O(dq)).

In the narrow-width limit sigma = C delta(s - m_phi^2) (notes eq. (33)) the
angular integral is closed-form: A(S) = C m_phi^2 / S^2 for 2 S > m_phi^2,
else 0.

The cross sections are the generated ones (``qke.generated.cross_sections``,
from ``derivations/cross_sections.py``): ``sigma_sterile_total`` (s-channel
nu_s nu_s with Breit-Wigner width plus nu_s nubar_s), ``width_sterile_mediator``
and ``narrow_width_coefficient_sterile``.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..errors import QKEInputError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SterileSelfInteraction:
    """A sterile self-interaction through a mediator phi.

    Parameters
    ----------
    m_phi : float
        Mediator mass [GeV]; must exceed the sterile mass m4 (checked by
        :meth:`check_model`).
    lam : float
        Dimensionless coupling lambda > 0.
    narrow_width : bool
        Use the narrow-width cross section sigma = C delta(s - m_phi^2)
        (notes eq. (33)) instead of the full s-channel Breit-Wigner plus
        t-channel cross section.

    Examples
    --------
    >>> si = SterileSelfInteraction(m_phi=1e-3, lam=1e-2, narrow_width=True)
    >>> float(si.narrow_coefficient()) == float(np.pi * 1e-4)
    True
    """

    m_phi: float
    lam: float
    narrow_width: bool = False

    def __post_init__(self):
        if not (isinstance(self.m_phi, (int, float)) and math.isfinite(self.m_phi) and self.m_phi > 0):
            raise QKEInputError(f"m_phi: mediator mass must be positive, got {self.m_phi!r} GeV")
        if not (isinstance(self.lam, (int, float)) and math.isfinite(self.lam) and 0 < self.lam <= 4 * math.pi):
            raise QKEInputError(f"lam: coupling must lie in (0, 4 pi], got {self.lam!r}")

    def check_model(self, model) -> None:
        """Raise :class:`QKEInputError` unless m_phi > m4 > 0 for ``model``."""
        if not self.m_phi > model.m4 > 0:
            raise QKEInputError(f"m_phi: mediator mass must exceed m4 = {model.m4:.4g} GeV, "
                                f"got {self.m_phi:.4g} GeV")

    def width(self) -> float:
        """Mediator width Gamma_phi [GeV] (generated ``width_sterile_mediator``)."""
        from ..generated.cross_sections import width_sterile_mediator

        return float(width_sterile_mediator(self.m_phi, self.lam))

    def narrow_coefficient(self) -> float:
        """C in sigma ~ C delta(s - m_phi^2) [dimensionless] (generated)."""
        from ..generated.cross_sections import narrow_width_coefficient_sterile

        return float(narrow_width_coefficient_sterile(self.m_phi, self.lam))

    def cross_section(self, s):
        """Total sterile cross section sigma(s) [GeV^-2], s in GeV^2 (generated ``sigma_sterile_total``)."""
        from ..generated.cross_sections import sigma_sterile_total

        return sigma_sterile_total(np.asarray(s, dtype=float), self.m_phi, self.lam, self.width())

    def kernel(self, s_min: float, s_max: float) -> "ScatteringKernel":
        """The angular kernel A(S) valid for s = 2S in [s_min, s_max] [GeV^2]."""
        if self.narrow_width:
            return ScatteringKernel.narrow(self.narrow_coefficient(), self.m_phi)
        width = self.width()
        return ScatteringKernel.from_cross_section(self.cross_section, self.m_phi, width, s_min, s_max)


#: Half-width of the window around a narrow pole, relative to m_phi^2 (see :meth:`ScatteringKernel.resolved_matrix`).
POLE_WINDOW = 0.1
#: Largest Gamma_phi/m_phi for which the tabulated kernel's pole is treated as narrow.
POLE_MAX_WIDTH = 1e-3


@dataclass(frozen=True)
class NarrowPole:
    """The narrow s-channel pole of B(s) = int_0^s sigma(s') s' ds' within the window (lo, hi).

    Attributes
    ----------
    s0 : float
        Pole position m_phi^2 [GeV^2].
    lo, hi : float
        Window (1 -+ POLE_WINDOW) m_phi^2 [GeV^2].
    b_lo : float
        B(lo) [GeV^2].
    height : float
        M0 = B(hi) - B(lo) [GeV^2] (C m_phi^2 for a narrow width).
    moment : float
        M1 = int_lo^hi (s - s0) dB(s) [GeV^4] (zero for a symmetric peak).
    """

    s0: float
    lo: float
    hi: float
    b_lo: float
    height: float
    moment: float

    @classmethod
    def from_table(cls, grid, cum, s0: float) -> "NarrowPole":
        """The pole of a tabulated B (values ``cum`` at ``grid`` [GeV^2], linear in ln-ln between nodes)."""
        lo, hi = (1.0 - POLE_WINDOW) * s0, (1.0 + POLE_WINDOW) * s0
        inner = (grid > lo) & (grid < hi)
        s = np.concatenate([[lo], grid[inner], [hi]])
        b = np.exp(np.interp(np.log(s), np.log(grid), np.log(np.maximum(cum, 1e-300))))
        moment = float(np.sum((0.5 * (s[1:] + s[:-1]) - s0) * np.diff(b)))
        return cls(s0=s0, lo=lo, hi=hi, b_lo=float(b[0]), height=float(b[-1] - b[0]), moment=moment)


class _HermiteRule:
    """Integrals and values of the C^1 cubic Hermite interpolant of nodal values f on an increasing grid q.

    Node slopes d_j = (f[j+1] - f[j-1])/(q[j+1] - q[j-1]) (one-sided at the
    ends); the interpolant is continued along the tangent below q[0] and is
    zero above q[-1]. :meth:`rows` gives, for points x, the rows with
    int_x^q[-1] f dq = tail @ f and f(x) = value @ f. The grid-dependent part
    (the tail integrals from each node) is built once.
    """

    def __init__(self, q):
        n = q.size
        self.q, self.h = q, np.diff(q)
        self.lo, self.hi = np.clip(np.arange(n) - 1, 0, n - 1), np.clip(np.arange(n) + 1, 0, n - 1)
        self.inv_span = 1.0 / (q[self.hi] - q[self.lo])
        eye = np.eye(n)
        slope = (eye[self.hi] - eye[self.lo]) * self.inv_span[:, None]          # d = slope @ f
        h = self.h[:, None]
        full = 0.5 * h * (eye[:-1] + eye[1:]) + (h**2 / 12.0) * (slope[:-1] - slope[1:])
        self.tails = np.zeros((n, n))                                          # tails[k] @ f = int_q[k]^q[-1] f
        self.tails[:-1] = np.cumsum(full[::-1], axis=0)[::-1]

    def _scatter(self, out, j, coef):
        """out[r] += a e_j + b d_j + c e_(j+1) + d d_(j+1) with coef = (a, b, c, d) per row r."""
        r = np.arange(j.size)
        a, b, c, d = coef
        j1 = np.minimum(j + 1, self.q.size - 1)
        rows = np.tile(r, 6)
        cols = np.concatenate([j, self.hi[j], self.lo[j], j1, self.hi[j1], self.lo[j1]])
        bs, ds = b * self.inv_span[j], d * self.inv_span[j1]
        np.add.at(out, (rows, cols), np.concatenate([a, bs, -bs, c, ds, -ds]))

    def rows(self, x, alpha, beta):
        """Rows (len(x), len(q)) of alpha int_x^q[-1] f dq + beta f(x), at the points x (same unit as q).

        Parameters
        ----------
        x : ndarray, shape (k,)
            Points.
        alpha, beta : ndarray, shape (k,)
            Weights of the tail integral and of the value at each point.
        """
        q, n = self.q, self.q.size
        k = np.searchsorted(q, x, side="right") - 1
        below, mid = k < 0, (k >= 0) & (k < n - 1)
        j = np.where(mid, k, 0)
        hj = np.where(mid, self.h[np.minimum(j, n - 2)], 1.0)
        t = np.where(mid, (x - q[j]) / hj, 0.0)
        t2, t3 = t * t, t**3
        t4 = t2 * t2
        ell = np.where(below, q[0] - x, 0.0)
        on = mid.astype(float)
        out = self.tails[np.where(below, 0, np.where(mid, j + 1, n - 1))]
        out *= alpha[:, None]
        # the partial interval (Hermite basis integrated from t to 1) and the value at x
        tail_coef = (ell + on * hj * (0.5 - t + t3 - 0.5 * t4),
                     -0.5 * ell**2 + on * hj**2 * (1.0 / 12.0 - 0.5 * t2 + 2.0 * t3 / 3.0 - 0.25 * t4),
                     on * hj * (0.5 - t3 + 0.5 * t4),
                     on * hj**2 * (-1.0 / 12.0 + t3 / 3.0 - 0.25 * t4))
        value_coef = (below + on * (2 * t3 - 3 * t2 + 1), -ell + on * hj * (t3 - 2 * t2 + t),
                      on * (3 * t2 - 2 * t3), on * hj * (t3 - t2))
        self._scatter(out, j, tuple(alpha * a + beta * b for a, b in zip(tail_coef, value_coef)))
        return out


class ScatteringKernel:
    """Angular-integrated cross section A(S) = S^-2 int_0^{2S} sigma(s) s ds [GeV^-2].

    Build it with :meth:`narrow` (closed form) or :meth:`from_cross_section`
    (tabulated cumulative integral, interpolated in ln s).

    Parameters
    ----------
    cumulative : callable
        B(s) = int_0^s sigma(s') s' ds' [GeV^2] for s [GeV^2], vectorised; A(S) = B(2S)/S^2.
    description : str
        Human-readable description.
    pole : NarrowPole, optional
        A narrow s-channel pole of B, resolved by :meth:`resolved_matrix` and :meth:`on_grid`.
    """

    def __init__(self, cumulative: Callable, description: str, pole: NarrowPole | None = None):
        self.cumulative = cumulative
        self.description = description
        self.pole = pole

    @classmethod
    def narrow(cls, coefficient: float, m_phi: float) -> "ScatteringKernel":
        """Narrow-width kernel A(S) = C m^2/S^2 theta(2S - m^2).

        Parameters
        ----------
        coefficient : float
            C of sigma = C delta(s - m_phi^2) [dimensionless].
        m_phi : float
            Mediator mass [GeV].
        """
        m2 = m_phi**2

        def cumulative(s):
            return np.where(np.asarray(s, dtype=float) > m2, coefficient * m2, 0.0)

        pole = NarrowPole(s0=m2, lo=(1.0 - POLE_WINDOW) * m2, hi=(1.0 + POLE_WINDOW) * m2, b_lo=0.0,
                          height=coefficient * m2, moment=0.0)
        return cls(cumulative, f"narrow width, C = {coefficient:.4g}, m_phi = {m_phi:.4g} GeV", pole)

    @classmethod
    def from_cross_section(cls, sigma: Callable, m_phi: float, width: float, s_min: float, s_max: float,
                           per_decade: int = 80, n_pole: int = 4001) -> "ScatteringKernel":
        """Tabulated kernel from a cross section sigma(s) [GeV^-2].

        Parameters
        ----------
        sigma : callable
            sigma(s) with s in GeV^2, vectorised.
        m_phi, width : float
            Pole position and width [GeV]; the grid is refined over the
            Breit-Wigner peak (uniform in arctan((s - m^2)/(m Gamma))). For
            Gamma/m <= ``POLE_MAX_WIDTH`` the pole is also kept as a
            :class:`NarrowPole`.
        s_min, s_max : float
            Range of s = 2S needed [GeV^2]; below s_min the kernel is
            continued as sigma ~ s (A ~ S), above s_max it is held constant in B.
        per_decade : int
            Grid points per decade of s away from the pole.
        n_pole : int
            Points across the pole region.
        """
        if not (0 < s_min < s_max):
            raise QKEInputError(f"s_min/s_max: need 0 < s_min < s_max, got {s_min}, {s_max} GeV^2")
        lo, hi = s_min / 10.0, s_max * 10.0
        grid = np.geomspace(lo, hi, int(per_decade * math.log10(hi / lo)) + 2)
        m2, mg = m_phi**2, m_phi * max(width, 1e-300)
        phi_lo, phi_hi = math.atan((lo - m2) / mg), math.atan((hi - m2) / mg)
        if phi_hi > phi_lo:
            # core of the peak uniform in arctan, its tails geometric in |s - m^2| (the
            # 1/(s - m^2)^2 tails are steep: a coarse ln s grid there would overestimate them)
            grid = np.union1d(grid, m2 + mg * np.tan(np.linspace(phi_lo, phi_hi, n_pole)))
            offsets = mg * np.geomspace(1.0, max(hi, m2) / mg, int(per_decade * math.log10(max(hi, m2) / mg)) + 2)
            grid = np.union1d(grid, np.concatenate([m2 - offsets, m2 + offsets]))
        grid = grid[(grid >= lo) & (grid <= hi)]
        integrand = sigma(grid) * grid
        if not np.all(np.isfinite(integrand)) or np.any(integrand < 0):
            raise QKEInputError("cross section: sigma(s) must be finite and non-negative on "
                                f"[{lo:.3g}, {hi:.3g}] GeV^2")
        # below the grid sigma ~ s (heavy-mediator limit): int_0^lo s sigma ds = lo^2 sigma(lo)/3
        start = integrand[0] * grid[0] / 3.0
        cum = start + np.concatenate([[0.0], np.cumsum(0.5 * (integrand[1:] + integrand[:-1]) * np.diff(grid))])
        ln_s, ln_b = np.log(grid), np.log(np.maximum(cum, 1e-300))

        def cumulative(s):
            ln_s2 = np.log(np.asarray(s, dtype=float))
            ln_bv = np.interp(ln_s2, ln_s, ln_b)
            # power-law continuation B ~ s^3 below the table
            return np.exp(np.where(ln_s2 < ln_s[0], ln_b[0] + 3.0 * (ln_s2 - ln_s[0]), ln_bv))

        narrow = width <= POLE_MAX_WIDTH * m_phi and lo < (1.0 - POLE_WINDOW) * m2 and (1.0 + POLE_WINDOW) * m2 < hi
        pole = NarrowPole.from_table(grid, cum, m2) if narrow else None
        return cls(cumulative, f"tabulated sigma(s), m_phi = {m_phi:.4g} GeV, width = {width:.3g} GeV", pole)

    def angular(self, s_var):
        """A(S) [GeV^-2] for S = 2 p q [GeV^2]."""
        s_var = np.asarray(s_var, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            return self.cumulative(2.0 * s_var) / s_var**2

    def matrix(self, p, q, weights):
        """K with Gamma_s(p_i) = sum_j K_ij f22(q_j) [GeV] (the node rule; see :meth:`resolved_matrix`).

        Parameters
        ----------
        p : ndarray, shape (n,)
            Momenta at which Gamma_s is wanted [GeV].
        q : ndarray, shape (m,)
            Quadrature nodes [GeV] (> 0).
        weights : ndarray, shape (m,)
            Quadrature weights in q [GeV].
        """
        p = np.asarray(p, dtype=float)
        q = np.asarray(q, dtype=float)
        a = self.angular(2.0 * p[:, None] * q[None, :])
        return a * (np.asarray(weights) * q**2)[None, :] / (2.0 * math.pi**2)

    def resolved_matrix(self, p, q, weights):
        """K with Gamma_s(p_i) = sum_j K_ij f22(q_j) [GeV], the narrow pole integrated exactly (smooth in p).

        :meth:`matrix` samples the angular kernel at the nodes: across a
        narrow pole B(4 p q) steps by C m^2 within |s - m^2| ~ m Gamma_phi,
        so each K_ij jumps as 4 p q_j crosses m^2 and Gamma_s(p) is a
        staircase in p (and in T at fixed y), which an adaptive integrator
        can only follow with tiny steps. Here, with

            Gamma_s(p) = 1/(8 pi^2 p^2) int dq B(4 p q) f(q),

        B = (B - P) + P with P the part of B gathered inside the window
        ``pole.lo < s < pole.hi``: B - P is smooth and keeps the node rule,
        and P is integrated against the C^1 cubic Hermite interpolant of f
        (:class:`_HermiteRule`), to first order in s - m^2 across the window,

            int dq P(4 p q) f(q) = M0 int_{q*}^{q_max} f dq - M1 f(q*)/(4 p) + O(M2 f'),
            q* = m^2/(4 p),

        so Gamma_s is C^2 in p. It differs from :meth:`matrix` by the node
        rule's O(dq) error across the step; the neglected M2 term is of
        relative order (Gamma_phi/m_phi) ``POLE_WINDOW``. Without a narrow
        pole (``self.pole`` None) this is the node rule.

        Parameters
        ----------
        p : ndarray, shape (n,)
            Momenta at which Gamma_s is wanted [GeV] (> 0).
        q : ndarray, shape (m,)
            One increasing momentum grid [GeV] (> 0; at least 3 nodes), the
            nodes of a quadrature rule on [0, max(q)] with the q = 0 node
            dropped.
        weights : ndarray, shape (m,)
            Weights of that rule in q [GeV] (used for B - P).

        Returns
        -------
        ndarray, shape (n, m)
            K [GeV per unit occupation].
        """
        p, q, w = (np.asarray(a, dtype=float) for a in (p, q, weights))
        if q.ndim != 1 or q.size < 3 or w.shape != q.shape or not (q[0] > 0 and np.all(np.diff(q) > 0)):
            raise QKEInputError("q: resolved_matrix needs one increasing grid of positive momenta "
                                "(at least 3 nodes) with weights of the same shape")
        s = 4.0 * p[:, None] * q[None, :]
        k = self._rest(s) * (w[None, :] / (8.0 * math.pi**2 * p[:, None] ** 2))
        if self.pole is not None:
            k += self._pole_rows(p, _HermiteRule(q), 1.0)
        return k

    def on_grid(self, y, weights) -> "ScatteringGrid":
        """:meth:`resolved_matrix` on the comoving grid p = q = y T_nu as a function of T_nu (set up once)."""
        return ScatteringGrid(self, y, weights)

    def _rest(self, s):
        """B - P at s = 4 p q [GeV^2] (B without a narrow pole)."""
        b = self.cumulative(s)
        pole = self.pole
        if pole is None:
            return b
        return np.where(s < pole.lo, b, np.where(s <= pole.hi, pole.b_lo, b - pole.height))

    def _pole_rows(self, p, rule: "_HermiteRule", scale: float):
        """The pole's part of K (n, m) [GeV]: M0 int_{q*} f - M1 f(q*)/(4 p), over 8 pi^2 p^2.

        ``rule`` is on the nodes q/scale (q in GeV), so that one rule serves every T_nu.
        """
        pole = self.pole
        pref = 1.0 / (8.0 * math.pi**2 * p**2)
        return rule.rows(pole.s0 / (4.0 * p) / scale, pref * pole.height * scale, -pref * pole.moment / (4.0 * p))

    def rate(self, p, q, weights, f22):
        """Gamma_s(p) [GeV] for occupation numbers ``f22`` on the nodes ``q`` (eq. 31)."""
        return self.matrix(p, q, weights) @ np.asarray(f22, dtype=float)


class ScatteringGrid:
    """K(T_nu) of :meth:`ScatteringKernel.resolved_matrix` on a fixed comoving grid, p = q = y T_nu.

    B(4 p_i q_j) depends on the products y_i y_j only, so it is evaluated
    once per distinct product (about a third of the n^2 entries on a uniform
    grid), and the Hermite rule of the grid is built once.

    Parameters
    ----------
    kernel : ScatteringKernel
    y : ndarray, shape (n,)
        Increasing comoving momenta p/T_nu (> 0, at least 3).
    weights : ndarray, shape (n,)
        Quadrature weights in y of a rule on [0, max(y)] (the y = 0 node dropped).
    """

    def __init__(self, kernel: ScatteringKernel, y, weights):
        self.kernel = kernel
        self.y, w = np.asarray(y, dtype=float), np.asarray(weights, dtype=float)
        if self.y.ndim != 1 or self.y.size < 3 or w.shape != self.y.shape or \
                not (self.y[0] > 0 and np.all(np.diff(self.y) > 0)):
            raise QKEInputError("y: the grid must be increasing and positive (at least 3 nodes), "
                                "with weights of the same shape")
        self.products, inverse = np.unique(np.multiply.outer(self.y, self.y), return_inverse=True)
        self.inverse = inverse.reshape(self.y.size, self.y.size)
        self.node = w[None, :] / (8.0 * math.pi**2 * self.y[:, None] ** 2)   # K_ij = (B - P) node_ij / T_nu
        self.rule = _HermiteRule(self.y)

    def __call__(self, t_nu: float):
        """K (n, n) [GeV per unit occupation] at neutrino temperature ``t_nu`` [GeV]."""
        k = (self.kernel._rest(4.0 * t_nu**2 * self.products) / t_nu)[self.inverse]
        k *= self.node
        if self.kernel.pole is not None:
            k += self.kernel._pole_rows(self.y * t_nu, self.rule, t_nu)
        return k
