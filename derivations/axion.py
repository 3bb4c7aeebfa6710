"""Axion-assisted mixing (SPEC section 5; Berlin & Hooper, PRD 95 (2017) 075017).

Derived here:

1. the two-state mixing angle of the mass matrix [[0, mu], [mu, m_s]] (BH eq. 1-2,
   mu = g_phi phi): sin^2 2theta = b/(1 + b), b = 4 mu^2/m_s^2;
2. its average over an oscillating field phi = A cos(tau) (BH eq. 3):
   <sin^2 2theta> = 1 - (1 + b_A)^(-1/2), b_A = 4 g^2 A^2/m_s^2, whose leading term
   with A^2 = 2 rho/m_phi^2 is BH eq. 4 (term-by-term series check to O(b^10),
   numerical quadrature at finite b);
3. the QCD-axion coefficient from BH eq. 17 (mu = g_a (a/f_a) v/sqrt2) and, with
   m_a^0 f_a = m_pi f_pi sqrt(m_u m_d)/(m_u + m_d), BH eq. 18;
4. the frozen -> oscillating transition in radiation domination (H = 1/(2t)):
   phi = phi_i Gamma(5/4) (2/x)^(1/4) J_(1/4)(x), x = m t, and the ratio of its late
   number density to that of BH's sudden prescription (constant rho until m = 3H).

Outputs: qke/generated/axion.py, derivations/out/axion.md.
Run from the repository root: ``python derivations/axion.py``.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import mpmath  # noqa: E402
import sympy as sp  # noqa: E402

from _codegen import GeneratedFunction, ReportEntry, write_module, write_report  # noqa: E402

SCRIPT = "derivations/axion.py"
L = sp.latex

# --- 1. two-state mixing ------------------------------------------------------------
mu, m_s, theta = sp.symbols("mu m_s theta", positive=True)
M = sp.Matrix([[0, mu], [mu, m_s]])
R = sp.Matrix([[sp.cos(theta), sp.sin(theta)], [-sp.sin(theta), sp.cos(theta)]])
offdiag = sp.simplify((R.T * M * R)[0, 1])
# off-diagonal vanishes for tan(2 theta) = 2 mu/m_s
theta_sol = sp.atan(2 * mu / m_s) / 2
assert sp.simplify(offdiag.subs(theta, theta_sol)) == 0
b = sp.symbols("b", nonnegative=True)
sin2_two_state = sp.simplify(sp.sin(2 * theta_sol) ** 2)
assert sp.simplify(sin2_two_state - (4 * mu**2 / m_s**2) / (1 + 4 * mu**2 / m_s**2)) == 0
two_state = b / (1 + b)

# --- 2. average over an oscillation ---------------------------------------------------
tau = sp.symbols("tau", real=True)
average_closed = 1 - 1 / sp.sqrt(1 + b)
average_stable = b / (sp.sqrt(1 + b) * (1 + sp.sqrt(1 + b)))     # no cancellation for small b
assert sp.simplify(average_closed - average_stable) == 0
N_SERIES = 10
ser = sp.series(average_closed, b, 0, N_SERIES).removeO()
# <b cos^2/(1 + b cos^2)> = sum_{n>=1} (-1)^(n+1) b^n <cos^(2n)>, <cos^(2n)> = binom(2n, n)/4^n
ser_avg = sum((-1) ** (n + 1) * b**n * sp.integrate(sp.cos(tau) ** (2 * n), (tau, 0, 2 * sp.pi)) / (2 * sp.pi)
              for n in range(1, N_SERIES))
assert sp.expand(ser - ser_avg) == 0
for bv in (0.1, 1.0, 7.0, 100.0):
    quad = mpmath.quad(lambda t: bv * mpmath.cos(t) ** 2 / (1 + bv * mpmath.cos(t) ** 2), [0, mpmath.pi / 2, mpmath.pi, 3 * mpmath.pi / 2, 2 * mpmath.pi])
    assert abs(quad / (2 * mpmath.pi) - (1 - 1 / mpmath.sqrt(1 + bv))) < 1e-12
g, rho, m_phi, A = sp.symbols("g_phi rho_phi m_phi A", positive=True)
b_scalar = 4 * g**2 * A**2 / m_s**2
eq4 = sp.series(average_closed.subs(b, b_scalar), g, 0, 3).removeO().subs(A, sp.sqrt(2 * rho) / m_phi)
assert sp.simplify(eq4 - 4 * g**2 * rho / (m_phi**2 * m_s**2)) == 0
k_scalar = 4 * g**2 / m_s**2

# --- 3. QCD axion ---------------------------------------------------------------------
g_a, v, f_a, a, m_u, m_d, f_pi, m_pi, rho_a, r = sp.symbols("g_a v f_a a m_u m_d f_pi m_pi rho_a r",
                                                              positive=True)
mu_qcd = g_a * a / f_a * v / sp.sqrt(2)
k_qcd = sp.simplify(4 * mu_qcd**2 / m_s**2 / a**2)
lambda_a2 = m_pi * f_pi * sp.sqrt(m_u * m_d) / (m_u + m_d)
m_a0 = lambda_a2 / f_a
# <a^2> = rho_a/m_a^2 with m_a = r m_a0: leading term of the average
eq18_derived = sp.simplify(k_qcd * rho_a / (r * m_a0) ** 2)
eq18_paper = 2 * (m_u + m_d) ** 2 * v**2 / (m_u * m_d * f_pi**2 * m_pi**2) * g_a**2 * rho_a / (r**2 * m_s**2)
assert sp.simplify(eq18_derived - eq18_paper) == 0

# --- 4. frozen -> oscillating in radiation domination ---------------------------------------
x = sp.symbols("x", positive=True)
phi_rd = sp.gamma(sp.Rational(5, 4)) * (2 / x) ** sp.Rational(1, 4) * sp.besselj(sp.Rational(1, 4), x)
# phi'' + 3 H phi' + m^2 phi = 0 with H = 1/(2t), in x = m t
ode = sp.diff(phi_rd, x, 2) + sp.Rational(3, 2) / x * sp.diff(phi_rd, x) + phi_rd
assert sp.simplify(sp.expand_func(ode.rewrite(sp.besselj))) == 0 or abs(
    complex(ode.subs(x, sp.Rational(37, 10)).evalf(30))) < 1e-25
assert sp.limit(phi_rd, x, 0) == 1
# late times: J_nu(x) ~ sqrt(2/(pi x)) cos(...), so <phi^2> = Gamma(5/4)^2 (2/x)^(1/2) (1/(pi x)),
# rho = m^2 <phi^2>... number n = rho/m ∝ x^(-3/2); sudden: rho = m^2 phi_i^2/2 (x_*/x)^(3/2),
# x_* = m t_* = 3/2 (m = 3H = 3/(2 t_*)), i.e. <phi^2>_sudden = (1/2)(3/(2x))^(3/2)
phi2_late = sp.gamma(sp.Rational(5, 4)) ** 2 * sp.sqrt(2 / x) / (sp.pi * x)
phi2_sudden = sp.Rational(1, 2) * (sp.Rational(3, 2) / x) ** sp.Rational(3, 2)
ratio_rd = sp.simplify(phi2_late / phi2_sudden)
assert not ratio_rd.has(x)
# numerical check of the asymptotic amplitude at x = 400: mean of phi^2 over one period
xs = [400 + 2 * mpmath.pi * k / 512 for k in range(512)]
mean_phi2 = sum(mpmath.gamma(1.25) ** 2 * mpmath.sqrt(2 / xx) * mpmath.besselj(0.25, xx) ** 2 for xx in xs) / 512
assert abs(mean_phi2 / float(phi2_late.subs(x, 400 + sp.pi)) - 1) < 1e-3
ratio_value = sp.N(ratio_rd, 20)
frozen_gain = sp.simplify(2 / ratio_rd)   # frozen phi_i^2 against BH's <phi^2> = phi_i^2/2, same rho today

# --- generated module -------------------------------------------------------------------
bb = sp.symbols("b", nonnegative=True)
functions = [
    GeneratedFunction("sin2_2theta_two_state", [bb], two_state.subs(b, bb), """
        Mixing sin^2 2theta of the two-state mass matrix [[0, mu], [mu, m_s]] [dimensionless].

        b = 4 mu^2/m_s^2 = K phi^2 (dimensionless): tan 2theta = 2 mu/m_s (BH eq. 2 for b << 1).
        """),
    GeneratedFunction("sin2_2theta_average", [bb], average_stable.subs(b, bb), """
        <sin^2 2theta> over one oscillation of phi = A cos(tau) [dimensionless].

        b = K A^2 = 2 K <phi^2> (dimensionless). Equals 1 - (1 + b)^(-1/2), written without
        cancellation; the leading term b/2 = 4 g^2 rho/(m_phi^2 m_s^2) is BH eq. 4.
        """),
    GeneratedFunction("mixing_coefficient_scalar", [g, m_s], k_scalar, """
        K [GeV^-2] of the simplified model (BH eq. 1): b = K phi^2, mu = g_phi phi.

        g_phi dimensionless, m_s [GeV].
        """),
    GeneratedFunction("mixing_coefficient_qcd", [g_a, v, f_a, m_s], k_qcd, """
        K [GeV^-2] of the QCD axion (BH eq. 17): mu = g_a (a/f_a) v/sqrt2.

        g_a dimensionless; v, f_a, m_s [GeV].
        """),
    GeneratedFunction("qcd_axion_lambda2", [m_pi, f_pi, m_u, m_d], lambda_a2, """
        m_a^0 f_a = m_pi f_pi sqrt(m_u m_d)/(m_u + m_d) [GeV^2] (BH below eq. 18).

        All arguments in GeV.
        """),
]
write_module("axion", SCRIPT, """
    Axion-assisted mixing (Berlin & Hooper, PRD 95 (2017) 075017, eq. 2, 4, 17, 18).

    Derived in derivations/axion.py; report in derivations/out/axion.md.
    """, functions, constants=[
        ("N_EXACT_OVER_SUDDEN_RD", ratio_rd,
         "Late number density of the exact frozen->oscillating solution over BH's sudden one "
         "(radiation domination, H = 1/(2t)) [dimensionless]"),
    ])

entries = [
    ReportEntry(
        "Two-state mixing",
        r"\tan 2\theta = \frac{2\mu}{m_s},\quad \sin^2 2\theta = " + L(sin2_two_state) + " = " + L(two_state)
        + r",\ b = \frac{4\mu^2}{m_s^2}",
        "BH eq. 2 (sin theta_eff ≈ g_phi phi/m_nus)",
        "yes: eq. 2 is the b << 1 limit",
        "Rotation R^T M R of [[0, mu], [mu, m_s]] (m_nu -> 0), off-diagonal solved for theta.",
    ),
    ReportEntry(
        "Average over an oscillation",
        r"\langle\sin^2 2\theta\rangle = \Big\langle\frac{b\cos^2\tau}{1 + b\cos^2\tau}\Big\rangle = "
        + L(average_closed) + " = " + L(average_stable) + r",\quad \to\ " + L(eq4),
        "BH eq. 4",
        "yes: the leading term with A^2 = 2 rho/m_phi^2 is eq. 4 (asserted)",
        f"Series identity checked term by term to O(b^{N_SERIES - 1}) with <cos^(2n)> = binom(2n, n)/4^n, "
        "and by quadrature at b = 0.1, 1, 7, 100. The code uses the saturated form: it never exceeds 1 "
        "and differs from eq. 4 by 1.5 b relatively (b ~ 1e-11 where nu_s is the dark matter).",
    ),
    ReportEntry(
        "QCD axion",
        r"K = " + L(k_qcd) + r",\quad \langle\sin^2 2\theta\rangle \simeq " + L(eq18_derived),
        "BH eq. 18",
        "yes (asserted equal to eq. 18 with m_a = r m_a^0, m_a^0 f_a = m_pi f_pi sqrt(m_u m_d)/(m_u + m_d))",
        "v = 246 GeV convention (BH eq. 15: sin theta_vac = |y| v/(sqrt2 |M_N|)). K/m_a0^2 does not "
        "depend on f_a: the production by an oscillating axion depends on f_a only through the onset of "
        "oscillations.",
    ),
    ReportEntry(
        "Frozen -> oscillating (radiation domination)",
        r"\phi = \phi_i\," + L(phi_rd) + r",\quad \frac{n_{\rm exact}}{n_{\rm sudden}} = " + L(ratio_rd)
        + " = " + f"{float(ratio_value):.6f}",
        "BH text below Fig. 1 (sudden prescription: rho constant until m_phi = 3H, then a^-3)",
        "the sudden prescription overestimates the late density by 1/0.4026 = 2.48 for the same phi_i",
        "Solves phi'' + 3H phi' + m^2 phi = 0 with H = 1/(2t) and phi(0) = phi_i (asserted; the "
        "late-time period average checked at x = 400 to 1e-3). For the same rho today the exact field "
        "is frozen at a phi_i^2 larger by 2.48, and a frozen field has sin^2 2theta = K phi_i^2, twice "
        "the average K phi_i^2/2 that BH's prescription assigns: production during the frozen "
        "era is " + f"{float(frozen_gain):.4f}" + " x BH's. With g*(T) varying the code integrates the "
        "oscillator numerically (evolution='exact').",
    ),
]

write_report("axion", "Axion-assisted mixing", """
    Derivation script: `derivations/axion.py`; generated module: `qke/generated/axion.py`.
    Units: GeV. The two-state mixing and its oscillation average are derived; eq. 18 is
    re-derived from eq. 17; the frozen-to-oscillating transition is solved exactly in
    radiation domination and compared with the sudden prescription that BH use.
    """, entries)
