"""QKE at a coherent MSW crossing driven by a lepton asymmetry: Landau-Zener (issue 12, item 3).

tests/test_qke_resonance.py shows that the QKE follows Landau-Zener at a fast
crossing of a toy light-mediator potential. Here the crossing comes from the
potential of a lepton asymmetry, V_odd = sqrt(2) G_F c_v(T) L s(T) (the
production code's :func:`qke.physics.lepton_asymmetry.potential_per_asymmetry`),
odd under nu <-> nubar: for L > 0 it lifts the nu_mu potential above
Delta = m4^2/(2p) at high T, and Delta overtakes it as the Universe cools, at
T_res(y) ~ (m4^2/(y L))^(1/4) (22.7, 19.3, 17.5 MeV for y = 1, 2, 3 at
m4 = 0.3 keV, L = 1e-3); the antineutrino sees -V_odd and never crosses.

L is held fixed (no back-reaction: the toy keeps ``lepton_asymmetry = 0`` and
adds V_odd through ``potential_asymmetry``): the point is the coherent crossing
itself. In the notation of tests/test_qke_resonance.py, at these crossings
kappa = (Gamma/2)/(Delta sin2theta) = 0.014-0.2 and zeta = kappa^2 gamma = 1e-4-2e-4:
collisions are negligible across the crossing, so the QKE must convert
P_LZ = 1 - exp(-pi gamma/2) of f_a, while the rate equation, whose Lorentzian
is collision broadened, converts 1 - exp(-(pi gamma/2) kappa/sqrt(1 + kappa^2)),
too little by about kappa. Each run covers one bin's crossing, T_res e^(+-1e-3)
(the crossing is ~4e-6 wide in ln T; the window holds the Landau-Zener tail),
with the solver's own step control (atol_offdiag = 1e-2, as in the existing test).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pytest
from scipy.optimize import brentq

from qke.cosmology import StandardCosmology
from qke.models.base import MODELS
from qke.models.sm import StandardModel
from qke.physics.lepton_asymmetry import potential_per_asymmetry
from qke.solvers.qke import QKESettings, evolve_qke
from qke.solvers.rate import RateSettings, solve_rate

COS = StandardCosmology()
M4 = 3e-7                    # 0.3 keV: crossings at 17-23 MeV for L = 1e-3
L_FIXED = 1e-3
WINDOW = 1e-3                # +- in ln T around one bin's crossing
N_BINS = 8                   # bins at y = 1 .. 8 (y_max = 8)


@dataclass(frozen=True)
class FrozenAsymmetry(StandardModel):
    """SM rates and potential plus the odd potential of a fixed lepton asymmetry L (per entropy).

    Test-only, not registered in ``qke.models.MODELS``.
    """

    l_fixed: float = L_FIXED

    def potential_asymmetry(self, energy, temperature):
        t = np.asarray(temperature, dtype=float)
        ell = self.l_fixed * 2.0 * math.pi**2 / 45.0 * COS.g_star_s(t)  # L_alpha/T^3 = L s/T^3
        return potential_per_asymmetry(self.flavor, t) * ell + 0.0 * np.asarray(energy, dtype=float)


def crossing(model: FrozenAsymmetry, y: float) -> dict:
    """The crossing Delta cos2theta = V_SM + V_odd for the neutrino at comoving momentum y below 100 MeV.

    Returns T [GeV], gamma, kappa, zeta (tests/test_qke_resonance.py) and f_a there.
    """
    c = math.sqrt(1.0 - model.sin2_2theta)

    def split(u):
        t = math.exp(-u)
        p = y * t * float(COS.t_nu_over_t(t))
        return (float(model.delta(p)) * c - float(model.thermal_potential(p, t))
                - float(model.potential_asymmetry(p, t)))

    u = brentq(split, -math.log(0.1), -math.log(3e-3), xtol=1e-14, rtol=1e-15)
    t = math.exp(-u)
    p = y * t * float(COS.t_nu_over_t(t))
    h = 1e-6
    slope_t = abs(split(u + h) - split(u - h)) / (2 * h) / float(-COS.dt_dlnT(t))  # |d(Delta c - V)/dt|
    ds = float(model.delta(p)) * math.sqrt(model.sin2_2theta)
    damp = 0.5 * float(model.collision_rate(p, t))
    return {"T": t, "gamma": ds**2 / slope_t, "kappa": damp / ds, "zeta": damp**2 / slope_t,
            "f_a": 1.0 / (math.exp(p / t) + 1.0)}


def window(t_res: float) -> dict:
    return dict(t_high=t_res * math.exp(WINDOW), t_low=t_res * math.exp(-WINDOW))


def qke_conversion(model, j: int, t_res: float):
    """(nu, nubar) f22 of bin j (y = j + 1) after the window around its crossing."""
    ev = evolve_qke(model, COS, QKESettings(n_bins=N_BINS, y_max=float(N_BINS), atol_offdiag=1e-2,
                                            max_steps=100000, **window(t_res)))
    assert ev.y[j] == pytest.approx(j + 1.0)
    return ev.state[j, 1], ev.state[N_BINS + j, 1]


def test_toy_is_not_registered_and_only_the_neutrino_crosses():
    m = FrozenAsymmetry(m4=M4, sin2_2theta=3e-10, flavor="mu")
    assert all(cls is not FrozenAsymmetry for cls in MODELS.values()) and m.asymmetric
    temps = [crossing(m, y)["T"] for y in (1.0, 2.0, 3.0)]
    assert 0.015 < temps[2] < temps[1] < temps[0] < 0.025  # T_res falls with y, as (y L)^(-1/4) roughly
    assert temps[0] / temps[2] == pytest.approx(3.0**0.25, rel=0.1)
    t = np.geomspace(3e-3, 0.1, 50)
    p = 2.0 * t
    assert np.all(-m.potential_asymmetry(p, t) + m.thermal_potential(p, t) < 0)  # nubar: V < 0 < Delta


@pytest.mark.parametrize("s2", [3e-12, 3e-10], ids=["perturbative", "landau-zener"])
def test_qke_converts_as_landau_zener_rate_equation_as_collision_broadened(s2):
    """Per bin y = 1, 3: the QKE's nu conversion f22/f_a equals 1 - exp(-pi gamma/2) within 1 %; the
    nubar converts nothing comparable (< 1e-6 of it); the rate equation on the same window gives its
    power-broadened estimate within 3 %, a factor ~kappa/sqrt(1 + kappa^2) below the QKE."""
    m = FrozenAsymmetry(m4=M4, sin2_2theta=s2, flavor="mu")
    for j in (0, 2):
        x = crossing(m, j + 1.0)
        k, g = x["kappa"], x["gamma"]
        assert x["zeta"] < 1e-3 and k < 1.0
        nu, nubar = qke_conversion(m, j, x["T"])
        p_lz = 1.0 - math.exp(-math.pi * g / 2)
        assert nu / x["f_a"] == pytest.approx(p_lz, rel=0.01)
        assert nubar < 1e-6 * nu
        r = solve_rate(m, COS, RateSettings(n_t=16, n_y=N_BINS, y_max=float(N_BINS), max_refine=0,
                                            **window(x["T"])))
        rate_conv = r.f_nu[j + 1] / x["f_a"]
        rate_est = 1.0 - math.exp(-math.pi * g / 2 * k / math.sqrt(1 + k * k))
        assert rate_conv == pytest.approx(rate_est, rel=0.03)
        if g < 0.05:  # perturbative: the rate equation is low by exactly the factor kappa/sqrt(1 + kappa^2)
            assert rate_conv / (nu / x["f_a"]) == pytest.approx(k / math.sqrt(1 + k * k), rel=0.04)
        else:
            assert rate_conv / (nu / x["f_a"]) < 1.5 * k / math.sqrt(1 + k * k) + 0.01


def test_mirror_negative_asymmetry_converts_the_antineutrino():
    """L -> -L: the antineutrino crosses where the neutrino did and follows Landau-Zener."""
    plus = FrozenAsymmetry(m4=M4, sin2_2theta=3e-10, flavor="mu")
    minus = FrozenAsymmetry(m4=M4, sin2_2theta=3e-10, flavor="mu", l_fixed=-L_FIXED)
    x = crossing(plus, 2.0)
    nu, nubar = qke_conversion(minus, 1, x["T"])
    assert nubar / x["f_a"] == pytest.approx(1.0 - math.exp(-math.pi * x["gamma"] / 2), rel=0.01)
    assert nu < 1e-6 * nubar
