"""Cosmology: g*(T), g*s(T), Hubble rate, entropy, expansion history."""
import math

import numpy as np
import pytest

from qke import constants as const
from qke.cosmology import ConstantCosmology, StandardCosmology, make_cosmology
from qke.errors import QKEInputError


def test_gstar_limits(standard):
    # today's values (photons + 3 decoupled neutrinos) and the plateau between
    # muon annihilation and neutrino decoupling, and the SM value above the EW scale
    assert standard.g_star_s(1e-5) == pytest.approx(3.931, abs=0.01)
    assert standard.g_star(1e-5) == pytest.approx(3.383, abs=0.01)
    assert standard.g_star_s(3e-3) == pytest.approx(10.75, abs=0.1)
    assert standard.g_star(1e3) == pytest.approx(106.75, rel=0.03)


def test_gstar_monotonic_across_qcd(standard):
    t = np.geomspace(1e-3, 10.0, 400)
    gs = standard.g_star_s(t)
    assert np.all(np.diff(gs) > -1e-6)
    # the QCD transition: g*s grows by more than a factor 2 between 100 and 300 MeV
    assert standard.g_star_s(0.3) / standard.g_star_s(0.1) > 2.0


def test_log_slope_matches_finite_difference(standard):
    t = np.geomspace(2e-3, 5.0, 50)
    h = 1e-4
    fd = (np.log(standard.g_star_s(t * math.exp(h))) - np.log(standard.g_star_s(t * math.exp(-h)))) / (2 * h)
    assert np.allclose(standard.dln_gs_dlnT(t), fd, atol=1e-4, rtol=1e-3)


def test_hubble_formula():
    c = ConstantCosmology(g=10.75)
    t = 1e-3
    expected = math.sqrt(8 * math.pi**3 * 10.75 / 90) * t**2 / const.M_PL
    assert c.hubble(t) == pytest.approx(expected, rel=1e-12)
    assert const.M_PL == pytest.approx(1.22089e19, rel=1e-5)


def test_entropy_density_and_expansion_constant_g(constant):
    t = np.geomspace(1e-3, 1.0, 5)
    assert np.allclose(constant.entropy_density(t), 2 * math.pi**2 / 45 * 10.75 * t**3)
    assert np.allclose(constant.dlna_dlnT(t), -1.0)
    assert np.allclose(constant.t_nu_over_t(t), 1.0)


def test_entropy_conservation_standard(standard):
    """a^3 s is constant: integrate d ln a/d ln T and compare s a^3 at the ends."""
    lnt = np.linspace(math.log(5.0), math.log(3e-3), 20001)
    dlna = standard.dlna_dlnT(np.exp(lnt))
    ln_a = np.concatenate([[0], np.cumsum(0.5 * (dlna[1:] + dlna[:-1]) * np.diff(lnt))])
    s = standard.entropy_density(np.exp(lnt))
    assert s[-1] * math.exp(3 * ln_a[-1]) / s[0] == pytest.approx(1.0, rel=1e-5)


def test_time_temperature_relation(standard):
    # t = 0.301 g*^{-1/2} M_Pl / T^2 for radiation domination at constant g*:
    # at T = 1 MeV with g* = 10.7 this is 0.74 s
    assert float(standard.time(1e-3)) == pytest.approx(0.74, rel=0.02)


def test_comoving_temperature_ratio(standard):
    """Before the QCD transition the plasma is colder than T_nu by (g*s/10.75)^{1/3}."""
    assert float(standard.t_nu_over_t(3e-3)) == pytest.approx(1.0, abs=0.01)
    assert float(standard.t_nu_over_t(1.0)) == pytest.approx((standard.g_star_s(1.0) / 10.75) ** (1 / 3))


def test_laine_schroder_table_close_to_default(standard):
    ls = make_cosmology("laine-schroder")
    t = np.array([1e-3, 0.05, 1.0, 10.0])
    assert np.allclose(ls.g_star_s(t), standard.g_star_s(t), rtol=0.1)


def test_bad_cosmology_inputs():
    with pytest.raises(QKEInputError, match="cosmology"):
        make_cosmology("flat-earth")
    with pytest.raises(QKEInputError, match="g"):
        ConstantCosmology(g=-1.0)
    with pytest.raises(QKEInputError, match="table"):
        StandardCosmology(table="nope")
