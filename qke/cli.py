"""The ``qke`` command: relic abundances, spectra, solver comparison, benchmarks, derivations.

Examples
--------
    qke relic --model sm --flavor mu --m4 7.1keV --sin2-2theta 2e-9
    qke relic --model sm --m4 7.1keV --sin2-2theta 2e-9 --json --save-config point.toml
    qke relic --config point.toml
    qke spectrum --model sm --m4 7.1keV --sin2-2theta 2e-9 -o spectrum.csv
    qke compare --model sm --m4 7.1keV --sin2-2theta 2e-9
    qke bench
    qke derive

Every point is a :class:`qke.cards.Card`: the options build one (on top of
``--config FILE`` if given), the solver runs it, and JSON output embeds it.
User errors (bad parameters, options that do not apply to the method) print
one line naming the parameter and exit 2; solver failures exit 3.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import logging
import os
import sys
from dataclasses import fields

import numpy as np

from . import __version__
from .errors import QKEInputError, SolverError
from .solvers import core
from .units import format_energy, parse_energy, parse_number

log = logging.getLogger("qke")

EXIT_USER_ERROR = 2
EXIT_SOLVER_ERROR = 3

#: The point run when no option is given (the README's plain-DW example).
DEFAULT_POINT = {"m4": 7.1e-6, "sin2_2theta": 2e-9, "flavor": "mu"}


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line naming the problem (no usage dump)."""

    def error(self, message):
        raise QKEInputError(message)


def _number(name):
    def conv(text):
        return parse_number(text, name)
    conv.__name__ = name
    return conv


def _integer(name):
    def conv(text):
        value = parse_number(text, name)
        if value != int(value):
            raise QKEInputError(f"{name}: must be an integer, got {text!r}")
        return int(value)
    conv.__name__ = name
    return conv


def _energy(name):
    def conv(text):
        return parse_energy(text, name)
    conv.__name__ = name
    return conv


def _add_point_options(p, method_option=True):
    g = p.add_argument_group("model")
    g.add_argument("--config", default=None, metavar="FILE",
                   help="TOML point card to start from (options given here override it)")
    g.add_argument("--save-config", dest="save_config", default=None, metavar="FILE",
                   help="write the point card (TOML) that reproduces this run")
    g.add_argument("--model", default=None, help="registered model name (default: sm)")
    g.add_argument("--flavor", "--flavour", dest="flavor", default=None,
                   help="active flavour mixing with the sterile state: e, mu, tau (default: mu)")
    g.add_argument("--m4", type=_energy("m4"), default=None,
                   help="sterile mass with unit, e.g. 7.1keV (default: 7.1keV)")
    g.add_argument("--sin2-2theta", dest="sin2_2theta", type=_number("sin2_2theta"), default=None,
                   help="vacuum mixing sin^2 2theta in (0, 1] (default: 2e-9)")
    g.add_argument("--rate", default=None, help="SM collision rate: als (default), leptonic, venumadhav")
    g.add_argument("--potential", default=None,
                   help="SM thermal potential: nr (default), nr-relativistic, seed-draft, seed-paper")
    g.add_argument("--param", "-P", action="append", default=[], metavar="NAME=VALUE",
                   help="other model parameter (repeatable); energies need units, e.g. m_phi=10MeV")
    g.add_argument("--self-mphi", dest="self_mphi", type=_energy("self-mphi"), default=None,
                   help="mediator mass of a sterile self-interaction, with unit (Gamma_s[f_s] in both solvers)")
    g.add_argument("--self-lambda", dest="self_lambda", type=_number("self-lambda"), default=None,
                   help="coupling of the sterile self-interaction")
    g.add_argument("--lepton-asymmetry", dest="lepton_asymmetry", type=_number("lepton-asymmetry"),
                   default=None, help="initial lepton asymmetry of the mixing flavour, (lepton number)/s "
                                      "(L_6 = 1e6 x this); evolves with production (rate equation)")
    g.add_argument("--lepton-asymmetry-convention", dest="asymmetry_convention", default="entropy",
                   help="what --lepton-asymmetry is: entropy (per entropy density, default), photon "
                        "(per photon number density) or T3 (per T^3), the last two at "
                        "--lepton-asymmetry-temperature")
    g.add_argument("--lepton-asymmetry-temperature", dest="asymmetry_temperature",
                   type=_energy("lepton-asymmetry-temperature"), default=None,
                   help="temperature at which a photon or T3 asymmetry is given, with unit (default 10GeV)")
    c = p.add_argument_group("cosmology")
    c.add_argument("--cosmology", default=None,
                   help="standard (Saikawa-Shirai g*, default), laine-schroder, constant (seeds' fixed g*)")
    c.add_argument("--gstar", type=_number("gstar"), default=None,
                   help="g* for --cosmology constant, in [2, 1000] (default 10.75)")
    s = p.add_argument_group("solver")
    if method_option:
        s.add_argument("--method", default=None, help="rate (averaged rate equation, default) or qke")
    s.add_argument("--t-high", dest="t_high", type=_energy("t-high"), default=None,
                   help=f"start temperature with unit (default: automatic, {core.RANGE_HIGH:g} T_peak, "
                        "raised while production has not stopped)")
    s.add_argument("--t-low", dest="t_low", type=_energy("t-low"), default=None,
                   help=f"end temperature with unit (default: automatic, T_peak/{core.RANGE_LOW:g}, "
                        "lowered while production has not stopped)")
    s.add_argument("--rtol", type=_number("rtol"), default=None,
                   help="relative tolerance (rate: target error of the yield, default 3e-4; "
                        "qke: step tolerance, default 1e-5)")
    s.add_argument("--atol", type=_number("atol"), default=None,
                   help="qke: absolute tolerance of the diagonal and off-diagonal parts (default 1e-13)")
    s.add_argument("--bins", type=_integer("bins"), default=None,
                   help="momentum grid (rate: initial intervals, multiple of 4, default 64, refined "
                        "automatically; qke: bins, default 200)")
    s.add_argument("--no-depletion", dest="no_depletion", action="store_true",
                   help="rate: drop the -f_s inverse term (the seeds' literal equation)")
    s.add_argument("--no-repopulation", dest="no_repopulation", action="store_true",
                   help="qke: no relaxation of the active state to equilibrium")


