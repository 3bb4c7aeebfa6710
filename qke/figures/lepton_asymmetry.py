"""lepton-asymmetry: resonant (Shi-Fuller) production driven by a lepton asymmetry.

A lepton asymmetry L of the mixing flavour (per entropy density; L_6 = 1e6 L)
gives nu and nubar opposite potentials; for L > 0 the neutrino meets the MSW
resonance, which sweeps from low to high momenta as the plasma cools and
converts the asymmetry into sterile neutrinos. Left: the spectra of nu_s and
nubar_s of a resonant point against the plain Dodelson-Widrow one; middle: the
asymmetry L(T) as it is converted; right: the lines in (m4, sin^2 2theta) on
which nu_s + nubar_s make all the dark matter, for several initial L (L = 0 is
plain DW). Rate equation (:mod:`qke.solvers.rate_asymmetry`), nu_mu, standard
cosmology, Asaka-Laine-Shaposhnikov rates, lattice-QCD redistribution of the
asymmetry (Venumadhav et al. 2016).
"""
from __future__ import annotations

import numpy as np

from ..cards import Card
from ..scans import points as pts
from ..scans.grid import Axis
from . import Figure, pyplot, write_table

FIGURE = Figure("lepton-asymmetry", __name__,
                "resonant production with a lepton asymmetry: nu_s/nubar_s spectra, L(T), DM lines",
                "Shi & Fuller 1999; Venumadhav et al. 2016 (PRD 94, 043515); qke")

#: The resonant point of the left and middle panels: m4 [GeV], sin^2 2theta, L/s.
POINT = {"m4": 7.1e-6, "sin2_2theta": 4e-11, "flavor": "mu"}
L_POINT = 8e-5
#: Initial asymmetries L/s of the DM lines (0: plain Dodelson-Widrow).
L_LINES = (0.0, 3e-5, 1e-4, 3e-4)


def _card(quick: bool, **params) -> Card:
    return Card(model="sm", method="rate", settings={"rtol": 1e-2 if quick else 1e-3},
                parameters=dict(POINT, **params))


def _line_points(quick: bool) -> list[dict]:
    masses = np.geomspace(5e-6, 2e-5, 2) if quick else np.geomspace(3e-6, 3e-5, 9)
    spec = pts.RootSpec(name="sin2_2theta", lo=1e-15, hi=1e-7, n_bracket=6 if quick else 14,
                        rtol=3e-2 if quick else 1e-3)
    out = []
    for lam in (L_LINES[::2] if quick else L_LINES):
        card = _card(quick, lepton_asymmetry=lam)
        for p in pts.card_points(card, [Axis("m4", masses, "log", "GeV")]):
            p["root_spec"] = dict(vars(spec))
            out.append(p)
    return out


def compute(ctx) -> dict:
    """The resonant point (spectra, L(T)), its DW counterpart, and the DM lines."""
    point = ctx.run([_card(ctx.quick, lepton_asymmetry=L_POINT).to_mapping(), _card(ctx.quick).to_mapping()],
                    pts.evaluate_card_asymmetry)
    lines = ctx.run(_line_points(ctx.quick), pts.solve_line_point)
    out = {"point": [r.values if r.ok else None for r in point], "lines": {}}
    for r in lines:
        lam = float(r.point["model"].get("lepton_asymmetry", 0.0))
        roots = [r.values[k] for k in sorted(r.values or {}) if k.startswith("root_")] if r.ok else []
        out["lines"].setdefault(lam, []).append((float(r.point["m4"]), roots[0] if roots else np.nan))
    return out


def _spectrum_panel(ax, data) -> None:
    res, dw = data["point"]
    if res is None or dw is None:
        return
    y, f_nu = pts.columns_with_prefix(res, "f_nu")
    _, f_nubar = pts.columns_with_prefix(res, "f_nubar")
    y_dw, f_dw = pts.columns_with_prefix(dw, "f_nu")
    ax.plot(y, y**2 * f_nu, "C0-", label=r"$\nu_s$")
    ax.plot(y, y**2 * f_nubar, "C3-", label=r"$\bar\nu_s$")
    ax.plot(y_dw, y_dw**2 * f_dw, "k--", lw=1, label=r"DW ($L$ = 0), $\nu_s$")
    ax.set_xlim(0, 10)
    ax.set_yscale("log")
    ax.set_ylim(1e-7, None)
    ax.set_xlabel(r"$y = p/T_\nu$ (dimensionless)")
    ax.set_ylabel(r"$y^2 f(y)$ (dimensionless)")
    ax.legend(fontsize=8, title=rf"$L_6$ = {1e6 * L_POINT:g}", title_fontsize=8)


def _history_panel(ax, data) -> None:
    res = data["point"][0]
    if res is None:
        return
    t, lam = pts.columns_with_prefix(res, "L")
    ax.semilogx(t * 1e3, lam / L_POINT, "C0-")
    ax.set_xlim(3e3, 3.0)
    ax.set_xlabel("T [MeV]")
    ax.set_ylabel(r"$L(T)/L_0$ (dimensionless)")
    ax.set_ylim(0, 1.05)


def _lines_panel(ax, data) -> None:
    for i, (lam, pts_) in enumerate(sorted(data["lines"].items())):
        m, s2 = np.array(pts_).T
        label = "DW ($L$ = 0)" if lam == 0 else rf"$L_6$ = {1e6 * lam:g}"
        ax.loglog(m * 1e6, s2, "-o", ms=3, color="k" if lam == 0 else f"C{i}", label=label)
    from matplotlib.ticker import FuncFormatter, NullFormatter

    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xticks([3, 5, 7, 10, 20, 30])
    ax.set_xlabel(r"$m_4$ [keV]")
    ax.set_ylabel(r"$\sin^2 2\theta$ giving $\Omega_s h^2 = 0.120$ (dimensionless)")
    ax.legend(fontsize=8)


def draw(data: dict, ctx) -> list:
    plt = pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.4))
    _spectrum_panel(axes[0], data)
    _history_panel(axes[1], data)
    _lines_panel(axes[2], data)
    fig.suptitle(r"lepton asymmetry, $\nu_\mu$: $m_4$ = 7.1 keV, $\sin^2 2\theta = 4\times10^{-11}$ (left, middle); "
                 "rate equation, derived physics" + (" (quick)" if ctx.quick else ""), fontsize=10)
    fig.tight_layout()
    return ctx.save(fig, "lepton_asymmetry", _write_csv, data)


def _write_csv(path, data) -> None:
    rows = []
    for lam, pts_ in sorted(data["lines"].items()):
        rows += [("dm_line", lam, m, s2) for m, s2 in pts_]
    res = data["point"][0]
    if res is not None:
        t, lam = pts.columns_with_prefix(res, "L")
        rows += [("L_history", L_POINT, tt, ll) for tt, ll in zip(t, lam)]
    write_table(path, "lepton-asymmetry: DM lines sin^2 2theta(m4) for initial L/s (kind dm_line: x = m4 [GeV], "
                "value = sin^2 2theta) and L(T) of the resonant point (kind L_history: x = T [GeV], value = L/s); "
                "nu_mu, standard cosmology, rate equation",
                [("kind", "dm_line | L_history"), ("L0", "L/s"), ("x", "GeV"), ("value", "")], rows)
