"""Point cards: one calculation (model, parameters with units, cosmology, method, settings) as TOML.

A card is the complete, resolved description of a point: running it again
gives the same result, and every JSON output embeds the card that produced it.
Energies are written with units (``m4 = "7.1keV"``); inside the code they are
GeV. Example (``qke relic ... --save-config point.toml`` writes one)::

    # qke point card
    method = "rate"

    [model]
    name = "sm"
    m4 = "7.1keV"
    sin2_2theta = 2e-09
    flavor = "mu"

    [cosmology]
    name = "standard"

    [settings]
    rtol = 0.0003

>>> card = Card.from_toml_text('method = "rate"\\n[model]\\nname = "sm"\\nm4 = "7.1keV"\\n')
>>> card.parameters["m4"]
7.1e-06
>>> Card.from_toml_text(card.to_toml()) == card
True
"""
from __future__ import annotations

import dataclasses
import logging
import math
import sys
from dataclasses import dataclass, field, fields
from typing import Any

from . import __version__
from .errors import QKEInputError
from .units import energy_to_text, parse_energy, parse_number

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

log = logging.getLogger(__name__)

#: Settings given as energies (temperatures), by name.
ENERGY_SETTINGS = ("t_high", "t_low")
#: Model parameters set by their own options, not by -P.
CORE_PARAMETERS = ("m4", "sin2_2theta", "flavor")


def _model_class(name: str):
    from .models import MODELS

    if name not in MODELS:
        raise QKEInputError(f"model: unknown model {name!r}; available: {', '.join(sorted(MODELS))}")
    return MODELS[name]


def _field_kind(f) -> str:
    """'energy', 'bool', 'str' or 'number' for a dataclass field."""
    if f.metadata.get("unit") == "GeV":
        return "energy"
    text = str(f.type)
    if "bool" in text:
        return "bool"
    if "str" in text:
        return "str"
    if "int" in text and "float" not in text:
        return "int"
    return "number"


def _convert(kind: str, name: str, value):
    """A card or command-line value converted to the field's type (energies to GeV, with units required)."""
    if kind == "energy":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            raise QKEInputError(f"{name}: an energy needs a unit, e.g. {name}=10MeV (got {value!r})")
        return parse_energy(value, name)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "1", "on"):
            return True
        if text in ("false", "no", "0", "off"):
            return False
        raise QKEInputError(f"{name}: must be true or false, got {value!r}")
    if kind == "str":
        if not isinstance(value, str):
            raise QKEInputError(f"{name}: must be a word, got {value!r}")
        return value
    if kind == "int":
        number = parse_number(value, name)
        if number != int(number):
            raise QKEInputError(f"{name}: must be an integer, got {value!r}")
        return int(number)
    if isinstance(value, bool):
        raise QKEInputError(f"{name}: must be a number, got {value!r}")
    return parse_number(value, name)


def model_parameter(model_name: str, name: str, value):
    """Convert one model parameter (``-P name=value`` or a card entry) to its internal value.

    Raises
    ------
    QKEInputError
        Unknown parameter, energy without a unit, or malformed value.
    """
    cls = _model_class(model_name)
    for f in fields(cls):
        if f.name == name:
            return _convert(_field_kind(f), name, value)
    allowed = ", ".join(f.name for f in fields(cls))
    raise QKEInputError(f"{name}: not a parameter of model {model_name!r}; allowed: {allowed}")


def solver_setting(method: str, name: str, value):
    """Convert one solver setting to its internal value (temperatures need units).

    Raises
    ------
    QKEInputError
        If ``name`` is not a setting of ``method`` (options that do not apply are refused).
    """
    from .solvers import get_solver

    entry = get_solver(method)
    for f in fields(entry.settings):
        if f.name == name:
            if value is None:
                return None
            kind = "energy" if name in ENERGY_SETTINGS else _field_kind(f)
            return _convert(kind, name, value)
    allowed = ", ".join(f.name for f in fields(entry.settings))
    raise QKEInputError(f"{name}: does not apply to method {method!r} (its settings: {allowed})")


