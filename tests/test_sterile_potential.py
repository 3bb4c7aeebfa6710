"""The sterile state's own potential V_s[f22] (derivations/out/sterile_potential.md).

V_s(p) = lam^2 m^2/(32 pi^2 p^2) int dq [f k_same(4pq/m^2) + fbar k_conj(4pq/m^2)]; for
f = fbar = f22 the fermion part of PRL eq. 7 with n_F -> f22; heavy mediator
-(4/3) lam^2 p rho_s/m^4 - lam^2 (n - nbar)/(2 m^2).
"""
import math
import warnings

import numpy as np
import pytest
from scipy.integrate import quad

from qke.errors import QKEInputError
from qke.generated import sterile_potential as gen
from qke.physics import sterile_potential as sp_mod
from qke.physics.potentials import mediator_potential
from qke.physics.sterile_potential import SterilePotentialKernel
from qke.solvers.core import momentum_grid

T = 0.1          # scale of the spectra [GeV]
LAM = 0.7


def solver_grid(n=200, y_max=20.0, t_nu=T):
    """The solvers' bins: Simpson nodes without y = 0, times T_nu."""
    y, w = momentum_grid(n, y_max)
    return y[1:] * t_nu, w[1:] * t_nu


def gaussian(q):
    return 0.3 * np.exp(-0.5 * ((q - 2.5 * T) / (0.6 * T)) ** 2)


def dw_like(q):
    """A Dodelson-Widrow-like spectrum: suppressed thermal shape."""
    return 1e-3 * (q / T) ** 0.5 / (np.exp(q / T) + 1.0)


def fermi_dirac(q):
    return 1.0 / (np.exp(q / T) + 1.0)


def _quad(fun, a, b, points=None):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return quad(fun, a, b, points=points, limit=400, epsabs=0.0, epsrel=1e-11)[0]


def direct_kernel(p, m, lam, f, fbar=None, q_max=20 * T):
    """V_s by adaptive quadrature of the generated kernels (split at q* = m^2/(4p))."""
    qs = m**2 / (4 * p)
    pts = [qs] if qs < q_max else None
    pref = lam**2 * m**2 / (32 * math.pi**2 * p**2)
    if fbar is None:
        return pref * _quad(lambda q: float(gen.kernel_symmetric(4 * p * q / m**2)) * f(q), 0, q_max, pts)
    same = _quad(lambda q: float(gen.kernel_same(4 * p * q / m**2)) * f(q), 0, q_max, pts)
    conj = _quad(lambda q: float(gen.kernel_conj(4 * p * q / m**2)) * fbar(q), 0, q_max)
    return pref * (same + conj)


def direct_scale(p, m, lam, f, q_max=20 * T):
    """int |kernel| f: the size against which quadrature errors are judged."""
    qs = m**2 / (4 * p)
    pts = [qs] if qs < q_max else None
    pref = lam**2 * m**2 / (32 * math.pi**2 * p**2)
    return pref * _quad(lambda q: abs(float(gen.kernel_symmetric(4 * p * q / m**2))) * f(q), 0, q_max, pts)


def rho_s(f, q_max=20 * T):
    """Energy density of nu_s + nubar_s with f = fbar [GeV^4]."""
    return 2 * _quad(lambda q: q**3 * f(q), 0, q_max) / (2 * math.pi**2)


# ---------------------------------------------------------------------------
# generated kernels
# ---------------------------------------------------------------------------
def test_module_kernels_equal_generated_and_branches_join():
    x = np.concatenate([np.geomspace(1e-12, 0.3, 400), np.linspace(0.3, 50, 400), [0.049999, 0.05, 0.050001]])
    x = x[np.abs(x - 1) > 1e-9]
    ell = np.log(np.abs(1 - x))
    for ch, ref in (("same", gen.kernel_same), ("conj", gen.kernel_conj), ("symmetric", gen.kernel_symmetric)):
        np.testing.assert_allclose(sp_mod._kernel(ch, x.copy(), ell), ref(x), rtol=1e-13, atol=0)
    # series and closed forms agree at the switch (no cancellation in either there)
    c = gen.SERIES_CUT
    for series, closed in ((gen.kernel_same_series, lambda z: z + math.log(1 - z)),
                           (gen.kernel_conj_series, lambda z: z - math.log1p(z)),
                           (gen.kernel_symmetric_series, lambda z: 2 * z + math.log(1 - z) - math.log1p(z))):
        assert abs(series(c) / closed(c) - 1) < 1e-12
    # symmetric = same + conj (the sum cancels as x^2/x^3 for small x: hence the separate kernel)
    xs = x[x > 1e-3]
    np.testing.assert_allclose(gen.kernel_symmetric(xs), gen.kernel_same(xs) + gen.kernel_conj(xs),
                               rtol=1e-9, atol=0)
    # antiderivatives
    for z in (0.01, 0.5, 0.999, 1.001, 3.0, 40.0):
        pts = [1.0] if z > 1 else None
        assert abs(float(gen.log_antiderivative(z)) - _quad(lambda t: math.log(abs(1 - t)), 0, z, pts)) < 1e-10
        assert abs(float(gen.log_moment_antiderivative(z))
                   - _quad(lambda t: (t - 1) * math.log(abs(1 - t)), 0, z, pts)) < 1e-10


