"""Averaged rate-equation solver: limits, conservation, convergence, published numbers."""
import math

import numpy as np
import pytest
from scipy.integrate import quad

from qke import constants as const
from qke.cosmology import ConstantCosmology, make_cosmology
from qke.errors import QKEInputError
from qke.models import get_model
from qke.models.sm import StandardModel
from qke.solvers.rate import RateSettings, solve_rate
from qke.solvers.result import yield_from_spectrum


def test_linear_in_mixing_at_small_angle(dw_model, standard):
    m1 = get_model("sm", m4=7.1e-6, sin2_2theta=1e-11)
    m2 = get_model("sm", m4=7.1e-6, sin2_2theta=1e-10)
    r1, r2 = solve_rate(m1, standard), solve_rate(m2, standard)
    assert r2.omega_h2 / r1.omega_h2 == pytest.approx(10.0, rel=1e-4)
    assert r2.mean_p_over_T == pytest.approx(r1.mean_p_over_T, rel=1e-5)


def test_independent_of_end_point(dw_model, standard):
    """Once production has stopped, Y and the comoving spectrum no longer change."""
    base = solve_rate(dw_model, standard)
    t_peak = dw_model.production_temperature()
    for t_low in (t_peak / 50, 3e-3):
        other = solve_rate(dw_model, standard, RateSettings(t_low=t_low))
        assert other.omega_h2 == pytest.approx(base.omega_h2, rel=3e-4)
        assert other.mean_p_over_T == pytest.approx(base.mean_p_over_T, rel=3e-4)


def test_independent_of_start_point(dw_model, standard):
    base = solve_rate(dw_model, standard)
    other = solve_rate(dw_model, standard, RateSettings(t_high=40 * dw_model.production_temperature()))
    assert other.omega_h2 == pytest.approx(base.omega_h2, rel=3e-4)


def test_grid_and_tolerance_convergence(dw_model, standard):
    base = solve_rate(dw_model, standard)
    assert base.diagnostics.converged
    tight = solve_rate(dw_model, standard, RateSettings(rtol=1e-5))
    fine = solve_rate(dw_model, standard, RateSettings(n_t=4 * base.settings.n_t,
                                                      n_y=4 * base.settings.n_y, max_refine=0))
    wide = solve_rate(dw_model, standard, RateSettings(y_max=40.0, n_y=256))
    for other in (tight, fine, wide):
        assert other.omega_h2 == pytest.approx(base.omega_h2, rel=1e-3)
    # the error estimate is honest to within a factor of a few
    assert abs(base.omega_h2 / fine.omega_h2 - 1) < 3 * base.diagnostics.error_estimate + 1e-5


def test_history_integrates_to_yield(dw_model, standard):
    res = solve_rate(dw_model, standard)
    u = -np.log(res.temperature)
    assert np.trapezoid(res.dY_dlnT, u) == pytest.approx(res.yield_, rel=1e-3)
    assert yield_from_spectrum(res.y, res.f_s, standard.g_s_ref) == pytest.approx(res.yield_, rel=1e-12)
    assert np.all(res.f_s >= 0)


def _closed_form_fs(x, m4, s2, t_lo, t_hi, g=10.75):
    """Seeds' fixed-x integrand with Gamma = 0.92 G_F^2 E T^4, V = -B_mu E T^4, constant g*."""
    b = 8 * math.sqrt(2) / 3 * 7 * math.pi**2 / 120 * const.G_F / const.M_Z**2
    c2 = math.sqrt(1 - s2)

    def integrand(lnt):
        t = math.exp(lnt)
        e = x * t
        gam = 0.92 * const.G_F**2 * e * t**4
        delta = m4**2 / (2 * e)
        eff = delta**2 * s2 / (delta**2 * s2 + gam**2 / 4 + (delta * c2 + b * e * t**4) ** 2)
        h = math.sqrt(8 * math.pi**3 * g / 90) * t**2 / const.M_PL
        return gam / (4 * h) * eff / (math.exp(x) + 1)

    return quad(integrand, math.log(t_lo), math.log(t_hi), epsrel=1e-10, limit=200)[0]


