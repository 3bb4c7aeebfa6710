"""Plasma response to a lepton-flavour asymmetry (issue 12, Shi-Fuller production).

A lepton number L_alpha (density, units of T^3) put into one flavour alpha is
shared among neutrinos, charged leptons and the strongly interacting plasma
by chemical equilibrium, lepton-flavour conservation, zero baryon number and
charge neutrality (Venumadhav, Cyr-Racine, Abazajian & Hirata, PRD 94 (2016)
043515, arXiv:1507.06655, section "Redistribution of lepton asymmetry").
Derived here: the linear response of the neutrino chemical potential and of
the CP-odd ("asymmetry") potential of nu_alpha (Notzold & Raffelt, Nucl.
Phys. B 307 (1988) 924) to ell = L_alpha/T^3, as closed forms in the
susceptibilities; the cancellation of sin^2 theta_W by charge neutrality;
the low- and high-temperature limits.

Outputs: qke/generated/lepton_asymmetry.py, derivations/out/lepton_asymmetry.md.
Run from the repository root: ``python derivations/lepton_asymmetry.py``.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sympy as sp  # noqa: E402

from _codegen import GeneratedFunction, ReportEntry, write_module, write_report  # noqa: E402

SCRIPT = "derivations/lepton_asymmetry.py"
L = sp.latex
FLAVOURS = ("e", "mu", "tau")

# ---------------------------------------------------------------------------
# Unknowns (chemical potentials in units of T) and susceptibilities (units T^2)
# ---------------------------------------------------------------------------
mu_l = {f: sp.Symbol(f"mu_{f}") for f in FLAVOURS}          # charged lepton l^- of flavour f
mu_n = {f: sp.Symbol(f"mu_nu{f}") for f in FLAVOURS}        # neutrino of flavour f (one helicity)
mu_Q, mu_B = sp.symbols("mu_Q mu_B")
chi = {f: sp.Symbol(f"chi_{f}", positive=True) for f in FLAVOURS}   # chi(m_f/T), one spin state
chi2B, chi2Q, chi11QB = sp.symbols("chi2B chi2Q chi11QB", positive=True)
s2w = sp.Symbol("s_W2", positive=True)                      # sin^2 theta_W
ell = sp.Symbol("ell")                                      # L_alpha / T^3
CHI0 = sp.Rational(1, 6)     # chi(0) = (1/pi^2) int x^2 e^x/(e^x+1)^2 dx = 1/6 (checked below)

# chi(0): integrate by parts, x^2 e^x/(e^x+1)^2 = -x^2 d/dx[1/(e^x+1)] -> int 2x/(e^x+1) dx,
# and expand 1/(e^x+1) = sum_k (-1)^(k+1) e^(-k x): int_0^oo x e^(-k x) dx = 1/k^2.
xx, kk = sp.Symbol("x", positive=True), sp.Symbol("k", integer=True, positive=True)
assert sp.integrate(xx * sp.exp(-kk * xx), (xx, 0, sp.oo)) == 1 / kk**2
chi0_integral = 2 * sp.summation((-1) ** (kk + 1) / kk**2, (kk, 1, sp.oo)) / sp.pi**2
assert sp.simplify(chi0_integral - CHI0) == 0

# Asymmetry densities n - nbar in units of T^3 (linear in mu/T)
dn_l = {f: 2 * chi[f] * mu_l[f] for f in FLAVOURS}          # 2 spin states
dn_n = {f: CHI0 * mu_n[f] for f in FLAVOURS}                # 1 helicity
n_Q = chi2Q * mu_Q + chi11QB * mu_B                         # hadronic (quark) charge
n_B = chi11QB * mu_Q + chi2B * mu_B                         # baryon number
UNKNOWNS = [mu_l[f] for f in FLAVOURS] + [mu_n[f] for f in FLAVOURS] + [mu_Q, mu_B]


def equations(alpha):
    """The 8 linear conditions for an asymmetry ell in flavour alpha."""
    eqs = [mu_n[f] - mu_l[f] - mu_Q for f in FLAVOURS]      # nu_f <-> l_f^- + (charge +1)
    eqs += [dn_l[f] + dn_n[f] - (ell if f == alpha else 0) for f in FLAVOURS]
    eqs += [n_B, n_Q - sum(dn_l.values())]                  # n_B = 0, neutrality
    return eqs


def v_odd(alpha):
    """V_odd(nu_alpha)/(sqrt2 G_F T^3), Notzold-Raffelt with the hadronic charge n_Q."""
    d = {f: 1 if f == alpha else 0 for f in FLAVOURS}
    return (sum((1 + d[f]) * dn_n[f] for f in FLAVOURS)
            + sum((d[f] - sp.Rational(1, 2) + 2 * s2w) * dn_l[f] for f in FLAVOURS)
            + (1 - 2 * s2w) * n_Q - n_B / 2)


# Effective charge susceptibility of the strong plasma once n_B = 0 is imposed
chiQ_eff = sp.Symbol("chiQ_eff", positive=True)
CHIQ_EFF = chi2Q - chi11QB**2 / chi2B

solutions, c_v, c_mu, v_generic = {}, {}, {}, {}
for a in FLAVOURS:
    sol = sp.solve(equations(a), UNKNOWNS, dict=True)
    assert len(sol) == 1
    sol = sol[0]
    solutions[a] = sol
    V = sp.expand(v_odd(a).subs(sol))
    assert sp.simplify(sp.diff(V, s2w)) == 0                 # s_W^2 drops out
    v_generic[a] = V
    cv = sp.simplify(V / ell)
    cm = sp.simplify(sol[mu_n[a]] / ell)
    # rewrite in terms of chiQ_eff = chi2Q - chi11^2/chi2B (hadrons enter only via it)
    cv_eff = sp.simplify(cv.subs(chi2Q, chiQ_eff + chi11QB**2 / chi2B))
    cm_eff = sp.simplify(cm.subs(chi2Q, chiQ_eff + chi11QB**2 / chi2B))
    assert not (cv_eff.free_symbols | cm_eff.free_symbols) & {chi2B, chi11QB, chi2Q}
    c_v[a], c_mu[a] = sp.factor(cv_eff), sp.factor(cm_eff)

# Compact form (derived by hand, asserted equal): with r_b = 2 chi_b/(1 + 12 chi_b) and
# R = sum_b r_b, the non-alpha flavours give mu_l_b = -mu_Q/(1 + 12 chi_b), and
# mu_Q/ell = 6 r_a/(chiQ_eff + R), so
#   c_mu = 6/(1 + 12 chi_a) + 36 r_a^2/(chiQ_eff + R),
#   c_v  = 1 + c_mu/6 + 6 r_a (R - r_a + chiQ_eff/2)/(chiQ_eff + R).
r = {f: 2 * chi[f] / (1 + 12 * chi[f]) for f in FLAVOURS}
R_SUM = sum(r.values())


def compact(a, chiq):
    """(c_v, c_mu) in the compact form, with chiq the effective charge susceptibility."""
    cm = 6 / (1 + 12 * chi[a]) + 36 * r[a] ** 2 / (chiq + R_SUM)
    cv = 1 + cm / 6 + 6 * r[a] * (R_SUM - r[a] + chiq / 2) / (chiq + R_SUM)
    return cv, cm


for a in FLAVOURS:
    cv_c, cm_c = compact(a, chiQ_eff)
    assert sp.simplify(cv_c - c_v[a]) == 0 and sp.simplify(cm_c - c_mu[a]) == 0

# Neutrality makes s_W^2 drop out identically (before solving): the s_W^2 terms
# are 2 s_W^2 (sum dn_l - n_Q) = -2 s_W^2 x (neutrality condition) = 0.
for a in FLAVOURS:
    s_part = sp.expand(v_odd(a)).coeff(s2w)
    assert sp.simplify(s_part + 2 * equations(a)[-1]) == 0
# Closed form after neutrality and n_B = 0: V/(sqrt2 G_F T^3) = L_alpha + sum dn_nu + n_Q/2
for a in FLAVOURS:
    closed = ell + sum(dn_n.values()) + n_Q / 2
    assert sp.simplify((closed - v_odd(a)).subs(solutions[a])) == 0

# ---------------------------------------------------------------------------
# Limits
# ---------------------------------------------------------------------------
# Low T (m_e << T << m_mu, no hadrons): chi_mu = chi_tau = chiQ_eff = 0
low = {chi["mu"]: 0, chi["tau"]: 0, chiQ_eff: 0}
low_values = {a: (sp.simplify(c_v[a].subs(low)), sp.simplify(c_mu[a].subs(low))) for a in FLAVOURS}
assert low_values["mu"] == (2, 6) and low_values["e"] == (2, 6)
# ... and the tau limit for T << m_tau with muons present is still (2, 6)
assert sp.simplify(c_v["tau"].subs({chi["tau"]: 0})) == 2
assert sp.simplify(c_mu["tau"].subs({chi["tau"]: 0})) == 6


def free_quarks(charges):
    """(chi2B, chi2Q, chi11QB) of massless free quarks: 3 colours x 2 spins x chi(0) = 1 each."""
    b = sp.Rational(1, 3)
    return (sum(b * b for _ in charges), sum(q * q for q in charges), sum(b * q for q in charges))


UP, DOWN = sp.Rational(2, 3), -sp.Rational(1, 3)
QUARK_SETS = {"uds": (UP, DOWN, DOWN), "udsc": (UP, DOWN, DOWN, UP), "udscb": (UP, DOWN, DOWN, UP, DOWN)}
high_values = {}
for name, charges in QUARK_SETS.items():
    b2, q2, bq = free_quarks(charges)
    sub = {chi[f]: CHI0 for f in FLAVOURS}
    sub[chiQ_eff] = q2 - bq**2 / b2
    high_values[name] = {a: (sp.nsimplify(c_v[a].subs(sub)), sp.nsimplify(c_mu[a].subs(sub)))
                         for a in FLAVOURS}
    # flavour-universal once all leptons are massless
    assert len({high_values[name][a] for a in FLAVOURS}) == 1

# ---------------------------------------------------------------------------
# Generated module
# ---------------------------------------------------------------------------
ARGS = (chi["e"], chi["mu"], chi["tau"], chi2B, chi2Q, chi11QB)
DOC = """
    Response of the plasma to a lepton asymmetry ell = L_{a}/T^3 in flavour {a}.

    Solves mu_nu_b = mu_l_b + mu_Q (b = e, mu, tau), L_b = 2 chi_b mu_l_b +
    mu_nu_b/6 (= ell for b = {a}, else 0), n_B = 0 and n_Q = sum_b 2 chi_b mu_l_b
    (Venumadhav et al. 2016, arXiv:1507.06655, sec. "Redistribution of lepton
    asymmetry"); the hadrons enter only through chi2Q - chi11QB^2/chi2B.
    Derivation: derivations/out/lepton_asymmetry.md.

    Parameters
    ----------
    chi_e, chi_mu, chi_tau : float or ndarray
        Fermi-Dirac number susceptibility per spin state chi(m_l/T)
        [dimensionless, in units of T^2]; chi(0) = 1/6.
    chi2B, chi2Q, chi11QB : float or ndarray
        QCD susceptibilities chi_2^B, chi_2^Q, chi_11^{QB} divided by T^2
        [dimensionless]. chi2B must be > 0; for a purely leptonic plasma pass
        chi2B = 1, chi2Q = chi11QB = 0.

    Returns
    -------
    c_v : float or ndarray
        V_odd(nu_{a}) / (sqrt(2) G_F T^3 ell) [dimensionless]; nubar_{a} has -V_odd.
    c_mu : float or ndarray
        (mu_nu_{a}/T) / ell [dimensionless].
    """
functions = [
    GeneratedFunction(f"asymmetry_response_{a}", ARGS, compact(a, CHIQ_EFF),
                      DOC.replace("{a}", a), cse=True)
    for a in FLAVOURS
]
write_module("lepton_asymmetry", SCRIPT, """
    Redistribution of a lepton-flavour asymmetry in the plasma: the CP-odd
    potential and the chemical potential of nu_alpha per unit ell = L_alpha/T^3,
    as closed forms in the lepton and QCD number susceptibilities.
    Derivation and checks: derivations/out/lepton_asymmetry.md.
    """, functions, constants=[("CHI_MASSLESS", CHI0, "chi(0) = 1/6: number susceptibility "
                                                        "of one massless fermion state / T^2")])

# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------


def _fmt(pair):
    return f"c_v = {pair[0]} ≈ {float(pair[0]):.4f}, c_mu = {pair[1]} ≈ {float(pair[1]):.4f}"


entries = [
    ReportEntry(
        "Linear system",
        r"\mu_{\nu_\beta} = \mu_{\ell_\beta} + \mu_Q,\quad "
        r"L_\beta = 2\chi(m_\beta/T)\,\mu_{\ell_\beta} + \tfrac16\mu_{\nu_\beta} = \ell\,\delta_{\alpha\beta},"
        r"\quad n_B = \chi^{QB}_{11}\mu_Q + \chi^B_2\mu_B = 0,\quad "
        r"n_Q = \chi^Q_2\mu_Q + \chi^{QB}_{11}\mu_B = \sum_\beta 2\chi_\beta\mu_{\ell_\beta}",
        "Venumadhav et al. 2016 (arXiv:1507.06655), sec. 'Redistribution of lepton asymmetry' "
        "(equation numbers not re-checked here); same system as sterile-dm data/tables/redistribution.py",
        "yes (same 8 conditions)",
        "All mu in units of T, densities in units of T^3, linear in mu/T (|mu| << T). "
        "chi(a) = (1/pi^2) int_0^oo x^2 e^E/(e^E+1)^2 dx, E = sqrt(x^2+a^2), per spin state; "
        "chi(0) = 1/6 (integrated by SymPy). Charge chemical potential: l^- carries "
        "mu_nu - mu_Q. Eliminating mu_B with n_B = 0 leaves the hadrons only through "
        r"chiQ_eff = chi2Q - chi11QB^2/chi2B.",
    ),
    ReportEntry(
        "CP-odd potential and the cancellation of sin^2 theta_W",
        r"\frac{V_{\rm odd}(\nu_\alpha)}{\sqrt2 G_F T^3} = \sum_\beta(1+\delta_{\alpha\beta})\Delta n_{\nu_\beta}"
        r" + \sum_\beta(\delta_{\alpha\beta}-\tfrac12+2s_W^2)\Delta n_{\ell_\beta} + (1-2s_W^2)n_Q - \tfrac12 n_B"
        r" = L_\alpha + \sum_\beta \Delta n_{\nu_\beta} + \tfrac12 n_Q",
        "Notzold & Raffelt, Nucl. Phys. B 307 (1988) 924; Venumadhav et al. 2016 (quark terms)",
        "yes; identical to sterile-dm's vasym up to its factor sqrt(2) (vasym = sqrt2 c_v)",
        "The s_W^2 terms sum to 2 s_W^2 (sum_b dn_l_b - n_Q), which is minus 2 s_W^2 times the "
        "neutrality condition (asserted symbolically before solving and again on the solution: "
        "dV/ds_W^2 = 0). The -1/2 terms combine with n_Q into +n_Q/2 by neutrality, n_B "
        "vanishes, and dn_nu_a + dn_l_a = L_a, giving the closed form (asserted).",
    ),
]
for a in FLAVOURS:
    entries.append(ReportEntry(
        f"Response coefficients, asymmetry in flavour {a}",
        r"c_v = " + L(c_v[a]) + r",\qquad c_\mu = " + L(c_mu[a]),
        "Venumadhav et al. 2016 tables dmudL" + a + ".dat (column d mu_nu/dL) and vasym",
        "yes, see tests/test_lepton_asymmetry_physics.py (dmudL tables and vasym reproduced to 3e-5 relative, their 5-digit rounding)",
        "c_v = V_odd/(sqrt2 G_F T^3 ell), c_mu = (mu_nu/T)/ell with chiQ_eff = chi2Q - "
        "chi11QB^2/chi2B. Generated as asymmetry_response_" + a + " (returns (c_v, c_mu)).",
    ))
entries.append(ReportEntry(
    "Low-temperature limit (m_e << T << m_mu, no hadrons)",
    r"c_v \to 2,\quad c_\mu \to 6\quad (\alpha = e,\ \mu;\ \alpha=\tau\ {\rm for}\ T \ll m_\tau)",
    "sterile-dm dmudLmu.dat at 10 MeV: d mu_nu_mu/dL_mu = 5.9905 (muons, pions not yet gone)",
    "yes",
    "For alpha = mu: no muons, so L_mu = mu_nu_mu/6 and mu_nu_mu = 6 ell; V = 2 dn_nu_mu. "
    "For alpha = e the electrons are relativistic, but they are the only charged species, so "
    "neutrality forces dn_e = 0: the asymmetry sits entirely in nu_e, giving the same "
    "(2, 6) (the electron chemical potential is nonzero only through muons/pions: at 10 MeV "
    "sterile-dm has d mu_nu_e/dL_e = 5.9902). The symbolic limits are asserted: "
    + "; ".join(f"{a}: {_fmt(low_values[a])}" for a in FLAVOURS),
))
for name in QUARK_SETS:
    b2, q2, bq = free_quarks(QUARK_SETS[name])
    entries.append(ReportEntry(
        f"High-temperature limit: massless leptons and free quarks {name}",
        r"\chi^B_2 = " + L(b2) + r",\ \chi^Q_2 = " + L(q2) + r",\ \chi^{QB}_{11} = " + L(bq)
        + r",\ \chi_\ell = \tfrac16:\quad " + r"c_v = " + L(high_values[name]["mu"][0])
        + r",\ c_\mu = " + L(high_values[name]["mu"][1]),
        "free-quark (Stefan-Boltzmann) susceptibilities: each quark flavour has 3 colours x "
        "2 spins x chi(0) = 1, baryon number 1/3 and charge q",
        "lattice table at 10 GeV (chi2B = 0.518, chi2Q = 1.141, chi11QB = 0.105) lies between "
        "udsc and udscb (b partly Boltzmann-suppressed, plus interaction corrections); "
        "sterile-dm gives d mu_nu/dL = 2.3059 there",
        "Same for every flavour (asserted). " + _fmt(high_values[name]["mu"]),
    ))

write_report("lepton_asymmetry", "Redistribution of a lepton-flavour asymmetry", """
    Derivation script: `derivations/lepton_asymmetry.py`; generated module:
    `qke/generated/lepton_asymmetry.py`; used by `qke/physics/lepton_asymmetry.py`
    (tables in T with the lattice susceptibilities `qke/data/chi_qcd_venumadhav2016.txt`).

    An asymmetry ell = L_alpha/T^3 in flavour alpha (the flavour that mixes with
    the sterile state) gives nu_alpha the CP-odd potential V_odd = sqrt2 G_F T^3 c_v ell
    (nubar_alpha: -V_odd) and the chemical potential mu_nu = T c_mu ell. Both follow
    from the 8 linear conditions below, solved exactly by SymPy.
    Comparison with Venumadhav et al. (sterile-dm tables dmudL{e,mu,tau}.dat, which
    solve the same system numerically with the same lattice table):
    agreement to 3e-5 relative (their 5-digit rounding) at 10 MeV, 150 MeV, 1 GeV and 10 GeV
    (tests/test_lepton_asymmetry_physics.py).
    """, entries)