# ---------------------------------------------------------------------------
# heavy mediator
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("f", [gaussian, dw_like], ids=["gaussian", "dw-like"])
def test_heavy_limit_against_direct_integration(f):
    """m^2 >> 4pq: V_s = -(4/3) lam^2 p rho_s/m^4 with rho_s integrated directly from f."""
    m = 100.0
    q, w = solver_grid()
    k = SterilePotentialKernel(m_phi=m, lam=LAM)
    p = q[::20]
    v = k.potential(p, q, w, f(q))
    heavy = -4.0 / 3.0 * LAM**2 * p * rho_s(f) / m**4
    np.testing.assert_allclose(v, heavy, rtol=1e-6)
    np.testing.assert_allclose(gen.v_heavy(p, rho_s(f), 0.0, m, LAM), heavy, rtol=1e-12)
    np.testing.assert_allclose(k.heavy_matrix(p, q, w) @ f(q), heavy, rtol=1e-6)
    assert np.all(v < 0)


def test_heavy_limit_asymmetry_term():
    """nu_s background alone: -lam^2 n/(2 m^2) (s-channel, attractive); nubar_s alone: +lam^2 nbar/(2 m^2)."""
    m = 1000.0          # the next term is relative (2/3) x, x = 4pq/m^2 < 1e-5 here
    q, w = solver_grid()
    w_same, w_conj = SterilePotentialKernel(m_phi=m, lam=LAM).channel_matrices(q[::25], q, w)
    n = _quad(lambda x: x**2 * gaussian(x), 0, 20 * T) / (2 * math.pi**2)
    np.testing.assert_allclose(w_same @ gaussian(q), -LAM**2 * n / (2 * m**2), rtol=1e-4)
    np.testing.assert_allclose(w_conj @ gaussian(q), +LAM**2 * n / (2 * m**2), rtol=1e-4)
    np.testing.assert_allclose(gen.v_heavy(1.0, 0.0, n, m, LAM), -LAM**2 * n / (2 * m**2), rtol=1e-14)


def test_heavy_form_breaks_down_near_x_of_one():
    """m ~ 1 GeV at T = 0.1 GeV (x = 4pq/m^2 ~ 1 in the spectrum): the exact kernel is needed."""
    q, w = solver_grid()
    k = SterilePotentialKernel(m_phi=0.6, lam=LAM)
    p = np.array([3 * T])
    exact = k.potential(p, q, w, fermi_dirac(q))[0]
    heavy = (k.heavy_matrix(p, q, w) @ fermi_dirac(q))[0]
    assert abs(exact / heavy - 1) > 0.3


# ---------------------------------------------------------------------------
# general mass
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("m", [1.0, 0.5, 0.3, 0.1, 0.02])
@pytest.mark.parametrize("f", [gaussian, dw_like], ids=["gaussian", "dw-like"])
def test_general_kernel_against_direct_integration(m, f):
    """Grid matrix (200 Simpson bins, as in the solvers) against adaptive quadrature of the kernel."""
    q, w = solver_grid()
    k = SterilePotentialKernel(m_phi=m, lam=LAM)
    p = np.array([0.05, 0.137, 0.3, 0.77, 1.5])
    v = k.potential(p, q, w, f(q))
    for pi, vi in zip(p, v):
        ref = direct_kernel(pi, m, LAM, f)
        assert abs(vi - ref) < 1e-4 * direct_scale(pi, m, LAM, f), (pi, vi, ref)


