"""Radiation-dominated early Universe: g*(T), g*s(T), Hubble rate, entropy, expansion.

Two cosmologies share one interface:

- :class:`StandardCosmology` -- the Standard-Model equation of state from the
  lattice-based tabulation of Saikawa & Shirai (JCAP 08 (2020) 011), through
  the QCD transition and the muon, pion and electron annihilations.
- :class:`ConstantCosmology` -- the seeds' universe with constant g* = g*s, in
  which comoving momentum and x = E/T coincide.

All temperatures are photon (plasma) temperatures in GeV. Entropy
conservation, a^3 s = const, gives a T g*s^{1/3} = const, so

    d ln a / d ln T = -(1 + (1/3) d ln g*s / d ln T).

Comoving momenta are measured in units of the comoving temperature
T_nu(T) = T (g*s(T)/g*s_ref)^{1/3} (proportional to 1/a), normalised so that
T_nu equals the active-neutrino temperature after muon annihilation and before
neutrino decoupling (g*s_ref = 10.75); with constant g*, T_nu = T.

Examples
--------
>>> from qke.cosmology import StandardCosmology
>>> c = StandardCosmology()
>>> 10.0 < float(c.g_star_s(3e-3)) < 11.0
True
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from scipy.interpolate import CubicSpline

from . import constants as const
from . import data
from .errors import QKEInputError

#: Range accepted for a constant g* (from photons alone, 2, to well above the
#: Standard Model's 106.75).
G_MIN, G_MAX = 2.0, 1000.0
#: Cosmologies by name.
COSMOLOGIES = ("standard", "laine-schroder", "constant")

_HUBBLE_PREFACTOR = math.sqrt(8.0 * math.pi**3 / 90.0)


class Cosmology:
    """Interface shared by the cosmologies; subclasses supply g* and g*s.

    Subclasses implement :meth:`g_star`, :meth:`g_star_s`, :meth:`dln_gs_dlnT`
    and the attribute ``g_s_ref``.
    """

    #: g*s at which the comoving temperature T_nu equals T [dimensionless].
    g_s_ref: float

    def g_star(self, temperature):
        """Energy degrees of freedom g*(T) [dimensionless]; ``temperature`` in GeV."""
        raise NotImplementedError

    def g_star_s(self, temperature):
        """Entropy degrees of freedom g*s(T) [dimensionless]; ``temperature`` in GeV."""
        raise NotImplementedError

    def dln_gs_dlnT(self, temperature):
        """Logarithmic slope d ln g*s / d ln T [dimensionless]."""
        raise NotImplementedError

    #: Name used on command lines, in cards and in JSON output.
    name: str = "cosmology"

    def hubble(self, temperature, rho_extra=0.0):
        """Hubble rate H = sqrt(8 pi^3 g*/90) T^2 / M_Pl [GeV], optionally with extra energy density.

        Parameters
        ----------
        temperature : array_like
            Photon temperature [GeV].
        rho_extra : array_like
            Energy density of new light species [GeV^4] (broadcasting with
            ``temperature``); adds 8 pi rho_extra / (3 M_Pl^2) to H^2.
        """
        t = np.asarray(temperature, dtype=float)
        h_sm = _HUBBLE_PREFACTOR * np.sqrt(self.g_star(t)) * t**2 / const.M_PL
        if np.all(np.asarray(rho_extra) == 0):
            return h_sm
        return np.sqrt(h_sm**2 + 8.0 * math.pi * np.asarray(rho_extra) / (3.0 * const.M_PL**2))

    def entropy_density(self, temperature):
        """Entropy density s = (2 pi^2/45) g*s T^3 [GeV^3]."""
        t = np.asarray(temperature, dtype=float)
        return 2.0 * math.pi**2 / 45.0 * self.g_star_s(t) * t**3

    def dlna_dlnT(self, temperature):
        """d ln a / d ln T = -(1 + (1/3) d ln g*s/d ln T) [dimensionless]."""
        return -(1.0 + self.dln_gs_dlnT(temperature) / 3.0)

    def dt_dlnT(self, temperature, rho_extra=0.0):
        """dt/d ln T = (d ln a/d ln T)/H [GeV^-1] (negative: T falls as t grows).

        ``rho_extra`` [GeV^4] adds the energy density of new light species to H
        (entropy is taken to be the Standard Model's).
        """
        return self.dlna_dlnT(temperature) / self.hubble(temperature, rho_extra)

    def t_nu_over_t(self, temperature):
        """Comoving temperature over plasma temperature, (g*s(T)/g*s_ref)^{1/3}."""
        return np.cbrt(self.g_star_s(temperature) / self.g_s_ref)

    def time(self, temperature, t_high: float = 1e4):
        """Cosmic time t(T) [s], integrating dt/d ln T from ``t_high`` [GeV] (t = 0 there).

        Parameters
        ----------
        temperature : array_like
            Photon temperature [GeV], below ``t_high``.
        t_high : float
            Temperature [GeV] taken as t = 0 (the contribution above it is
            negligible, ~1/(2H(t_high))).
        """
        t = np.atleast_1d(np.asarray(temperature, dtype=float))
        if np.any(t <= 0) or np.any(t > t_high):
            raise QKEInputError(f"temperature: must lie in (0, {t_high}] GeV")
        lnt = np.linspace(math.log(t_high), math.log(t.min()), 4000)
        integrand = -self.dt_dlnT(np.exp(lnt))
        cum = np.concatenate([[0.0], np.cumsum(0.5 * (integrand[1:] + integrand[:-1]) * -np.diff(lnt))])
        # t ~ 1/(2H) at t_high for radiation domination
        cum += 0.5 / self.hubble(t_high)
        out = np.interp(-np.log(t), -lnt, cum) * const.HBAR_GEV_S
        return out.reshape(np.shape(temperature))


@lru_cache(maxsize=None)
def _gstar_splines(table: str):
    """(ln T_min, ln T_max, spline of ln g*, spline of ln g*s) in ln T, built once per table and process."""
    loader = data.gstar_table if table == "saikawa-shirai" else data.laine_schroder_gstar_table
    t, gs, g = loader()
    lnt = np.log(t)
    return (lnt[0], lnt[-1], CubicSpline(lnt, np.log(g)), CubicSpline(lnt, np.log(gs)))


@dataclass(frozen=True)
class StandardCosmology(Cosmology):
    """Standard-Model equation of state from a lattice-based tabulation.

    Parameters
    ----------
    table : {'saikawa-shirai', 'laine-schroder'}
        Source of g*(T), g*s(T): Saikawa & Shirai, JCAP 08 (2020) 011
        (default) or Laine & Schroder, PRD 73 (2006) 085009 (to estimate the
        equation-of-state uncertainty).

    Notes
    -----
    Cubic splines in (ln T, ln g) through the table; outside the tabulated
    range g*, g*s are held at their end values (1e-5 GeV to 4e5 GeV for the
    default table).
    """

    table: str = "saikawa-shirai"
    g_s_ref: float = const.G_S_NU_DECOUPLING

    @property
    def name(self) -> str:
        return "standard" if self.table == "saikawa-shirai" else "laine-schroder"

    def __post_init__(self):
        if self.table not in ("saikawa-shirai", "laine-schroder"):
            raise QKEInputError(f"table: unknown g* table {self.table!r}; "
                                "allowed: saikawa-shirai, laine-schroder")

    @property
    def _splines(self):
        return _gstar_splines(self.table)

    def _lnt(self, temperature):
        lo, hi = self._splines[0], self._splines[1]
        return np.clip(np.log(np.asarray(temperature, dtype=float)), lo, hi)

    def g_star(self, temperature):
        return np.exp(self._splines[2](self._lnt(temperature)))

    def g_star_s(self, temperature):
        return np.exp(self._splines[3](self._lnt(temperature)))

    def dln_gs_dlnT(self, temperature):
        lnt = np.log(np.asarray(temperature, dtype=float))
        lo, hi = self._splines[0], self._splines[1]
        slope = self._splines[3](np.clip(lnt, lo, hi), 1)
        return np.where((lnt < lo) | (lnt > hi), 0.0, slope)


@dataclass(frozen=True)
class ConstantCosmology(Cosmology):
    """The seeds' universe: constant g* = g*s (no entropy release).

    Parameters
    ----------
    g: float
        Constant number of relativistic degrees of freedom [dimensionless],
        used for both the energy and the entropy density. Default 10.75
        (photons, e+-, three neutrinos).

    Notes
    -----
    With constant g*, the comoving momentum equals x = E/T and the seeds'
    fixed-x rate equation (de Gouvea et al. 2020, eq. 3) is exact.
    """

    g: float = const.G_S_NU_DECOUPLING
    name = "constant"

    def __post_init__(self):
        if not (isinstance(self.g, (int, float)) and math.isfinite(self.g) and G_MIN <= self.g <= G_MAX):
            raise QKEInputError(f"gstar: constant g* must lie in [{G_MIN:g}, {G_MAX:g}], got {self.g!r}")

    @property
    def g_s_ref(self) -> float:
        return self.g

    def g_star(self, temperature):
        return np.full(np.shape(temperature), self.g)

    def g_star_s(self, temperature):
        return np.full(np.shape(temperature), self.g)

    def dln_gs_dlnT(self, temperature):
        return np.zeros(np.shape(temperature))


def make_cosmology(name: str = "standard", g: float | None = None) -> Cosmology:
    """Cosmology by name: 'standard' (Saikawa-Shirai), 'laine-schroder' or 'constant'.

    Parameters
    ----------
    name : str
    g : float, optional
        Constant g* for ``name='constant'`` (default 10.75).
    """
    if name == "standard":
        return StandardCosmology()
    if name == "laine-schroder":
        return StandardCosmology(table="laine-schroder")
    if name == "constant":
        return ConstantCosmology() if g is None else ConstantCosmology(g=g)
    raise QKEInputError(f"cosmology: unknown {name!r}; allowed: {', '.join(COSMOLOGIES)}")
