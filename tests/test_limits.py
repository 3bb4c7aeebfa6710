"""Closed forms behind the PRL/PRD limits (qke.physics.limits): thresholds, scalings, known numbers."""
import numpy as np
import pytest
from scipy.integrate import dblquad

from qke import constants as c
from qke.generated import cross_sections as cs
from qke.generated import decay_widths as dw
from qke.physics import limits as L

M4, S22 = 7.1e-6, 7e-11          # PRL benchmark


def test_sin2_theta():
    assert L.sin2_theta(1.0) == pytest.approx(0.5)
    assert L.sin2_theta(4e-12) == pytest.approx(1e-12, rel=1e-11)


def test_nu4_to_3nu_scalings_and_sm_normalisation():
    w = L.width_nu4_to_3nu(M4, S22, 0.01, 1e-2, "vector", majorana=False)
    assert L.width_nu4_to_3nu(2 * M4, S22, 0.01, 1e-2, "vector", False) == pytest.approx(32 * w, rel=1e-9)
    assert L.width_nu4_to_3nu(M4, S22, 0.02, 1e-2, "vector", False) == pytest.approx(w / 16)
    assert L.width_nu4_to_3nu(M4, S22, 0.01, 2e-2, "vector", False) == pytest.approx(16 * w)
    assert L.width_nu4_to_3nu(M4, S22, 0.01, 1e-2, "vector", True) == pytest.approx(2 * w)
    # scalar / vector = ratio of the generated heavy-mediator cross sections = 1/16
    ratio = (cs.sigma_scalar_nunu_heavy(1.0, 1.0, 1.0) + cs.sigma_scalar_nunubar_heavy(1.0, 1.0, 1.0)) / (
        cs.sigma_vector_nunu_heavy(1.0, 1.0, 1.0) + cs.sigma_vector_nunubar_heavy(1.0, 1.0, 1.0))
    assert L.width_nu4_to_3nu(M4, S22, 0.01, 1e-2, "scalar", False) / w == pytest.approx(ratio)
    # lam -> g/(2 cos theta_W), m -> M_Z: the SM Z-exchange width into the same flavour,
    # 2 G_F^2 m^5 sin^2(theta)/(768 pi^3) (cos^6 theta kept)
    lam_z = np.sqrt(np.sqrt(2) * c.G_F) * c.M_Z
    s2 = L.sin2_theta(S22)
    sm = 2 * c.G_F**2 * M4**5 * s2 * (1 - s2) ** 3 / (768 * np.pi**3)
    assert L.width_nu4_to_3nu(M4, S22, c.M_Z, lam_z, "vector", False) == pytest.approx(sm, rel=1e-12)


def test_nu4_to_nu_phi_threshold():
    g = L.width_nu4_to_nu_phi(M4, S22, np.array([0.0, 0.5 * M4, M4, 2 * M4]), 0.1)
    s2 = L.sin2_theta(S22)
    assert g[0] == pytest.approx(dw.width_nus_to_nu_phi(0.1 * np.sqrt(s2 * (1 - s2)), M4))
    assert g[1] == pytest.approx(g[0] * 0.75**2)
    assert g[2] == 0 and g[3] == 0


def test_nu4_to_nu_gamma_known_number():
    # Majorana: 1.38e-29 s^-1 (sin^2 2theta/1e-7) (m/keV)^5 (Abazajian, Fuller & Tucker 2001)
    rate = L.width_nu4_to_nu_gamma(1e-6, 1e-7) / c.HBAR_GEV_S
    assert rate == pytest.approx(1.38e-29, rel=1e-2)
    assert L.width_nu4_to_nu_gamma(1e-6, 1e-7, majorana=False) == pytest.approx(0.5 * rate * c.HBAR_GEV_S)


def test_nu4_lifetime():
    # without the mediator: the SM lifetime, >> age of the Universe
    tau0 = L.nu4_lifetime(M4, S22, 1.0, 0.0)
    assert tau0 > 1e25 and L.nu4_outlives_universe(M4, S22, 1.0, 0.0)
    # a strong light mediator makes nu_4 decay (PRL Fig. 2, brown)
    assert not L.nu4_outlives_universe(M4, S22, 2e-3, 1.0)
    lam = np.array([1e-4, 1.0])
    tau = L.nu4_lifetime(M4, S22, 0.01, lam, "vector")
    assert tau[0] > tau[1] and tau.shape == (2,)
    assert L.AGE_OF_UNIVERSE_S == pytest.approx(4.35e17, rel=1e-2)


def test_bbn_and_gf_line():
    assert list(L.bbn_allowed(np.array([1e-3, 4e-3, 6e-3]))) == [False, False, True]
    m = np.geomspace(1e-3, 10, 5)
    np.testing.assert_allclose(L.g_eff(m, L.coupling_on_gf_line(m)), c.G_F, rtol=1e-14)