def test_general_kernel_from_the_forward_amplitudes():
    """Independent of the kernel functions: V = -(1/2p) int d^3q/((2pi)^3 2q) [f M_same + fbar M_conj],
    M_same = -lam^2 s/(s - m^2) (principal value, scipy's Cauchy weight), M_conj = -lam^2 s/(s + m^2)."""
    m = 0.5
    q, w = solver_grid(400)

    def angular_same(p, qq):
        # int_0^2 dw -lam^2 w/(w - w*) with w* = m^2/(2 p q), s = 2pq w
        ws = m**2 / (2 * p * qq)
        if 0 < ws < 2:
            val = quad(lambda t: -LAM**2 * t, 0, 2, weight="cauchy", wvar=ws)[0]
        else:
            val = quad(lambda t: -LAM**2 * t / (t - ws), 0, 2)[0]
        return val

    def angular_conj(p, qq):
        ws = m**2 / (2 * p * qq)
        return quad(lambda t: -LAM**2 * t / (t + ws), 0, 2)[0]

    for p in (0.2, 0.45):
        qs = m**2 / (4 * p)

        def integrand(qq, ang, f):
            return -(1 / (2 * p)) * (2 * math.pi * qq**2 / (2 * qq)) / (2 * math.pi) ** 3 * f(qq) * ang(p, qq)

        same = _quad(lambda qq: integrand(qq, angular_same, gaussian), 1e-9, 20 * T, [qs])
        conj = _quad(lambda qq: integrand(qq, angular_conj, dw_like), 1e-9, 20 * T)
        v_same, v_conj = SterilePotentialKernel(m_phi=m, lam=LAM).channel_matrices(np.array([p]), q, w)
        assert abs((v_same @ gaussian(q))[0] / same - 1) < 1e-5
        assert abs((v_conj @ dw_like(q))[0] / conj - 1) < 1e-5
        both = SterilePotentialKernel(m_phi=m, lam=LAM).potential(np.array([p]), q, w, gaussian(q), dw_like(q))
        assert abs(both[0] / (same + conj) - 1) < 1e-5


def test_grid_convergence_near_the_singularity():
    """The singularity subtraction keeps the error O(h^3): halving h gains well over 4x."""
    m = 0.5
    p = np.array([0.137, 0.3, 0.77])
    ref = np.array([direct_kernel(pi, m, LAM, gaussian) for pi in p])
    scale = np.array([direct_scale(pi, m, LAM, gaussian) for pi in p])
    errs = []
    for n in (100, 400):
        q, w = solver_grid(n)
        v = SterilePotentialKernel(m_phi=m, lam=LAM).potential(p, q, w, gaussian(q))
        errs.append(np.max(np.abs(v - ref) / scale))
    assert errs[1] < errs[0] / 16


def test_smooth_in_p_when_the_singular_point_crosses_nodes():
    """q* = m^2/(4p) sweeps across many nodes: no spikes (second differences tiny)."""
    q, w = solver_grid()
    k = SterilePotentialKernel(m_phi=0.5, lam=LAM)
    p = np.linspace(0.3, 0.4, 2001)     # q* from 0.21 to 0.16 GeV: five bins
    v = k.potential(p, q, w, fermi_dirac(q))
    assert np.all(np.isfinite(v))
    d2 = np.abs(np.diff(v, 2))
    assert np.max(d2) < 3 * np.median(d2)       # no spikes or kinks at the node crossings
    # the node itself (x = 1 exactly) is finite and continuous
    p_node = np.array([0.5**2 / (4 * q[40])])
    v_node = k.potential(p_node, q, w, fermi_dirac(q))
    v_near = k.potential(p_node * np.array([1 - 1e-9]), q, w, fermi_dirac(q))
    assert np.isfinite(v_node[0]) and abs(v_node[0] / v_near[0] - 1) < 1e-6


# ---------------------------------------------------------------------------
# thermal background: the fermion part of PRL eq. 7
# ---------------------------------------------------------------------------
def prl_fermion_part(energy, temperature, m, lam):
    """PRL eq. 7, fermion bracket only, literal logs, with the corrected (minus) sign."""
    def integrand(qq):
        l1 = math.log(abs((4 * qq * energy + m**2) / (4 * qq * energy - m**2)))
        return ((m**2 / 2) * l1 - 4 * energy * qq) / (math.exp(qq / temperature) + 1)
    qs = m**2 / (4 * energy)
    return -lam**2 / (16 * math.pi**2 * energy**2) * _quad(integrand, 0, 60 * temperature,
                                                            [qs] if qs < 60 * temperature else None)


