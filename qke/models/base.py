"""The model interface (v2) and its registry.

A *model* supplies the physics of the active-sterile system. Solvers see it
only through one typed object, :class:`Coefficients`, evaluated on a grid of
temperatures and momenta by :meth:`Model.coefficients`:

- ``damping``: damping rate Gamma_d of the coherence f12 (f12 decays as
  Gamma_d/2; the rate equation's production rate is (Gamma_d/4) sin^2 2theta_eff);
- ``repopulation``: rate Gamma_r relaxing the active state to equilibrium,
  Gamma_r (f_eq - f11) (QKE only);
- ``v_nu``, ``v_nubar``: thermal potentials of the neutrino and of the
  antineutrino (they differ by a term odd under nu <-> nubar, e.g. a lepton asymmetry);
- ``delta``: vacuum oscillation frequency Delta(p, T) (T-dependent for a
  time-dependent mass);
- ``sin2_2theta``: the mixing sin^2 2theta(T) (T-dependent for axion-assisted mixing);
- ``rho_extra``: energy density of new light species added to H (zero by default);
- ``kernel``: the sterile self-scattering kernel (or ``None``).

A new model subclasses :class:`Model` (a frozen dataclass), overrides the
hooks it needs (:meth:`Model.collision_rate`, :meth:`Model.thermal_potential`,
and optionally :meth:`Model.repopulation_rate`,
:meth:`Model.potential_asymmetry`, :meth:`Model.mixing`, :meth:`Model.delta`,
:meth:`Model.extra_energy_density`, :meth:`Model.production_temperature`)
and registers with :func:`register`; it then runs in both solvers with no
solver change:

>>> from dataclasses import dataclass
>>> @register("example")
... @dataclass(frozen=True)
... class Example(Model):
...     def collision_rate(self, energy, temperature):
...         return 0.0 * energy
...     def thermal_potential(self, energy, temperature):
...         return 0.0 * energy
>>> get_model("example", m4=7.1e-6, sin2_2theta=1e-10).m4
7.1e-06
>>> _ = MODELS.pop("example")

Every model also carries an optional sterile self-interaction (mediator mass
``self_m_phi`` [GeV], coupling ``self_lambda``): it is a model property,
usable with any model, and reaches the QKE as ``Coefficients.kernel``.

Parameters whose dataclass field has ``metadata={"unit": "GeV"}`` are
energies: command lines and cards must give them with a unit.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from functools import cached_property
from typing import Callable

import numpy as np

from ..errors import QKEInputError

#: Registered models: name -> class.
MODELS: dict[str, type["Model"]] = {}

#: Active flavours a model can mix with.
FLAVORS = ("e", "mu", "tau")

#: Smallest sterile mass [GeV] accepted (100 eV: lighter states would be produced
#: after active-neutrino decoupling, where the collision-dominated rates fail).
M4_MIN = 1e-7

#: Largest sterile mass [GeV] accepted (the production temperature must stay
#: within the 10 GeV reach of the rate tables times a few).
M4_MAX = 10.0

#: Largest |L| (lepton-flavour number per entropy) accepted: the plasma response to
#: the asymmetry is linear in mu/T, which stays below ~0.1 up to this value.
LEPTON_ASYMMETRY_MAX = 1e-3

#: Largest m4 / T_peak allowed: the production formulae treat the sterile state
#: as relativistic at production (E ~ 3 T >> m4).
M4_OVER_T_PEAK_MAX = 0.1


def register(name: str) -> Callable[[type], type]:
    """Class decorator adding a :class:`Model` subclass to the registry under ``name``."""

    def deco(cls):
        if name in MODELS and MODELS[name] is not cls:
            raise ValueError(f"model name {name!r} already registered")
        cls.name = name
        MODELS[name] = cls
        return cls

    return deco


def get_model(name: str, **params) -> "Model":
    """Instantiate a registered model by name.

    Parameters
    ----------
    name : str
        Registry name (``qke relic --model NAME``).
    **params
        Fields of the model's dataclass (m4 in GeV, sin2_2theta, flavor, ...).

    Raises
    ------
    QKEInputError
        Unknown model or unknown parameter.
    """
    if name not in MODELS:
        raise QKEInputError(f"model: unknown model {name!r}; available: {', '.join(sorted(MODELS))}")
    cls = MODELS[name]
    allowed = {f.name for f in fields(cls)}
    unknown = sorted(set(params) - allowed)
    if unknown:
        raise QKEInputError(f"{unknown[0]}: not a parameter of model {name!r}; "
                            f"allowed: {', '.join(sorted(allowed))}")
    return cls(**params)


def energy_field(default, doc: str = ""):
    """A dataclass field holding an energy [GeV] (given with a unit on command lines and cards)."""
    return field(default=default, metadata={"unit": "GeV", "doc": doc})


def parameter_unit(cls, name: str) -> str | None:
    """The unit of model parameter ``name`` ('GeV' for energies, None if dimensionless)."""
    for f in fields(cls):
        if f.name == name:
            return f.metadata.get("unit")
    return None


def _check_number(name: str, value, lo: float, hi: float, lo_open=True, unit="") -> float:
    """``value`` as a float within (lo, hi] (or [lo, hi]); QKEInputError naming ``name`` otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise QKEInputError(f"{name}: must be a number, got {value!r}")
    v = float(value)
    ok = math.isfinite(v) and (v > lo if lo_open else v >= lo) and v <= hi
    if not ok:
        bracket = "(" if lo_open else "["
        if unit == " GeV":
            from ..units import format_energy

            raise QKEInputError(f"{name}: must lie in {bracket}{format_energy(lo)}, {format_energy(hi)}], "
                                f"got {format_energy(v) if math.isfinite(v) else v}")
        raise QKEInputError(f"{name}: must lie in {bracket}{lo:g}, {hi:g}]{unit}, got {v:.6g}")
    return v