# --- from options to a card -----------------------------------------------
def _model_parameters(args, card, model_name: str) -> dict:
    from .cards import CORE_PARAMETERS, model_parameter

    params = dict(DEFAULT_POINT)
    params.update(card.parameters if model_name == card.model else {})
    if args.m4 is not None:
        params["m4"] = args.m4  # already in GeV
    for opt in ("sin2_2theta", "flavor", "rate", "potential"):
        value = getattr(args, opt)
        if value is not None:
            params[opt] = model_parameter(model_name, opt, value)
    for item in args.param:
        if "=" not in item:
            raise QKEInputError(f"param: expected NAME=VALUE, got {item!r}")
        key, value = (x.strip() for x in item.split("=", 1))
        key = key.replace("-", "_")
        if key in CORE_PARAMETERS:
            raise QKEInputError(f"{key}: set it with --{key.replace('_', '-')}, not with -P")
        params[key] = model_parameter(model_name, key, value)
    if args.self_mphi is not None or args.self_lambda is not None:
        params["self_m_phi"], params["self_lambda"] = args.self_mphi, args.self_lambda
    if args.lepton_asymmetry is not None:
        params["lepton_asymmetry"] = _asymmetry_per_entropy(args, card)
    elif args.asymmetry_temperature is not None or args.asymmetry_convention != "entropy":
        raise QKEInputError("lepton-asymmetry-convention: give --lepton-asymmetry too")
    return params


def _asymmetry_per_entropy(args, card) -> float:
    """--lepton-asymmetry in the card's convention (per entropy density) from the stated convention."""
    from .cosmology import make_cosmology
    from .physics.lepton_asymmetry import asymmetry_per_entropy

    if args.asymmetry_convention == "entropy" and args.asymmetry_temperature is not None:
        raise QKEInputError("lepton-asymmetry-temperature: only for --lepton-asymmetry-convention photon or T3")
    temperature = 10.0 if args.asymmetry_temperature is None else args.asymmetry_temperature
    cosmology = make_cosmology(args.cosmology or card.cosmology, args.gstar if args.gstar is not None else card.gstar)
    return asymmetry_per_entropy(args.lepton_asymmetry, args.asymmetry_convention, temperature, cosmology)