def test_constant_g_mode_matches_direct_quadrature():
    """With constant g*, the solver is the seeds' fixed-x equation; compare with quad."""
    m = get_model("sm", m4=7.1e-6, sin2_2theta=2e-9, flavor="mu", rate="leptonic", potential="nr-relativistic")
    res = solve_rate(m, ConstantCosmology(), RateSettings(depletion=False, rtol=1e-6))
    st = res.settings
    for i in (8, 19, 32, 64):
        x = res.y[i]
        ref = _closed_form_fs(x, m.m4, m.sin2_2theta, st.t_low, st.t_high)
        assert res.f_s[i] == pytest.approx(ref, rel=1e-5)


def _peak_temperature(m4_kev):
    m = get_model("sm", m4=m4_kev * 1e-6, sin2_2theta=1e-10, flavor="mu", rate="leptonic",
                  potential="nr-relativistic")
    res = solve_rate(m, ConstantCosmology(), RateSettings(n_t=2048, depletion=False, rtol=1e-3))
    # parabolic refinement of the maximum of dY/d ln T in ln T
    i = int(np.argmax(res.dY_dlnT))
    lnt = np.log(res.temperature[i - 1:i + 2])
    yv = res.dY_dlnT[i - 1:i + 2]
    a, b, _ = np.polyfit(lnt, yv, 2)
    return math.exp(-b / (2 * a))


def test_production_peak_temperature():
    """T_max ~ 133 MeV (m4/keV)^{1/3} (Berlin & Hooper 2017, SPEC section 5), seeds' constant-g* mode."""
    masses = np.array([1.0, 3.16, 10.0])
    peaks = np.array([_peak_temperature(m) for m in masses])
    slope = np.polyfit(np.log(masses), np.log(peaks), 1)[0]
    assert slope == pytest.approx(1 / 3, abs=0.01)
    assert peaks / masses ** (1 / 3) == pytest.approx(0.133, rel=0.2)


# Asaka, Laine & Shaposhnikov, JHEP 01 (2007) 091, hep-ph/0612182: Fig. 4 gives the
# nu_e DW abundance as Omega h^2 = 0.11 C_e(m) (theta m / 0.1 eV)^2 (theta^2 = sin^2 2theta/4)
# and Fig. 8 the mean momentum <q>/<q_a> (<q_a> = 3.151 T for Fermi-Dirac); values as
# digitised from their figures. Their calculation uses the same rate tables (shipped here)
# with the Laine-Schroder equation of state, so we compare with cosmology 'laine-schroder'.
# Tolerance: the spectral shape agrees to 2 %; the normalisation is 15-18 % lower here, a
# systematic offset we have not traced (within the factor ~2 hadronic band ALS quote for
# this curve), so the normalisation is tested at 25 %.
ALS_FIG4 = [(1.065, 0.7798503), (3.123, 0.6520438), (6.874, 0.5256189), (10.20, 0.4675878),
            (19.39, 0.3943581)]
ALS_FIG8 = {1.065: 0.875607, 3.123: 0.846024, 6.874: 0.807848, 10.20: 0.780067, 19.39: 0.716509}
MEAN_Q_FD = 7 * math.pi**4 / (180 * 1.2020569031595942)  # <p/T> of a Fermi-Dirac spectrum


@pytest.mark.parametrize("m_kev, c_e", ALS_FIG4[::2])
def test_published_dw_abundance_als2007(m_kev, c_e):
    s2 = 1e-9
    res = solve_rate(get_model("sm", m4=m_kev * 1e-6, sin2_2theta=s2, flavor="e"),
                     make_cosmology("laine-schroder"))
    omega_als = 0.11 * c_e * (s2 / 4) * (m_kev * 1e3 / 0.1) ** 2
    assert res.omega_h2 == pytest.approx(omega_als, rel=0.25)
    assert res.mean_p_over_T / MEAN_Q_FD == pytest.approx(ALS_FIG8[m_kev], rel=0.02)


