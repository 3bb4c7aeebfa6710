"""Checks of qke/generated/vector_backgrounds.py (derivations/vector_backgrounds.py) by independent means:
numerical Dirac traces, brute-force two-body phase-space integration of each |M|^2, a direct
three-dimensional thermal average for the massive-partner kernel, widths at their thresholds,
the background potential."""
import math

import mpmath as mp
import numpy as np
import pytest
from scipy.integrate import quad

from qke import constants as const
from qke.generated import decay_widths as dw
from qke.generated import vector_backgrounds as vb

# --- numerical Dirac algebra (chiral basis), independent of the SymPy script -------------
_S = [np.array([[0, 1], [1, 0]], complex), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]], complex)]
_Z, _I = np.zeros((2, 2)), np.eye(2)
GAM = np.array([np.block([[_Z, _I], [_I, _Z]])] + [np.block([[_Z, s], [-s, _Z]]) for s in _S])
G5 = 1j * GAM[0] @ GAM[1] @ GAM[2] @ GAM[3]
PL = (np.eye(4) - G5) / 2
ETA = np.array([1.0, -1.0, -1.0, -1.0])


def slash(p):
    return np.einsum("m,mij->ij", ETA * p, GAM)


def tensor(a, b, proj):
    """T^{mu nu} = Tr[a gamma^mu P b gamma^nu P] (P = P_L or 1)."""
    return np.einsum("ij,mjk,kl,nlp,pi->mn", a, GAM @ proj, b, GAM @ proj, np.eye(4))


def contract(A, B):
    """A^{mu nu} B_{mu nu} (complex tensors: the Levi-Civita parts of two chiral currents are imaginary)."""
    out = np.einsum("mn,m,n,mn->", A, ETA, ETA, B)
    assert abs(out.imag) < 1e-9 * abs(out)
    return float(out.real)


def mdot(p, q):
    return float(np.sum(ETA * p * q))


def boost(p, beta):
    """Boost four-vector p by velocity beta (3-vector): an arbitrary frame for the traces."""
    b2 = beta @ beta
    gam = 1 / math.sqrt(1 - b2)
    bp = beta @ p[1:]
    e = gam * (p[0] + bp)
    vec = p[1:] + ((gam - 1) * bp / b2 + gam * p[0]) * beta
    return np.concatenate([[e], vec])


def cm_momenta(s, m_in, m_out, cos):
    """p1 (massless), p2 (mass m_in) -> p3 (massless), p4 (mass m_out) in the CM frame."""
    rs = math.sqrt(s)
    ki = (s - m_in**2) / (2 * rs)
    kf = (s - m_out**2) / (2 * rs)
    sin = math.sqrt(1 - cos * cos)
    p1 = np.array([ki, 0, 0, ki])
    p2 = np.array([math.hypot(ki, m_in), 0, 0, -ki])
    p3 = np.array([kf, kf * sin, 0, kf * cos])
    p4 = np.array([math.hypot(kf, m_out), -kf * sin, 0, -kf * cos])
    return p1, p2, p3, p4


BETA = np.array([0.3, -0.2, 0.5])
IDN = np.eye(4)


@pytest.mark.parametrize("s, mv, mf, cos", [(1.0, 0.3, 0.1, 0.3), (5.0, 10.0, 1.0, -0.7), (0.02, 1e-3, 0.1, 0.99),
                                             (3.0, 1.0, 1.5, 0.1)])
def test_msq_scattering_against_numerical_traces(s, mv, mf, cos):
    p1, p2, p3, p4 = (boost(p, BETA) for p in cm_momenta(s, mf, mf, cos))
    t = mdot(p1 - p3, p1 - p3)
    nu = tensor(slash(p3), slash(p1), PL)
    for sign in (+1, -1):     # f: Tr[(p4 + m) g (p2 + m) g]; fbar: Tr[(p2 - m) g (p4 - m) g]
        f = tensor(slash(p4) + mf * IDN, slash(p2) + mf * IDN, IDN) if sign > 0 else \
            tensor(slash(p2) - mf * IDN, slash(p4) - mf * IDN, IDN)
        ref = contract(nu, f) / (t - mv**2) ** 2
        assert vb.msq_nu_f_scattering(s, t, mv, mf, 1.0) == pytest.approx(ref, rel=1e-10)


@pytest.mark.parametrize("s, mv, mf, width, cos", [(1.0, 0.3, 0.1, 0.01, 0.3), (5.0, 10.0, 1.0, 0.2, -0.6),
                                                    (0.5, 0.7, 0.2, 1e-3, 0.9)])