def _settings(args, method: str, card) -> dict:
    """Solver settings from the card and the options; an option that does not apply is an error."""
    from .solvers import get_solver

    settings = dict(card.settings) if method == card.method else {}
    given = {"t_high": args.t_high, "t_low": args.t_low, "rtol": args.rtol}
    if args.bins is not None:
        given["n_y" if method == "rate" else "n_bins"] = args.bins
    if args.atol is not None:
        given.update(atol_diag=args.atol, atol_offdiag=args.atol)
    if args.no_depletion:
        given["depletion"] = False
    if args.no_repopulation:
        given["repopulation"] = False
    option = {"atol_diag": "atol", "atol_offdiag": "atol", "depletion": "no-depletion",
              "repopulation": "no-repopulation", "n_y": "bins", "n_bins": "bins"}
    applies = {f.name for f in fields(get_solver(method).settings)}
    for key, value in given.items():
        if value is None:
            continue
        if key not in applies:
            raise QKEInputError(f"{option.get(key, key)}: does not apply to --method {method}")
        settings[key] = value  # already converted by the option parser (temperatures in GeV)
    return settings


def card_from_args(args, method: str | None = None):
    """The :class:`~qke.cards.Card` described by the options (on top of ``--config``)."""
    from .cards import Card

    card = Card.from_toml(args.config) if args.config else Card()
    model_name = args.model or card.model
    method = method or getattr(args, "method", None) or card.method
    from .solvers import get_solver

    get_solver(method)
    params = _model_parameters(args, card, model_name)
    cosmology = args.cosmology or card.cosmology
    gstar = args.gstar if args.gstar is not None else card.gstar
    if gstar is not None and cosmology != "constant":
        raise QKEInputError("gstar: only meaningful with --cosmology constant")
    return Card(model=model_name, parameters=params, method=method, cosmology=cosmology, gstar=gstar,
                settings=_settings(args, method, card))


def _check_writable(path, option: str) -> None:
    """Fail before a long solve if ``path`` cannot be written."""
    if path is None or path == "-":
        return
    if not str(path).strip():
        raise QKEInputError(f"{option}: empty file name")
    if os.path.isdir(path):
        raise QKEInputError(f"{option}: {path!r} is a directory, not a file")
    existed = os.path.exists(path)
    try:
        with open(path, "a"):
            pass
    except OSError as exc:
        raise QKEInputError(f"{option}: cannot write {path!r}: {exc.strerror}") from None
    if not existed:
        os.remove(path)


def _prepare(args, method: str | None = None):
    """Card from the options, output paths checked, card saved if asked."""
    card = card_from_args(args, method)
    _check_writable(getattr(args, "output", None), "output")
    _check_writable(args.save_config, "save-config")
    card.build()  # validates model, cosmology and settings before anything runs
    if args.save_config:
        card.write(args.save_config)
        log.info("wrote %s", args.save_config)
    return card


def _json_default(obj):
    if isinstance(obj, (np.floating, np.integer, np.bool_)):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return str(obj)


# --- output ------------------------------------------------------------------
def _grid_line(res) -> str:
    d, s = res.diagnostics, res.settings
    if res.method == "rate":
        refined = len(d.refinements) - 1
        note = (f"; started from {d.refinements[0].n_t} x {d.refinements[0].n_y}, {refined} refinement(s)"
                if refined else "")
        return (f"{d.n_t} intervals in ln T x {d.n_y} momentum intervals on 0 <= p/T_nu <= {d.y_max:g}"
                f"{note}; est. rel. error {d.error_estimate:.1e}" + ("" if d.converged else "  (NOT converged)"))
    species = " (x2: nu and nubar)" if d.species == 2 else ""
    return (f"{d.n_bins} momentum bins{species} on 0 < p/T_nu <= {d.y_max:g}; Radau IIA, rtol {s.rtol:g}, "
            f"atol {s.atol_diag:g} (diag) / {s.atol_offdiag:g} (off-diag); {res.stats.steps} steps, "
            f"{res.stats.jacobian_evaluations} Jacobian evaluations")


