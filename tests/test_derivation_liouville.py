"""Checks of the generated Liouville (QKE) module qke/generated/liouville.py."""
import mpmath
import numpy as np
import pytest

from qke.generated import liouville as L

RNG = np.random.default_rng(12345)


def _params(shape=(5, 3)):
    f11 = RNG.uniform(0, 1, shape)
    f22 = RNG.uniform(0, 0.5, shape)
    re12 = RNG.normal(0, 0.1, shape)
    im12 = RNG.normal(0, 0.1, shape)
    delta = 10 ** RNG.uniform(-3, 1, shape)
    s22 = 10 ** RNG.uniform(-4, -0.05, shape)
    v_t = RNG.normal(0, 1, shape)
    gamma_a = 10 ** RNG.uniform(-3, 0, shape)
    gamma_s = 10 ** RNG.uniform(-4, -1, shape)
    f_eq = RNG.uniform(0, 1, shape)
    return [f11, f22, re12, im12, delta, s22, v_t, gamma_a, gamma_s, f_eq]


def _direct(f11, f22, re12, im12, delta, s22, v_t, gamma_a, gamma_s, f_eq, gamma_r):
    """Complex 2x2 evaluation of -i[H0,F] - (Gamma/2) offdiag(F) + Gamma_r (f_eq - f11) on (1,1)."""
    out = np.empty((4,) + np.shape(f11))
    for idx in np.ndindex(np.shape(f11)):
        s2 = np.sqrt(s22[idx])
        c2 = np.sqrt(1 - s22[idx])
        d = delta[idx]
        H0 = np.array([[v_t[idx] - d * c2, d * s2 / 2], [d * s2 / 2, 0.0]], dtype=complex)
        f12 = re12[idx] + 1j * im12[idx]
        F = np.array([[f11[idx], f12], [np.conj(f12), f22[idx]]], dtype=complex)
        dF = -1j * (H0 @ F - F @ H0)
        g = gamma_a[idx] + gamma_s[idx]
        dF[0, 1] -= g / 2 * F[0, 1]
        dF[1, 0] -= g / 2 * F[1, 0]
        dF[0, 0] += np.broadcast_to(gamma_r, np.shape(f11))[idx] * (f_eq[idx] - f11[idx])
        assert abs(dF[0, 1] - np.conj(dF[1, 0])) < 1e-12 * (1 + abs(dF[0, 1]))
        out[(slice(None),) + idx] = [dF[0, 0].real, dF[1, 1].real, dF[0, 1].real, dF[0, 1].imag]
    return out


@pytest.mark.parametrize("repop", [0, 1, "distinct"])
def test_rhs_matches_complex_matrix_evaluation(repop):
    """The repopulation rate is an argument: zero, equal to Gamma_a, or an independent rate."""
    p = _params()
    gamma_r = 0.37 * p[7][::-1] if repop == "distinct" else repop * p[7]
    got = np.array(L.qke_rhs(*p, gamma_r))
    want = _direct(*p, gamma_r)
    assert got.shape == (4, 5, 3)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("repop", [0, 1])
def test_jacobian_matches_finite_differences(repop):
    p = _params(shape=(4, 2))
    J = L.qke_jacobian(*p, repop * p[7])
    shape = p[0].shape
    Jarr = np.array([[np.broadcast_to(J[i][j], shape) for j in range(4)] for i in range(4)])
    h = 1e-6
    for j in range(4):
        pp = [x.copy() for x in p]
        pm = [x.copy() for x in p]
        pp[j] += h
        pm[j] -= h
        fd = (np.array(L.qke_rhs(*pp, repop * p[7])) - np.array(L.qke_rhs(*pm, repop * p[7]))) / (2 * h)
        np.testing.assert_allclose(Jarr[:, j], fd, rtol=1e-6, atol=1e-8)


def test_dgamma_s_matches_finite_differences():
    p = _params()
    h = 1e-7
    pp = [x.copy() for x in p]
    pm = [x.copy() for x in p]
    pp[8] += h
    pm[8] -= h
    fd = (np.array(L.qke_rhs(*pp, p[7])) - np.array(L.qke_rhs(*pm, p[7]))) / (2 * h)
    got = np.array([np.broadcast_to(v, p[0].shape) for v in L.qke_rhs_dgamma_s(*p, p[7])])
    np.testing.assert_allclose(got, fd, rtol=1e-6, atol=1e-9)


def test_trace_conserved_without_repopulation():
    p = _params()
    d = L.qke_rhs(*p, 0)
    np.testing.assert_allclose(d[0] + d[1], 0.0, atol=1e-15)
    d1 = L.qke_rhs(*p, p[7])
    np.testing.assert_allclose(d1[0] + d1[1], p[7] * (p[9] - p[0]), rtol=1e-12)


