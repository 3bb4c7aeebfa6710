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


class ScatteringKernel:
    """Angular-integrated cross section A(S) = S^-2 int_0^{2S} sigma(s) s ds [GeV^-2].

    Build it with :meth:`narrow` (closed form) or :meth:`from_cross_section`
    (tabulated cumulative integral, interpolated in ln s).
    """

    def __init__(self, angular: Callable, description: str):
        self._angular = angular
        self.description = description

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

        def angular(s_var):
            s_var = np.asarray(s_var, dtype=float)
            with np.errstate(divide="ignore"):
                return np.where(2.0 * s_var > m2, coefficient * m2 / s_var**2, 0.0)

        return cls(angular, f"narrow width, C = {coefficient:.4g}, m_phi = {m_phi:.4g} GeV")

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
            Breit-Wigner peak (uniform in arctan((s - m^2)/(m Gamma))).
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

        def angular(s_var):
            s_var = np.asarray(s_var, dtype=float)
            s2 = 2.0 * s_var
            ln_s2 = np.log(s2)
            ln_bv = np.interp(ln_s2, ln_s, ln_b)
            # power-law continuation B ~ s^3 below the table
            ln_bv = np.where(ln_s2 < ln_s[0], ln_b[0] + 3.0 * (ln_s2 - ln_s[0]), ln_bv)
            return np.exp(ln_bv) / s_var**2

        return cls(angular, f"tabulated sigma(s), m_phi = {m_phi:.4g} GeV, width = {width:.3g} GeV")

    def angular(self, s_var):
        """A(S) [GeV^-2] for S = 2 p q [GeV^2]."""
        return self._angular(s_var)

    def matrix(self, p, q, weights):
        """K with Gamma_s(p_i) = sum_j K_ij f22(q_j) [GeV].

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

    def rate(self, p, q, weights, f22):
        """Gamma_s(p) [GeV] for occupation numbers ``f22`` on the nodes ``q`` (eq. 31)."""
        return self.matrix(p, q, weights) @ np.asarray(f22, dtype=float)