def test_benchmark_point_value(dw_model, standard):
    """Regression value for the issue's example (SM, nu_mu, 7.1 keV, sin^2 2theta = 2e-9),
    computed with 4x finer grids than the defaults; guards against unintended changes."""
    res = solve_rate(dw_model, standard)
    assert res.omega_h2 == pytest.approx(0.12110, rel=2e-3)
    assert res.mean_p_over_T == pytest.approx(2.488, rel=2e-3)


@pytest.mark.parametrize("kw, name", [
    ({"t_high": -1.0}, "t_high"), ({"t_low": 1.0, "t_high": 0.5}, "t_low"), ({"n_y": 10}, "n_y"),
    ({"n_t": 6}, "n_t"), ({"y_max": 1.0}, "y_max"), ({"rtol": 0.5}, "rtol"),
])
def test_bad_settings(dw_model, kw, name):
    with pytest.raises(QKEInputError, match=name):
        solve_rate(dw_model, settings=RateSettings(**kw))


class _FastModel(StandardModel):
    """SM with a 1e3 times larger mixing-independent rate prefactor: production thermalises (k du >> 1)."""

    def collision_rate(self, energy, temperature):
        return 1e3 * super().collision_rate(energy, temperature)


def test_thermalising_production_is_stable_and_converged():
    """Where k du >> 1 the exponential integrator takes over: 0 <= f_s <= f_eq, and refining the
    grid changes the yield by less than the tolerance (Simpson with the depletion weight gave f_s < 0)."""
    m = _FastModel(m4=7.1e-6, sin2_2theta=1e-4, flavor="mu")
    cos = ConstantCosmology()
    res = solve_rate(m, cos)
    f_eq = 1.0 / (np.exp(res.y) + 1.0)
    assert np.all(res.f_s >= 0) and np.all(res.f_s <= f_eq * (1 + 1e-6))
    sel = res.y < 8
    np.testing.assert_allclose(res.f_s[sel][1:], f_eq[sel][1:], rtol=2e-2)  # (nearly) thermalised
    fine = solve_rate(m, cos, RateSettings(t_high=res.settings.t_high, t_low=res.settings.t_low,
                                           n_t=4 * res.settings.n_t, n_y=res.settings.n_y, max_refine=0))
    assert fine.omega_h2 == pytest.approx(res.omega_h2, rel=1e-3)


def test_clock_grid_puts_a_kink_on_a_panel_boundary():
    """The kink lands on a node with index divisible by 4 (a Simpson panel boundary of the grid
    and of its half); the nearer end moves out by at most 8 intervals, the other stays."""
    import math

    from qke.solvers.rate import _clock_grid

    h = (math.log(3.0) - math.log(0.01)) / 96
    for kink in (0.7, 0.02):  # near the hot end, near the cold end
        u = _clock_grid(3.0, 0.01, 96, kinks=(kink,))
        k = int(np.argmin(np.abs(u + math.log(kink))))
        assert u[k] == pytest.approx(-math.log(kink), abs=1e-12) and k % 4 == 0 and u.size == 97
        assert -math.log(3.0) - 8 * h <= u[0] <= -math.log(3.0) + 1e-12
        assert -math.log(0.01) - 1e-12 <= u[-1] <= -math.log(0.01) + 8 * h
        np.testing.assert_allclose(np.diff(u), np.diff(u)[0], rtol=1e-9)
    # no kink in range: the plain grid
    np.testing.assert_array_equal(_clock_grid(3.0, 0.01, 96, kinks=(5.0,)),
                                  np.linspace(-math.log(3.0), -math.log(0.01), 97))


