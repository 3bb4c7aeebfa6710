"""Forward-scattering potential of nu_s from its own (non-thermal) population.

Model: the sterile mediator of the notes, a complex scalar phi of mass m with
L ⊃ (lam/2) nu_s nu_s phi + h.c. (the PRL model with nu -> nu_s; Weyl nu_s,
one helicity for nu_s and one for nubar_s). A nu_s of momentum p moves through
a background of nu_s and nubar_s with isotropic occupations f(q), fbar(q)
(in the QKE: the sterile-sterile entry f22 of the density matrix). Its
one-loop (bubble) self-energy gives the energy shift

    V_s(p) = -(1/2E) sum_b int d^3q/((2 pi)^3 2q) f_b(q) M_b(p q -> p q),

with M_b the forward amplitudes:
    nu_s(p) nu_s(q)    -> s-channel phi,  M_same = -lam^2 s/(s - m^2),
    nu_s(p) nubar_s(q) -> phi exchanged between nu_s(in) and nubar_s(out),
                          momentum transfer (p - q)^2 = -s, M_conj = -lam^2 s/(s + m^2),
s = 2 p q (1 - cos th). The angular integral is done in closed form; the
result is a one-dimensional kernel of x = 4 p q / m^2.

Outputs: qke/generated/sterile_potential.py, derivations/out/sterile_potential.md.
Run from the repository root: ``python derivations/sterile_potential.py``.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import mpmath  # noqa: E402
import sympy as sp  # noqa: E402
from sympy.codegen.cfunctions import log1p  # noqa: E402

from _codegen import GeneratedFunction, ReportEntry, write_module, write_report  # noqa: E402

SCRIPT = "derivations/sterile_potential.py"
p, q, m, lam = sp.symbols("p q m lam", positive=True)


def L(expr):
    return sp.latex(expr, symbol_names={lam: r"\lambda"})

w = sp.Symbol("w", positive=True)               # 1 - cos(theta), in [0, 2]
x = sp.Symbol("x", positive=True)               # 4 p q / m^2
s = 2 * p * q * w                               # forward s = 2 p.q
x_of = 4 * p * q / m**2

# ---------------------------------------------------------------------------
# 1. Forward amplitudes and their normalisation
# ---------------------------------------------------------------------------
# |M|^2 of derivations/cross_sections.py (notes eq. 28, prefactor derived there),
# at forward kinematics t = (p1 - p3)^2 = 0, zero width:
ss, tt = sp.symbols("s t", real=True)
MSQ_SAME = lam**4 * ss**2 / (ss - m**2) ** 2                       # msq_sterile_nunu(width = 0)
MSQ_CONJ = lam**4 * (ss + tt) ** 2 / (m**2 + ss + tt) ** 2         # msq_sterile_nunubar
SIGMA = -1                                                         # common phase, fixed below
M_same = SIGMA * lam**2 * ss / (ss - m**2)
M_conj = SIGMA * lam**2 * ss / (ss + m**2)
assert sp.simplify(M_same**2 - MSQ_SAME) == 0
assert sp.simplify(M_conj**2 - MSQ_CONJ.subs(tt, 0)) == 0

# the same moduli from the committed generated module (numerical spot checks)
from qke.generated import cross_sections as _cs  # noqa: E402

for _s, _m, _l in ((0.3, 1.1, 0.7), (5.0, 1.3, 0.2), (1e-4, 2.0, 1.5)):
    _a = float(_cs.msq_sterile_nunu(_s, 0.0, _m, _l, 0.0))
    _b = float(_cs.msq_sterile_nunubar(_s, 0.0, _m, _l))
    assert abs(_a - float(M_same.subs({ss: _s, m: _m, lam: _l}) ** 2)) < 1e-12 * _a
    assert abs(_b - float(M_conj.subs({ss: _s, m: _m, lam: _l}) ** 2)) < 1e-12 * _b

# ---------------------------------------------------------------------------
# 2. Angular integrals (principal value at s = m^2)
# ---------------------------------------------------------------------------
# int_{-1}^{1} dcos M = int_0^2 dw M(s = 2pqw); antiderivatives checked by differentiation
F_same = SIGMA * lam**2 * (w + m**2 / (2 * p * q) * sp.log(sp.Abs(2 * p * q * w - m**2)))
F_conj = SIGMA * lam**2 * (w - m**2 / (2 * p * q) * sp.log(2 * p * q * w + m**2))
for _branch in (2 * p * q * w - m**2, m**2 - 2 * p * q * w):      # s > m^2 and s < m^2
    assert sp.simplify(sp.diff(F_same.subs(sp.Abs(2 * p * q * w - m**2), _branch), w)
                       - M_same.subs(ss, s)) == 0
assert sp.simplify(sp.diff(F_conj, w) - M_conj.subs(ss, s)) == 0
A_same = F_same.subs(w, 2) - F_same.subs(w, 0)
A_conj = F_conj.subs(w, 2) - F_conj.subs(w, 0)
# in terms of x = 4pq/m^2: A = SIGMA lam^2 [2 + (2/x) ln|1 - x|], SIGMA lam^2 [2 - (2/x) ln(1 + x)]
A_same_x = SIGMA * lam**2 * (2 + 2 / x * sp.log(sp.Abs(1 - x)))
A_conj_x = SIGMA * lam**2 * (2 - 2 / x * sp.log(1 + x))
for _xv in (sp.Rational(1, 3), sp.Rational(7, 2)):         # both branches of |1 - x|
    _sub = {p: _xv * m**2 / (4 * q)}
    assert sp.simplify(sp.expand_log(A_same.subs(_sub) - A_same_x.subs(x, _xv), force=True)) == 0
    assert sp.simplify(sp.expand_log(A_conj.subs(_sub) - A_conj_x.subs(x, _xv), force=True)) == 0
# numerical P.V. check of the angular integral (mpmath, Cauchy principal value: the singular
# neighbourhood is folded, f(w* - t) + f(w* + t), which is regular at t = 0)
mpmath.mp.dps = 40
for _pv, _qv, _mv in ((0.7, 0.5, 1.0), (0.2, 0.3, 1.0)):
    _pv, _qv, _mv = mpmath.mpf(_pv), mpmath.mpf(_qv), mpmath.mpf(_mv)
    _ws = _mv**2 / (2 * _pv * _qv)
    _f = lambda t: -(2 * _pv * _qv * t) / (2 * _pv * _qv * t - _mv**2)  # noqa: E731
    if _ws < 2:
        _d = mpmath.mpf(10) ** -16        # excluded [0, _d): integrand bounded, error ~ 2e-16
        _num = mpmath.quad(_f, [0, _ws - 0.5 * min(_ws, 2 - _ws)]) + mpmath.quad(
            lambda t: _f(_ws - t) + _f(_ws + t), [_d, 0.5 * min(_ws, 2 - _ws)]) + mpmath.quad(
            _f, [_ws + 0.5 * min(_ws, 2 - _ws), 2])
    else:
        _num = mpmath.quad(_f, [0, 2])
    _cl = A_same_x.subs({x: 4 * sp.Float(str(_pv), 30) * sp.Float(str(_qv), 30) / sp.Float(str(_mv), 30) ** 2,
                         lam: 1})
    assert abs(_num - sp.N(_cl, 25)) < 1e-12

# V_b = -(1/2p) (2pi/(2pi)^3) int dq q^2/(2q) f_b A_b = -(1/(16 pi^2 p)) int dq q f_b A_b
# With q = x m^2/(4p): V_b = lam^2 m^2/(32 pi^2 p^2) int dq f_b k_b(x)
PREFAC = lam**2 * m**2 / (32 * sp.pi**2 * p**2)
k_same = x + sp.log(sp.Abs(1 - x))
k_conj = x - sp.log(1 + x)
for _xv in (sp.Rational(1, 5), sp.Rational(9, 4)):
    _q = _xv * m**2 / (4 * p)
    _lhs = -(_q * A_same_x.subs(x, _xv)) / (16 * sp.pi**2 * p)
    assert sp.simplify(_lhs - PREFAC * k_same.subs(x, _xv)) == 0
    _lhs = -(_q * A_conj_x.subs(x, _xv)) / (16 * sp.pi**2 * p)
    assert sp.simplify(_lhs - PREFAC * k_conj.subs(x, _xv)) == 0

# symmetric background (f = fbar): k_sym = k_same + k_conj = -2 Lambda(x)
Lam = sp.log(sp.Abs((1 + x) / (1 - x))) / 2 - x
k_sym = k_same + k_conj
for _xv in (sp.Rational(1, 7), sp.Rational(5, 3)):
    assert sp.simplify(sp.expand_log((k_sym + 2 * Lam).subs(x, _xv), force=True)) == 0

# ---------------------------------------------------------------------------
# 3. Reduction to PRL eq. 7 (fermion part) for a Fermi-Dirac background
# ---------------------------------------------------------------------------
# PRL eq. 7, fermion bracket, with the overall minus sign of
# derivations/out/thermal_potentials.md:  -lam^2/(16 pi^2 E^2) [(m^2/2) L1 - 4 E q] n_F(q)
E = p
L1 = sp.log(sp.Abs((4 * q * E + m**2) / (4 * q * E - m**2)))
prl_ferm = -lam**2 / (16 * sp.pi**2 * E**2) * ((m**2 / 2) * L1 - 4 * E * q)
for _xv in (sp.Rational(1, 9), sp.Rational(2, 3), sp.Rational(11, 4)):
    _q = _xv * m**2 / (4 * p)
    assert sp.simplify(sp.expand_log((prl_ferm.subs(q, _q) - PREFAC * k_sym.subs(x, _xv)), force=True)) == 0

# ---------------------------------------------------------------------------
# 4. Heavy mediator: expansion in x = 4pq/m^2 << 1
# ---------------------------------------------------------------------------
N_SER = 14
ser_same = sp.series(x + sp.log(1 - x), x, 0, N_SER + 1).removeO()
ser_conj = sp.series(x - sp.log(1 + x), x, 0, N_SER + 1).removeO()
ser_sym = sp.series(x - sp.atanh(x), x, 0, N_SER + 1).removeO() * 2
assert sp.expand(ser_same + sum(x**n / n for n in range(2, N_SER + 1))) == 0
assert sp.expand(ser_conj - sum((-1) ** n * x**n / n for n in range(2, N_SER + 1))) == 0
assert sp.expand(ser_sym - ser_same - ser_conj) == 0
assert sp.expand(ser_sym + 2 * sum(x**n / n for n in range(3, N_SER + 1, 2))) == 0

# moments: n = int d^3q/(2pi)^3 f = (1/2pi^2) int q^2 f dq ; rho = (1/2pi^2) int q^3 f dq
n_f, n_fb, rho_f, rho_fb = sp.symbols("n_f n_fbar rho_f rho_fbar", positive=True)
Iq2_f, Iq2_fb = 2 * sp.pi**2 * n_f, 2 * sp.pi**2 * n_fb
Iq3_f, Iq3_fb = 2 * sp.pi**2 * rho_f, 2 * sp.pi**2 * rho_fb


def moment_term(coeff, power, Iq_f, Iq_fb, sign_conj):
    """PREFAC * int dq (f coeff_same + fbar coeff_conj) x^power with x^power -> (4p/m^2)^power q^power."""
    return PREFAC * coeff * (4 * p / m**2) ** power * (Iq_f + sign_conj * Iq_fb)


V2 = moment_term(sp.Rational(-1, 2), 2, Iq2_f, Iq2_fb, -1)      # -x^2/2 (same), +x^2/2 (conj)
V3 = moment_term(sp.Rational(-1, 3), 3, Iq3_f, Iq3_fb, +1)      # -x^3/3 in both
assert sp.simplify(V2 + lam**2 * (n_f - n_fb) / (2 * m**2)) == 0
rho_s, n_asym = sp.symbols("rho_s n_asym", real=True)
assert sp.simplify(V3.subs(rho_fb, rho_s - rho_f) + sp.Rational(4, 3) * lam**2 * p * rho_s / m**4) == 0
V_heavy = -sp.Rational(4, 3) * lam**2 * p * rho_s / m**4 - lam**2 * n_asym / (2 * m**2)

# thermal (Fermi-Dirac) check: rho_s = 2 (7/8)(pi^2/30) T^4 for nu_s + nubar_s
T = sp.Symbol("T", positive=True)
rho_FD = 2 * sp.Rational(7, 8) * sp.pi**2 / 30 * T**4
V_heavy_FD = V_heavy.subs({rho_s: rho_FD, n_asym: 0})
assert sp.simplify(V_heavy_FD + 7 * sp.pi**2 * lam**2 * p * T**4 / (90 * m**4)) == 0  # = v_scalar_heavy

# next symmetric term (x^5) relative to the leading one, for the validity of the heavy form
rel_next = sp.Rational(3, 5) * (4 * p / m**2) ** 2  # times <q^5>/<q^3> of f + fbar
# thermal: int q^5 n_F / int q^3 n_F = (31/8 * 5! zeta(6)) / (7/8 * 3! zeta(4)) T^2


def fermi_int(n):
    return (1 - sp.Integer(2) ** (-n)) * sp.factorial(n) * sp.zeta(n + 1)


ratio53 = sp.simplify(fermi_int(5) / fermi_int(3))       # <q^5>/<q^3> / T^2, Fermi-Dirac
assert sp.simplify(ratio53 - 310 * sp.pi**2 / 147) == 0
# heavy form valid to 10 % when (3/5) 16 E^2 <q^5>/<q^3> / m^4 < 0.1: m/T > (96 e^2 ratio53)^(1/4) at E = e T
HEAVY10 = {e_: float(sp.N((96 * e_**2 * ratio53) ** sp.Rational(1, 4))) for e_ in (1, 3)}
for nn in (1, 3, 5):
    _num = mpmath.quad(lambda t: t**nn / (mpmath.e**t + 1), [0, mpmath.inf])
    assert abs(_num - sp.N(fermi_int(nn), 30)) < 1e-12

# ---------------------------------------------------------------------------
# 5. Light mediator: x >> 1
# ---------------------------------------------------------------------------
# k_same -> x + ln x, k_conj -> x - ln x: leading PREFAC * x (f + fbar)
kq_s = sp.Symbol("k_s", positive=True)   # int d^3q/(2pi)^3 (f + fbar)/q  [GeV^2]
V_light = lam**2 * kq_s / (4 * p)
# PREFAC * (4p/m^2) int q (f+fbar) dq = lam^2/(8 pi^2 p) int q (f + fbar) dq, and
# k_s = (1/2 pi^2) int q (f + fbar) dq
assert sp.simplify(PREFAC * 4 * p / m**2 * (2 * sp.pi**2 * kq_s) - V_light) == 0
k_FD = (2 * fermi_int(1) / (2 * sp.pi**2)) * T**2
V_light_FD = sp.simplify(V_light.subs(kq_s, k_FD))
assert sp.simplify(V_light_FD - lam**2 * T**2 / (48 * p)) == 0
# PRL light limit (fermion + boson) is lam^2 T^2/(16 E): the fermion part is 1/3 of it
assert sp.simplify(V_light_FD / (lam**2 * T**2 / (16 * p)) - sp.Rational(1, 3)) == 0
# the logs cancel at O(ln x) for f = fbar: ln|1-x| - ln(1+x) = -2/x + O(x^-3)
assert sp.limit((sp.log(x - 1) - sp.log(1 + x)) * x, x, sp.oo) == -2

# ---------------------------------------------------------------------------
# 6. Numerically safe kernels and the antiderivative of the log singularity
# ---------------------------------------------------------------------------
XCUT = sp.Rational(1, 20)
same_series = -sum(x**n / n for n in range(2, N_SER + 1))
conj_series = sum((-1) ** n * x**n / n for n in range(2, N_SER + 1))
sym_series = -2 * sum(x**n / n for n in range(3, N_SER, 2))


def horner(expr):
    return sp.horner(sp.expand(expr), x)


k_same_safe = sp.Piecewise((horner(same_series), x < XCUT), (x + sp.log(sp.Abs(1 - x)), True))
k_conj_safe = sp.Piecewise((horner(conj_series), x < XCUT), (x - log1p(x), True))
k_sym_safe = sp.Piecewise((horner(sym_series), x < XCUT),
                          (2 * x + sp.log(sp.Abs(1 - x)) - log1p(x), True))
# truncation error of the series at x = XCUT, relative to the leading term
assert sp.N(XCUT ** (N_SER + 1) / (N_SER + 1) / (XCUT**2 / 2)) < 1e-16
assert sp.N(XCUT ** (N_SER + 1) / (N_SER + 1) / (2 * XCUT**3 / 3)) < 1e-15

# J(x) = int_0^x ln|1 - t| dt = (x - 1) ln|1 - x| - x ; series -sum x^n/(n(n-1))
J = (x - 1) * sp.log(sp.Abs(1 - x)) - x
assert sp.simplify(sp.diff((x - 1) * sp.log(1 - x) - x, x) - sp.log(1 - x)) == 0
assert sp.simplify(sp.diff((x - 1) * sp.log(x - 1) - x, x) - sp.log(x - 1)) == 0
J_series = -sum(x**n / (n * (n - 1)) for n in range(2, N_SER + 1))
assert sp.expand(sp.series((x - 1) * sp.log(1 - x) - x, x, 0, N_SER + 1).removeO() - J_series) == 0
J_safe = sp.Piecewise((horner(J_series), x < XCUT), (J, True))

# J1(x) = int_0^x (t - 1) ln|1 - t| dt = (x-1)^2/2 ln|1-x| - (x-1)^2/4 + 1/4 (first-moment
# subtraction: int_0^Q (q - q*) ln|1 - q/q*| dq = q*^2 J1(Q/q*))
J1 = (x - 1) ** 2 / 2 * sp.log(sp.Abs(1 - x)) - (x - 1) ** 2 / 4 + sp.Rational(1, 4)
for _br in (1 - x, x - 1):
    assert sp.simplify(sp.diff(J1.subs(sp.Abs(1 - x), _br), x) - (x - 1) * sp.log(_br)) == 0
assert J1.subs(x, 0) == 0
J1_series = x**2 / 2 - sum(x ** (n + 1) / ((n + 1) * n * (n - 1)) for n in range(2, N_SER))
assert sp.expand(sp.series(J1.subs(sp.Abs(1 - x), 1 - x), x, 0, N_SER + 1).removeO() - J1_series) == 0
J1_safe = sp.Piecewise((horner(J1_series), x < XCUT), (J1, True))

# ---------------------------------------------------------------------------
# 7. Numbers for the report: general kernel vs the heavy form, thermal background
# ---------------------------------------------------------------------------
mpmath.mp.dps = 30


def _v_ratio(e, r):
    """V_s (exact kernel, FD background f = fbar = n_F) over its heavy form, at p = e T, m = r T."""
    xs = r**2 / (4 * e)                                  # q*/T where x = 1

    def integrand(u):
        xv = 4 * e * u / r**2
        lam_v = mpmath.log(abs((1 + xv) / (1 - xv))) / 2 - xv if xv > 0.05 else sum(
            xv**n / n for n in range(3, 30, 2))
        return -2 * lam_v / (mpmath.e**u + 1)

    pts = [0, xs, 60] if xs < 60 else [0, 60]
    tot = mpmath.quad(integrand, pts)
    v = (r**2 / (32 * mpmath.pi**2 * e**2)) * tot        # V/(lam^2 T)
    heavy = -7 * mpmath.pi**2 * e / (90 * r**4)
    return v / heavy


RATIO_ROWS = []
for r_ in (100, 30, 10, 6, 4, 3):
    RATIO_ROWS.append((r_, [float(_v_ratio(e_, r_)) for e_ in (1, 3)]))
assert abs(RATIO_ROWS[0][1][0] - 1) < 1e-3


def _fmt_rows():
    return "; ".join(f"m/T = {r_}: {a:.4g} (p = T), {b:.4g} (p = 3T)" for r_, (a, b) in RATIO_ROWS)


# resonance in the heavy forms: Delta cos2theta = V_a - V_s with V_a = -B_a E T^4 (Notzold-Raffelt)
G_F, M_Z, m4, c2t = sp.symbols("G_F M_Z m_4 c_2theta", positive=True)
B_a = 7 * sp.sqrt(2) * sp.pi**2 / 45 * G_F / M_Z**2          # nu_mu below the muon threshold
bracket = sp.Rational(4, 3) * lam**2 * rho_s / m**4 - B_a * T**4
E_res = m4 * sp.sqrt(c2t / (2 * bracket))
V_a_NR = -B_a * p * T**4
assert sp.simplify((m4**2 * c2t / (2 * p) - (V_a_NR - V_heavy.subs(n_asym, 0))).subs(p, E_res)) == 0
rho_eq = sp.Rational(7, 120) * sp.pi**2 * T**4                # nu_a + nubar_a, Fermi-Dirac
threshold = sp.solve(sp.Eq(bracket.subs(rho_s, sp.Symbol("F", positive=True) * rho_eq), 0),
                     sp.Symbol("F", positive=True))[0]
assert sp.simplify(threshold - 2 * sp.sqrt(2) * G_F * m**4 / (lam**2 * M_Z**2)) == 0

# sign change of the symmetric kernel: Lambda(x0) = 0 for x0 > 1
x0 = sp.nsolve(sp.log((x + 1) / (x - 1)) / 2 - x, x, 1.2)
X0 = float(x0)

# ---------------------------------------------------------------------------
# Generated module
# ---------------------------------------------------------------------------
energy = sp.Symbol("energy", positive=True)
temperature = sp.Symbol("temperature", positive=True)
KERNEL_DOC = """
        Parameters
        ----------
        x : float or ndarray
            4 p q / m^2 (dimensionless, >= 0): p the momentum of the test nu_s,
            q that of the background particle, m the mediator mass.

        Returns
        -------
        float or ndarray
            k(x) (dimensionless). V = lam^2 m^2/(32 pi^2 p^2) int_0^oo dq f(q) k(4pq/m^2) [GeV].
