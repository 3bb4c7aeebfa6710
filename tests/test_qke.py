"""Unit tests of the density-matrix (QKE) solver: settings, integrator, invariants, errors."""
from dataclasses import dataclass

import numpy as np
import pytest
from scipy.linalg import expm

from qke.cosmology import ConstantCosmology
from qke.errors import QKEInputError, SolverError
from qke.models import get_model
from qke.models.sm import StandardModel
from qke.solvers import _radau
from qke.solvers.qke import QKESettings, evolve_qke, solve_qke
from qke.solvers.result import yield_from_spectrum

FAST = dict(n_bins=40, rtol=1e-5)


# --- settings ---------------------------------------------------------------
@pytest.mark.parametrize("kw, name", [
    ({"n_bins": 7}, "n_bins"), ({"n_bins": 41}, "n_bins"), ({"y_max": 1.0}, "y_max"),
    ({"rtol": 0.0}, "rtol"), ({"atol_diag": -1.0}, "atol_diag"), ({"atol_offdiag": 1.0}, "atol_offdiag"),
    ({"t_high": -1.0}, "t_high"), ({"t_high": 0.01, "t_low": 0.1}, "t_low"), ({"max_steps": 0}, "max_steps"),
])
def test_settings_validation_names_parameter(kw, name):
    with pytest.raises(QKEInputError, match=name):
        QKESettings(**kw).validate()


def test_settings_defaults_and_resolved(dw_model):
    s = QKESettings()
    assert (s.n_bins, s.y_max, s.repopulation) == (200, 20.0, True)
    assert s.t_high is None and s.t_low is None
    res = solve_qke(dw_model, settings=QKESettings(**FAST))
    for key in ("n_bins", "y_max", "t_high", "t_low", "rtol", "atol_diag", "atol_offdiag", "repopulation"):
        assert getattr(res.settings, key) is not None
    assert res.settings.t_high > res.settings.t_low > 0


# --- the Radau IIA step -----------------------------------------------------
def _rotation_system(u, w=50.0, gam=0.5):
    j = np.array([[-gam, -w * (1 + u)], [w * (1 + u), -gam]])
    return j


def test_radau_step_order_on_linear_system():
    """Local error of one collocation step of y' = J(u) y falls as h^6 (order 5)."""
    y0 = np.array([1.0, 0.0])

    def step(h):
        jac = np.stack([_rotation_system(c * h)[None] for c in _radau.C])
        f0 = np.einsum("knab,b->kna", jac, y0)
        return y0 + _radau.collocation_solve(h, jac, f0)[2, 0]

    def exact(h, n=4000):
        # fine product of exponentials (midpoint), accurate to ~(h/n)^2
        y, du = y0.copy(), h / n
        for k in range(n):
            y = expm(_rotation_system((k + 0.5) * du) * du) @ y
        return y

    errs = [np.linalg.norm(step(h) - exact(h)) for h in (0.02, 0.01)]
    assert errs[0] / errs[1] > 2**5


def test_radau_l_stable():
    """|lambda h| -> infinity: the step damps the fast mode to (almost) nothing (R(inf) = 0)."""
    lam = -1e12 + 1e12j
    jac = np.array([[lam.real, -lam.imag], [lam.imag, lam.real]])[None, None].repeat(3, axis=0)
    y0 = np.array([1.0, 0.0])
    f0 = np.einsum("knab,b->kna", jac, y0)
    y1 = y0 + _radau.collocation_solve(0.1, jac, f0)[2, 0]
    assert np.linalg.norm(y1) < 1e-9


# --- invariants ------------------------------------------------------------
def test_trace_conserved_without_repopulation_constant_g():
    """d(f11 + f22)/dt = 0 without repopulation; Radau preserves linear invariants to round-off.

    Constant g* so that nothing else changes f_eq(p/T) in comoving momentum.
    """
    m = get_model("sm", m4=7.1e-6, sin2_2theta=1e-7, flavor="mu")
    ev = evolve_qke(m, ConstantCosmology(), QKESettings(repopulation=False, **FAST))
    trace0 = ev.initial_state[:, 0] + ev.initial_state[:, 1]
    trace1 = ev.state[:, 0] + ev.state[:, 1]
    np.testing.assert_allclose(trace1, trace0, rtol=1e-12, atol=1e-15)
    assert ev.state[:, 1].max() > 1e-4  # something was produced


def test_f22_nonnegative_and_below_f11(dw_model):
    ev = evolve_qke(dw_model, settings=QKESettings(**FAST))
    assert ev.min_f22 >= -1e-15
    assert np.all(ev.state[:, 1] >= 0)
    assert np.all(ev.state[:, 1] < ev.state[:, 0])


