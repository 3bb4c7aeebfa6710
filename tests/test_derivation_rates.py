"""Checks of the thermal kernel, the rate limits and the numerical thermal average."""
import numpy as np
import pytest
from scipy.integrate import dblquad

from qke.generated import cross_sections as cs
from qke.generated import thermal_rates as tr
from qke.physics.thermal_average import thermal_rate, thermal_rate_table

LAM = 0.1


def _sigma_vector(lam):
    def f(s, m):
        return cs.sigma_vector_nunu(s, m, lam) + cs.sigma_vector_nunubar(s, m, lam, cs.width_vector_to_nunu(m, lam))
    return f


def _sigma_scalar(lam):
    return lambda s, m: cs.sigma_scalar_nunu(s, m, lam) + cs.sigma_scalar_nunubar(s, m, lam)


@pytest.mark.parametrize("E", [1.0, 3.0, 8.0])
def test_vector_heavy_limit(E):
    T, m = 1.0, 100.0
    g = thermal_rate(_sigma_vector(LAM), E, T, m)
    assert g == pytest.approx(tr.gamma_vector_heavy(E, T, m, LAM), rel=1e-2)


@pytest.mark.parametrize("E", [0.3, 3.0, 10.0])
def test_vector_light_limit_and_E_independence(E):
    T, m = 1.0, 1e-3
    g = thermal_rate(_sigma_vector(LAM), E, T, m, resonance=(m, cs.width_vector_to_nunu(m, LAM)))
    assert g == pytest.approx(tr.gamma_vector_light(E, T, m, LAM), rel=2e-2)


@pytest.mark.parametrize("E", [1.0, 3.0])
def test_scalar_heavy_limit(E):
    T, m = 1.0, 100.0
    g = thermal_rate(_sigma_scalar(LAM), E, T, m)
    assert g == pytest.approx(tr.gamma_scalar_heavy(E, T, m, LAM), rel=1e-2)


def test_seed_ratios():
    E, T, m = 3.0, 1.0, 50.0
    assert tr.gamma_vector_heavy_seed(E, T, m, LAM) / tr.gamma_vector_heavy(E, T, m, LAM) == pytest.approx(6 / 5)
    assert tr.gamma_vector_light_seed(E, T, m, LAM) / tr.gamma_vector_light(E, T, m, LAM) == pytest.approx(4 / 3)
    assert tr.gamma_scalar_heavy_seed(E, T, m, LAM) / tr.gamma_scalar_heavy(E, T, m, LAM) == pytest.approx(6 / 5)


@pytest.mark.parametrize("m,E", [(0.1, 0.3), (0.1, 10.0), (1.0, 3.0), (3.0, 1.0)])
def test_light_scalar_decay_inverse_decay(m, E):
    """Breit-Wigner sigma (derived width) thermally averaged -> narrow-width closed form."""
    T, lam = 1.0, 1e-3
    w = cs.width_sterile_mediator(m, lam)
    g = thermal_rate(lambda s, mm, ww: cs.sigma_sterile_nunu(s, mm, lam, ww), E, T, m, w, resonance=(m, w))
    ref = tr.gamma_scalar_light(E, T, m, lam)
    assert g == pytest.approx(ref, rel=1e-3)
    # analytic delta route
    g2 = thermal_rate(lambda s, mm: 0 * s, E, T, m, delta=(cs.narrow_width_coefficient_sterile(m, lam), m**2))
    assert g2 == pytest.approx(ref, rel=1e-12)


@pytest.mark.parametrize("m,E", [(0.5, 2.0), (2.0, 1.0)])
def test_vector_onshell(m, E):
    T, lam = 1.0, 1e-3
    w = cs.width_vector_to_nunu(m, lam)
    # pole part only: subtract the same sigma with a huge width
    def pole(s, mm, ww):
        return cs.sigma_vector_nunubar(s, mm, lam, ww) - cs.sigma_vector_nunubar(s, mm, lam, 1e6 * mm)
    g = thermal_rate(pole, E, T, m, w, resonance=(m, w))
    assert g == pytest.approx(tr.gamma_vector_onshell(E, T, m, lam), rel=2e-3)


