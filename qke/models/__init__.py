"""Physics models: collision rates, thermal potentials and mixing of the active neutrino.

To add a model (e.g. a new mediator), write a module here with a frozen
dataclass subclassing :class:`~qke.models.base.Model`, decorate it with
``@register("name")`` and import it below; ``qke relic --model name`` then
finds it. The solvers see a model only through :meth:`Model.coefficients`,
which returns one typed :class:`~qke.models.base.Coefficients` object.
"""
from .base import FLAVORS, MODELS, Coefficients, Model, get_model, register
from . import sm  # noqa: F401  (registers 'sm')
from . import scalar  # noqa: F401
from . import axion  # noqa: F401
from . import vector  # noqa: F401  (registers vector-nu, vector-lmu-ltau, vector-b-l)

__all__ = ["FLAVORS", "MODELS", "Coefficients", "Model", "get_model", "register"]