def _summary(res) -> str:
    from .solvers import get_solver

    m = res.model
    from .models.base import Model

    mixing = (f"sin^2 2theta = {m.sin2_2theta:.4g}" if type(m).mixing is Model.mixing
              else f"sin^2 2theta(T) from the model (at peak production: {float(m.mixing(res.peak_temperature)):.4g})")
    lines = [
        f"qke {__version__}: model {m.name}, nu_{m.flavor}, m4 = {format_energy(m.m4)}, {mixing}",
        f"  method            {get_solver(res.method).description}",
        f"  cosmology         {res.cosmology}",
        f"  Omega_s h^2       {res.omega_h2:.5g}   ({res.dm_fraction:.4g} x Omega_DM h^2 = 0.120)",
    ]
    if res.asymmetric:
        lines.append(f"    nu_s / nubar_s  {res.omega_h2_nu:.5g} / {res.omega_h2_nubar:.5g}")
    if res.lepton_asymmetry is not None:
        lines.append(f"  lepton asymmetry  L/s = {res.lepton_asymmetry[0]:.5g} -> {res.lepton_asymmetry[-1]:.5g} "
                     f"(L_6 {1e6 * res.lepton_asymmetry[0]:.4g} -> {1e6 * res.lepton_asymmetry[-1]:.4g})")
    lines += [
        f"  Y = n_s/s         {res.yield_:.5g}",
        f"  <p/T_nu>          {res.mean_p_over_T:.4g}",
        f"  peak production   T = {format_energy(res.peak_temperature)}",
        f"  temperature range {format_energy(res.diagnostics.t_high)} -> {format_energy(res.diagnostics.t_low)}",
        f"  grid              {_grid_line(res)}",
        f"  wall time         {res.stats.wall_time_s * 1e3:.1f} ms",
    ]
    return "\n".join(lines)


def cmd_relic(args):
    res = _prepare(args).run()
    if args.json:
        print(json.dumps(res.to_dict(), default=_json_default, indent=2))
    else:
        print(_summary(res))


def _spectrum_text(res) -> str:
    card = res.card or {}
    header = [f"# qke {__version__} sterile spectrum; the point card that reproduces it:"]
    header += ["#   " + json.dumps(card, default=_json_default)]
    header += [
        f"# model {res.model.name}: {json.dumps(res.model.parameters(), default=_json_default)} (energies in GeV)",
        "# solver settings (resolved; temperatures in GeV): "
        + json.dumps(dataclasses.asdict(res.settings), default=_json_default),
        f"# method {res.method}, cosmology {res.cosmology}; Omega_s h^2 = {res.omega_h2:.6g}, "
        f"Y = {res.yield_:.6g}, <p/T_nu> = {res.mean_p_over_T:.6g}",
        "# columns: y = p/T_nu (comoving momentum over active-neutrino temperature, dimensionless); "
        "f_s = occupation number per helicity (mean of nu_s and nubar_s, dimensionless); "
        "y2_f_s = y^2 f_s (dimensionless)" + ("; f_nu, f_nubar = nu_s and nubar_s occupations"
                                              if res.asymmetric else ""),
        "y,f_s,y2_f_s" + (",f_nu,f_nubar" if res.asymmetric else ""),
    ]
    rows = []
    for i in range(1, res.y.size):  # y = 0 carries no states: no row
        y, f = res.y[i], res.f_s[i]
        extra = f",{res.f_nu[i]:.8g},{res.f_nubar[i]:.8g}" if res.asymmetric else ""
        rows.append(f"{y:.8g},{f:.8g},{y * y * f:.8g}{extra}")
    return "\n".join(header + rows) + "\n"


def cmd_spectrum(args):
    res = _prepare(args).run()
    text = _spectrum_text(res)
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return
    with open(args.output, "w") as fh:
        fh.write(text)
    log.info("wrote %s", args.output)


