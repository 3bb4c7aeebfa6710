"""Model interface v2: a model written against it runs in both solvers with no solver change.

The toy model below has everything the interface offers that the Standard
Model does not use: a T-dependent mixing, a repopulation rate different from
the damping rate, a potential term odd under nu <-> nubar (so nu_s and
nubar_s get separate spectra), and extra energy density in H.
"""
from dataclasses import dataclass, replace

import numpy as np
import pytest

from qke import constants as const
from qke.cosmology import ConstantCosmology
from qke.errors import QKEInputError
from qke.models import MODELS, get_model, register
from qke.models.base import Coefficients
from qke.models.sm import StandardModel
from qke.solvers import SOLVERS, solve
from qke.solvers.compare import compare
from qke.solvers.qke import QKESettings, evolve_qke
from qke.solvers.rate import RateSettings

QKE_FAST = dict(n_bins=40, rtol=1e-6)
T0 = 0.15  # GeV


@dataclass(frozen=True)
class Toy(StandardModel):
    """SM rates and potential, plus: mixing sin^2 2theta (T/T0)^2/(1 + (T/T0)^2), Gamma_r = r Gamma_d,
    V_odd = eta G_F T^3 (the form of a lepton-asymmetry term), rho_extra = x rho_SM."""

    tdep: bool = True
    repop_ratio: float = 0.5
    eta: float = 0.0
    rho_ratio: float = 0.0
    t_peak: float | None = None

    def mixing(self, temperature):
        t = np.asarray(temperature, dtype=float)
        if not self.tdep:
            return super().mixing(t)
        return self.sin2_2theta * (t / T0) ** 2 / (1.0 + (t / T0) ** 2)

    def repopulation_rate(self, energy, temperature, damping):
        return self.repop_ratio * damping

    def potential_asymmetry(self, energy, temperature):
        return self.eta * const.G_F * np.asarray(temperature, dtype=float) ** 3 + 0.0 * np.asarray(energy)

    def extra_energy_density(self, temperature):
        if self.rho_ratio == 0:
            return None
        from qke.cosmology import StandardCosmology

        t = np.asarray(temperature, dtype=float)
        return self.rho_ratio * np.pi**2 / 30.0 * StandardCosmology().g_star(t) * t**4

    def production_temperature(self):
        return self.t_peak if self.t_peak is not None else super().production_temperature()


BASE = dict(m4=7.1e-6, sin2_2theta=2e-10, flavor="mu")


def test_coefficients_are_one_typed_object():
    m = Toy(**BASE, eta=1e3)
    t = np.array([[0.3], [0.1]])
    p = 3.0 * t * np.ones((1, 5))
    c = m.coefficients(t, p)
    assert isinstance(c, Coefficients)
    np.testing.assert_allclose(c.repopulation, 0.5 * c.damping)
    np.testing.assert_allclose(c.v_nu - c.v_nubar, 2e3 * const.G_F * t**3 * np.ones((1, 5)))
    np.testing.assert_allclose(c.sin2_2theta[:, 0], 2e-10 * (t[:, 0] / T0) ** 2 / (1 + (t[:, 0] / T0) ** 2))
    assert m.asymmetric and not StandardModel(**BASE).asymmetric


@pytest.mark.parametrize("method", list(SOLVERS))
def test_toy_model_runs_in_both_solvers(method):
    settings = None if method == "rate" else QKESettings(**QKE_FAST)
    res = solve(Toy(**BASE, eta=1e-5), method, settings=settings)
    assert res.asymmetric and res.f_nu.shape == res.f_nubar.shape == res.y.shape
    assert np.all(np.isfinite(res.f_s)) and res.omega_h2 > 0
    assert res.omega_h2 == pytest.approx(res.omega_h2_nu + res.omega_h2_nubar, rel=1e-12)
    # the potentials differ, so do the spectra
    assert abs(res.omega_h2_nu / res.omega_h2_nubar - 1) > 1e-3


def test_qke_and_rate_agree_for_the_toy_model():
    """Collision-dominated, small mixing: the QKE reduces to the rate equation for each species
    (with Gamma_r = Gamma_d: the rate equation assumes f11 = f_eq)."""
    comp = compare(Toy(**BASE, eta=1e-5, repop_ratio=1.0), qke_settings=QKESettings(n_bins=80, rtol=1e-6))
    assert comp.ratio == pytest.approx(1.0, abs=1e-3)  # 80 bins: quadrature error of the QKE's yield
    for f in ("f_nu", "f_nubar"):
        q, r = getattr(comp.qke, f), getattr(comp.rate, f)
        sel = (comp.qke.y > 0.5) & (comp.qke.y < 8)
        r_on = np.interp(comp.qke.y[sel], comp.rate.y, r)
        np.testing.assert_allclose(q[sel], r_on, rtol=1e-4)