def test_sin2_2theta_eff_limits():
    delta, s22 = 1.0, 1e-6
    c2 = np.sqrt(1 - s22)
    for v_t in (-3.0, 0.2, 5.0):
        w2 = delta**2 * s22 + (delta * c2 - v_t) ** 2
        in_matter = delta**2 * s22 / w2
        # small Gamma: in-matter mixing
        np.testing.assert_allclose(L.sin2_2theta_eff(delta, s22, v_t, 1e-8), in_matter, rtol=1e-12)
        # large Gamma: 4 Delta^2 sin^2 2theta / Gamma^2 (quantum Zeno)
        G = 1e6
        np.testing.assert_allclose(L.sin2_2theta_eff(delta, s22, v_t, G),
                                   4 * delta**2 * s22 / G**2, rtol=1e-10)
    # resonance, no damping: maximal mixing
    np.testing.assert_allclose(L.sin2_2theta_eff(delta, s22, delta * c2, 0.0), 1.0)
    # vacuum, no damping: vacuum mixing
    np.testing.assert_allclose(L.sin2_2theta_eff(delta, s22, 0.0, 0.0), s22, rtol=1e-12)


def test_sin2_2theta_eff_broadcasts():
    delta = np.logspace(-3, 0, 7)[:, None] * np.ones((1, 4))
    out = L.sin2_2theta_eff(delta, 1e-10, np.ones((7, 4)) * 0.01, 1e-3)
    assert out.shape == (7, 4) and np.all((out > 0) & (out <= 1))


def _bloch(delta, s22, v_t, gamma):
    a = delta * np.sqrt(s22)
    w = delta * np.sqrt(1 - s22) - v_t
    g = gamma / 2
    return np.array([[0, 0, -2 * a], [0, -g, -w], [a / 2, w, -g]])


def test_bloch_matrix_is_the_generated_jacobian():
    p = _params(shape=())
    p = [np.asarray(x) for x in p]
    J = np.array(L.qke_jacobian(*p, 0), dtype=float)
    # (D, x, y) = (f11 - f22, re12, im12)
    T = np.array([[1, -1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]], dtype=float)
    A = T @ J @ np.array([[1, 0, 0], [0, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=float)
    np.testing.assert_allclose(A, _bloch(p[4], p[5], p[6], p[7] + p[8]), rtol=1e-12, atol=1e-15)


def _slow_eigenvalue(delta, s22, v_t, gamma):
    """Decay rate of the population mode of the Bloch matrix (50-digit eig).

    The population mode is the real eigenvalue (the other two form a complex
    pair when underdamped); if all three are real it is the smallest in size.
    """
    with mpmath.workdps(50):
        A = mpmath.matrix(_bloch(delta, s22, v_t, gamma).tolist())
        ev = mpmath.eig(A, left=False, right=False)
        real = [e for e in ev if abs(mpmath.im(e)) <= mpmath.mpf(10) ** -40 * (1 + abs(e))]
        return -float(mpmath.re(min(real, key=abs)))


@pytest.mark.parametrize("s22", [1e-10, 1e-6, 1e-3, 0.1, 0.5])
def test_slowest_bloch_eigenvalue_is_gamma_over_2_sin2_2theta_eff(s22):
    """Population relaxation rate of the Bloch system = 2 x (Gamma/4) sin^2 2theta_eff.

    Linearising the characteristic polynomial gives exactly
    lambda = -(Gamma/2) sin^2 2theta_eff; the dropped terms change it by a
    relative  |lambda| (|lambda| + Gamma) / (omega_m^2 + Gamma^2/4), which is
    <= 2 (Gamma/2 omega_m)^2 for Gamma << omega_m and <= 2 (2 omega_m/Gamma)^2
    for Gamma >> omega_m. Where that bound is not small (Gamma ~ omega_m with
    large in-matter mixing, i.e. on a resonance) the rate equation is not
    expected to hold and nothing is asserted. Scan: Gamma/Delta from 1e-4 to
    1e4 and V_T across the resonance.
    """
    delta = 1.0
    checked = 0
    for v_t in np.concatenate([np.linspace(-3, 3, 13), [np.sqrt(1 - s22)]]):
        for gamma in np.logspace(-4, 4, 17):
            slow = _slow_eigenvalue(delta, s22, v_t, gamma)
            pred = gamma / 2 * L.sin2_2theta_eff(delta, s22, v_t, gamma)
            w = delta * np.sqrt(1 - s22) - v_t
            wm2 = delta**2 * s22 + w**2
            bound = 1.5 * pred * (pred + gamma) / (wm2 + gamma**2 / 4)
            rel = abs(slow / pred - 1)
            if bound < 0.1:
                assert rel <= bound + 1e-12, (v_t, gamma, rel, bound)
                checked += 1
            # (i) adiabatic elimination agrees at leading order in sin^2 2theta:
            # relative difference a^2/(omega^2 + Gamma^2/4)
            adiab = 2 * gamma / 4 * delta**2 * s22 / (w**2 + gamma**2 / 4)
            eps = delta**2 * s22 / (w**2 + gamma**2 / 4)
            if eps < 1e-3:
                assert abs(adiab / pred - 1) <= 1.01 * eps + 1e-14
    assert checked >= 150