@pytest.mark.parametrize("r", [0.3, 2.0, 5.0, 12.0])
def test_thermal_reduces_to_prl_fermion_part(r):
    q, w = solver_grid(300, y_max=30.0)
    m = r * T
    k = SterilePotentialKernel(m_phi=m, lam=LAM)
    for e in (0.5, 1.0, 3.0):
        v = k.potential(np.array([e * T]), q, w, fermi_dirac(q))[0]
        ref = prl_fermion_part(e * T, T, m, LAM)
        scale = direct_scale(e * T, m, LAM, fermi_dirac, 30 * T)
        assert abs(v - ref) < 1e-4 * scale, (r, e, v, ref)


def test_thermal_heavy_equals_the_mediator_potential_table():
    """m >> T: the bosonic phi term is e^{-m/T}, so V_s(FD) = the package's full G potential."""
    q, w = solver_grid(300, y_max=30.0)
    m = 50 * T
    e = np.array([0.5, 1.0, 3.0])
    v = SterilePotentialKernel(m_phi=m, lam=LAM).potential(e * T, q, w, fermi_dirac(q))
    np.testing.assert_allclose(v, mediator_potential(e * T, T, m, LAM), rtol=1e-3)
    np.testing.assert_allclose(v, gen.v_heavy_thermal(e * T, T, m, LAM), rtol=1e-3)


def test_thermal_light_is_one_third_of_prl():
    """m << T: V_s -> lam^2 T^2/(48 E), the fermion third of PRL's lam^2 T^2/(16 E)."""
    q, w = solver_grid(400, y_max=30.0)
    m = 1e-3 * T
    e = np.array([1.0, 3.0])
    v = SterilePotentialKernel(m_phi=m, lam=LAM).potential(e * T, q, w, fermi_dirac(q))
    np.testing.assert_allclose(v, gen.v_light(e * T, T**2 / 12, LAM), rtol=2e-3)
    np.testing.assert_allclose(v / mediator_potential(e * T, T, m, LAM), 1 / 3, rtol=5e-3)
    assert np.all(v > 0)


# ---------------------------------------------------------------------------
# scaling and sign
# ---------------------------------------------------------------------------
def test_scaling_with_lambda_and_mass():
    q, w = solver_grid()
    f = dw_like(q)
    p = q[::17]
    base = SterilePotentialKernel(m_phi=0.4, lam=0.1).potential(p, q, w, f)
    np.testing.assert_allclose(SterilePotentialKernel(m_phi=0.4, lam=0.3).potential(p, q, w, f), 9 * base,
                               rtol=1e-13)
    heavy = SterilePotentialKernel(m_phi=50.0, lam=0.1).potential(p, q, w, f)
    np.testing.assert_allclose(SterilePotentialKernel(m_phi=100.0, lam=0.1).potential(p, q, w, f), heavy / 16,
                               rtol=1e-5)
    # asymmetry channel ~ m^-2 (up to its relative (2/3) x correction)
    s500 = SterilePotentialKernel(m_phi=500.0, lam=0.1).channel_matrices(p, q, w)[0] @ f
    s1000 = SterilePotentialKernel(m_phi=1000.0, lam=0.1).channel_matrices(p, q, w)[0] @ f
    np.testing.assert_allclose(s1000, s500 / 4, rtol=2e-5)
    # heavy: linear in p (V ~ E rho_s)
    np.testing.assert_allclose(heavy / p, heavy[0] / p[0], rtol=1e-5)


def test_sign_heavy_negative_light_positive():
    """Heavy: negative (like the Notzold-Raffelt V_a, so V_a - V_s can vanish); light: the positive
    thermal mass term; the symmetric kernel changes sign at x = 1.1997."""
    q, w = solver_grid()
    f = fermi_dirac(q)
    p = np.array([T, 3 * T])
    assert np.all(SterilePotentialKernel(m_phi=10.0, lam=LAM).potential(p, q, w, f) < 0)
    assert np.all(SterilePotentialKernel(m_phi=1e-3, lam=LAM).potential(p, q, w, f) > 0)
    assert gen.kernel_symmetric(1.19) < 0 < gen.kernel_symmetric(1.21)


