"""Matrix elements, cross sections, widths and narrow-width coefficients for
neutrino self-interactions (complex scalar, vector, sterile self-interaction).

Run from the repository root: ``python derivations/cross_sections.py``.
Writes ``qke/generated/cross_sections.py`` and ``derivations/out/cross_sections.md``.

Method
------
Spin-summed squared amplitudes are computed as Dirac traces with explicit 4x4
gamma matrices (chiral basis) and explicit centre-of-mass momenta, then
rewritten in Mandelstam variables.  Neutrinos are massless Weyl (purely
left-handed) fields: chirality projectors P_L in every vertex select the single
helicity, and no average over initial spins is taken (each neutrino or
antineutrino has one helicity state).  Cross sections follow from
dsigma/dt = S |M|^2 / (16 pi s^2), t in [-s, 0], S = 1/2 for identical final
neutrinos, with the t integral done symbolically.

Labelling for every process a(p1) b(p2) -> c(p3) d(p4):
s = (p1+p2)^2, t = (p1-p3)^2, u = (p1-p4)^2 = -s-t, p3 the outgoing neutrino
(for nu nubar -> nu nubar, p1 is the incoming and p3 the outgoing neutrino).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sympy as sp  # noqa: E402
from sympy.codegen.cfunctions import log1p  # noqa: E402

from _codegen import GeneratedFunction, ReportEntry, write_module, write_report  # noqa: E402

SCRIPT = "derivations/cross_sections.py"

# ---------------------------------------------------------------------------
# Symbols
s = sp.Symbol("s", positive=True)
t = sp.Symbol("t", real=True)
m = sp.Symbol("m", positive=True)
lam = sp.Symbol("lam", positive=True)
width = sp.Symbol("width", positive=True)
e1, e2 = sp.symbols("e1 e2", positive=True)
y = sp.Symbol("y", positive=True)          # s / m^2
L = sp.Symbol("L", positive=True)          # log(1 + y)
u = -s - t

#: below s < Y_SWITCH m^2 closed forms with logarithms lose ~ y^-2 digits; a
#: Taylor series in y = s/m^2 is used there (error < 1e-15 relative).
Y_SWITCH = sp.Rational(1, 20)
N_SERIES = 14

# ---------------------------------------------------------------------------
# Dirac algebra with explicit matrices
I = sp.I
E, c = sp.symbols("E c", positive=True)
_sn = sp.sqrt(1 - c**2)
_Z, _1 = sp.zeros(2), sp.eye(2)
_sig = [sp.Matrix([[0, 1], [1, 0]]), sp.Matrix([[0, -I], [I, 0]]), sp.Matrix([[1, 0], [0, -1]])]


def _blk(a, b, cc, d):
    return sp.Matrix(sp.BlockMatrix([[a, b], [cc, d]]))


GAMMA = [_blk(_Z, _1, _1, _Z)] + [_blk(_Z, si, -si, _Z) for si in _sig]
G5 = _blk(-_1, _Z, _Z, _1)
PL = (sp.eye(4) - G5) / 2
PR = (sp.eye(4) + G5) / 2
ETA = [1, -1, -1, -1]


def _slash(p):
    return sum((ETA[i] * p[i] * GAMMA[i] for i in range(4)), sp.zeros(4))


# centre-of-mass momenta, massless: p1 + p2 -> p3 + p4, scattering angle c = cos(theta)
_P = [_slash(p) for p in ([E, 0, 0, E], [E, 0, 0, -E], [E, E * _sn, 0, E * c],
                          [E, -E * _sn, 0, -E * c])]
P1, P2, P3, P4 = _P
_GL = [GAMMA[k] * PL for k in range(4)]
_TO_ST = {E: sp.sqrt(s) / 2, c: 1 + 2 * t / s}


def _st(x):
    """Rewrite a CM-frame expression in Mandelstam s, t."""
    return sp.factor(sp.expand(sp.expand(x).subs(_TO_ST)))


def _tr(M):
    return sp.expand(M.trace())


def trace_two_currents(a, b, cc, d):
    """sum_spins |(ubar_a g^mu P_L u_b)(ubar_c g_mu P_L u_d)|^2
    = Tr[a g^mu P_L b g^nu P_L] Tr[c g_mu P_L d g_nu P_L]  (massless spin sums p-slash)."""
    A = [[_tr(a * _GL[i] * b * _GL[j]) for j in range(4)] for i in range(4)]
    B = [[_tr(cc * _GL[i] * d * _GL[j]) for j in range(4)] for i in range(4)]
    return _st(sum(ETA[i] * ETA[j] * A[i][j] * B[i][j] for i in range(4) for j in range(4)))


def trace_interference(a, b, cc, d):
    """Interference of two current-current diagrams with crossed legs:
    Tr[a g^mu P_L b g^nu P_L c g_mu P_L d g_nu P_L]."""
    return _st(sum(ETA[i] * ETA[j] * _tr(a * _GL[i] * b * _GL[j] * cc * _GL[i] * d * _GL[j])
                   for i in range(4) for j in range(4)))


def trace_scalar(a, b):
    """sum_spins |vbar_a P_L u_b|^2 = Tr[a P_L b P_R] = 2 p_a.p_b (one helicity each)."""
    return _st(_tr(a * PL * b * PR))


# ---------------------------------------------------------------------------
# Propagators.  P_s carries the Breit-Wigner width: 1/(s - m^2 + i m Gamma).
Pt = 1 / (t - m**2)
Pu = 1 / (u - m**2)
BW = (s - m**2)**2 + m**2 * width**2
absPs2 = 1 / BW                    # |P_s|^2
RePs = (s - m**2) / BW             # Re P_s

# Vector, nu nu -> nu nu: t- and u-channel, relative sign -1 (Fermi statistics)
V_tt = trace_two_currents(P3, P1, P4, P2)
V_uu = trace_two_currents(P4, P1, P3, P2)
V_tu = trace_interference(P3, P1, P4, P2)
msq_vec_nn = sp.factor(lam**4 * (V_tt * Pt**2 + V_uu * Pu**2 - 2 * V_tu * Pt * Pu))

# Vector, nu(p1) nubar(p2) -> nu(p3) nubar(p4): t- and s-channel, relative sign -1
W_tt = trace_two_currents(P3, P1, P2, P4)
W_ss = trace_two_currents(P3, P4, P2, P1)
W_ts = trace_interference(P3, P1, P2, P4)
msq_vec_nnb_parts = (lam**4 * W_tt * Pt**2, lam**4 * W_ss, -2 * lam**4 * W_ts * Pt)
# |M|^2 = part0 + part1 |P_s|^2 + part2 Re P_s
msq_vec_nnb_width = msq_vec_nnb_parts[0] + msq_vec_nnb_parts[1] * absPs2 + msq_vec_nnb_parts[2] * RePs
msq_vec_nnb = sp.factor(msq_vec_nnb_width.subs(width, 0))

# Complex scalar (lam/2) nu nu phi + h.c. (and the sterile mediator, same model):
# nu nu -> phi* -> nu nu, s-channel only; nu(p1) nubar(p2) -> nu(p3) nubar(p4):
# nu(p1) and nubar(p4) meet at the phi nu nu vertex -> exchange momentum p1 - p4 (u).
S_ss = trace_scalar(P2, P1) * trace_scalar(P4, P3)
S_uu = trace_scalar(P4, P1) * trace_scalar(P3, P2)
msq_sca_nn_width = lam**4 * S_ss * absPs2
msq_sca_nn = sp.factor(msq_sca_nn_width.subs(width, 0))
msq_sca_nnb = sp.factor(lam**4 * S_uu * Pu**2)

assert sp.simplify(V_tt - 4 * s**2) == 0 and sp.simplify(V_tu + 4 * s**2) == 0
assert sp.simplify(S_ss - s**2) == 0 and sp.simplify(S_uu - u**2) == 0


# ---------------------------------------------------------------------------
# t integration and numerically stable forms
def _log_form(expr):
    """Integral result -> rational function of (y, L=log(1+y)) times a power of m."""
    e = expr.subs(s, y * m**2)
    e = e.replace(sp.log, lambda a: sp.expand_log(sp.log(sp.factor(a)), force=True))
    e = sp.expand(e)
    e = e.subs(sp.log(y + 1), L)
    e = sp.expand_log(e, force=True)
    e = sp.expand(e).subs(sp.log(y + 1), L)
    assert not e.has(sp.log), e
    return sp.factor(sp.together(e))


def t_integral(f):
    """int_{-s}^{0} f dt as (rational function of y, L) -- exact."""
    r = sp.integrate(sp.apart(sp.expand(f), t), (t, -s, 0))
    return _log_form(r)


def to_s(expr_yL):
    """Back to s, m with log(1+y) printed as log1p(s/m^2)."""
    return expr_yL.subs(L, log1p(s / m**2)).subs(y, s / m**2)


def series_y(expr_yL, order=N_SERIES):
    """Taylor series in y (with L = log(1+y)) keeping `order` terms beyond the leading one."""
    e = expr_yL.subs(L, sp.log(1 + y))
    lead = sp.Order(1)
    ser = sp.series(e, y, 0, 1)
    # find leading power
    k0 = None
    for k in range(-3, 8):
        if sp.simplify(sp.limit(e / y**k, y, 0)) not in (0, sp.oo, -sp.oo):
            k0 = k
            break
    assert k0 is not None, expr_yL
    ser = sp.series(e, y, 0, k0 + order + 1).removeO()
    del lead
    return sp.expand(ser)


_S_SAFE = sp.Piecewise((Y_SWITCH * m**2, s < Y_SWITCH * m**2), (s, True))


def stable(expr_yL):
    """Piecewise: Taylor series for s < Y_SWITCH m^2, closed form (with s clamped, so
    that it is never evaluated where it cancels) above."""
    ser = series_y(expr_yL).subs(y, s / m**2)
    closed = to_s(expr_yL).subs(s, _S_SAFE)
    return sp.Piecewise((ser, s < Y_SWITCH * m**2), (closed, True))


PREF = 1 / (16 * sp.pi * s**2)
HALF = sp.Rational(1, 2)

# Vector nu nu (identical final state)
J_vnn = t_integral(msq_vec_nn / lam**4)
sig_vec_nn_yL = sp.factor(HALF * lam**4 * J_vnn / (16 * sp.pi * (y * m**2)**2))
sig_vec_nn = to_s(sig_vec_nn_yL)

# Vector nu nubar: pieces
J_tt = t_integral(msq_vec_nnb_parts[0] / lam**4)
J_ss = sp.factor(sp.integrate(sp.expand(msq_vec_nnb_parts[1] / lam**4), (t, -s, 0)))
J_ts = t_integral(msq_vec_nnb_parts[2] / lam**4)
J_ss_y = sp.factor(J_ss.subs(s, y * m**2))
sig_vec_nnb_width = lam**4 / (16 * sp.pi * s**2) * (
    stable(J_tt) + J_ss * absPs2 + stable(J_ts) * RePs)
sig_vec_nnb_nowidth_yL = sp.factor(
    (J_tt + J_ss_y / (m**4 * (y - 1)**2) + J_ts / (m**2 * (y - 1))) * lam**4
    / (16 * sp.pi * (y * m**2)**2))

# Scalar / sterile
J_sss = sp.factor(sp.integrate(S_ss, (t, -s, 0)))          # = s^3
J_suu = t_integral(S_uu * Pu**2)
# keep (s - m^2)^2 + m^2 width^2 unexpanded: expanding it cancels catastrophically at the pole
sig_sca_nn_width = sp.factor(HALF * lam**4 * J_sss / (16 * sp.pi * s**2)) * absPs2
sig_sca_nn = sp.factor(sig_sca_nn_width.subs(width, 0))
sig_sca_nnb_yL = sp.factor(lam**4 * J_suu / (16 * sp.pi * (y * m**2)**2))
sig_sca_nnb = lam**4 / (16 * sp.pi * s**2) * stable(J_suu)

# ---------------------------------------------------------------------------
# Checks against the seeds
seed_vec_nn = lam**4 / (4 * sp.pi * m**2) * (s / (s + m**2)
                                               + 2 * m**2 / (s + 2 * m**2) * sp.log(1 + s / m**2))
seed_vec_nnb = lam**4 / (4 * sp.pi * (s - m**2)**2) * (
    s**2 / m**2 - 4 * m**2 + 4 * (m**4 - s**2) / s * sp.log(1 + s / m**2) + 10 * s / 3)


def _same(a_yL, b):
    a = a_yL.subs(L, sp.log(1 + y))
    b = b.subs(s, y * m**2)
    diff = sp.simplify(sp.expand_log(sp.expand(a - b), force=True))
    return diff == 0


VEC_NN_OK = _same(sig_vec_nn_yL, seed_vec_nn)
VEC_NNB_OK = _same(sig_vec_nnb_nowidth_yL, seed_vec_nnb)
assert VEC_NN_OK and VEC_NNB_OK, "vector cross sections disagree with PRD eq. 3.5"

# limits (y = s/m^2)
def _lead(expr_yL, at):
    e = expr_yL.subs(L, sp.log(1 + y))
    if at == 0:
        return sp.simplify(series_y(expr_yL, order=0))
    return sp.simplify(sp.limit(e * y**0, y, sp.oo)) if at == sp.oo else None


def _heavy(expr_yL):
    return sp.factor(series_y(expr_yL, order=0).subs(y, s / m**2))


def _light(expr_yL):
    e = sp.expand_log(expr_yL.subs(L, sp.log(1 + y)), force=True)
    # leading term for y -> oo (drop powers of log where subleading)
    lead = sp.limit(e * y, y, sp.oo)
    if lead not in (0, sp.oo, -sp.oo):
        return sp.factor(lead / y).subs(y, s / m**2)
    lead = sp.limit(e, y, sp.oo)
    return sp.factor(lead.subs(y, s / m**2))


vec_nn_heavy = _heavy(sig_vec_nn_yL)
vec_nnb_heavy = _heavy(sig_vec_nnb_nowidth_yL)
vec_nn_light = _light(sig_vec_nn_yL)
vec_nnb_light = _light(sig_vec_nnb_nowidth_yL)
sca_nn_yL = sp.factor(sig_sca_nn.subs(s, y * m**2))
sca_nn_heavy = _heavy(sca_nn_yL)
sca_nnb_heavy = _heavy(sig_sca_nnb_yL)
sca_nn_light = _light(sca_nn_yL)
sca_nnb_light = _light(sig_sca_nnb_yL)

assert sp.simplify(vec_nn_heavy - lam**4 * s / (2 * sp.pi * m**4)) == 0
assert sp.simplify(vec_nnb_heavy - lam**4 * s / (3 * sp.pi * m**4)) == 0
assert sp.simplify(vec_nn_light - lam**4 / (4 * sp.pi * m**2)) == 0
assert sp.simplify(vec_nnb_light - lam**4 / (4 * sp.pi * m**2)) == 0

# ---------------------------------------------------------------------------
# Widths (massless neutrinos), Gamma = |p| / (8 pi M^2) * <|M|^2> * S, |p| = M/2
k = sp.Symbol("k", positive=True)   # decaying particle momentum: k^2 = m^2
# V -> nu nubar: sum_pol eps eps* = -g + kk/m^2 (kk term vanishes), 1/3 polarisation average
_pdec = {E: m / 2}
_V_dec = sp.simplify(sum(-ETA[i] * _tr(P3 * _GL[i] * P4 * _GL[i]) for i in range(4)).subs(_pdec))
msq_V_decay = sp.simplify(lam**2 * _V_dec / 3)
width_vec = sp.simplify(m / 2 / (8 * sp.pi * m**2) * msq_V_decay)
# phi -> nu nu: |M|^2 = lam^2 Tr[p4 P_L p3 P_R] = lam^2 m^2 ; identical neutrinos: 1/2
msq_phi_decay = sp.simplify(lam**2 * _tr(P4 * PL * P3 * PR).subs(_pdec))
width_sca = sp.simplify(m / 2 / (8 * sp.pi * m**2) * msq_phi_decay * HALF)
assert sp.simplify(width_vec - lam**2 * m / (24 * sp.pi)) == 0
assert sp.simplify(width_sca - lam**2 * m / (32 * sp.pi)) == 0

# ---------------------------------------------------------------------------
# Narrow width: m Gamma / ((s-m^2)^2 + m^2 Gamma^2) -> pi delta(s - m^2)
# sigma_pole = R(s) |P_s|^2  ->  C = R(m^2) pi / (m Gamma)
R_vec = sp.simplify(lam**4 * J_ss / (16 * sp.pi * s**2))
C_vec = sp.simplify(R_vec.subs(s, m**2) * sp.pi / (m * width))
assert sp.simplify(C_vec - lam**4 * m / (12 * width)) == 0
C_vec_onshell = sp.simplify(C_vec.subs(width, width_vec))
R_sca = sp.simplify(sig_sca_nn_width / absPs2)
C_sca_general = sp.simplify(R_sca.subs(s, m**2) * sp.pi / (m * width))
C_sca = sp.simplify(C_sca_general.subs(width, width_sca))
assert sp.simplify(C_sca - sp.pi * lam**2) == 0
assert sp.simplify(C_vec_onshell - 2 * sp.pi * lam**2) == 0

# Moller velocity for massless particles
vmol = s / (2 * e1 * e2)

# ---------------------------------------------------------------------------
# Generated module
U_S = "s : array_like\n    Mandelstam s, squared centre-of-mass energy [GeV^2]."
U_T = ("t : array_like\n    Mandelstam t = (p1 - p3)^2 [GeV^2], -s <= t <= 0, p1 (p3) the incoming\n"
       "    (outgoing) neutrino; u = -s - t.")
U_M = "m : array_like\n    Mediator mass [GeV]."
U_L = "lam : array_like\n    Dimensionless coupling."
U_W = "width : array_like\n    Total decay width of the mediator [GeV] (Breit-Wigner regulator)."
MSQ = ("Returns\n-------\nndarray\n    Spin-summed |M|^2 (dimensionless); one helicity per (anti)neutrino, "
       "no initial-spin average.")
SIG = "Returns\n-------\nndarray\n    Cross section [GeV^-2]."
NOTE_STABLE = ("Notes\n-----\nFor s < m^2/20 a Taylor series in s/m^2 replaces the closed form, "
               "which cancels there.")


def _doc(head, args, ret, seed, extra=""):
    body = head.strip() + "\n\nParameters\n----------\n" + "\n".join(args) + "\n\n" + ret
    if extra:
        body += "\n\n" + extra
    body += f"\n\nSeed: {seed}"
    return body


msq_sterile_nn_width = sp.factor(lam**4 * S_ss) * absPs2

functions = [
    GeneratedFunction("msq_scalar_nunu", [s, t, m, lam], msq_sca_nn, _doc(
        "|M|^2 for nu nu -> nu nu via s-channel complex scalar, L = (lam/2) nu nu phi + h.c.",
        [U_S, U_T, U_M, U_L], MSQ, "PRL (de Gouvea et al. 2020) model; no width (pole at s = m^2).")),
    GeneratedFunction("msq_scalar_nunubar", [s, t, m, lam], msq_sca_nnb, _doc(
        "|M|^2 for nu nubar -> nu nubar via complex scalar exchange between the incoming nu and\n"
        "the outgoing nubar (u-channel in this labelling), L = (lam/2) nu nu phi + h.c.",
        [U_S, U_T, U_M, U_L], MSQ, "PRL (de Gouvea et al. 2020) model.")),
    GeneratedFunction("msq_vector_nunu", [s, t, m, lam], msq_vec_nn, _doc(
        "|M|^2 for nu nu -> nu nu via t- and u-channel vector, L = lam nubar gamma^mu P_L nu V_mu.",
        [U_S, U_T, U_M, U_L], MSQ, "PRD (Kelly et al. 2020) eq. 3.5 (integrand).")),
    GeneratedFunction("msq_vector_nunubar", [s, t, m, lam], msq_vec_nnb, _doc(
        "|M|^2 for nu nubar -> nu nubar via s- and t-channel vector (no width: pole at s = m^2).",
        [U_S, U_T, U_M, U_L], MSQ, "PRD (Kelly et al. 2020) eq. 3.5 (integrand).")),
    GeneratedFunction("msq_sterile_nunu", [s, t, m, lam, width], msq_sterile_nn_width, _doc(
        "|M|^2 for nu_s nu_s -> nu_s nu_s, s-channel mediator, Breit-Wigner propagator;\n"
        "= 4 lam^4 (p.q)(p1.q1) / ((s-m^2)^2 + m^2 width^2) = lam^4 s^2 / (...).",
        [U_S, U_T, U_M, U_L, U_W], MSQ, "notes eq. (28) (prefactor derived: 4 lam^4).")),
    GeneratedFunction("msq_sterile_nunubar", [s, t, m, lam], msq_sca_nnb, _doc(
        "|M|^2 for nu_s nubar_s -> nu_s nubar_s, mediator exchanged between the incoming nu_s and\n"
        "the outgoing nubar_s: lam^4 u^2/(u - m^2)^2 with u = -s - t = -2 p1.p4.",
        [U_S, U_T, U_M, U_L], MSQ, "notes eq. (28) (the notes' t is our u; prefactor 4 lam^4).")),
    GeneratedFunction("sigma_scalar_nunu", [s, m, lam], sig_sca_nn, _doc(
        "sigma(nu nu -> nu nu), complex scalar s-channel, final-state factor 1/2, no width.",
        [U_S, U_M, U_L], SIG, "PRL model (no closed form printed there).")),
    GeneratedFunction("sigma_scalar_nunubar", [s, m, lam], sig_sca_nnb, _doc(
        "sigma(nu nubar -> nu nubar), complex scalar exchange.",
        [U_S, U_M, U_L], SIG, "PRL model (no closed form printed there).", NOTE_STABLE), cse=True),
    GeneratedFunction("sigma_vector_nunu", [s, m, lam], sig_vec_nn, _doc(
        "sigma(nu nu -> nu nu), vector t+u channel, final-state factor 1/2.",
        [U_S, U_M, U_L], SIG, "PRD eq. 3.5 (first line) -- agrees.")),
    GeneratedFunction("sigma_vector_nunubar", [s, m, lam, width], sig_vec_nnb_width, _doc(
        "sigma(nu nubar -> nu nubar), vector s+t channel with a Breit-Wigner s-channel propagator\n"
        "1/(s - m^2 + i m width) (|P_s|^2 and Re P_s in the interference).",
        [U_S, U_M, U_L, U_W], SIG, "PRD eq. 3.5 (second line) -- agrees for width = 0.",
        NOTE_STABLE), cse=True),
    GeneratedFunction("sigma_sterile_nunu", [s, m, lam, width], sig_sca_nn_width, _doc(
        "sigma(nu_s nu_s -> nu_s nu_s) = lam^4 s / (32 pi ((s-m^2)^2 + m^2 width^2)).",
        [U_S, U_M, U_L, U_W], SIG, "notes eqs. (28)-(29), (33).")),
    GeneratedFunction("sigma_sterile_nunubar", [s, m, lam], sig_sca_nnb, _doc(
        "sigma(nu_s nubar_s -> nu_s nubar_s), exchange of the mediator.",
        [U_S, U_M, U_L], SIG, "notes eqs. (28)-(29).", NOTE_STABLE), cse=True),
    GeneratedFunction("sigma_sterile_total", [s, m, lam, width], sig_sca_nn_width + sig_sca_nnb, _doc(
        "sigma(nu_s nu_s) + sigma(nu_s nubar_s): the sigma_tot entering Gamma_s of eq. (31).",
        [U_S, U_M, U_L, U_W], SIG, "notes eqs. (29), (31).", NOTE_STABLE), cse=True),
    # limits
    GeneratedFunction("sigma_vector_nunu_heavy", [s, m, lam], vec_nn_heavy, _doc(
        "Heavy-mediator (s << m^2) limit of sigma_vector_nunu.", [U_S, U_M, U_L], SIG,
        "PRD eq. 3.7 -- agrees.")),
    GeneratedFunction("sigma_vector_nunubar_heavy", [s, m, lam], vec_nnb_heavy, _doc(
        "Heavy-mediator (s << m^2) limit of sigma_vector_nunubar.", [U_S, U_M, U_L], SIG,
        "PRD eq. 3.7 -- agrees.")),
    GeneratedFunction("sigma_vector_light", [s, m, lam], vec_nn_light, _doc(
        "Light-mediator (s >> m^2) limit, common to sigma_vector_nunu and sigma_vector_nunubar\n"
        "(the t-channel forward peak; the s argument is unused).", [U_S, U_M, U_L], SIG,
        "PRD eq. 3.9 -- agrees.")),
    GeneratedFunction("sigma_scalar_nunu_heavy", [s, m, lam], sca_nn_heavy, _doc(
        "Heavy-mediator limit of sigma_scalar_nunu.", [U_S, U_M, U_L], SIG, "PRL eq. 5 (via the rate).")),
    GeneratedFunction("sigma_scalar_nunubar_heavy", [s, m, lam], sca_nnb_heavy, _doc(
        "Heavy-mediator limit of sigma_scalar_nunubar.", [U_S, U_M, U_L], SIG, "PRL eq. 5 (via the rate).")),
    GeneratedFunction("sigma_scalar_nunu_light", [s, m, lam], sca_nn_light, _doc(
        "Light-mediator limit (s >> m^2, off resonance) of sigma_scalar_nunu.", [U_S, U_M, U_L], SIG,
        "PRL (not printed; the resonance dominates, eq. 6).")),
    GeneratedFunction("sigma_scalar_nunubar_light", [s, m, lam], sca_nnb_light, _doc(
        "Light-mediator limit (s >> m^2) of sigma_scalar_nunubar.", [U_S, U_M, U_L], SIG,
        "PRL (not printed).")),
    GeneratedFunction("sigma_sterile_nunu_heavy", [s, m, lam], sca_nn_heavy, _doc(
        "Heavy-mediator limit of sigma_sterile_nunu.", [U_S, U_M, U_L], SIG, "notes (Johns & Fuller regime).")),
    GeneratedFunction("sigma_sterile_nunubar_heavy", [s, m, lam], sca_nnb_heavy, _doc(
        "Heavy-mediator limit of sigma_sterile_nunubar.", [U_S, U_M, U_L], SIG, "notes.")),
    GeneratedFunction("sigma_sterile_total_heavy", [s, m, lam], sp.factor(sca_nn_heavy + sca_nnb_heavy), _doc(
        "Heavy-mediator limit of sigma_sterile_total.", [U_S, U_M, U_L], SIG, "notes.")),
    # widths
    GeneratedFunction("width_vector_to_nunu", [m, lam], width_vec, _doc(
        "Gamma(V -> nu nubar) for one Weyl neutrino, L = lam nubar gamma^mu P_L nu V_mu.",
        [U_M, U_L], "Returns\n-------\nndarray\n    Width [GeV].", "PRD eq. 4.6 (one neutrino term).")),
    GeneratedFunction("width_scalar_to_nunu", [m, lam], width_sca, _doc(
        "Gamma(phi -> nu nu) for L = (lam/2) nu nu phi + h.c. (identical neutrinos, factor 1/2).",
        [U_M, U_L], "Returns\n-------\nndarray\n    Width [GeV].", "PRL model (not printed).")),
    GeneratedFunction("width_sterile_mediator", [m, lam], width_sca, _doc(
        "Gamma(phi -> nu_s nu_s), same model as width_scalar_to_nunu.",
        [U_M, U_L], "Returns\n-------\nndarray\n    Width [GeV].", "notes eq. (33) (implicit).")),
    # narrow width
    GeneratedFunction("narrow_width_coefficient_vector", [m, lam, width], C_vec, _doc(
        "C in sigma(nu nubar -> nu nubar) ~ C delta(s - m^2) (s-channel pole, narrow width);\n"
        "with width = width_vector_to_nunu this is 2 pi lam^2.",
        [U_M, U_L, U_W], "Returns\n-------\nndarray\n    C (dimensionless; sigma [GeV^-2] = C x delta [GeV^-2]).",
        "PRD eq. 3.11 -- agrees.")),
    GeneratedFunction("narrow_width_coefficient_sterile", [m, lam], C_sca, _doc(
        "C in sigma(nu_s nu_s -> nu_s nu_s) ~ C delta(s - m^2), with the derived width\n"
        "Gamma = lam^2 m / (32 pi): C = lam^4 m / (32 Gamma) = pi lam^2 (m unused).",
        [U_M, U_L], "Returns\n-------\nndarray\n    C (dimensionless).", "notes eq. (33) -- agrees.")),
    GeneratedFunction("moller_velocity", [s, e1, e2], vmol, _doc(
        "Moller velocity of two massless particles, v = p1.p2/(E1 E2) = s/(2 E1 E2) = 1 - cos(theta);\n"
        "(2E1)(2E2) sigma v = 2 s sigma.",
        ["s : array_like\n    [GeV^2].", "e1 : array_like\n    Energy [GeV].", "e2 : array_like\n    Energy [GeV]."],
        "Returns\n-------\nndarray\n    Dimensionless.", "notes eq. (29), PRD eq. 3.6.")),
]

MODULE_DOC = """
Neutrino self-interaction matrix elements and cross sections (natural units, GeV).

