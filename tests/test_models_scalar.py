"""The complex-scalar mediator model 'scalar' (PRL 124 (2020) 081802): rates, potential, H, solvers, CLI."""
import json
import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import brentq

from qke.cli import main
from qke.errors import QKEInputError
from qke.generated import thermal_rates as tr
from qke.models import get_model
from qke.models.scalar import (ScalarMediatorModel, _sm_production_envelope, delta_n_eff_thermal_scalar,
                               neutrino_temperature)
from qke.models.sm import StandardModel
from qke.physics import potentials
from qke.physics.plasma import boson_energy_density
from qke.physics.mediator_rates import finite_width_rate, get_rate_table
from qke.solvers import solve
from qke.solvers.qke import QKESettings

#: PRL benchmark: m4 = 7.1 keV, sin^2 2theta = 7e-11, nu_mu.
PRL = dict(m4=7.1e-6, sin2_2theta=7e-11, flavor="mu")
#: Points near Omega h^2 = 0.12 (derived convention): heavy phi (branch A) and light phi (branch C).
HEAVY = dict(m_phi=10.0, coupling=0.5)
LIGHT = dict(m_phi=12e-3, coupling=2.6e-6)
T = 0.05  # GeV


def scalar(**kw):
    return get_model("scalar", **{**PRL, **kw})


def sm_rate(e, t):
    return StandardModel(**PRL).collision_rate(e, t)


# --- rate -------------------------------------------------------------------
@pytest.mark.parametrize("r, tol", [(100.0, 1e-2), (300.0, 1e-3), (1000.0, 1e-4)])
def test_rate_heavy_limit(r, tol):
    """Model minus SM -> 7 pi lam^4 E T^4/(864 m^4) (derived) for m/T >= 100, m^2 >> E T.

    Tolerance: the corrections are O(E T/m^2) (7.9e-3 at m/T = 100, E = 10 T).
    """
    m = scalar(m_phi=r * T, coupling=0.1)
    e = np.array([0.1, 1.0, 3.0, 10.0]) * T
    extra = m.collision_rate(e, T) - sm_rate(e, T)
    np.testing.assert_allclose(extra / tr.gamma_scalar_heavy(e, T, r * T, 0.1), 1.0, atol=tol)


@pytest.mark.parametrize("r", [1e-2, 1e-3])
def test_rate_onshell_limit(r):
    """Model minus SM -> lam^2 T^2 w ln(1 + e^-w)/(2 pi E) (derived, decay/inverse decay) for m/T <= 1e-2.

    Tolerance 1e-6 relative at lam = 1e-5 (the O(lam^4) 2 -> 2 term is lam^2/(128 w ln 2)
    relative: <= 4.5e-7 at m/T = 1e-2, E = 10 T); at m/T = 1e-3 (w 100x smaller) 1e-4.
    """
    lam = 1e-5
    m = scalar(m_phi=r * T, coupling=lam)
    e = np.array([0.1, 1.0, 3.0, 10.0]) * T
    extra = m.collision_rate(e, T) - sm_rate(e, T)
    tol = 1e-6 if r == 1e-2 else 1e-4
    np.testing.assert_allclose(extra / tr.gamma_scalar_light(e, T, r * T, lam), 1.0, atol=tol)


@pytest.mark.parametrize("e_over_t, r, lam", [(1.0, 1.0, 0.1), (1.0, 1.0, 1.0), (0.3, 1.0, 1.0),
                                               (1.0, 3.0, 1.0), (1.0, 0.3, 1.0)])
def test_narrow_width_matches_finite_width(e_over_t, r, lam):
    """Across the pole region (m ~ T, w ~ 0.02-2), lam <= 1 (Gamma/m <= 0.01): the table (narrow
    width + O(Gamma/m) correction) and the Breit-Wigner quadrature agree to 1e-5 (measured <= 6e-7)."""
    m = scalar(m_phi=r * T, coupling=lam)
    ref = finite_width_rate(e_over_t * T, T, r * T, lam, width=m.mediator_width())
    assert m.phi_rate(e_over_t * T, T) == pytest.approx(float(ref), rel=1e-5)


def test_width_is_decay_to_neutrinos():
    m = scalar(m_phi=0.1, coupling=0.3)
    assert m.mediator_width() == pytest.approx(0.3**2 * 0.1 / (32 * math.pi), rel=1e-12)