def test_seed_eq6_structure():
    """PRL eq. 6 (literal) = Boltzmann, g=1 per state, v_rel = sqrt(2(1-c)); check numerically."""
    E, T, m, lam = 2.0, 1.0, 1.5, 1e-2
    C = cs.narrow_width_coefficient_sterile(m, lam)
    # g int E'^2 dE' dc/(4pi^2) e^{-E'/T} C delta(2EE'(1-c) - m^2) sqrt(2(1-c)), g = 1
    from scipy.integrate import quad

    def f(ep):
        one_minus_c = m**2 / (2 * E * ep)
        return ep**2 / (4 * np.pi**2) * np.exp(-ep / T) * C / (2 * E * ep) * np.sqrt(2 * one_minus_c)
    one = quad(f, m**2 / (4 * E), np.inf, epsabs=0, epsrel=1e-12)[0]
    assert tr.gamma_scalar_light_seed(E, T, m, lam) == pytest.approx(2 * one, rel=1e-8)


@pytest.mark.parametrize("E,m", [(2.0, 1.5), (0.7, 4.0)])
def test_kernel_against_2d_integral(E, m):
    """1-D kernel reduction vs brute force over (E', cos theta)."""
    T, lam = 1.0, 0.3

    def sig(s, mm):  # no s-channel pole (t/u-channel processes only)
        return cs.sigma_vector_nunu(s, mm, lam) + cs.sigma_sterile_nunubar(s, mm, lam)

    def integrand(c, ep):
        s = 2 * E * ep * (1 - c)
        return 2 * ep**2 / (4 * np.pi**2) / (np.exp(ep / T) + 1) * sig(s, m) * (1 - c)
    brute = dblquad(integrand, 0, 45 * T, -1, 1, epsabs=0, epsrel=1e-8)[0]
    assert thermal_rate(sig, E, T, m, n_nodes=128) == pytest.approx(brute, rel=1e-6)
    # and the helicity factor scales it
    assert thermal_rate(sig, E, T, m, helicity_factor=1.0) == pytest.approx(
        0.5 * thermal_rate(sig, E, T, m), rel=1e-14)


def test_broadcast_bins_temperatures():
    E = np.geomspace(0.1, 20, 6)[:, None] * np.geomspace(0.01, 1, 5)[None, :]
    T = np.broadcast_to(np.geomspace(0.01, 1, 5)[None, :], E.shape)
    m, lam = 0.1, 1e-2
    w = cs.width_sterile_mediator(m, lam)
    g = thermal_rate(lambda s, mm, ww: cs.sigma_sterile_total(s, mm, lam, ww), E, T, m, w, resonance=(m, w))
    assert g.shape == (6, 5) and np.all(np.isfinite(g)) and np.all(g > 0)
    single = thermal_rate(lambda s, mm, ww: cs.sigma_sterile_total(s, mm, lam, ww), E[2, 3], T[2, 3], m, w,
                          resonance=(m, w))
    assert g[2, 3] == pytest.approx(single, rel=1e-12)
    for f in (tr.gamma_vector_heavy, tr.gamma_vector_light, tr.gamma_vector_onshell,
              tr.gamma_scalar_heavy, tr.gamma_scalar_light):
        assert f(E, T, m, lam).shape == (6, 5)
    assert tr.thermal_kernel_fd(E, E, T).shape == (6, 5)


def test_rate_table_interpolates_and_caches():
    tab = thermal_rate_table(("sigma_vector_nunu", "sigma_vector_nunubar"), 0.1, nx=30, nr=41,
                             r_range=(1e-2, 1e2))
    assert thermal_rate_table(("sigma_vector_nunu", "sigma_vector_nunubar"), 0.1, nx=30, nr=41,
                              r_range=(1e-2, 1e2)) is tab
    E, T, m = 2.7e-3, 1.1e-3, 0.9e-3
    direct = thermal_rate(_sigma_vector(0.1), E, T, m, resonance=(m, cs.width_vector_to_nunu(m, 0.1)))
    assert tab(E, T, m) == pytest.approx(direct, rel=2e-2)