@dataclass(frozen=True)
class Coefficients:
    """Everything a solver needs from a model, on a grid of (T, p).

    All arrays broadcast to the shape of the momentum grid (e.g. (n_T, n_p)
    with temperatures as a column). Energies and rates in GeV, densities in GeV^4.

    Attributes
    ----------
    damping : ndarray
        Damping rate Gamma_d of the coherence [GeV] (f12 decays as Gamma_d/2).
    repopulation : ndarray
        Repopulation rate Gamma_r of the active state [GeV].
    v_nu, v_nubar : ndarray
        Thermal potentials of nu and nubar [GeV].
    delta : ndarray
        Vacuum oscillation frequency Delta = m4^2/(2p) [GeV].
    sin2_2theta : ndarray
        Mixing sin^2 2theta(T) [dimensionless].
    rho_extra : ndarray
        Energy density of new light species entering H [GeV^4] (0: none).
    kernel : object or None
        Sterile self-scattering kernel (:class:`qke.physics.self_scattering.ScatteringKernel`):
        Gamma_s = K f22 on the momentum grid.
    potential_kernel : object or None
        The sterile state's own potential kernel: V_s = W f22 (enters H0 as V_a - V_s).
    """

    damping: np.ndarray
    repopulation: np.ndarray
    v_nu: np.ndarray
    v_nubar: np.ndarray
    delta: np.ndarray
    sin2_2theta: np.ndarray
    rho_extra: np.ndarray | float = 0.0
    kernel: object | None = None
    potential_kernel: object | None = None

    def potential(self, antineutrino: bool) -> np.ndarray:
        """The potential of nubar (``antineutrino=True``) or of nu [GeV]."""
        return self.v_nubar if antineutrino else self.v_nu

    def items(self):
        """(name, array) pairs of the numerical fields (for finiteness checks)."""
        for name in ("damping", "repopulation", "v_nu", "v_nubar", "delta", "sin2_2theta", "rho_extra"):
            yield name, getattr(self, name)