def cmd_compare(args):
    from .solvers.compare import compare

    card = _prepare(args, method="qke")
    model, cosmology, qke_settings = card.build()
    comp = compare(model, cosmology, qke_settings=qke_settings)
    if args.json:
        out = comp.to_dict()
        out["card"] = card.to_mapping()
        print(json.dumps(out, default=_json_default, indent=2))
        return
    q, r = comp.qke, comp.rate
    print(f"qke {__version__}: model {model.name}, nu_{model.flavor}, m4 = {format_energy(model.m4)}, "
          f"sin^2 2theta = {model.sin2_2theta:.4g}, cosmology {cosmology.name}")
    print(f"  {'':18s}{'rate equation':>16s}{'QKE':>16s}{'QKE/rate':>12s}")
    print(f"  {'Omega_s h^2':18s}{r.omega_h2:16.6g}{q.omega_h2:16.6g}{comp.ratio:12.6f}")
    print(f"  {'<p/T_nu>':18s}{r.mean_p_over_T:16.5g}{q.mean_p_over_T:16.5g}"
          f"{q.mean_p_over_T / r.mean_p_over_T:12.6f}")
    print(f"  {'peak T':18s}{format_energy(r.peak_temperature):>16s}{format_energy(q.peak_temperature):>16s}")
    print(f"  largest |f22/f_s - 1| for 0.1 <= p/T_nu <= 10: {comp.max_deviation:.3e} "
          f"at p/T_nu = {comp.max_deviation_y:.3g}")


def cmd_scan_like(args):
    """``scan``, ``dm-line``, ``contour``: the base card from the options, outputs checked, then the scan."""
    card = card_from_args(args)
    _check_writable(args.output, "output")
    card.build()
    args.scan_command(args, card)


def cmd_figures(args):
    from pathlib import Path

    from .figures import FIGURES, FigureContext, make

    if args.list or not args.names:
        for f in FIGURES.values():
            print(f"{f.name:14s} {f.title}  [{f.source}]")
        return
    if args.workers is not None and not 1 <= args.workers <= 1024:
        raise QKEInputError(f"workers: must lie in [1, 1024], got {args.workers}")
    out = Path(args.output)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise QKEInputError(f"output: cannot create folder {args.output!r}: {exc.strerror}") from None
    ctx = FigureContext(out, quick=args.quick, workers=args.workers, dask=args.dask,
                        progress=False if args.quiet else None, data=_figure_data(args.data))
    for path in make(args.names, ctx):
        print(f"wrote {path}")


def _figure_data(items) -> tuple:
    """``--data NAME=FILE`` options as (name, path) pairs; the files must exist."""
    import os

    out = []
    for item in items:
        name, sep, path = item.partition("=")
        if not sep or not name.strip() or not path.strip():
            raise QKEInputError(f"data: expected NAME=FILE, e.g. xray=limits.csv, got {item!r}")
        if not os.path.isfile(path.strip()):
            raise QKEInputError(f"data: no such file {path.strip()!r} (for {name.strip()!r})")
        out.append((name.strip(), path.strip()))
    return tuple(out)


def cmd_bench(args):
    from . import bench

    if args.method == "rate":
        report = bench.bench_rate(repeat=args.repeat)
    elif args.method == "qke":
        report = bench.bench_qke(bins=tuple(args.qke_bins), repeat=args.repeat)
    else:
        raise QKEInputError(f"method: unknown {args.method!r}; allowed: rate, qke")
    if args.json:
        print(json.dumps(report, default=_json_default, indent=2))
    else:
        print(bench.format_report(report))


def cmd_derive(args):
    from . import derive

    ran = derive.run(args.names or None)
    for script in ran:
        print(f"derived {script.name}")


def _common():
    """Options every subcommand accepts (also after the subcommand name)."""
    c = argparse.ArgumentParser(add_help=False)
    c.add_argument("-v", "--verbose", action="store_true", default=argparse.SUPPRESS,
                   help="log progress to stderr")
    return c


