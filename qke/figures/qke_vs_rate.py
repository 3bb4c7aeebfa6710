"""qke-vs-rate: the density-matrix (QKE) solution against the averaged rate equation.

Left: f22(y)/f_s(y), the QKE's sterile spectrum over the rate equation's, at
the plain-DW benchmark point (SM, nu_mu, m4 = 7.1 keV, sin^2 2theta = 2e-9,
standard cosmology) and with a strong sterile self-interaction (m_phi = 1 MeV,
lambda = 1e-6, narrow width; both solvers include Gamma_s[f_s]). Right: the
production histories dY/d ln z = -dY/d ln T of the three.
"""
from __future__ import annotations

import csv

import numpy as np

from ..cards import Card
from . import Figure, pyplot
from ..scans import points as pts

FIGURE = Figure("qke-vs-rate", __name__,
                "QKE versus the averaged rate equation: f22/f_s and production histories",
                "qke")
BASE = Card(parameters={"m4": 7.1e-6, "sin2_2theta": 2e-9, "flavor": "mu"})
STRONG = {"self_m_phi": 1e-3, "self_lambda": 1e-6, "self_narrow_width": True}
CASES = ("rate", "qke", "rate+self", "qke+self")


def _cards(quick: bool) -> dict:
    """The four points; the rate equation's momentum grid contains the QKE bins (compared node by node)."""
    qke = {"n_bins": 40 if quick else 200}
    rate = BASE.replace(settings={"n_y": qke["n_bins"]})
    return {"rate": rate,
            "qke": BASE.replace(method="qke", settings=qke),
            "rate+self": rate.replace(parameters=STRONG),
            "qke+self": BASE.replace(method="qke", settings=qke, parameters=STRONG)}


def compute(ctx) -> dict:
    """Spectra and histories of the three cases (through the figure store)."""
    cards = _cards(ctx.quick)
    results = ctx.run([c.to_mapping() for c in cards.values()], pts.evaluate_card_history)
    out = {}
    for name, r in zip(cards, results):
        if not r.ok:
            raise RuntimeError(f"qke-vs-rate: case {name} failed: {r.error}")
        y, f = pts.columns_with_prefix(r.values, "f_s")
        t, h = pts.columns_with_prefix(r.values, "dY_dlnT")
        out[name] = {"y": y, "f_s": f, "T": t, "dY_dlnT": h, "omega_h2": r.values["omega_h2"]}
    return out


def draw(data: dict, ctx) -> list:
    """PNG, PDF and the numbers (CSV)."""
    plt = pyplot()

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name, ref, color in (("qke", "rate", "C0"), ("qke+self", "rate+self", "C1")):
        q, r = data[name], data[ref]
        pos = r["f_s"] > 0  # log-log interpolation: f_s ~ power of y at small y
        ratio_y = np.exp(np.interp(np.log(q["y"]), np.log(r["y"][pos]), np.log(r["f_s"][pos])))
        sel = (q["y"] >= 0.1) & (q["y"] <= 10)
        label = ("plain DW" if name == "qke" else r"with $\Gamma_s[f_s]$ in both: $m_\phi$ = 1 MeV, $\lambda$ = 1e-6") + \
            f" (Omega ratio {q['omega_h2'] / r['omega_h2']:.5f})"
        ax1.plot(q["y"][sel], q["f_s"][sel] / ratio_y[sel], color=color, label=label)
    ax1.set_xscale("log")
    ax1.set_xlabel(r"$y = p/T_\nu$ (dimensionless)")
    ax1.set_ylabel(r"$f_{22}^{\rm QKE}(y) / f_s^{\rm rate}(y)$ (dimensionless)")
    ax1.set_title(r"SM $\nu_\mu$, $m_4$ = 7.1 keV, $\sin^2 2\theta = 2\times10^{-9}$" +
                  (" (quick)" if ctx.quick else ""), fontsize=10)
    ax1.legend(fontsize=8)
    r = data["rate"]
    for name, style, label in (("rate", "k-", "rate equation"), ("qke", "C0--", "QKE"),
                               ("rate+self", "C3-", r"rate equation with $\Gamma_s$"),
                               ("qke+self", "C1:", r"QKE with $\Gamma_s$")):
        d = data[name]
        ax2.plot(d["T"] * 1e3, d["dY_dlnT"], style, label=label)
    ax2.set_xscale("log")
    ax2.set_yscale("log")
    ax2.set_ylim(1e-4 * r["dY_dlnT"].max(), 3 * max(d["dY_dlnT"].max() for d in data.values()))
    ax2.invert_xaxis()
    ax2.set_xlabel("T [MeV]")
    ax2.set_ylabel(r"$dY/d\ln z = -dY/d\ln T$ (dimensionless, $Y = n_s/s$)")
    ax2.set_title("production history (standard cosmology, derived physics)", fontsize=10)
    ax2.legend(fontsize=8)
    fig.tight_layout()
    return ctx.save(fig, "qke_vs_rate", _write_csv, data, dpi=120)


def _write_csv(path, data) -> None:
    with open(path, "w", newline="") as fh:
        fh.write("# qke-vs-rate: final spectra and production histories (SM nu_mu, m4 = 7.1 keV, "
                 "sin^2 2theta = 2e-9, standard cosmology; qke+self: m_phi = 1 MeV, lambda = 1e-6)\n")
        fh.write("# columns: case (rate | qke | rate+self | qke+self), quantity (f_s: x = y = p/T_nu; dY_dlnT: x = T [GeV]), "
                 "x, value [dimensionless]\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["case", "quantity", "x", "value"])
        for case, d in data.items():
            for x, v in zip(d["y"], d["f_s"]):
                w.writerow([case, "f_s", repr(float(x)), repr(float(v))])
            for x, v in zip(d["T"], d["dY_dlnT"]):
                w.writerow([case, "dY_dlnT", repr(float(x)), repr(float(v))])
