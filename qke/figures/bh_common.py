"""Shared pieces of the Berlin & Hooper figures (``bh-fig1``, ``bh-fig2``, ``bh-fig3``).

- :func:`solve_coupling_point`: scan evaluator giving the coupling (``g_phi`` or
  ``g_a``) for which Omega_s h^2 = target at one point, using Omega ∝ coupling^2
  at small mixing (the mixing of :mod:`qke.models.axion` is K phi^2 ∝ coupling^2):
  one evaluation at a guess, the root x0 (target/Omega)^(1/2), a check, and
  log-secant steps with the measured slope if depletion or saturation make it
  sub-quadratic (2-3 solves per point); Brent on a log bracket otherwise.
- :func:`read_limits_file`: the user's X-ray/gamma-ray limit data (never shipped).
- the CMB lifetime bound and the physics statement shared by the captions.
"""
from __future__ import annotations

import csv
import math
import os

import numpy as np

from ..cards import Card
from ..scans.points import RootSpec, card_of, omega_function

#: Environment variable naming the user's X-ray/gamma-ray limit file for BH Fig. 2.
#: Name of the X-ray/gamma-ray limits file in ``qke figures --data NAME=FILE``.
LIMITS_DATA = "xray"

#: The physics behind the BH figures (caption text).
PHYSICS = ("derived physics: ALS rates (held at their 10 GeV values above 10 GeV), Notzold-Raffelt potential, "
           "Saikawa-Shirai g*(T), rate equation; BH used the Venumadhav et al. rates")


def caption(text: str, width: int = 125) -> str:
    """``text`` wrapped for a figure caption."""
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def solve_coupling_point(point: dict) -> dict[str, float]:
    """Evaluator: the coupling giving Omega h^2 = target, and the model's outputs there.

    The point carries the card and ``root_spec`` (fields of :class:`~qke.scans.points.RootSpec`;
    ``name`` is the coupling). Returns ``n_roots`` (0 or 1), ``root_0``, ``evaluations``,
    and at the root: ``omega_h2``, ``peak_temperature`` [GeV], ``mixing_today``,
    ``oscillation_temperature`` [GeV], ``lifetime_s``, ``width_nu_phi`` [GeV] and, for
    the QCD axion, ``f_a`` [GeV] (f_a_max when unset).
    """
    from ..scans.roots import find_roots

    spec = RootSpec(**point["root_spec"])
    card = card_of(point)
    f = omega_function(card, spec.name)
    root, n = _quadratic_root(card, spec, f)
    if root is None:
        scan = find_roots(f, spec.lo, spec.hi, target=spec.target, n_bracket=spec.n_bracket, rtol=spec.rtol)
        if not scan.roots:
            return {"n_roots": 0.0, "evaluations": float(spec.n_bracket)}
        root, n = scan.roots[0].x, spec.n_bracket
    at_root = card.with_value(spec.name, float(root))
    res = at_root.run()
    model = res.model
    out = {"n_roots": 1.0, "root_0": float(root), "evaluations": float(n + 1), "omega_h2": res.omega_h2,
           "peak_temperature": res.peak_temperature, "mixing_today": model.mixing_today(),
           "oscillation_temperature": model.oscillation_temperature(), "lifetime_s": model.lifetime(),
           "width_nu_phi": model.width_nu_phi()}
    if hasattr(model, "f_a_effective"):
        out["f_a"] = float(model.f_a_effective)
    return out


def solve_mixing_point(point: dict) -> dict[str, float]:
    """Evaluator: the plain-DW sin^2 2theta with Omega h^2 = target (``root_spec.name = 'sin2_2theta'``).

    As :func:`qke.scans.points.solve_line_point`, but the first guess follows the DW
    line, sin^2 2theta ~ 2e-9 (m4/7.1 keV)^-1.8, so that masses up to 1 GeV start in
    the linear regime. Returns ``n_roots``, ``root_0``, ``evaluations``.
    """
    from ..scans.points import solve_line_point

    spec = RootSpec(**point["root_spec"])
    card = card_of(point)
    m4 = float(card.parameters["m4"])
    x0 = min(max(2e-9 * (m4 / 7.1e-6) ** -1.8, spec.lo), spec.hi)
    root, n = _power_root(spec, omega_function(card, spec.name), x0, 1.0)
    if root is None:
        return solve_line_point(point)
    return {"n_roots": 1.0, "root_0": float(root), "evaluations": float(n)}


def _quadratic_root(card: Card, spec: RootSpec, f):
    """(root, evaluations) for Omega ∝ coupling^2, or (None, n)."""
    # first guess: the coupling at which the mixing at the production peak is 1e-11 (m4/100 keV)^-1.8
    model = card.with_value(spec.name, math.sqrt(spec.lo * spec.hi)).build()[0]
    t_peak = model.production_temperature()
    x_ref = float(model.mixing_strength(np.array([t_peak]))[0])
    want = 1e-11 * (model.m4 / 1e-4) ** -1.8
    x0 = math.sqrt(spec.lo * spec.hi) * math.sqrt(want / x_ref) if x_ref > 0 else math.sqrt(spec.lo * spec.hi)
    return _power_root(spec, f, min(max(x0, spec.lo), spec.hi), 2.0)


def _power_root(spec: RootSpec, f, x0: float, slope: float, max_steps: int = 8):
    """(root, evaluations) of f(x) = target for f ∝ x^slope near the root (log-secant), or (None, n)."""
    f0 = f(x0)
    n = 1
    if not f0 > 0:
        return None, n
    x1 = x0 * (spec.target / f0) ** (1.0 / slope)
    for n in range(2, max_steps + 2):
        if not spec.lo <= x1 <= spec.hi:
            return None, n
        f1 = f(x1)
        if abs(f1 / spec.target - 1.0) <= spec.rtol:
            return x1, n
        slope = math.log(f1 / f0) / math.log(x1 / x0) if f1 > 0 and x1 != x0 else math.nan
        if not 0.3 <= slope <= 3.0:
            return None, n
        x0, f0, x1 = x1, f1, x1 * (spec.target / f1) ** (1.0 / slope)
    return None, n


def read_limits_file(path=None):
    """The user's X-ray/gamma-ray line limits, or None if no file is given.

    File (CSV; lines starting with '#' are comments): columns ``m_s_keV`` (sterile
    mass [keV]), ``sin2_2theta`` (upper limit on sin^2 2theta, dimensionless) and
    optionally ``label`` (one curve per label, e.g. the experiment and its reference).
    The path is given with ``qke figures bh-fig2 --data xray=FILE``.

    Returns
    -------
    dict or None
        label -> (m_s [GeV] array, sin^2 2theta limit array), and the file path under ``"_path"``.
    """
    if not path:
        return None
    curves: dict = {}
    with open(path, newline="") as fh:
        rows = csv.DictReader(line for line in fh if line.strip() and not line.lstrip().startswith("#"))
        for row in rows:
            label = (row.get("label") or "limit").strip()
            curves.setdefault(label, []).append((float(row["m_s_keV"]) * 1e-6, float(row["sin2_2theta"])))
    out = {k: tuple(np.array(v).T) for k, v in curves.items()}
    out["_path"] = str(path)
    return out
