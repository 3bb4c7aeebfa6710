"""Checks of the thermal potentials: generated integrand, limits, table, SM coefficients."""
import numpy as np
import pytest

from qke.generated import thermal_potentials as tp
from qke.physics import potentials as P

# constants of the derivation report (derivations/thermal_potentials.py)
G_F, M_W, M_Z = 1.1663787e-5, 80.377, 91.1876


@pytest.mark.parametrize("e", [0.3, 1.0, 3.0])
def test_heavy_limit(e):
    r = 100.0
    G = P.potential_G_quad(e, r)
    heavy = tp.v_scalar_heavy(e, 1.0, r, 1.0)
    assert abs(G / heavy - 1) < 0.01


@pytest.mark.parametrize("e", [0.3, 1.0, 3.0])
def test_light_limit(e):
    r = 1e-3
    G = P.potential_G_quad(e, r)
    light = tp.v_scalar_light(e, 1.0, r, 1.0)
    assert abs(G / light - 1) < 0.01


def test_vector_is_twice_scalar_and_limits():
    u = np.linspace(0.01, 20, 50)
    np.testing.assert_allclose(tp.potential_integrand_vector(u, 1.3, 0.7),
                               2 * tp.potential_integrand_scalar(u, 1.3, 0.7), rtol=1e-14)
    assert np.isclose(tp.v_vector_heavy(2.0, 1.0, 50.0, 0.1), 2 * tp.v_scalar_heavy(2.0, 1.0, 50.0, 0.1))
    assert np.isclose(tp.v_vector_light(2.0, 1.0, 1e-3, 0.1), 0.1**2 / (8 * 2.0))
    E, T, m, lam = 3e-3, 1e-3, 0.5, 1e-2
    assert np.isclose(P.mediator_potential(E, T, m, lam, "vector"),
                      2 * P.mediator_potential(E, T, m, lam, "scalar"))
    np.testing.assert_allclose(P.mediator_potential(E, T, m, lam, "vector"),
                               tp.v_vector_heavy(E, T, m, lam), rtol=1e-3)


def test_safe_integrand_matches_literal_form_where_that_is_accurate():
    u = np.linspace(0.013, 30, 400)
    for e, r in [(1.0, 1.0), (3.0, 0.5), (0.2, 0.9)]:
        w = np.sqrt(u * u + r * r)
        L1 = np.log(abs((4 * u * e + r * r) / (4 * u * e - r * r)))
        L2 = np.log(abs((r * r - 4 * e * e + 4 * u * e) / (r * r - 4 * e * e - 4 * u * e)))
        lit = -1 / (16 * np.pi**2 * e**2) * ((r * r * u / (2 * w) * L2 - 4 * e * u * u / w) / np.expm1(w)
                                             + (r * r / 2 * L1 - 4 * e * u) / (np.exp(u) + 1))
        np.testing.assert_allclose(tp.potential_integrand_scalar(u, e, r), lit, rtol=1e-8, atol=1e-14)


def test_sign_change_near_t_of_order_m():
    e = 3.0
    r = np.logspace(-1, 2, 200)
    G = P.potential_G(e, r)
    assert G[0] > 0 and G[-1] < 0
    crossings = r[1:][np.diff(np.sign(G)) != 0]
    assert len(crossings) == 1 and 1.0 < crossings[0] < 30.0


def test_table_vs_direct_quadrature():
    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(40):
        e, r = 10 ** rng.uniform(-3, 3), 10 ** rng.uniform(-4, 4)
        q = P.potential_G_quad(e, r)
        if abs(q) < 0.05 * P._scale(e, r):      # skip the immediate vicinity of the zero
            continue
        assert abs(P.potential_G(e, r) / q - 1) < 5e-3, (e, r)
        checked += 1
    assert checked >= 30


def test_outside_table_uses_limits_continuously():
    # deep heavy / light beyond the table
    assert np.isclose(P.potential_G(1.0, 1e5), tp.v_scalar_heavy(1.0, 1.0, 1e5, 1.0), rtol=1e-6)
    assert np.isclose(P.potential_G(1.0, 1e-6), tp.v_scalar_light(1.0, 1.0, 1e-6, 1.0), rtol=2e-4)
    # continuity at the edges
    for e, r in [(1.0, 1e4), (2.0, 1e-4), (1e-3, 1.0), (1e3, 1.0)]:
        a = P.potential_G(e * (1 - 1e-9), r * (1 - 1e-9))
        b = P.potential_G(e * (1 + 1e-9), r * (1 + 1e-9))
        assert np.isclose(a, b, rtol=1e-6)


def test_arrays_of_shape_bins_by_temperatures():
    x = np.logspace(-2, 1.3, 30)[:, None]
    T = np.logspace(-3, 0, 8)[None, :]
    V = P.mediator_potential(x * T, T, 0.01, 1e-3)
    assert V.shape == (30, 8) and np.all(np.isfinite(V))
    u = np.ones((30, 8))
    assert tp.potential_integrand_scalar(u, x * u, 0.3 * u).shape == (30, 8)
    assert tp.v_nr(x * T, T**4, T**4, G_F, M_Z, M_W).shape == (30, 8)
    assert tp.v_seed_paper(x * T, T, G_F, M_Z, M_W).shape == (30, 8)


def test_nr_b_coefficients():
    B_e = tp.nr_b_coefficient(G_F, M_Z, M_W, 1)
    B_mu = tp.nr_b_coefficient(G_F, M_Z, M_W, 0)
    assert abs(B_e / 10.88e-9 - 1) < 0.005
    assert abs(B_mu / 3.0e-9 - 1) < 0.02
    E, T = 1e-3, 0.01
    rho_nu, rho_l = 7 * np.pi**2 * T**4 / 120, 7 * np.pi**2 * T**4 / 60
    assert np.isclose(tp.v_nr(E, rho_nu, rho_l, G_F, M_Z, M_W), -B_e * E * T**4)
    # seeds' literal forms differ from Notzold-Raffelt
    assert np.isclose(tp.v_seed_paper(E, T, G_F, M_Z, M_W) / (-B_e * E * T**4), 3.72 / (7 * np.sqrt(2) * np.pi**2 / 45),
                      rtol=1e-12)
    assert tp.v_seed_draft(E, T, G_F, M_Z, M_W) < 0


def test_invalid_kind():
    with pytest.raises(ValueError):
        P.mediator_potential(1.0, 1.0, 1.0, 1.0, kind="tensor")
