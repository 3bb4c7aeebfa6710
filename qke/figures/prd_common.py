"""Shared pieces of the PRD figures (Kelly, Sen, Tangarife & Zhang, PRD 101 (2020) 115031).

Vector mediator V of mass m_V coupling to nu_mu (``vector-nu``: lambda_mumu;
``vector-lmu-ltau``, ``vector-b-l``: the gauge coupling g). Benchmarks (PRD
Fig. 4 caption): gray m4 = 7.1 keV, sin^2 2theta = 7e-11; black m4 = 50 keV,
sin^2 2theta = 1e-15. Each figure is drawn in both conventions of SPEC
section 8 (``derived``, ``seed``). The curves Omega h^2 = 0.12 in (m_V,
coupling) come from :func:`qke.scans.commands.trace_omega_contour` as for the
PRL figures; A, B, C on the gray curve are one point per branch.
"""
from __future__ import annotations

import numpy as np

from .. import constants as const
from ..cards import Card
from ..scans import points as pts
from ..scans.grid import Axis
from . import prl_common

CONVENTIONS = ("derived", "seed")
BENCHMARKS = {"gray": (7.1e-6, 7e-11), "black": (50e-6, 1e-15)}
M_V_RANGE = (1e-3, 10.0)     # GeV
#: Coupling ranges per benchmark (the black curve's upper branch reaches ~3 at 10 GeV).
COUPLING_RANGES = {"gray": (1e-7, 1.0), "black": (1e-6, 10.0)}
COUPLING_RANGE = (1e-7, 10.0)  # plotted
FIGURE_RTOL, QUICK_RTOL = prl_common.FIGURE_RTOL, prl_common.QUICK_RTOL


def card(model: str, convention: str, bench: str, quick: bool = False, **params) -> Card:
    """A benchmark point of a vector model (internal units: GeV)."""
    m4, s2 = BENCHMARKS[bench]
    base = {"m4": m4, "sin2_2theta": s2, "flavor": "mu", "convention": convention, "m_v": 0.1, "coupling": 1e-3}
    return Card(model=model, parameters=dict(base, **params),
                settings={"rtol": QUICK_RTOL if quick else FIGURE_RTOL})


def plane_axes(n: int, bench: str = "gray"):
    """(m_V axis, coupling axis) of a benchmark, log-spaced (n points in m_V, as many per decade in the coupling)."""
    lo, hi = COUPLING_RANGES[bench]
    return (Axis("m_v", np.geomspace(*M_V_RANGE, n), "log", "GeV"),
            Axis("coupling", np.geomspace(lo, hi, max(4, round(n * np.log10(hi / lo) / 4))), "log", None))


def curves(ctx, model: str, convention: str) -> dict:
    """{bench: [(m_V, coupling, refined) per branch]} for both benchmarks."""
    from ..scans.commands import trace_omega_contour

    out = {}
    for bench in BENCHMARKS:
        x_axis, y_axis = plane_axes(prl_common.grid_n(ctx.quick), bench)
        res = trace_omega_contour(card(model, convention, bench, ctx.quick), x_axis, y_axis, const.OMEGA_DM_H2,
                                  run=ctx.run, rtol=1e-2 if ctx.quick else 1e-4)
        out[bench] = [(ln.x, ln.y, ln.refined) for ln in res.lines]
    return out


def abc_gray(ctx, model: str, convention: str) -> dict:
    """A, B, C on the gray curve: {name: (m_V [GeV], coupling)}; C lowest root at the smallest m_V with a
    root, A highest root at the largest, B the middle root where the curve is triple-valued."""
    x_axis, y_axis = plane_axes(prl_common.grid_n(ctx.quick))
    base = card(model, convention, "gray", ctx.quick)
    results = ctx.run(pts.card_points(base, [y_axis, x_axis]), pts.evaluate_card)
    omega = pts.root_values(results).reshape(len(y_axis), len(x_axis))
    col = prl_common.triple_column(omega)
    # the gray neutrinophilic curve is triple-valued at 1 GeV (folds at ~0.6 and ~1.45 GeV): the fallback
    # when the coarse grid shows no column with three crossings (--quick)
    m_v = float(x_axis.values[col]) if col is not None else 1.0
    middle = _roots(ctx, base, m_v, ctx.quick)
    return dict(zip(("C", "B", "A"), ((m_v, r) for r in middle))) if len(middle) == 3 else {}


def _roots(ctx, base: Card, m_v: float, quick: bool) -> list:
    import dataclasses

    point = base.with_value("m_v", m_v).to_mapping()
    spec = pts.RootSpec("coupling", *COUPLING_RANGES["gray"], n_bracket=12 if quick else 40,
                        rtol=1e-3 if quick else 1e-5)
    point["root_spec"] = dataclasses.asdict(spec)
    (res,) = ctx.run([point], pts.solve_line_point)
    return [res.values[f"root_{i}"] for i in range(int(res.values["n_roots"]))] if res.ok else []