# ---------------------------------------------------------------------------
# species handling and the interface
# ---------------------------------------------------------------------------
def test_channels_species_masks_and_stacked_grids():
    q, w = solver_grid(120)
    k = SterilePotentialKernel(m_phi=0.5, lam=LAM)
    f, fbar = gaussian(q), dw_like(q)
    w_same, w_conj = k.channel_matrices(q, q, w)
    np.testing.assert_allclose(w_same + w_conj, k.matrix(q, q, w), rtol=1e-10, atol=1e-18)
    # stacked nu / nubar bins with species masks and per-species weights
    qq = np.concatenate([q, q])
    ww = np.concatenate([w, w])
    anti = np.repeat([False, True], q.size)
    v = k.matrix(qq, qq, ww, anti, anti) @ np.concatenate([f, fbar])
    np.testing.assert_allclose(v[:q.size], w_same @ f + w_conj @ fbar, rtol=1e-12)
    np.testing.assert_allclose(v[q.size:], w_same @ fbar + w_conj @ f, rtol=1e-12)     # CP
    # the solver's convention without masks: stacked bins, halved weights -> symmetric kernel on the mean
    v_mean = k.matrix(qq, qq, ww / 2) @ np.concatenate([f, fbar])
    np.testing.assert_allclose(v_mean[:q.size], k.matrix(q, q, w) @ ((f + fbar) / 2), rtol=1e-12)
    np.testing.assert_allclose(v_mean[:q.size], v_mean[q.size:], rtol=1e-12)


def test_matrix_interface_like_the_scattering_kernel():
    from qke.physics.self_scattering import SterileSelfInteraction

    si = SterileSelfInteraction(m_phi=0.3, lam=LAM)
    k = SterilePotentialKernel.from_self_interaction(si)
    assert (k.m_phi, k.lam) == (0.3, LAM)
    y, wy = momentum_grid(64, 20.0)
    t_nu = 0.05
    p = y[1:] * t_nu
    W = k.matrix(p, p, wy[1:] * t_nu)              # the solvers' call
    assert W.shape == (64, 64) and np.all(np.isfinite(W))
    np.testing.assert_allclose(W @ fermi_dirac(p), k.potential(p, p, wy[1:] * t_nu, fermi_dirac(p)))


def test_input_validation():
    with pytest.raises(QKEInputError, match="m_phi"):
        SterilePotentialKernel(m_phi=0.0, lam=0.1)
    with pytest.raises(QKEInputError, match="lam"):
        SterilePotentialKernel(m_phi=1.0, lam=-1.0)
    k = SterilePotentialKernel(m_phi=1.0, lam=0.1)
    q, w = solver_grid(10)
    with pytest.raises(QKEInputError, match="p"):
        k.matrix(np.array([0.0, 1.0]), q, w)
    with pytest.raises(QKEInputError, match="weights"):
        k.matrix(q, q, w[:-1])
    with pytest.raises(QKEInputError, match="anti"):
        k.matrix(q, q, w, anti_p=np.zeros(q.size, bool))


def test_on_grid_equals_matrix_at_any_temperature():
    """The solvers' fixed comoving grid (kernel values once per distinct y_i y_j) gives matrix() to round-off."""
    k = SterilePotentialKernel(m_phi=1.0, lam=0.03)
    y, wy = momentum_grid(80, 20.0)
    grid = k.on_grid(y[1:], wy[1:])
    for t_nu in (0.02, 0.07, 0.3, 2.0):
        p = y[1:] * t_nu
        W = k.matrix(p, p, wy[1:] * t_nu)
        np.testing.assert_allclose(grid(t_nu), W, rtol=1e-9, atol=1e-11 * np.abs(W).max())


def test_finite_when_the_singular_point_sits_on_the_last_node():
    """4 p q_max = m^2 exactly (x = 1 at the top of the rule): the log antiderivatives are finite there."""
    k = SterilePotentialKernel(m_phi=1.0, lam=0.03)
    y, wy = momentum_grid(200, 20.0)
    t_nu = 0.05                                      # q_max = 1 GeV, and p = 0.25 GeV is a node
    p = y[1:] * t_nu
    W = k.matrix(p, p, wy[1:] * t_nu)
    assert np.all(np.isfinite(W)) and np.all(np.isfinite(k.on_grid(y[1:], wy[1:])(t_nu)))
    # continuous across that temperature
    W_near = k.matrix(p * (1 + 1e-9), p * (1 + 1e-9), wy[1:] * t_nu * (1 + 1e-9))
    np.testing.assert_allclose(W, W_near, rtol=1e-6, atol=1e-6 * np.abs(W).max())
