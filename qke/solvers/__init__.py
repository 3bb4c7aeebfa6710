"""Solvers of the sterile-neutrino production: the averaged rate equation and the QKE.

Both consume the same :class:`qke.models.base.Coefficients` and share
:mod:`qke.solvers.core`; neither imports the other. :data:`SOLVERS` is the
registry by method name:

>>> from qke.models import get_model
>>> res = solve(get_model("sm", m4=7.1e-6, sin2_2theta=2e-9), method="rate")
>>> res.method, res.cosmology
('rate', 'standard')
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..errors import QKEInputError


@dataclass(frozen=True)
class SolverEntry:
    """A registered solver: its module, solve function and settings class (imported on first use)."""

    name: str
    module: str
    function: str
    settings_class: str
    description: str

    def _load(self, attr: str):
        import importlib

        return getattr(importlib.import_module(self.module, __name__), attr)

    @property
    def solve(self) -> Callable:
        """``solve(model, cosmology, settings) -> RelicResult``."""
        return self._load(self.function)

    @property
    def settings(self) -> type:
        """The solver's settings dataclass."""
        return self._load(self.settings_class)


#: Registered solvers by method name (modules imported only when a solver is used).
SOLVERS: dict[str, SolverEntry] = {
    "rate": SolverEntry("rate", ".rate", "solve_rate", "RateSettings", "averaged rate equation (Dodelson-Widrow)"),
    "qke": SolverEntry("qke", ".qke", "solve_qke", "QKESettings", "density-matrix (QKE) equations"),
}


def get_solver(method: str) -> SolverEntry:
    """The registered solver ``method`` ('rate' or 'qke'); QKEInputError naming ``method`` otherwise."""
    if method not in SOLVERS:
        raise QKEInputError(f"method: unknown {method!r}; allowed: {', '.join(SOLVERS)}")
    return SOLVERS[method]


def solve(model, method: str = "rate", cosmology=None, settings=None):
    """Solve ``model`` with the solver ``method`` and return its :class:`~qke.solvers.result.RelicResult`.

    Parameters
    ----------
    model : qke.models.Model
    method : {'rate', 'qke'}
    cosmology : qke.cosmology.Cosmology, optional
        Default: the standard cosmology.
    settings : RateSettings or QKESettings, optional
        Must be the chosen solver's settings class.
    """
    entry = get_solver(method)
    if settings is not None and not isinstance(settings, entry.settings):
        raise QKEInputError(f"settings: method {method!r} takes {entry.settings.__name__}, "
                            f"got {type(settings).__name__}")
    return entry.solve(model, cosmology, settings)