@pytest.fixture(scope="module")
def branch_b():
    """PRL Fig. 2's point B (derived): production at 100-200 MeV on a kernel with features a
    coarse grid aliases, so the grid is refined in a narrow range of T only."""
    return get_model("scalar", m4=7.1e-6, sin2_2theta=7e-11, flavor="mu", convention="derived",
                     m_phi=1.0826367338740541, coupling=0.005174801190229367)


def test_branch_b_meets_the_tolerance_with_the_clock_structure_resolved(branch_b):
    """Branch B's production straddles the QCD crossover, where the Richardson estimate can alias
    the clock factor's structure away; with that structure's own error added to the estimate and
    resolved, the result is within rtol/3 of a tightly converged reference and the estimate is honest."""
    res = solve_rate(branch_b)
    ref = solve_rate(branch_b, settings=RateSettings(rtol=1e-7, max_refine=6))
    assert res.diagnostics.converged
    assert abs(res.omega_h2 / ref.omega_h2 - 1) < res.settings.rtol / 3
    assert abs(res.omega_h2 / ref.omega_h2 - 1) < res.diagnostics.error_estimate


def test_local_refinement_meets_the_tolerance(branch_b):
    """At a tighter rtol the grid is refined in part of the range only (fewer intervals than a
    global doubling) and the result is within that rtol of a tightly converged reference."""
    s = RateSettings(rtol=3e-5)
    res = solve_rate(branch_b, settings=s)
    ref = solve_rate(branch_b, settings=RateSettings(rtol=1e-7, max_refine=6))
    assert res.diagnostics.converged and len(res.diagnostics.refinements) >= 2
    assert abs(res.omega_h2 / ref.omega_h2 - 1) < s.rtol
    assert abs(res.omega_h2 / ref.omega_h2 - 1) < 10 * res.diagnostics.error_estimate + 1e-7
    first = res.diagnostics.refinements[0].n_t
    assert first < res.settings.n_t < 2 * first


def test_clock_structure_is_resolved_only_where_production_is():
    """The clock factor 1 + (d ln g*s/d ln T)/3 has structure through the QCD crossover only;
    Simpson's error for it (against its exact integral Delta u + Delta ln g*s/3) is zero for a
    constant g*. A refinement halves the crossover's blocks again where the density there makes
    that error count, until the errors sum to within budget, and leaves them alone where nothing is produced."""
    from qke.cosmology import ConstantCosmology, StandardCosmology
    from qke.solvers.rate import CLOCK_LEVELS, _clock_errors, _clock_grid, _clock_structure, _refined_clock

    cos = StandardCosmology()
    u = _clock_grid(3.0, 0.01, 120)
    assert np.all(_clock_structure(u, ConstantCosmology()) < 1e-14)
    rel = _clock_structure(u, cos)
    t_mid = np.exp(-0.5 * (u[:-4:4] + u[4::4]))
    assert rel[(t_mid > 0.08) & (t_mid < 0.4)].max() > 1e-3 > 1e-4 > rel[(t_mid < 0.04) | (t_mid > 1.0)].max()

    def density(x, t_peak):  # production spread over ~an e-fold of T around t_peak
        return np.exp(-0.5 * ((x + math.log(t_peak)) / 0.5) ** 2)

    tol = 1e-4 * 0.5 * math.sqrt(2 * math.pi)  # 1e-4 of the yield
    hot = _refined_clock(u, density(u, 0.15), tol, cos)
    plain = _refined_clock(u, density(u, 0.15), tol)
    assert np.all(np.isin(plain, hot)) and hot.size > plain.size and (hot.size - 1) % 4 == 0
    fine = np.exp(-hot[:-1][np.diff(hot) < 0.3 * (u[1] - u[0])])
    assert fine.size and fine.min() > 0.05 and fine.max() < 0.5  # only inside the crossover
    assert np.diff(hot).min() > (u[1] - u[0]) / 2 ** (CLOCK_LEVELS + 1) * 0.999
    assert _clock_errors(hot, density(hot, 0.15), cos).sum() <= tol / 4
    # production at 20-70 MeV, where g*s is smooth: the crossover's structure does not count
    cold = np.exp(-0.5 * ((u + math.log(0.035)) / 0.25) ** 2)
    plain_cold = _refined_clock(u, cold, 1e-5)
    assert plain_cold.size > u.size
    np.testing.assert_array_equal(_refined_clock(u, cold, 1e-5, cos), plain_cold)


