"""prl-fig3 and the spectra of prl-fig4: production d f_s/dz at x = E/T = 1 for A, B, C and plain DW.

PRL Fig. 3: d f_s/dz against z = 1 MeV/T at x = p/T = 1 (log-log), with the
slopes the PRL states: z^8 then z^-4 (A), z^6 (B), z^2 (C), and the resonance
spike near z ~ 0.007 on B. From the rate equation's production map
(:meth:`qke.solvers.result.RelicResult.production_at`); A, B, C as in
prl-fig2. One image per convention.
"""
from __future__ import annotations

from ..scans import points as pts
from . import Figure, pyplot, write_table
from . import prl_common as prl

FIGURE = Figure("prl-fig3", __name__, "PRL Fig. 3: d f_s/dz at x = 1 against z for A, B, C and DW",
                "de Gouvea et al., PRL 124 (2020) 081802, Fig. 3")


def compute(ctx) -> dict:
    """Per convention: {name: (z, d f_s/dz, y, f_s)} for A, B, C, DW."""
    out = {}
    for conv in prl.CONVENTIONS:
        abc = prl.abc_for(ctx, conv)
        cards = prl.benchmark_cards(abc, conv, ctx.quick)
        results = ctx.run([c.to_mapping() for c in cards.values()], pts.evaluate_card_production)
        out[conv] = {"abc": abc, "curves": {}}
        for name, r in zip(cards, results):
            if r.ok:
                z, d = pts.columns_with_prefix(r.values, "dfs_dz")
                y, f = pts.columns_with_prefix(r.values, "f_s")
                out[conv]["curves"][name] = (z, d, y, f)
    return out


def draw(data: dict, ctx) -> list:
    plt = pyplot()

    written = []
    for conv, d in data.items():
        fig, ax = plt.subplots(figsize=(6.4, 4.6))
        for i, (name, (z, dfs, _, _)) in enumerate(d["curves"].items()):
            sel = dfs > 0
            label = name if name == "DW" else (rf"{name}: $m_\phi$ = {d['abc'][name][0] * 1e3:.3g} MeV, "
                                               rf"$\lambda_\phi$ = {d['abc'][name][1]:.2g}")
            ax.loglog(z[sel], dfs[sel], color="k" if name == "DW" else f"C{i}", label=label)
        peak = max((c[1].max() for c in d["curves"].values()), default=1.0)
        ax.set_ylim(1e-8 * peak, 3 * peak)
        ax.set_xlabel(r"$z = 1\,{\rm MeV}/T$")
        ax.set_ylabel(r"$d f_s/dz$ at $x = E/T = 1$ (dimensionless)")
        ax.set_title(rf"$m_4$ = 7.1 keV, $\sin^2 2\theta = 7\times10^{{-11}}$, $\nu_\mu$; convention: {conv}"
                     + (" (quick)" if ctx.quick else ""), fontsize=9)
        ax.legend(fontsize=8)
        fig.tight_layout()
        written += ctx.save(fig, f"prl_fig3_{conv}", _write_csv, d)
    return written


def _write_csv(path, d) -> None:
    write_table(path, f"prl-fig3: d f_s/dz at x = 1; A, B, C: (m_phi [GeV], lambda) = {d['abc']}",
                [("point", "A, B, C, DW"), ("z", "1 MeV/T"), ("dfs_dz", "")],
                [(name, a, b) for name, (z, dfs, _, _) in d["curves"].items() for a, b in zip(z, dfs)])
