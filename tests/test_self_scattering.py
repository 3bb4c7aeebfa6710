"""Sterile self-scattering: the Gamma_s kernel (eq. 31) and its self-consistent use in the QKE."""
import math

from dataclasses import replace

import numpy as np
import pytest
from scipy.integrate import quad

from qke.errors import QKEInputError
from qke.physics.self_scattering import ScatteringKernel, SterileSelfInteraction
from qke.solvers.qke import QKESettings, evolve_qke

FAST = dict(n_bins=40, rtol=1e-5)


def test_parameters_validated(dw_model):
    with pytest.raises(QKEInputError, match="m_phi"):
        SterileSelfInteraction(m_phi=-1.0, lam=0.1)
    with pytest.raises(QKEInputError, match="lam"):
        SterileSelfInteraction(m_phi=1e-3, lam=0.0)
    with pytest.raises(QKEInputError, match="m_phi"):
        SterileSelfInteraction(m_phi=1e-6, lam=0.1).check_model(dw_model)  # m_phi < m4 = 7.1 keV
    with pytest.raises(QKEInputError, match="self_m_phi"):
        replace(dw_model, self_m_phi=1e-6, self_lambda=0.1)  # below m4 = 7.1 keV
    with pytest.raises(QKEInputError, match="self_m_phi"):
        replace(dw_model, self_lambda=0.1)  # coupling without a mediator
    with pytest.raises(QKEInputError, match="self_lambda"):
        replace(dw_model, self_m_phi=1e-3, self_lambda=100.0)


def _with_si(model, m_phi, lam, narrow_width=True):
    """``model`` with a sterile self-interaction (a model property, usable with any model)."""
    return replace(model, self_m_phi=m_phi, self_lambda=lam, self_narrow_width=narrow_width)


def _direct_gamma_s(p, f22, c_coef, m_phi, eps=3e-3, q_max=0.2):
    """Eq. (31) by brute force: 2 int d^3q/(2pi)^3 sigma v_Mol f22(q), sigma = C delta_eps(s - m^2).

    The delta function is a normalised Gaussian of width eps m^2; both
    integrals (q and cos theta) are done numerically.
    """
    m2 = m_phi**2
    width = eps * m2

    def sigma(s):
        return c_coef * np.exp(-0.5 * ((s - m2) / width) ** 2) / (math.sqrt(2 * math.pi) * width)

    def inner(q):
        c_star = 1.0 - m2 / (2.0 * p * q)
        pts = [c_star] if -1.0 < c_star < 1.0 else None
        val, _ = quad(lambda c: sigma(2 * p * q * (1 - c)) * (1 - c), -1.0, 1.0, points=pts, limit=400)
        return val

    val, _ = quad(lambda q: q**2 * f22(q) * inner(q), 0.0, q_max, limit=400,
                  points=[m2 / (4 * p)])
    return 2.0 * 2.0 * math.pi * val / (2.0 * math.pi) ** 3


def test_narrow_kernel_matches_direct_integration_of_eq31():
    """Kernel on a momentum grid vs brute-force eq. (31) with a smeared delta function (narrow width)."""
    si = SterileSelfInteraction(m_phi=1e-2, lam=1e-3, narrow_width=True)
    c_coef = si.narrow_coefficient()
    t = 0.01  # GeV
    f22 = lambda q: 0.01 / (np.exp(q / t) + 1.0)  # noqa: E731
    kern = si.kernel(1e-12, 1.0)
    n = 4000
    q = np.linspace(0.0, 0.2, n + 1)[1:]
    w = np.full(n, 0.2 / n)  # midpoint-like weights; the step in A(2pq) limits accuracy to O(dq)
    for p in (0.01, 0.03):
        grid = kern.rate([p], q, w, f22(q))[0]
        direct = _direct_gamma_s(p, f22, c_coef, si.m_phi)
        assert grid == pytest.approx(direct, rel=3e-3)


def test_narrow_angular_integral_closed_form():
    """A(S) = C m^2/S^2 above threshold 2S > m^2, zero below; direct angular quadrature agrees."""
    c_coef, m_phi = 2.0, 0.1
    k = ScatteringKernel.narrow(c_coef, m_phi)
    m2 = m_phi**2
    assert k.angular(0.4 * m2) == 0.0
    eps = 1e-3
    for s_var in (0.6 * m2, 2 * m2, 10 * m2):
        sigma = lambda s: c_coef * np.exp(-0.5 * ((s - m2) / (eps * m2)) ** 2) / (math.sqrt(2 * math.pi) * eps * m2)  # noqa: E731
        c_star = 1 - m2 / s_var
        direct, _ = quad(lambda c: sigma(s_var * (1 - c)) * (1 - c), c_star - 0.02, min(c_star + 0.02, 1.0),
                         points=[c_star], limit=400, epsabs=0, epsrel=1e-12)
        assert float(k.angular(s_var)) == pytest.approx(direct, rel=1e-5)
        assert float(k.angular(s_var)) == pytest.approx(c_coef * m2 / s_var**2, rel=1e-14)


def test_tabulated_kernel_matches_direct_angular_integral():
    """Full cross section: table of int s sigma ds vs direct quadrature of int_0^2 sigma(S w) w dw."""
    si = SterileSelfInteraction(m_phi=1e-2, lam=0.3)
    kern = si.kernel(1e-10, 1.0)
    m2 = si.m_phi**2
    for s_var in (1e-3 * m2, 0.3 * m2, 0.7 * m2, 3.0 * m2, 50.0 * m2):
        w_star = m2 / s_var
        pts = [w_star] if w_star < 2 else None
        direct, _ = quad(lambda w: float(si.cross_section(s_var * w)) * w, 0, 2, points=pts, limit=2000,
                         epsabs=0, epsrel=1e-10)
        assert float(kern.angular(s_var)) == pytest.approx(direct, rel=2e-3)


