"""Checks of the generated decay widths (qke/generated/decay_widths.py)."""
import numpy as np

from qke.generated import decay_widths as W

G_F, M_W, M_H, M_MU, M_TAU, ALPHA = 1.1663787e-5, 80.377, 125.25, 0.1056584, 1.77686, 1 / 137.036


def test_lmu_ltau_width_thresholds_and_limits():
    g = 1e-3
    # below the muon threshold only neutrinos: g^2 m_V/(12 pi)
    m = 0.1
    assert np.isclose(W.width_lmu_ltau(m, g, M_MU, M_TAU), g**2 * m / (12 * np.pi))
    # continuity at the muon threshold (phase space opens as sqrt)
    thr = 2 * M_MU
    assert np.isclose(W.width_lmu_ltau(thr * (1 - 1e-9), g, M_MU, M_TAU),
                      W.width_lmu_ltau(thr * (1 + 1e-9), g, M_MU, M_TAU), rtol=1e-4)
    # far above both thresholds: 3 x neutrino value
    m = 1e4
    assert np.isclose(W.width_lmu_ltau(m, g, M_MU, M_TAU), 3 * g**2 * m / (12 * np.pi), rtol=1e-6)
    mv = np.logspace(-2, 2, 40)[:, None] * np.ones((1, 3))
    out = W.width_lmu_ltau(mv, g, M_MU, M_TAU)
    assert out.shape == (40, 3) and np.all(out > 0)
    ratio = out / (g**2 * mv / (12 * np.pi))
    assert np.all(np.diff(ratio[:, 0]) >= -1e-12) and ratio.max() <= 3


def test_printed_higgs_width_keeps_the_published_form():
    """The PRD's printed eq. 3.19 (G_F^2: a typo, see meson_decays); its bracket and threshold are right."""
    lam = 1e-2
    mv = np.array([1e-3, 1.0, 60.0, 124.0, 125.25, 200.0])
    out = W.width_h_to_nu_nu_v_printed(lam, G_F, M_H, mv)
    assert out.shape == mv.shape
    assert np.all(out[:4] > 0) and np.all(out[4:] == 0)
    light = lam**2 * G_F**2 * M_H**5 / (3072 * np.sqrt(2) * np.pi**3 * mv[0] ** 2)
    assert np.isclose(out[0], light, rtol=1e-6)          # 1/m_V^2 behaviour
    h = (124.0 / M_H) ** 2
    near = lam**2 * G_F**2 * M_H**5 / (3072 * np.sqrt(2) * np.pi**3 * 124.0**2) * 1.2 * (1 - h) ** 5
    assert np.isclose(out[3], near, rtol=0.1)


def test_printed_w_width_keeps_the_published_form():
    """The PRD's eq. 3.20 with its printed G_F^2 and the corrected bracket (1 - 8w ...)."""
    lam = 1e-2
    mv = np.array([1e-3, 1.0, 40.0, 80.0, 80.377, 100.0])
    out = W.width_w_to_mu_nu_v_printed(lam, G_F, M_W, mv)
    assert np.all(out[:4] > 0) and np.all(out[4:] == 0)
    light = lam**2 * G_F**2 * M_W**5 / (512 * np.sqrt(2) * np.pi**3 * mv[0] ** 2)
    assert np.isclose(out[0], light, rtol=1e-6)
    # vanishes continuously at threshold
    assert W.width_w_to_mu_nu_v_printed(lam, G_F, M_W, M_W * (1 - 1e-3)) < 1e-12 * light


def test_sterile_decays():
    # Berlin-Hooper eq. 10 numbers: 9 G_F^2 alpha m^5 s/(2048 pi^4); Majorana value is twice
    m_s, s22 = 7.1e-6, 7e-11
    gam = W.width_nus_to_nu_gamma(s22, m_s, G_F, ALPHA)
    assert np.isclose(gam, 9 * G_F**2 * ALPHA * m_s**5 * s22 / (2048 * np.pi**4))
    # Majorana reference (Abazajian et al.): 1.38e-29 s^-1 (s22/1e-7)(m/keV)^5, hbar = 6.582e-25 GeV s
    maj = 2 * W.width_nus_to_nu_gamma(1e-7, 1e-6, G_F, ALPHA) / 6.582e-25
    assert abs(maj / 1.38e-29 - 1) < 0.02
    assert np.isclose(W.width_nus_to_nu_phi(1e-10, 1e-5), 1e-20 * 1e-5 / (16 * np.pi))
    arr = W.width_nus_to_nu_phi(np.full((4, 5), 1e-10), np.full((4, 5), 1e-5))
    assert arr.shape == (4, 5) and np.all(arr > 0)
