"""Vector mediator V of a gauged U(1) (L_mu - L_tau, B - L) or a neutrinophilic V:
the processes and potentials that the plasma *besides* the active neutrino nu_a adds.

Run from the repository root: ``python derivations/vector_backgrounds.py``.
Writes ``qke/generated/vector_backgrounds.py`` and ``derivations/out/vector_backgrounds.md``.

Model: L ⊃ -g V_mu [ sum_nu Q_nu nubar gamma^mu P_L nu + sum_f Q_f fbar gamma^mu f ],
nu_a the active flavour mixing with the sterile state (charge Q_a), nu_b the other
neutrinos (Weyl, left-handed), f Dirac fermions of mass M with vector couplings (charged
leptons; quarks with N_c = 3). Kelly, Sen, Tangarife & Zhang, PRD 101 (2020) 115031
[arXiv:2005.03681], sec. IV (L_mu - L_tau) and V (B - L). Every cross section below is
per unit g^4 Q_a^2 Q_x^2 (x the partner; times N_c for quarks); the ones of nu_a with
itself are in derivations/cross_sections.py.

Method (as derivations/cross_sections.py): spin-summed |M|^2 from Dirac traces with
explicit 4x4 gamma matrices (chiral basis) and explicit centre-of-mass momenta, rewritten
in Mandelstam variables by matching a polynomial ansatz at exact rational kinematic
points and then checking it identically on a rational parametrisation of the whole phase
space. No average over initial spins (one helicity per (anti)neutrino; the partner's
spins are summed, i.e. sigma is the rate per partner *species*, both spin states
included). The t integrals are done symbolically and written with three basis functions
J0, J1, J2 of y = |t|_max / m_V^2, each evaluated by its Taylor series for y < 1/20,
where the closed forms cancel.

Also derived: the thermal kernel for a massive Fermi-Dirac partner (the reduction of
g int d^3p/(2 pi)^3 f(E_p) sigma v_Mol to one dimension), the widths V -> f fbar and
V -> nu nubar, heavy and light limits of the rates, and the forward-scattering potential
of nu_a on a background of another species (zero in a CP-symmetric plasma).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sympy as sp  # noqa: E402
from sympy.codegen.cfunctions import log1p  # noqa: E402

from _codegen import GeneratedFunction, ReportEntry, write_module, write_report  # noqa: E402

SCRIPT = "derivations/vector_backgrounds.py"

# ---------------------------------------------------------------------------
# Symbols
s = sp.Symbol("s", positive=True)
t = sp.Symbol("t", real=True)
m_v = sp.Symbol("m_v", positive=True)          # V mass
m_f = sp.Symbol("m_f", positive=True)          # mass of the Dirac partner f
g = sp.Symbol("g", positive=True)              # gauge coupling
width = sp.Symbol("width", positive=True)      # total V width
E = sp.Symbol("energy", positive=True)
T = sp.Symbol("temperature", positive=True)
Ep = sp.Symbol("E_p", positive=True)
Q2 = sp.Symbol("Q2", nonnegative=True)         # -t
y = sp.Symbol("y", nonnegative=True)           # |t|_max / m_v^2
# rational kinematics
a_, b_, tau, M = sp.symbols("a b tau M", positive=True)

# ---------------------------------------------------------------------------
# Dirac algebra, chiral basis (as derivations/cross_sections.py)
I = sp.I
_Z, _1 = sp.zeros(2), sp.eye(2)
_sig = [sp.Matrix([[0, 1], [1, 0]]), sp.Matrix([[0, -I], [I, 0]]), sp.Matrix([[1, 0], [0, -1]])]


def _blk(a, b, c, d):
    return sp.Matrix(sp.BlockMatrix([[a, b], [c, d]]))


GAMMA = [_blk(_Z, _1, _1, _Z)] + [_blk(_Z, si, -si, _Z) for si in _sig]
G5 = _blk(-_1, _Z, _Z, _1)
PL = (sp.eye(4) - G5) / 2
ETA = [1, -1, -1, -1]
ID4 = sp.eye(4)
assert all(sp.simplify(GAMMA[i] * GAMMA[j] + GAMMA[j] * GAMMA[i] - 2 * ETA[i] * (i == j) * ID4) == sp.zeros(4)
           for i in range(4) for j in range(4))


def slash(p):
    return sum((ETA[i] * p[i] * GAMMA[i] for i in range(4)), sp.zeros(4))


def dot(p, q):
    return sum(ETA[i] * p[i] * q[i] for i in range(4))


def tr(Mx):
    return sp.expand(Mx.trace())


def contract(A, B):
    """sum_{mu nu} eta_mu eta_nu A[mu][nu] B[mu][nu] (indices lowered on B)."""
    return sp.expand(sum(ETA[i] * ETA[j] * A[i][j] * B[i][j] for i in range(4) for j in range(4)))


def nu_tensor(p_out, p_in):
    """Tr[p_out gamma^mu P_L p_in gamma^nu P_L]: the (anti)neutrino current, one helicity."""
    return [[tr(slash(p_out) * GAMMA[i] * PL * slash(p_in) * GAMMA[j] * PL) for j in range(4)] for i in range(4)]


def dirac_tensor(sp_out, sp_in):
    """Tr[S_out gamma^mu S_in gamma^nu] for a vector current, S = p-slash +- M (spins summed)."""
    return [[tr(sp_out * GAMMA[i] * sp_in * GAMMA[j]) for j in range(4)] for i in range(4)]


def _rational_angle():
    c = (1 - tau**2) / (1 + tau**2)
    sn = 2 * tau / (1 + tau**2)
    return c, sn


C_, SN_ = _rational_angle()


def fit_invariants(expr_kin, s_kin, t_kin, mass):
    """Write expr (a rational function of a, tau, M) as a polynomial of degree 2 in (s, t, M^2).

    The ansatz sum c_ijk s^i t^j M^(2k), i + j + k = 2, is fitted at exact rational points and
    then checked identically (as rational functions of the kinematic parameters).
    """
    mons = [s**2, s * t, t**2, s * mass**2, t * mass**2, mass**4]
    cs = sp.symbols("c0:6")
    ansatz = sum(ci * mo for ci, mo in zip(cs, mons))
    eqs = []
    pts = [(3, sp.Rational(1, 2), 1), (5, 2, sp.Rational(1, 3)), (7, sp.Rational(3, 4), 2),
           (sp.Rational(9, 2), 3, sp.Rational(2, 5)), (11, sp.Rational(1, 7), sp.Rational(3, 2)),
           (13, 5, sp.Rational(5, 7)), (4, sp.Rational(2, 3), sp.Rational(1, 9))]
    for av, tv, mv in pts:
        sub = {a_: av, tau: tv, M: mv}
        eqs.append(sp.Eq(ansatz.subs({s: s_kin.subs(sub), t: t_kin.subs(sub), mass: mv}), expr_kin.subs(sub)))
    sol = sp.solve(eqs, cs, dict=True)
    assert len(sol) == 1, sol
    poly = sp.expand(ansatz.subs(sol[0]))
    check = sp.simplify(sp.together(poly.subs({s: s_kin, t: t_kin, mass: M}) - expr_kin))
    assert check == 0, check
    return poly


# ---------------------------------------------------------------------------
# 1. nu_a(p1) f(p2) -> nu_a(p3) f(p4), t-channel V, massive f (vector coupling)
# CM frame with sqrt(s) = a: k = (a^2 - M^2)/(2a), E_f = (a^2 + M^2)/(2a)  (rational)
k_sc = (a_**2 - M**2) / (2 * a_)
Ef_sc = (a_**2 + M**2) / (2 * a_)
p1 = [k_sc, 0, 0, k_sc]
p2 = [Ef_sc, 0, 0, -k_sc]
p3 = [k_sc, k_sc * SN_, 0, k_sc * C_]
p4 = [Ef_sc, -k_sc * SN_, 0, -k_sc * C_]
s_sc = sp.simplify(dot([p1[i] + p2[i] for i in range(4)], [p1[i] + p2[i] for i in range(4)]))
t_sc = sp.simplify(dot([p1[i] - p3[i] for i in range(4)], [p1[i] - p3[i] for i in range(4)]))
assert sp.simplify(s_sc - a_**2) == 0
N_scat_kin = contract(nu_tensor(p3, p1), dirac_tensor(slash(p4) + M * ID4, slash(p2) + M * ID4))
N_scat = fit_invariants(N_scat_kin, s_sc, t_sc, m_f)          # |M|^2 (t - m_v^2)^2 / g^4
u_sc = 2 * m_f**2 - s - t
# with an antifermion partner: nu(p1) fbar(p2) -> nu(p3) fbar(p4): spinors v, S = p-slash - M,
# order Tr[(p2 - M) gamma_mu (p4 - M) gamma_nu]
N_scat_bar_kin = contract(nu_tensor(p3, p1), dirac_tensor(slash(p2) - M * ID4, slash(p4) - M * ID4))
N_scat_bar = fit_invariants(N_scat_bar_kin, s_sc, t_sc, m_f)
SCAT_F_EQ_FBAR = sp.simplify(N_scat - N_scat_bar) == 0
assert SCAT_F_EQ_FBAR, "sigma(nu f) and sigma(nu fbar) should agree for a vector coupling of f"
msq_scat = g**4 * N_scat / (t - m_v**2)**2

# forward limit (light V): N(s, 0) = 8 (s - M^2)^2
assert sp.simplify(N_scat.subs(t, 0) - 8 * (s - m_f**2)**2) == 0
# massless f: N = 4 (s^2 + u^2)  (left- and right-handed f: the nu_b-like 4 s^2 plus 4 u^2)
assert sp.simplify(N_scat.subs(m_f, 0) - 4 * (s**2 + (s + t)**2)) == 0

# ---------------------------------------------------------------------------
# 2. nu_a(p1) nubar_a(p2) -> f(p3) fbar(p4), s-channel V (Breit-Wigner), massive f
# sqrt(s) = 2E, f momentum p = (b^2 - M^2)/(2b), E = (b^2 + M^2)/(2b)  (rational)
pf = (b_**2 - M**2) / (2 * b_)
Ef = (b_**2 + M**2) / (2 * b_)
q1 = [Ef, 0, 0, Ef]
q2 = [Ef, 0, 0, -Ef]
q3 = [Ef, pf * SN_, 0, pf * C_]
q4 = [Ef, -pf * SN_, 0, -pf * C_]
s_an = sp.simplify(4 * Ef**2)
t_an = sp.simplify(dot([q1[i] - q3[i] for i in range(4)], [q1[i] - q3[i] for i in range(4)]))
N_ann_kin = contract(nu_tensor(q2, q1), dirac_tensor(slash(q3) + M * ID4, slash(q4) - M * ID4))
N_ann = fit_invariants(N_ann_kin.subs(b_, a_), s_an.subs(b_, a_), t_an.subs(b_, a_), m_f)
u_an = 2 * m_f**2 - s - t
BW = (s - m_v**2)**2 + m_v**2 * width**2
msq_ann = g**4 * N_ann / BW
assert sp.simplify(N_ann.subs(m_f, 0) - 4 * (t**2 + (s + t)**2)) == 0

# ---------------------------------------------------------------------------
# 3. other neutrinos nu_b (Weyl, massless): t-channel nu_a nu_b, nu_a nubar_b; s-channel
# nu_a nubar_a -> nu_b nubar_b.  Massless CM momenta.
e0 = sp.Symbol("e0", positive=True)
r1 = [e0, 0, 0, e0]
r2 = [e0, 0, 0, -e0]
r3 = [e0, e0 * SN_, 0, e0 * C_]
r4 = [e0, -e0 * SN_, 0, -e0 * C_]
s_0 = 4 * e0**2
t_0 = sp.simplify(dot([r1[i] - r3[i] for i in range(4)], [r1[i] - r3[i] for i in range(4)]))
_sub0 = {e0: a_ / 2}
N_nb_kin = contract(nu_tensor(r3, r1), nu_tensor(r4, r2))            # nu_a nu_b -> nu_a nu_b
N_nbbar_kin = contract(nu_tensor(r3, r1), nu_tensor(r2, r4))         # nu_a nubar_b -> nu_a nubar_b
N_nbs_kin = contract(nu_tensor(r2, r1), nu_tensor(r3, r4))           # nu_a nubar_a -> nu_b nubar_b
fit0 = [fit_invariants(x.subs(_sub0), s_0.subs(_sub0), t_0.subs(_sub0), m_f).subs(m_f, 0)
        for x in (N_nb_kin, N_nbbar_kin, N_nbs_kin)]
N_nb, N_nbbar, N_nbs = fit0
assert sp.simplify(N_nb - 4 * s**2) == 0
assert sp.simplify(N_nbbar - 4 * (s + t)**2) == 0
assert sp.simplify(N_nbs - 4 * (s + t)**2) == 0


# ---------------------------------------------------------------------------
# t integration with the basis functions J0, J1, J2 of y = Q2max/m_v^2
def t_moments(N_of_t):
    """int_0^{Q2max} N(-Q2)/(Q2 + m_v^2)^2 dQ2 = a0 J0/m_v^2 + a1 J1 + a2 m_v^2 J2 (N quadratic in t)."""
    Nq = sp.expand(N_of_t.subs(t, -Q2))
    a0, a1, a2 = (sp.factor(Nq.coeff(Q2, k)) for k in range(3))    # factored: a0 = 8 (s - M^2)^2
    assert sp.expand(Nq - a0 - a1 * Q2 - a2 * Q2**2) == 0
    return a0, a1, a2


J0e = y / (1 + y)
J1e = sp.log(1 + y) - y / (1 + y)
J2e = y - 2 * sp.log(1 + y) + y / (1 + y)
# checks of the basis integrals
_q, _m = sp.symbols("q mm", positive=True)
for n, Je in ((0, J0e), (1, J1e), (2, J2e)):
    lhs = sp.integrate(_q**n / (_q + _m)**2, (_q, 0, y * _m))
    assert sp.simplify(lhs - _m**(n - 1) * Je) == 0, n

N_SERIES = 16
Y_SWITCH = sp.Rational(1, 20)


def _series(expr, order):
    return sp.expand(sp.series(expr, y, 0, order).removeO())


J_SERIES = [_series(J0e, N_SERIES), _series(J1e, N_SERIES + 1), _series(J2e, N_SERIES + 2)]
assert J_SERIES[1].coeff(y, 1) == 0 and J_SERIES[2].coeff(y, 2) == 0   # J1 ~ y^2/2, J2 ~ y^3/3
assert J_SERIES[1].coeff(y, 2) == sp.Rational(1, 2) and J_SERIES[2].coeff(y, 3) == sp.Rational(1, 3)
J_NUMERIC = [
    J0e,
    sp.Piecewise((sp.horner(J_SERIES[1], y), y < Y_SWITCH), (log1p(y) - y / (1 + y), True)),
    sp.Piecewise((sp.horner(J_SERIES[2], y), y < Y_SWITCH), (y - 2 * log1p(y) + y / (1 + y), True)),
]
J0, J1, J2 = sp.symbols("J0 J1 J2")


def sigma_t_channel(N_of_t, q2max, flux):
    """sigma = 1/(16 pi flux) int dt N/(t - m_v^2)^2: (J-form and closed form at g = 1, numeric form with g^4)."""
    a0, a1, a2 = t_moments(N_of_t)
    form = (a0 * J0 / m_v**2 + a1 * J1 + a2 * m_v**2 * J2) / (16 * sp.pi * flux)
    yy = q2max / m_v**2
    numeric = g**4 * form.subs({J0: J_NUMERIC[0], J1: J_NUMERIC[1], J2: J_NUMERIC[2]}).subs(y, yy)
    closed = form.subs({J0: J0e, J1: J1e, J2: J2e}).subs(y, yy)          # g = 1
    return form, numeric, closed


Q2max_scat = (s - m_f**2)**2 / s
sig_scat_J, sig_scat, sig_scat_closed = sigma_t_channel(N_scat, Q2max_scat, (s - m_f**2)**2)
# direct check of the closed form against a symbolic t integral at one rational point
_pt = {s: 7, m_f: sp.Rational(1, 2), m_v: sp.Rational(3, 2)}
_direct = sp.integrate((N_scat / (t - m_v**2)**2).subs(_pt), (t, -Q2max_scat.subs(_pt), 0)) \
    / (16 * sp.pi * ((s - m_f**2)**2).subs(_pt))
assert abs(sp.N(_direct - sig_scat_closed.subs(_pt), 30)) < 1e-25

# the same in q = s - m_f^2 (no cancellation in s - m_f^2 for a heavy partner, s ~ m_f^2)
qv = sp.Symbol("q", positive=True)
sig_scat_q = sig_scat.subs(s, qv + m_f**2)
assert sp.simplify((sig_scat_closed.subs(s, qv + m_f**2) - sig_scat_q.subs(g, 1)).subs(
    {qv: 3, m_f: sp.Rational(1, 2), m_v: 2}).rewrite(sp.log)) == 0

sig_nb_J, sig_nb, sig_nb_closed = sigma_t_channel(N_nb, s, s**2)
sig_nbbar_J, sig_nbbar, sig_nbbar_closed = sigma_t_channel(N_nbbar, s, s**2)

# s-channel: sigma = R(s) |P_s|^2, R = int dt N/(16 pi s^2), massless initial state
beta = sp.sqrt(1 - 4 * m_f**2 / s)
t_lo = m_f**2 - s / 2 - s * beta / 2
t_hi = m_f**2 - s / 2 + s * beta / 2
R_ann = sp.simplify(sp.integrate(sp.expand(N_ann), (t, t_lo, t_hi)) / (16 * sp.pi * s**2))
R_ann_target = s * beta * (1 + 2 * m_f**2 / s) / (6 * sp.pi)
assert sp.simplify(R_ann - R_ann_target) == 0
R_ann = R_ann_target
sig_ann = g**4 * sp.Piecewise((R_ann.subs(beta, sp.sqrt(sp.Abs(1 - 4 * m_f**2 / s))) / BW, s > 4 * m_f**2),
                              (0, True))
R_nbs = sp.simplify(sp.integrate(sp.expand(N_nbs), (t, -s, 0)) / (16 * sp.pi * s**2))
assert sp.simplify(R_nbs - s / (12 * sp.pi)) == 0
sig_nbs = g**4 * R_nbs / BW

# ---------------------------------------------------------------------------
# heavy-V limits (m_v^2 >> |t|, s) and light-V limits (forward peak)
sig_scat_heavy = sp.factor(sp.integrate(N_scat, (t, -Q2max_scat, 0)) / (16 * sp.pi * (s - m_f**2)**2 * m_v**4))
sig_scat_light = sp.factor(N_scat.subs(t, 0) / (16 * sp.pi * (s - m_f**2)**2 * m_v**2))
assert sp.simplify(sig_scat_light - 1 / (2 * sp.pi * m_v**2)) == 0
assert sp.simplify(sig_scat_heavy.subs(m_f, 0) - s / (3 * sp.pi * m_v**4)) == 0
sig_ann_heavy = sp.factor(R_ann / m_v**4)
sig_nb_heavy = sp.factor(sp.integrate(N_nb, (t, -s, 0)) / (16 * sp.pi * s**2 * m_v**4))
sig_nbbar_heavy = sp.factor(sp.integrate(N_nbbar, (t, -s, 0)) / (16 * sp.pi * s**2 * m_v**4))
sig_nbs_heavy = sp.factor(R_nbs / m_v**4)
assert sp.simplify(sig_nb_heavy - s / (4 * sp.pi * m_v**4)) == 0
assert sp.simplify(sig_nbbar_heavy - s / (12 * sp.pi * m_v**4)) == 0
assert sp.simplify(sig_nbs_heavy - s / (12 * sp.pi * m_v**4)) == 0
# heavy limits of the closed forms (series in 1/m_v at fixed s)
for closed, heavy in ((sig_scat_closed, sig_scat_heavy), (sig_nb_closed, sig_nb_heavy),
                      (sig_nbbar_closed, sig_nbbar_heavy)):
    lead = sp.limit(closed * m_v**4, m_v, sp.oo)
    assert sp.simplify(lead - heavy * m_v**4) == 0
# massless f, heavy: scattering on f and on fbar 2 s/(3 pi m^4), annihilation s/(6 pi m^4)
KAPPA_F = sp.simplify(2 * sig_scat_heavy.subs(m_f, 0) * m_v**4 / s + sig_ann_heavy.subs(m_f, 0) * m_v**4 / s)
KAPPA_NUB = sp.simplify((sig_nb_heavy + sig_nbbar_heavy + sig_nbs_heavy) * m_v**4 / s)
KAPPA_SELF = sp.Rational(5, 6) / sp.pi      # sigma(nu_a nu_a) + sigma(nu_a nubar_a) -> 5 s/(6 pi m^4)
assert sp.simplify(KAPPA_F - KAPPA_SELF) == 0
assert sp.simplify(KAPPA_NUB - KAPPA_SELF / 2) == 0
# light: t-channel cross sections -> constants (s-channel ~ 1/s is subleading)
LIGHT_F = sp.simplify(2 * sig_scat_light.subs(m_f, 0) * m_v**2)       # f and fbar
LIGHT_NUB = sp.Rational(2, 4) / sp.pi                                  # 1/(4 pi) + 1/(4 pi)
assert sp.simplify(sp.limit(sig_nb_closed * m_v**2, m_v, 0) - 1 / (4 * sp.pi)) == 0
assert sp.simplify(sp.limit(sig_nbbar_closed * m_v**2, m_v, 0) - 1 / (4 * sp.pi)) == 0
LIGHT_SELF = sp.Rational(1, 2) / sp.pi
assert sp.simplify(LIGHT_F - 2 * LIGHT_SELF) == 0 and sp.simplify(LIGHT_NUB - LIGHT_SELF) == 0

# ---------------------------------------------------------------------------
# 4. thermal kernel for a massive Fermi-Dirac partner (Moller velocity)
# int d^3p/(2pi)^3 = int p E_p dE_p dc/(4 pi^2); s - M^2 = 2E(E_p - p c), dc = ds/(2 E p);
# v_Mol = (k.p)/(E E_p) = (s - M^2)/(2 E E_p)
pm = sp.Symbol("p", positive=True)
cth = sp.Symbol("c", real=True)
jac_m = sp.simplify(pm * Ep / (4 * sp.pi**2) * (1 / (2 * E * pm)) * ((s - m_f**2) / (2 * E * Ep)))
assert sp.simplify(jac_m - (s - m_f**2) / (16 * sp.pi**2 * E**2)) == 0
# s at fixed E_p spans m_f^2 + 2E(E_p -+ p); both limits give the same condition E_p >= E_min(s)
sig_p = sp.Symbol("sigma_p", positive=True)           # (s - M^2)/(2E)
Emin = (sig_p**2 + m_f**2) / (2 * sig_p)
# E_p + p = sigma_p and E_p - p = sigma_p (p = sqrt(E_p^2 - M^2)) are both solved by E_p = Emin:
for sv, mv in ((3, 1), (sp.Rational(1, 3), 1), (2, sp.Rational(5, 2))):
    em = Emin.subs({sig_p: sv, m_f: mv})
    pp_ = sp.sqrt(em**2 - mv**2)
    assert sp.simplify((em + pp_ - sv) * (em - pp_ - sv)) == 0
Emin_s = sp.simplify(Emin.subs(sig_p, (s - m_f**2) / (2 * E)))
fd_tail = T * sp.log(1 + sp.exp(-Emin_s / T))
K_massive = 2 * jac_m * fd_tail                   # g = 2 (seed convention, as thermal_kernel_fd)
K_massive_print = 2 * (s - m_f**2) * T * log1p(sp.exp(-Emin_s / T)) / (16 * sp.pi**2 * E**2)
K_massless = 2 * s * T * sp.log(1 + sp.exp(-s / (4 * E * T))) / (16 * sp.pi**2 * E**2)
assert sp.simplify(K_massive.subs(m_f, 0) - K_massless) == 0
# the angle-averaged Moller velocity of a massless test particle is 1: int dc/2 (1 - v_p c) = 1
assert sp.integrate((1 - cth * pm / Ep) / 2, (cth, -1, 1)) == 1
# dimensionless: v = (s - M^2)/(4 E T), mu = M/T: E_min/T = v + mu^2/(4 v)
vv, mu = sp.symbols("v mu", positive=True)
assert sp.simplify((Emin_s / T).subs(s, m_f**2 + 4 * E * T * vv).subs(m_f, mu * T) - (vv + mu**2 / (4 * vv))) == 0

# light-V rate on a massive partner: sigma -> 1/(2 pi m_v^2) per species (f, fbar) and
# <v_Mol> = 1, so Gamma = g_h x 2 x sigma x n_1, n_1 the density of one spin state... of f
n1 = sp.Symbol("n_1", positive=True)
gamma_f_light = sp.simplify(2 * 2 * sig_scat_light * n1 * g**4)
assert sp.simplify(gamma_f_light - 2 * g**4 * n1 / (sp.pi * m_v**2)) == 0

# rates of massless partners from sigma = kappa s (heavy) or sigma = lam0 (light): reuse the
# moments of derivations/thermal_rates.py: Gamma = (7 pi^2/45) kappa E T^4 and (3 zeta(3)/(2 pi^2)) lam0 T^3
x = sp.Symbol("x", positive=True)
kk = sp.Symbol("k", integer=True, positive=True)


def moment(n):
    term = sp.integrate(x**n * sp.exp(-kk * x), (x, 0, sp.oo), conds="none")
    return sp.simplify(sp.summation((-1)**(kk + 1) / kk * term, (kk, 1, sp.oo)).rewrite(sp.zeta))


M1, M2 = moment(1), moment(2)


def rate_power(coef, n):
    """Gamma from sigma = coef s^n through the massless kernel (g = 2): x = s/(4ET)."""
    return sp.simplify(2 * coef * T / (16 * sp.pi**2 * E**2) * (4 * E * T)**(n + 2) * {0: M1, 1: M2}[n])


G_self_heavy = rate_power(g**4 * KAPPA_SELF / m_v**4, 1)
assert sp.simplify(G_self_heavy - 7 * sp.pi * g**4 * E * T**4 / (54 * m_v**4)) == 0   # thermal_rates.md
G_f_heavy = rate_power(g**4 * KAPPA_F / m_v**4, 1)            # one massless Dirac f (per N_c Q_f^2)
G_nub_heavy = rate_power(g**4 * KAPPA_NUB / m_v**4, 1)        # one other neutrino flavour
G_f_light = rate_power(g**4 * LIGHT_F / m_v**2, 0)
G_nub_light = rate_power(g**4 * LIGHT_NUB / m_v**2, 0)
G_self_light = rate_power(g**4 * LIGHT_SELF / m_v**2, 0)
assert sp.simplify(G_self_light - 3 * sp.zeta(3) * g**4 * T**3 / (4 * sp.pi**3 * m_v**2)) == 0
n1_massless = 3 * sp.zeta(3) * T**3 / (4 * sp.pi**2)
assert sp.simplify(gamma_f_light.subs(n1, n1_massless) - G_f_light) == 0

# model sums for fully relativistic plasmas (T >> all masses), relative to nu_a alone
RATIO_LMT_HEAVY = sp.nsimplify(1 + sp.Rational(1, 2) + 1 + 1)       # nu_tau, mu, tau
RATIO_LMT_LIGHT = sp.nsimplify(1 + 1 + 2 + 2)
assert sp.simplify(G_self_heavy + G_nub_heavy + 2 * G_f_heavy - RATIO_LMT_HEAVY * G_self_heavy) == 0
assert sp.simplify(G_self_light + G_nub_light + 2 * G_f_light - RATIO_LMT_LIGHT * G_self_light) == 0
NQ_QUARKS5 = 5 * 3 * sp.Rational(1, 9)                              # u d s c b, N_c Q^2 = 1/3 each
RATIO_BL_HEAVY = 1 + 2 * sp.Rational(1, 2) + 3 + NQ_QUARKS5
RATIO_BL_LIGHT = 1 + 2 + 3 * 2 + 2 * NQ_QUARKS5
assert sp.simplify(G_self_heavy + 2 * G_nub_heavy + (3 + NQ_QUARKS5) * G_f_heavy
                   - RATIO_BL_HEAVY * G_self_heavy) == 0

# ---------------------------------------------------------------------------
# 5. widths: V(k) -> f fbar (vector coupling, N_c = 1) and V -> nu nubar (one Weyl flavour)
Kv = [M, 0, 0, 0]


def vector_decay(msq_tensor, pabs):
    pol = [[(-ETA[i] * (i == j)) + Kv[i] * Kv[j] / M**2 for j in range(4)] for i in range(4)]
    # lower indices of the tensor: contract with pol^{mu nu} eta eta
    amp = sp.simplify(sum(pol[i][j] * ETA[i] * ETA[j] * msq_tensor[i][j] for i in range(4) for j in range(4)) / 3)
    return sp.simplify(pabs / (8 * sp.pi * M**2) * amp)


pdec = sp.sqrt(M**2 / 4 - m_f**2)
d3 = [M / 2, 0, 0, pdec]
d4 = [M / 2, 0, 0, -pdec]
W_ff = vector_decay(dirac_tensor(slash(d3) + m_f * ID4, slash(d4) - m_f * ID4), pdec) * g**2
W_ff = sp.simplify(W_ff.subs(M, m_v))
rr = sp.Symbol("r", positive=True)
W_ff_target = g**2 * m_v / (12 * sp.pi) * (1 + 2 * m_f**2 / m_v**2) * sp.sqrt(1 - 4 * m_f**2 / m_v**2)
assert sp.simplify((W_ff - W_ff_target).subs(m_f, m_v * sp.sqrt(rr))) == 0
d3n = [M / 2, 0, 0, M / 2]
d4n = [M / 2, 0, 0, -M / 2]
W_nn = sp.simplify((vector_decay(nu_tensor(d3n, d4n), M / 2) * g**2).subs(M, m_v))
assert sp.simplify(W_nn - g**2 * m_v / (24 * sp.pi)) == 0
W_ff_print = sp.Piecewise(((g**2 * m_v / (12 * sp.pi)) * (1 + 2 * m_f**2 / m_v**2)
                           * sp.sqrt(sp.Abs(1 - 4 * m_f**2 / m_v**2)), 4 * m_f**2 < m_v**2), (0, True))
# narrow width: the s-channel part of every nu_a nubar_a -> X is R_X(s)|P_s|^2 -> (pi/(m Gamma)) R_X(m^2)
# delta(s - m^2), and R_X(m_v^2) = 2 g^2 m_v Gamma(V -> X); summed over X: C = 2 pi g^2 (all final states)
R_at_pole = sp.simplify(g**4 * R_ann.subs(s, m_v**2))
assert sp.simplify((R_at_pole - 2 * g**2 * m_v * W_ff_target).subs(m_f, m_v * sp.sqrt(rr))) == 0
C_X = sp.simplify(sp.pi / (m_v * width) * R_at_pole)          # C of nu nubar -> f fbar
assert sp.simplify((C_X - 2 * sp.pi * g**2 * W_ff_target / width).subs(m_f, m_v * sp.sqrt(rr))) == 0
C_nub = sp.simplify(sp.pi / (m_v * width) * g**4 * R_nbs.subs(s, m_v**2))
assert sp.simplify(C_nub - 2 * sp.pi * g**2 * W_nn / width) == 0
# => sum_X C_X = 2 pi g^2 Q_a^2 (Gamma_tot / Gamma_tot): inverse decay nu_a nubar_a -> V, whatever V decays to

# ---------------------------------------------------------------------------
# 6. forward-scattering potential of nu_a on a background species f (distinct from nu_a)
# H_eff = (g^2 Q_a Q_f/m_v^2) (nubar_a gamma^mu P_L nu_a) <fbar gamma_mu f>  (q = 0 exactly: forward)
# test neutrino: ubar gamma^0 P_L u/(2E) for the left-handed state = Tr[k-slash gamma^0 P_L]/(2E) / 1
kE = sp.Symbol("kE", positive=True)
kvec = [kE, 0, 0, kE]
nu_norm = sp.simplify(tr(slash(kvec) * GAMMA[0] * PL) / (2 * kE))
assert nu_norm == 1
# background: sum_spins ubar gamma^mu u/(2E_p) = Tr[(p-slash + M) gamma^mu]/(2E_p) = 2 p^mu/E_p;
# antiparticles enter with the opposite sign (normal ordering of the current)
px, py, pz = sp.symbols("p_x p_y p_z", real=True)
Epf = sp.sqrt(px**2 + py**2 + pz**2 + m_f**2)
pvec = [Epf, px, py, pz]
cur = [sp.simplify(tr((slash(pvec) + m_f * ID4) * GAMMA[mu_]) / (2 * Epf)) for mu_ in range(4)]
cur_bar = [sp.simplify(tr((slash(pvec) - m_f * ID4) * GAMMA[mu_]) / (2 * Epf)) for mu_ in range(4)]
assert cur[0] == 2 and cur_bar[0] == 2
assert all(sp.simplify(cur[i] - 2 * pvec[i] / Epf) == 0 for i in range(1, 4))
# isotropic ensemble: the spatial components average to zero (odd in p); J^0 = n_f - n_fbar
n_f, n_fbar = sp.symbols("n_f n_fbar", nonnegative=True)
Q_a, Q_f = sp.symbols("Q_a Q_f", real=True)
V_direct = g**2 * Q_a * Q_f * (n_f - n_fbar) / m_v**2 * nu_norm
V_direct_CP = V_direct.subs(n_fbar, n_f)
assert V_direct_CP == 0
# The exchange (bubble) diagram needs a vertex nubar_a gamma f V: absent for f != nu_a (the
# couplings are flavour diagonal), so only nu_a itself gives the energy-dependent thermal term.
# Check (Notzold-Raffelt rescaled): their bubble term for a boson B of mass M_B coupling
# h nubar gamma^mu P_L psi B_mu is V = -(8/3) (sqrt2 G_F) E rho/M_B^2 with sqrt2 G_F = h^2/(2 M_B^2)
# and rho the energy density of the psi states that couple (W: e^- and e^+ with P_L, i.e. half of
# rho_e summed over its 4 states; V: nu_a + nubar_a, both coupling):
h_, MB, rho = sp.symbols("h M_B rho", positive=True)
V_NR_bubble = -sp.Rational(8, 3) * (h_**2 / (2 * MB**2)) * E * rho / MB**2
rho_nu = 7 * sp.pi**2 * T**4 / 120                                       # nu_a + nubar_a, one state each
V_exch_nu = V_NR_bubble.subs({h_: g, MB: m_v, rho: 2 * rho_nu})          # 2: W couples half of rho_l's states
assert sp.simplify(V_exch_nu - (-7 * sp.pi**2 * g**2 * E * T**4 / (45 * m_v**4))) == 0  # PRD eq. 3.4
# and the SM Z analogue: Notzold-Raffelt have rho_nu/M_Z^2 and rho_l/M_W^2 but no rho_l/M_Z^2 term

# ---------------------------------------------------------------------------
# Generated module
U_S = "s : array_like\n    Mandelstam s [GeV^2]."
U_T = "t : array_like\n    Mandelstam t = (p1 - p3)^2 [GeV^2], p1 (p3) the incoming (outgoing) nu_a."
U_MV = "m_v : array_like\n    Mass of V [GeV]."
U_MF = "m_f : array_like\n    Mass of the Dirac partner f [GeV]."
U_G = "g : array_like\n    Coupling (dimensionless); multiply by the charges as stated."
U_W = "width : array_like\n    Total width of V [GeV] (Breit-Wigner regulator)."
U_E = "energy : array_like\n    Neutrino energy E [GeV]."
U_TT = "temperature : array_like\n    Temperature T [GeV]."
SIG = "Returns\n-------\nndarray\n    Cross section [GeV^-2]."
MSQ = "Returns\n-------\nndarray\n    |M|^2 (dimensionless), spins of f summed, one helicity per (anti)neutrino."
RATE = "Returns\n-------\nndarray\n    Rate [GeV] (seed helicity factor g = 2, as qke.generated.thermal_rates)."
NOTE_J = ("Notes\n-----\nWritten with J0 = y/(1+y), J1 = ln(1+y) - y/(1+y), J2 = y - 2 ln(1+y) + y/(1+y),\n"
          "y = |t|_max/m_v^2; J1 and J2 use their Taylor series for y < 1/20.")


def _doc(head, args, ret, seed, extra=""):
    body = head.strip() + "\n\nParameters\n----------\n" + "\n".join(args) + "\n\n" + ret
    if extra:
        body += "\n\n" + extra
    return body + f"\n\nSeed: {seed}"


def _print_log(expr):
    return expr.replace(lambda e: isinstance(e, sp.log) and e.args[0].is_Add and 1 in e.args[0].args,
                        lambda e: log1p(e.args[0] - 1))


ZETA3 = sp.Symbol("ZETA3")
PRD = "Kelly et al., PRD 101 (2020) 115031"
functions = [
    GeneratedFunction("msq_nu_f_scattering", [s, t, m_v, m_f, g], msq_scat, _doc(
        "|M|^2 of nu_a f -> nu_a f by t-channel V exchange, f a Dirac fermion of mass m_f with a\n"
        "vector coupling (per unit Q_a^2 Q_f^2). The same for nu_a fbar -> nu_a fbar.",
        [U_S, U_T, U_MV, U_MF, U_G], MSQ, f"{PRD} sec. IV-V (not printed)")),
    GeneratedFunction("msq_nu_nubar_to_f_fbar", [s, t, m_v, m_f, g, width], msq_ann, _doc(
        "|M|^2 of nu_a nubar_a -> f fbar by s-channel V (Breit-Wigner), f of mass m_f with a vector\n"
        "coupling (per unit Q_a^2 Q_f^2; times N_c for quarks).",
        [U_S, U_T, U_MV, U_MF, U_G, U_W], MSQ, f"{PRD} sec. IV-V (not printed)")),
    GeneratedFunction("msq_nu_nub", [s, t, m_v, g], g**4 * N_nb / (t - m_v**2)**2, _doc(
        "|M|^2 of nu_a nu_b -> nu_a nu_b (b != a), t-channel V (per unit Q_a^2 Q_b^2).",
        [U_S, U_T, U_MV, U_G], MSQ, f"{PRD} sec. IV (not printed)")),
    GeneratedFunction("msq_nu_nubbar", [s, t, m_v, g], g**4 * N_nbbar / (t - m_v**2)**2, _doc(
        "|M|^2 of nu_a nubar_b -> nu_a nubar_b (b != a), t-channel V (per unit Q_a^2 Q_b^2).",
        [U_S, U_T, U_MV, U_G], MSQ, f"{PRD} sec. IV (not printed)")),
    GeneratedFunction("msq_nu_nubar_to_nub_nubbar", [s, t, m_v, g, width], g**4 * N_nbs / BW, _doc(
        "|M|^2 of nu_a nubar_a -> nu_b nubar_b (b != a), s-channel V, Breit-Wigner (per unit Q_a^2 Q_b^2);\n"
        "t = (p_nu_a - p_nu_b)^2.",
        [U_S, U_T, U_MV, U_G, U_W], MSQ, f"{PRD} sec. IV (not printed)")),
    GeneratedFunction("sigma_nu_f_scattering", [s, m_v, m_f, g], sig_scat, _doc(
        "sigma(nu_a f -> nu_a f) = sigma(nu_a fbar -> nu_a fbar), t-channel V, massive f, summed over\n"
        "the spins of f (per unit Q_a^2 Q_f^2). s >= m_f^2.",
        [U_S, U_MV, U_MF, U_G], SIG, f"{PRD} sec. IV-V (not printed)", NOTE_J), cse=True),
    GeneratedFunction("sigma_nu_f_scattering_q", [qv, m_v, m_f, g], sig_scat_q, _doc(
        "sigma_nu_f_scattering as a function of q = s - m_f^2 (accurate also for q << m_f^2).",
        ["q : array_like\n    s - m_f^2 [GeV^2], > 0.", U_MV, U_MF, U_G], SIG, f"{PRD} sec. IV-V (not printed)",
        NOTE_J), cse=True),
    GeneratedFunction("sigma_nu_nubar_to_f_fbar", [s, m_v, m_f, g, width], sig_ann, _doc(
        "sigma(nu_a nubar_a -> f fbar) = g^4 s beta (1 + 2 m_f^2/s)/(6 pi) |P_s|^2, beta = (1 - 4m_f^2/s)^{1/2},\n"
        "|P_s|^2 = 1/((s - m_v^2)^2 + m_v^2 width^2); zero below threshold (per unit Q_a^2 Q_f^2 N_c).",
        [U_S, U_MV, U_MF, U_G, U_W], SIG, f"{PRD} sec. IV-V (not printed)")),
    GeneratedFunction("sigma_nu_nub", [s, m_v, g], sig_nb, _doc(
        "sigma(nu_a nu_b -> nu_a nu_b), t-channel V only (b != a), per unit Q_a^2 Q_b^2.",
        [U_S, U_MV, U_G], SIG, f"{PRD} sec. IV (not printed)", NOTE_J), cse=True),
    GeneratedFunction("sigma_nu_nubbar", [s, m_v, g], sig_nbbar, _doc(
        "sigma(nu_a nubar_b -> nu_a nubar_b), t-channel V only (b != a), per unit Q_a^2 Q_b^2.",
        [U_S, U_MV, U_G], SIG, f"{PRD} sec. IV (not printed)", NOTE_J), cse=True),
    GeneratedFunction("sigma_nu_nubar_to_nub_nubbar", [s, m_v, g, width], sig_nbs, _doc(
        "sigma(nu_a nubar_a -> nu_b nubar_b) = g^4 s/(12 pi) |P_s|^2 (b != a), per unit Q_a^2 Q_b^2.",
        [U_S, U_MV, U_G, U_W], SIG, f"{PRD} sec. IV (not printed)")),
    GeneratedFunction("sigma_nu_f_scattering_heavy", [s, m_v, m_f, g], g**4 * sig_scat_heavy, _doc(
        "Heavy-V limit (m_v^2 >> s) of sigma_nu_f_scattering; = g^4 s/(3 pi m_v^4) for m_f = 0.",
        [U_S, U_MV, U_MF, U_G], SIG, f"{PRD} (not printed)")),
    GeneratedFunction("sigma_nu_f_scattering_light", [s, m_v, m_f, g], g**4 * sig_scat_light, _doc(
        "Light-V limit (m_v^2 << |t|_max) of sigma_nu_f_scattering: g^4/(2 pi m_v^2) for any m_f\n"
        "(the forward peak; s, m_f unused).",
        [U_S, U_MV, U_MF, U_G], SIG, f"{PRD} (not printed)")),
    GeneratedFunction("thermal_kernel_fd_massive", [s, E, T, m_f], K_massive_print, _doc(
        "Kernel K_M with Gamma(E, T) = int_{m_f^2}^oo ds sigma(s) K_M(s; E, T, m_f) for a Fermi-Dirac\n"
        "partner of mass m_f (one state) and the Moller velocity:\n"
        "K_M = g T (s - m_f^2) ln(1 + exp(-E_min/T))/(16 pi^2 E^2), g = 2,\n"
        "E_min = (s - m_f^2)/(4E) + E m_f^2/(s - m_f^2). Equals thermal_kernel_fd for m_f = 0.",
        ["s : array_like\n    Mandelstam s [GeV^2], > m_f^2.", U_E, U_TT, U_MF],
        "Returns\n-------\nndarray\n    K_M [GeV^-1].", "PRD eq. 3.6 generalised to a massive partner")),
    GeneratedFunction("width_vector_to_dirac", [m_v, g, m_f], W_ff_print, _doc(
        "Gamma(V -> f fbar) = g^2 m_v/(12 pi) (1 + 2r)(1 - 4r)^{1/2} Theta(1 - 4r), r = m_f^2/m_v^2\n"
        "(vector coupling; times N_c Q_f^2).",
        [U_MV, U_G, U_MF], "Returns\n-------\nndarray\n    Width [GeV].",
        "PRD eq. 4.6 (charged-lepton terms)")),
    GeneratedFunction("width_vector_to_weyl", [m_v, g], W_nn, _doc(
        "Gamma(V -> nu nubar) for one left-handed neutrino flavour: g^2 m_v/(24 pi) (times Q_nu^2).",
        [U_MV, U_G], "Returns\n-------\nndarray\n    Width [GeV].", "PRD eq. 4.6 (the '1': nu_mu + nu_tau)")),
    GeneratedFunction("gamma_dirac_heavy_massless", [E, T, m_v, g], G_f_heavy, _doc(
        "Heavy-V rate (m_v^2 >> E T) of nu_a on one massless Dirac species f (scattering on f and fbar\n"
        "plus nu_a nubar_a -> f fbar): 7 pi g^4 E T^4/(54 m_v^4) per unit Q_a^2 Q_f^2 N_c -- the same as\n"
        "nu_a on itself (gamma_vector_heavy).",
        [U_E, U_TT, U_MV, U_G], RATE, f"{PRD} eq. 3.8 analogue (derived kernel)")),
    GeneratedFunction("gamma_weyl_heavy", [E, T, m_v, g], G_nub_heavy, _doc(
        "Heavy-V rate of nu_a on one other neutrino flavour nu_b (nu_a nu_b, nu_a nubar_b, nu_a nubar_a ->\n"
        "nu_b nubar_b): 7 pi g^4 E T^4/(108 m_v^4) per unit Q_a^2 Q_b^2, half of nu_a on itself.",
        [U_E, U_TT, U_MV, U_G], RATE, f"{PRD} eq. 3.8 analogue (derived kernel)")),
    GeneratedFunction("gamma_dirac_light_massless", [E, T, m_v, g], G_f_light, _doc(
        "Light-V rate (m_v << T) of nu_a scattering on one massless Dirac species (f and fbar):\n"
        "3 zeta(3) g^4 T^3/(2 pi^3 m_v^2) per unit Q_a^2 Q_f^2 N_c, twice nu_a on itself.",
        [U_E, U_TT, U_MV, U_G], RATE, f"{PRD} eq. 3.10 analogue (derived kernel)")),
    GeneratedFunction("gamma_weyl_light", [E, T, m_v, g], G_nub_light, _doc(
        "Light-V rate of nu_a scattering on one other neutrino flavour (nu_b and nubar_b):\n"
        "3 zeta(3) g^4 T^3/(4 pi^3 m_v^2) per unit Q_a^2 Q_b^2, as nu_a on itself.",
        [U_E, U_TT, U_MV, U_G], RATE, f"{PRD} eq. 3.10 analogue (derived kernel)")),
    GeneratedFunction("gamma_dirac_light_massive", [n1, m_v, g], gamma_f_light, _doc(
        "Light-V rate of nu_a scattering on a massive Dirac species: 2 g^4 n_1/(pi m_v^2), n_1 the number\n"
        "density of ONE spin state of f (= that of fbar); <v_Mol> = 1 for a massless nu_a.",
        ["n_1 : array_like\n    Number density of one spin state of f [GeV^3].", U_MV, U_G], RATE,
        f"{PRD} (not printed)")),
    GeneratedFunction("v_direct_background", [g, Q_a, Q_f, n_f, n_fbar, m_v], V_direct, _doc(
        "Forward-scattering potential of nu_a on a background species f != nu_a through V:\n"
        "g^2 Q_a Q_f (n_f - n_fbar)/m_v^2 (n: number densities summed over spins). Zero for a\n"
        "CP-symmetric plasma at every order in E/m_v (the momentum transfer is exactly zero).",
        [U_G, "Q_a : array_like\n    Charge of nu_a.", "Q_f : array_like\n    Charge of f.",
         "n_f : array_like\n    Number density of f [GeV^3].", "n_fbar : array_like\n    Of fbar [GeV^3].", U_MV],
        "Returns\n-------\nndarray\n    Potential [GeV] (positive = repulsive for like charges).",
        f"{PRD} sec. IV-V")),
]
functions = [GeneratedFunction(f.name, f.args, sp.sympify(f.expr).subs(sp.zeta(3), ZETA3), f.doc, f.cse)
             for f in functions]
write_module("vector_backgrounds", SCRIPT, """
Vector mediator V of a U(1) under which the plasma besides the active neutrino nu_a is
charged (gauged L_mu - L_tau, B - L; Kelly et al., PRD 101 (2020) 115031, sec. IV-V):
cross sections of nu_a on charged Dirac fermions f (scattering, annihilation into f fbar)
and on the other neutrino flavours, the thermal kernel for a massive partner, widths,
rate limits and the background potential. Per unit coupling charges as stated in each
docstring (Q_a^2 Q_x^2, times N_c = 3 for quarks). Natural units, GeV.
Derivation and checks: derivations/out/vector_backgrounds.md.
""", functions, constants=[("ZETA3", sp.zeta(3), "Riemann zeta(3)")])


# ---------------------------------------------------------------------------
# Report
def lx(e):
    return sp.latex(e, symbol_names={g: "g", m_v: "m_V", m_f: "M", E: "E", T: "T", width: r"\Gamma_V"})


entries = [
    ReportEntry("Model and conventions",
                r"\mathcal L\supset -g V_\mu\Big[\sum_\nu Q_\nu\,\bar\nu\gamma^\mu P_L\nu+\sum_f Q_f\,\bar f\gamma^\mu f"
                r"\Big],\quad \frac{d\sigma}{dt}=\frac{\sum|M|^2}{16\pi\,\lambda(s,0,M^2)}",
                "PRD sec. IV (L_mu - L_tau: Q = +1 for nu_mu, mu; -1 for nu_tau, tau) and sec. V (B - L: "
                "-1 for leptons, +1/3 for quarks)",
                "n/a (the seed dump lost the equations of sec. IV-V except eq. 4.6)",
                "One helicity per (anti)neutrino, no initial-spin average; the partner f's spins are summed "
                "(sigma per partner species), as derivations/cross_sections.py. Each sigma is per unit "
                "g^4 Q_a^2 Q_x^2 (times N_c for quarks). The nu_a-nu_a channels are those of PRD eq. 3.5."),
    ReportEntry("nu_a f -> nu_a f (t-channel V, massive f): |M|^2",
                r"\sum|M|^2=\frac{g^4\,[" + lx(sp.factor(N_scat)) + r"]}{(t-m_V^2)^2}",
                "not printed", "n/a",
                "Explicit traces in the CM frame at rational kinematics (a = sqrt s, rational angle), "
                "fitted to a quadratic polynomial in (s, t, M^2) and then checked identically. The same "
                "for an antifermion partner (a vector coupling of f has no parity-odd tensor part): "
                + str(SCAT_F_EQ_FBAR) + ". Forward limit 8(s - M^2)^2; massless f: 4(s^2 + u^2) "
                "(its left-handed half is the nu_b-like 4 s^2, its right-handed half 4 u^2)."),
    ReportEntry("nu_a f -> nu_a f: sigma",
                r"\sigma=\frac{g^4}{16\pi(s-M^2)^2}\Big[a_0\frac{J_0(y)}{m_V^2}+a_1J_1(y)+a_2m_V^2J_2(y)\Big],\ "
                r"y=\frac{(s-M^2)^2}{s\,m_V^2},\ J_0=\frac{y}{1+y},\ J_1=\ln(1+y)-\frac{y}{1+y},\ "
                r"J_2=y-2\ln(1+y)+\frac{y}{1+y}",
                "not printed", "n/a",
                "a_0, a_1, a_2: coefficients of 1, Q^2, Q^4 in N(t = -Q^2). The basis integrals "
                "int_0^{y m^2} q^n dq/(q + m^2)^2 = m^{2(n-1)} J_n are asserted; J1 ~ y^2/2 and J2 ~ y^3/3 "
                "are evaluated by their Taylor series for y < 1/20 (the closed forms cancel there), so the "
                "heavy-V region keeps full precision. The closed form is checked against a direct "
                "symbolic t integral. Limits: heavy " + "$" + lx(sig_scat_heavy) + "$" + " (g = 1), "
                "light (forward peak) 1/(2 pi m_V^2) for any M."),
    ReportEntry("nu_a nubar_a -> f fbar (s-channel): sigma",
                r"\sigma=\frac{g^4}{6\pi}\,s\beta\Big(1+\frac{2M^2}{s}\Big)\frac{1}{(s-m_V^2)^2+m_V^2\Gamma_V^2},"
                r"\ \beta=\sqrt{1-4M^2/s}",
                "not printed", "n/a",
                "From the fitted |M|^2 (massless f: 4(t^2 + u^2)) integrated over t in "
                "[M^2 - s(1 + beta)/2, M^2 - s(1 - beta)/2]; zero below threshold s = 4M^2."),
    ReportEntry("Other neutrino flavours nu_b (b != a)",
                r"\sum|M|^2:\ \nu_a\nu_b:\ \frac{4g^4s^2}{(t-m_V^2)^2},\ \ \nu_a\bar\nu_b:\ \frac{4g^4u^2}{(t-m_V^2)^2},"
                r"\ \ \nu_a\bar\nu_a\to\nu_b\bar\nu_b:\ 4g^4u^2|P_s|^2;\quad \sigma_s=\frac{g^4s}{12\pi}|P_s|^2",
                "not printed (PRD sec. IV, nu_tau in L_mu - L_tau)", "n/a",
                "One diagram each (flavour-diagonal couplings), hence no interference and only Q_a^2 Q_b^2: "
                "the sign of the charge (nu_tau has -1) does not enter."),
    ReportEntry("Heavy-V limits, relativistic plasma",
                r"\sigma\to\kappa\frac{g^4 s}{m_V^4}:\ \kappa_{\nu_a}=" + lx(KAPPA_SELF) + r",\ \kappa_{f}="
                + lx(KAPPA_F) + r",\ \kappa_{\nu_b}=" + lx(KAPPA_NUB) + r";\quad\Gamma=\frac{7\pi^2}{45}\kappa"
                r"\frac{g^4ET^4}{m_V^4}:\ \Gamma_f=" + lx(G_f_heavy) + r",\ \Gamma_{\nu_b}=" + lx(G_nub_heavy),
                "PRD eq. 3.7-3.8 (nu_a alone)",
                "derived corrections: L_mu - L_tau (T >> m_tau) = " + str(RATIO_LMT_HEAVY)
                + " x the nu_a-alone rate; B - L (T >> m_b, below the top) = " + str(RATIO_BL_HEAVY)
                + " x (with quarks; 5 without)",
                "kappa_f sums scattering on f and fbar (2 x 1/(3 pi)) and annihilation (1/(6 pi)); a massless "
                "Dirac f counts as nu_a itself, another neutrino flavour as half of it. Massive species "
                "reduce these through the thermal average (tables in qke.physics.mediator_rates)."),
    ReportEntry("Light-V limits, relativistic plasma",
                r"\sigma_t\to\frac{g^4c}{m_V^2}:\ c_{\nu_a}=" + lx(LIGHT_SELF) + r",\ c_f=" + lx(LIGHT_F)
                + r",\ c_{\nu_b}=" + lx(LIGHT_NUB) + r";\ \Gamma_f=" + lx(G_f_light) + r",\ \Gamma_{\nu_b}="
                + lx(G_nub_light) + r";\ \text{massive }f:\ \Gamma=\frac{2g^4n_1}{\pi m_V^2}",
                "PRD eq. 3.9-3.10 (nu_a alone)",
                "derived corrections: L_mu - L_tau = " + str(RATIO_LMT_LIGHT) + " x; B - L = "
                + str(RATIO_BL_LIGHT) + " x (with quarks; 9 without)",
                "The t-channel forward peak gives sigma -> 1/(2 pi m_V^2) for any partner mass; with "
                "<v_Mol> = 1 the rate on a massive species is sigma x its number density n_1 per spin state "
                "(x 2 for f and fbar, x 2 helicity factor). s-channel pieces fall as 1/s and are subleading."),
    ReportEntry("Thermal kernel for a massive partner",
                r"\Gamma=\int_{M^2}^\infty ds\,\sigma(s)K_M,\ K_M=" + lx(K_massive)
                + r",\ \frac{E_{\min}}{T}=v+\frac{\mu^2}{4v},\ v=\frac{s-M^2}{4ET},\ \mu=\frac MT",
                "PRD eq. 3.6 (massless partners)", "yes for M = 0 (asserted: K_M -> thermal_kernel_fd)",
                "From d^3p/(2 pi)^3 = p E_p dE_p dc/(4 pi^2), s - M^2 = 2E(E_p - p c), v_Mol = (s - M^2)/(2 E E_p); "
                "for fixed s both ends of the c range give the same bound E_p >= E_min (asserted). In "
                "dimensionless form Gamma = (g T^3/pi^2) int dv v sigma(M^2 + 4ETv) ln(1 + e^{-v - mu^2/4v}) per "
                "partner state: the Boltzmann factor depends on mu = M/T only, the cross section on "
                "(v/w, M^2/m_V^2) with w = m_V^2/(4ET)."),
    ReportEntry("Widths", r"\Gamma(V\to f\bar f)=" + lx(W_ff_target) + r",\quad\Gamma(V\to\nu\bar\nu)=" + lx(W_nn),
                "PRD eq. 4.6", "yes (nu_mu + nu_tau + mu + tau reproduce eq. 4.6)",
                "Per unit N_c Q^2. B - L (cited to PRD ref. [79] there): 3 neutrinos + e, mu, tau + quarks with "
                "N_c Q^2 = 1/3; the model states its hadronic threshold. The s-channel part of every "
                "nu_a nubar_a -> X has R_X(m_V^2) = 2 g^2 m_V Gamma(V -> X) (asserted for X = f fbar, "
                "nu_b nubar_b), so the narrow-width coefficients sum to C = 2 pi g^2 Q_a^2 whatever V decays "
                "to: inverse decay nu_a nubar_a -> V."),
    ReportEntry("Potential of nu_a on a background species f != nu_a",
                r"V_f=" + lx(V_direct) + r"\ \xrightarrow{\ n_{\bar f}=n_f\ }\ 0",
                "PRD sec. IV-V (which terms they include is not in the seed dump)",
                "derived: the charged-lepton (and quark, other-neutrino) backgrounds give NO potential in the "
                "CP-symmetric plasma at O(g^2)",
                "Forward scattering has q = 0 exactly, so the V propagator is -1/m_V^2 and the amplitude sees "
                "f only through <fbar gamma^mu f> = (n_f - n_fbar) delta^{mu 0} (traces: Tr[(p + M) gamma^mu] = "
                "4 p^mu for f, the same with a minus sign from normal ordering for fbar; isotropy kills the "
                "spatial part). There is no E rho_f/m_V^4 term: in Notzold-Raffelt that term comes only from "
                "the bubble (exchange) diagram, whose internal line carries the test neutrino's partner at a "
                "vertex nubar gamma f B; for the flavour-diagonal V that is nu_a itself. Check: the SM has "
                "rho_nu/M_Z^2 and rho_l/M_W^2 but no rho_l/M_Z^2. Rescaling the NR bubble "
                "-(8/3) sqrt2 G_F E rho/M^2 with sqrt2 G_F -> g^2/(2 m_V^2) and rho -> 2 rho_nu reproduces "
                "PRD eq. 3.4, -7 pi^2 g^2 E T^4/(45 m_V^4) (asserted). So in all three models the V potential "
                "is Q_a^2 times the general-mass integral of PRD eq. 3.3 (qke.physics.potentials, kind "
                "'vector'). Loop-induced V-photon mixing also couples only to the net charge, zero."),
]
write_report("vector_backgrounds", "Vector mediator: charged backgrounds, other neutrinos, widths",
             """
             Derived by `derivations/vector_backgrounds.py` (Dirac traces with explicit matrices,
             symbolic t integrals, thermal kernel for a massive partner). Generated module:
             `qke/generated/vector_backgrounds.py`. Used by the models `vector-nu`,
             `vector-lmu-ltau`, `vector-b-l` (`qke/models/vector.py`) through the tables of
             `qke/physics/mediator_rates.py`.
             The seed dump of the PRD keeps only eq. 4.6 (L_mu - L_tau width), the definition
             w = m_V^2/(4ET) and the statement that the B - L rates include "the interactions of
             neutrinos with themselves and the charged leptons" (baryons neglected); the full text
             (arXiv:2005.03681) was not reachable here, so every other formula below is derived, not
             compared.
             """, entries)