@pytest.mark.parametrize("method", list(SOLVERS))
def test_swapping_the_odd_potential_swaps_nu_and_nubar(method):
    settings = None if method == "rate" else QKESettings(**QKE_FAST)
    plus = solve(Toy(**BASE, eta=1e-5), method, settings=settings)
    minus = solve(Toy(**BASE, eta=-1e-5), method, settings=settings)
    np.testing.assert_allclose(plus.f_nu, minus.f_nubar, rtol=1e-9, atol=1e-30)
    np.testing.assert_allclose(plus.f_nubar, minus.f_nu, rtol=1e-9, atol=1e-30)


def test_zero_odd_potential_equals_symmetric_model():
    """eta = 0 but the hook present: two identical spectra, equal to the one-species solve."""
    sym = solve(Toy(**BASE), "rate")
    asym_zero = solve(replace(Toy(**BASE), eta=0.0), "rate")
    assert asym_zero.omega_h2 == pytest.approx(sym.omega_h2, rel=1e-12)
    np.testing.assert_allclose(asym_zero.f_nu, asym_zero.f_nubar)


def test_t_dependent_mixing_enters_the_production_rate():
    """Small mixing: production per ln T is proportional to sin^2 2theta(T) at each T."""
    cos = ConstantCosmology()
    s = RateSettings(depletion=False, n_t=400, max_refine=0)
    const_mix = solve(Toy(**BASE, tdep=False), "rate", cos, s)
    t_mix = solve(Toy(**BASE, tdep=True), "rate", cos, s)
    t = t_mix.temperature
    factor = (t / T0) ** 2 / (1 + (t / T0) ** 2)
    sel = const_mix.dY_dlnT > 1e-3 * const_mix.dY_dlnT.max()
    np.testing.assert_allclose(t_mix.dY_dlnT[sel] / const_mix.dY_dlnT[sel], factor[sel], rtol=1e-6)


def test_repopulation_rate_is_the_models():
    """Gamma_r = 0 from the model equals switching repopulation off; Gamma_r = Gamma_d/2 barely matters."""
    off_by_model = evolve_qke(Toy(**BASE, repop_ratio=0.0), settings=QKESettings(**QKE_FAST))
    off_by_setting = evolve_qke(Toy(**BASE), settings=QKESettings(repopulation=False, **QKE_FAST))
    np.testing.assert_array_equal(off_by_model.state, off_by_setting.state)
    half = evolve_qke(Toy(**BASE, repop_ratio=0.5), settings=QKESettings(**QKE_FAST))
    full = evolve_qke(Toy(**BASE, repop_ratio=1.0), settings=QKESettings(**QKE_FAST))
    assert half.result.omega_h2 == pytest.approx(full.result.omega_h2, rel=1e-3)
    assert half.result.omega_h2 > 2 * off_by_model.result.omega_h2  # entropy heating without repopulation


@pytest.mark.parametrize("method", list(SOLVERS))
def test_extra_energy_density_enters_the_hubble_rate(method):
    """rho_extra = 3 rho_SM doubles H, halving the time available: f_s halves (tiny mixing)."""
    settings = RateSettings(depletion=False) if method == "rate" else QKESettings(**QKE_FAST)
    base = solve(Toy(**BASE), method, settings=settings)
    fast = solve(Toy(**BASE, rho_ratio=3.0), method, settings=settings)
    assert fast.omega_h2 / base.omega_h2 == pytest.approx(0.5, rel=2e-3)


def test_validity_uses_the_production_epoch():
    """m4 must be below 0.1 T_peak: 1 GeV fails for Dodelson-Widrow (T_peak ~ 13 GeV) but
    is fine for a model producing at 100 GeV (as axion-assisted production does)."""
    with pytest.raises(QKEInputError, match="m4"):
        Toy(m4=2.0, sin2_2theta=1e-10)
    assert Toy(m4=2.0, sin2_2theta=1e-10, t_peak=100.0).m4 == 2.0


def test_self_interaction_is_a_model_property_of_any_model():
    m = replace(Toy(**BASE), self_m_phi=1e-3, self_lambda=1e-9, self_narrow_width=True)
    assert m.self_interaction is not None and m.coefficients(0.1, 0.3).kernel is m.self_scattering_kernel
    ev = evolve_qke(m, settings=QKESettings(**QKE_FAST))
    assert np.all(ev.gamma_s > 0)


def test_tables_are_built_once_per_model_instance():
    m = replace(StandardModel(**BASE), self_m_phi=1e-3, self_lambda=1e-6)
    assert m.self_scattering_kernel is m.self_scattering_kernel


def test_registering_a_model_makes_it_available():
    register("toy-interface")(Toy)
    try:
        assert get_model("toy-interface", **BASE).name == "toy-interface"
    finally:
        MODELS.pop("toy-interface")
