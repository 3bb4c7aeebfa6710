"""Every root of f(x) = target in a range, and root lines over an outer parameter.

:func:`find_roots` evaluates f on a bracketing grid (log or linear), finds the
sign changes of f(x) - target between neighbouring valid grid values, and
refines each with :func:`scipy.optimize.brentq`. Roots are returned in
increasing x with branch labels 0, 1, 2, ... Grid points where f raises or
returns NaN are skipped for bracketing and reported.

Tolerances (Brent guarantees ``allclose(x, x_exact, atol, rtol)`` for the
refined root):

- ``scale='log'``: the root is found in ln x with absolute tolerance ``rtol``,
  so ``|x - x_exact| <= (rtol + 1e-14) |x_exact|`` to first order.
- ``scale='lin'``: ``|x - x_exact| <= xtol + rtol |x_exact|``, where ``xtol``
  defaults to ``rtol * (hi - lo)``.

Two roots closer than one grid step, or a root where f touches the target
without crossing it, can be missed: use a finer bracketing grid there.

Examples
--------
>>> scan = find_roots(lambda x: (x - 2.0) * (x - 5.0), 1.0, 10.0, n_bracket=16)
>>> [round(r.x, 6) for r in scan.roots], [r.branch for r in scan.roots]
([2.0, 5.0], [0, 1])
>>> linear_shortcut(lambda x: 3.0 * x, 1.0, 2.0, target=6.0).x
2.0
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from functools import partial
from typing import Callable, Sequence

import numpy as np
from scipy.optimize import brentq

from ..errors import QKEInputError

logger = logging.getLogger(__name__)

_EPS4 = 4 * np.finfo(float).eps  # smallest rtol brentq accepts


@dataclass(frozen=True)
class Root:
    """One root of f(x) = target.

    Attributes
    ----------
    x : float
        The root (refined by Brent if ``converged``; else the linear
        interpolation in the bracket).
    branch : int
        0, 1, 2, ... in increasing x.
    bracket : tuple of float
        Grid values (a, b) enclosing the root (a == b for a grid point that is
        itself a root).
    converged : bool
        False if f failed during the refinement.
    """

    x: float
    branch: int
    bracket: tuple[float, float]
    converged: bool = True


@dataclass(frozen=True)
class FailedPoint:
    """A value of x where f raised or returned NaN, and why."""

    x: float
    error: str


@dataclass(frozen=True, eq=False)
class RootScan:
    """All roots found in a range.

    Attributes
    ----------
    roots : tuple of Root
        In increasing x, branch labels 0, 1, ...
    grid, values : numpy.ndarray
        The bracketing grid and f on it (NaN where f failed).
    failures : tuple of FailedPoint
        Where f failed (on the grid or during refinement).
    truncated : bool
        True if more sign changes than ``max_roots`` were found (only the first
        ``max_roots`` are refined).
    method : str
        ``'bracket'`` or ``'linear'`` (closed form of :func:`linear_shortcut`).
    """

    roots: tuple[Root, ...]
    grid: np.ndarray
    values: np.ndarray
    failures: tuple[FailedPoint, ...] = ()
    truncated: bool = False
    method: str = "bracket"


@dataclass(frozen=True)
class LinearShortcut:
    """Outcome of :func:`linear_shortcut`.

    Attributes
    ----------
    used : bool
        True if f was found proportional to x and the closed-form root verified.
    x : float or None
        The closed-form root x0 * target / f(x0) (None if not computed).
    reason : str
        Why the shortcut was used or refused.
    ratio_error : float
        |(f(x1)/f(x0)) / (x1/x0) - 1| (NaN if f failed).
    residual : float
        |f(x) / target - 1| at the returned root (NaN if not evaluated).
    """

    used: bool
    x: float | None
    reason: str
    ratio_error: float = math.nan
    residual: float = math.nan


@dataclass(frozen=True)
class LineRoots:
    """The roots at one outer value of :func:`solve_dm_line`."""

    outer: float
    scan: RootScan


def bracket_grid(lo: float, hi: float, n: int, scale: str = "log") -> np.ndarray:
    """The ``n`` bracketing values from ``lo`` to ``hi`` (both included), log or linear spaced.

    Raises
    ------
    QKEInputError
        If lo >= hi, n < 2, scale is not 'log'/'lin', or a log range is not positive.
    """
    if scale not in ("log", "lin"):
        raise QKEInputError(f"scale: must be 'log' or 'lin', got {scale!r}")
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise QKEInputError(f"range: need finite lo < hi, got lo={lo!r}, hi={hi!r}")
    if scale == "log" and lo <= 0:
        raise QKEInputError(f"range: a log range needs lo > 0, got lo={lo!r}")
    if not isinstance(n, (int, np.integer)) or n < 2:
        raise QKEInputError(f"n_bracket: must be an integer >= 2, got {n!r}")
    return np.geomspace(lo, hi, n) if scale == "log" else np.linspace(lo, hi, n)


def find_roots(f: Callable[[float], float], lo: float, hi: float, target: float = 0.0,
               n_bracket: int = 32, scale: str = "log", rtol: float = 1e-8, xtol: float | None = None,
               max_roots: int | None = None, values: Sequence[float] | None = None) -> RootScan:
    """All roots of f(x) = target in [lo, hi], in increasing x.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``; may raise or return NaN (that x is skipped and reported).
    lo, hi : float
        The range (same units as x; lo > 0 for a log scale).
    target : float, optional
        The level (default 0).
    n_bracket : int, optional
        Bracketing grid size (default 32).
    scale : {'log', 'lin'}, optional
        Spacing of the grid and variable of the refinement (default 'log').
    rtol, xtol : float, optional
        Root tolerance, see the module docstring (default rtol 1e-8).
    max_roots : int, optional
        Refine at most this many roots (the lowest in x); ``truncated`` tells.
    values : sequence of float, optional
        f already evaluated on ``bracket_grid(lo, hi, n_bracket, scale)`` (NaN
        where it failed), e.g. by :func:`qke.scans.run.run_points`.

    Returns
    -------
    RootScan
    """
    grid = bracket_grid(lo, hi, n_bracket, scale)
    tol = _tolerances(scale, rtol, xtol, lo, hi)
    if values is None:
        evaluated = [_safe_call(f, x) for x in grid]
        fvals = np.array([v for v, _ in evaluated])
        failures = [FailedPoint(float(x), e) for x, (_, e) in zip(grid, evaluated) if e]
    else:
        fvals = _given_values(values, grid)
        failures = [FailedPoint(float(x), "no value given") for x, v in zip(grid, fvals) if np.isnan(v)]
    brackets = sign_changes(grid, fvals - target)
    truncated = max_roots is not None and len(brackets) > max_roots
    if truncated:
        logger.warning("find_roots: %d sign changes, refining the first %d", len(brackets), max_roots)
        brackets = brackets[:max_roots]
    roots = []
    for branch, (a, b, ha, hb) in enumerate(brackets):
        root, error = _refine(f, target, a, b, ha, hb, scale, tol)
        roots.append(Root(root, branch, (a, b), converged=error is None))
        if error:
            failures.append(FailedPoint(root, f"refinement in [{a:.6g}, {b:.6g}]: {error}"))
    return RootScan(tuple(roots), grid, fvals, tuple(failures), truncated)


def sign_changes(x: np.ndarray, h: np.ndarray) -> list[tuple[float, float, float, float]]:
    """Brackets (a, b, h(a), h(b)) of the sign changes of h between neighbouring valid values.

    NaN values are skipped (their neighbours are compared). A value exactly 0
    is a root by itself and returned as (x, x, 0, 0).
    """
    valid = np.flatnonzero(np.isfinite(h))
    brackets = [(float(x[i]), float(x[i]), 0.0, 0.0) for i in valid if h[i] == 0]
    for i, j in zip(valid[:-1], valid[1:]):
        if h[i] * h[j] < 0:
            brackets.append((float(x[i]), float(x[j]), float(h[i]), float(h[j])))
    return sorted(brackets)


def linear_shortcut(f: Callable[[float], float], x0: float, x1: float, target: float,
                    rtol: float = 1e-3, verify_rtol: float = 1e-3) -> LinearShortcut:
    """Closed-form root of f(x) = target if f is proportional to x.

    f is evaluated at x0 and x1; if ``|(f(x1)/f(x0)) / (x1/x0) - 1| <= rtol``
    the root is ``x = x0 * target / f(x0)``, verified by one more evaluation:
    the shortcut is used if ``|f(x)/target - 1| <= verify_rtol`` (then the
    root's relative error is about that residual). Three evaluations in all.

    Parameters
    ----------
    f : callable
        ``f(x) -> float``.
    x0, x1 : float
        Two distinct non-zero test values.
    target : float
        Non-zero level.
    rtol, verify_rtol : float, optional
        Proportionality and verification tolerances (default 1e-3 each).

    Returns
    -------
    LinearShortcut
        ``used`` says whether the caller may take ``x``.
    """
    if target == 0 or x0 == 0 or x1 == 0 or x0 == x1:
        return LinearShortcut(False, None, "needs target != 0 and distinct non-zero x0, x1")
    (f0, e0), (f1, e1) = _safe_call(f, x0), _safe_call(f, x1)
    if e0 or e1 or f0 == 0:
        return LinearShortcut(False, None, f"f unusable at the test points: {e0 or e1 or 'f(x0) = 0'}")
    ratio_error = abs((f1 / f0) / (x1 / x0) - 1.0)
    if not ratio_error <= rtol:
        return LinearShortcut(False, None, f"not proportional: f(x1)/f(x0) differs from x1/x0 by "
                                           f"{ratio_error:.3g} (> {rtol:g})", ratio_error)
    x = x0 * target / f0
    fx, ex = _safe_call(f, x)
    residual = abs(fx / target - 1.0) if not ex else math.nan
    if not residual <= verify_rtol:
        why = ex or f"|f(x)/target - 1| = {residual:.3g} > {verify_rtol:g}"
        return LinearShortcut(False, x, f"closed-form root not verified: {why}", ratio_error, residual)
    return LinearShortcut(True, x, "f proportional to x; closed-form root verified", ratio_error, residual)


def solve_dm_line(values_outer: Sequence[float], f2: Callable[[float, float], float], lo: float,
                  hi: float, target: float = 0.0, shortcut: tuple[float, float] | None = None,
                  **find_kwargs) -> list[LineRoots]:
    """Every root of f2(outer, x) = target in x, for each outer value.

    Parameters
    ----------
    values_outer : sequence of float
        Outer parameter values (e.g. masses).
    f2 : callable
        ``f2(outer, x) -> float``.
    lo, hi, target
        As in :func:`find_roots`.
    shortcut : (x0, x1), optional
        Try :func:`linear_shortcut` at these x first; if it is used, the single
        closed-form root is returned (``scan.method == 'linear'``).
    **find_kwargs
        Passed to :func:`find_roots` (n_bracket, scale, rtol, xtol, max_roots).

    Returns
    -------
    list of LineRoots
        One per outer value, in order. Branch k is the k-th root in increasing x.
    """
    lines = []
    for outer in values_outer:
        f = partial(f2, outer)
        scan = _shortcut_scan(f, shortcut, target) if shortcut is not None else None
        if scan is None:
            scan = find_roots(f, lo, hi, target=target, **find_kwargs)
        lines.append(LineRoots(float(outer), scan))
    return lines


def _shortcut_scan(f, shortcut: tuple[float, float], target: float) -> RootScan | None:
    """A one-root RootScan from the linear shortcut, or None if it was refused."""
    x0, x1 = shortcut
    result = linear_shortcut(f, x0, x1, target)
    logger.debug("linear shortcut: %s", result.reason)
    if not result.used:
        return None
    root = Root(result.x, 0, (result.x, result.x), True)
    return RootScan((root,), np.array([x0, x1]), np.array([math.nan, math.nan]), method="linear")


def _tolerances(scale: str, rtol: float, xtol: float | None, lo: float, hi: float) -> tuple[float, float]:
    """(xtol, rtol) for brentq in the refinement variable (ln x for log, x for lin)."""
    if not rtol > 0:
        raise QKEInputError(f"rtol: must be > 0, got {rtol!r}")
    if scale == "log":
        return rtol, _EPS4
    return (xtol if xtol is not None else rtol * (hi - lo)), max(rtol, _EPS4)


def _refine(f, target, a, b, ha, hb, scale, tol) -> tuple[float, str | None]:
    """(root, error): Brent in [a, b] (in ln x for log), reusing the known end values."""
    if a == b:
        return a, None
    to_u, from_u = (math.log, math.exp) if scale == "log" else (float, float)
    ua, ub = to_u(a), to_u(b)
    known = {ua: ha, ub: hb}

    def h(u):
        if u in known:
            return known[u]
        value = float(f(from_u(u))) - target
        if not math.isfinite(value):
            raise ValueError(f"f returned {value} at x = {from_u(u):.6g}")
        return value

    try:
        return from_u(brentq(h, ua, ub, xtol=tol[0], rtol=tol[1])), None
    except Exception as exc:  # f failed inside the bracket: keep the interpolated estimate
        guess = from_u(ua - ha * (ub - ua) / (hb - ha))
        return guess, f"{type(exc).__name__}: {exc}"


def _safe_call(f, x: float) -> tuple[float, str | None]:
    """(f(x), None), or (NaN, message) if f raised or returned a non-number/NaN."""
    try:
        value = float(f(x))
    except Exception as exc:
        return math.nan, f"{type(exc).__name__}: {exc}"
    if math.isnan(value):
        return math.nan, "f returned nan"
    return value, None


def _given_values(values, grid: np.ndarray) -> np.ndarray:
    """Precomputed f on the grid, checked for length."""
    fvals = np.asarray(values, dtype=float)
    if fvals.shape != grid.shape:
        raise QKEInputError(f"values: need {grid.size} values on the bracketing grid, got {fvals.size}")
    return fvals