@pytest.mark.parametrize("lam", [0.03, 1e-3, 1e-5])
def test_exact_kernel_tends_to_narrow_width(lam):
    """Small coupling: the Breit-Wigner pole dominates and the full kernel -> C m^2/S^2 above threshold.

    Also checks that the table resolves very narrow peaks (Gamma/m down to 1e-13)
    and their steep 1/(s - m^2)^2 tails.
    """
    si = SterileSelfInteraction(m_phi=1e-2, lam=lam)
    narrow = SterileSelfInteraction(m_phi=1e-2, lam=lam, narrow_width=True).kernel(1e-10, 1.0)
    exact = si.kernel(1e-10, 1.0)
    s_var = np.array([0.8, 2.0, 20.0]) * si.m_phi**2
    np.testing.assert_allclose(exact.angular(s_var), narrow.angular(s_var), rtol=5e-4)
    assert float(exact.angular(0.45 * si.m_phi**2)) < 1e-3 * float(narrow.angular(0.8 * si.m_phi**2))


def test_doubling_lambda_scales_as_cross_section():
    """Narrow width: C = pi lam^2 -> x4; heavy-mediator tail (S << m^2): sigma ~ lam^4 -> x16."""
    m_phi = 1e-2
    s_var = np.array([0.01, 0.1]) * m_phi**2
    k1 = SterileSelfInteraction(m_phi, 0.1).kernel(1e-10, 1.0)
    k2 = SterileSelfInteraction(m_phi, 0.2).kernel(1e-10, 1.0)
    np.testing.assert_allclose(k2.angular(s_var) / k1.angular(s_var), 16.0, rtol=1e-6)
    n1 = SterileSelfInteraction(m_phi, 0.1, narrow_width=True).kernel(1e-10, 1.0)
    n2 = SterileSelfInteraction(m_phi, 0.2, narrow_width=True).kernel(1e-10, 1.0)
    assert float(n2.angular(m_phi**2) / n1.angular(m_phi**2)) == pytest.approx(4.0, rel=1e-12)


def test_gamma_s_linear_and_growing_in_f22():
    kern = SterileSelfInteraction(1e-2, 0.1, narrow_width=True).kernel(1e-10, 1.0)
    q = np.linspace(0, 0.2, 101)[1:]
    w = np.full(100, 0.002)
    f = 1e-3 / (np.exp(q / 0.02) + 1)
    g1 = kern.rate(q, q, w, f)
    np.testing.assert_allclose(kern.rate(q, q, w, 2 * f), 2 * g1, rtol=1e-14)
    g_more = kern.rate(q, q, w, f + 1e-4 * (q < 0.05))
    assert np.all(g_more >= g1) and np.any(g_more > g1)
    assert np.all(kern.rate(q, q, w, 0 * f) == 0)


# --- in the solver -------------------------------------------------------------
def test_vanishing_coupling_reproduces_plain_qke(dw_model):
    """Gamma_s -> 0 (lam = 1e-12, Gamma_s/H < 1e-5) reproduces the plain QKE to round-off level."""
    plain = evolve_qke(dw_model, settings=QKESettings(**FAST))
    weak = evolve_qke(_with_si(dw_model, 1e-3, 1e-12), settings=QKESettings(**FAST))
    assert weak.history_gamma_s_over_h.max() < 1e-5
    assert weak.result.omega_h2 == pytest.approx(plain.result.omega_h2, rel=1e-9)
    np.testing.assert_allclose(weak.state[:, 1], plain.state[:, 1], rtol=1e-9)
    assert np.all(plain.gamma_s == 0)


def test_self_consistent_gamma_s_and_lambda_scaling(dw_model):
    """Weak self-scattering (f22 unchanged to < 1e-3): final Gamma_s = K f22 and doubling lam gives x4 (C ~ lam^2)."""
    plain = evolve_qke(dw_model, settings=QKESettings(**FAST))
    evs = [evolve_qke(_with_si(dw_model, 1e-3, lam), settings=QKESettings(**FAST)) for lam in (1e-9, 2e-9)]
    for ev in evs:
        np.testing.assert_allclose(ev.state[:, 1], plain.state[:, 1], rtol=1e-3)
        assert np.all(ev.gamma_s > 0)
    np.testing.assert_allclose(evs[1].gamma_s / evs[0].gamma_s, 4.0, rtol=2e-3)
    # Gamma_s grows with f22 during production: its end value exceeds the one from half the spectrum
    assert evs[0].history_gamma_s_over_h[-1] > 0


def test_strong_self_scattering_enhances_production(dw_model):
    """Gamma_s adds to the damping of f12; with Gamma << |Delta cos 2theta - V_T| the production rate
    (Gamma/4) sin^2 2theta_eff ~ Gamma Delta^2 sin^2 2theta / (Delta cos 2theta - V_T)^2 grows with it,
    so the abundance rises monotonically with lam (the rate equation, without Gamma_s, cannot see this).
    """
    omegas = [evolve_qke(dw_model if lam is None else _with_si(dw_model, 1e-3, lam),
                         settings=QKESettings(**FAST)).result.omega_h2
              for lam in (None, 3e-7, 1e-6)]
    assert omegas[0] < omegas[1] < omegas[2]
    assert omegas[2] / omegas[0] > 1.02