"""
functions = [
    GeneratedFunction("kernel_same", (x,), k_same_safe, """
        Kernel of the nu_s background for a nu_s: k = x + ln|1 - x| (s-channel phi).

        V_s(p) = lam^2 m^2/(32 pi^2 p^2) int_0^oo dq f(q) k(4pq/m^2) is the part of
        the nu_s energy shift due to nu_s of occupation f(q). Principal value at
        x = 1 (s = m^2 for head-on collisions; integrable log). Series
        -sum_{n=2}^{14} x^n/n for x < 1/20 (no cancellation). Heavy limit:
        -lam^2 n/(2 m^2). Derivation: derivations/out/sterile_potential.md.
""" + KERNEL_DOC),
    GeneratedFunction("kernel_conj", (x,), k_conj_safe, """
        Kernel of the nubar_s background for a nu_s: k = x - ln(1 + x) (phi exchange, t = -s).

        Same normalisation as :func:`kernel_same` with fbar(q) in place of f(q);
        smooth for x >= 0. Series sum_{n=2}^{14} (-x)^n/n for x < 1/20. Heavy
        limit: +lam^2 nbar/(2 m^2). For a nubar_s the roles of f and fbar swap (CP).
""" + KERNEL_DOC),
    GeneratedFunction("kernel_symmetric", (x,), k_sym_safe, """
        Kernel for equal nu_s and nubar_s occupations: k = 2x + ln|1 - x| - ln(1 + x) = -2 Lambda(x).

        kernel_same + kernel_conj; equals the fermion part of PRL eq. 7 (with the
        sign of derivations/out/thermal_potentials.md) when f = n_F. Series
        -2 sum_{odd n=3}^{13} x^n/n for x < 1/20. Negative for x < 1.20 (heavy:
        -(4/3) lam^2 p rho_s/m^4), positive beyond (light: lam^2 k_s/(4p)).
