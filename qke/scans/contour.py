"""Level sets g(x, y) = level in a plane, refined onto the curve.

The caller evaluates g on a coarse grid (e.g. through
:func:`qke.scans.run.run_points`) and passes the values with the axes.
:func:`trace_contour` extracts the level lines with contourpy, in
(log10 x, log10 y) coordinates by default (each axis may be linear). Every
vertex contourpy returns lies on a grid edge: between two grid nodes along x
(a horizontal edge, y fixed) or along y (a vertical edge, x fixed). Given the
pointwise function g, each vertex is then refined by Brent's method along its
edge, bracketed by the two grid values, so refined vertices lie on the exact
curve.

Tolerance: in the plotted coordinate t of the edge (log10 for a log axis),
a refined vertex satisfies ``|t - t_exact| <= rtol * span + 4 eps |t_exact|``,
where span is the extent of that axis in plotted coordinates; the other
coordinate is the grid line's, exactly. See :func:`edge_tolerance`.

Two crossings of the same grid edge cancel and are not seen (e.g. just past a
turning point of the curve): refine the coarse grid there.

Examples
--------
>>> x = y = np.linspace(-2.0, 2.0, 9)
>>> z = grid_values(lambda a, b: a**2 + b**2, x, y, vectorized=True)
>>> (line,) = trace_contour(x, y, z, 1.0, g=lambda a, b: a**2 + b**2, log_x=False, log_y=False)
>>> line.closed, bool(line.refined.all()), bool(np.allclose(np.hypot(line.x, line.y), 1.0))
(True, True, True)
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Callable

import contourpy
import numpy as np
from scipy.optimize import brentq

from ..errors import QKEInputError

logger = logging.getLogger(__name__)

_EPS4 = 4 * np.finfo(float).eps
#: Edge orientation codes of :attr:`ContourLine.solved_along`.
ALONG_X, ALONG_Y, NOT_SOLVED = 0, 1, -1


@dataclass(frozen=True, eq=False)
class ContourLine:
    """One connected piece of the level set, vertices in order along the curve.

    Attributes
    ----------
    x, y : numpy.ndarray
        Vertex coordinates (axis units, not logarithms).
    refined : numpy.ndarray of bool
        True where the vertex was solved onto the curve (or is a grid node on
        the level exactly); False where it is contourpy's interpolation.
    solved_along : numpy.ndarray of int
        :data:`ALONG_X` (y is a grid value, x was solved), :data:`ALONG_Y`
        (x is a grid value, y was solved) or :data:`NOT_SOLVED`.
    closed : bool
        True for a closed loop (the last vertex repeats the first).
    """

    x: np.ndarray
    y: np.ndarray
    refined: np.ndarray
    solved_along: np.ndarray
    closed: bool = False


@dataclass(frozen=True, eq=False)
class _Plane:
    """The grid in axis units (x, y) and plotted coordinates (u, v), values z[j, i]."""

    x: np.ndarray
    y: np.ndarray
    u: np.ndarray
    v: np.ndarray
    z: np.ndarray
    log_x: bool
    log_y: bool


@dataclass(frozen=True)
class EdgeProblem:
    """One grid edge crossed by the level set: solve g(x, y) = level along it.

    Attributes
    ----------
    along : int
        :data:`ALONG_X` (y fixed, solve for x) or :data:`ALONG_Y` (x fixed, solve for y).
    fixed : float
        The fixed coordinate (axis units).
    t0, t1 : float
        The edge's ends in plotted coordinates of the solved axis (log10 if ``log``).
    h0, h1 : float
        g - level at the two ends (opposite signs).
    log : bool
        Whether the solved axis is plotted as log10.
    tol : float
        Absolute root tolerance in plotted coordinates.
    """

    along: int
    fixed: float
    t0: float
    t1: float
    h0: float
    h1: float
    log: bool
    tol: float

    def point(self, t: float) -> tuple[float, float]:
        """(x, y) in axis units at plotted coordinate t of the solved axis."""
        a = _to_axis(t, self.log)
        return (a, self.fixed) if self.along == ALONG_X else (self.fixed, a)

    def solve(self, g, level: float = 0.0) -> tuple[float, float]:
        """(x, y) on the curve along the edge, by Brent between its ends (the end values reused)."""
        known = {self.t0: self.h0, self.t1: self.h1}

        def h(t):
            return known[t] if t in known else float(g(*self.point(t))) - level

        return self.point(brentq(h, self.t0, self.t1, xtol=self.tol, rtol=_EPS4))


@dataclass(frozen=True)
class _Edge:
    """A grid edge: along x (row ``fixed``) or y (column ``fixed``), from node ``start``."""

    along: int
    fixed: int
    start: int


def trace_contour(x, y, z, level: float = 0.0, g: Callable[[float, float], float] | None = None,
                  log_x: bool = True, log_y: bool = True, rtol: float = 1e-9,
                  solve_edges: Callable[[list], list] | None = None) -> list[ContourLine]:
    """The lines g(x, y) = level, refined onto the curve if ``g`` is given.

    Parameters
    ----------
    x, y : array_like
        Grid axes (strictly monotonic; positive for a log axis), lengths nx, ny.
    z : array_like, shape (ny, nx)
        g on the grid, ``z[j, i] = g(x[i], y[j])``; NaN where g failed (those
        cells are left out).
    level : float, optional
        The level (default 0).
    g : callable, optional
        Pointwise ``g(x, y) -> float`` (a vectorised function works too); if
        None, the vertices are not refined.
    log_x, log_y : bool, optional
        Trace in log10 of that axis (default True for both).
    rtol : float, optional
        Root tolerance as a fraction of the axis span in plotted coordinates
        (default 1e-9), see :func:`edge_tolerance`.
    solve_edges : callable, optional
        Batch solver ``solve_edges(list of EdgeProblem) -> list of (x, y) or None``,
        e.g. running the edges in parallel through
        :func:`qke.scans.run.run_points`; default: :meth:`EdgeProblem.solve`
        with ``g``, one edge after the other.

    Returns
    -------
    list of ContourLine
        Open lines start at their end with the smaller (u, v); lines are sorted
        by their first vertex.
    """
    plane = _plane(x, y, z, log_x, log_y)
    tol = (edge_tolerance(plane.x, log_x, rtol), edge_tolerance(plane.y, log_y, rtol))
    generator = contourpy.contour_generator(plane.u, plane.v, np.ma.masked_invalid(plane.z),
                                            name="serial", line_type="Separate")
    raw = [_dedupe(np.asarray(vs)) for vs in generator.lines(level) if len(vs) > 1]
    solved = _solve_all(raw, plane, g, level, tol, solve_edges)
    lines = [_refine_line(vs, plane, solved, level) for vs in raw]
    lines = [_orient(line, plane) for line in lines]
    return sorted(lines, key=lambda line: _plotted(line, plane, 0))


def edge_tolerance(axis, log: bool, rtol: float = 1e-9) -> float:
    """Absolute root tolerance along an axis, in plotted coordinates: rtol * span.

    Parameters
    ----------
    axis : array_like
        The axis values.
    log : bool
        True if plotted as log10 (the tolerance is then in decades).
    rtol : float
        Fraction of the span.
    """
    t = np.log10(axis) if log else np.asarray(axis, dtype=float)
    return float(rtol * (np.max(t) - np.min(t)))


def grid_values(g: Callable, x, y, vectorized: bool = False) -> np.ndarray:
    """g on the grid, shape (ny, nx), ``z[j, i] = g(x[i], y[j])``; NaN where g raises.

    Parameters
    ----------
    g : callable
        ``g(x, y) -> float``, or a numpy-vectorised function if ``vectorized``.
    x, y : array_like
        The axes.
    vectorized : bool, optional
        Call g once on the meshgrid instead of point by point.
    """
    xx, yy = np.meshgrid(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    if vectorized:
        return np.asarray(g(xx, yy), dtype=float)
    z = np.full(xx.shape, np.nan)
    for index in np.ndindex(xx.shape):
        try:
            z[index] = float(g(xx[index], yy[index]))
        except Exception as exc:  # a failed point is a hole in the grid
            logger.debug("grid_values: g(%g, %g) failed: %s", xx[index], yy[index], exc)
    return z


def _plane(x, y, z, log_x: bool, log_y: bool) -> _Plane:
    """Validated grid with increasing axes (z flipped to match)."""
    x, y, z = (np.asarray(a, dtype=float) for a in (x, y, z))
    if x.ndim != 1 or y.ndim != 1 or len(x) < 2 or len(y) < 2 or z.shape != (len(y), len(x)):
        raise QKEInputError(f"contour: need 1-D axes of length >= 2 and z of shape (len(y), len(x)) = "
                            f"({len(y)}, {len(x)}), got {z.shape}")
    for name, axis, log in (("x", x, log_x), ("y", y, log_y)):
        if log and not np.all(axis > 0):
            raise QKEInputError(f"contour: a log {name} axis needs positive values")
        step = np.diff(axis)
        if not (np.all(step > 0) or np.all(step < 0)):
            raise QKEInputError(f"contour: the {name} axis must be strictly monotonic")
    if x[0] > x[-1]:
        x, z = x[::-1], z[:, ::-1]
    if y[0] > y[-1]:
        y, z = y[::-1], z[::-1, :]
    u = np.log10(x) if log_x else x
    v = np.log10(y) if log_y else y
    return _Plane(x, y, u, v, z, log_x, log_y)


def _dedupe(vertices: np.ndarray) -> np.ndarray:
    """Drop consecutive repeated vertices (contourpy repeats grid nodes on the level)."""
    keep = np.ones(len(vertices), dtype=bool)
    keep[1:] = np.any(vertices[1:] != vertices[:-1], axis=1)
    return vertices[keep]


def _problem(edge: _Edge, plane: _Plane, level: float, tol) -> EdgeProblem | None:
    """The root problem of a grid edge (None if its end values do not bracket the level)."""
    s = edge.start
    if edge.along == ALONG_Y:
        ends, nodes, fixed, log = plane.v[s:s + 2], plane.z[s:s + 2, edge.fixed] - level, plane.x[edge.fixed], plane.log_y
    else:
        ends, nodes, fixed, log = plane.u[s:s + 2], plane.z[edge.fixed, s:s + 2] - level, plane.y[edge.fixed], plane.log_x
    if not nodes[0] * nodes[1] < 0:
        return None
    return EdgeProblem(edge.along, float(fixed), float(ends[0]), float(ends[1]), float(nodes[0]), float(nodes[1]),
                       bool(log), float(tol[edge.along]))


def _solve_all(raw, plane: _Plane, g, level: float, tol, solve_edges) -> dict:
    """Solutions {edge: (x, y) or None} of every distinct edge of every line."""
    if g is None and solve_edges is None:
        return {}
    edges = {}
    for vertices in raw:
        for u, v in vertices:
            edge = _locate(u, v, plane)
            if edge is not None and edge not in edges:
                edges[edge] = _problem(edge, plane, level, tol)
    todo = [(e, p) for e, p in edges.items() if p is not None]
    if solve_edges is None:
        solve_edges = lambda problems: [_solve_safely(p, g, level) for p in problems]  # noqa: E731
    return dict(zip((e for e, _ in todo), solve_edges([p for _, p in todo])))


def _solve_safely(problem: EdgeProblem, g, level: float):
    try:
        return problem.solve(g, level)
    except Exception as exc:  # keep contourpy's vertex, unrefined
        logger.warning("contour: refinement failed on %s: %s", problem, exc)
        return None


def _refine_line(vertices: np.ndarray, plane: _Plane, solved: dict, level: float) -> ContourLine:
    """One contourpy line with its vertices replaced by the edge solutions."""
    rows = []
    for u, v in vertices:
        edge = _locate(u, v, plane)
        point = solved.get(edge) if edge is not None else None
        if point is not None:
            rows.append((point[0], point[1], True, edge.along))
        else:
            rows.append((_to_axis(u, plane.log_x), _to_axis(v, plane.log_y),
                         _on_node_level(u, v, plane, level), NOT_SOLVED))
    xs, ys, refined, along = zip(*rows)
    closed = len(vertices) > 2 and np.array_equal(vertices[0], vertices[-1])
    return ContourLine(np.array(xs), np.array(ys), np.array(refined, dtype=bool),
                       np.array(along, dtype=int), closed)


def _locate(u: float, v: float, plane: _Plane) -> _Edge | None:
    """The grid edge a vertex lies on; None at a grid node or off the grid lines."""
    i, on_column = _grid_line(u, plane.u)
    j, on_row = _grid_line(v, plane.v)
    if on_column == on_row:
        return None
    if on_column:
        return _Edge(ALONG_Y, i, _cell(v, plane.v))
    return _Edge(ALONG_X, j, _cell(u, plane.u))


def _grid_line(t: float, axis: np.ndarray) -> tuple[int, bool]:
    """(nearest index, whether t is on that grid line up to rounding)."""
    i = int(np.argmin(np.abs(axis - t)))
    return i, abs(axis[i] - t) <= 1e-12 * (axis[-1] - axis[0])


def _cell(t: float, axis: np.ndarray) -> int:
    """Index of the lower node of the interval containing t."""
    return int(np.clip(np.searchsorted(axis, t) - 1, 0, len(axis) - 2))


def _on_node_level(u: float, v: float, plane: _Plane, level: float) -> bool:
    """True if the vertex is a grid node where the grid value equals the level."""
    (i, on_column), (j, on_row) = _grid_line(u, plane.u), _grid_line(v, plane.v)
    return bool(on_column and on_row and plane.z[j, i] == level)


def _to_axis(t: float, log: bool) -> float:
    """Plotted coordinate -> axis value."""
    return float(10.0 ** t) if log else float(t)


def _plotted(line: ContourLine, plane: _Plane, k: int) -> tuple[float, float]:
    """(u, v) of vertex k in plotted coordinates."""
    u = math.log10(line.x[k]) if plane.log_x else line.x[k]
    v = math.log10(line.y[k]) if plane.log_y else line.y[k]
    return (u, v)


def _orient(line: ContourLine, plane: _Plane) -> ContourLine:
    """Open lines start at the end with the smaller (u, v)."""
    if line.closed or _plotted(line, plane, 0) <= _plotted(line, plane, -1):
        return line
    return ContourLine(line.x[::-1], line.y[::-1], line.refined[::-1], line.solved_along[::-1], line.closed)