def test_heavy_rate_scales_as_lam4_over_m4():
    e = np.array([0.3, 1.0, 3.0]) * T
    base = scalar(m_phi=200 * T, coupling=0.01).phi_rate(e, T)
    np.testing.assert_allclose(scalar(m_phi=200 * T, coupling=0.02).phi_rate(e, T) / base, 16.0, rtol=1e-9)
    np.testing.assert_allclose(scalar(m_phi=400 * T, coupling=0.01).phi_rate(e, T) / base, 1 / 16, rtol=2e-3)
    # and the full model: Gamma - Gamma_SM scales the same way
    d1 = scalar(m_phi=200 * T, coupling=0.3).collision_rate(e, T) - sm_rate(e, T)
    d2 = scalar(m_phi=200 * T, coupling=0.6).collision_rate(e, T) - sm_rate(e, T)
    np.testing.assert_allclose(d2 / d1, 16.0, rtol=1e-6)


def test_seed_convention_rate_is_the_printed_heavy_form():
    """Seed: 2 x PRL eq. 5 = 6/5 of the derived heavy rate."""
    e = np.array([0.3, 1.0, 3.0]) * T
    m = scalar(m_phi=1000 * T, coupling=0.1, convention="seed")
    np.testing.assert_allclose(m.phi_rate(e, T) / tr.gamma_scalar_heavy_seed(e, T, 1000 * T, 0.1), 1.0, atol=1e-4)
    np.testing.assert_allclose(tr.gamma_scalar_heavy_seed(e, T, 1.0, 1.0) / tr.gamma_scalar_heavy(e, T, 1.0, 1.0),
                               6 / 5, rtol=1e-12)


# --- potential ----------------------------------------------------------------
def test_potential_sign_and_limits():
    lam = 1e-3
    sm_v = StandardModel(**PRL).thermal_potential(T, T)
    heavy = scalar(m_phi=30 * T, coupling=lam)
    light = scalar(m_phi=0.01 * T, coupling=lam)
    assert heavy.phi_potential(T, T) < 0 < light.phi_potential(T, T)
    assert heavy.thermal_potential(T, T) - sm_v == pytest.approx(float(heavy.phi_potential(T, T)), rel=1e-12)
    # limits: -7 pi^2 lam^2 E T^4/(90 m^4) and +lam^2 T^2/(16 E)
    assert scalar(m_phi=1e3 * T, coupling=lam).phi_potential(T, T) == pytest.approx(
        -7 * math.pi**2 * lam**2 * T**5 / (90 * (1e3 * T) ** 4), rel=1e-3)
    assert light.phi_potential(T, T) == pytest.approx(lam**2 * T / 16, rel=2e-2)


def test_potential_changes_sign_near_m_over_t_3():
    def v(r):
        return float(scalar(m_phi=r * T, coupling=1e-3).phi_potential(T, T))

    root = brentq(v, 1.0, 10.0, xtol=1e-6)
    assert 2.5 < root < 3.5


def test_seed_potential_has_the_physical_sign():
    """The printed sign of PRL eq. 7 is a typo (it contradicts the PRL's limits and leaves Fig. 2
    without an S): the seed convention keeps the physical sign, 'printed' gives the literal one."""
    from qke.physics.potentials import mediator_potential

    e = np.array([0.3, 1.0, 3.0]) * T
    for r in (0.01, 1.0, 3.0, 30.0):
        d = scalar(m_phi=r * T, coupling=1e-3).phi_potential(e, T)
        s = scalar(m_phi=r * T, coupling=1e-3, convention="seed").phi_potential(e, T)
        np.testing.assert_allclose(s, d, rtol=1e-12)
        printed = mediator_potential(e, T, r * T, 1e-3, "scalar", "printed")
        np.testing.assert_allclose(printed, -d, rtol=1e-12)


# --- expansion and Delta N_eff -------------------------------------------------
def test_delta_n_eff_of_a_massless_thermal_complex_scalar():
    """(8/7)(11/4)^{4/3} rho_phi/rho_gamma with T_nu/T_gamma = (4/11)^{1/3} and g_phi = g_gamma = 2 -> 8/7."""
    t_gamma = 1.0
    t_nu = (4 / 11) ** (1 / 3) * t_gamma
    rho_phi = 2 * math.pi**2 / 30 * t_nu**4      # complex scalar, 2 bosonic states
    rho_gamma = 2 * math.pi**2 / 30 * t_gamma**4
    expected = (8 / 7) * (11 / 4) ** (4 / 3) * rho_phi / rho_gamma
    assert expected == pytest.approx(8 / 7, rel=1e-12)
    assert scalar(m_phi=1e-6, coupling=1e-3).delta_n_eff() == pytest.approx(expected, rel=1e-6)
    assert float(delta_n_eff_thermal_scalar(1e-9)) == pytest.approx(expected, rel=1e-6)