def draw_curves(ax, data: dict) -> None:
    """The two benchmark curves (gray and black) on ``ax``."""
    for bench, color in (("gray", "0.55"), ("black", "k")):
        for i, (x, y, _) in enumerate(data[bench]):
            ax.loglog(x, y, "-", color=color, label=f"{bench}: m4 = {BENCHMARKS[bench][0] * 1e6:g} keV, "
                      f"sin²2θ = {BENCHMARKS[bench][1]:g}" if i == 0 else None)
    ax.set_xlim(*M_V_RANGE)
    ax.set_ylim(*COUPLING_RANGE)
    ax.set_xlabel(r"$m_V$ [GeV]")


def curve_rows(data: dict):
    """CSV rows (bench, branch, m_V, coupling, refined)."""
    return [(bench, b, float(x), float(y), int(r)) for bench, lines in data.items()
            for b, (xs, ys, rs) in enumerate(lines) for x, y, r in zip(xs, ys, rs)]


CURVE_COLUMNS = [("benchmark", "gray | black"), ("branch", "-"), ("m_v", "GeV"), ("coupling", ""),
                 ("refined", "1: on the curve to the root tolerance")]
#: Columns when closed-form limit lines are written too (rows with benchmark 'limit').
LIMIT_COLUMNS = [("benchmark", "gray | black | limit"), ("branch", "- | A/B/C | name of the limit"),
                 ("m_v", "GeV"), ("coupling", ""),
                 ("refined", "1: on the curve to the root tolerance; limit rows: 0 (closed form)")]


def limit_rows(curves) -> list:
    """CSV rows ('limit', name, m_V, coupling bound, 0) of limit lines given as (name, label, style, m, bound)."""
    return [("limit", name, float(m), float(b), 0) for name, _, _, ms, bs in curves for m, b in zip(ms, bs)
            if np.isfinite(b)]


def compute_curves(ctx, model: str, with_abc: bool = False) -> dict:
    """Per convention: both benchmark curves (and A, B, C on the gray one)."""
    return {conv: {"curves": curves(ctx, model, conv), "abc": abc_gray(ctx, model, conv) if with_abc else {}}
            for conv in CONVENTIONS}


def draw_curve_figure(data: dict, ctx, stem: str, title: str, ylabel: str, decorate=None, limits=None) -> list:
    """One image per convention: the benchmark curves, A/B/C, and ``decorate(ax)`` (limits).

    ``limits``, if given, is a list of (name, label, style, m_V [GeV], coupling bound) lines: they
    are drawn and written to the CSV as rows with benchmark 'limit' (:func:`limit_rows`).
    """
    from . import pyplot, write_table

    plt = pyplot()
    written = []
    for conv, d in data.items():
        fig, ax = plt.subplots(figsize=(6.6, 4.8))
        draw_curves(ax, d["curves"])
        for name, (m, lam) in d["abc"].items():
            ax.plot(m, lam, "o", color="C3")
            ax.annotate(name, (m, lam), textcoords="offset points", xytext=(6, 4))
        if decorate is not None:
            decorate(ax)
        for _, label, style, m, bound in limits or ():
            ax.plot(m, bound, style, label=label)
        ax.set_ylabel(ylabel)
        ax.legend(fontsize=7, loc="lower right")
        ax.set_title(f"{title}; convention: {conv}" + (" (quick)" if ctx.quick else ""), fontsize=9)
        fig.tight_layout()

        def write(path, dd, conv=conv):
            rows = curve_rows(dd["curves"]) + [("gray", name, m, lam, 1) for name, (m, lam) in dd["abc"].items()]
            note = "" if limits is None else "; rows with benchmark 'limit': upper bounds on the coupling"
            write_table(path, f"{stem}: Omega h^2 = 0.12 curves, {title}, convention {conv} (rows with branch "
                        f"A/B/C: the benchmark points{note})", CURVE_COLUMNS if limits is None else LIMIT_COLUMNS,
                        rows + ([] if limits is None else limit_rows(limits)))

        written += ctx.save(fig, f"{stem}_{conv}", write, d)
    return written


def bbn_band(ax) -> None:
    """BBN: m_V below 5 MeV excluded (PRD Sec. III F)."""
    from ..physics import limits

    ax.axvspan(M_V_RANGE[0], limits.BBN_MIN_MEDIATOR_MASS, color="0.8", alpha=0.6, label="BBN (m_V < 5 MeV)")
