"""Standard-Model model: rates, thermal potentials, registry and validation."""

import numpy as np
import pytest

from qke import constants as const
from qke.errors import QKEInputError
from qke.models import MODELS, get_model
from qke.models.sm import LEPTONIC_RATE_COEFFICIENT, als_rate_coefficient


@pytest.mark.parametrize("flavor, b_expected, rel", [("e", 10.88e-9, 0.005), ("mu", 3.0e-9, 0.02)])
def test_potential_coefficient_relativistic(flavor, b_expected, rel):
    """V_T = -B E T^4 with the literature coefficients (Notzold-Raffelt, relativistic species)."""
    m = get_model("sm", flavor=flavor, potential="nr-relativistic")
    e, t = np.array([0.03, 0.3]), np.array([0.01, 0.1])
    b = -m.thermal_potential(e, t) / (e * t**4)
    assert np.allclose(b, b_expected, rtol=rel)


def test_massive_lepton_potential_limits():
    """With the actual lepton energy density: nu_mu below the muon threshold has B_mu,
    far above it B_e (muons relativistic); nu_e has B_e at T >> m_e."""
    mu = get_model("sm", flavor="mu")
    e = get_model("sm", flavor="e")
    b = lambda m, t: float(-m.thermal_potential(3 * t, t) / (3 * t * t**4))
    b_e = float(-get_model("sm", flavor="e", potential="nr-relativistic").thermal_potential(1.0, 1.0))
    b_mu = float(-get_model("sm", flavor="mu", potential="nr-relativistic").thermal_potential(1.0, 1.0))
    assert b(mu, 0.004) == pytest.approx(b_mu, rel=1e-4)
    assert b(mu, 20.0) == pytest.approx(b_e, rel=1e-3)
    assert b(e, 0.5) == pytest.approx(b_e, rel=1e-5)
    # monotonic switch-on of the muon contribution
    t = np.geomspace(0.005, 5.0, 30)
    bs = -mu.thermal_potential(3 * t, t) / (3 * t**5)
    assert np.all(np.diff(bs) > 0)


def test_leptonic_rate():
    for flavor, y in LEPTONIC_RATE_COEFFICIENT.items():
        m = get_model("sm", flavor=flavor, rate="leptonic")
        assert m.collision_rate(0.3, 0.1) == pytest.approx(y * const.G_F**2 * 0.3 * 0.1**4)


def test_als_table_low_temperature_limit():
    """At T -> 1 MeV the ALS coefficient approaches the leptonic one (README of the data)."""
    x = np.linspace(2.0, 4.0, 9)
    assert np.mean(als_rate_coefficient("e", 1e-3, x)) == pytest.approx(1.27, rel=0.1)
    assert np.mean(als_rate_coefficient("mu", 1e-3, x)) == pytest.approx(0.92, rel=0.1)
    # hadronic enhancement near the QCD transition
    assert np.mean(als_rate_coefficient("mu", 0.2, x)) > 3.0


def test_als_interpolation_reproduces_table_nodes():
    from qke.data import als_rate_table
    t, x, iq = als_rate_table("tau")
    i, j = 37, 11
    assert als_rate_coefficient("tau", t[i], x[j]) == pytest.approx(iq[i, j], rel=1e-6)


def test_rate_outside_table_is_clamped_and_finite():
    m = get_model("sm")
    vals = m.collision_rate(np.array([1e-6, 100.0, 1e-4]), np.array([1e-4, 50.0, 1e-2]))
    assert np.all(np.isfinite(vals)) and np.all(vals > 0)


def test_venumadhav_rate_close_to_als():
    als = get_model("sm", flavor="mu")
    ven = get_model("sm", flavor="mu", rate="venumadhav")
    t = np.array([0.02, 0.1, 1.0])
    ratio = ven.collision_rate(3 * t, t) / als.collision_rate(3 * t, t)
    assert np.all((ratio > 0.7) & (ratio < 1.4))


def test_vectorised_shapes(dw_model):
    e = np.ones((7, 1)) * np.linspace(0.01, 1.0, 5)
    t = np.linspace(0.01, 1.0, 7)[:, None]
    assert dw_model.collision_rate(e, t).shape == (7, 5)
    assert dw_model.thermal_potential(e, t).shape == (7, 5)
    assert dw_model.mixing(t).shape == (7, 1)


@pytest.mark.parametrize("kw, name", [
    ({"m4": -1e-6}, "m4"), ({"m4": 0.0}, "m4"), ({"m4": 20.0}, "m4"), ({"m4": 1e-36}, "m4"),
    ({"m4": 5.0}, "m4"),  # 5 GeV is above 0.1 T_peak ~ 2.3 GeV: not relativistic at production
    ({"sin2_2theta": 0.0}, "sin2_2theta"), ({"sin2_2theta": 1.5}, "sin2_2theta"),
    ({"flavor": "x"}, "flavor"), ({"rate": "bogus"}, "rate"), ({"potential": "bogus"}, "potential"),
    ({"rate": "venumadhav", "flavor": "e"}, "rate"),
])
def test_invalid_parameters(kw, name):
    with pytest.raises(QKEInputError, match=name):
        get_model("sm", **kw)


def test_registry():
    assert "sm" in MODELS
    with pytest.raises(QKEInputError, match="unknown model"):
        get_model("nonexistent")
    with pytest.raises(QKEInputError, match="m_phi: not a parameter"):
        get_model("sm", m_phi=1.0)


def test_models_are_immutable(dw_model):
    with pytest.raises(Exception):
        dw_model.m4 = 1.0
