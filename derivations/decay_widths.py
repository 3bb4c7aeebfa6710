"""Decay widths used for laboratory/astrophysical limits (SPEC sections 3 and 5).

Derived here: two-body widths V -> nu nubar, V -> l+ l- (hence the bracket of
PRD eq. 4.6) and nu_s -> nu phi (Berlin-Hooper eq. 11), from explicit Dirac
traces in the parent rest frame. Taken from the literature, with limits
checked: h -> nu nubar V (PRD eq. 3.19), W -> mu nu V (PRD eq. 3.20),
nu_s -> nu gamma (Berlin-Hooper eq. 10; Pal & Wolfenstein 1982, Shrock 1982).

Outputs: qke/generated/decay_widths.py, derivations/out/decay_widths.md.
Run from the repository root: ``python derivations/decay_widths.py``.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sympy as sp  # noqa: E402

from _codegen import GeneratedFunction, ReportEntry, write_module, write_report  # noqa: E402

SCRIPT = "derivations/decay_widths.py"
L = sp.latex

# ---------------------------------------------------------------------------
# Dirac algebra (Dirac representation), metric (+,-,-,-)
# ---------------------------------------------------------------------------
I2, Z2 = sp.eye(2), sp.zeros(2)
sig = [sp.Matrix([[0, 1], [1, 0]]), sp.Matrix([[0, -sp.I], [sp.I, 0]]), sp.Matrix([[1, 0], [0, -1]])]
g0 = sp.diag(1, 1, -1, -1)
gam = [g0] + [sp.Matrix(sp.BlockMatrix([[Z2, s], [-s, Z2]])) for s in sig]
g5 = sp.I * gam[0] * gam[1] * gam[2] * gam[3]
PL, PR = (sp.eye(4) - g5) / 2, (sp.eye(4) + g5) / 2
metric = sp.diag(1, -1, -1, -1)


def slash(p):
    return sum((metric[i, i] * p[i] * gam[i] for i in range(4)), sp.zeros(4))


def bar(M):
    return g0 * M.H * g0


def dot(a, b):
    return sum(metric[i, i] * a[i] * b[i] for i in range(4))


def vector_to_ff(M, m, vertex):
    """Spin-summed, polarisation-averaged |M|^2 for V(M) -> f(p1) fbar(p2), vertex Gamma^mu."""
    k = sp.sqrt(M**2 / 4 - m**2)
    p1 = [M / 2, 0, 0, k]
    p2 = [M / 2, 0, 0, -k]
    K = [M, 0, 0, 0]
    tot = 0
    for mu in range(4):
        for nu in range(4):
            pol = -metric[mu, nu] + K[mu] * K[nu] * metric[mu, mu] * metric[nu, nu] / M**2
            if pol == 0:
                continue
            tr = ((slash(p1) + m * sp.eye(4)) * vertex(mu) * (slash(p2) - m * sp.eye(4)) * bar(vertex(nu))).trace()
            tot += pol * tr
    return sp.simplify(tot / 3), k


Mv, mf, g = sp.symbols("M_V m_f g", positive=True)
# charged lepton, vector coupling g lbar gamma^mu l V_mu
amp_l, k_l = vector_to_ff(Mv, mf, lambda mu: g * gam[mu])
width_ll = sp.simplify(k_l / (8 * sp.pi * Mv**2) * amp_l)
r_l = sp.Symbol("r_l", positive=True)          # m_l^2 / m_V^2
width_ll_r = sp.simplify(width_ll.subs(mf, Mv * sp.sqrt(r_l)))
target_ll = g**2 * Mv / (12 * sp.pi) * (1 + 2 * r_l) * sp.sqrt(1 - 4 * r_l)
assert sp.simplify(width_ll_r - target_ll) == 0
# left-handed neutrino, g nubar gamma^mu P_L nu V_mu (one helicity), massless
amp_n, k_n = vector_to_ff(Mv, 0, lambda mu: g * gam[mu] * PL)
width_nn = sp.simplify(k_n / (8 * sp.pi * Mv**2) * amp_n)
assert sp.simplify(width_nn - g**2 * Mv / (24 * sp.pi)) == 0
# L_mu - L_tau: nu_mu, nu_tau (one helicity each) + mu, tau
bracket_nu = sp.simplify(2 * width_nn / (g**2 * Mv / (12 * sp.pi)))
assert bracket_nu == 1

# ---------------------------------------------------------------------------
# nu_s -> nu phi
# ---------------------------------------------------------------------------
ms = sp.Symbol("m_s", positive=True)
pS = [ms, 0, 0, 0]
pn = [ms / 2, 0, 0, ms / 2]
# -L ⊃ g phi (nu_s nu) + h.c. in two-component notation = g phi nubar P_L nu_s + h.c.
# (4-component, nu_s Majorana). Decay nu_s -> nu_L phi: amplitude g ubar(p_nu) P_L u(p_s)
sum_sq = sp.simplify((slash(pn) * PL * (slash(pS) + ms * sp.eye(4)) * PR).trace()) * g**2
avg_sq = sum_sq / 2
k_s = ms / 2
width_one = sp.simplify(k_s / (8 * sp.pi * ms**2) * avg_sq)
assert sp.simplify(width_one - g**2 * ms / (32 * sp.pi)) == 0
width_phi = 2 * width_one      # + CP-conjugate final state (nubar phi*) of the Majorana nu_s
assert sp.simplify(width_phi - g**2 * ms / (16 * sp.pi)) == 0
# Dirac comparison: g phi nubar nu_s without chirality projection
sum_sq_D = sp.simplify((slash(pn) * (slash(pS) + ms * sp.eye(4))).trace()) * g**2
width_D = sp.simplify(k_s / (8 * sp.pi * ms**2) * sum_sq_D / 2)
assert sp.simplify(width_D - g**2 * ms / (16 * sp.pi)) == 0

# ---------------------------------------------------------------------------
# Generated expressions
# ---------------------------------------------------------------------------
m_v, g_c, m_mu, m_tau = sp.symbols("m_v g m_mu m_tau", positive=True)


def lep_term(m_l):
    r = m_l**2 / m_v**2
    # |1 - 4r| inside the root: the unused branch of np.select is then finite (no warning)
    return sp.Piecewise(((1 + 2 * r) * sp.sqrt(sp.Abs(1 - 4 * r)), 4 * r < 1), (0, True))


W_lmlt = g_c**2 * m_v / (12 * sp.pi) * (1 + lep_term(m_mu) + lep_term(m_tau))

lam, g_f, m_h, m_w = sp.symbols("lam g_f m_h m_w", positive=True)
hV = m_v**2 / m_h**2
poly_h = 1 + 12 * hV**2 * (6 + (3 + 4 * hV) * sp.log(hV)) - 64 * hV**3 - 9 * hV**4
W_h = sp.Piecewise((lam**2 * g_f**2 * m_h**5 / (3072 * sp.sqrt(2) * sp.pi**3 * m_v**2) * poly_h, m_v < m_h),
                   (0, True))
hh = sp.Symbol("h", positive=True)
ph = poly_h.subs(m_v, sp.sqrt(hh) * m_h)
assert sp.limit(ph, hh, 1) == 0 and sp.limit(sp.diff(ph, hh), hh, 1) == 0
assert sp.limit(ph, hh, 0) == 1
ph_thr = sp.series(ph.subs(hh, 1 - sp.Symbol("d")), sp.Symbol("d"), 0, 6).removeO()
assert sp.simplify(ph_thr - sp.Rational(6, 5) * sp.Symbol("d")**5) == 0

wV = m_v**2 / m_w**2
ww = sp.Symbol("w", positive=True)
poly_w_seed = 1 - ww - 12 * ww**2 * sp.log(ww) + 8 * ww**3 - ww**4          # as printed in the dump
poly_w = 1 - 8 * ww + 8 * ww**3 - ww**4 - 12 * ww**2 * sp.log(ww)          # used (vanishes at threshold)
assert sp.limit(poly_w_seed, ww, 1) == 7
assert sp.limit(poly_w, ww, 1) == 0 and sp.limit(sp.diff(poly_w, ww), ww, 1) == 0
assert sp.limit(poly_w, ww, 0) == 1
pw_thr = sp.series(poly_w.subs(ww, 1 - sp.Symbol("d")), sp.Symbol("d"), 0, 6).removeO()
assert sp.simplify(pw_thr - sp.Rational(2, 5) * sp.Symbol("d")**5) == 0
W_w = sp.Piecewise((lam**2 * g_f**2 * m_w**5 / (512 * sp.sqrt(2) * sp.pi**3 * m_v**2) * poly_w.subs(ww, wV),
                    m_v < m_w), (0, True))

s22, m_s, alpha = sp.symbols("sin2_2theta m_s alpha", positive=True)
W_gamma = 9 * g_f**2 * alpha * m_s**5 * s22 / (2048 * sp.pi**4)
W_phi = width_phi.subs({g: g_c, ms: m_s})

functions = [
    GeneratedFunction("width_lmu_ltau", (m_v, g_c, m_mu, m_tau), W_lmlt, doc="""
        Total width of the U(1)_{L_mu - L_tau} gauge boson.

        Gamma_V = g^2 m_V/(12 pi) [1 + sum_{l = mu, tau} (1 + 2 r_l)(1 - 4 r_l)^{1/2} Theta(1 - 4 r_l)],
        r_l = m_l^2/m_V^2. The "1" is V -> nu_mu nubar_mu + nu_tau nubar_tau (one
        helicity each, g^2 m_V/(24 pi) per flavour); derived in
        derivations/out/decay_widths.md. Seed: PRD eq. 4.6.

        Parameters
        ----------
        m_v : float or ndarray
            Vector mass m_V [GeV].
        g : float or ndarray
            Gauge coupling g_{mu tau} (dimensionless).
        m_mu, m_tau : float
            Muon and tau masses [GeV].

        Returns
        -------
        float or ndarray
            Gamma_V [GeV].
        """),
    GeneratedFunction("width_h_to_nu_nu_v_printed", (lam, g_f, m_h, m_v), W_h, doc="""
        Width of h -> nu_mu nubar_mu V as printed in the PRD (kept to document a typo).

        The printed prefactor carries G_F^2, which gives the width units of 1/GeV;
        the derived width has one power of G_F (``meson_decays.width_h_to_nu_nu_v``,
        derivations/out/meson_decays.md), and that is what the limits use.

        Gamma = |lam|^2 G_F^2 M_H^5/(3072 sqrt(2) pi^3 m_V^2)
                [1 + 12 h^2 (6 + (3 + 4h) ln h) - 64 h^3 - 9 h^4], h = m_V^2/M_H^2;
        zero for m_V >= M_H (the bracket vanishes there as (6/5)(1-h)^5, checked).
        Diverges as 1/m_V^2 for m_V -> 0 (longitudinal V). Seed: PRD eq. 3.19.

        Parameters
        ----------
        lam : float or ndarray
            Coupling lambda_{mu mu} (dimensionless).
        g_f : float
            Fermi constant [GeV^-2].
        m_h : float
            Higgs mass [GeV].
        m_v : float or ndarray
            Vector mass [GeV].

        Returns
        -------
        float or ndarray
            Gamma [GeV].
        """),
    GeneratedFunction("width_w_to_mu_nu_v_printed", (lam, g_f, m_w, m_v), W_w, doc="""
        Width of W -> mu nubar_mu V with the PRD's printed prefactor (kept to document a typo).

        As for h -> nu nu V, the printed G_F^2 is one power too many (units); the
        derived width is ``meson_decays.width_w_to_mu_nu_v``, used by the limits.

        Gamma = |lam|^2 G_F^2 M_W^5/(512 sqrt(2) pi^3 m_V^2)
                [1 - 8w + 8w^3 - w^4 - 12 w^2 ln w], w = m_V^2/M_W^2; zero for m_V >= M_W.
        Seed: PRD eq. 3.20, whose dump prints "1 - w" instead of "1 - 8w"; the
        printed bracket equals 7 at threshold (m_V = M_W) instead of vanishing,
        so the standard three-body function is used (see the report).

        Parameters
        ----------
        lam : float or ndarray
            Coupling lambda_{mu mu} (dimensionless).
        g_f : float
            Fermi constant [GeV^-2].
        m_w : float
            W mass [GeV].
        m_v : float or ndarray
            Vector mass [GeV].

        Returns
        -------
        float or ndarray
            Gamma [GeV].
        """),
    GeneratedFunction("width_nus_to_nu_gamma", (s22, m_s, g_f, alpha), W_gamma, doc="""
        Radiative width nu_s -> nu gamma (one loop), as in Berlin-Hooper eq. 10.

        Gamma = 9 G_F^2 alpha m_s^5 sin^2(2 theta)/(2048 pi^4) (Pal & Wolfenstein 1982,
        Shrock 1982; Dirac value). For a Majorana nu_s the width (nu gamma plus
        nubar gamma) is twice this, 9/(1024 pi^4) (e.g. Abazajian, Fuller & Tucker
        2001): multiply by 2 for the Majorana sterile neutrino of the axion model.

        Parameters
        ----------
        sin2_2theta : float or ndarray
            Mixing sin^2(2 theta) (or <sin^2 2theta_eff>_0 today), dimensionless.
        m_s : float or ndarray
            Sterile-neutrino mass [GeV].
        g_f : float
            Fermi constant [GeV^-2].
        alpha : float
            Fine-structure constant (dimensionless).

        Returns
        -------
        float or ndarray
            Gamma [GeV].
        """),
    GeneratedFunction("width_nus_to_nu_phi", (g_c, m_s), W_phi, doc="""
        Width nu_s -> nu phi for -L ⊃ g phi nu_s nu + h.c. (massless nu and phi).

        Gamma = g^2 m_s/(16 pi): the sum of nu phi and its CP conjugate
        (g^2 m_s/(32 pi) each) for a Majorana nu_s (derived). Seed: Berlin-Hooper eq. 11.

        Parameters
        ----------
        g : float or ndarray
            Yukawa coupling g_phi (dimensionless).
        m_s : float or ndarray
            Sterile-neutrino mass [GeV].

        Returns
        -------
        float or ndarray
            Gamma [GeV].
        """),
]

write_module("decay_widths", SCRIPT, """
    Decay widths (GeV) for the vector-mediator and axion-assisted models:
    L_mu - L_tau boson width, h and W three-body decays with a neutrinophilic V,
    and the sterile-neutrino decays nu_s -> nu gamma, nu_s -> nu phi.
    Derivation and checks: derivations/out/decay_widths.md.
    """, functions)

d = sp.Symbol("d")
entries = [
    ReportEntry(
        "V -> l+ l- (vector coupling)",
        r"\overline{|\mathcal M|^2} = " + L(amp_l) + r",\quad \Gamma = \frac{|\mathbf p|}{8\pi M_V^2}"
        r"\overline{|\mathcal M|^2} = " + L(target_ll),
        "PRD eq. 4.6 (charged-lepton terms)",
        "yes",
        "Dirac traces with explicit gamma matrices in the V rest frame, polarisation sum "
        "-g + k k/M_V^2 averaged over 3 states.",
    ),
    ReportEntry(
        "V -> nu nubar (left-handed, one flavour)",
        r"\Gamma(V\to\nu\bar\nu) = " + L(width_nn),
        "PRD eq. 4.6 (the '1' in the bracket)",
        "yes: nu_mu + nu_tau give 2 x g^2 m_V/(24 pi) = g^2 m_V/(12 pi), the '1'",
        "Half of a Dirac fermion's width because only one helicity couples (vertex gamma^mu P_L). "
        "Generated width_lmu_ltau uses Piecewise -> np.select so the Theta(1 - 4 r_l) threshold "
        "works with arrays.",
    ),
    ReportEntry(
        "h -> nu nubar V",
        r"\Gamma = \frac{|\lambda|^2G_F^2M_H^5}{3072\sqrt2\pi^3m_V^2}\Big[" + L(sp.expand(ph)) + r"\Big]",
        "PRD eq. 3.19 (published formula)",
        "bracket yes: -> 1 for h -> 0 and vanishes at threshold h = 1 together "
        "with its first derivative (asserted); near threshold it is " + "$" + L(sp.factor(ph_thr)) + "$"
        + " in d = 1 - h. Prefactor no: G_F^2 gives the width units of 1/GeV",
        "Re-derived in derivations/meson_decays.py: one power of G_F. The generated "
        "width_h_to_nu_nu_v_printed keeps the printed form only to document the typo; the limits "
        "use meson_decays.width_h_to_nu_nu_v. The 1/m_V^2 growth for light V is the "
        "longitudinal-mode enhancement noted in the PRD.",
    ),
    ReportEntry(
        "W -> mu nubar V",
        r"\Gamma = \frac{|\lambda|^2G_F^2M_W^5}{512\sqrt2\pi^3m_V^2}\Big[" + L(poly_w) + r"\Big]",
        "PRD eq. 3.20, printed (dump) bracket " + "$" + L(poly_w_seed) + "$",
        "no: the printed bracket equals 7 at threshold w = 1 (asserted) instead of vanishing",
        "A width must vanish when m_V -> M_W (no phase space, massless mu and nu). The other "
        "three terms (+8w^3, -w^4, -12 w^2 ln w) are exactly those of the standard three-body "
        "function 1 - 8w + 8w^3 - w^4 - 12 w^2 ln w (as in muon decay), which -> 1 for w -> 0 and "
        "vanishes at w = 1 as (2/5)(1-w)^5 (asserted); the dump most likely lost the '8'. The "
        "corrected bracket is confirmed by the three-body integral in derivations/meson_decays.py, "
        "which also finds one power of G_F instead of the printed two (units); the limits use "
        "meson_decays.width_w_to_mu_nu_v, and width_w_to_mu_nu_v_printed documents the typo.",
    ),
    ReportEntry(
        "nu_s -> nu gamma",
        r"\Gamma = " + L(W_gamma),
        "Berlin-Hooper eq. 10 (Pal & Wolfenstein 1982; Shrock 1982)",
        "yes as the Dirac-nu_s value; for a Majorana nu_s the standard result is twice this",
        "Loop-level, cited not derived. 9/(2048 pi^4) is the Dirac width; a Majorana nu_s "
        "(the model's 1/2 m_s nu_s^2 mass term) decays to nu gamma and nubar gamma, giving "
        "9/(1024 pi^4) (Abazajian et al. 2001: 1.38e-29 s^-1 (sin^2 2theta/1e-7)(m_s/keV)^5). "
        "The generated function follows the seed; multiply by 2 for Majorana.",
    ),
    ReportEntry(
        "nu_s -> nu phi",
        r"\sum|\mathcal M|^2 = " + L(sum_sq) + r",\ \Gamma(\nu_s\to\nu\phi) = " + L(width_one)
        + r",\ \Gamma_{\rm tot} = " + L(width_phi),
        "Berlin-Hooper eq. 11",
        "yes, for a Majorana nu_s summing the two CP-conjugate final states",
        "-L ⊃ g phi nu_s nu + h.c. (two-component) = g phi nubar P_L nu_s + h.c.; average over "
        "the 2 nu_s spins. Each channel gives g^2 m_s/(32 pi); the Majorana nu_s also decays "
        "through the h.c. term to the conjugate state, total g^2 m_s/(16 pi) = eq. 11. A Dirac "
        "nu_s with a chirally projected coupling would have half of eq. 11 (an unprojected "
        "Dirac Yukawa g phi nubar nu_s gives g^2 m_s/(16 pi), asserted).",
    ),
]

write_report("decay_widths", "Decay widths", """
    Derivation script: `derivations/decay_widths.py`; generated module:
    `qke/generated/decay_widths.py`. Units: GeV. Two-body widths are derived
    with explicit Dirac traces (Gamma = |p| |M|^2/(8 pi M^2)); the three-body
    and loop widths are the published formulas with their limits checked.
    """, entries)
