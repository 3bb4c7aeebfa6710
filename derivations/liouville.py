"""Derive the real component form of the 2x2 Liouville (QKE) equation.

Starting point (SPEC section 4, notes eq. (1)-(3), (32)):

    dF/dt = -i [H0, F] - k [M, [M, F]],   M = diag(M_a, 0),  k M_a^2 = (Gamma_a + Gamma_s)/2

with F = [[f11, f12], [f21, f22]] in the (active, sterile) flavour basis,
H0_11 - H0_22 = V_T - Delta cos2theta and H0_12 = H0_21 = (Delta/2) sin2theta.

Outputs: ``qke/generated/liouville.py`` (right-hand side, analytic Jacobian,
derivative with respect to Gamma_s, averaged Dodelson-Widrow factor) and
``derivations/out/liouville.md``.

Run from the repository root: ``python derivations/liouville.py``.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sympy as sp  # noqa: E402

from _codegen import GeneratedFunction, ReportEntry, write_module, write_report  # noqa: E402

SCRIPT = "derivations/liouville.py"

# ---------------------------------------------------------------------------
# Symbols
# ---------------------------------------------------------------------------
f11, f22, re12, im12 = sp.symbols("f11 f22 re12 im12", real=True)
delta, s22, v_t = sp.symbols("delta sin2_2theta v_t", real=True)
gamma_a, gamma_s, f_eq, gamma_r = sp.symbols("gamma_a gamma_s f_eq gamma_r", real=True)
gamma = sp.Symbol("gamma", real=True)
# auxiliary symbols for the derivation (not function arguments)
c2, s2 = sp.symbols("c_2theta s_2theta", real=True)   # cos 2theta, sin 2theta
M_a, k = sp.symbols("M_a k", positive=True)
t = sp.Symbol("t", real=True)

# ---------------------------------------------------------------------------
# 1. Component equations from the matrix equation
# ---------------------------------------------------------------------------
f12 = re12 + sp.I * im12
f21 = re12 - sp.I * im12          # hermiticity: f21 = conj(f12)
F = sp.Matrix([[f11, f12], [f21, f22]])
# H0 up to a multiple of the identity (which drops out of the commutator)
H0 = sp.Matrix([[(v_t - delta * c2) / 2, delta * s2 / 2],
                [delta * s2 / 2, -(v_t - delta * c2) / 2]])
Mm = sp.diag(M_a, 0)


def comm(a, b):
    return a * b - b * a


dF = -sp.I * comm(H0, F) - k * comm(Mm, comm(Mm, F))
dF = dF.subs(k, (gamma_a + gamma_s) / (2 * M_a**2)).applyfunc(sp.expand)

# Checks: dF is Hermitian (so f21 = conj f12 is preserved) and traceless.
assert sp.simplify(dF - dF.H) == sp.zeros(2, 2), "dF/dt is not Hermitian"
assert sp.simplify(dF.trace()) == 0, "trace not conserved"

d11 = sp.simplify(dF[0, 0])
d22 = sp.simplify(dF[1, 1])
d12 = dF[0, 1]
dre = sp.simplify(sp.re(d12))
dim = sp.simplify(sp.im(d12))

# Compare with the seed's eq. (32) (written with complex f12, f21):
F12, F21 = sp.symbols("f12 f21")
seed11 = sp.I / 2 * delta * s2 * (F12 - F21)
seed12 = (sp.I / 2 * (delta * s2 * (f11 - f22) + 2 * (delta * c2 - v_t) * F12)
          - (gamma_a + gamma_s) * F12 / 2)
seed22 = -sp.I / 2 * delta * s2 * (F12 - F21)
sub = {F12: f12, F21: f21}
assert sp.simplify(seed11.subs(sub) - d11) == 0
assert sp.simplify(seed22.subs(sub) - d22) == 0
assert sp.simplify(sp.expand(seed12.subs(sub)) - d12) == 0

# Repopulation of the active state (not in the seed): Gamma_r (f_eq - f11), with
# Gamma_r the repopulation rate (the collision rate Gamma_a in the Standard Model)
d11_full = d11 + gamma_r * (f_eq - f11)

# Substitute sin 2theta = +sqrt(sin^2 2theta), cos 2theta = +sqrt(1 - sin^2 2theta)
to_args = {s2: sp.sqrt(s22), c2: sp.sqrt(1 - s22)}
state = (f11, f22, re12, im12)
rhs = tuple(sp.expand(e.subs(to_args)) for e in (d11_full, d22, dre, dim))
rhs = tuple(sp.collect(e, state) for e in rhs)
jac = tuple(tuple(sp.diff(r, y) for y in state) for r in rhs)
drhs_dgs = tuple(sp.diff(r, gamma_s) for r in rhs)

# Trace f11 + f22 conserved without repopulation
assert sp.simplify((rhs[0] + rhs[1]).subs(gamma_r, 0)) == 0

# ---------------------------------------------------------------------------
# 2. Quasi-static elimination of f12
# ---------------------------------------------------------------------------
omega = sp.Symbol("omega", real=True)        # Delta cos2theta - V_T
D = sp.Symbol("D", real=True)                # f11 - f22 (frozen)
a = sp.Symbol("a", positive=True)            # Delta sin 2theta
g = sp.Symbol("g", positive=True)            # Gamma / 2
G = sp.Symbol("Gamma", positive=True)
x, y = sp.symbols("x y", real=True)
# express through a = Delta sin2theta, omega = Delta cos2theta - V_T, g = Gamma/2
to_aw = {v_t: delta * c2 - omega, s2: a / delta, gamma_s: 2 * g - gamma_a}
eq_x = sp.simplify(dre.subs(to_aw).subs({re12: x, im12: y}))
eq_y = sp.simplify(dim.subs(to_aw).subs({re12: x, im12: y, f11: D + f22}))
sol = sp.solve([eq_x, eq_y], [x, y], dict=True)[0]
d11_ad = sp.simplify(d11.subs(to_aw).subs({re12: x, im12: y}).subs(sol))
adiabatic_rate = sp.simplify(-d11_ad / D)            # d f11/dt = -rate * (f11 - f22)
target_ad = (G / 4) * a**2 / (omega**2 + G**2 / 4)
assert sp.simplify(adiabatic_rate.subs(g, G / 2) - target_ad) == 0

# (ii) averaged factor = in-matter mixing x quantum-Zeno factor (Berlin-Hooper 6-9)
wm2 = a**2 + omega**2                       # omega_m^2 = 1/l_m^2
sin2m = a**2 / wm2
zeno = 1 / (1 + (G / 2)**2 / wm2)           # 1/(1 + (Gamma l_m/2)^2)
s2eff = sp.simplify(sin2m * zeno)
target_eff = a**2 / (a**2 + G**2 / 4 + omega**2)
assert sp.simplify(s2eff - target_eff) == 0

# Bloch system for (D, x, y) = (f11 - f22, re12, im12), no repopulation
lam = sp.Symbol("lambda")
A = sp.Matrix([[0, 0, -2 * a], [0, -g, -omega], [a / 2, omega, -g]])
# check A against the generated right-hand side
check_vec = sp.Matrix([
    (rhs[0] - rhs[1]).subs(gamma_r, 0),
    rhs[2], rhs[3]])
Dv = sp.Matrix([f11 - f22, re12, im12])
num_subs = {delta: sp.Rational(3, 7), s22: sp.Rational(1, 5), v_t: sp.Rational(2, 9),
            gamma_a: sp.Rational(1, 3), gamma_s: sp.Rational(1, 11)}
A_num = A.subs({a: sp.sqrt(num_subs[s22]) * num_subs[delta],
                omega: sp.sqrt(1 - num_subs[s22]) * num_subs[delta] - num_subs[v_t],
                g: (num_subs[gamma_a] + num_subs[gamma_s]) / 2})
assert sp.simplify(check_vec.subs(num_subs) - A_num * Dv) == sp.zeros(3, 1)
charpoly = sp.factor(sp.expand((lam * sp.eye(3) - A).det()))
charpoly_expected = lam * ((lam + g)**2 + omega**2) + a**2 * (lam + g)
assert sp.expand(charpoly - charpoly_expected) == 0
# Linearise the characteristic polynomial in lambda (drop lambda^2, lambda^3):
lin = sp.expand(charpoly_expected).coeff(lam, 0) + sp.expand(charpoly_expected).coeff(lam, 1) * lam
lam_lin = sp.solve(lin, lam)[0]
assert sp.simplify(lam_lin - (-(G / 2) * target_eff).subs(G, 2 * g)) == 0
# Perturbative slow root in Gamma: lambda = l1 g + l2 g^2 + l3 g^3
l1, l2, l3 = sp.symbols("l1 l2 l3")
lam_ser = l1 * g + l2 * g**2 + l3 * g**3
poly_g = sp.expand(charpoly_expected.subs(lam, lam_ser))
cs = [sp.expand(poly_g).coeff(g, n) for n in (1, 2, 3)]
sl1 = sp.solve(cs[0], l1)[0]
sl2 = sp.solve(cs[1].subs(l1, sl1), l2)[0]
sl3 = sp.simplify(sp.solve(cs[2].subs({l1: sl1, l2: sl2}), l3)[0])
eff_ser = sp.series((-(2 * g) / 2 * target_eff.subs(G, 2 * g)), g, 0, 4).removeO()
eff_l3 = sp.simplify(sp.expand(eff_ser).coeff(g, 3))
assert sp.simplify(sl1 - (-a**2 / wm2)) == 0 and sl2 == 0
lam3_diff = sp.factor(sp.simplify(sl3 - eff_l3))
# Leading order in sin^2 2theta (a -> 0): eigenvalue -> 2 x adiabatic rate
ad_small = sp.series(lam_lin, a, 0, 3).removeO()
assert sp.simplify(ad_small - (-2 * target_ad.subs(G, 2 * g)).series(a, 0, 3).removeO()) == 0

# ---------------------------------------------------------------------------
# 3. Generated functions
# ---------------------------------------------------------------------------
s2eff_args = sp.simplify(target_eff.subs({a: delta * sp.sqrt(s22), omega: delta * sp.sqrt(1 - s22) - v_t,
                                          G: gamma}))
s2eff_args = (delta**2 * s22) / (delta**2 * s22 + gamma**2 / 4 + (delta * sp.sqrt(1 - s22) - v_t)**2)

COMMON_ARGS = """
        f11, f22 : float or ndarray
            Active and sterile diagonal entries of the density matrix
            (occupation numbers, dimensionless).
        re12, im12 : float or ndarray
            Real and imaginary parts of the coherence f12 = re12 + i im12
            (dimensionless); f21 = conj(f12).
        delta : float or ndarray
            Vacuum oscillation frequency m4^2/(2E) [GeV].
        sin2_2theta : float or ndarray
            Vacuum mixing sin^2(2 theta) (dimensionless); sin 2theta and
            cos 2theta = +sqrt(1 - sin2_2theta) are taken positive (theta <= pi/4).
        v_t : float or ndarray
            Thermal potential of the active state V_T [GeV] (enters as
            H0_11 - H0_22 = V_T - Delta cos 2theta).
        gamma_a : float or ndarray
            Collision (damping) rate of the active neutrino Gamma_a [GeV].
        gamma_s : float or ndarray
            Sterile self-scattering rate Gamma_s [GeV] (0 without self-interactions).
        f_eq : float or ndarray
            Equilibrium active occupation 1/(1 + e^{E/T}) (dimensionless), used
            by the repopulation term only.
        gamma_r : float or ndarray
            Repopulation rate Gamma_r of the active state [GeV], in the term
            gamma_r*(f_eq - f11) of d f11/dt (0: none; not in the seed, SPEC
            section 4; usually equal to the damping rate gamma_a).