def test_refined_clock_keeps_the_nodes_and_uniform_blocks():
    """Halving blocks keeps every old node and leaves every block of 4 intervals uniform; the
    halved blocks are those where the Richardson error of a sharp peak sits, and their neighbours."""
    from qke.solvers.rate import _refined_clock

    u = np.linspace(0.0, 8.0, 33)
    density = 1.0 / (1.0 + ((u - 3.1) / 0.05) ** 2)
    new = _refined_clock(u, density, tol=1e-4)  # integral 0.157
    assert np.all(np.isin(u, new)) and (new.size - 1) % 4 == 0 and u.size < new.size < 2 * u.size - 1
    for b in range(0, new.size - 1, 4):
        np.testing.assert_allclose(np.diff(new[b:b + 5]), np.diff(new[b:b + 5])[0], rtol=1e-9)
    fine = np.diff(new) < 0.2
    assert np.all((new[:-1][fine] >= 1.0) & (new[:-1][fine] < 5.0))  # only around the peak at 3.1


def test_kernel_reuse_equals_a_fresh_evaluation(branch_b):
    """Kernel samples carried from a coarser grid (u and y subsets) equal a fresh evaluation."""
    from qke.cosmology import StandardCosmology
    from qke.solvers.rate import _clock_grid, _kernel_on

    cos = StandardCosmology()
    u = np.linspace(-1.0, 3.0, 17)
    u_fine = np.sort(np.concatenate([u, 0.5 * (u[1:] + u[:-1])[4:8]]))
    y, y_fine = np.linspace(0.3, 20.0, 9), np.linspace(0.3, 20.0, 17)
    coarse = _kernel_on(branch_b, cos, u, y, False, None)
    carried = _kernel_on(branch_b, cos, u_fine, y_fine, False, coarse)
    fresh = _kernel_on(branch_b, cos, u_fine, y_fine, False, None)
    for name in ("k", "f_a", "omega", "big_d"):
        np.testing.assert_allclose(getattr(carried, name), getattr(fresh, name), rtol=1e-12, atol=0)


def test_widening_extends_the_grid_keeping_its_nodes():
    """A widened range continues the grid at its end spacings in whole blocks of 4 intervals
    (old nodes and their kernel samples are kept), never past the requested ends."""
    from qke.solvers.rate import _extended_clock

    u = np.concatenate([np.linspace(0.0, 1.0, 9), np.linspace(1.0, 3.0, 9)[1:]])  # two spacings
    new = _extended_clock(u, -0.55, 4.1)
    assert np.all(np.isin(u, new)) and (new.size - 1) % 4 == 0
    assert -0.55 <= new[0] < -0.55 + 4 * 0.125 and 4.1 - 4 * 0.25 < new[-1] <= 4.1
    np.testing.assert_allclose(np.diff(new[new <= 0.0]), 0.125)
    np.testing.assert_allclose(np.diff(new[new >= 3.0]), 0.25)


def test_thermalised_columns_final_value_equals_the_stepwise_recurrence():
    """The stiff (thermalising) integrator's final value, summed in closed form on the half grid,
    equals its step-by-step recurrence."""
    from qke.solvers.rate import _exponential_integration

    rng = np.random.default_rng(3)
    u = np.linspace(0.0, 5.0, 41)
    big_k = np.concatenate([np.zeros((1, 5)), np.cumsum(rng.exponential([0.01, 0.3, 3.0, 30.0, 300.0],
                                                                        (40, 5)), axis=0)])
    f_a = 1.0 / (np.exp(rng.uniform(0.5, 3.0, 5)[None, :] * (1 + 0.1 * u[:, None])) + 1.0)
    full, _ = _exponential_integration(big_k, f_a, u)
    final, none = _exponential_integration(big_k, f_a, u, history=False)
    assert none is None
    np.testing.assert_allclose(final, full, rtol=1e-12)