def test_hermitian_by_construction(dw_model):
    """Four real numbers per bin: diagonals real, f21 = conj(f12) implicit; coherence is small but nonzero."""
    ev = evolve_qke(dw_model, settings=QKESettings(**FAST))
    assert ev.state.shape == (40, 4) and ev.state.dtype == float
    rho = np.empty((40, 2, 2), complex)
    rho[:, 0, 0], rho[:, 1, 1] = ev.state[:, 0], ev.state[:, 1]
    rho[:, 0, 1] = ev.state[:, 2] + 1j * ev.state[:, 3]
    rho[:, 1, 0] = np.conj(rho[:, 0, 1])
    np.testing.assert_array_equal(rho, np.conj(np.swapaxes(rho, 1, 2)))
    # positive semi-definite density matrix (det >= 0)
    det = (rho[:, 0, 0] * rho[:, 1, 1] - abs(rho[:, 0, 1]) ** 2).real
    assert np.all(det >= 0)


def test_repopulation_keeps_active_in_equilibrium(dw_model, standard):
    """With repopulation f11 = f_eq(p/T) at the end (T_nu = T there: g*s = 10.75 after muon annihilation)."""
    ev = evolve_qke(dw_model, standard, QKESettings(**FAST))
    t_low = ev.result.settings.t_low
    x = ev.y * float(standard.t_nu_over_t(t_low))
    np.testing.assert_allclose(ev.state[:, 0], 1.0 / (np.exp(x) + 1.0), rtol=1e-3)


def test_repopulation_negligible_at_small_mixing():
    """Repopulation changes Omega by O(f22/f11) ~ sin^2 2theta, negligible at small mixing (constant g*).

    Meaningful only with constant g*: in the standard cosmology the entropy
    release (QCD transition, muon annihilation) heats the plasma, so in
    comoving momentum f_eq(p/T) rises in time. With repopulation the active
    neutrinos follow it; without, f11 stays frozen at its initial value and
    the source f11 - f22 is much smaller -- a real physical effect, not
    negligible (next test). In constant g* the only effect of dropping
    repopulation is the depletion of f11 by the sterile states produced, a
    relative change ~ f22/f11, proportional to sin^2 2theta.
    """
    c = ConstantCosmology()
    diffs = []
    for s2 in (1e-11, 1e-10):
        m = get_model("sm", m4=7.1e-6, sin2_2theta=s2, flavor="mu")
        on = solve_qke(m, c, QKESettings(repopulation=True, **FAST))
        off = solve_qke(m, c, QKESettings(repopulation=False, **FAST))
        diffs.append(1 - off.omega_h2 / on.omega_h2)
        np.testing.assert_allclose(off.f_s[1:], on.f_s[1:], rtol=2 * diffs[-1] + 1e-9)
    assert 0 < diffs[0] < 1e-4
    assert diffs[1] / diffs[0] == pytest.approx(10.0, rel=0.05)


def test_without_repopulation_standard_cosmology_shows_entropy_heating(dw_model, standard):
    """Standard cosmology, no repopulation: f11 stays frozen while f_eq(y) is heated -> much less production.

    At t_high ~ 3.8 GeV, T_nu/T = (g*s/10.75)^{1/3} ~ 1.9, so a bin y starts
    with f11 = 1/(e^{1.9 y} + 1), far colder than the equilibrium at
    production (T ~ 170 MeV, T_nu/T ~ 1.3) into which repopulation keeps it.
    """
    on = solve_qke(dw_model, standard, QKESettings(repopulation=True, **FAST))
    ev = evolve_qke(dw_model, standard, QKESettings(repopulation=False, **FAST))
    np.testing.assert_allclose(ev.state[:, 0] + ev.state[:, 1], ev.initial_state[:, 0], rtol=1e-12)
    ratio = ev.result.omega_h2 / on.omega_h2
    assert 0.2 < ratio < 0.8


# --- result -------------------------------------------------------------------
def test_result_fields_and_history_consistent(dw_model):
    res = solve_qke(dw_model, settings=QKESettings(**FAST))
    assert res.method == "qke"
    for key in ("steps", "jacobian_evaluations", "rhs_evaluations", "wall_time_s", "rejected_steps"):
        assert hasattr(res.stats, key)
    assert res.stats.steps > 10
    assert res.y[0] == 0.0 and res.f_s[0] == 0.0 and res.y.size == 41
    assert res.yield_ == pytest.approx(yield_from_spectrum(res.y, res.f_s, 10.75), rel=1e-12)
    # production history integrates to the yield
    u = -np.log(res.temperature)
    total = np.sum(0.5 * (res.dY_dlnT[1:] + res.dY_dlnT[:-1]) * np.diff(u))
    assert total == pytest.approx(res.yield_, rel=3e-3)
    assert 0.05 < res.peak_temperature < 0.5
    d = res.to_dict()
    assert d["method"] == "qke" and d["stats"]["steps"] == res.stats.steps


def test_other_rate_and_potential_prescriptions():
    m = StandardModel(m4=7.1e-6, sin2_2theta=2e-9, flavor="e", rate="leptonic", potential="nr-relativistic")
    res = solve_qke(m, settings=QKESettings(**FAST))
    assert res.omega_h2 > 0


