"""Physics models: collision rates, thermal potentials and mixing of the active neutrino.

To add a model (e.g. a new mediator), write a module here with a frozen
dataclass subclassing :class:`~qke.models.base.Model`, decorate it with
``@register("name")`` and import it below; ``qke relic --model name`` then
finds it. The solvers use only :meth:`Model.collision_rate`,
:meth:`Model.thermal_potential`, :meth:`Model.mixing` and :meth:`Model.delta`.
"""
from .base import FLAVORS, MODELS, Model, get_model, register
from . import sm  # noqa: F401  (registers 'sm')

__all__ = ["FLAVORS", "MODELS", "Model", "get_model", "register"]