def test_graded_grid_output_is_resampled_faithfully():
    """A graded momentum grid (QCD axion's cold spectrum) is resampled on a uniform grid for output:
    monotone cubic interpolation keeps f_s >= 0 and within 1e-3 of the peak of a solve on twice the
    momentum intervals; the history's y integrals use the solver's own weights (integrates to Y)."""
    m = get_model("qcd-axion", m4=1e-5, flavor="mu", g_a=1e-12, rho_a_fraction=1.0)
    res = solve_rate(m)
    fine = solve_rate(m, settings=RateSettings(n_y=2 * res.settings.n_y, max_refine=0, t_high=res.settings.t_high,
                                               t_low=res.settings.t_low, n_t=res.settings.n_t))
    assert np.all(res.f_s >= 0)
    on_res = np.interp(res.y, fine.y, fine.f_s)
    assert np.abs(res.f_s - on_res).max() < 1e-3 * fine.f_s.max()
    assert np.trapezoid(res.dY_dlnT, -np.log(res.temperature)) == pytest.approx(res.yield_, rel=5e-3)


@pytest.mark.parametrize("name, params", [
    ("scalar", dict(convention="derived", m_phi=1.0826367338740541, coupling=0.005174801190229367)),  # PRL B
    ("vector-lmu-ltau", dict(convention="seed", m_v=1.0826367338740541, coupling=0.0017984648772986426)),
    ("vector-b-l", dict(convention="seed", m_v=1.0826367338740541, coupling=0.00017997729762183454)),  # wide ones
])
def test_width_screen_drops_no_crossing_that_is_kept(monkeypatch, name, params):
    """Crossings screened out as wide before being located (width estimated on the grid above
    WIDE_SCREEN x the kept width) would not have been kept: locating every sign change keeps the
    same Lorentzians."""
    from qke.cosmology import StandardCosmology
    from qke.solvers import resonances
    from qke.solvers.rate import _clock_grid, _kernel_on

    model = get_model(name, m4=7.1e-6, sin2_2theta=7e-11, flavor="mu", **params)
    cos = StandardCosmology()
    u = _clock_grid(2.0, 0.005, 120)
    y = np.linspace(20.0 / 64, 20.0, 64)
    kern = _kernel_on(model, cos, u, y, False, None)

    def kept():
        res, _ = resonances.find_resonances(model, cos, u, y, kern.omega, kern.big_d, False)
        return set() if res is None else set(zip(res.column.tolist(), np.round(res.u_r, 9).tolist()))

    screened = kept()
    monkeypatch.setattr(resonances, "WIDE_SCREEN", math.inf)
    assert kept() == screened


