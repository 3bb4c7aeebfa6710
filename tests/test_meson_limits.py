"""M+ -> mu+ nu V with a neutrinophilic vector (PRD Sec. III E, Fig. 6): |M|^2, width, limits.

Independent code paths: |M|^2 from explicit numerical Dirac matrices and 4-momenta in the meson
rest frame; the width from scipy's double integral over the Dalitz plot.
"""
import numpy as np
import pytest
from scipy.integrate import dblquad

from qke import constants as c
from qke.generated import meson_decays as md
from qke.physics import limits as L

ML = c.M_MU


# --- explicit Dirac algebra (Dirac representation, metric +,-,-,-) ------------------------------
_S = [np.array([[0, 1], [1, 0]], complex), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]], complex)]
_Z = np.zeros((2, 2), complex)
_G = [np.diag([1, 1, -1, -1]).astype(complex)] + [np.block([[_Z, s], [-s, _Z]]) for s in _S]
_G5 = 1j * _G[0] @ _G[1] @ _G[2] @ _G[3]
_PL, _PR = (np.eye(4) - _G5) / 2, (np.eye(4) + _G5) / 2
_METRIC = np.diag([1.0, -1.0, -1.0, -1.0])


def _sl(v):
    return sum(_METRIC[i, i] * v[i] * _G[i] for i in range(4))


def _momenta(M, ml, mv, s, t):
    """k (nu), q (V), p (l+) in the meson rest frame for s = (k + q)^2, t = (k + p)^2."""
    u = M**2 + ml**2 + mv**2 - s - t                       # (q + p)^2 = (P - k)^2
    e_p, e_k = (M**2 + ml**2 - s) / (2 * M), (M**2 - u) / (2 * M)
    ap = np.sqrt(e_p**2 - ml**2)
    cos = (e_k * e_p - 0.5 * (t - ml**2)) / (e_k * ap)
    p = np.array([e_p, 0.0, 0.0, ap])
    k = e_k * np.array([1.0, np.sqrt(1 - cos**2), 0.0, cos])
    q = np.array([M, 0.0, 0.0, 0.0]) - k - p
    return k, q, p


def _msq_dirac(lam, M, ml, mv, s, t, f=L.F_K, v=L.V_US):
    """sum over spins and the 3 V polarisations of |sqrt2 G_F V f lam ubar(k) eps* Kslash Pslash P_L v(p)/K^2|^2."""
    k, q, p = _momenta(M, ml, mv, s, t)
    assert np.dot(q, _METRIC @ q) == pytest.approx(mv**2, rel=1e-8)
    K, P = k + q, k + q + p
    q_low = _METRIC @ q
    amp = [_G[mu] @ _sl(K) @ _sl(P) @ _PL for mu in range(4)]
    bar = [_G[0] @ a.conj().T @ _G[0] for a in amp]
    total = 0.0
    for mu in range(4):
        for nu in range(4):
            pol = -_METRIC[mu, nu] + q_low[mu] * q_low[nu] / mv**2
            if pol:
                total += pol * np.trace(_sl(k) @ amp[mu] @ (_sl(p) - ml * np.eye(4)) @ bar[nu]).real
    return 2 * c.G_F**2 * v**2 * f**2 * lam**2 * total / np.dot(K, _METRIC @ K) ** 2


def _t_range(M, ml, mv, s):
    ek, ep = (s - mv**2) / (2 * np.sqrt(s)), (M**2 - s - ml**2) / (2 * np.sqrt(s))
    pp = np.sqrt(max(ep**2 - ml**2, 0.0))
    return ml**2 + 2 * ek * (ep - pp), ml**2 + 2 * ek * (ep + pp)


@pytest.mark.parametrize("M, mv", [(L.M_K, 0.05), (L.M_K, 0.3), (c.M_PI, 0.01)])
def test_generated_msq_equals_explicit_dirac_traces(M, mv):
    rng = np.random.default_rng(3)
    for _ in range(4):
        s = mv**2 + ((M - ML) ** 2 - mv**2) * rng.uniform(0.05, 0.95)
        lo, hi = _t_range(M, ML, mv, s)
        t = lo + (hi - lo) * rng.uniform(0.05, 0.95)
        gen = md.msq_meson_to_l_nu_v(0.1, c.G_F, L.V_US, L.F_K, M, ML, mv, s, t)
        assert gen == pytest.approx(_msq_dirac(0.1, M, ML, mv, s, t), rel=1e-9)


def _brute_width(M, mv, f=L.F_K, v=L.V_US):
    def msq(t, s):
        return md.msq_meson_to_l_nu_v(1.0, c.G_F, v, f, M, ML, mv, s, t)

    val = dblquad(msq, mv**2, (M - ML) ** 2, lambda s: _t_range(M, ML, mv, s)[0],
                  lambda s: _t_range(M, ML, mv, s)[1], epsrel=1e-9, epsabs=0.0)[0]
    return val / (256 * np.pi**3 * M**3)


@pytest.mark.parametrize("M, mv", [(L.M_K, 0.002), (L.M_K, 0.05), (L.M_K, 0.3), (c.M_PI, 0.001), (c.M_PI, 0.02)])
def test_width_against_dalitz_double_integral(M, mv):
    assert L.width_meson_to_lepton_nu_v(1.0, mv, M, ML, L.F_K, L.V_US) == pytest.approx(_brute_width(M, mv), rel=1e-6)