""" + KERNEL_DOC),
    GeneratedFunction("kernel_same_series", (x,), horner(same_series), """
        Series branch of :func:`kernel_same`: -sum_{n=2}^{14} x^n/n (use for x < SERIES_CUT).

        Split out so that callers evaluating large arrays compute each branch
        only where it applies (np.select evaluates both everywhere).
""" + KERNEL_DOC),
    GeneratedFunction("kernel_conj_series", (x,), horner(conj_series), """
        Series branch of :func:`kernel_conj`: sum_{n=2}^{14} (-x)^n/n (use for x < SERIES_CUT).
""" + KERNEL_DOC),
    GeneratedFunction("kernel_symmetric_series", (x,), horner(sym_series), """
        Series branch of :func:`kernel_symmetric`: -2 sum_{odd n=3}^{13} x^n/n (use for x < SERIES_CUT).
""" + KERNEL_DOC),
    GeneratedFunction("log_antiderivative", (x,), J_safe, """
        J(x) = int_0^x ln|1 - t| dt = (x - 1) ln|1 - x| - x (series for x < 1/20).

        Used to integrate the log singularity of the kernels exactly
        (singularity subtraction in qke.physics.sterile_potential).

        Parameters
        ----------
        x : float or ndarray
            Upper limit (dimensionless, >= 0).

        Returns
        -------
        float or ndarray
            J(x) (dimensionless).
