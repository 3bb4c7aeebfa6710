"""Charged-meson decays M+ -> l+ nu V with V radiated off the neutrino (PRD Sec. III E).

Neutrinophilic vector of qke/models/vector.py, L ⊃ lam nubar gamma^mu P_L nu V_mu
(the PRD's lambda_mumu, eq. 3.1), and the Fermi interaction with
<0| A^alpha |M+(P)> = i f_M P^alpha (f_pi ≈ 130 MeV, f_K ≈ 156 MeV convention), so
that the Standard-Model amplitude is sqrt2 G_F V f_M ubar(k) Pslash P_L v(p).

Derived here, with a trace routine over abstract four-vectors (checked against
explicit Dirac matrices, gamma5 included, at exact rational kinematics):

1. the spin- and polarisation-summed |M|^2 of M+ -> l+ nu V, in the Dalitz
   variables s = (p_nu + p_V)^2 and t = (p_nu + p_l)^2;
2. the exact t integral dGamma/ds and its factorisation into
   Gamma(M -> l N) for a neutral lepton of mass sqrt(s) times the splitting N -> nu V;
3. the total width in closed form for m_l -> 0 (all m_V) and for m_V -> 0 (all m_l);
   the general case is one numerical s integral (qke/physics/limits.py);
4. with the same machinery, h -> nu nubar V and W -> l nu V, PRD eqs. 3.19 and 3.20.

Outputs: qke/generated/meson_decays.py, derivations/out/meson_decays.md.
Run from the repository root: ``python derivations/meson_decays.py``.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sympy as sp  # noqa: E402

from _codegen import GeneratedFunction, ReportEntry, write_module, write_report  # noqa: E402

SCRIPT = "derivations/meson_decays.py"
L = sp.latex

# ---------------------------------------------------------------------------
# Traces of slashed four-vectors over an abstract basis (k, q, p)
# ---------------------------------------------------------------------------
# A vector is a tuple of coefficients on the basis; a str is a Lorentz index that
# occurs twice in the trace (contracted with g). Tr[a1 ... a2n] = 4 x sum over
# pairings with sign (the usual recursion); a pairing's value follows the chains
# vector - index - ... - vector (a dot product) and closed index loops (g^mu_mu = 4).


def _pairings(els):
    if not els:
        yield 1, []
        return
    for j in range(1, len(els)):
        for sign, rest in _pairings(els[1:j] + els[j + 1:]):
            yield (-1) ** (j - 1) * sign, [(els[0], els[j])] + rest


def _is_index(x, label=None):
    return isinstance(x, str) and (label is None or x == label)


def _contract(pairs, dot):
    edges, value = list(pairs), sp.Integer(1)
    while edges:
        ends = list(edges.pop())
        for side in (0, 1):
            while _is_index(ends[side]):
                label = ends[side]
                j = next((i for i, e in enumerate(edges) if _is_index(e[0], label) or _is_index(e[1], label)), None)
                if j is None:
                    break
                e = edges.pop(j)
                ends[side] = e[1] if _is_index(e[0], label) else e[0]
        if _is_index(ends[0]) or _is_index(ends[1]):
            assert ends[0] == ends[1], "dangling Lorentz index"
            value *= 4
        else:
            value *= dot(ends[0], ends[1])
    return value


def trace(elements, gram):
    """Tr[a1slash ... ] (no gamma5) for vectors on a basis with Gram matrix ``gram``."""
    n = gram.shape[0]

    def dot(a, b):
        return sum(a[i] * gram[i, j] * b[j] for i in range(n) for j in range(n))

    return sp.expand(4 * sum(sign * _contract(pr, dot) for sign, pr in _pairings(list(elements))))


# Kinematics of M+(P) -> l+(p) nu(k) V(q): basis (k, q, p), K = k + q (internal nu), P = K + p.
kq, kp, qp = sp.symbols("kq kp qp", real=True)
m_l, m_v, m_m = sp.symbols("m_l m_v m_m", positive=True)
GRAM = sp.Matrix([[0, kq, kp], [kq, m_v**2, qp], [kp, qp, m_l**2]])
k_, q_, p_ = (1, 0, 0), (0, 1, 0), (0, 0, 1)
K_, P_ = (1, 1, 0), (1, 1, 1)

# Amplitude (vertex i lam gamma^mu P_L, propagator i Kslash/K^2):
#   M = C ubar(k) epsslash* Kslash Pslash P_L v(p) / K^2,  C = sqrt2 G_F V f_M lam.
# Spin sum: Tr[kslash gamma^mu Kslash Pslash P_L (pslash - m_l) P_R Pslash Kslash gamma^nu] Pi_{mu nu},
# Pi = -g + q q/m_V^2. The m_l term dies between P_L and P_R; P_L -> 1/2 because the gamma5 part is a
# Levi-Civita tensor that, contracted with the symmetric Pi and only three independent momenta, vanishes.
T_transverse = -trace([k_, "mu", K_, P_, p_, P_, K_, "mu"], GRAM) / 2      # from -g_{mu nu}
T_longitudinal = trace([k_, q_, K_, P_, p_, P_, K_, q_], GRAM) / 2          # from q_mu q_nu (x 1/m_V^2)
T_meson = T_transverse + T_longitudinal / m_v**2


# --- check against explicit Dirac matrices (gamma5 kept), Dirac representation, metric (+,-,-,-)
def _dirac():
    i2 = sp.zeros(2)
    sig = [sp.Matrix([[0, 1], [1, 0]]), sp.Matrix([[0, -sp.I], [sp.I, 0]]), sp.Matrix([[1, 0], [0, -1]])]
    gam = [sp.diag(1, 1, -1, -1)] + [sp.Matrix(sp.BlockMatrix([[i2, s_], [-s_, i2]])) for s_ in sig]
    g5 = sp.I * gam[0] * gam[1] * gam[2] * gam[3]
    return gam, (sp.eye(4) - g5) / 2, (sp.eye(4) + g5) / 2


GAM, PL, PR = _dirac()
METRIC = sp.diag(1, -1, -1, -1)


def _slash(v):
    return sum((METRIC[i, i] * v[i] * GAM[i] for i in range(4)), sp.zeros(4))


def _bar(mat):
    return GAM[0] * mat.H * GAM[0]


def _explicit_meson_sum(kv, qv, pv):
    """Sum over spins and V polarisations of |ubar(k) epsslash* Kslash Pslash P_L v(p)|^2, explicit matrices."""
    m_sym = sp.Symbol("m_any")                      # the mass term of sum v vbar = pslash - m must drop out
    Kv = [a + b for a, b in zip(kv, qv)]
    Pv = [a + b for a, b in zip(Kv, pv)]
    mv2 = sum(METRIC[i, i] * qv[i] ** 2 for i in range(4))
    q_low = [METRIC[i, i] * qv[i] for i in range(4)]
    left = [GAM[mu] * _slash(Kv) * _slash(Pv) * PL for mu in range(4)]
    total = 0
    for mu in range(4):
        for nu in range(4):
            pol = -METRIC[mu, nu] + q_low[mu] * q_low[nu] / mv2
            if pol != 0:
                total += pol * (_slash(kv) * left[mu] * (_slash(pv) - m_sym * sp.eye(4)) * _bar(left[nu])).trace()
    return sp.expand(total), mv2


for kv, qv, pv in [((3, 1, 2, 2), (sp.Rational(5, 2), sp.Rational(1, 2), -1, sp.Rational(3, 2)),
                    (sp.Rational(7, 3), sp.Rational(2, 3), sp.Rational(1, 3), -1)),
                   ((7, 2, 3, 6), (4, -1, 2, 1), (3, 0, -1, 2))]:
    explicit, mv2 = _explicit_meson_sum(kv, qv, pv)

    def _d(a, b):
        return sum(METRIC[i, i] * a[i] * b[i] for i in range(4))

    numeric = T_meson.subs({kq: _d(kv, qv), kp: _d(kv, pv), qp: _d(qv, pv), m_l**2: _d(pv, pv), m_v**2: mv2})
    numeric = numeric.subs({m_v: sp.sqrt(mv2), m_l: sp.sqrt(_d(pv, pv))})
    assert sp.simplify(explicit - numeric) == 0, (explicit, numeric)

# --- Dalitz variables: s = K^2 = (k + q)^2, t = (k + p)^2, and P^2 = m_M^2
s, t = sp.symbols("s t", positive=True)
DALITZ = {kq: (s - m_v**2) / 2, kp: (t - m_l**2) / 2, qp: (m_m**2 - s - t) / 2}
lam, g_f, v_ckm, f_m = sp.symbols("lam g_f v_ckm f_m", positive=True)
T_st = sp.expand(T_meson.subs(DALITZ))
assert sp.Poly(sp.expand(T_st * m_v**2), t).degree() == 1                     # linear in t
MSQ = 2 * g_f**2 * v_ckm**2 * f_m**2 * lam**2 * T_st / s**2                     # C^2 T / K^4
MSQ_compact = sp.collect(sp.factor(sp.expand(T_st * m_v**2)), t)

# longitudinal piece: |q_mu M^mu|^2 survives at m_l = 0 (the current nubar gamma^mu nu is not conserved:
# the weak vertex turns the V-charged nu into the V-neutral l+ and meson)
qM_bracket = (m_m**2 - s) * (s - m_v**2) - s * t                 # >= 0 on the Dalitz plot, not zero
assert sp.expand(T_longitudinal.subs(DALITZ).subs(m_l, 0) - s**2 * qM_bracket) == 0

# --- t integral at fixed s (rest frame of K): t = m_l^2 + 2 E_k (E_p - |p| cos theta)
E_k = (s - m_v**2) / (2 * sp.sqrt(s))
E_p = (m_m**2 - s - m_l**2) / (2 * sp.sqrt(s))
kallen = (m_m**2 - s - m_l**2) ** 2 - 4 * s * m_l**2                         # lambda(m_M^2, s, m_l^2)
p_p = sp.sqrt(kallen) / (2 * sp.sqrt(s))
t_width = sp.simplify(4 * E_k * p_p)                                        # t_+ - t_-
t_mid = sp.expand(m_l**2 + 2 * E_k * E_p)                                   # (t_+ + t_-)/2
a0, a1 = T_st.coeff(t, 0), T_st.coeff(t, 1)
t_integral = sp.factor(sp.expand(a0 + a1 * t_mid)) * t_width                 # int T dt over [t_-, t_+]
# dGamma = sum|M|^2 ds dt/(256 pi^3 m_M^3) (pseudoscalar: no spin average)
DGDS = sp.factor(2 * g_f**2 * v_ckm**2 * f_m**2 * lam**2 * t_integral / (s**2 * 256 * sp.pi**3 * m_m**3))
shape_nu = (s - m_v**2) ** 2 * (s + 2 * m_v**2)
shape_lep = m_m**2 * (s + m_l**2) - (s - m_l**2) ** 2
DGDS_target = (g_f**2 * v_ckm**2 * f_m**2 * lam**2 * shape_nu * sp.sqrt(kallen) * shape_lep
               / (256 * sp.pi**3 * m_m**3 * m_v**2 * s**3))
assert sp.simplify(DGDS - DGDS_target) == 0

# --- factorisation: dGamma/ds = Gamma(M -> l N_s) x sqrt(s) Gamma(N_s -> nu V)/(pi s^2), both derived
kN, pN = sp.symbols("kN pN", real=True)                  # P = k' + p with k'^2 = s
g2 = sp.Matrix([[s, kN], [kN, m_l**2]])
msq_two = 2 * g_f**2 * v_ckm**2 * f_m**2 * trace([(1, 0), (1, 1), (0, 1), (1, 1)], g2) / 2
msq_two = msq_two.subs(kN, (m_m**2 - s - m_l**2) / 2)
width_M_lN = sp.factor(sp.sqrt(kallen) / (2 * m_m) / (8 * sp.pi * m_m**2) * msq_two)
assert sp.simplify(width_M_lN - g_f**2 * v_ckm**2 * f_m**2 * sp.sqrt(kallen) * shape_lep / (8 * sp.pi * m_m**3)) == 0
gN = sp.Matrix([[0, kq], [kq, m_v**2]])                  # N(K) -> nu(k) V(q), K = k + q, K^2 = s
kk, qq, KK = (1, 0), (0, 1), (1, 1)
msq_N = lam**2 * (-trace([kk, "mu", KK, "mu"], gN) + trace([kk, qq, KK, qq], gN) / m_v**2) / 2
msq_N = sp.expand(msq_N.subs(kq, (s - m_v**2) / 2)) / 2          # average over the 2 spins of N
width_N_nuV = sp.factor((s - m_v**2) / (2 * sp.sqrt(s)) / (8 * sp.pi * s) * msq_N)
assert sp.simplify(width_N_nuV - lam**2 * shape_nu / (32 * sp.pi * m_v**2 * s ** sp.Rational(3, 2))) == 0
assert sp.simplify(DGDS - width_M_lN * sp.sqrt(s) * width_N_nuV / (sp.pi * s**2)) == 0

# --- total width, closed forms in two limits; PREF = G^2 V^2 f^2 lam^2 m_M^5/(3072 pi^3 m_V^2)
x, r, y = sp.symbols("x r y", positive=True)          # x = m_V^2/m_M^2, r = m_l^2/m_M^2, y = s/m_M^2
PREF = g_f**2 * v_ckm**2 * f_m**2 * lam**2 * m_m**5 / (3072 * sp.pi**3 * m_v**2)
dens_y = sp.simplify(DGDS_target.subs({s: y * m_m**2, m_v: sp.sqrt(x) * m_m, m_l: sp.sqrt(r) * m_m})
                     * m_m**2 / PREF.subs(m_v, sp.sqrt(x) * m_m))

def _density(root_value):
    return 12 * (y - x) ** 2 * (y + 2 * x) * root_value * (y + r - (y - r) ** 2) / y**3


assert sp.simplify(dens_y - _density(sp.sqrt((1 - y - r) ** 2 - 4 * y * r))) == 0
# (a) m_l -> 0, any m_V: y from x to 1, lambda^(1/2)(1, y, 0) = 1 - y
F_massless = sp.expand(sp.integrate(sp.expand(_density(1 - y).subs(r, 0)), (y, x, 1)))
bracket_319 = 1 + 12 * x**2 * (6 + (3 + 4 * x) * sp.log(x)) - 64 * x**3 - 9 * x**4     # PRD eq. 3.19's bracket
assert sp.simplify(F_massless - bracket_319) == 0
d_ = sp.Symbol("d", positive=True)
assert sp.limit(F_massless, x, 0) == 1
assert sp.simplify(sp.series(F_massless.subs(x, 1 - d_), d_, 0, 6).removeO() - sp.Rational(6, 5) * d_**5) == 0
# (b) m_V -> 0, any m_l: leading 1/m_V^2 term, y from 0 to (1 - sqrt r)^2
dens_light = sp.limit(_density(sp.sqrt((1 - y - r) ** 2 - 4 * y * r)), x, 0)
F_light = sp.integrate(dens_light, (y, 0, (1 - sp.sqrt(r)) ** 2))
F_light = sp.expand_log(sp.expand(F_light.subs(sp.sqrt(r**2 - 2 * r + 1), 1 - r)), force=True)
F_light = sp.expand(sp.simplify(F_light))
F_light_target = 1 + 12 * r**2 - 16 * r**3 + 3 * r**4 + 12 * r**2 * sp.log(r)
assert sp.simplify(F_light - F_light_target) == 0
assert F_light_target.subs(r, 1) == 0 and sp.limit(F_light_target, r, 0) == 1

W_massless = sp.Piecewise((PREF * bracket_319.subs(x, m_v**2 / m_m**2), m_v < m_m), (0, True))
W_light = PREF * F_light_target.subs(r, m_l**2 / m_m**2)

# ---------------------------------------------------------------------------
# Same machinery on PRD eqs. 3.19 (h -> nu nubar V) and 3.20 (W -> l nu V), massless leptons
# ---------------------------------------------------------------------------
m_h, m_w = sp.symbols("m_h m_w", positive=True)
GRAM0 = GRAM.subs(m_l, 0)
# h -> nu(k) nubar(p) V(q) from lam (h/v) nubar gamma^mu P_L nu V_mu (PRD text below eq. 3.19); 1/v^2 = sqrt2 G_F
T_h = (-trace([k_, "mu", p_, "mu"], GRAM0) + trace([k_, q_, p_, q_], GRAM0) / m_v**2) / 2
msq_h = sp.expand(sp.sqrt(2) * g_f * lam**2 * T_h.subs({kq: (s - m_v**2) / 2, kp: t / 2, qp: (m_h**2 - s - t) / 2}))
# W- -> l-(p) nubar(k) V(q), V off the antineutrino; g^2/2 = 2 sqrt2 G_F M_W^2; average over 3 W states
T_w = 0
for w_pol in ("g", "P"):
    for v_pol in ("g", "q"):
        a = "alpha" if w_pol == "g" else P_
        b = "mu" if v_pol == "g" else q_
        term = trace([p_, a, K_, b, k_, b, K_, a], GRAM0) / 2
        T_w += term * (-1 if w_pol == "g" else 1 / m_w**2) * (-1 if v_pol == "g" else 1 / m_v**2)
msq_w = sp.expand(2 * sp.sqrt(2) * g_f * m_w**2 * lam**2 / 3
                  * T_w.subs({kq: (s - m_v**2) / 2, kp: t / 2, qp: (m_w**2 - s - t) / 2}) / s**2)


def _three_body_massless(msq, m_parent):
    """Gamma for massless p, k: t in [0, (M^2 - s)(s - m_V^2)/s], s in [m_V^2, M^2]."""
    dg = sp.integrate(msq, (t, 0, (m_parent**2 - s) * (s - m_v**2) / s)) / (256 * sp.pi**3 * m_parent**3)
    return sp.integrate(sp.expand(sp.factor(dg)), (s, m_v**2, m_parent**2))


hh, ww = sp.symbols("h w", positive=True)
W_h_derived = _three_body_massless(msq_h, m_h)
pref_h = lam**2 * g_f * m_h**5 / (3072 * sp.sqrt(2) * sp.pi**3 * m_v**2)
assert sp.simplify((W_h_derived / pref_h).subs(m_v, sp.sqrt(hh) * m_h) - bracket_319.subs(x, hh)) == 0
W_w_derived = _three_body_massless(msq_w, m_w)
pref_w = lam**2 * g_f * m_w**5 / (512 * sp.sqrt(2) * sp.pi**3 * m_v**2)
bracket_320 = 1 - 8 * ww + 8 * ww**3 - ww**4 - 12 * ww**2 * sp.log(ww)
assert sp.simplify((W_w_derived / pref_w).subs(m_v, sp.sqrt(ww) * m_w) - bracket_320) == 0
W_h = sp.Piecewise((pref_h * bracket_319.subs(x, m_v**2 / m_h**2), m_v < m_h), (0, True))
W_w = sp.Piecewise((pref_w * bracket_320.subs(ww, m_v**2 / m_w**2), m_v < m_w), (0, True))

# ---------------------------------------------------------------------------
# Generated module
# ---------------------------------------------------------------------------
MESON_ARGS = """
        lam : float or ndarray
            Coupling lambda of L ⊃ lam nubar gamma^mu P_L nu V_mu (dimensionless).
        g_f : float
            Fermi constant [GeV^-2].
        v_ckm : float
            CKM element (|V_us| for K+, |V_ud| for pi+), dimensionless.
        f_m : float
            Decay constant f_M [GeV] (<0|A^alpha|M(P)> = i f_M P^alpha; f_pi ≈ 130 MeV).
        m_m : float
            Meson mass [GeV]."""

functions = [
    GeneratedFunction("msq_meson_to_l_nu_v", (lam, g_f, v_ckm, f_m, m_m, m_l, m_v, s, t), MSQ, doc=f"""
        Spin- and polarisation-summed |M|^2 of M+ -> l+ nu V, V radiated off the neutrino.

        2 G_F^2 V^2 f_M^2 lam^2 T(s, t)/s^2 with s = (p_nu + p_V)^2, t = (p_nu + p_l)^2
        (derivations/out/meson_decays.md); dGamma = |M|^2 ds dt/(256 pi^3 m_M^3).

        Parameters
        ----------{MESON_ARGS}
        m_l : float
            Charged-lepton mass [GeV].
        m_v : float or ndarray
            Vector mass [GeV].
        s, t : float or ndarray
            Dalitz variables [GeV^2], inside the physical region.

        Returns
        -------
        float or ndarray
            sum |M|^2 (dimensionless).
        """),
    GeneratedFunction("dwidth_ds_meson_to_l_nu_v", (lam, g_f, v_ckm, f_m, m_m, m_l, m_v, s), DGDS_target, doc=f"""
        dGamma/ds of M+ -> l+ nu V, the t integral done exactly, s = (p_nu + p_V)^2.

        G_F^2 V^2 f_M^2 lam^2 (s - m_V^2)^2 (s + 2 m_V^2) lambda^(1/2)(m_M^2, s, m_l^2)
        [m_M^2 (s + m_l^2) - (s - m_l^2)^2]/(256 pi^3 m_M^3 m_V^2 s^3)
        = Gamma(M -> l N_s) sqrt(s) Gamma(N_s -> nu V)/(pi s^2) for a neutral lepton of mass sqrt(s).
        Valid for m_V^2 <= s <= (m_M - m_l)^2.

        Parameters
        ----------{MESON_ARGS}
        m_l : float
            Charged-lepton mass [GeV].
        m_v : float or ndarray
            Vector mass [GeV].
        s : float or ndarray
            Invariant mass squared of nu V [GeV^2].

        Returns
        -------
        float or ndarray
            dGamma/ds [GeV^-1].
        """),
    GeneratedFunction("width_meson_to_l_nu_v_massless_lepton", (lam, g_f, v_ckm, f_m, m_m, m_v), W_massless,
                      doc=f"""
        Gamma(M+ -> l+ nu V) for m_l -> 0, exact in m_V.

        G_F^2 V^2 f_M^2 lam^2 m_M^5/(3072 pi^3 m_V^2) [1 + 12 x^2 (6 + (3 + 4x) ln x) - 64 x^3 - 9 x^4],
        x = m_V^2/m_M^2 (the bracket of PRD eq. 3.19); zero for m_V >= m_M. Not for pi+ -> mu+
        (m_mu^2/m_pi^2 = 0.57): use the numerical integral of dwidth_ds_meson_to_l_nu_v.

        Parameters
        ----------{MESON_ARGS}
        m_v : float or ndarray
            Vector mass [GeV].

        Returns
        -------
        float or ndarray
            Gamma [GeV].
        """),
    GeneratedFunction("width_meson_to_l_nu_v_light_vector", (lam, g_f, v_ckm, f_m, m_m, m_l, m_v), W_light,
                      doc=f"""
        Leading light-V term of Gamma(M+ -> l+ nu V), exact in m_l (relative corrections O(m_V^2/m_M^2)).

        G_F^2 V^2 f_M^2 lam^2 m_M^5/(3072 pi^3 m_V^2) [1 + 12 r^2 - 16 r^3 + 3 r^4 + 12 r^2 ln r],
        r = m_l^2/m_M^2 (longitudinal V: the 1/m_V^2 growth).

        Parameters
        ----------{MESON_ARGS}
        m_l : float
            Charged-lepton mass [GeV].
        m_v : float or ndarray
            Vector mass [GeV] (<< m_M - m_l).

        Returns
        -------
        float or ndarray
            Gamma [GeV].
        """),
    GeneratedFunction("width_h_to_nu_nu_v", (lam, g_f, m_h, m_v), W_h, doc="""
        Gamma(h -> nu nubar V) from lam (h/v) nubar gamma^mu P_L nu V_mu, derived (massless nu).

        lam^2 G_F M_H^5/(3072 sqrt2 pi^3 m_V^2) [1 + 12 h^2 (6 + (3 + 4h) ln h) - 64 h^3 - 9 h^4],
        h = m_V^2/M_H^2; zero for m_V >= M_H. PRD eq. 3.19 with G_F (the printed G_F^2 does not
        have the dimension of a width; see derivations/out/meson_decays.md).

        Parameters
        ----------
        lam : float or ndarray
            Coupling lambda_mumu (dimensionless).
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
    GeneratedFunction("width_w_to_l_nu_v", (lam, g_f, m_w, m_v), W_w, doc="""
        Gamma(W -> l nu V), V radiated off the neutrino, derived (massless l and nu).

        lam^2 G_F M_W^5/(512 sqrt2 pi^3 m_V^2) [1 - 8w + 8w^3 - w^4 - 12 w^2 ln w], w = m_V^2/M_W^2;
        zero for m_V >= M_W. PRD eq. 3.20 with G_F instead of the printed G_F^2 and 1 - 8w instead
        of the printed 1 - w (derivations/out/meson_decays.md).

        Parameters
        ----------
        lam : float or ndarray
            Coupling lambda_mumu (dimensionless).
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
]

write_module("meson_decays", SCRIPT, """
    Three-body decays with a neutrinophilic vector V radiated off the neutrino (GeV):
    M+ -> l+ nu V (|M|^2, dGamma/ds, closed-form limits), h -> nu nubar V and W -> l nu V.
    Derivation and checks: derivations/out/meson_decays.md.
    """, functions)

# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------
r_k, r_pi = sp.Rational(493677, 105658) ** -2, sp.Rational(139570, 105658) ** -2       # PDG masses (MeV)
entries = [
    ReportEntry(
        "Amplitude and |M|^2 of M+ -> l+ nu V",
        r"\mathcal M = \sqrt2 G_F V f_M\lambda\,\frac{\bar u(k)\,\not\epsilon^*\not K\not P P_L v(p)}{K^2}"
        r"= \sqrt2 G_F V f_M\lambda\Big[\bar u\not\epsilon^* P_L v"
        r" - \frac{m_l}{K^2}\bar u\not\epsilon^*\not K P_R v\Big],"
        r"\quad \sum|\mathcal M|^2 = \frac{2G_F^2V^2f_M^2\lambda^2}{m_V^2 s^2}\Big[" + L(MSQ_compact) + r"\Big]",
        "PRD Sec. III E (the process and the experimental limits; the printed formula is illegible in the dump)",
        "not comparable term by term (see the total width)",
        "Vertex i lam gamma^mu P_L of L ⊃ lam nubar gamma^mu P_L nu V_mu (qke/models/vector.py), "
        "K = k + q the internal neutrino, s = K^2, t = (k + p)^2, P^2 = m_M^2. Traces by an "
        "abstract-vector routine, asserted equal to explicit Dirac matrices with gamma5 and the "
        "m_l term of v vbar at two exact rational kinematic points. The first term of the "
        "reduced amplitude is not helicity suppressed: with the neutrino off shell (K^2 = s > 0) and "
        "V carrying spin, angular momentum no longer forces the m_l factor of M -> l nu.",
    ),
    ReportEntry(
        "Longitudinal enhancement",
        r"\sum|q_\mu\mathcal M^\mu|^2\big|_{m_l=0} = 2G_F^2V^2f_M^2\lambda^2\Big[" + L(qM_bracket) + r"\Big]",
        "PRD Sec. III B-E (1/m_V^2 growth, 'longitudinal component'); Bakhti & Farzan, PRD 95 (2017) "
        "095008 [arXiv:1702.04187], abstract: enhancement (m_M/m_V)^2",
        "yes",
        "q_mu M^mu does not vanish even for m_l = 0: V couples to neutrino number, which the "
        "charged-current vertex violates (nu_mu turns into the V-neutral mu+ and meson). So it is "
        "not a lepton-mass effect; a V coupled to L_mu (mu and nu_mu alike) would have emission "
        "from the muon too and the current would be conserved. The q q/m_V^2 term of the "
        "polarisation sum then gives Gamma ∝ m_M^5/m_V^2.",
    ),
    ReportEntry(
        "dGamma/ds (t integrated exactly) and its factorisation",
        r"\frac{d\Gamma}{ds} = " + L(DGDS_target)
        + r" = \Gamma(M\to l N_{\sqrt s})\,\frac{\sqrt s\,\Gamma(N_{\sqrt s}\to\nu V)}{\pi s^2}",
        "Gamma(P -> l N) of a heavy neutral lepton: Shrock, PRD 24 (1981) 1232, "
        "G^2 f^2 V^2 M^3/(8 pi) lambda^(1/2)(1, r, y)[r + y - (r - y)^2]; N -> nu V has the t -> b W shape",
        "yes (both two-body widths re-derived with the same traces; the identity is asserted)",
        "The t-dependence is linear, so the t integral is exact. Gamma(M -> l N) = "
        "G_F^2 V^2 f^2 lambda^(1/2) [m_M^2 (s + m_l^2) - (s - m_l^2)^2]/(8 pi m_M^3) reduces to the "
        "standard P -> l nu width at s = 0; Gamma(N -> nu V) = lam^2 (s - m_V^2)^2 (s + 2 m_V^2)/"
        "(32 pi m_V^2 s^(3/2)).",
    ),
    ReportEntry(
        "Total width, m_l -> 0 (exact in m_V)",
        r"\Gamma = \frac{G_F^2V^2f_M^2\lambda^2 m_M^5}{3072\pi^3 m_V^2}\Big[" + L(F_massless) + r"\Big],"
        r"\ x = m_V^2/m_M^2",
        "PRD Sec. III E: 'analytically, Gamma(m+ -> mu+ nu_mu V) ≈ ... (m_mu -> 0)'; the formula itself "
        "is not legible in the seed dump",
        "cannot be compared number by number; the bracket is exactly that of PRD eq. 3.19 (asserted), "
        "as it must be: for m_l = 0 only the contact term ubar epsslash P_L v survives, the same "
        "structure as the h nubar gamma nu V operator with lam/v -> sqrt2 G_F V f_M lam",
        "-> 1 for x -> 0 and vanishes at threshold as (6/5)(1 - x)^5 (asserted). Relative to "
        "M -> l nu: Gamma_3/Gamma_2 ≈ lam^2 m_M^4/(384 pi^2 m_V^2 m_l^2) for light V.",
    ),
    ReportEntry(
        "Total width, m_V -> 0 (exact in m_l)",
        r"\Gamma \simeq \frac{G_F^2V^2f_M^2\lambda^2 m_M^5}{3072\pi^3 m_V^2}\Big[" + L(F_light_target)
        + r"\Big],\ r = m_l^2/m_M^2",
        "derived here (no published counterpart found)",
        "n/a",
        "Leading term; corrections O(m_V^2/m_M^2). The bracket is "
        f"{float(F_light_target.subs(r, r_k)):.4f} for K+ -> mu+ (r = {float(r_k):.4f}) and "
        f"{float(F_light_target.subs(r, r_pi)):.4f} for pi+ -> mu+ (r = {float(r_pi):.4f}): the muon "
        "mass cannot be neglected for the pion. The general (m_l, m_V) width has no closed form "
        "from SymPy; qke/physics/limits.py integrates dGamma/ds over s numerically (Gauss-Legendre) "
        "and tests/test_meson_limits.py checks it against an independent scipy double integral of |M|^2.",
    ),
    ReportEntry(
        "Check of the machinery: h -> nu nubar V (PRD eq. 3.19)",
        r"\Gamma = \frac{\lambda^2 G_F M_H^5}{3072\sqrt2\pi^3 m_V^2}\Big[" + L(sp.expand(bracket_319.subs(x, hh)))
        + r"\Big]",
        "PRD eq. 3.19 (dump): |lam|^2 G_F^2 M_H^5/(3072 sqrt2 pi^3 m_V^2)[same bracket]",
        "bracket and number yes; power of G_F no: the printed G_F^2 M_H^5/m_V^2 has dimension GeV^-1",
        "Derived from the operator lam (h/v) nubar gamma^mu P_L nu V_mu named in the PRD below eq. "
        "3.19, with 1/v^2 = sqrt2 G_F: one power of G_F. The PRD's own statements need this. With "
        "G_F the Br < 24 % bound is lam < 2.2e-3 (m_V/100 MeV): the lower black curve of qke's Fig. 6 "
        "survives only for 5 MeV < m_V < 0.4 GeV ('still allows a region with m_V ~ 100 MeV'), and the "
        "K+ limit (5.1e-4 at 10 MeV) is weaker than the Higgs one (2.2e-4), as Sec. III E says. With "
        "G_F^2 the bound would be lam < 0.64 (m_V/100 MeV), allowing the whole lower black curve and "
        "weaker than the meson limit. The code before this derivation (generated "
        "decay_widths.width_h_to_nu_nu_v) carried G_F^2; qke.physics.limits now uses "
        "meson_decays.width_h_to_nu_nu_v.",
    ),
    ReportEntry(
        "Check of the machinery: W -> l nu V (PRD eq. 3.20)",
        r"\Gamma = \frac{\lambda^2 G_F M_W^5}{512\sqrt2\pi^3 m_V^2}\Big[" + L(bracket_320) + r"\Big]",
        "PRD eq. 3.20 (dump): |lam|^2 G_F^2 M_W^5/(512 sqrt2 pi^3 m_V^2)[1 - w - 12 w^2 ln w + 8 w^3 - w^4]",
        "no, twice: G_F, not G_F^2 (dimension), and 1 - 8w, not 1 - w (re-derived; the printed bracket "
        "does not vanish at threshold)",
        "W- -> l- nubar V with g^2/2 = 2 sqrt2 G_F M_W^2, average over the 3 W polarisations, all four "
        "terms of the two polarisation sums kept. This confirms the corrected bracket already used by "
        "decay_widths.width_w_to_mu_nu_v (which was not re-derived there) and fixes its G_F^2; "
        "qke.physics.limits now uses meson_decays.width_w_to_l_nu_v.",
    ),
]

write_report("meson_decays", "Meson decays M+ -> l+ nu V (and h, W -> ... V)", """
    Derivation script: `derivations/meson_decays.py`; generated module:
    `qke/generated/meson_decays.py`. Units: GeV. Coupling L ⊃ lam nubar gamma^mu P_L nu V_mu
    (the PRD's lambda_mumu, qke/models/vector.py); Fermi interaction with
    <0|A^alpha|M+(P)> = i f_M P^alpha. Sources: Kelly, Sen, Tangarife & Zhang, PRD 101 (2020)
    115031 [arXiv:2005.03681], Sec. III B, C, E (limits Br(K+ -> mu+ nu nu nubar) < 2.4e-6,
    Br(pi+ -> mu+ nu nu nubar) < 5e-6); Bakhti & Farzan, PRD 95 (2017) 095008; Shrock, PRD 24
    (1981) 1232. Three-body phase space dGamma = sum|M|^2 ds dt/(256 pi^3 M^3).
    """, entries)
