"""The scan commands of ``qke``: ``scan``, ``dm-line``, ``contour``, ``export``.

Each builds its points from a base :class:`~qke.cards.Card` (the usual point
options or ``--config``) and runs them with :func:`qke.scans.run.run_points`
(serial, local processes or Dask), storing every finished point in an SQLite
store next to the output (``OUTPUT.sqlite`` unless ``--store`` is given), so
an interrupted scan resumes where it stopped. Outputs: a CSV with a header
naming columns and units, and a JSON sidecar (``OUTPUT.json``) with the base
card, the grid, the qke version and the timing.
"""
from __future__ import annotations

import csv
import dataclasses
import json
import logging
import os
import time
from dataclasses import fields

import numpy as np

from .. import __version__
from .. import constants as const
from ..cards import Card, model_parameter, solver_setting
from ..errors import QKEInputError
from ..units import parse_number
from . import points as pts
from .grid import Axis, parse_axis
from .run import run_points

log = logging.getLogger(__name__)


def add_execution_options(p) -> None:
    """--workers, --dask, --store, --quiet."""
    g = p.add_argument_group("execution")
    g.add_argument("--workers", type=int, default=None,
                   help="local worker processes (default: all cores; 1 = serial)")
    g.add_argument("--dask", default=None, metavar="ADDRESS",
                   help="run on a Dask cluster: a scheduler address, or 'local' for a LocalCluster "
                        "(needs pip install -e \".[cluster]\")")
    g.add_argument("--store", default=None, metavar="FILE",
                   help="SQLite result store (default: OUTPUT.sqlite); finished points are never recomputed")
    g.add_argument("--quiet", action="store_true", help="no progress bar (it is also off when stderr is not a terminal)")


def value_parser(card: Card):
    """``parse(name, text) -> float`` for grid values: energies need units, as on the command line."""
    def parse(name: str, text: str) -> float:
        try:
            return model_parameter(card.model, name, text)
        except QKEInputError as exc:
            if "not a parameter" not in str(exc):
                raise
        try:
            return solver_setting(card.method, name, text)
        except QKEInputError as exc:
            if "does not apply" not in str(exc):
                raise
        raise QKEInputError(f"{name}: neither a parameter of model {card.model!r} nor a setting of "
                            f"method {card.method!r}")
    return parse


def _unit_of(card: Card, name: str) -> str:
    from ..models import MODELS

    cls = MODELS[card.model]
    for f in fields(cls):
        if f.name == name:
            return f.metadata.get("unit", "")
    return "GeV" if name in ("t_high", "t_low") else ""


def _store_path(args, output: str) -> str:
    if args.store:
        return args.store
    if output in (None, "-"):
        raise QKEInputError("output: a scan needs -o FILE (or --store FILE) to keep its results")
    return os.path.splitext(output)[0] + ".sqlite"


def _run(args, points, evaluate, output):
    """Run the points with the chosen executor and store; returns (results, wall time [s])."""
    if args.workers is not None and not 1 <= args.workers <= 1024:
        raise QKEInputError(f"workers: must lie in [1, 1024], got {args.workers}")
    workers = args.workers if args.workers is not None else (os.cpu_count() or 1)
    workers = min(workers, max(1, len(points)))
    start = time.perf_counter()
    results = run_points(points, evaluate, store=_store_path(args, output), workers=workers,
                         dask=args.dask, progress=False if args.quiet else None, version=__version__,
                         initializer=pts.warm_up)
    return results, time.perf_counter() - start


def _write_sidecar(output: str, card: Card, extra: dict, wall: float, results) -> None:
    data = {"qke_version": __version__, "card": card.to_mapping(), "wall_time_s": wall,
            "points": len(results), "failed": sum(not r.ok for r in results),
            "computed": sum(not r.cached for r in results), **extra}
    with open(os.path.splitext(output)[0] + ".json", "w") as fh:
        json.dump(data, fh, indent=2, default=str)


def _axis_info(card: Card, axes) -> list[dict]:
    return [{"name": a.name, "unit": _unit_of(card, a.name) or "dimensionless", "scale": a.scale,
             "values": [float(v) for v in a.values]} for a in axes]