"""),
    GeneratedFunction("log_moment_antiderivative", (x,), J1_safe, """
        J1(x) = int_0^x (t - 1) ln|1 - t| dt = (x-1)^2/2 ln|1-x| - (x-1)^2/4 + 1/4 (series for x < 1/20).

        Exact integral of the first-order term of the singularity subtraction:
        int_0^Q (q - q*) ln|1 - q/q*| dq = q*^2 J1(Q/q*).

        Parameters
        ----------
        x : float or ndarray
            Upper limit (dimensionless, >= 0).

        Returns
        -------
        float or ndarray
            J1(x) (dimensionless).
"""),
    GeneratedFunction("v_heavy", (energy, rho_s, n_asym, m, lam), V_heavy.subs(p, energy), """
        Heavy-mediator (m^2 >> 4 p q) sterile potential: -(4/3) lam^2 E rho_s/m^4 - lam^2 (n - nbar)/(2 m^2).

        Energy shift of a nu_s (E = p + V_s) in a background of nu_s, nubar_s;
        for a nubar_s the sign of the second term flips. Leading terms of the
        expansion of the exact kernel in x = 4pq/m^2 (next: relative
        (3/5)(16 E^2/m^4) <q^5>/<q^3>).

        Parameters
        ----------
        energy : float or ndarray
            Momentum (= energy) E of the nu_s [GeV].
        rho_s : float or ndarray
            Energy density of nu_s + nubar_s, int d^3q/(2 pi)^3 q (f + fbar) [GeV^4].
        n_asym : float or ndarray
            Number-density asymmetry n_s - nbar_s [GeV^3] (0 in this code).
        m : float or ndarray
            Mediator mass [GeV].
        lam : float or ndarray
            Coupling lambda of (lam/2) nu_s nu_s phi + h.c.

        Returns
        -------
        float or ndarray
            V_s [GeV].