def test_delta_n_eff_of_a_massive_scalar_at_1_mev():
    """(120/(7 pi^4)) J_B(m/T_nu), T_nu ~ T at 1 MeV; Boltzmann suppressed for m >> 1 MeV."""
    m_phi = 1e-3
    model = scalar(m_phi=m_phi, coupling=1e-3)
    t_nu = float(neutrino_temperature(1e-3))
    assert t_nu == pytest.approx(1e-3, rel=1e-2)   # e+e- annihilation has barely begun
    r = m_phi / t_nu
    jb = quad(lambda u: u * u * math.sqrt(u * u + r * r) / math.expm1(math.sqrt(u * u + r * r)), 0, 80)[0]
    assert model.delta_n_eff() == pytest.approx(120 / (7 * math.pi**4) * jb, rel=1e-6)
    assert model.delta_n_eff() < 8 / 7
    assert scalar(m_phi=20e-3, coupling=1e-3).delta_n_eff() < 1e-6


def test_extra_energy_density():
    t = np.array([[1.0], [0.1], [0.01]])
    assert scalar(m_phi=1e-3, coupling=1e-3).extra_energy_density(t) is None
    m = scalar(m_phi=1e-3, coupling=1e-3, mediator_in_expansion=True)
    rho = m.extra_energy_density(t)
    assert rho.shape == t.shape
    # in equilibrium (T_nu = T above 10 MeV): the Bose-Einstein density of two states with the mass ...
    np.testing.assert_allclose(rho, boson_energy_density(1e-3, t, 2), rtol=1e-9)
    # ... which is (pi^2/15) T^4 while relativistic (m/T = 1e-3, 1e-2)
    np.testing.assert_allclose(rho[:2] / (math.pi**2 / 15 * t[:2] ** 4), 1.0, rtol=1e-4)
    # no equilibrium for a feeble coupling of a heavy mediator (inverse decays slower than H)
    feeble = scalar(m_phi=10.0, coupling=1e-9, mediator_in_expansion=True)
    assert float(feeble.equilibrium_fraction(10.0)) < 1e-2
    assert float(scalar(m_phi=10e-3, coupling=1e-6).equilibrium_fraction(0.1)) == pytest.approx(1.0, abs=1e-6)


def test_mediator_in_expansion_lowers_omega():
    r0 = solve(scalar(**LIGHT), "rate")
    r1 = solve(scalar(**LIGHT, mediator_in_expansion=True), "rate")
    assert r1.omega_h2 < r0.omega_h2 * (1 - 5e-3)


# --- solvers --------------------------------------------------------------------
@pytest.mark.parametrize("point", [HEAVY, LIGHT], ids=["heavy", "light"])
def test_both_solvers_run_at_the_prl_benchmark(point):
    model = scalar(**point)
    rate = solve(model, "rate")
    qke = solve(model, "qke", settings=QKESettings(n_bins=40))
    for res in (rate, qke):
        assert math.isfinite(res.omega_h2) and res.omega_h2 > 0
    # both near the dark-matter line (the points sit on the S-curve) and close to each other
    assert 0.05 < rate.omega_h2 < 0.3
    assert qke.omega_h2 == pytest.approx(rate.omega_h2, rel=2e-2)


def test_tiny_coupling_reproduces_dodelson_widrow():
    dw = StandardModel(**PRL)
    tiny = scalar(m_phi=10e-3, coupling=1e-12)
    assert tiny.production_temperature() == pytest.approx(dw.production_temperature(), rel=1e-9)
    assert solve(tiny, "rate").omega_h2 == pytest.approx(solve(dw, "rate").omega_h2, rel=1e-6)
    qs = QKESettings(n_bins=40)
    assert solve(tiny, "qke", settings=qs).omega_h2 == pytest.approx(solve(dw, "qke", settings=qs).omega_h2,
                                                                    rel=1e-6)


@pytest.mark.parametrize("point", [HEAVY, LIGHT, dict(m_phi=0.15, coupling=1e-5), dict(m_phi=10.0, coupling=1e-2)])
def test_production_temperature_places_the_range(point):
    """The estimate lies within the solved production (1 % - 99 % quantiles), and the automatic
    range it gives needs at most one widening per end (LIGHT: DW at ~200 MeV and phi decays at
    ~1 MeV spread production over more than the 600x of the automatic range)."""
    model = scalar(**point)
    res = solve(model, "rate")
    cum = np.cumsum(np.abs(res.dY_dlnT))
    t_hi, t_lo = (res.temperature[np.searchsorted(cum, f * cum[-1])] for f in (0.01, 0.99))
    assert t_lo < model.production_temperature() < t_hi
    first = res.diagnostics.refinements[0]
    assert res.diagnostics.t_high <= 3.0 * first.t_high * (1 + 1e-12)
    assert res.diagnostics.t_low >= first.t_low / 3.0 * (1 - 1e-12)