@dataclass(frozen=True)
class Model:
    """Base class of all models: one sterile neutrino mixing with one active flavour.

    Parameters
    ----------
    m4 : float
        Sterile-neutrino mass [GeV]; must stay well below the temperature of
        peak production (m4 <= 0.1 T_peak, relativistic production).
    sin2_2theta : float
        Vacuum mixing sin^2 2theta, in (0, 1].
    flavor : {'e', 'mu', 'tau'}
        Active flavour the sterile state mixes with.
    self_m_phi : float, optional
        Mass [GeV] of a mediator of sterile self-interactions (must exceed m4);
        None: no self-interaction.
    self_lambda : float
        Coupling of the sterile self-interaction, in (0, 4 pi] when ``self_m_phi`` is set.
    self_narrow_width : bool
        Narrow-width cross section for the self-interaction (notes eq. 33).
    self_potential : bool
        Include the sterile state's own forward-scattering potential V_s[f22]
        (derivations/sterile_potential.py) with the self-interaction (default);
        False keeps only the damping Gamma_s[f22].
    lepton_asymmetry : float
        Initial lepton asymmetry of the mixing flavour per entropy density,
        L = (lepton-flavour number density)/s (neutrinos plus charged leptons
        of that flavour; the literature's L_6 is 1e6 L), in [-1e-3, 1e-3]
        (linear plasma response, mu/T << 1). It evolves as sterile states
        are produced (:mod:`qke.solvers.rate_asymmetry`). 0: none.

    Subclasses implement :meth:`collision_rate` and :meth:`thermal_potential`
    (vectorised over arrays of energies and temperatures that broadcast together).
    """

    m4: float = energy_field(7.1e-6, "sterile mass")
    sin2_2theta: float = 1e-10
    flavor: str = "mu"
    self_m_phi: float | None = energy_field(None, "mediator mass of the sterile self-interaction")
    self_lambda: float | None = None
    self_narrow_width: bool = False
    self_potential: bool = True
    lepton_asymmetry: float = 0.0

    name = "base"
    #: Momentum grid of the rate equation: 'uniform' in y = p/T_nu, or 'graded'
    #: (y = y_max s^2, uniform in s) for models whose spectra are cold (most
    #: production at p/T < 1), which a uniform grid resolves only with many bins.
    momentum_grid = "uniform"

    def __post_init__(self):
        _check_number("m4", self.m4, M4_MIN, M4_MAX, lo_open=False, unit=" GeV")
        _check_number("sin2_2theta", self.sin2_2theta, 0.0, 1.0)
        if self.flavor not in FLAVORS:
            raise QKEInputError(f"flavor: unknown flavour {self.flavor!r}; allowed: {', '.join(FLAVORS)}")
        t_peak = self.production_temperature()
        if self.m4 > M4_OVER_T_PEAK_MAX * t_peak:
            raise QKEInputError(f"m4: must be at most {M4_OVER_T_PEAK_MAX:g} x the peak-production "
                                f"temperature ({t_peak * 1e3:.4g} MeV) for relativistic production, "
                                f"got {self.m4 * 1e3:.4g} MeV")
        self._check_self_interaction()
        _check_number("lepton_asymmetry", self.lepton_asymmetry, -LEPTON_ASYMMETRY_MAX, LEPTON_ASYMMETRY_MAX,
                      lo_open=False)

    def _check_self_interaction(self):
        if self.self_m_phi is None and self.self_lambda is None:
            return
        if self.self_m_phi is None or self.self_lambda is None:
            raise QKEInputError("self_m_phi: give both self_m_phi and self_lambda for a sterile self-interaction")
        _check_number("self_m_phi", self.self_m_phi, self.m4, 1e4, unit=" GeV")
        _check_number("self_lambda", self.self_lambda, 0.0, 4 * math.pi)

    # --- physics hooks ------------------------------------------------------
    def collision_rate(self, energy, temperature):
        """Total collision rate Gamma_a of the active neutrino [GeV].

        Parameters
        ----------
        energy : array_like
            Neutrino energy E [GeV].
        temperature : array_like
            Plasma temperature T [GeV]; broadcasts with ``energy``.
        """
        raise NotImplementedError

    def thermal_potential(self, energy, temperature):
        """Thermal potential V_T of the active neutrino, even under nu <-> nubar [GeV]."""
        raise NotImplementedError

    def potential_asymmetry(self, energy, temperature):
        """Potential term odd under nu <-> nubar [GeV] (v_nu = V_T + V_odd, v_nubar = V_T - V_odd); None: zero."""
        return None

    def asymmetry_response(self, temperature):
        """Plasma response to a lepton asymmetry of the mixing flavour, at temperatures T [GeV].

        Returns
        -------
        (dV/d ell, dmu/d ell) : tuple of ndarray
            The potential term of the active neutrino odd under nu <-> nubar,
            V_odd = (dV/d ell) ell [GeV], and its chemical potential
            mu = (dmu/d ell) ell [GeV], per unit ell = L_alpha/T^3 (flavour lepton
            number density over T^3). Default: the Standard-Model plasma with
            lattice-QCD susceptibilities (:mod:`qke.physics.lepton_asymmetry`;
            Venumadhav et al., PRD 94 (2016) 043515). Models with new charged
            species override it.
        """
        from ..physics.lepton_asymmetry import (chemical_potential_per_asymmetry,
                                                 potential_per_asymmetry)

        return (potential_per_asymmetry(self.flavor, temperature),
                chemical_potential_per_asymmetry(self.flavor, temperature))

    def repopulation_rate(self, energy, temperature, damping):
        """Repopulation rate of the active state [GeV]; default: the damping rate ``damping``."""
        return damping

    def mixing(self, temperature):
        """Mixing sin^2 2theta at temperature T [GeV] [dimensionless]; constant by default."""
        return np.full(np.shape(temperature), self.sin2_2theta)

    def delta(self, energy, temperature=None):
        """Vacuum oscillation frequency Delta = m4^2/(2E) [GeV] (may depend on T in subclasses)."""
        return self.m4**2 / (2.0 * np.asarray(energy, dtype=float))

    def kink_temperatures(self) -> tuple:
        """Temperatures [GeV] where the coefficients have a kink (a jump of their T-derivative).

        The rate equation puts a boundary of its Simpson panels (on both its grids)
        at the first one inside its range, so that the kink costs no accuracy.
        Default: none.
        """
        return ()

    def extra_energy_density(self, temperature):
        """Energy density of new light species to add to H [GeV^4]; None: none (default)."""
        return None

    def production_temperature(self) -> float:
        """Estimate of the temperature of peak production [GeV], used to place solver ranges.

        Default: the Dodelson-Widrow estimate T_max ~ 133 MeV (m4/keV)^{1/3}
        (Berlin & Hooper 2017, below eq. 9). Models with other production
        epochs override it.
        """
        return 0.133 * (self.m4 / 1e-6) ** (1.0 / 3.0)

    # --- what the solvers call ----------------------------------------------
    def coefficients(self, temperature, momentum) -> Coefficients:
        """All solver inputs at temperatures ``temperature`` and momenta ``momentum`` [GeV] (broadcasting)."""
        t = np.asarray(temperature, dtype=float)
        p = np.asarray(momentum, dtype=float)
        gamma = self.collision_rate(p, t)
        v_even = self.thermal_potential(p, t)
        v_odd = self.potential_asymmetry(p, t)
        v_nu, v_nubar = (v_even, v_even) if v_odd is None else (v_even + v_odd, v_even - v_odd)
        rho = self.extra_energy_density(t)
        return Coefficients(
            damping=gamma, repopulation=self.repopulation_rate(p, t, gamma),
            v_nu=v_nu, v_nubar=v_nubar, delta=self.delta(p, t), sin2_2theta=self.mixing(t),
            rho_extra=0.0 if rho is None else rho, kernel=self.self_scattering_kernel,
            potential_kernel=self.sterile_potential_kernel)

    @property
    def asymmetric(self) -> bool:
        """Whether nu and nubar see different potentials (separate sterile spectra needed)."""
        return type(self).potential_asymmetry is not Model.potential_asymmetry or self.lepton_asymmetry != 0

    @property
    def dynamical_asymmetry(self) -> bool:
        """Whether a lepton asymmetry evolves with production (couples the nu_s and nubar_s spectra)."""
        return self.lepton_asymmetry != 0

    @property
    def self_interaction(self):
        """The sterile self-interaction (:class:`SterileSelfInteraction`) or None."""
        if self.self_m_phi is None:
            return None
        from ..physics.self_scattering import SterileSelfInteraction

        return SterileSelfInteraction(m_phi=self.self_m_phi, lam=self.self_lambda,
                                      narrow_width=self.self_narrow_width)

    @cached_property
    def self_scattering_kernel(self):
        """The self-scattering kernel, built once per model instance (None without self-interaction).

        Tabulated for s from 1e-26 to 1e10 GeV^2 (momenta 1e-13 to 1e5 GeV), which covers
        every temperature range the solvers accept.
        """
        si = self.self_interaction
        return None if si is None else si.kernel(s_min=1e-26, s_max=1e10)

    @cached_property
    def sterile_potential_kernel(self):
        """The kernel W of the sterile self-potential V_s = W f22 [GeV per unit occupation], or None.

        :class:`qke.physics.sterile_potential.SterilePotentialKernel` (closed form, any
        mediator mass; sign: V_s is the sterile state's energy shift, H0_11 - H0_22 =
        V_a - V_s - Delta cos 2theta). None without a self-interaction or with
        ``self_potential=False``.
        """
        si = self.self_interaction
        if si is None or not self.self_potential:
            return None
        from ..physics.sterile_potential import SterilePotentialKernel

        return SterilePotentialKernel.from_self_interaction(si)

    def parameters(self) -> dict:
        """All fields as a plain dict (for JSON output); energies in GeV."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