"""),
    GeneratedFunction("v_heavy_thermal", (energy, temperature, m, lam),
                      V_heavy_FD.subs({p: energy, T: temperature}), """
        Heavy limit for a Fermi-Dirac nu_s + nubar_s background: -7 pi^2 lam^2 E T^4/(90 m^4).

        Identical to thermal_potentials.v_scalar_heavy (PRL text after eq. 7):
        the check that the sterile kernel reduces to the PRL fermion loop.

        Parameters
        ----------
        energy : float or ndarray
            E [GeV].
        temperature : float or ndarray
            Temperature of the Fermi-Dirac background [GeV].
        m : float or ndarray
            Mediator mass [GeV].
        lam : float or ndarray
            Coupling (dimensionless).

        Returns
        -------
        float or ndarray
            V_s [GeV].
"""),
    GeneratedFunction("v_light", (energy, kq_s, lam), V_light.subs(p, energy), """
        Light-mediator (m^2 << 4 p q) sterile potential: lam^2 k_s/(4 E) = m_s,T^2/(2E).

        Parameters
        ----------
        energy : float or ndarray
            E [GeV].
        k_s : float or ndarray
            int d^3q/(2 pi)^3 (f + fbar)/q [GeV^2] (T^2/12 for Fermi-Dirac nu + nubar).
        lam : float or ndarray
            Coupling (dimensionless).

        Returns
        -------
        float or ndarray
            V_s [GeV] (positive; independent of m at this order).
