"""QKE versus the averaged rate equation at the plain-DW benchmark point.

    python figures/qke_vs_rate.py   # writes figures/qke_vs_rate.png

Left: f22(y)/f_s(y), the QKE's sterile spectrum over the rate equation's on
the same momentum nodes y = p/T_nu. Right: production history dY/d ln z =
-dY/d ln T of both solvers against temperature. SM, nu_mu, m4 = 7.1 keV,
sin^2 2theta = 2e-9, standard cosmology, default settings; also the QKE with
a strong sterile self-interaction (m_phi = 1 MeV, lambda = 1e-6, narrow width)
to show where the two differ.
"""
import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from qke.models import get_model  # noqa: E402
from qke.solvers.compare import compare, spectrum_on  # noqa: E402


def main(out=pathlib.Path(__file__).with_suffix(".png")):
    model = get_model("sm", m4=7.1e-6, sin2_2theta=2e-9, flavor="mu")
    comp = compare(model)
    strong = compare(get_model("sm", m4=7.1e-6, sin2_2theta=2e-9, flavor="mu", self_m_phi=1e-3, self_lambda=1e-6,
                               self_narrow_width=True))
    q, r = comp.qke, comp.rate
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    sel = (q.y >= 0.1) & (q.y <= 10)
    ax1.plot(q.y[sel], q.f_s[sel] / spectrum_on(r, q.y[sel]), label=f"plain DW (Omega ratio {comp.ratio:.6f})")
    sq = strong.qke
    ax1.plot(sq.y[sel], sq.f_s[sel] / spectrum_on(strong.rate, sq.y[sel]),
             label=rf"with $\Gamma_s$: $m_\phi$ = 1 MeV, $\lambda$ = 1e-6 (ratio {strong.ratio:.3f})")
    ax1.set_xscale("log")
    ax1.set_xlabel(r"$y = p/T_\nu$ (dimensionless)")
    ax1.set_ylabel(r"$f_{22}^{\rm QKE}(y) / f_s^{\rm rate}(y)$ (dimensionless)")
    ax1.set_title(r"SM $\nu_\mu$, $m_4$ = 7.1 keV, $\sin^2 2\theta = 2\times10^{-9}$")
    ax1.legend(fontsize=8)
    ax2.plot(r.temperature * 1e3, r.dY_dlnT, "k-", lw=2, label="rate equation")
    ax2.plot(q.temperature * 1e3, q.dY_dlnT, "C0--", label="QKE")
    ax2.plot(sq.temperature * 1e3, sq.dY_dlnT, "C1:", label=r"QKE with $\Gamma_s$")
    ax2.set_xscale("log")
    ax2.set_yscale("log")
    ax2.set_ylim(1e-4 * r.dY_dlnT.max(), 3 * max(r.dY_dlnT.max(), sq.dY_dlnT.max()))
    ax2.invert_xaxis()
    ax2.set_xlabel("T [MeV]")
    ax2.set_ylabel(r"$dY/d\ln z = -dY/d\ln T$ (dimensionless, $Y = n_s/s$)")
    ax2.set_title("production history")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out, dpi=120)
    return out


if __name__ == "__main__":
    print(f"wrote {main()}")