def test_higgs_invisible():
    mh = c.M_H
    small = L.width_h_to_nu_nu_v(1.0, 1e-3)
    # one power of G_F (the lam h nubar gamma nu V/v operator, 1/v^2 = sqrt2 G_F): a width [GeV]
    assert small == pytest.approx(c.G_F * mh**5 / (3072 * np.sqrt(2) * np.pi**3 * 1e-6), rel=1e-6)
    v_higgs = 246.21965                                                              # (sqrt2 G_F)^(-1/2), GeV
    assert small == pytest.approx(mh**5 / (6144 * np.pi**3 * v_higgs**2 * 1e-6), rel=1e-5)
    assert L.width_h_to_nu_nu_v(1.0, 2e-3) == pytest.approx(small / 4, rel=1e-6)   # 1/m_V^2
    near = L.width_h_to_nu_nu_v(1.0, mh * (1 - 1e-3))
    assert near < 1e-12 * L.width_h_to_nu_nu_v(1.0, 1.0)                          # ∝ (1 - h)^5
    assert L.width_h_to_nu_nu_v(1.0, 1.2 * mh) == 0
    m = np.array([1e-3, 0.1, 10.0])
    lim = L.coupling_limit_h_invisible(m)
    np.testing.assert_allclose(L.br_h_to_nu_nu_v(lim, m), L.BR_H_INVISIBLE_LIMIT, rtol=1e-12)
    assert lim[1] / lim[0] == pytest.approx(100, rel=1e-4)                          # lam_max ∝ m_V
    assert np.isinf(L.coupling_limit_h_invisible(200.0))


def test_w_width():
    mw = c.M_W
    small = L.width_w_to_mu_nu_v(1.0, 1e-3)
    assert small == pytest.approx(c.G_F * mw**5 / (512 * np.sqrt(2) * np.pi**3 * 1e-6), rel=1e-6)
    assert L.width_w_to_mu_nu_v(1.0, mw * (1 - 1e-3)) < 1e-12 * small
    lim = L.coupling_limit_w_width(np.array([1e-3, 1.0]))
    np.testing.assert_allclose(L.width_w_to_mu_nu_v(lim, np.array([1e-3, 1.0])), L.DELTA_GAMMA_W, rtol=1e-12)


def test_k_to_mu_nu_phi():
    M = L.M_K
    # m_l, m_phi -> 0: G_F^2 |V|^2 f^2 lam^2 M^3/(768 pi^3)
    g0 = L.width_meson_to_lepton_nu_phi(0.3, 1e-9, M, 1e-9, L.F_K, L.V_US)
    assert g0 == pytest.approx(c.G_F**2 * L.V_US**2 * L.F_K**2 * 0.09 * M**3 / (768 * np.pi**3), rel=1e-9)
    # brute-force Dalitz integral of the same |M|^2, with muon and scalar masses
    ml, mp = c.M_MU, 0.1

    def msq(s12, s23):
        kp, kq, pq = (s12 - ml**2) / 2, (s23 - mp**2) / 2, (M**2 - ml**2 - s23) / 2
        return 2 * c.G_F**2 * L.V_US**2 * L.F_K**2 * (
            2 * s23**2 * kp + 4 * ml**2 * s23 * kq + 2 * ml**2 * (2 * kq * pq - s23 * kp)) / s23**2

    def s12_range(s23):
        rs = np.sqrt(s23)
        e2, e1 = (s23 - mp**2) / (2 * rs), (M**2 - s23 - ml**2) / (2 * rs)
        p1 = np.sqrt(max(e1**2 - ml**2, 0.0))
        return (e1 + e2) ** 2 - (p1 + e2) ** 2, (e1 + e2) ** 2 - (p1 - e2) ** 2

    brute = dblquad(msq, mp**2, (M - ml) ** 2, lambda s: s12_range(s)[0], lambda s: s12_range(s)[1],
                    epsrel=1e-8)[0] / (256 * np.pi**3 * M**3)
    assert L.width_meson_to_lepton_nu_phi(1.0, mp) == pytest.approx(brute, rel=1e-4)
    # threshold, coupling scaling, broadcasting
    g = L.width_meson_to_lepton_nu_phi(np.array([[1.0], [2.0]]), np.array([0.01, M - ml - 1e-4, M]))
    assert g.shape == (2, 3) and g[0, 2] == 0 and g[0, 1] < 1e-9 * g[0, 0]
    assert g[1, 0] == pytest.approx(4 * g[0, 0])
    # SM normalisation: Gamma(K -> mu nu)/Gamma_K = Br(K -> mu nu) within 2%
    gamma_k = c.HBAR_GEV_S / 1.238e-8
    assert L.width_meson_to_lepton_nu(M, ml, L.F_K, L.V_US) / gamma_k == pytest.approx(L.BR_K_MU_NU, rel=2e-2)
    # the coupling limit saturates the E949 bound
    m = np.array([1e-3, 0.1, 0.3])
    np.testing.assert_allclose(L.br_k_to_mu_nu_phi(L.coupling_limit_k_to_mu_nu_phi(m), m),
                               L.BR_K_MU_3NU_LIMIT, rtol=1e-12)
