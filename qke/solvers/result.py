"""Result of a relic-abundance calculation, shared by the rate-equation and QKE solvers."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

import numpy as np

from .. import __version__
from .. import constants as const
from .core import omega_h2_from_yield, simpson, yield_prefactor  # noqa: F401 (re-exported)

__all__ = ["RelicResult", "yield_from_spectrum", "omega_h2_from_yield", "simpson"]


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
        Sterile occupation numbers on ``y`` (last axis); for separate nu_s and
        nubar_s spectra pass their mean.
    g_s_ref : float
        g*s at which T_nu = T.
    """
    return yield_prefactor(g_s_ref) * simpson(y**2 * f_s, y)


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
        Name of the cosmology ('standard', 'laine-schroder', 'constant').
    y : ndarray
        Comoving momentum grid p/T_nu [dimensionless], T_nu the active-neutrino
        temperature (equal to T before e+- annihilation, after muon annihilation).
    f_s : ndarray
        Sterile occupation number on ``y`` at the end: the mean of the nu_s
        and nubar_s spectra (equal unless the model is nu/nubar-asymmetric).
    f_nu, f_nubar : ndarray
        The nu_s and nubar_s spectra on ``y``.
    temperature : ndarray
        Temperatures of the production history [GeV], decreasing.
    dY_dlnT : ndarray
        Production history -dY/d ln T = dY/d ln z on ``temperature`` [dimensionless].
    yield_ : float
        Y = n_s/s (nu_s + nubar_s) [dimensionless].
    omega_h2 : float
        Omega_s h^2 today (nu_s + nubar_s).
    omega_h2_nu, omega_h2_nubar : float
        The contributions of nu_s and of nubar_s to ``omega_h2``.
    mean_p_over_T : float
        <p>/T_nu of the sterile spectrum [dimensionless] (3.15 for a thermal Fermi-Dirac spectrum).
    settings : dataclass
        The solver's settings with every automatic value resolved
        (:class:`~qke.solvers.rate.RateSettings` or :class:`~qke.solvers.qke.QKESettings`).
    diagnostics : dataclass
        Grid actually used, convergence estimates, production outside the range.
    stats : dataclass
        Solver statistics (wall time [s], evaluations, steps).
    production : ndarray or None
        Production map d f_s/d ln z = -d f_s/d ln T [dimensionless] on
        (``temperature``, ``y``): the sterile occupation produced per e-fold at
        each comoving momentum (mean of nu_s and nubar_s).
    t_nu_over_t : ndarray or None
        T_nu/T at ``temperature`` (to convert y = p/T_nu into x = p/T).
    lepton_asymmetry : ndarray or None
        Lepton asymmetry of the mixing flavour per entropy, L(T), on
        ``temperature`` (with an evolving asymmetry; None otherwise).
    card : dict or None
        The point card that reproduces this result (set by :meth:`qke.cards.Card.run`).
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
    settings: object
    diagnostics: object
    stats: object
    f_nu: np.ndarray | None = None
    f_nubar: np.ndarray | None = None
    production: np.ndarray | None = None
    t_nu_over_t: np.ndarray | None = None
    lepton_asymmetry: np.ndarray | None = None
    card: dict | None = field(default=None)

    def __post_init__(self):
        if self.f_nu is None:
            object.__setattr__(self, "f_nu", self.f_s)
        if self.f_nubar is None:
            object.__setattr__(self, "f_nubar", self.f_s)

    @property
    def omega_h2_nu(self) -> float:
        """Omega h^2 of nu_s alone."""
        return self._omega_of(self.f_nu)

    @property
    def omega_h2_nubar(self) -> float:
        """Omega h^2 of nubar_s alone."""
        return self._omega_of(self.f_nubar)

    def _omega_of(self, f):
        """Share of ``omega_h2`` carried by the spectrum ``f`` (f_nu or f_nubar)."""
        both = simpson(self.y**2 * (self.f_nu + self.f_nubar), self.y)
        return float(self.omega_h2 * simpson(self.y**2 * f, self.y) / both) if both > 0 else 0.0

    @property
    def asymmetric(self) -> bool:
        """Whether separate nu_s and nubar_s spectra were computed."""
        return self.f_nu is not self.f_nubar

    @property
    def dm_fraction(self) -> float:
        """Omega_s h^2 / Omega_DM h^2 (Planck 2018: 0.120)."""
        return self.omega_h2 / const.OMEGA_DM_H2

    @property
    def peak_temperature(self) -> float:
        """Temperature of maximal production per ln T [GeV]."""
        return float(self.temperature[np.argmax(self.dY_dlnT)])

    def production_at(self, x: float):
        """(T [GeV], d f_s/dz [dimensionless]) at fixed x = p/T, z = 1 MeV/T (PRL Fig. 3).

        Interpolates the production map linearly in y = x T/T_nu at each
        temperature; d f_s/dz = (d f_s/d ln z)/z.
        """
        if self.production is None or self.t_nu_over_t is None:
            raise ValueError("production_at: this result has no production map")
        y_at = x / self.t_nu_over_t
        dfs_dlnz = np.array([np.interp(yy, self.y, row, right=0.0) for yy, row in zip(y_at, self.production)])
        z = const.Z_SCALE / self.temperature
        return self.temperature, dfs_dlnz / z

    def with_card(self, card: dict) -> "RelicResult":
        """A copy carrying ``card`` (the point description that reproduces it)."""
        return dataclasses.replace(self, card=card)

    def to_dict(self, include_arrays: bool = False) -> dict:
        """JSON-ready summary (floats and strings; energies in GeV).

        Parameters
        ----------
        include_arrays : bool
            Also include the spectrum and the production history as lists.
        """
        out = {
            "qke_version": __version__,
            "method": self.method,
            "model": self.model.name,
            "parameters": self.model.parameters(),
            "units": {"m4": "GeV", "energies": "GeV", "temperatures": "GeV", "y": "p/T_nu",
                      "wall_time_s": "s"},
            "cosmology": self.cosmology,
            "omega_h2": self.omega_h2,
            "dm_fraction": self.dm_fraction,
            "yield": self.yield_,
            "mean_p_over_T": self.mean_p_over_T,
            "peak_temperature_GeV": self.peak_temperature,
            "settings": dataclasses.asdict(self.settings),
            "diagnostics": dataclasses.asdict(self.diagnostics),
            "stats": dataclasses.asdict(self.stats),
        }
        if self.asymmetric:
            out["omega_h2_nu"] = self.omega_h2_nu
            out["omega_h2_nubar"] = self.omega_h2_nubar
        if self.lepton_asymmetry is not None:
            out["lepton_asymmetry_initial"] = float(self.lepton_asymmetry[0])
            out["lepton_asymmetry_final"] = float(self.lepton_asymmetry[-1])
        if self.card is not None:
            out["card"] = self.card
        if include_arrays:
            out["y"] = self.y.tolist()
            out["f_s"] = self.f_s.tolist()
            if self.asymmetric:
                out["f_nu"] = self.f_nu.tolist()
                out["f_nubar"] = self.f_nubar.tolist()
            out["temperature"] = self.temperature.tolist()
            out["dY_dlnT"] = self.dY_dlnT.tolist()
            if self.lepton_asymmetry is not None:
                out["lepton_asymmetry"] = self.lepton_asymmetry.tolist()
        return out
