"""Result of a relic-abundance calculation, shared by the rate-equation and QKE solvers."""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .. import constants as const


def yield_from_spectrum(y, f_s, g_s_ref: float) -> float:
    """Sterile yield Y = n_s/s from the comoving spectrum [dimensionless].

    n_s counts nu_s and nubar_s (two helicities), n_s = 2 int d^3p/(2pi)^3 f_s,
    with p = y T_nu and s = (2 pi^2/45) g*s T^3, T_nu^3 = T^3 g*s/g*s_ref, so
    Y = 45/(2 pi^4 g*s_ref) int y^2 f_s dy, independent of when it is evaluated
    once production has stopped.

    Parameters
    ----------
    y : ndarray
        Comoving momentum p/T_nu (uniform grid starting at 0, odd length for Simpson).
    f_s : ndarray
        Sterile occupation numbers on ``y`` (last axis).
    g_s_ref : float
        g*s at which T_nu = T.
    """
    return 45.0 / (2.0 * math.pi**4 * g_s_ref) * simpson(y**2 * f_s, y)


def simpson(f, x, axis=-1):
    """Composite Simpson rule on a uniform grid with an even number of intervals."""
    f = np.moveaxis(np.asarray(f), axis, -1)
    n = f.shape[-1] - 1
    if n % 2 or n < 2:
        raise ValueError("simpson: needs an odd number (>= 3) of uniformly spaced points")
    h = (x[-1] - x[0]) / n
    return h / 3.0 * (f[..., 0] + f[..., -1] + 4.0 * f[..., 1:-1:2].sum(-1) + 2.0 * f[..., 2:-1:2].sum(-1))


def omega_h2_from_yield(yield_: float, m4: float) -> float:
    """Omega h^2 = Y s0 m4 / (rho_c/h^2), with m4 in GeV (de Gouvea et al. 2020, below eq. 4)."""
    return yield_ * const.S0_CM3 * m4 / const.RHO_CRIT_H2_GEV_CM3


@dataclass(frozen=True)
class RelicResult:
    """Sterile-neutrino relic abundance and spectrum.

    Attributes
    ----------
    method : str
        'rate' (averaged Dodelson-Widrow rate equation) or 'qke' (density matrix).
    model : qke.models.Model
        The model solved (holds m4 [GeV], sin2_2theta, flavour, options).
    cosmology : str
        Name of the cosmology ('standard', 'constant', ...).
    y : ndarray
        Comoving momentum grid p/T_nu [dimensionless], T_nu the active-neutrino
        temperature (equal to T before e+- annihilation, after muon annihilation).
    f_s : ndarray
        Sterile occupation number (each helicity) on ``y`` at the end.
    temperature : ndarray
        Temperatures of the production history [GeV], decreasing.
    dY_dlnT : ndarray
        Production history -dY/d ln T = dY/d ln z on ``temperature`` [dimensionless].
    yield_ : float
        Y = n_s/s (nu_s + nubar_s) [dimensionless].
    omega_h2 : float
        Omega_s h^2 today.
    mean_p_over_T : float
        <p>/T_nu of the sterile spectrum [dimensionless] (3.15 for a thermal Fermi-Dirac spectrum).
    settings : dict
        Every resolved solver parameter (temperature range [GeV], grids, tolerances)
        and the convergence estimate.
    stats : dict
        Solver statistics (wall time [s], function evaluations, ...).
    """

    method: str
    model: object
    cosmology: str
    y: np.ndarray
    f_s: np.ndarray
    temperature: np.ndarray
    dY_dlnT: np.ndarray
    yield_: float
    omega_h2: float
    mean_p_over_T: float
    settings: dict = field(default_factory=dict)
    stats: dict = field(default_factory=dict)

    @property
    def dm_fraction(self) -> float:
        """Omega_s h^2 / Omega_DM h^2 (Planck 2018: 0.120)."""
        return self.omega_h2 / const.OMEGA_DM_H2

    @property
    def peak_temperature(self) -> float:
        """Temperature of maximal production per ln T [GeV]."""
        return float(self.temperature[np.argmax(self.dY_dlnT)])

    def to_dict(self, include_arrays: bool = False) -> dict:
        """JSON-ready summary (floats and strings; energies in GeV).

        Parameters
        ----------
        include_arrays : bool
            Also include the spectrum and the production history as lists.
        """
        out = {
            "method": self.method,
            "model": self.model.name,
            "parameters": self.model.parameters(),
            "units": {"m4": "GeV", "temperatures": "GeV", "y": "p/T_nu"},
            "cosmology": self.cosmology,
            "omega_h2": self.omega_h2,
            "dm_fraction": self.dm_fraction,
            "yield": self.yield_,
            "mean_p_over_T": self.mean_p_over_T,
            "peak_temperature_GeV": self.peak_temperature,
            "settings": self.settings,
            "stats": self.stats,
        }
        if include_arrays:
            out["y"] = self.y.tolist()
            out["f_s"] = self.f_s.tolist()
            out["temperature"] = self.temperature.tolist()
            out["dY_dlnT"] = self.dY_dlnT.tolist()
        return out