@pytest.mark.parametrize("name, params", [
    ("scalar", dict(convention="derived", m_phi=1.0826367338740541, coupling=0.005174801190229367)),  # PRL B
    ("vector-b-l", dict(convention="seed", m_v=1.0826367338740541, coupling=0.0010905112984994855)),  # PRD 8 B
    ("vector-b-l", dict(convention="seed", m_v=1.0826367338740541, coupling=0.00017997729762183454)),
])
def test_width_screen_estimate_is_close_to_the_width_at_the_root(monkeypatch, name, params):
    """The screen's width (D interpolated at the root of the grid's cubic for omega, over that cubic's
    slope) is within 5 % of the fitted width at every crossing narrower than 10 grid spacings: the margin
    WIDE_SCREEN = 1.1 holds with room (0.980-1.018 measured over the test suite)."""
    from qke.cosmology import StandardCosmology
    from qke.solvers import resonances
    from qke.solvers.rate import _clock_grid, _kernel_on

    monkeypatch.setattr(resonances, "WIDE_SCREEN", math.inf)
    model = get_model(name, m4=7.1e-6, sin2_2theta=7e-11, flavor="mu", **params)
    cos = StandardCosmology()
    u = _clock_grid(2.0, 0.005, 120)
    y = np.linspace(20.0 / 64, 20.0, 64)
    kern = _kernel_on(model, cos, u, y, False, None)
    _, (iy, u_r, _, width, _) = resonances.find_resonances(model, cos, u, y, kern.omega, kern.big_d, False)
    it = np.searchsorted(u, u_r) - 1
    start, slope = resonances._cubic_start(u, kern.omega, it, iy)
    du = u[it + 1] - u[it]
    f = (start - u[it]) / du
    estimate = kern.big_d[it, iy] ** (1 - f) * kern.big_d[it + 1, iy] ** f / np.abs(slope)
    narrow = width < 10 * du
    assert narrow.sum() >= 4
    assert np.all(np.abs(width[narrow] / estimate[narrow] - 1) < 0.05)


def test_crossings_located_to_round_off_in_few_model_calls(monkeypatch):
    """The search from the grid's cubic interpolant of omega (resonances._cubic_start), with third-order
    steps on the value, slope and curvature of one call, puts each root within 1e-9 (in u = -ln T, far
    below any grid spacing) of a bracketing solver's root, with one call of the model's potential for
    all crossings together."""
    from scipy.optimize import brentq

    from qke.cosmology import StandardCosmology
    from qke.solvers import resonances
    from qke.solvers.rate import _clock_grid, _kernel_on

    model = get_model("vector-b-l", m4=7.1e-6, sin2_2theta=7e-11, flavor="mu", convention="seed",
                      m_v=1.0826367338740541, coupling=0.0010905112984994855)  # PRD Fig. 8 B: two per column
    cos = StandardCosmology()
    u = _clock_grid(0.8, 0.004, 136)
    y = np.linspace(20.0 / 64, 20.0, 64)
    kern = _kernel_on(model, cos, u, y, False, None)
    calls = []
    omega = resonances._omega
    monkeypatch.setattr(resonances, "_omega", lambda *a: calls.append(1) or omega(*a))
    _, (iy, u_r, *_rest) = resonances.find_resonances(model, cos, u, y, kern.omega, kern.big_d, False)
    assert u_r.size > 50 and len(calls) == 1
    for j, r in list(zip(iy, u_r))[::16]:
        f = lambda x: float(omega(model, cos, np.array([x]), np.array([y[j]]), False)[0])  # noqa: E731
        i = np.searchsorted(u, r) - 1
        assert abs(r - brentq(f, u[i], u[i + 1], xtol=1e-14)) < 1e-9


def test_lorentzians_written_in_place_equal_the_general_path(monkeypatch):
    """Resonances.on_grid and .cumulative: with one crossing per column over consecutive columns (the common
    case, written in place) they equal the general path (per-crossing rows summed into their columns)."""
    from qke.solvers import resonances

    rng = np.random.default_rng(3)
    n = 40
    res = resonances.Resonances(column=rng.permutation(np.arange(5, 5 + n)), u_r=rng.uniform(-1, 2, n),
                                a=10 ** rng.uniform(-3, 2, n), width=10 ** rng.uniform(-4, -1, n),
                                f_a=rng.uniform(0.1, 0.9, n))
    u = np.linspace(-1.5, 2.5, 97)
    fast = (*res.on_grid(u, 64), res.cumulative(u, 64))
    assert res._consecutive() is not None
    monkeypatch.setattr(resonances.Resonances, "_consecutive", lambda self: None)
    general = (*res.on_grid(u, 64), res.cumulative(u, 64))
    for a, b in zip(fast, general):
        assert a.shape == b.shape == (u.size, 64)
        np.testing.assert_allclose(a, b, rtol=1e-13, atol=1e-300)
