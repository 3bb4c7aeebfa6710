"""Sterile self-interactions beyond damping (issue 13): V_s[f22] in both solvers and the runaway."""
from dataclasses import replace

import numpy as np
import pytest

from qke.models import get_model
from qke.solvers import solve
from qke.solvers.qke import QKESettings, evolve_qke
from qke.solvers.rate import RateSettings

BASE = dict(m4=7.1e-6, sin2_2theta=1e-12, flavor="mu", self_m_phi=1.0)


def test_without_self_interaction_nothing_changes(dw_model):
    """No self-interaction: no kernels at all, so both solvers run exactly the code of plain DW."""
    assert dw_model.self_scattering_kernel is None and dw_model.sterile_potential_kernel is None
    c = dw_model.coefficients(0.1, 0.3)
    assert c.kernel is None and c.potential_kernel is None


def test_self_potential_can_be_switched_off():
    m = get_model("sm", **BASE, self_lambda=1e-2)
    assert m.sterile_potential_kernel is not None
    assert replace(m, self_potential=False).sterile_potential_kernel is None


def test_below_the_transition_the_self_potential_is_negligible():
    """lambda = 1e-3 (m_X = 1 GeV): V_s << V_a, both solvers equal plain DW with Gamma_s to 1e-3."""
    on = get_model("sm", **BASE, self_lambda=1e-3)
    off = replace(on, self_potential=False)
    for method, s in (("rate", None), ("qke", QKESettings(n_bins=40))):
        assert solve(on, method, settings=s).omega_h2 == pytest.approx(solve(off, method, settings=s).omega_h2,
                                                                       rel=1e-3)


@pytest.mark.slow
def test_runaway_transition_both_solvers_agree():
    """Between lambda = 1e-2 and 3e-2 Omega jumps by > 100x (the runaway), and the rate equation with
    feedback follows the QKE (collision-dominated resonance) to 1 %; production runs from a few
    hundred MeV to a few tens of MeV."""
    below, above = (get_model("sm", **BASE, self_lambda=lam) for lam in (1e-2, 3e-2))
    r_below, r_above = (solve(m, "rate", settings=RateSettings(rtol=1e-3)) for m in (below, above))
    assert r_above.omega_h2 > 100 * r_below.omega_h2
    q_above = solve(above, "qke", settings=QKESettings(n_bins=60))
    assert q_above.omega_h2 == pytest.approx(r_above.omega_h2, rel=1e-2)
    t, d = q_above.temperature, q_above.dY_dlnT
    active = t[d > 0.01 * d.max()]
    assert 0.15 < active.max() < 0.5 and 0.02 < active.min() < 0.1


@pytest.mark.slow
def test_transition_converges_in_grid_and_tolerance():
    """Omega just above the transition changes by < 1 % between rtol 1e-3 and 3e-4 (rate) and
    60 and 120 bins (QKE)."""
    m = get_model("sm", **BASE, self_lambda=3e-2)
    a, b = (solve(m, "rate", settings=RateSettings(rtol=r)).omega_h2 for r in (1e-3, 3e-4))
    assert a == pytest.approx(b, rel=1e-2)
    q60, q120 = (solve(m, "qke", settings=QKESettings(n_bins=n, rtol=1e-4)).omega_h2 for n in (60, 120))
    assert q60 == pytest.approx(q120, rel=1e-2)


def test_self_consistent_iteration_is_reported():
    ev = evolve_qke(get_model("sm", **BASE, self_lambda=1e-2), settings=QKESettings(n_bins=40, rtol=1e-4))
    st = ev.result.stats
    assert st.gamma_s_sweeps >= st.step_attempts > 0 and np.all(ev.gamma_s >= 0)