@dataclass(frozen=True)
class Card:
    """A fully described point.

    Attributes
    ----------
    model : str
        Registered model name.
    parameters : dict
        Model parameters (energies in GeV), including m4, sin2_2theta and flavor.
    method : str
        Solver name ('rate' or 'qke').
    cosmology : str
        'standard', 'laine-schroder' or 'constant'.
    gstar : float or None
        g* of the constant cosmology.
    settings : dict
        Solver settings that differ from the defaults (temperatures in GeV).
    """

    model: str = "sm"
    parameters: dict = field(default_factory=dict)
    method: str = "rate"
    cosmology: str = "standard"
    gstar: float | None = None
    settings: dict = field(default_factory=dict)

    # --- construction -------------------------------------------------------
    @classmethod
    def from_mapping(cls, data: dict) -> "Card":
        """A card from a parsed TOML/JSON mapping (energies as unit strings)."""
        unknown = sorted(set(data) - {"method", "model", "cosmology", "settings", "qke_version"})
        if unknown:
            raise QKEInputError(f"{unknown[0]}: unknown card section; allowed: method, model, cosmology, settings")
        model = dict(data.get("model", {}))
        name = model.pop("name", "sm")
        method = data.get("method", "rate")
        cosmo = dict(data.get("cosmology", {}))
        cosmo_name = cosmo.pop("name", "standard")
        gstar = cosmo.pop("gstar", None)
        if cosmo:
            raise QKEInputError(f"{sorted(cosmo)[0]}: unknown cosmology entry; allowed: name, gstar")
        params = {k: model_parameter(name, k, v) for k, v in model.items()}
        settings = {k: solver_setting(method, k, v) for k, v in dict(data.get("settings", {})).items()}
        return cls(model=name, parameters=params, method=method, cosmology=cosmo_name,
                   gstar=None if gstar is None else parse_number(gstar, "gstar"), settings=settings)

    @classmethod
    def from_toml_text(cls, text: str) -> "Card":
        """A card from TOML text."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise QKEInputError(f"config: not valid TOML: {exc}") from None
        return cls.from_mapping(data)

    @classmethod
    def from_toml(cls, path) -> "Card":
        """A card from a TOML file."""
        try:
            with open(path, "rb") as fh:
                text = fh.read().decode("utf-8")
        except OSError as exc:
            raise QKEInputError(f"config: cannot read {str(path)!r}: {exc.strerror}") from None
        return cls.from_toml_text(text)

    def replace(self, **changes) -> "Card":
        """A copy with fields changed (``parameters``/``settings`` merged, not replaced)."""
        params = dict(self.parameters, **changes.pop("parameters", {}))
        settings = dict(self.settings, **changes.pop("settings", {}))
        return dataclasses.replace(self, parameters=params, settings=settings, **changes)

    def with_value(self, name: str, value) -> "Card":
        """A copy with one model parameter or solver setting set (internal units: GeV)."""
        cls = _model_class(self.model)
        if name in {f.name for f in fields(cls)}:
            return self.replace(parameters={name: value})
        solver_setting(self.method, name, None)  # raises if not a setting
        return self.replace(settings={name: value})

    # --- output ---------------------------------------------------------------
    def to_mapping(self) -> dict[str, Any]:
        """JSON/TOML-ready mapping; energies as unit strings, so that it reads back exactly."""
        cls = _model_class(self.model)
        kinds = {f.name: _field_kind(f) for f in fields(cls)}
        model = {"name": self.model}
        for k, v in self.parameters.items():
            model[k] = energy_to_text(v) if kinds.get(k) == "energy" and v is not None else v
        cosmo = {"name": self.cosmology}
        if self.gstar is not None:
            cosmo["gstar"] = self.gstar
        settings = {k: (energy_to_text(v) if k in ENERGY_SETTINGS and v is not None else v)
                    for k, v in self.settings.items()}
        return {"method": self.method, "model": model, "cosmology": cosmo, "settings": settings}

    def to_toml(self) -> str:
        """The card as TOML text (None values are left out: they mean 'automatic' or 'off')."""
        data = self.to_mapping()
        lines = [f"# qke {__version__} point card", f"method = {_toml_value(data['method'])}"]
        for section in ("model", "cosmology", "settings"):
            lines += ["", f"[{section}]"]
            lines += [f"{k} = {_toml_value(v)}" for k, v in data[section].items() if v is not None]
        return "\n".join(lines) + "\n"

    def write(self, path) -> None:
        """Write the card to ``path`` as TOML."""
        try:
            with open(path, "w") as fh:
                fh.write(self.to_toml())
        except OSError as exc:
            raise QKEInputError(f"save-config: cannot write {str(path)!r}: {exc.strerror}") from None

    # --- running ------------------------------------------------------------
    def build(self):
        """(model, cosmology, settings) objects for the solver."""
        from .cosmology import make_cosmology
        from .models import get_model
        from .solvers import get_solver

        entry = get_solver(self.method)
        if self.gstar is not None and self.cosmology != "constant":
            raise QKEInputError("gstar: only meaningful with cosmology 'constant'")
        model = get_model(self.model, **self.parameters)
        settings = entry.settings(**{k: v for k, v in self.settings.items() if v is not None})
        settings.validate()
        return model, make_cosmology(self.cosmology, self.gstar), settings

    def run(self):
        """Solve the point; the :class:`~qke.solvers.result.RelicResult` carries this card."""
        from .solvers import solve

        model, cosmology, settings = self.build()
        log.info("solving model %s (%s) with method %s, cosmology %s", self.model,
                 ", ".join(f"{k}={v}" for k, v in self.to_mapping()["model"].items() if k != "name"),
                 self.method, self.cosmology)
        return solve(model, self.method, cosmology, settings).with_card(self.to_mapping())


def _toml_value(v) -> str:
    """A TOML literal for a string, bool, int or float."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise QKEInputError(f"card: cannot write non-finite value {v!r}")
        return repr(v)
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'
