"""Scan points of the physics: cards as points, and the evaluators the executors run.

A scan point is the mapping of a fully resolved :class:`~qke.cards.Card`
(energies as unit strings, so its hash in the result store does not depend on
floating-point formatting of GeV values), plus bookkeeping keys that start
with ``_`` (grid index, axis values). Evaluators are top-level functions, so
they pickle to local processes and Dask workers; every table they need is a
per-process cache, built once per worker (:func:`warm_up`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .. import constants as const
from ..cards import Card
from ..errors import QKEInputError
from .grid import Axis

#: Columns of a scan result and their units.
RESULT_UNITS = {"omega_h2": "", "yield": "", "mean_p_over_T": "", "peak_temperature": "GeV"}
#: The sections of a point that make its card.
CARD_SECTIONS = ("method", "model", "cosmology", "settings")
#: Key of the grid index.
INDEX_KEY = "_index"


def card_points(card: Card, axes: Sequence[Axis]) -> list[dict]:
    """The points of a 1-D or 2-D grid over ``card`` (row-major, last axis fastest)."""
    import itertools

    points = []
    for index in itertools.product(*(range(len(a)) for a in axes)):
        c = card
        values = {}
        for axis, i in zip(axes, index):
            values[axis.name] = float(axis.values[i])
            c = c.with_value(axis.name, values[axis.name])
        point = c.to_mapping()
        point.update(values)  # the axis values at top level (internal units), for export and plotting
        point[INDEX_KEY] = list(index)
        points.append(point)
    return points


def card_of(point: dict) -> Card:
    """The card of a scan point (its card sections only)."""
    return Card.from_mapping({k: point[k] for k in CARD_SECTIONS if k in point})


def result_values(res, spectra: bool = False) -> dict[str, float]:
    """The numbers a scan records for one result (floats only; spectra as one column per momentum)."""
    out = {"omega_h2": res.omega_h2, "yield": res.yield_, "mean_p_over_T": res.mean_p_over_T,
           "peak_temperature": res.peak_temperature}
    if res.asymmetric:
        out.update(omega_h2_nu=res.omega_h2_nu, omega_h2_nubar=res.omega_h2_nubar)
    if spectra:
        for y, f in zip(res.y[1:], res.f_s[1:]):
            out[f"f_s(y={y:.6g})"] = float(f)
    for k, v in out.items():
        if not math.isfinite(v):
            raise ArithmeticError(f"{k} is not finite")
    return out


def evaluate_card(point: dict) -> dict[str, float]:
    """Evaluator: solve the card ``point`` and return :func:`result_values`."""
    return result_values(card_of(point).run())


def evaluate_card_spectra(point: dict) -> dict[str, float]:
    """Evaluator as :func:`evaluate_card`, with the final spectrum."""
    return result_values(card_of(point).run(), spectra=True)


#: First guesses of dm-line roots: sin^2 2theta of plain DW near 10 keV; the lepton
#: asymmetry L/s that resonant production needs for all the dark matter near 7 keV
#: (Omega is then roughly proportional to L: most of L is converted).
GUESS = {"sin2_2theta": 1e-10, "lepton_asymmetry": 8e-5}

#: Temperatures [GeV] on which :func:`evaluate_card_history` samples the production history.
HISTORY_T = np.geomspace(30.0, 3e-4, 121)


def evaluate_card_history(point: dict) -> dict[str, float]:
    """Evaluator with the spectrum and the production history dY/dlnT on :data:`HISTORY_T`.

    The history is interpolated in ln T (zero outside the solver's range);
    columns ``dY_dlnT(T=...)``.
    """
    res = card_of(point).run()
    out = result_values(res, spectra=True)
    lnt = np.log(res.temperature[::-1])
    hist = np.interp(np.log(HISTORY_T), lnt, res.dY_dlnT[::-1], left=0.0, right=0.0)
    out.update({f"dY_dlnT(T={t:.6g})": float(h) for t, h in zip(HISTORY_T, hist)})
    return out


def evaluate_card_asymmetry(point: dict) -> dict[str, float]:
    """Evaluator with the nu_s and nubar_s spectra and the lepton asymmetry L(T) on :data:`HISTORY_T`.

    Columns ``f_nu(y=...)``, ``f_nubar(y=...)`` and ``L(T=...)`` (L per entropy density,
    interpolated in ln T, held at its end values outside the solver's range).
    """
    res = card_of(point).run()
    out = result_values(res)
    out.update({f"f_nu(y={y:.6g})": float(f) for y, f in zip(res.y[1:], res.f_nu[1:])})
    out.update({f"f_nubar(y={y:.6g})": float(f) for y, f in zip(res.y[1:], res.f_nubar[1:])})
    if res.lepton_asymmetry is not None:
        lnt = np.log(res.temperature[::-1])
        hist = np.interp(np.log(HISTORY_T), lnt, res.lepton_asymmetry[::-1])
        out.update({f"L(T={t:.6g})": float(v) for t, v in zip(HISTORY_T, hist)})
    return out


#: z = 1 MeV/T values on which :func:`evaluate_card_production` samples d f_s/dz at x = 1.
PRODUCTION_Z = np.geomspace(1e-4, 10.0, 161)


def evaluate_card_production(point: dict) -> dict[str, float]:
    """Evaluator with the spectrum and d f_s/dz at x = p/T = 1 on :data:`PRODUCTION_Z` (PRL Fig. 3).

    Columns ``dfs_dz(z=...)``, interpolated in ln z (zero outside the solver's range).
    """
    res = card_of(point).run()
    out = result_values(res, spectra=True)
    t, dfs_dz = res.production_at(1.0)
    z = const.Z_SCALE / t
    vals = np.interp(np.log(PRODUCTION_Z), np.log(z), dfs_dz, left=0.0, right=0.0)
    out.update({f"dfs_dz(z={zz:.6g})": float(v) for zz, v in zip(PRODUCTION_Z, vals)})
    return out


def columns_with_prefix(values: dict, prefix: str):
    """(x, value) arrays from result columns named ``prefix(NAME=x)``, sorted by x."""
    xs, vs = [], []
    for k, v in values.items():
        if k.startswith(prefix + "("):
            xs.append(float(k.split("=", 1)[1].rstrip(")")))
            vs.append(v)
    order = np.argsort(xs)
    return np.array(xs)[order], np.array(vs)[order]


def warm_up() -> None:
    """Build the per-process tables once in a worker, before its first point.

    Runs the default point (SM rates, g*) and evaluates every registered model
    once on a small grid, which builds its lazily tabulated ingredients
    (mediator rates and potentials), so that no point of a scan pays for them.
    """
    from ..models import MODELS

    Card().run()
    t = np.array([[0.3], [0.03], [0.003]])
    for cls in MODELS.values():
        try:
            cls().coefficients(t, 3.0 * t)
        except Exception:  # a model whose defaults need more input: it warms on its first point
            continue


@dataclass(frozen=True)
class RootSpec:
    """A dm-line or contour root problem: which parameter to solve for and in what range.

    Attributes
    ----------
    name : str
        Parameter solved for (model parameter or setting).
    lo, hi : float
        Search range (internal units).
    target : float
        Omega h^2 to reach.
    n_bracket : int
        Points of the log bracketing grid.
    rtol : float
        Relative tolerance of each root in the parameter (Brent).
    """

    name: str
    lo: float
    hi: float
    target: float = const.OMEGA_DM_H2
    n_bracket: int = 24
    rtol: float = 1e-4

    def __post_init__(self):
        if not (0 < self.lo < self.hi and math.isfinite(self.hi)):
            raise QKEInputError(f"{self.name}: the search range needs 0 < START < STOP, "
                                f"got {self.lo:g}:{self.hi:g}")
        if not (self.target > 0 and math.isfinite(self.target)):
            raise QKEInputError(f"target: Omega h^2 must be positive, got {self.target!r}")
        if not (4 <= self.n_bracket <= 400):
            raise QKEInputError(f"bracket: must lie in [4, 400], got {self.n_bracket}")
        if not (1e-12 <= self.rtol <= 0.1):
            raise QKEInputError(f"root-rtol: must lie in [1e-12, 0.1], got {self.rtol:g}")


def omega_function(card: Card, name: str):
    """f(x) = Omega h^2 of ``card`` with parameter ``name`` set to x."""
    def f(x: float) -> float:
        return Card.from_mapping(card.with_value(name, float(x)).to_mapping()).run().omega_h2
    return f


def solve_line_point(point: dict) -> dict[str, float]:
    """Evaluator of ``qke dm-line``: every root of Omega h^2 = target in one parameter, at one point.

    The point carries the card and, under ``root_spec``, the :class:`RootSpec`
    fields. For ``sin2_2theta`` (Omega ∝ sin^2 2theta at small mixing) and
    ``lepton_asymmetry`` (resonant production converts most of L: Omega roughly ∝ L),
    the root follows from one evaluation, x = x0 target/Omega(x0); a second
    evaluation checks it, and log-secant steps polish it if the depletion term
    makes Omega slightly sub-linear (:func:`_proportional_root`; typically 2-3
    evaluations). Otherwise, or if that fails, every sign change on a log
    grid of ``n_bracket`` points is refined by Brent's method (the S-curves of
    the mediator models have up to three roots).
    """
    from .roots import find_roots

    spec = RootSpec(**point["root_spec"])
    card = card_of(point)
    f = omega_function(card, spec.name)
    if spec.name in GUESS:
        found = _proportional_root(f, spec)
        if found is not None:
            return {"n_roots": 1.0, "root_0": found[0], "linear": 1.0, "evaluations": float(found[1])}
    scan = find_roots(f, spec.lo, spec.hi, target=spec.target, n_bracket=spec.n_bracket, rtol=spec.rtol)
    out = {"n_roots": float(len(scan.roots)), "linear": 0.0}
    for r in scan.roots:
        out[f"root_{r.branch}"] = r.x
    return out


def _proportional_root(f, spec: RootSpec, max_steps: int = 8):
    """(root, evaluations) if Omega is (close to) proportional to x, else None.

    One evaluation at a guess x0 gives x1 = x0 target/f(x0), exact if f ∝ x;
    the evaluation at x1 checks it (|f(x1)/target - 1| <= rtol). Otherwise
    log-secant steps with the measured slope d ln f/d ln x polish the root,
    as long as that slope stays within [0.5, 1.5] (else: None, and the caller
    brackets).
    """
    x0 = min(max(GUESS.get(spec.name, math.sqrt(spec.lo * spec.hi)), spec.lo), spec.hi)
    f0 = f(x0)
    if not f0 > 0:
        return None
    x1 = x0 * spec.target / f0
    for n in range(2, max_steps + 2):
        if not spec.lo <= x1 <= spec.hi:
            return None
        f1 = f(x1)
        if abs(f1 / spec.target - 1.0) <= spec.rtol:
            return x1, n
        slope = math.log(f1 / f0) / math.log(x1 / x0) if f1 > 0 and x1 != x0 else math.nan
        if not 0.5 <= slope <= 1.5:
            return None
        x0, f0, x1 = x1, f1, x1 * (spec.target / f1) ** (1.0 / slope)
    return None


def solve_edge_point(point: dict) -> dict[str, float]:
    """Evaluator of a contour vertex: Brent along one grid edge for ln(Omega h^2/target) = 0.

    The point carries the card, ``edge`` (the fields of
    :class:`~qke.scans.contour.EdgeProblem`), ``x_name``, ``y_name`` and ``target``.
    """
    from .contour import EdgeProblem

    card = card_of(point)
    problem = EdgeProblem(**point["edge"])
    target = point["target"]

    def g(x, y):
        c = card.with_value(point["x_name"], float(x)).with_value(point["y_name"], float(y))
        return math.log(c.run().omega_h2 / target)

    x, y = problem.solve(g)
    return {"x": float(x), "y": float(y)}


def root_values(results) -> np.ndarray:
    """Omega h^2 of each point result (NaN where it failed)."""
    return np.array([r.values["omega_h2"] if r.ok else np.nan for r in results])
