"""Scan axes from text, and the points of a grid.

An axis is written ``NAME=START:STOP:SCALE:N`` (SCALE ``log`` or ``lin``, N >= 2
values, both ends included) or ``NAME=v1,v2,...`` (an explicit list). Values may
carry units; they are converted by a caller-supplied ``parse_value(name, text)``
(default: plain :func:`float`), so the project's energy parser gives GeV.

Points are plain dicts. Keys that start with an underscore are bookkeeping
(:data:`INDEX_KEY`, the grid index), not parameters: the result store does not
hash them and the executors do not pass them to the evaluator.

Examples
--------
>>> ax = parse_axis("coupling=1e-6:1:log:7")
>>> ax.name, ax.scale, ax.values[[0, -1]].tolist(), len(ax)
('coupling', 'log', [1e-06, 1.0], 7)
>>> parse_axis("n=1,2,3").values.tolist()
[1.0, 2.0, 3.0]
>>> pts = product_points({"flavor": "mu"}, [parse_axis("a=1,2"), parse_axis("b=10,20,30")])
>>> pts[1]
{'flavor': 'mu', 'a': 1.0, 'b': 20.0, '_index': (0, 1)}
"""
from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from typing import Callable, Iterable, Sequence

import numpy as np

from ..errors import QKEInputError

#: Point key holding the grid index (a tuple of ints, row-major over the axes).
INDEX_KEY = "_index"

#: ``parse_value(name, text) -> float``: converts one value (units allowed) to a float.
ValueParser = Callable[[str, str], float]

SCALES = ("log", "lin")
_FORMS = "NAME=START:STOP:SCALE:N (SCALE log or lin) or NAME=v1,v2,..."
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.\-]*$")
_UNIT = re.compile(r"^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*([A-Za-z]+)\s*$")


@dataclass(frozen=True, eq=False)
class Axis:
    """One scan axis.

    Attributes
    ----------
    name : str
        Parameter name (a key of the points).
    values : numpy.ndarray
        The axis values (read-only), in the units returned by the value
        parser (GeV for energies parsed by :func:`qke.units.parse_energy`).
    scale : str
        ``'log'``, ``'lin'`` or ``'list'`` (explicit values).
    unit_text : str or None
        The unit suffix the user wrote on the first value (e.g. ``'keV'``), for
        labels only; None for plain numbers.
    """

    name: str
    values: np.ndarray
    scale: str
    unit_text: str | None = None

    def __post_init__(self):
        values = np.array(self.values, dtype=float)
        values.setflags(write=False)
        object.__setattr__(self, "values", values)

    def __len__(self) -> int:
        return len(self.values)


def plain_float(name: str, text: str) -> float:
    """Default value parser: a bare number (no unit).

    Raises
    ------
    QKEInputError
        If ``text`` is not a number.
    """
    try:
        return float(text)
    except (TypeError, ValueError):
        raise QKEInputError(f"{name}: cannot read {text!r} as a number") from None


def parse_axis(spec: str, parse_value: ValueParser | None = None) -> Axis:
    """Parse one axis ``NAME=START:STOP:SCALE:N`` or ``NAME=v1,v2,...``.

    Parameters
    ----------
    spec : str
        The axis text, e.g. ``"m4=1keV:100keV:log:20"`` or ``"coupling=1e-6,1e-3"``.
    parse_value : callable, optional
        ``parse_value(name, text) -> float`` converting one value (with its unit);
        default :func:`plain_float`. It may raise :class:`QKEInputError`.

    Returns
    -------
    Axis

    Raises
    ------
    QKEInputError
        One line naming the parameter and what is allowed.
    """
    parse_value = parse_value or plain_float
    name, sep, rhs = str(spec).partition("=")
    name, rhs = name.strip(), rhs.strip()
    if not sep:
        raise QKEInputError(f"grid {spec!r}: expected {_FORMS}")
    if not _NAME.match(name):
        raise QKEInputError(f"grid {spec!r}: parameter name {name!r} must start with a letter "
                            "and contain only letters, digits, '_', '-', '.'")
    if not rhs:
        raise QKEInputError(f"{name}: no values; expected {_FORMS}")
    if ":" in rhs:
        return _parse_range(name, rhs, parse_value)
    return _parse_list(name, rhs, parse_value)