# --- scans reuse everything ----------------------------------------------------
def test_scan_over_mass_and_coupling_rebuilds_nothing():
    table = get_rate_table("scalar", "derived")
    g = potentials.g_table()
    scalar()  # warm the SM part of the production estimate for this m4
    rate_misses = get_rate_table.cache_info().misses
    g_misses = potentials.g_table.cache_info().misses
    env_misses = _sm_production_envelope.cache_info().misses
    p = np.geomspace(0.1, 10, 5)[None, :] * np.geomspace(1e-3, 1, 4)[:, None]
    tt = np.geomspace(1e-3, 1, 4)[:, None]
    for m_phi in np.geomspace(1e-3, 10, 5):
        for lam in np.geomspace(1e-6, 1, 5):
            model = scalar(m_phi=m_phi, coupling=lam)
            assert model.rate_table is table
            model.coefficients(tt, p)
    assert get_rate_table("scalar", "derived") is table and potentials.g_table() is g
    assert get_rate_table.cache_info().misses == rate_misses
    assert potentials.g_table.cache_info().misses == g_misses
    assert _sm_production_envelope.cache_info().misses == env_misses


# --- validation and the command line ---------------------------------------------
@pytest.mark.parametrize("kw, name", [
    (dict(m_phi=0.0), "m_phi"), (dict(m_phi=1e5), "m_phi"), (dict(m_phi="10MeV"), "m_phi"),
    (dict(coupling=0.0), "coupling"), (dict(coupling=13.0), "coupling"), (dict(coupling=float("nan")), "coupling"),
    (dict(convention="bogus"), "convention"), (dict(mediator_in_expansion="yes"), "mediator_in_expansion"),
])
def test_invalid_parameters_name_themselves(kw, name):
    with pytest.raises(QKEInputError, match=f"^{name}:"):
        scalar(**kw)


def test_registered_with_energy_field():
    from qke.models.base import parameter_unit

    assert get_model("scalar").name == "scalar" and isinstance(get_model("scalar"), ScalarMediatorModel)
    assert parameter_unit(ScalarMediatorModel, "m_phi") == "GeV"
    assert parameter_unit(ScalarMediatorModel, "coupling") is None


CLI = ["relic", "--model", "scalar", "--m4", "7.1keV", "--sin2-2theta", "7e-11"]


def test_cli_relic_runs(capsys):
    assert main([*CLI, "-P", "m_phi=10MeV", "-P", "coupling=1e-3"]) == 0
    assert "Omega_s h^2" in capsys.readouterr().out


def test_cli_json_states_the_convention(capsys):
    assert main([*CLI, "-P", "m_phi=10GeV", "-P", "coupling=0.01", "-P", "convention=seed", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["parameters"]["m_phi"] == pytest.approx(10.0)
    assert data["parameters"]["convention"] == "seed"
    assert data["model"] == "scalar" and data["omega_h2"] > 0


@pytest.mark.parametrize("param, name", [("m_phi=10", "m_phi"), ("convention=bogus", "convention"),
                                         ("coupling=20", "coupling")])
def test_cli_bad_parameter_exits_2_with_one_line(capsys, param, name):
    assert main([*CLI, "-P", param]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and name in err[0]


def _log_derivative(omega, x, h=0.02):
    """d ln Omega / d ln x by central differences in ln x."""
    return (math.log(omega(x * math.exp(h))) - math.log(omega(x * math.exp(-h)))) / (2 * h)


@pytest.mark.parametrize("convention", ["derived", "seed"])
def test_branch_b_exponents_against_the_paper(convention):
    """PRL branch B: Omega ∝ m4^4 theta^2/(lambda^2 m_phi^5). At B (m_phi = 1.08 GeV) the m_phi exponent is
    the paper's -5 (within 0.3); the lambda exponent is weaker than -2 and grows towards it deeper into
    the branch (m_phi = 0.7 -> 1.3 GeV): B's production peaks just before its MSW crossing (PRL Fig. 3),
    where the mixing is not yet suppressed as V^-2. This is why the S-curve's slope on the short branch B,
    -(d ln Omega/d ln m_phi)/(d ln Omega/d ln lambda), is about -3.2 rather than -5/2
    (tests/test_prl_regimes.py), in both conventions."""
    from qke.solvers.rate import RateSettings

    lam_b = 0.005174801190229367 if convention == "derived" else 0.005292017464875932

    def omega(m_phi, lam):
        model = get_model("scalar", **PRL, convention=convention, m_phi=m_phi, coupling=lam)
        return solve(model, "rate", settings=RateSettings(rtol=1e-6)).omega_h2

    m_b = 1.0826367338740541
    assert _log_derivative(lambda m: omega(m, lam_b), m_b) == pytest.approx(-5.0, abs=0.3)
    lam_exp = [_log_derivative(lambda lam: omega(m, lam), lam_b) for m in (0.7, m_b, 1.3)]
    assert -2.0 < lam_exp[2] < lam_exp[1] < lam_exp[0] < -1.0
