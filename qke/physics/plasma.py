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
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy.interpolate import CubicSpline

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


def energy_integral_j(r):
    """J(r) = int_0^inf u^2 sqrt(u^2+r^2)/(e^{sqrt(u^2+r^2)}+1) du [dimensionless].

    Parameters
    ----------
    r : array_like
        m/T >= 0.
    """
    r = np.asarray(r, dtype=float)
    spline = _j_table()
    rc = np.clip(r, R_MIN, R_MAX)
    out = np.exp(spline(np.log(rc)))
    out = np.where(r < R_MIN, 7.0 * math.pi**4 / 120.0, out)
    return np.where(r > R_MAX, 0.0, out)


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
    r = np.asarray(r, dtype=float)
    spline = _j_table(bose=True)
    rc = np.clip(r, R_MIN, R_MAX)
    out = np.exp(spline(np.log(rc)))
    out = np.where(r < R_MIN, math.pi**4 / 15.0, out)
    return np.where(r > R_MAX, 0.0, out)


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
