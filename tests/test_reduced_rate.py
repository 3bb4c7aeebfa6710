"""The per-instance tables of the mediator rates in w = m^2/(4ET) (qke.physics.reduced_rate).

Each mediator model evaluates the parts of its rate that depend on w alone from one table built
at construction (the self-interaction at its coupling and width, the plasma's Weyl partners and
annihilation channels at its mass). These tests hold the tables to the directly computed rates.
"""
import numpy as np
import pytest

from qke.models import get_model
from qke.physics import reduced_rate as rr
from qke.physics.mediator_rates import _fermi_parts, get_rate_table
from qke.physics.reduced_rate import ReducedRate

GRAY = dict(m4=7.1e-6, sin2_2theta=7e-11, flavor="mu")
#: (model, parameters): light and heavy mediators, pole- and off-shell-dominated couplings, quarks.
CASES = [
    ("scalar", dict(m_phi=0.01, coupling=1e-3)), ("scalar", dict(m_phi=1.0, coupling=0.05)),
    ("vector-nu", dict(m_v=0.01, coupling=1e-3)), ("vector-lmu-ltau", dict(m_v=0.3, coupling=1e-4)),
    ("vector-b-l", dict(m_v=1.0826, coupling=1.09e-3)), ("vector-b-l", dict(m_v=0.05, coupling=1e-4)),
    ("vector-b-l", dict(m_v=30.0, coupling=1e-2)),
]


def _direct(model, energy, temperature):
    """The mediator rate computed without the table of the instance [GeV]."""
    if model.name.startswith("vector"):
        rate = model.self_rate(energy, temperature)
        return rate if model.plasma_table is None else rate + model.plasma_rate(energy, temperature)
    return model.exact_w_rate(energy, temperature)


@pytest.mark.parametrize("convention", ["derived", "seed"])
@pytest.mark.parametrize("name, params", CASES)
def test_table_equals_direct_rate(name, params, convention):
    """Random (E, T) over E/T in [1e-3, 1e2], T in [0.1 MeV, 10 GeV]: within 1e-8 relative."""
    model = get_model(name, **GRAY, **params, convention=convention)
    rng = np.random.default_rng(7)
    t = 10.0 ** rng.uniform(-4.0, 1.0, (300, 1))
    e = t * 10.0 ** rng.uniform(-3.0, 2.0, (300, 40))
    direct = _direct(model, e, t)
    assert np.all(direct > 0)
    np.testing.assert_allclose(model.mediator_rate(e, t), direct, rtol=1e-8, atol=0.0)


def test_beyond_the_grid_the_direct_rate_is_used():
    """A point with |log10 w| > 14 sends the whole array to the direct evaluation (same numbers)."""
    model = get_model("vector-b-l", **GRAY, m_v=1e3, coupling=1e-2)
    t = np.array([[1e-4], [1.0]])
    e = np.array([[1e-6, 1e-4], [0.3, 3.0]])
    w = model.m_v**2 / (4.0 * e * t)
    assert np.log10(w).max() > rr.LOG10_W_MAX
    np.testing.assert_allclose(model.mediator_rate(e, t), _direct(model, e, t), rtol=1e-14, atol=0.0)


def test_smooth_parts_and_poles_are_interpolated_to_1e_8():
    """Power-law parts and the e^-w poles between the nodes (midpoints: the largest errors), up to w = 400."""
    table = get_rate_table("vector", "derived")
    off = ReducedRate.fit(table._reduced_off_shell)
    pole = ReducedRate.fit(lambda w: w * _fermi_parts(w)[0] / (2.0 * np.pi**2), falling=True)
    lw = rr.nodes()[:-1] + 0.5 / rr.PER_DECADE
    lw = lw[lw < np.log10(400.0)]
    w = 10.0**lw
    np.testing.assert_allclose(off(w, lw), table._reduced_off_shell(w), rtol=1e-8)
    np.testing.assert_allclose(pole(w, lw), w * _fermi_parts(w)[0] / (2.0 * np.pi**2), rtol=1e-7)


def test_piecewise_linear_is_exact_on_grid_nodes_and_linear_algebra():
    """Nodes on the grid: the same piecewise-linear function; sums and multiples are exact."""
    x = np.array([-8.0, -1.5, 0.25, 2.5, 5.0])
    v = np.array([1.0, 3.0, -2.0, 0.5, 4.0])
    pl = ReducedRate.piecewise_linear(x, v)
    lw = np.linspace(-10.0, 7.0, 1001)
    w = 10.0**lw
    np.testing.assert_allclose(pl(w, lw) * w * (1.0 + w), np.interp(lw, x, v), rtol=1e-12, atol=1e-12)
    other = ReducedRate.fit(lambda w: 1.0 / w)
    combined = pl * 2.0 + other * 3.0
    np.testing.assert_allclose(combined(w, lw), 2.0 * pl(w, lw) + 3.0 * other(w, lw), rtol=1e-12)


def test_plasma_slices_lie_on_the_grid():
    """Every node of the slices' axis (also the heavy extension) is a node of the table: no smoothing."""
    model = get_model("vector-b-l", **GRAY, m_v=30.0, coupling=1e-2)
    nodes = model._plasma_slices.axis.nodes
    k = (nodes - rr.LOG10_W_MIN) * rr.PER_DECADE
    assert nodes[-1] > 6.0   # the extension is present
    np.testing.assert_allclose(k, np.round(k), atol=1e-6)