# --- failures -------------------------------------------------------------------
def test_step_budget_error_names_z_bin_cause(dw_model):
    with pytest.raises(SolverError) as exc:
        solve_qke(dw_model, settings=QKESettings(max_steps=3, **FAST))
    msg = str(exc.value)
    assert "z = " in msg and "bin " in msg and "cause" in msg


@dataclass(frozen=True)
class _BrokenModel(StandardModel):
    """Collision rate is NaN below 100 MeV."""

    def collision_rate(self, energy, temperature):
        g = super().collision_rate(energy, temperature)
        return np.where(np.asarray(temperature) < 0.1, np.nan, g)


def test_nonfinite_model_error_names_z_bin_cause():
    m = _BrokenModel(m4=7.1e-6, sin2_2theta=2e-9)
    with pytest.raises(SolverError) as exc:
        solve_qke(m, settings=QKESettings(**FAST))
    msg = str(exc.value)
    assert "z = " in msg and "bin 0" in msg and "cause" in msg and "damping" in msg
    z = float(msg.split("z = ")[1].split(")")[0])
    assert z >= 1e-3 / 0.1 * (1 - 1e-9)


def test_rejects_non_model():
    with pytest.raises(QKEInputError, match="model"):
        solve_qke("sm")


# --- the self-consistent coupling (sterile self-interactions) ---------------------------
def test_radau_extrapolation_exact_for_cubics():
    """The next step's stages predicted from the last collocation polynomial: exact for a cubic in u."""
    def y(u):
        return 2 * u - u**2 + 0.5 * u**3

    h, u0, ratio = 0.1, 0.3, 1.7
    z = np.array([y(u0 + c * h) - y(u0) for c in _radau.C])
    u1, h1 = u0 + h, ratio * h
    expected = np.array([y(u1 + c * h1) - y(u1) for c in _radau.C])
    np.testing.assert_allclose(_radau.extrapolate(z, ratio), expected, rtol=0, atol=1e-13)


def test_gmres_identity_plus_low_rank():
    rng = np.random.default_rng(1)
    n = 120
    op = np.eye(n) - rng.normal(size=(n, 3)) @ rng.normal(size=(3, n)) / 5
    b = rng.normal(size=n)
    x = _radau.gmres(lambda v: op @ v, b, rtol=1e-12)
    assert np.linalg.norm(op @ x - b) < 1e-10 * np.linalg.norm(b)


def test_collocation_extra_columns_and_coupled_resolvent_match_dense_algebra():
    """M^-1 U from the batched solve, and the Woodbury resolvent (mu/h - J - P G e_1)^-1 against dense solves."""
    rng = np.random.default_rng(2)
    n, h = 6, 0.05
    jac = rng.normal(size=(3, n, 4, 4))
    f0 = rng.normal(size=(3, n, 4))
    dfdp = rng.normal(size=(3, n, 4, 2))
    u = _radau.coupling_columns(h, dfdp)
    z, x = _radau.collocation_solve(h, jac, f0, u)
    np.testing.assert_allclose(z, _radau.collocation_solve(h, jac, f0), rtol=1e-12)
    m = np.eye(12)[None] - h * np.einsum("ij,jnab->niajb", _radau.A, jac).reshape(n, 12, 12)
    np.testing.assert_allclose(np.einsum("nab,nbc->nac", m, x), u, atol=1e-12)
    # the coupled resolvent of the error estimate
    jac0, p0 = jac[0], dfdp[0]
    kernels = [rng.normal(size=(n, n)), None]
    full = np.zeros((4 * n, 4 * n))
    for i in range(n):
        full[4 * i:4 * i + 4, 4 * i:4 * i + 4] = jac0[i]
        full[4 * i:4 * i + 4, 1::4] += p0[i, :, 0][:, None] * kernels[0][i][None, :]
    dense = np.eye(4 * n) * _radau.MU_REAL / h - full
    lu = np.eye(4)[None] * _radau.MU_REAL / h - jac0
    v = rng.normal(size=(n, 4))
    got = _radau._coupled_resolvent(np.linalg.inv(lu), p0, kernels, 1)(v)
    np.testing.assert_allclose(got.ravel(), np.linalg.solve(dense, v.ravel()), rtol=1e-10)


def test_self_consistency_failure_names_z_bin_cause():
    """One iteration allowed: the self-consistent iteration can never be checked, every attempt fails."""
    m = get_model("sm", m4=7.1e-6, sin2_2theta=1e-12, flavor="mu", self_m_phi=1.0, self_lambda=3e-2)
    with pytest.raises(SolverError) as exc:
        solve_qke(m, settings=QKESettings(max_gamma_s_iterations=1, **FAST))
    msg = str(exc.value)
    assert "z = " in msg and "bin " in msg and "cause: the self-consistent" in msg and "did not converge" in msg