Massless Weyl neutrinos: one helicity per neutrino / antineutrino, no average
over initial spins; identical final-state neutrinos carry a factor 1/2 in sigma.
Mandelstam variables: s = (p1+p2)^2, t = (p1-p3)^2 (p1, p3 incoming / outgoing
neutrino), u = -s-t.  Models: complex scalar (lam/2) nu nu phi + h.c. (PRL of de
Gouvea et al. 2020; the sterile mediator of the notes is the same model),
vector lam nubar gamma^mu P_L nu V_mu (PRD of Kelly et al. 2020).
All arguments broadcast (e.g. arrays of shape (bins, temperatures)).
"""

write_module("cross_sections", SCRIPT, MODULE_DOC, functions)

# ---------------------------------------------------------------------------
# Report
def lx(e):
    return sp.latex(e, symbol_names={lam: r"\lambda", width: r"\Gamma"})


tt = sp.Symbol("t")
entries = [
    ReportEntry("Conventions", r"\frac{d\sigma}{dt}=\frac{S\,\overline{|M|^2}}{16\pi s^2},\quad "
                r"-s\le t\le 0,\quad v_{\rm M\o l}=\frac{s}{2E_1E_2}=1-\cos\theta,\quad "
                r"(2E_1)(2E_2)\,\sigma v_{\rm M\o l}=2s\,\sigma",
                "PRD eq. 3.5-3.6, notes eq. (29)",
                "yes, with: spin SUM only (no initial-spin average, each Weyl (anti)neutrino has one "
                "helicity), S = 1/2 for identical final neutrinos",
                "These are the conventions that reproduce the seeds' printed cross sections exactly "
                "(PRD eq. 3.5, 3.7, 3.9, 3.11; notes eq. 33). Averaging over two spin states per "
                "neutrino would give 1/4 of the printed values; dropping S = 1/2 would double "
                "sigma(nu nu). The notes' eq. (29) integrates p, q over the full phase space without "
                "the 1/2: read literally it defines 2x sigma(nu nu); eq. (33) however uses the "
                "standard S = 1/2, which the code follows."),
    ReportEntry("Vector, nu nu -> nu nu: |M|^2", r"\overline{|M|^2}=" + lx(msq_vec_nn),
                "PRD eq. 3.5 (integrand, not printed)", "n/a (consistent with the printed sigma)",
                "Traces: T_tt = T_uu = 4 s^2, interference -4 s^2 with the Fermi minus sign: "
                "the two diagrams add (Fierz invariance of (V-A)x(V-A))."),
    ReportEntry("Vector, nu nu -> nu nu: sigma", r"\sigma=" + lx(sig_vec_nn.subs(log1p(s / m**2), sp.log(1 + s / m**2))),
                "PRD eq. 3.5, first line", "yes (symbolically identical)"),
    ReportEntry("Vector, nu nubar -> nu nubar: |M|^2 (Gamma = 0)", r"\overline{|M|^2}=" + lx(msq_vec_nnb),
                "PRD eq. 3.5 (integrand)", "n/a",
                "With width: |M|^2 = lam^4 [4u^2/(t-m^2)^2 + 4u^2 |P_s|^2 + 8u^2 Re(P_s)/(t-m^2)], "
                "P_s = 1/(s - m^2 + i m Gamma); only |P_s|^2 and Re P_s carry the width."),
    ReportEntry("Vector, nu nubar -> nu nubar: sigma (Gamma = 0)",
                r"\sigma=" + lx(to_s(sig_vec_nnb_nowidth_yL).subs(log1p(s / m**2), sp.log(1 + s / m**2))),
                "PRD eq. 3.5, second line", "yes (symbolically identical)",
                "The seed's common 1/(s-m^2)^2 hides that only the s-channel square has a double pole; "
                "the generated version keeps the three pieces separate so that the width enters "
                "correctly (|P_s|^2 and Re P_s), and uses a series for s < m^2/20, where the closed "
                "form cancels to O(s/m^2)."),
    ReportEntry("Vector limits", r"\sigma_{\nu\nu}\to" + lx(vec_nn_heavy) + r",\ \sigma_{\nu\bar\nu}\to"
                + lx(vec_nnb_heavy) + r"\ (s\ll m^2);\qquad \sigma\to" + lx(vec_nn_light) + r"\ (s\gg m^2)",
                "PRD eq. 3.7 and 3.9", "yes"),
    ReportEntry("Vector width", r"\Gamma(V\to\nu\bar\nu)=" + lx(width_vec), "PRD eq. 4.6 (per neutrino)",
                "yes (g^2 m/(12 pi) there counts nu_mu and nu_tau)"),
    ReportEntry("Vector narrow width", r"\sigma_{\nu\bar\nu}\simeq " + lx(C_vec) + r"\,\delta(s-m^2)="
                + lx(C_vec_onshell) + r"\,\delta(s-m^2)", "PRD eq. 3.11",
                "yes: C = |lam|^4 m_V/(12 Gamma_V), = 2 pi lam^2 with Gamma_V = lam^2 m/(24 pi)",
                "Uses m Gamma/((s-m^2)^2+m^2 Gamma^2) -> pi delta(s-m^2). C is dimensionless; "
                "delta(s-m^2) carries GeV^-2. Agrees with the Breit-Wigner formula "
                "16 pi (2J+1)/(g_a g_b) Gamma^2/... with g_a = g_b = 1 (one helicity each)."),
    ReportEntry("Scalar / sterile, nu nu -> nu nu: |M|^2", r"\overline{|M|^2}=" + lx(msq_sterile_nn_width)
                + r"=\frac{4\lambda^4(p\cdot q)(p_1\cdot q_1)}{(s-m^2)^2+m^2\Gamma^2}",
                "notes eq. (28), first line",
                "structure yes; the prefactor is 4 lam^4 (the dump reads lam^4)",
                "Feynman rule of (lam/2) nu nu phi: i lam (two identical fields). |M|^2 = lam^4 "
                "|<12>|^2 |[34]|^2 |P_s|^2 = lam^4 s^2 |P_s|^2 = 4 lam^4 (p.q)(p1.q1) |P_s|^2. Only "
                "with 4 lam^4 does eq. (33) follow; with lam^4 it would be pi lam^2/4."),
    ReportEntry("Scalar / sterile, nu nubar -> nu nubar: |M|^2", r"\overline{|M|^2}=" + lx(msq_sca_nnb),
                "notes eq. (28), second line",
                "structure yes if the notes' t is (p - q1)^2 (nu_in - nubar_out), prefactor 4 lam^4",
                "The mediator joins the incoming nu and the outgoing nubar (both annihilated by the "
                "nu field), so the exchanged momentum is p1 - p4: u in standard labelling "
                "(t = (p_nu,in - p_nu,out)^2). Integrated sigma is the same under t <-> u."),
    ReportEntry("Scalar / sterile sigma(nu nu -> nu nu)", r"\sigma=" + lx(sig_sca_nn_width),
                "notes eq. (29); PRL (not printed)", "n/a"),
    ReportEntry("Scalar / sterile sigma(nu nubar -> nu nubar)",
                r"\sigma=" + lx(to_s(sig_sca_nnb_yL).subs(log1p(s / m**2), sp.log(1 + s / m**2))),
                "notes eq. (29); PRL (not printed)", "n/a",
                "Closed form cancels as (s/m^2)^2 for s << m^2: a Taylor series is used for s < m^2/20."),
    ReportEntry("Scalar / sterile limits",
                r"\sigma_{\nu\nu}\to" + lx(sca_nn_heavy) + r",\ \sigma_{\nu\bar\nu}\to" + lx(sca_nnb_heavy)
                + r"\ (s\ll m^2);\quad \sigma_{\nu\nu}\to" + lx(sca_nn_light) + r",\ \sigma_{\nu\bar\nu}\to"
                + lx(sca_nnb_light) + r"\ (s\gg m^2)", "PRL eq. 5 (through the rate)",
                "see thermal_rates.md (the PRL rate is 6/5 of what these give, from its v_rel)"),
    ReportEntry("Scalar / sterile mediator width", r"\Gamma(\phi\to\nu\nu)=" + lx(width_sca),
                "notes eq. (33) (implicit)", "n/a", "|M|^2 = lam^2 m^2, 1/2 for identical neutrinos."),
    ReportEntry("Sterile narrow width", r"\sigma(\nu\nu\to\nu\nu)\simeq" + lx(C_sca_general)
                + r"\,\delta(s-m^2)=" + lx(C_sca) + r"\,\delta(s-m^2)=\frac{\pi\lambda^2}{2p_1^0q_1^0}"
                r"\delta(\cos\theta-\cos\theta_\phi)", "notes eq. (33)",
                "yes: C = lam^4 m/(32 Gamma_phi) = pi lam^2",
                "Dimensions are consistent: C is dimensionless and delta(s-m^2) is GeV^-2; the apparent "
                "lam^2 vs lam^4/Gamma mismatch disappears because Gamma_phi = lam^2 m/(32 pi). "
                "The second form follows from s = 2 p1 q1 (1 - cos theta)."),
]
write_report("cross_sections", "Neutrino self-interaction cross sections",
             """
             Derived by `derivations/cross_sections.py` (Dirac traces with explicit matrices,
             symbolic t integration). Generated module: `qke/generated/cross_sections.py`.
             Models: complex scalar (lam/2) nu nu phi + h.c. (PRL; the sterile mediator of the
             notes is the same model with nu -> nu_s), vector lam nubar gamma^mu P_L nu V_mu (PRD).
             Labels: s = (p1+p2)^2, t = (p1-p3)^2 with p1 (p3) the incoming (outgoing) neutrino.
             Numerical crossover: closed forms of sigma(nu nubar) are replaced by their Taylor
             series for s < m^2/20 (the `*_heavy` functions are the leading terms).
             """, entries)