# --- qke scan ----------------------------------------------------------------
def cmd_scan(args, card: Card) -> None:
    """``qke scan``: Omega h^2, Y, <p/T>, peak temperature over a 1-D or 2-D grid."""
    if not args.grid or len(args.grid) > 2:
        raise QKEInputError("grid: give one or two --grid NAME=START:STOP:SCALE:N")
    parse = value_parser(card)
    axes = [parse_axis(spec, parse) for spec in args.grid]
    if len(axes) == 2 and axes[0].name == axes[1].name:
        raise QKEInputError(f"grid: the two axes must differ, got {axes[0].name} twice")
    points = pts.card_points(card, axes)
    evaluate = pts.evaluate_card_spectra if args.spectra else pts.evaluate_card
    results, wall = _run(args, points, evaluate, args.output)
    names = [a.name for a in axes]
    units = {n: _unit_of(card, n) for n in names}
    _write_rows(args.output, names, units, results, pts.RESULT_UNITS)
    _write_sidecar(args.output, card, {"grid": _axis_info(card, axes)}, wall, results)
    log.info("scan: %d points (%d failed) in %.1f s -> %s", len(results), sum(not r.ok for r in results),
             wall, args.output)


def _write_rows(output, names, units, results, result_units) -> None:
    """CSV: axis columns, result columns (union over the points), error; header with units."""
    value_names = list(result_units)
    for r in results:
        for k in (r.values or {}):
            if k not in value_names:
                value_names.append(k)
    with open(output, "w", newline="") as fh:
        fh.write(f"# qke {__version__} scan: {len(results)} points, {sum(not r.ok for r in results)} failed\n")
        cols = [f"{n} [{units.get(n) or 'dimensionless'}]" for n in names]
        cols += [f"{n} [{result_units.get(n) or 'dimensionless'}]" for n in value_names]
        fh.write("# columns: " + ", ".join(cols) + ", error (failed points: empty results, message here)\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([*names, *value_names, "error"])
        for r in results:
            vals = r.values or {}
            w.writerow([repr(float(r.point[n])) for n in names]
                       + ["" if k not in vals else repr(float(vals[k])) for k in value_names] + [r.error or ""])


# --- qke dm-line -------------------------------------------------------------
def parse_solve(spec: str, card: Card, target: float, n_bracket: int, rtol: float) -> pts.RootSpec:
    """``NAME=LO:HI`` (units allowed) -> :class:`~qke.scans.points.RootSpec`."""
    if "=" not in spec or spec.count(":") != 1:
        raise QKEInputError(f"solve: expected NAME=LO:HI, e.g. sin2_2theta=1e-13:1e-5, got {spec!r}")
    name, rng = (s.strip() for s in spec.split("=", 1))
    parse = value_parser(card)
    lo, hi = (parse(name, t.strip()) for t in rng.split(":"))
    return pts.RootSpec(name=name, lo=lo, hi=hi, target=target, n_bracket=n_bracket, rtol=rtol)


def cmd_dm_line(args, card: Card) -> None:
    """``qke dm-line``: every root of Omega h^2 = target in one parameter, for each value of another."""
    over = parse_axis(args.over, value_parser(card))
    spec = parse_solve(args.solve, card, args.target, args.bracket, args.root_rtol)
    if spec.name == over.name:
        raise QKEInputError(f"solve: cannot solve for the scanned parameter {over.name}")
    points = pts.card_points(card, [over])
    for p in points:
        p["root_spec"] = dataclasses.asdict(spec)
    results, wall = _run(args, points, pts.solve_line_point, args.output)
    units = {over.name: _unit_of(card, over.name), spec.name: _unit_of(card, spec.name)}
    rows = line_rows(results, over.name)
    with open(args.output, "w", newline="") as fh:
        fh.write(f"# qke {__version__} dm-line: {spec.name} where Omega h^2 = {spec.target:g}, "
                 f"for each {over.name}; roots refined by Brent to rtol {spec.rtol:g} "
                 "(or checked-linear closed form + log-secant polish)\n")
        fh.write(f"# columns: {over.name} [{units[over.name] or 'dimensionless'}], branch (0, 1, 2 in increasing "
                 f"{spec.name}; empty: no root in range), {spec.name} [{units[spec.name] or 'dimensionless'}], "
                 "method (linear|bracket), error\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([over.name, "branch", spec.name, "method", "error"])
        w.writerows(rows)
    _write_sidecar(args.output, card, {"over": _axis_info(card, [over]), "solve": dataclasses.asdict(spec)},
                   wall, results)


def line_rows(results, over_name: str) -> list[list]:
    """CSV rows of a dm-line: one per root, one empty row where no root was found or the point failed."""
    rows = []
    for r in results:
        x = repr(float(r.point[over_name]))
        if not r.ok:
            rows.append([x, "", "", "", r.error])
            continue
        n = int(r.values["n_roots"])
        method = "linear" if r.values.get("linear") else "bracket"
        if n == 0:
            rows.append([x, "", "", method, "no root in the range"])
        for b in range(n):
            rows.append([x, b, repr(r.values[f"root_{b}"]), method, ""])
    return rows


# --- qke contour -------------------------------------------------------------
@dataclasses.dataclass(frozen=True)
class ContourResult:
    """Refined branches of Omega h^2 = target in a plane, plus the coarse grid."""

    x_axis: Axis
    y_axis: Axis
    omega: np.ndarray
    lines: list
    target: float


def trace_omega_contour(card: Card, x_axis: Axis, y_axis: Axis, target: float, args=None,
                        run=None, rtol: float = 1e-4) -> ContourResult:
    """Coarse grid of Omega h^2 and the refinement of every contour vertex, both through the executors.

    The level set of ln(Omega/target) is extracted with contourpy (log10 axes
    unless an axis is ``lin``); each vertex is then refined by Brent's method
    along its grid edge to ``rtol`` of the axis span (in log10), one scan point
    per edge, so the refinement runs in parallel and is cached in the store
    like the grid.
    """
    from .contour import trace_contour

    if run is None:
        def run(points, evaluate):
            return _run(args, points, evaluate, args.output)[0]
    results = run(pts.card_points(card, [y_axis, x_axis]), pts.evaluate_card)
    omega = pts.root_values(results).reshape(len(y_axis), len(x_axis))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.log(omega / target)
    base = card.to_mapping()

    def solve_edges(problems):
        points = [dict(base, edge=dataclasses.asdict(p), x_name=x_axis.name, y_name=y_axis.name, target=target)
                  for p in problems]
        return [(r.values["x"], r.values["y"]) if r.ok else None for r in run(points, pts.solve_edge_point)]

    lines = trace_contour(x_axis.values, y_axis.values, z, 0.0, log_x=x_axis.scale != "lin",
                          log_y=y_axis.scale != "lin", rtol=rtol, solve_edges=solve_edges)
    return ContourResult(x_axis, y_axis, omega, lines, target)


def cmd_contour(args, card: Card) -> None:
    """``qke contour``: the curve Omega h^2 = target in a plane, as ordered refined branches."""
    parse = value_parser(card)
    x_axis, y_axis = parse_axis(args.x, parse), parse_axis(args.y, parse)
    if x_axis.name == y_axis.name:
        raise QKEInputError(f"y: the two axes must differ, got {x_axis.name} twice")
    start = time.perf_counter()
    res = trace_omega_contour(card, x_axis, y_axis, args.target, args=args, rtol=args.root_rtol)
    wall = time.perf_counter() - start
    write_contour_csv(args.output, card, res)
    with open(os.path.splitext(args.output)[0] + ".json", "w") as fh:
        json.dump({"qke_version": __version__, "card": card.to_mapping(), "wall_time_s": wall,
                   "target": args.target, "x": _axis_info(card, [x_axis])[0], "y": _axis_info(card, [y_axis])[0],
                   "omega_h2_grid": np.where(np.isfinite(res.omega), res.omega, None).tolist(),
                   "branches": len(res.lines)}, fh, indent=2, default=str)


def write_contour_csv(output, card: Card, res: ContourResult) -> None:
    """One row per vertex: branch, index along it, x, y, whether it was refined."""
    ux, uy = _unit_of(card, res.x_axis.name), _unit_of(card, res.y_axis.name)
    with open(output, "w", newline="") as fh:
        fh.write(f"# qke {__version__} contour Omega h^2 = {res.target:g}: {len(res.lines)} branch(es), "
                 "vertices refined along grid edges (Brent)\n")
        fh.write(f"# columns: branch, vertex, {res.x_axis.name} [{ux or 'dimensionless'}], "
                 f"{res.y_axis.name} [{uy or 'dimensionless'}], refined (1: on the curve to the root tolerance)\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["branch", "vertex", res.x_axis.name, res.y_axis.name, "refined"])
        for b, line in enumerate(res.lines):
            for i, (x, y, ok) in enumerate(zip(line.x, line.y, line.refined)):
                w.writerow([b, i, repr(float(x)), repr(float(y)), int(bool(ok))])


# --- qke export --------------------------------------------------------------
def cmd_export(args) -> None:
    """``qke export STORE -o CSV``: every point of a store as CSV, at any time (also mid-scan)."""
    from .store import ResultStore

    if not os.path.exists(args.store_file):
        raise QKEInputError(f"store: no such file {args.store_file!r}")
    store = ResultStore(args.store_file, version=__version__)
    try:
        store.export_csv(args.output)
    finally:
        store.close()


def add_parsers(sub, common, add_point_options) -> None:
    """Register ``scan``, ``dm-line``, ``contour`` and ``export`` on the ``qke`` subparsers."""
    s = sub.add_parser("scan", parents=[common], help="Omega h^2, Y, <p/T>, peak T over a 1-D or 2-D grid")
    add_point_options(s)
    s.add_argument("--grid", action="append", default=[], metavar="NAME=START:STOP:SCALE:N",
                   help="grid axis (repeat for a plane); SCALE log, lin, or NAME=v1,v2,...; energies with units")
    s.add_argument("--spectra", action="store_true", help="also record the final spectrum f_s(y) per point")
    _add_output(s, cmd_scan)

    d = sub.add_parser("dm-line", parents=[common],
                       help="for each value of one parameter, every value of another giving Omega h^2 = target")
    add_point_options(d)
    d.add_argument("--over", required=True, metavar="NAME=START:STOP:SCALE:N", help="the outer parameter's grid")
    d.add_argument("--solve", required=True, metavar="NAME=LO:HI", help="parameter solved for and its range")
    _add_root_options(d)
    _add_output(d, cmd_dm_line)

    c = sub.add_parser("contour", parents=[common], help="the curve Omega h^2 = target in a plane, refined")
    add_point_options(c)
    c.add_argument("--x", required=True, metavar="NAME=START:STOP:SCALE:N", help="horizontal axis of the coarse grid")
    c.add_argument("--y", required=True, metavar="NAME=START:STOP:SCALE:N", help="vertical axis of the coarse grid")
    _add_root_options(c)
    _add_output(c, cmd_contour)

    e = sub.add_parser("export", parents=[common], help="write the points of a scan store as CSV")
    e.add_argument("store_file", metavar="STORE", help="SQLite store of a scan")
    e.add_argument("-o", "--output", required=True, help="CSV file")
    e.set_defaults(func=cmd_export)


def _add_output(p, command) -> None:
    """-o (required), the execution options, and the command to run."""
    p.add_argument("-o", "--output", required=True, help="CSV file (a JSON sidecar and the store go beside it)")
    add_execution_options(p)
    p.set_defaults(scan_command=command)


def _positive(name):
    def conv(text):
        v = parse_number(text, name)
        if not v > 0:
            raise QKEInputError(f"{name}: must be positive, got {text!r}")
        return v
    conv.__name__ = name
    return conv


def _add_root_options(p) -> None:
    p.add_argument("--target", type=_positive("target"), default=const.OMEGA_DM_H2,
                   help=f"Omega h^2 to reach (default: Omega_DM h^2 = {const.OMEGA_DM_H2})")
    p.add_argument("--bracket", type=int, default=24, help="points of the log bracketing grid (default 24)")
    p.add_argument("--root-rtol", dest="root_rtol", type=_positive("root-rtol"), default=1e-4,
                   help="root tolerance (relative, in the solved parameter; contour: fraction of the "
                        "axis span in log10) (default 1e-4)")
