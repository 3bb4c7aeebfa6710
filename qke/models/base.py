"""The model interface and its registry.

A *model* supplies the physics of the active-sterile system: the active
neutrino's collision rate Gamma(E, T), its thermal potential V_T(E, T) and the
(vacuum or time-dependent) mixing sin^2 2theta(T). Solvers know nothing else
about models. Models are immutable frozen dataclasses; new ones subclass
:class:`Model` and register with :func:`register`:

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
"""
from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import Callable

import numpy as np

from ..errors import QKEInputError

#: Registered models: name -> class.
MODELS: dict[str, type["Model"]] = {}

#: Active flavours a model can mix with.
FLAVORS = ("e", "mu", "tau")


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
    unknown = set(params) - allowed
    if unknown:
        raise QKEInputError(f"model {name!r}: unknown parameter(s) {sorted(unknown)}; "
                            f"allowed: {sorted(allowed)}")
    return cls(**params)


@dataclass(frozen=True)
class Model:
    """Base class of all models: one sterile neutrino mixing with one active flavour.

    Parameters
    ----------
    m4 : float
        Sterile-neutrino mass [GeV], 0 < m4 <= 1 MeV (the rate equation
        assumes a relativistic sterile state at production).
    sin2_2theta : float
        Vacuum mixing sin^2 2theta, in (0, 1].
    flavor : {'e', 'mu', 'tau'}
        Active flavour the sterile state mixes with.

    Subclasses implement :meth:`collision_rate` and :meth:`thermal_potential` (vectorised over
    arrays of energies and temperatures that broadcast together) and may
    override :meth:`mixing` for a time-dependent mixing angle.
    """

    m4: float = 7.1e-6
    sin2_2theta: float = 1e-10
    flavor: str = "mu"

    name = "base"
    #: Largest m4 [GeV] for which the relativistic production formulae hold.
    M4_MAX = 1e-3

    def __post_init__(self):
        if not (isinstance(self.m4, (int, float)) and math.isfinite(self.m4) and self.m4 > 0):
            raise QKEInputError(f"m4: sterile mass must be positive, got {self.m4!r} GeV")
        if self.m4 > self.M4_MAX:
            raise QKEInputError(f"m4: must be at most {self.M4_MAX * 1e3:g} MeV "
                                f"(relativistic production), got {self.m4 * 1e3:g} MeV")
        if not (math.isfinite(self.sin2_2theta) and 0.0 < self.sin2_2theta <= 1.0):
            raise QKEInputError(f"sin2_2theta: must lie in (0, 1], got {self.sin2_2theta!r}")
        if self.flavor not in FLAVORS:
            raise QKEInputError(f"flavor: unknown flavour {self.flavor!r}; allowed: {', '.join(FLAVORS)}")

    # --- physics supplied by the model -------------------------------------
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
        """Thermal potential V_T of the active neutrino [GeV] (same arguments as :meth:`collision_rate`)."""
        raise NotImplementedError

    def mixing(self, temperature):
        """Vacuum mixing sin^2 2theta at temperature T [dimensionless]; constant by default."""
        return np.full(np.shape(temperature), self.sin2_2theta)

    # --- helpers for solvers -----------------------------------------------
    def delta(self, energy):
        """Vacuum oscillation frequency Delta = m4^2/(2E) [GeV]."""
        return self.m4**2 / (2.0 * np.asarray(energy, dtype=float))

    def peak_temperature_estimate(self) -> float:
        """Rough temperature of peak production [GeV], used to place solver grids.

        Default: the Dodelson-Widrow estimate T_max ~ 133 MeV (m4/keV)^{1/3}
        (Berlin & Hooper 2017, below eq. 9). Models with other production
        epochs override it.
        """
        return 0.133 * (self.m4 / 1e-6) ** (1.0 / 3.0)

    def parameters(self) -> dict:
        """All fields as a plain dict (for JSON output); energies in GeV."""
        return {f.name: getattr(self, f.name) for f in fields(self)}
