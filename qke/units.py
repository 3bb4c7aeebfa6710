"""Parse unit-bearing quantities at the edges (command line, cards, scan grids).

Inside qke every energy is in GeV; :func:`parse_energy` converts strings such
as ``"7.1keV"`` or ``"10 MeV"``. Units are matched case-sensitively with their
usual spellings (``meV`` is a milli-electronvolt, ``MeV`` a mega-electronvolt),
so a typo such as ``mev`` or ``KeV`` is an error rather than a silent guess.

Examples
--------
>>> round(parse_energy("7.1keV", "m4") * 1e6, 12)
7.1
>>> parse_energy("10MeV", "m_phi")
0.01
>>> parse_energy("0.5meV", "m_phi")
5e-13
>>> format_energy(7.1e-6)
'7.1 keV'
"""
from __future__ import annotations

import math
import re
from decimal import Decimal

from .errors import QKEInputError

#: GeV per unit, case-sensitive.
ENERGY_UNITS = {"meV": 1e-12, "eV": 1e-9, "keV": 1e-6, "MeV": 1e-3, "GeV": 1.0, "TeV": 1e3}

_EXPONENT = {unit: round(math.log10(scale)) for unit, scale in ENERGY_UNITS.items()}
_QUANTITY = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z]+)\s*$")
_UNIT_LIST = ", ".join(ENERGY_UNITS)


def parse_number(text, name: str) -> float:
    """A finite dimensionless number from ``text``; QKEInputError naming ``name`` otherwise."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        raise QKEInputError(f"{name}: not a number: {text!r}") from None
    if not math.isfinite(value):
        raise QKEInputError(f"{name}: must be finite, got {text!r}")
    return value


def parse_energy(text, name: str) -> float:
    """Convert an energy with a unit suffix (meV, eV, keV, MeV, GeV, TeV) to GeV.

    Parameters
    ----------
    text : str or float
        E.g. ``"7.1keV"``. A bare number (string) is refused: a unit is
        required. A Python float is taken to be in GeV already.
    name : str
        Parameter name, used in the error message.

    Returns
    -------
    float
        Energy [GeV].

    Raises
    ------
    QKEInputError
        If the text is malformed, the unit unknown (case matters) or the value not finite.
    """
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        value = float(text)
    else:
        m = _QUANTITY.match(str(text))
        if not m:
            raise QKEInputError(f"{name}: cannot read {text!r}; write a number with a unit, "
                                f"e.g. 7.1keV (units: {_UNIT_LIST})")
        unit = m.group(2)
        if unit not in ENERGY_UNITS:
            hint = [u for u in ENERGY_UNITS if u.lower() == unit.lower()]
            raise QKEInputError(f"{name}: unknown unit {unit!r} in {text!r}; allowed (case-sensitive): "
                                f"{_UNIT_LIST}" + (f" (did you mean {hint[0]}?)" if hint else ""))
        # exact decimal scaling: "7.1keV" gives the float nearest to 7.1e-6
        value = float(Decimal(m.group(1)).scaleb(_EXPONENT[unit]))
    if not math.isfinite(value):
        raise QKEInputError(f"{name}: must be finite, got {text!r}")
    return value


def format_energy(value_gev: float) -> str:
    """Format an energy [GeV] with a readable unit, e.g. 7.1e-06 -> '7.1 keV'."""
    for unit, scale in (("TeV", 1e3), ("GeV", 1.0), ("MeV", 1e-3), ("keV", 1e-6), ("eV", 1e-9)):
        if abs(value_gev) >= scale:
            return f"{value_gev / scale:.4g} {unit}"
    return f"{value_gev / 1e-9:.4g} eV"


def energy_to_text(value_gev: float) -> str:
    """An energy [GeV] as a unit-bearing string that :func:`parse_energy` reads back exactly.

    >>> energy_to_text(7.1e-6)
    '7.1keV'
    """
    for unit, scale in (("GeV", 1.0), ("MeV", 1e-3), ("keV", 1e-6), ("eV", 1e-9)):
        if abs(value_gev) >= scale:
            for digits in (12, 15, 16, 17):
                text = f"{value_gev / scale:.{digits}g}{unit}"
                if parse_energy(text, "energy") == value_gev:
                    return text
            break
    return f"{value_gev!r}GeV"