def test_width_scales_as_lambda_squared_and_broadcasts():
    g = L.width_meson_to_lepton_nu_v(np.array([[1e-3], [2e-3]]), np.array([0.01, 0.1, 0.5]))
    assert g.shape == (2, 3)
    np.testing.assert_allclose(g[1], 4 * g[0], rtol=1e-14)
    assert g[0, 2] == 0.0                                           # m_V > m_K - m_mu: closed


@pytest.mark.parametrize("M", [L.M_K, c.M_PI])
def test_light_vector_limit_is_one_over_mv_squared(M):
    mv = np.array([1e-4, 2e-4])
    g = L.width_meson_to_lepton_nu_v(1.0, mv, M, ML, L.F_K, L.V_US, n_nodes=128)
    assert g[0] / g[1] == pytest.approx(4.0, rel=1e-4)
    light = md.width_meson_to_l_nu_v_light_vector(1.0, c.G_F, L.V_US, L.F_K, M, ML, mv[0])
    assert g[0] == pytest.approx(light, rel=1e-4)
    # the bracket of the light-V limit: m_l^2/m_M^2 = r; 1 at r = 0; the pion's is ~0.06
    r = (ML / M) ** 2
    bracket = light * 3072 * np.pi**3 * mv[0] ** 2 / (c.G_F**2 * L.V_US**2 * L.F_K**2 * M**5)
    assert bracket == pytest.approx(1 + 12 * r**2 - 16 * r**3 + 3 * r**4 + 12 * r**2 * np.log(r), rel=1e-12)


def test_massless_lepton_limit_exact_in_mv():
    M, tiny = L.M_K, 1e-7
    mv = np.array([1e-3, 0.05, 0.2, 0.4, 0.45])   # nearer threshold the closed bracket cancels (~(1-x)^5)
    num = L.width_meson_to_lepton_nu_v(1.0, mv, M, tiny, L.F_K, L.V_US, n_nodes=128)
    closed = md.width_meson_to_l_nu_v_massless_lepton(1.0, c.G_F, L.V_US, L.F_K, M, mv)
    np.testing.assert_allclose(num, closed, rtol=1e-6)
    assert md.width_meson_to_l_nu_v_massless_lepton(1.0, c.G_F, L.V_US, L.F_K, M, 0.6) == 0


@pytest.mark.parametrize("M", [L.M_K, c.M_PI])
def test_width_vanishes_at_the_kinematic_endpoint(M):
    end = M - ML
    mv = end * np.array([0.5, 1 - 1e-2, 1 - 1e-3, 1.0, 1.1])
    g = L.width_meson_to_lepton_nu_v(1.0, mv, M, ML, L.F_K, L.V_US)
    assert np.all(g[:3] > 0) and g[3] == 0 and g[4] == 0
    assert g[2] < g[1] < g[0] and g[2] < 1e-6 * g[0]


def test_br_and_coupling_limits():
    m = np.array([0.005, 0.01, 0.03, 0.1, 0.3])
    for meson, (mass, _, br_max) in L.MESONS.items():
        lim = L.coupling_limit_meson_to_mu_nu_v(m, meson)
        ok = m < mass - ML
        np.testing.assert_allclose(L.br_meson_to_mu_nu_v(lim[ok], m[ok], meson), br_max, rtol=1e-12)
        assert np.all(np.isinf(lim[~ok]))
    # Br = Br(M -> mu nu) Gamma_3/Gamma_2 with f and V cancelling: the absolute K+ width agrees
    gamma_2 = L.width_meson_to_lepton_nu(L.M_K, ML, L.F_K, L.V_US)
    br = L.br_meson_to_mu_nu_v(1e-3, 0.05, "K")
    assert br == pytest.approx(L.BR_K_MU_NU * L.width_meson_to_lepton_nu_v(1e-3, 0.05) / gamma_2, rel=1e-12)
    assert L.coupling_limit_meson_to_mu_nu_v(0.01, "pi", br_max=8.6e-6) > L.coupling_limit_meson_to_mu_nu_v(0.01, "pi")
    with pytest.raises(ValueError):
        L.br_meson_to_mu_nu_v(1.0, 0.01, "D")


def test_numbers_and_the_prd_ordering_of_limits():
    """Bound at m_V = 10 MeV, and PRD Sec. III E: the meson limit is weaker than the Higgs-invisible one."""
    assert L.coupling_limit_meson_to_mu_nu_v(0.01, "K") == pytest.approx(5.09e-4, rel=1e-2)
    assert L.coupling_limit_meson_to_mu_nu_v(0.01, "pi") == pytest.approx(1.55e-2, rel=1e-2)
    # light V: lam_max ∝ m_V
    assert L.coupling_limit_meson_to_mu_nu_v(2e-3, "K") / L.coupling_limit_meson_to_mu_nu_v(1e-3, "K") == \
        pytest.approx(2.0, rel=1e-4)
    m = np.geomspace(5e-3, 0.35, 30)
    assert np.all(L.coupling_limit_meson_to_mu_nu_v(m, "K") > L.coupling_limit_h_invisible(m))
    assert np.all(L.coupling_limit_meson_to_mu_nu_v(m, "pi") >= L.coupling_limit_meson_to_mu_nu_v(m, "K"))
