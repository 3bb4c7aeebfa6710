"""prl-fig4: final spectra y^2 f_s(y) for A, B, C and plain DW (PRL Fig. 4).

y = p/T_nu, the comoving momentum over the active-neutrino temperature (the
PRL's x = E/T with constant g*). B is the warmest (hardest), C the coolest.
The points and spectra are those of prl-fig3 (same store entries). One image
per convention.
"""
from __future__ import annotations

from . import Figure, pyplot, write_table
from . import prl_fig3

FIGURE = Figure("prl-fig4", __name__, "PRL Fig. 4: final spectra x^2 f_s(x) for A, B, C and DW",
                "de Gouvea et al., PRL 124 (2020) 081802, Fig. 4")


def compute(ctx) -> dict:
    return prl_fig3.compute(ctx)


def draw(data: dict, ctx) -> list:
    plt = pyplot()

    written = []
    for conv, d in data.items():
        fig, ax = plt.subplots(figsize=(6.4, 4.6))
        for i, (name, (_, _, y, f)) in enumerate(d["curves"].items()):
            mean = (y**3 * f).sum() / max((y**2 * f).sum(), 1e-300)
            ax.plot(y, y**2 * f, color="k" if name == "DW" else f"C{i}", label=f"{name} (<p/T_nu> = {mean:.2f})")
        ax.set_yscale("log")
        top = max((( c[2] ** 2) * c[3]).max() for c in d["curves"].values())
        ax.set_ylim(1e-4 * top, 2 * top)
        ax.set_xlim(0, 15)
        ax.set_xlabel(r"$y = p/T_\nu$ (dimensionless)")
        ax.set_ylabel(r"$y^2 f_s(y)$ (dimensionless)")
        ax.set_title(f"final spectra; convention: {conv}" + (" (quick)" if ctx.quick else ""), fontsize=10)
        ax.legend(fontsize=8)
        fig.tight_layout()
        written += ctx.save(fig, f"prl_fig4_{conv}", _write_csv, d)
    return written


def _write_csv(path, d) -> None:
    write_table(path, f"prl-fig4: final sterile spectra; A, B, C: (m_phi [GeV], lambda) = {d['abc']}",
                [("point", "A, B, C, DW"), ("y", "p/T_nu"), ("f_s", "")],
                [(name, a, b) for name, (_, _, y, f) in d["curves"].items() for a, b in zip(y, f)])