def test_msq_annihilation_against_numerical_traces(s, mv, mf, width, cos):
    rs = math.sqrt(s)
    e, p = rs / 2, math.sqrt(s / 4 - mf**2)
    sin = math.sqrt(1 - cos * cos)
    q1, q2 = np.array([e, 0, 0, e]), np.array([e, 0, 0, -e])
    q3, q4 = np.array([e, p * sin, 0, p * cos]), np.array([e, -p * sin, 0, -p * cos])
    q1, q2, q3, q4 = (boost(v, BETA) for v in (q1, q2, q3, q4))
    t = mdot(q1 - q3, q1 - q3)
    ref = contract(tensor(slash(q2), slash(q1), PL), tensor(slash(q3) + mf * IDN, slash(q4) - mf * IDN, IDN))
    ref /= (s - mv**2) ** 2 + mv**2 * width**2
    assert vb.msq_nu_nubar_to_f_fbar(s, t, mv, mf, 1.0, width) == pytest.approx(ref, rel=1e-10)


@pytest.mark.parametrize("s, mv, cos", [(1.0, 0.3, 0.2), (0.01, 1.0, -0.8)])
def test_msq_other_flavour_against_numerical_traces(s, mv, cos):
    p1, p2, p3, p4 = (boost(p, BETA) for p in cm_momenta(s, 0.0, 0.0, cos))
    t = mdot(p1 - p3, p1 - p3)
    width = 0.05
    nb = contract(tensor(slash(p3), slash(p1), PL), tensor(slash(p4), slash(p2), PL)) / (t - mv**2) ** 2
    nbbar = contract(tensor(slash(p3), slash(p1), PL), tensor(slash(p2), slash(p4), PL)) / (t - mv**2) ** 2
    # nu_a(p1) nubar_a(p2) -> nu_b(p3) nubar_b(p4)
    nbs = contract(tensor(slash(p2), slash(p1), PL), tensor(slash(p3), slash(p4), PL)) \
        / ((s - mv**2) ** 2 + mv**2 * width**2)
    assert vb.msq_nu_nub(s, t, mv, 1.0) == pytest.approx(nb, rel=1e-10)
    assert vb.msq_nu_nubbar(s, t, mv, 1.0) == pytest.approx(nbbar, rel=1e-10)
    assert vb.msq_nu_nubar_to_nub_nubbar(s, t, mv, 1.0, width) == pytest.approx(nbs, rel=1e-10)


# --- cross sections against a brute-force two-body phase-space integration ----------------
def brute_sigma(msq_of_cos, s, m_in, m_out):
    """sigma = (1/(64 pi^2 s)) (|p_f|/|p_i|) int dOmega |M|^2 (no identical particles, spins summed)."""
    rs = math.sqrt(s)
    ki = (s - m_in**2) / (2 * rs)
    kf = math.sqrt(max((s - (m_out[0] + m_out[1]) ** 2) * (s - (m_out[0] - m_out[1]) ** 2), 0.0)) / (2 * rs)
    integral = quad(msq_of_cos, -1, 1, epsabs=0, epsrel=1e-12, limit=400, points=[0.999, 0.99999])[0]
    return 2 * math.pi * integral / (64 * math.pi**2 * s) * kf / ki


@pytest.mark.parametrize("s, mv, mf", [(1.0, 0.3, 0.1), (5.0, 10.0, 1.0), (0.02, 1e-3, 0.1), (1e-4, 1.0, 1e-3),
                                       (3.0, 1.0, 1.5), (1e-2, 3.0, 0.09)])
def test_sigma_scattering_brute_force(s, mv, mf):
    k = (s - mf**2) / (2 * math.sqrt(s))

    def msq(c):
        return vb.msq_nu_f_scattering(s, -2 * k * k * (1 - c), mv, mf, 1.0)

    ref = brute_sigma(msq, s, mf, (0.0, mf))
    assert vb.sigma_nu_f_scattering(s, mv, mf, 1.0) == pytest.approx(ref, rel=1e-9)
    assert vb.sigma_nu_f_scattering_q(s - mf**2, mv, mf, 1.0) == pytest.approx(ref, rel=1e-9)


@pytest.mark.parametrize("s, mv, mf, width", [(1.0, 0.3, 0.1, 0.01), (5.0, 10.0, 1.0, 0.2), (0.5, 0.7, 0.2, 1e-3),
                                              (0.1601, 0.5, 0.2, 0.01)])
def test_sigma_annihilation_brute_force_and_threshold(s, mv, mf, width):
    e, p = math.sqrt(s) / 2, math.sqrt(s / 4 - mf**2)

    def msq(c):
        return vb.msq_nu_nubar_to_f_fbar(s, mf**2 - 2 * e * e + 2 * e * p * c, mv, mf, 1.0, width)

    ref = brute_sigma(msq, s, 0.0, (mf, mf))
    assert vb.sigma_nu_nubar_to_f_fbar(s, mv, mf, 1.0, width) == pytest.approx(ref, rel=1e-9)
    assert vb.sigma_nu_nubar_to_f_fbar(4 * mf**2 * (1 - 1e-9), mv, mf, 1.0, width) == 0.0