"""),
]

write_module(
    "sterile_potential", SCRIPT,
    """
    Forward-scattering potential of nu_s from its own population (sterile mediator phi).

    V_s(p) = lam^2 m^2/(32 pi^2 p^2) int_0^oo dq [f(q) k_same(x) + fbar(q) k_conj(x)],
    x = 4 p q/m^2: the energy shift of a nu_s of momentum p (E = p + V_s) in a
    background of nu_s, nubar_s with occupations f, fbar. The matrix on the
    momentum grid is qke.physics.sterile_potential. Units: GeV.
    Derivation: derivations/out/sterile_potential.md.
    """,
    functions,
    constants=[("SERIES_CUT", XCUT, "below this x the kernels use their series branch (closed forms "
                "x + ln|1-x|, x - ln(1+x), 2x + ln|1-x| - ln(1+x) above)")],
)

# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------
JF = ("Johns & Fuller, arXiv:1903.08296 (PRD 100, 023533). Only the abstract could be read "
      "with the search tool in this session (tomesphere.com/paper/1903.08296, arxiver); the "
      "full text, and so their equation numbers, were not available")
entries = [
    ReportEntry(
        "Conventions and what is kept",
        r"V_s(p)=-\frac{1}{2E}\sum_{b=\nu_s,\bar\nu_s}\int\frac{d^3q}{(2\pi)^3\,2q}\,f_b(q)\,"
        r"\mathcal M_b(pq\to pq),\qquad E = p + V_s,\qquad H^0_{11}-H^0_{22}=V_a-V_s-\Delta\cos2\theta",
        "SPEC section 4 (H0 of the notes, eq. 3, extended by the sterile entry)",
        "n/a (definition)",
        "V_s is the energy shift of the sterile flavour state, the 22 entry of H0 (the active "
        "potential V_a is the 11 entry): the QKE frequency becomes Delta cos2theta - V_a + V_s. "
        "The interaction involves nu_s only, so the self-energy is proportional to the projector "
        "on nu_s and the background enters through the sterile-sterile element f22 of the density "
        "matrix (no 12 entry, no active background). Kept: the finite-density part of the "
        "one-loop nu_s-phi bubble with the fermion line on shell in the background (f22). "
        "Dropped: (i) the vacuum part of the loop (renormalises m4 and the wave function, no "
        "potential); (ii) the bosonic background term (phi on shell, PRL eq. 7 first bracket with "
        "n_B -> f_phi): phi couples only to nu_s, which are far from equilibrium, so phi is not "
        "thermally populated; a phi population made by nu_s nu_s -> phi is second order in f22 "
        "and, for m >> T (the J&F case), Boltzmann suppressed; the code tracks no f_phi. If phi "
        "had an occupation f_phi(k), its term is PRL eq. 7's bosonic bracket with n_B -> f_phi "
        "(generated thermal_potentials.potential_integrand_scalar, boson part). (iii) No tadpole: "
        "phi carries lepton number 2, so a phi tadpole needs <nu nu> = 0. "
        "m4 << p is neglected in the loop (corrections O(m4^2/p^2)).",
    ),
    ReportEntry(
        "Forward amplitudes",
        r"\mathcal M_{\nu_s\nu_s}=-\frac{\lambda^2 s}{s-m^2},\qquad "
        r"\mathcal M_{\nu_s\bar\nu_s}=-\frac{\lambda^2 s}{s+m^2},\qquad s=2pq(1-\cos\theta)",
        "notes eq. (28) via derivations/out/cross_sections.md (|M|^2 = lam^4 s^2/(s-m^2)^2 and "
        "lam^4 u^2/(u-m^2)^2 at t = 0, u = -s)",
        "yes: the moduli squared equal the generated msq_sterile_nunu/nunubar at t = 0 (asserted "
        "symbolically and against qke.generated.cross_sections)",
        "nu_s nu_s scatters through the s-channel phi; nu_s nubar_s through phi exchanged between "
        "the incoming nu_s and the outgoing nubar_s, momentum transfer (p - q)^2 = -s. The "
        "common phase (-1) is fixed physically, not from spinor phases: with general f, fbar the "
        "light-mediator limit must be the positive asymptotic thermal mass m_T^2 = "
        "(lam^2/2) int d^3q/(2pi)^3 (f + fbar)/q (Weldon 1982; ~ T^2 + mu^2/pi^2 with a chemical "
        "potential), which requires the same phase -1 in both channels; independently, below the "
        "pole (s < m^2) second-order perturbation theory lowers the nu_s nu_s energy (level "
        "repulsion from the heavier phi), i.e. V < 0 from the nu_s background at O(1/m^2), same "
        "phase. Equal phases also make the O(1/m^2) term odd under f <-> fbar (C-even background "
        "gives no O(G) term, as for Notzold-Raffelt). The result coincides with the sign-corrected "
        "PRL eq. 7 (entry 'Thermal background').",
    ),
    ReportEntry(
        "General mediator mass: the kernel (generated: kernel_same, kernel_conj, kernel_symmetric)",
        r"V_s(p)=\frac{\lambda^2m^2}{32\pi^2p^2}\int_0^\infty dq\,\Big[f(q)\,k_{\rm same}(x)+\bar f(q)\,"
        r"k_{\rm conj}(x)\Big],\quad x=\frac{4pq}{m^2},\quad k_{\rm same}=" + L(k_same)
        + r",\quad k_{\rm conj}=" + L(k_conj)
        + r";\quad f=\bar f=f_{22}:\ V_s=-\frac{\lambda^2m^2}{16\pi^2p^2}\int_0^\infty dq\,f_{22}(q)\,\Lambda(x),"
        r"\ \Lambda=\tfrac12\ln\left|\tfrac{1+x}{1-x}\right|-x",
        "derived here (angular integral of the forward amplitudes, principal value at s = m^2)",
        "n/a (new); reduces to PRL eq. 7's fermion part (next entries)",
        "int_{-1}^{1} dcos M_same = -lam^2 [2 + (2/x) ln|1 - x|], int dcos M_conj = "
        "-lam^2 [2 - (2/x) ln(1 + x)] (antiderivatives asserted by differentiation, the principal "
        "value checked against mpmath). The kernel depends on (p, q, m) only through x, so one "
        "closed-form function serves every (m, lam): no table is needed. Integrable log singularity "
        "at q* = m^2/(4p) (head-on nu_s nu_s at the phi pole); the matrix code integrates it by "
        "singularity subtraction (f(q*) and f'(q*) subtracted, their log integrals exact: "
        "J(x) = (x-1) ln|1-x| - x and J1(x) = (x-1)^2/2 ln|1-x| - (x-1)^2/4 + 1/4). "
        f"The symmetric kernel -2 Lambda(x) is negative for x < {X0:.4f} and positive beyond: "
        "V_s changes sign when m^2 ~ 4pq, from the Notzold-Raffelt-like heavy form to the "
        "thermal-mass light form. For nubar_s: V(p; f, fbar) -> V(p; fbar, f) (CP).",
    ),
    ReportEntry(
        "Heavy mediator, m^2 >> 4pq (generated: v_heavy)",
        r"k_{\rm same}=-\frac{x^2}{2}-\frac{x^3}{3}-\dots,\ k_{\rm conj}=\frac{x^2}{2}-\frac{x^3}{3}+\dots"
        r"\ \Rightarrow\ V_s=-\frac{4}{3}\frac{\lambda^2E\,\rho_s}{m^4}-\frac{\lambda^2\,(n_s-\bar n_s)}{2m^2},"
        r"\quad \rho_s=\int\frac{d^3q}{(2\pi)^3}\,q\,(f+\bar f),\ n_s=\int\frac{d^3q}{(2\pi)^3}f",
        "Notzold-Raffelt structure (Berlin-Hooper eq. 8; thermal_potentials v_nr): "
        "-(8 sqrt2 G_F E/3) rho/M_Z^2 + sqrt2 G_F (n - nbar) terms; PRL heavy limit (text after eq. 7); "
        + JF,
        "coefficient and sign derived and asserted; structure agrees with Notzold-Raffelt "
        "(negative, linear in E and in the energy density of nu_s + nubar_s, O(1/m^4)); "
        "comparison with J&F's formula not possible (text not read)",
        "Here n_s = nbar_s (one f22 for both): the asymmetry term is zero; it would be "
        "-lam^2 (n_s - nbar_s)/(2 m^2) for nu_s and the opposite for nubar_s (negative for "
        "the species in excess: the s-channel pole lies above, level repulsion). With the Fermi-like constant "
        "G_X = lam^2/m^2 the heavy form reads V_s = -(4/3) G_X E rho_s/m^2, to be compared with "
        "Notzold-Raffelt's -(8/3) sqrt2 G_F E rho_nu/M_Z^2 for a same-flavour neutrino background "
        "(i.e. sqrt2 G_F/M_Z^2 <-> G_X/(2 m^2) for the complex scalar). Validity: the next "
        "symmetric term is (3/5)(16 E^2/m^4)<q^5>/<q^3> relative; for a Fermi-Dirac spectrum "
        f"<q^5>/<q^3> = 310 pi^2/147 T^2 = {float(sp.N(ratio53)):.4g} T^2, so this first correction "
        f"stays below 10 % only for m/T > {HEAVY10[1]:.3g} (E = T) or {HEAVY10[3]:.3g} (E = 3T). With m ~ 1 GeV "
        "(J&F's lower end) this fails above T ~ 100 MeV, i.e. inside J&F's runaway window (a few "
        "hundred MeV): the general kernel is needed there. Ratio exact/heavy for a Fermi-Dirac "
        "background: " + _fmt_rows() + ".",
    ),
    ReportEntry(
        "Thermal background: reduction to PRL eq. 7 (generated: v_heavy_thermal)",
        r"f=\bar f=n_F:\ V_s=-\frac{\lambda^2}{16\pi^2E^2}\int_0^\infty dq\Big[\frac{m^2}{2}L_1^+-4Eq\Big]n_F(q)"
        r",\qquad m\gg T:\ " + L(sp.Eq(sp.Symbol("V_s"), V_heavy_FD.subs(p, sp.Symbol("E"))))
        + r",\qquad m\ll T:\ V_s=" + L(V_light_FD.subs(p, sp.Symbol("E"))),
        "PRL eq. 7, fermion bracket, with the overall sign of derivations/out/thermal_potentials.md",
        "yes: identical integrand (asserted on both branches of |1 - x|); heavy limit identical to "
        "v_scalar_heavy (the fermion loop is the whole heavy limit); light limit = 1/3 of PRL's "
        "lam^2 T^2/(16E), the other 2/3 being the bosonic phi term",
        "So the sterile kernel is exactly the fermion part of G(E/T, m/T) with n_F replaced by "
        "f22 (tested numerically against qke.physics.potentials for m >> T, and against the literal "
        "fermion bracket at any m).",
    ),
    ReportEntry(
        "Light mediator, m^2 << 4pq (generated: v_light)",
        r"V_s=\frac{\lambda^2}{4E}\int\frac{d^3q}{(2\pi)^3}\frac{f+\bar f}{q}=\frac{m_{T,s}^2}{2E}",
        "PRL text after eq. 7 (thermal case, fermion part)",
        "yes (1/3 of the PRL total, see above)",
        "For f = fbar the O(ln x) terms cancel (ln|1-x| - ln(1+x) = -2/x + ...), so the relative "
        "corrections are of order (m^2/(4pq))^2, up to logarithms from q < m^2/(4p). "
        "J&F restrict themselves to m >~ 1 GeV; the code's sterile mediator can "
        "be light, which is why the general kernel is implemented rather than the heavy form.",
    ),
    ReportEntry(
        "Vector mediator (not derived here)",
        r"\mathcal L\supset g\,\bar\nu_s\gamma^\mu P_L\nu_s X_\mu:\ V_s^X\big|_{C\text{-even}}=2\,V_s^\phi"
        r"\big|_{\lambda\to g},\quad V_s^X\big|_{\rm heavy}=-\frac{8}{3}\frac{g^2E\rho_s}{m_X^4}"
        r"+\frac{2g^2(n_s-\bar n_s)}{m_X^2}",
        "PRD eq. 3.3 (vector prefactor twice the scalar's, as used in thermal_potentials) and "
        "Notzold-Raffelt with sqrt2 G_F -> g^2/m_X^2",
        "not asserted by this script (stated for comparison only)",
        "Given in case J&F's mediator is a vector (not checked: text not read). The "
        "asymmetry term of a vector is repulsive (tadpole plus exchange), that of the complex scalar "
        "attractive; both vanish for n_s = nbar_s. The code implements the complex scalar only, "
        "the model of derivations/out/cross_sections.md.",
    ),
    ReportEntry(
        "Resonance and the nonlinear runaway (heavy form)",
        r"\Delta\cos2\theta=V_a-V_s\ \Leftrightarrow\ E^2\Big[\frac{4}{3}\frac{\lambda^2\rho_s}{m^4}-B_aT^4\Big]"
        r"=\frac{m_4^2\cos2\theta}{2},\qquad \text{possible only if}\ \frac{\rho_s}{\rho_{\nu_a}^{\rm eq}}>"
        r"2\sqrt2\,\frac{G_F\,m^4}{\lambda^2M_Z^2}\ (\nu_\mu,\ T<m_\mu)",
        JF + "; the abstract states a resonance criterion in the in-medium mixing angle, a runaway "
        "beginning at a few hundred MeV and ending at a few tens of MeV, mediators >~ 1 GeV",
        "consistent with the abstract's mechanism; the criterion itself could not be compared",
        "Both potentials are negative and ~ E in the heavy limit (V_a = -B_a E T^4, Notzold-Raffelt; "
        "B_a = (7 sqrt2 pi^2/45) G_F/M_Z^2 for nu_mu below the muon threshold). V_s enters H0 with "
        "the opposite sign, so a sterile population cancels the active potential; once "
        "(4/3) lam^2 rho_s/m^4 exceeds B_a T^4 the effective frequency Delta cos2theta - V_a + V_s "
        "vanishes at E_res = m4 [cos2theta/(2 bracket)]^{1/2}: the in-medium mixing is maximal there, "
        "production grows rho_s, which moves the resonance through the spectrum (nonlinear "
        "feedback). With the general kernel V_s is even more negative near x = 1 and turns positive "
        "for x > 1.2, so the criterion above is only the heavy-mediator estimate.",
    ),
]

write_report(
    "sterile_potential",
    "Sterile self-interaction: the potential V_s[f22] of nu_s in its own background",
    """
    Derivation script: `derivations/sterile_potential.py`; generated module:
    `qke/generated/sterile_potential.py`; matrix on the momentum grid:
    `qke/physics/sterile_potential.py` (`SterilePotentialKernel`). Model: the
    sterile mediator of `derivations/out/cross_sections.md`, a complex scalar
    phi of mass m with (lam/2) nu_s nu_s phi + h.c. Units: GeV; p = E for the
    relativistic nu_s. Every equality below is asserted by the script with
    SymPy (angular integrals by differentiated antiderivatives, limits by
    series, Fermi integrals checked with mpmath). Sign convention: V_s is the
    energy shift of nu_s (E = p + V_s), the 22 entry of H0; the QKE uses
    H0_11 - H0_22 = V_a - V_s - Delta cos 2theta.
    """,
    entries,
)