def parse_grid(specs: Iterable[str], parse_value: ValueParser | None = None,
               max_axes: int | None = None) -> list[Axis]:
    """Parse several axes; names must be distinct and at most ``max_axes`` given.

    Raises
    ------
    QKEInputError
        On a malformed axis, a repeated name or too many axes.
    """
    axes = [parse_axis(s, parse_value) for s in specs]
    _check_names(axes)
    if max_axes is not None and len(axes) > max_axes:
        raise QKEInputError(f"grid: at most {max_axes} axes allowed, got {len(axes)} "
                            f"({', '.join(a.name for a in axes)})")
    return axes


def product_points(base: dict, axes: Sequence[Axis]) -> list[dict]:
    """The points of the grid spanned by ``axes``, on top of ``base``.

    Parameters
    ----------
    base : dict
        Fixed parameters shared by every point (an axis overrides a base key).
    axes : sequence of Axis
        One axis (a line) or two (a plane); more are allowed.

    Returns
    -------
    list of dict
        Row-major (the last axis varies fastest); each point records its grid
        index as a tuple under :data:`INDEX_KEY`. Axis values are Python floats.
    """
    axes = list(axes)
    if not axes:
        raise QKEInputError("grid: at least one axis is required")
    _check_names(axes)
    points = []
    for index in itertools.product(*(range(len(a)) for a in axes)):
        point = dict(base)
        for axis, i in zip(axes, index):
            point[axis.name] = float(axis.values[i])
        point[INDEX_KEY] = tuple(index)
        points.append(point)
    return points


def parameters(point: dict) -> dict:
    """The point without its bookkeeping keys (those starting with ``_``)."""
    return {k: v for k, v in point.items() if not str(k).startswith("_")}


def _parse_range(name: str, rhs: str, parse_value: ValueParser) -> Axis:
    """``START:STOP:SCALE:N`` -> Axis."""
    parts = [p.strip() for p in rhs.split(":")]
    if len(parts) != 4:
        raise QKEInputError(f"{name}: expected START:STOP:SCALE:N (SCALE log or lin), got {rhs!r}")
    start_text, stop_text, scale, n_text = parts
    scale = scale.lower()
    if scale not in SCALES:
        raise QKEInputError(f"{name}: SCALE must be 'log' or 'lin', got {parts[2]!r}")
    n = _parse_count(name, n_text)
    start = _parse_one(name, start_text, parse_value)
    stop = _parse_one(name, stop_text, parse_value)
    if start == stop:
        raise QKEInputError(f"{name}: START and STOP must differ (both {start_text!r}); "
                            f"for one value write {name}={start_text}")
    if scale == "log" and (start <= 0 or stop <= 0):
        raise QKEInputError(f"{name}: a log axis needs positive ends, got {start_text!r}:{stop_text!r}")
    values = np.geomspace(start, stop, n) if scale == "log" else np.linspace(start, stop, n)
    return Axis(name, values, scale, _unit_of(start_text))


def _parse_list(name: str, rhs: str, parse_value: ValueParser) -> Axis:
    """``v1,v2,...`` -> Axis."""
    items = [t.strip() for t in rhs.split(",")]
    if any(not t for t in items):
        raise QKEInputError(f"{name}: empty value in list {rhs!r}; write NAME=v1,v2,...")
    values = [_parse_one(name, t, parse_value) for t in items]
    return Axis(name, np.array(values), "list", _unit_of(items[0]))


def _parse_count(name: str, text: str) -> int:
    """N of a range: an integer >= 2."""
    if not re.fullmatch(r"\+?\d+", text):
        raise QKEInputError(f"{name}: N must be an integer >= 2 (number of values), got {text!r}")
    n = int(text)
    if n < 2:
        raise QKEInputError(f"{name}: N must be an integer >= 2 for a range, got {n}; "
                            f"for one value write {name}=VALUE")
    return n


def _parse_one(name: str, text: str, parse_value: ValueParser) -> float:
    """Convert one value and check that it is finite."""
    try:
        value = float(parse_value(name, text))
    except QKEInputError:
        raise
    except (TypeError, ValueError) as exc:
        raise QKEInputError(f"{name}: cannot read {text!r} ({exc})") from None
    if not math.isfinite(value):
        raise QKEInputError(f"{name}: values must be finite, got {text!r}")
    return value


def _unit_of(text: str) -> str | None:
    """The unit suffix of a quantity such as ``'7.1keV'``, or None."""
    m = _UNIT.match(text)
    return m.group(1) if m else None


def _check_names(axes: Sequence[Axis]) -> None:
    """Refuse a parameter scanned twice."""
    seen = set()
    for axis in axes:
        if axis.name in seen:
            raise QKEInputError(f"grid: parameter {axis.name!r} is given more than once")
        seen.add(axis.name)