@pytest.mark.parametrize("s, mv", [(1.0, 0.3), (0.01, 1.0), (50.0, 0.1), (1e-6, 1.0)])
def test_sigma_other_flavour_brute_force(s, mv):
    width = 0.02

    def t_of(c):
        return -s * (1 - c) / 2

    for msq, sig in ((lambda c: vb.msq_nu_nub(s, t_of(c), mv, 1.0), vb.sigma_nu_nub(s, mv, 1.0)),
                     (lambda c: vb.msq_nu_nubbar(s, t_of(c), mv, 1.0), vb.sigma_nu_nubbar(s, mv, 1.0)),
                     (lambda c: vb.msq_nu_nubar_to_nub_nubbar(s, t_of(c), mv, 1.0, width),
                      vb.sigma_nu_nubar_to_nub_nubbar(s, mv, 1.0, width))):
        assert sig == pytest.approx(brute_sigma(msq, s, 0.0, (0.0, 0.0)), rel=1e-9)


def _sigma_scattering_mp(q, mv, mf):
    """The report's closed form in 50-digit arithmetic (reference for q << m_f^2 and y -> 0)."""
    mp.mp.dps = 50
    q, mv, mf = mp.mpf(q), mp.mpf(mv), mp.mpf(mf)
    y = q**2 / ((q + mf**2) * mv**2)
    j0 = y / (1 + y)
    j1 = mp.log1p(y) - y / (1 + y)
    j2 = y - 2 * mp.log1p(y) + y / (1 + y)
    return float((8 * q**2 * j0 / mv**2 - 8 * (q + mf**2) * j1 + 4 * mv**2 * j2) / (16 * mp.pi * q**2))


@pytest.mark.parametrize("q, mv, mf", [(1e-9, 1.0, 1.0), (1e-4, 0.01, 2.0), (0.3, 1e3, 0.1), (10.0, 1e-2, 1.0),
                                       (1e-6, 1e-5, 0.1)])
def test_scattering_stable_forms_and_limits(q, mv, mf):
    """The q-form keeps full precision for a heavy partner (q << m_f^2) and a heavy V (series branch)."""
    ref = _sigma_scattering_mp(q, mv, mf)
    assert vb.sigma_nu_f_scattering_q(q, mv, mf, 1.0) == pytest.approx(ref, rel=1e-12)
    s = q + mf**2
    y = q * q / (s * mv * mv)
    if y < 1e-4:      # heavy V: the leading term, corrections O(y)
        assert vb.sigma_nu_f_scattering_heavy(s, mv, mf, 1.0) == pytest.approx(ref, rel=3 * y + 1e-12)
    if y > 1e4:       # light V: the forward peak 1/(2 pi m_V^2), corrections O(log(y)/y)
        assert vb.sigma_nu_f_scattering_light(s, mv, mf, 1.0) == pytest.approx(ref, rel=30 * math.log(y) / y)


def test_massless_limits_of_the_dirac_channels():
    s, mv = 2.0, 1e3
    # heavy: f (both) and fbar each s/(3 pi m^4), annihilation s/(6 pi m^4)
    assert vb.sigma_nu_f_scattering(s, mv, 1e-12, 1.0) == pytest.approx(s / (3 * math.pi * mv**4), rel=1e-5)
    assert vb.sigma_nu_nubar_to_f_fbar(s, mv, 1e-12, 1.0, 0.0) == pytest.approx(s / (6 * math.pi * mv**4), rel=1e-5)
    assert vb.sigma_nu_nub(s, mv, 1.0) == pytest.approx(s / (4 * math.pi * mv**4), rel=1e-5)
    assert vb.sigma_nu_nubbar(s, mv, 1.0) == pytest.approx(s / (12 * math.pi * mv**4), rel=1e-5)


# --- thermal kernel for a massive partner ---------------------------------------------------
@pytest.mark.parametrize("energy, temperature, mf", [(0.3, 0.1, 0.1057), (0.01, 0.05, 0.1057), (1.0, 0.2, 1.777),
                                                     (0.05, 0.02, 5e-4)])