"""

functions = [
    GeneratedFunction(
        name="sin2_2theta_eff",
        args=(delta, s22, v_t, gamma),
        expr=s2eff_args,
        doc="""
        Averaged (Dodelson-Widrow) effective mixing sin^2(2 theta_eff).

        sin^2 2theta_eff = Delta^2 sin^2 2theta /
            (Delta^2 sin^2 2theta + Gamma^2/4 + (Delta cos 2theta - V_T)^2),
        the product of the in-matter mixing sin^2 2theta_m and the quantum-Zeno
        factor 1/(1 + (Gamma l_m/2)^2). Seed: PRL eq. 3-4, PRD eq. 2.5/2.8,
        Berlin-Hooper eq. 6-9; derived in derivations/out/liouville.md.

        Parameters
        ----------
        delta : float or ndarray
            m4^2/(2E) [GeV].
        sin2_2theta : float or ndarray
            Vacuum sin^2(2 theta) (dimensionless); cos 2theta = +sqrt(1 - sin2_2theta).
        v_t : float or ndarray
            Thermal potential V_T of the active neutrino [GeV].
        gamma : float or ndarray
            Total damping rate Gamma = Gamma_a + Gamma_s [GeV].

        Returns
        -------
        float or ndarray
            sin^2(2 theta_eff) (dimensionless). The production rate is
            d f_s/dt = (Gamma/4) sin^2(2 theta_eff) (f_a - f_s).
        """,
    ),
    GeneratedFunction(
        name="qke_rhs",
        args=(f11, f22, re12, im12, delta, s22, v_t, gamma_a, gamma_s, f_eq, gamma_r),
        expr=rhs,
        doc="""
        Right-hand side of the 2x2 Liouville equation in real components.

        dF/dt = -i[H0, F] - (Gamma_a + Gamma_s)/2 * (off-diagonal part of F)
                + Gamma_r (f_eq - f11) on the (1,1) entry.
        Seed: notes eq. (1)-(3) and (32) (SPEC section 4); the repopulation
        term is an addition (SPEC section 4).

        Parameters
        ----------""" + COMMON_ARGS + """
        Returns
        -------
        tuple of 4 float or ndarray
            (d f11/dt, d f22/dt, d re12/dt, d im12/dt) [GeV] (per unit time;
            not divided by H).
        """,
    ),
    GeneratedFunction(
        name="qke_jacobian",
        args=(f11, f22, re12, im12, delta, s22, v_t, gamma_a, gamma_s, f_eq, gamma_r),
        expr=jac,
        cse=True,
        doc="""
        Jacobian of :func:`qke_rhs` with respect to (f11, f22, re12, im12).

        Seed: notes eq. (32) (SPEC section 4). The system is linear in the
        state, so entries depend only on the parameters; entries that are
        identically constant (0) are returned as Python scalars, not arrays
        (broadcast them yourself, e.g. with ``np.broadcast_to``).

        Parameters
        ----------""" + COMMON_ARGS + """
        Returns
        -------
        tuple of 4 tuples of 4
            J[i][j] = d rhs_i / d y_j, y = (f11, f22, re12, im12) [GeV].
        """,
    ),
    GeneratedFunction(
        name="qke_rhs_dgamma_s",
        args=(f11, f22, re12, im12, delta, s22, v_t, gamma_a, gamma_s, f_eq, gamma_r),
        expr=drhs_dgs,
        doc="""
        Derivative of :func:`qke_rhs` with respect to Gamma_s.

        Used for the low-rank coupling through the self-consistent sterile
        self-scattering rate Gamma_s[f22] (notes eq. (28)-(31)). Constant
        (zero) entries are Python scalars.

        Parameters
        ----------""" + COMMON_ARGS + """
        Returns
        -------
        tuple of 4 float or ndarray
            d(rhs_i)/d(gamma_s) (dimensionless).
        """,
    ),
]

write_module(
    "liouville", SCRIPT,
    """
    Two-flavour (active, sterile) Liouville / quantum kinetic equations in
    real components, and the averaged Dodelson-Widrow mixing factor.

    State y = (f11, f22, re12, im12), f12 = re12 + i im12. All rates and
    frequencies in GeV; derivatives are d/dt (divide by H for d/dln z).
    Derivation and checks: derivations/out/liouville.md.
    """,
    functions,
)

# ---------------------------------------------------------------------------
# 4. Report
# ---------------------------------------------------------------------------
_NAMES = {s22: r"\sin^2 2\theta", f11: "f_{11}", f22: "f_{22}", re12: r"\mathrm{re}_{12}",
          im12: r"\mathrm{im}_{12}", delta: r"\Delta", v_t: "V_T", gamma_a: r"\Gamma_a",
          gamma_s: r"\Gamma_s", f_eq: r"f_{\rm eq}", gamma_r: r"\Gamma_r",
          c2: r"\cos 2\theta", s2: r"\sin 2\theta", gamma: r"\Gamma"}


def L(expr):
    return sp.latex(expr, symbol_names=_NAMES)


Fs = sp.Function("f")
entries = [
    ReportEntry(
        "Component equations (complex form)",
        r"\dot f_{11} = " + L(sp.simplify(seed11)) + r",\quad "
        r"\dot f_{12} = " + L(seed12) + r",\quad \dot f_{22} = -\dot f_{11}",
        "notes eq. (32) (SPEC section 4), from eq. (1)-(3) with "
        r"$k M_a^2 = (\Gamma_a+\Gamma_s)/2$",
        "yes (checked symbolically: the script asserts that -i[H0,F] - k[M,[M,F]] "
        "equals the seed's right-hand sides entry by entry)",
        "The (1,1) and (2,2) entries "
        "of [M,[M,F]] vanish and the off-diagonal ones are M_a^2 f12, so the collision "
        "term only damps the coherence, at rate (Gamma_a+Gamma_s)/2.",
    ),
    ReportEntry(
        "Hermiticity and trace",
        r"\dot F - \dot F^\dagger = 0,\qquad \dot f_{11} + \dot f_{22} = "
        + L(sp.simplify(rhs[0] + rhs[1])),
        "implicit in the seed (f21 = f12*)",
        "yes",
        "dF/dt computed from a Hermitian F is Hermitian (asserted), so f21 = conj(f12) is "
        "preserved and two real variables (re12, im12) suffice. Tr dF/dt = 0 (commutators "
        "are traceless), so f11 + f22 is conserved; with repopulation it relaxes only "
        "through Gamma_r (f_eq - f11).",
    ),
    ReportEntry(
        "Real four-component system (generated: qke_rhs)",
        r"\begin{aligned}" + r" \\ ".join(
            [r"\dot f_{11} &= " + L(rhs[0]), r"\dot f_{22} &= " + L(rhs[1]),
             r"\dot{\mathrm{re}}_{12} &= " + L(rhs[2]), r"\dot{\mathrm{im}}_{12} &= " + L(rhs[3])])
        + r"\end{aligned}",
        "notes eq. (32) plus the repopulation term of SPEC section 4",
        "yes (seed has no repopulation; Gamma_r = 0 reproduces it)",
        "sin 2theta = +sqrt(sin2_2theta), cos 2theta = +sqrt(1 - sin2_2theta). The Jacobian "
        "(qke_jacobian) is constant in the state; its Bloch block has eigenvalues "
        "≈ -Gamma/2 ± i omega_m and one slow eigenvalue (below). d rhs/d Gamma_s = "
        + str(drhs_dgs) + ".",
    ),
    ReportEntry(
        "(i) Adiabatic elimination of f12",
        r"\dot f_{11} = -" + L(target_ad) + r"\,(f_{11}-f_{22}),\quad a=\Delta\sin2\theta,\ "
        r"\omega=\Delta\cos2\theta - V_T",
        "SPEC section 4 validation statement; PRL eq. 3-4 with f_a -> f11 - f22",
        "partly: it agrees with the averaged factor of SPEC section 1 only to leading order in "
        "sin^2 2theta (the Delta^2 sin^2 2theta term in the denominator is missing)",
        "Setting d f12/dt = 0 with f11 - f22 frozen and solving the two linear equations gives "
        "re12 = -omega im12/(Gamma/2), im12 = (a/2)(Gamma/2)(f11-f22)/(omega^2+Gamma^2/4). "
        "Freezing f11 - f22 neglects the back-reaction of the population change on the "
        "coherence, which is what the a^2 term in (ii) restores.",
    ),
    ReportEntry(
        "(ii) Averaged factor = in-matter mixing x quantum-Zeno factor (generated: sin2_2theta_eff)",
        r"\sin^2 2\theta_m\,\frac{1}{1+(\Gamma\ell_m/2)^2} = " + L(s2eff)
        + r",\quad \sin^22\theta_m=" + L(sin2m) + r",\ \ell_m = (a^2+\omega^2)^{-1/2}",
        "PRL eq. 4, PRD eq. 2.8, Berlin-Hooper eq. 6-9 (SPEC sections 1 and 5)",
        "yes, identical algebraically (asserted)",
        "Berlin-Hooper write Delta - V_T instead of Delta cos 2theta - V_T (eq. 7, 9); "
        "that is the small-angle limit (cos 2theta -> 1) and is equivalent for the tiny "
        "mixings of interest, but the code keeps cos 2theta.",
    ),
    ReportEntry(
        "Slowest relaxation rate of the Bloch system",
        r"\det(\lambda - A) = " + L(charpoly_expected) + r",\quad "
        r"A=" + L(A) + r",\quad \lambda_{\rm lin} = " + L(sp.simplify(lam_lin)),
        "not in the seeds (consistency check of SPEC sections 1 and 4)",
        "yes: the slow eigenvalue is -(Gamma/2) sin^2 2theta_eff = -2 x (Gamma/4) sin^2 2theta_eff "
        "to leading order",
        "Variables (f11 - f22, re12, im12), g = Gamma/2. Dropping the lambda^2 and lambda^3 terms "
        "of the characteristic polynomial gives exactly lambda = -(Gamma/2) sin^2 2theta_eff; "
        "the neglected terms change it by a relative O(Gamma |lambda| / (omega_m^2 + Gamma^2/4)), "
        "small both for Gamma << omega_m and for Gamma >> omega_m. Expanding the exact root in "
        "g: lambda = -g a^2/omega_m^2 + 0 g^2 + l3 g^3, and l3 differs from the g^3 term of "
        "-(Gamma/2) sin^2 2theta_eff by $" + L(lam3_diff) + "$ = O(a^4)"
        + " (i.e. they agree at leading order in Gamma/omega_m, as required). The factor 2 "
        "relative to d f11/dt arises because f11 - f22 decays at twice the rate at which f11 "
        "alone changes (d f22/dt = -d f11/dt). For a -> 0 the linearised root equals twice "
        "the adiabatic rate (i) (asserted), so (i), (ii) and the eigenvalue coincide at leading "
        "order in sin^2 2theta. The test checks the full eigenvalue numerically.",
    ),
]

write_report(
    "liouville",
    "Liouville (QKE) reduction",
    """
    Derivation script: `derivations/liouville.py`; generated module:
    `qke/generated/liouville.py` with `sin2_2theta_eff(delta, sin2_2theta, v_t, gamma)`,
    `qke_rhs`, `qke_jacobian`, `qke_rhs_dgamma_s` (arguments `f11, f22, re12, im12,
    delta, sin2_2theta, v_t, gamma_a, gamma_s, f_eq, gamma_r`). Units: GeV for all
    frequencies and rates; d/dt (divide by H for d/d ln z). Starting point:
    dF/dt = -i[H0, F] - k[M,[M,F]], M = diag(M_a, 0), k M_a^2 = (Gamma_a + Gamma_s)/2,
    H0_11 - H0_22 = V_T - Delta cos 2theta, H0_12 = (Delta/2) sin 2theta.
    Every equality stated below is asserted by the script with SymPy.
    """,
    entries,
)
