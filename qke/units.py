"""Parse unit-bearing quantities at the edges (command line, user input).

Inside qke every energy is in GeV; :func:`parse_energy` converts strings such
as ``"7.1keV"`` or ``"10 MeV"``.

Examples
--------
>>> round(parse_energy("7.1keV", "m4") * 1e6, 12)
7.1
>>> parse_energy("10MeV", "m_phi")
0.01
"""
from __future__ import annotations

import math
import re

from .errors import QKEInputError

#: GeV per unit.
ENERGY_UNITS = {"ev": 1e-9, "kev": 1e-6, "mev": 1e-3, "gev": 1.0, "tev": 1e3}

_QUANTITY = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z]+)\s*$")


def parse_energy(text, name: str) -> float:
    """Convert an energy with a unit suffix (eV, keV, MeV, GeV, TeV) to GeV.

    Parameters
    ----------
    text : str or float
        E.g. ``"7.1keV"``. A bare number is refused (a unit is required) unless
        it is already a float, which is taken to be in GeV.
    name : str
        Parameter name, used in the error message.

    Returns
    -------
    float
        Energy [GeV].

    Raises
    ------
    QKEInputError
        If the text is malformed or the unit unknown.
    """
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        m = _QUANTITY.match(str(text))
        if not m:
            raise QKEInputError(f"{name}: cannot read {text!r}; write a number with a unit, "
                                f"e.g. 7.1keV (units: eV, keV, MeV, GeV, TeV)")
        unit = m.group(2).lower()
        if unit not in ENERGY_UNITS:
            raise QKEInputError(f"{name}: unknown unit {m.group(2)!r} in {text!r}; "
                                "allowed: eV, keV, MeV, GeV, TeV")
        value = float(m.group(1)) * ENERGY_UNITS[unit]
    if not math.isfinite(value):
        raise QKEInputError(f"{name}: must be finite, got {text!r}")
    return value


def format_energy(value_gev: float) -> str:
    """Format an energy [GeV] with a readable unit, e.g. 7.1e-06 -> '7.1 keV'."""
    for unit, scale in (("GeV", 1.0), ("MeV", 1e-3), ("keV", 1e-6), ("eV", 1e-9)):
        if abs(value_gev) >= scale or unit == "eV":
            return f"{value_gev / scale:.4g} {unit}"
    raise AssertionError("unreachable")
