"""The ``qke`` command: relic abundances, spectra, solver comparison, benchmarks, derivations.

Examples
--------
    qke relic --model sm --flavor mu --m4 7.1keV --sin2-2theta 2e-9
    qke relic --model sm --flavor mu --m4 7.1keV --sin2-2theta 2e-9 --json
    qke spectrum --model sm --m4 7.1keV --sin2-2theta 2e-9 -o spectrum.csv
    qke compare --model sm --m4 7.1keV --sin2-2theta 2e-9
    qke bench
    qke derive

User errors (bad parameters) print one line naming the parameter and exit 2.
"""
from __future__ import annotations

import argparse
import json
import logging
import math
import sys
from dataclasses import fields

import numpy as np

from . import __version__
from .errors import QKEInputError, SolverError
from .units import format_energy, parse_energy

log = logging.getLogger("qke")

EXIT_USER_ERROR = 2
EXIT_SOLVER_ERROR = 3


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one line naming the problem (no usage dump)."""

    def error(self, message):
        raise QKEInputError(message)


def _positive_float(name):
    def conv(text):
        try:
            value = float(text)
        except ValueError:
            raise QKEInputError(f"{name}: not a number: {text!r}") from None
        if not math.isfinite(value):
            raise QKEInputError(f"{name}: must be finite, got {text!r}")
        return value
    conv.__name__ = name
    return conv


def _energy(name):
    def conv(text):
        return parse_energy(text, name)
    conv.__name__ = name
    return conv


def _add_model_options(p):
    g = p.add_argument_group("model")
    g.add_argument("--model", default="sm", help="registered model name (default: sm)")
    g.add_argument("--flavor", "--flavour", dest="flavor", default="mu",
                   help="active flavour mixing with the sterile state: e, mu, tau (default: mu)")
    g.add_argument("--m4", type=_energy("m4"), default=parse_energy("7.1keV", "m4"),
                   help="sterile mass with unit, e.g. 7.1keV (default: 7.1keV)")
    g.add_argument("--sin2-2theta", dest="sin2_2theta", type=_positive_float("sin2-2theta"),
                   default=2e-9, help="vacuum mixing sin^2 2theta in (0, 1] (default: 2e-9)")
    g.add_argument("--rate", default=None,
                   help="SM collision rate: als (default), leptonic, venumadhav")
    g.add_argument("--potential", default=None,
                   help="SM thermal potential: nr (default), nr-relativistic, seed-draft, seed-paper")
    g.add_argument("--param", "-P", action="append", default=[], metavar="NAME=VALUE",
                   help="other model parameter (repeatable); energies take units, e.g. m_phi=10MeV")
    c = p.add_argument_group("cosmology")
    c.add_argument("--cosmology", default="standard",
                   help="standard (Saikawa-Shirai g*), laine-schroder, constant (seeds' fixed g*)")
    c.add_argument("--gstar", type=_positive_float("gstar"), default=None,
                   help="g* for --cosmology constant (default 10.75)")
    s = p.add_argument_group("solver")
    s.add_argument("--method", default="rate", help="rate (averaged rate equation, default) or qke")
    s.add_argument("--t-high", dest="t_high", type=_energy("t-high"), default=None,
                   help="start temperature with unit (default: automatic, 15 T_peak)")
    s.add_argument("--t-low", dest="t_low", type=_energy("t-low"), default=None,
                   help="end temperature with unit (default: automatic, T_peak/25)")
    s.add_argument("--rtol", type=_positive_float("rtol"), default=None,
                   help="relative tolerance (rate: target error of the yield, default 3e-4; qke: step tolerance)")
    s.add_argument("--atol", type=_positive_float("atol"), default=None,
                   help="absolute tolerance of the QKE (diagonal and off-diagonal parts)")
    s.add_argument("--bins", type=int, default=None,
                   help="momentum bins (rate: intervals, multiple of 4, default 64; qke: default 200)")
    s.add_argument("--no-depletion", dest="depletion", action="store_false",
                   help="rate equation: drop the -f_s inverse term (the seeds' literal equation)")
    s.add_argument("--no-repopulation", dest="repopulation", action="store_false",
                   help="qke: no relaxation of the active state to equilibrium")
    s.add_argument("--self-mphi", dest="self_mphi", type=_energy("self-mphi"), default=None,
                   help="qke: mediator mass of a sterile self-interaction, with unit")
    s.add_argument("--self-lambda", dest="self_lambda", type=_positive_float("self-lambda"), default=None,
                   help="qke: coupling of the sterile self-interaction")


def _parse_param_value(name, text):
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return parse_energy(text, name)
    except QKEInputError:
        return text


def build_model(args):
    """Model instance from parsed command-line options."""
    from .models import MODELS, get_model

    if args.model not in MODELS:
        raise QKEInputError(f"model: unknown model {args.model!r}; available: {', '.join(sorted(MODELS))}")
    if args.m4 <= 0:
        raise QKEInputError(f"m4: sterile mass must be positive, got {format_energy(args.m4)}")
    params = {"m4": args.m4, "sin2_2theta": args.sin2_2theta, "flavor": args.flavor}
    names = {f.name for f in fields(MODELS[args.model])}
    for opt in ("rate", "potential"):
        value = getattr(args, opt)
        if value is not None:
            if opt not in names:
                raise QKEInputError(f"{opt}: model {args.model!r} has no option {opt!r}")
            params[opt] = value
    for item in args.param:
        if "=" not in item:
            raise QKEInputError(f"param: expected NAME=VALUE, got {item!r}")
        key, value = item.split("=", 1)
        params[key.strip().replace("-", "_")] = _parse_param_value(key, value.strip())
    return get_model(args.model, **params)


def build_cosmology(args):
    from .cosmology import make_cosmology

    if args.gstar is not None and args.cosmology != "constant":
        raise QKEInputError("gstar: only meaningful with --cosmology constant")
    return make_cosmology(args.cosmology, args.gstar)


def _rate_settings(args, tolerances=True):
    """RateSettings from the options; ``tolerances=False`` keeps the rate solver's own
    grid and tolerance (``qke compare``, where --bins/--rtol address the QKE)."""
    from .solvers.rate import RateSettings

    kw = {"t_high": args.t_high, "t_low": args.t_low, "depletion": args.depletion}
    if tolerances and args.rtol is not None:
        kw["rtol"] = args.rtol
    if tolerances and args.bins is not None:
        kw["n_y"] = args.bins
    return RateSettings(**kw)


def _qke_settings(args):
    from .solvers.qke import QKESettings

    kw = {"t_high": args.t_high, "t_low": args.t_low, "repopulation": args.repopulation}
    if args.bins is not None:
        kw["n_bins"] = args.bins
    if args.rtol is not None:
        kw["rtol"] = args.rtol
    if args.atol is not None:
        kw["atol_diag"] = args.atol
        kw["atol_offdiag"] = args.atol
    return QKESettings(**kw)


def _self_interaction(args, model):
    if args.self_mphi is None and args.self_lambda is None:
        return None
    if args.self_mphi is None or args.self_lambda is None:
        raise QKEInputError("self-mphi/self-lambda: give both to switch on sterile self-scattering")
    from .physics.self_scattering import SterileSelfInteraction

    return SterileSelfInteraction(m_phi=args.self_mphi, lam=args.self_lambda)


def _solve(args):
    model = build_model(args)
    cosmology = build_cosmology(args)
    if args.method == "rate":
        if args.self_mphi is not None or args.self_lambda is not None:
            raise QKEInputError("self-mphi: sterile self-scattering needs --method qke")
        from .solvers.rate import solve_rate

        return solve_rate(model, cosmology, _rate_settings(args), cosmology_name=args.cosmology)
    if args.method == "qke":
        from .solvers.qke import solve_qke

        return solve_qke(model, cosmology, _qke_settings(args),
                         self_interaction=_self_interaction(args, model), cosmology_name=args.cosmology)
    raise QKEInputError(f"method: unknown {args.method!r}; allowed: rate, qke")


def _json_default(obj):
    if isinstance(obj, (np.floating, np.integer, np.bool_)):
        return obj.item()
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return str(obj)


def _summary(res) -> str:
    m = res.model
    method = {"rate": "averaged rate equation (Dodelson-Widrow)",
              "qke": "density-matrix (QKE) equations"}.get(res.method, res.method)
    st = res.settings
    lines = [
        f"qke {__version__}: model {m.name}, nu_{m.flavor}, m4 = {format_energy(m.m4)}, "
        f"sin^2 2theta = {m.sin2_2theta:.4g}",
        f"  method            {method}",
        f"  cosmology         {res.cosmology}",
        f"  Omega_s h^2       {res.omega_h2:.5g}   ({res.dm_fraction:.4g} x Omega_DM h^2 = 0.120)",
        f"  Y = n_s/s         {res.yield_:.5g}",
        f"  <p/T_nu>          {res.mean_p_over_T:.4g}",
        f"  peak production   T = {format_energy(res.peak_temperature)}",
        f"  temperature range {format_energy(st['t_high'])} -> {format_energy(st['t_low'])}",
    ]
    if res.method == "rate":
        lines.append(f"  grid              {st['n_t']} steps in ln T, {st['n_y']} momentum intervals "
                     f"on 0 <= p/T_nu <= {st['y_max']:g}; est. rel. error {st['error_estimate']:.1e}"
                     + ("" if st["converged"] else "  (NOT converged)"))
    if res.method == "qke":
        lines.append(f"  grid              {st['n_bins']} momentum bins on 0 < p/T_nu <= {st['y_max']:g}; "
                     f"Radau IIA, rtol {st['rtol']:g}, atol {st['atol_diag']:g} (diag) / "
                     f"{st['atol_offdiag']:g} (off-diag); {res.stats.get('steps')} steps, "
                     f"{res.stats.get('jacobian_evaluations')} Jacobian evaluations")
    wall = res.stats.get("wall_time_s")
    if wall is not None:
        lines.append(f"  wall time         {wall * 1e3:.1f} ms")
    return "\n".join(lines)


def cmd_relic(args):
    res = _solve(args)
    if args.json:
        print(json.dumps(res.to_dict(), default=_json_default, indent=2))
    else:
        print(_summary(res))


def cmd_spectrum(args):
    res = _solve(args)
    m = res.model
    header = [
        f"# qke {__version__} sterile spectrum: model {m.name}, flavour {m.flavor}, "
        f"m4 = {m.m4:.6g} GeV, sin2_2theta = {m.sin2_2theta:.6g}, method {res.method}, cosmology {res.cosmology}",
        f"# Omega_s h^2 = {res.omega_h2:.6g}, Y = {res.yield_:.6g}, <p/T_nu> = {res.mean_p_over_T:.6g}",
        "# columns: y = p/T_nu (comoving momentum over active-neutrino temperature, dimensionless); "
        "f_s = occupation number per helicity (dimensionless); y2_f_s = y^2 f_s (dimensionless)",
        "y,f_s,y2_f_s",
    ]
    rows = [f"{y:.8g},{f:.8g},{y * y * f:.8g}" for y, f in zip(res.y, res.f_s)]
    text = "\n".join(header + rows) + "\n"
    if args.output in (None, "-"):
        sys.stdout.write(text)
    else:
        with open(args.output, "w") as fh:
            fh.write(text)
        log.info("wrote %s", args.output)


def cmd_compare(args):
    from .solvers.compare import compare

    model = build_model(args)
    cosmology = build_cosmology(args)
    comp = compare(model, cosmology, qke_settings=_qke_settings(args),
                   rate_settings=_rate_settings(args, tolerances=False),
                   self_interaction=_self_interaction(args, model))
    if args.json:
        print(json.dumps(comp.to_dict(), default=_json_default, indent=2))
        return
    q, r = comp.qke, comp.rate
    print(f"qke {__version__}: model {model.name}, nu_{model.flavor}, m4 = {format_energy(model.m4)}, "
          f"sin^2 2theta = {model.sin2_2theta:.4g}, cosmology {args.cosmology}")
    print(f"  {'':18s}{'rate equation':>16s}{'QKE':>16s}{'QKE/rate':>12s}")
    print(f"  {'Omega_s h^2':18s}{r.omega_h2:16.6g}{q.omega_h2:16.6g}{comp.ratio:12.6f}")
    print(f"  {'<p/T_nu>':18s}{r.mean_p_over_T:16.5g}{q.mean_p_over_T:16.5g}"
          f"{q.mean_p_over_T / r.mean_p_over_T:12.6f}")
    print(f"  {'peak T [GeV]':18s}{r.peak_temperature:16.4g}{q.peak_temperature:16.4g}")
    print(f"  largest |f22/f_s - 1| for 0.1 <= p/T_nu <= 10: {comp.max_deviation:.3e} "
          f"at p/T_nu = {comp.max_deviation_y:.3g}")


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


def make_parser():
    p = _Parser(prog="qke", description="Sterile-neutrino dark matter: rate equation and density-matrix (QKE) solvers.")
    p.add_argument("--version", action="version", version=f"qke {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    r = sub.add_parser("relic", help="relic abundance Omega h^2, yield, <p/T>")
    _add_model_options(r)
    r.add_argument("--json", action="store_true", help="print machine-readable JSON")
    r.set_defaults(func=cmd_relic)

    s = sub.add_parser("spectrum", help="write the final sterile spectrum f_s(p/T_nu) as CSV")
    _add_model_options(s)
    s.add_argument("-o", "--output", default=None, help="CSV file (default: standard output)")
    s.set_defaults(func=cmd_spectrum)

    c = sub.add_parser("compare", help="QKE versus averaged rate equation for the same model")
    _add_model_options(c)
    c.add_argument("--json", action="store_true", help="print machine-readable JSON")
    c.set_defaults(func=cmd_compare)

    b = sub.add_parser("bench", help="benchmark one relic-abundance evaluation")
    b.add_argument("--method", default="rate", help="rate (default) or qke")
    b.add_argument("--repeat", type=int, default=20, help="warm evaluations to time (median)")
    b.add_argument("--qke-bins", type=int, nargs="+", default=[100, 200, 400, 800],
                   help="bin counts for --method qke")
    b.add_argument("--json", action="store_true", help="print machine-readable JSON")
    b.set_defaults(func=cmd_bench)

    d = sub.add_parser("derive", help="re-run the SymPy derivations (source checkout)")
    d.add_argument("names", nargs="*", help="derivation names (default: all)")
    d.set_defaults(func=cmd_derive)
    return p


_VALUE_OPTIONS = ("--m4", "--sin2-2theta", "--t-high", "--t-low", "--rtol", "--atol", "--gstar",
                  "--self-mphi", "--self-lambda", "--bins")


def _join_negative_values(argv):
    """Turn ``--m4 -7keV`` into ``--m4=-7keV`` so that a negative value reaches validation."""
    out, i = [], 0
    while i < len(argv):
        tok = argv[i]
        if tok in _VALUE_OPTIONS and i + 1 < len(argv) and argv[i + 1][:1] == "-" \
                and argv[i + 1][1:2].isdigit() or (tok in _VALUE_OPTIONS and i + 1 < len(argv)
                                                   and argv[i + 1][:2] == "-."):
            out.append(f"{tok}={argv[i + 1]}")
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


def main(argv=None) -> int:
    """Entry point of the ``qke`` console script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = make_parser().parse_args(_join_negative_values(argv))
        logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                            format="qke: %(levelname)s: %(message)s")
        args.func(args)
    except QKEInputError as exc:
        print(f"qke: error: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except SolverError as exc:
        print(f"qke: solver failed: {exc}", file=sys.stderr)
        return EXIT_SOLVER_ERROR
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
