"""Plasma response to a lepton-flavour asymmetry (Shi-Fuller resonant production).

A lepton number density L_alpha = ell T^3 in the flavour alpha that mixes with
the sterile state is shared among neutrinos, charged leptons and the strongly
interacting plasma (chemical equilibrium, conserved lepton flavours, n_B = 0,
charge neutrality; Venumadhav, Cyr-Racine, Abazajian & Hirata, PRD 94 (2016)
043515, arXiv:1507.06655, section on the redistribution of lepton asymmetry).
It gives nu_alpha the CP-odd potential (Notzold & Raffelt 1988)

    V_odd(nu_alpha) = sqrt(2) G_F T^3 c_v(T) ell        (nubar_alpha: -V_odd)

and the chemical potential mu_nu_alpha = T c_mu(T) ell. The closed forms of
c_v and c_mu in the susceptibilities are derived in
``derivations/lepton_asymmetry.py`` (report ``derivations/out/lepton_asymmetry.md``,
code ``qke/generated/lepton_asymmetry.py``). This module evaluates them with
the charged-lepton Fermi-Dirac susceptibilities chi(m_l/T) and the QCD
susceptibilities of Venumadhav et al. (``qke.data.qcd_susceptibility_table``).

Tables: c_v, c_mu are computed once per flavour on a grid of 400 points per
decade in T from 0.1 MeV to 100 GeV and interpolated with a cubic spline in
ln T. Outside the lattice table (10 MeV-10 GeV) the QCD susceptibilities are
set to zero below 10 MeV (pions are Boltzmann-suppressed: chi2Q(10 MeV) = 6.5e-6)
and held at their 10 GeV values above 10 GeV (udsc plus a partly
Boltzmann-suppressed b; free udscb quarks would change c_mu by < 1 %). Outside
0.1 MeV-100 GeV the end values are held: below, the low-T limit c_v = 2,
c_mu = 6 is reached; above, all leptons are massless.

Units: GeV throughout.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.interpolate import CubicSpline, PchipInterpolator
from scipy.special import expit

from .. import constants as _c
from ..data import qcd_susceptibility_table
from ..errors import QKEInputError
from ..generated import lepton_asymmetry as _gen

__all__ = ["potential_per_asymmetry", "chemical_potential_per_asymmetry",
           "asymmetry_response", "fermion_number_susceptibility"]

#: Temperature range of the spline tables [GeV]; end values are held outside.
T_TABLE_MIN, T_TABLE_MAX = 1e-4, 1e2
_NODES_PER_DECADE = 400
_RESPONSE = {"e": _gen.asymmetry_response_e, "mu": _gen.asymmetry_response_mu,
             "tau": _gen.asymmetry_response_tau}
_GL_X, _GL_W = np.polynomial.legendre.leggauss(256)


def fermion_number_susceptibility(mass_over_t) -> np.ndarray:
    """Number susceptibility of one fermion spin state, chi = d(n - nbar)/d mu / T^2.

    chi(a) = (1/pi^2) int_0^oo x^2 f (1 - f) dx, f = 1/(e^E + 1), E = sqrt(x^2 + a^2),
    by 256-point Gauss-Legendre quadrature on x in [0, sqrt((a + 50)^2 - a^2)]
    (the integrand falls as e^-(E - a); relative truncation error < e^-50).

    Parameters
    ----------
    mass_over_t : float or array_like
        m/T [dimensionless], >= 0.

    Returns
    -------
    ndarray
        chi(m/T) [dimensionless, units of T^2]; chi(0) = 1/6.
    """
    a = np.asarray(mass_over_t, dtype=float)
    x_max = np.sqrt(100.0 * a + 2500.0)
    x = 0.5 * x_max[..., None] * (_GL_X + 1.0)
    e = np.sqrt(x * x + a[..., None] ** 2)
    integrand = x * x * expit(-e) * expit(e)
    return 0.5 * x_max * (integrand @ _GL_W) / np.pi**2


def _qcd_on_grid(temperature: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """chi2B, chi2Q, chi11QB on ``temperature`` [GeV]; PCHIP in (ln T, ln chi) inside the table.

    Below the table: chi2Q = chi11QB = 0 (chi2B = 1, a placeholder: it only
    enters as chi11QB^2/chi2B). Above: the last row.
    """
    t_tab, *chis = qcd_susceptibility_table()
    lt = np.log(np.clip(temperature, t_tab[0], t_tab[-1]))
    out = [np.exp(PchipInterpolator(np.log(t_tab), np.log(c))(lt)) for c in chis]
    below = temperature < t_tab[0]
    out[0] = np.where(below, 1.0, out[0])
    out[1] = np.where(below, 0.0, out[1])
    out[2] = np.where(below, 0.0, out[2])
    return out[0], out[1], out[2]


@lru_cache(maxsize=None)
def _spline(flavor: str) -> CubicSpline:
    """Cubic spline in ln T [GeV] of (c_v, c_mu) for an asymmetry in ``flavor``."""
    n = int(round(_NODES_PER_DECADE * np.log10(T_TABLE_MAX / T_TABLE_MIN))) + 1
    temps = np.geomspace(T_TABLE_MIN, T_TABLE_MAX, n)
    chi_l = [fermion_number_susceptibility(_c.CHARGED_LEPTON_MASS[f] / temps) for f in ("e", "mu", "tau")]
    c_v, c_mu = _RESPONSE[flavor](*chi_l, *_qcd_on_grid(temps))
    return CubicSpline(np.log(temps), np.stack([c_v, c_mu], axis=-1), axis=0)


def asymmetry_response(flavor: str, temperature) -> tuple[np.ndarray, np.ndarray]:
    """Dimensionless response coefficients c_v(T), c_mu(T) for an asymmetry in ``flavor``.

    c_v = V_odd(nu_alpha)/(sqrt2 G_F T^3 ell), c_mu = (mu_nu_alpha/T)/ell, with
    ell = L_alpha/T^3 (derivations/out/lepton_asymmetry.md).

    Parameters
    ----------
    flavor : {'e', 'mu', 'tau'}
        Flavour carrying the asymmetry (= flavour mixing with the sterile state).
    temperature : float or array_like
        Plasma temperature T [GeV].

    Returns
    -------
    c_v, c_mu : ndarray
        Same shape as ``temperature`` [dimensionless]. Low-T limit (2, 6).
    """
    if flavor not in _RESPONSE:
        raise QKEInputError(f"flavor: unknown flavour {flavor!r}; allowed: e, mu, tau")
    t = np.asarray(temperature, dtype=float)
    lt = np.log(np.clip(t, T_TABLE_MIN, T_TABLE_MAX))
    vals = _spline(flavor)(lt)
    return vals[..., 0], vals[..., 1]


def potential_per_asymmetry(flavor: str, temperature) -> np.ndarray:
    """dV_odd/d ell [GeV]: V_odd(nu_alpha) = this * ell, ell = L_alpha / T^3 (flavour lepton number density over T^3). Vectorised over T [GeV].

    Equal to sqrt(2) G_F T^3 c_v(T) (Notzold & Raffelt 1988; Venumadhav et al.
    2016); the antineutrino has -V_odd.

    Parameters
    ----------
    flavor : {'e', 'mu', 'tau'}
    temperature : float or array_like
        T [GeV].

    Returns
    -------
    ndarray
        dV_odd/d ell [GeV], shape of ``temperature``.
    """
    t = np.asarray(temperature, dtype=float)
    c_v, _ = asymmetry_response(flavor, t)
    return np.sqrt(2.0) * _c.G_F * t**3 * c_v


def chemical_potential_per_asymmetry(flavor: str, temperature) -> np.ndarray:
    """d mu_nu_alpha / d ell [GeV] (mu_nu = this * ell).

    Equal to T c_mu(T) (Venumadhav et al. 2016, redistribution of lepton asymmetry).

    Parameters
    ----------
    flavor : {'e', 'mu', 'tau'}
    temperature : float or array_like
        T [GeV].

    Returns
    -------
    ndarray
        d mu_nu_alpha/d ell [GeV], shape of ``temperature``.
    """
    t = np.asarray(temperature, dtype=float)
    _, c_mu = asymmetry_response(flavor, t)
    return t * c_mu


#: Conventions accepted for an initial lepton asymmetry: per entropy density
#: (conserved by expansion; qke's own), per photon number density and per T^3
#: (sterile-dm's ``leptasymi``), the last two at a stated temperature.
ASYMMETRY_CONVENTIONS = ("entropy", "photon", "T3")


def asymmetry_per_entropy(value: float, convention: str, temperature: float, cosmology) -> float:
    """A lepton asymmetry in the ``convention`` of another code, as (lepton number)/s [dimensionless].

    Parameters
    ----------
    value : float
        The asymmetry: L/s ('entropy'), L/n_gamma ('photon') or L/T^3 ('T3').
    convention : {'entropy', 'photon', 'T3'}
        Case-sensitive.
    temperature : float
        Temperature at which a 'photon' or 'T3' value holds [GeV] (before any
        sterile production); unused for 'entropy'.
    cosmology : qke.cosmology.Cosmology
        Gives g*s(T) for s = (2 pi^2/45) g*s T^3; n_gamma = (2 zeta(3)/pi^2) T^3.

    Examples
    --------
    >>> from qke.cosmology import make_cosmology
    >>> c = make_cosmology("constant")
    >>> round(1.0 / asymmetry_per_entropy(1.0, "photon", 1e-3, c), 2)   # s/n_gamma at g*s = 10.75
    19.36
    """
    if convention not in ASYMMETRY_CONVENTIONS:
        raise QKEInputError(f"lepton_asymmetry_convention: unknown {convention!r}; "
                            f"allowed: {', '.join(ASYMMETRY_CONVENTIONS)}")
    if convention == "entropy":
        return float(value)
    s_over_t3 = 2.0 * np.pi**2 / 45.0 * float(cosmology.g_star_s(temperature))
    per_t3 = value * (2.0 * _c.ZETA3 / np.pi**2 if convention == "photon" else 1.0)
    return float(per_t3 / s_over_t3)