def make_parser():
    common = _common()
    p = _Parser(prog="qke", description="Sterile-neutrino dark matter: rate equation and density-matrix "
                                        "(QKE) solvers.", parents=[common])
    p.add_argument("--version", action="version", version=f"qke {__version__}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    r = sub.add_parser("relic", parents=[common], help="relic abundance Omega h^2, yield, <p/T>")
    _add_point_options(r)
    r.add_argument("--json", action="store_true", help="print machine-readable JSON (embeds the point card)")
    r.set_defaults(func=cmd_relic)

    s = sub.add_parser("spectrum", parents=[common], help="write the final sterile spectrum f_s(p/T_nu) as CSV")
    _add_point_options(s)
    s.add_argument("-o", "--output", default=None, help="CSV file (default: standard output)")
    s.set_defaults(func=cmd_spectrum)

    c = sub.add_parser("compare", parents=[common], help="QKE versus averaged rate equation for the same model")
    _add_point_options(c, method_option=False)
    c.add_argument("--json", action="store_true", help="print machine-readable JSON")
    c.set_defaults(func=cmd_compare)

    b = sub.add_parser("bench", parents=[common], help="benchmark one relic-abundance evaluation")
    b.add_argument("--method", default="rate", help="rate (default) or qke")
    b.add_argument("--repeat", type=_integer("repeat"), default=20, help="warm evaluations to time (median), >= 1")
    b.add_argument("--qke-bins", type=_integer("qke-bins"), nargs="+", default=[100, 200, 400, 800],
                   help="bin counts for --method qke")
    b.add_argument("--json", action="store_true", help="print machine-readable JSON")
    b.set_defaults(func=cmd_bench)

    from .scans.commands import add_parsers

    add_parsers(sub, common, _add_point_options)
    for name in ("scan", "dm-line", "contour"):
        sub.choices[name].set_defaults(func=cmd_scan_like)

    f = sub.add_parser("figures", parents=[common], help="list or regenerate the figures (papers' and qke's own)")
    f.add_argument("names", nargs="*", help="figure names, or all (see --list)")
    f.add_argument("--list", action="store_true", help="list the figures")
    f.add_argument("--quick", action="store_true", help="low resolution (seconds per figure)")
    f.add_argument("-o", "--output", default="figures", help="output folder (default: ./figures)")
    f.add_argument("--workers", type=_integer("workers"), default=None, help="local processes (default: all cores)")
    f.add_argument("--dask", default=None, metavar="ADDRESS", help="Dask scheduler address or 'local'")
    f.add_argument("--quiet", action="store_true", help="no progress bar")
    f.add_argument("--data", action="append", default=[], metavar="NAME=FILE",
                   help="user data file for a figure (repeatable), e.g. xray=limits.csv: the X-ray/gamma-ray "
                        "line limits of bh-fig2 (CSV: m_s_keV, sin2_2theta, label)"),
    f.set_defaults(func=cmd_figures)

    d = sub.add_parser("derive", parents=[common], help="re-run the SymPy derivations (source checkout)")
    d.add_argument("names", nargs="*", help="derivation names (default: all)")
    d.set_defaults(func=cmd_derive)
    return p


_VALUE_OPTIONS = ("--m4", "--sin2-2theta", "--t-high", "--t-low", "--rtol", "--atol", "--gstar",
                  "--self-mphi", "--self-lambda", "--bins", "--repeat", "--lepton-asymmetry")


def _join_negative_values(argv):
    """Turn ``--m4 -7keV`` into ``--m4=-7keV`` so that a negative value reaches validation."""
    out, i = [], 0
    while i < len(argv):
        tok = argv[i]
        nxt = argv[i + 1] if i + 1 < len(argv) else ""
        if tok in _VALUE_OPTIONS and nxt[:1] == "-" and (nxt[1:2].isdigit() or nxt[1:2] == "."):
            out.append(f"{tok}={nxt}")
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


class _RepeatFilter(logging.Filter):
    """Let each kind of warning (its message template) through ``limit`` times per process.

    A scan or figure solves thousands of points; a per-point warning such as the
    decoupling one would otherwise flood the terminal. The first suppressed copy
    says that the rest are dropped; INFO records (``-v``) always pass.
    """

    def __init__(self, limit: int = 3):
        super().__init__()
        self.limit = limit
        self.seen: dict = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno < logging.WARNING:
            return True
        n = self.seen[record.msg] = self.seen.get(record.msg, 0) + 1
        if n == self.limit + 1:
            record.msg = str(record.msg) + " (further warnings of this kind are not shown)"
        return n <= self.limit + 1


def main(argv=None) -> int:
    """Entry point of the ``qke`` console script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("qke: %(levelname)s: %(message)s"))
    handler.addFilter(_RepeatFilter())
    logger = logging.getLogger("qke")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        args = make_parser().parse_args(_join_negative_values(argv))
        logger.setLevel(logging.INFO if getattr(args, "verbose", False) else logging.WARNING)
        args.func(args)
    except QKEInputError as exc:
        print(f"qke: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except SolverError as exc:
        print(f"qke: solver failed: {exc}", file=sys.stderr)
        return EXIT_SOLVER_ERROR
    except BrokenPipeError:
        return 0
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    return 0


if __name__ == "__main__":
    sys.exit(main())