def test_massive_kernel_against_direct_thermal_average(energy, temperature, mf):
    """int ds sigma K_M = 2 x int d^3p/(2pi)^3 f(E_p) sigma(s) v_Mol (helicity factor 2), by brute force."""
    mv = 0.3

    def sigma(s):
        return vb.sigma_nu_f_scattering(s, mv, mf, 1.0)

    def inner(p):
        ep = math.hypot(p, mf)
        f = 1 / (math.exp(ep / temperature) + 1)

        def ang(c):
            s = mf**2 + 2 * energy * (ep - p * c)
            vmol = (s - mf**2) / (2 * energy * ep)
            return sigma(s) * vmol
        return p * p / (4 * math.pi**2) * f * quad(ang, -1, 1, epsrel=1e-11)[0]

    direct = 2 * quad(inner, 0, 60 * temperature + 5 * mf, epsrel=1e-10, limit=200)[0]
    smax = mf**2 + 4 * energy * (80 * temperature + 5 * mf)
    kernel = quad(lambda s: sigma(s) * vb.thermal_kernel_fd_massive(s, energy, temperature, mf),
                  mf**2 * (1 + 1e-14), smax, epsrel=1e-10, limit=400,
                  points=[mf**2 + 4 * energy * temperature * k for k in (0.01, 0.1, 1, 10)])[0]
    assert kernel == pytest.approx(direct, rel=1e-7)


def test_massive_kernel_reduces_to_the_massless_one():
    from qke.generated.thermal_rates import thermal_kernel_fd

    s = np.geomspace(1e-4, 10, 9)
    np.testing.assert_allclose(vb.thermal_kernel_fd_massive(s, 0.3, 0.1, 1e-12), thermal_kernel_fd(s, 0.3, 0.1),
                               rtol=1e-12)


def test_light_rate_on_a_massive_partner_is_sigma_times_density():
    """gamma_dirac_light_massive = 2 x (f, fbar) x sigma_light x n_1; massless: gamma_dirac_light_massless."""
    t = 0.1
    n1 = 3 * 1.2020569031595942 * t**3 / (4 * math.pi**2)
    assert vb.gamma_dirac_light_massive(n1, 1e-3, 0.5) == pytest.approx(
        float(vb.gamma_dirac_light_massless(0.3, t, 1e-3, 0.5)), rel=1e-12)
    assert vb.gamma_dirac_heavy_massless(0.3, t, 10.0, 0.5) == pytest.approx(
        7 * math.pi * 0.5**4 * 0.3 * t**4 / (54 * 10.0**4), rel=1e-12)
    assert vb.gamma_weyl_heavy(0.3, t, 10.0, 0.5) == pytest.approx(vb.gamma_dirac_heavy_massless(0.3, t, 10.0, 0.5) / 2)


# --- widths ------------------------------------------------------------------------------
def test_widths_thresholds_and_lmu_ltau_sum():
    g = 1e-3
    mv = np.geomspace(1e-3, 1e2, 400)
    total = 2 * vb.width_vector_to_weyl(mv, g) + vb.width_vector_to_dirac(mv, g, const.M_MU) \
        + vb.width_vector_to_dirac(mv, g, const.M_TAU)
    np.testing.assert_allclose(total, dw.width_lmu_ltau(mv, g, const.M_MU, const.M_TAU), rtol=1e-12)
    assert vb.width_vector_to_weyl(1.0, g) == pytest.approx(g**2 / (24 * math.pi))
    thr = 2 * const.M_MU
    assert vb.width_vector_to_dirac(thr * (1 - 1e-12), g, const.M_MU) == 0.0
    assert vb.width_vector_to_dirac(thr * (1 + 1e-8), g, const.M_MU) < 1e-3 * g**2 * thr / (12 * math.pi)
    # sqrt opening: Gamma ∝ (3/2) beta just above threshold, beta = sqrt(1 - 4 r)
    eps = 1e-6
    beta = math.sqrt(1 - 1 / (1 + eps) ** 2)
    assert vb.width_vector_to_dirac(thr * (1 + eps), g, const.M_MU) == pytest.approx(
        g**2 * thr * (1 + eps) / (12 * math.pi) * 1.5 * beta, rel=1e-5)
    assert vb.width_vector_to_dirac(1e4, g, const.M_MU) == pytest.approx(g**2 * 1e4 / (12 * math.pi), rel=1e-9)


def test_background_potential_vanishes_in_a_cp_symmetric_plasma():
    n = np.array([1e-3, 0.5, 2.0])
    assert np.all(vb.v_direct_background(1e-3, 1.0, -1.0, n, n, 0.1) == 0.0)
    # like charges, excess of particles: repulsive (positive); opposite charges: attractive
    assert vb.v_direct_background(1e-3, 1.0, 1.0, 2.0, 1.0, 0.1) == pytest.approx(1e-6 / 0.01)
    assert vb.v_direct_background(1e-3, 1.0, -1.0, 2.0, 1.0, 0.1) < 0
