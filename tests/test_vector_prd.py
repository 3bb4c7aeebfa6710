"""qke's gauged vector models against what PRD 101 (2020) 115031 (arXiv:2005.03681) states for secs. IV-V.

Only eq. 4.6, the text of secs. IV-V and the sec.-III formulas they reuse (eqs. 3.3-3.11) were readable
(derivations/out/vector_backgrounds_prd.md says what was and was not); every closed form below is written
out here independently of qke.generated, and each test names its equation and tolerance.
"""
import math

import numpy as np
import pytest

from qke import constants as const
from qke.models import get_model

#: PRD benchmark (gray curves of Figs. 4, 7, 8): m4 = 7.1 keV, sin^2 2theta = 7e-11, nu_mu.
GRAY = dict(m4=7.1e-6, sin2_2theta=7e-11, flavor="mu")
#: Black curves: m4 = 50 keV, sin^2 2theta = 1e-15.
BLACK = dict(m4=50e-6, sin2_2theta=1e-15, flavor="mu")


def model(name, bench=GRAY, **kw):
    return get_model(name, **{**bench, **kw})


def eq46(m_v, g):
    """PRD eq. 4.6: g^2 m_V/(12 pi) [1 + sum_{l = mu, tau} (1 + 2 r_l)(1 - 4 r_l)^{1/2} Theta(1 - 4 r_l)]."""
    total = 1.0
    for m_l in (const.M_MU, const.M_TAU):
        r = (m_l / m_v) ** 2
        if 4 * r < 1:
            total += (1 + 2 * r) * math.sqrt(1 - 4 * r)
    return g * g * m_v / (12 * math.pi) * total


@pytest.mark.parametrize("m_v", [0.01, 0.1, 2 * const.M_MU * 1.001, 0.3, 1.0, 2 * const.M_TAU * 1.001, 5.0, 50.0])
@pytest.mark.parametrize("bench", [GRAY, BLACK])
def test_lmu_ltau_width_is_eq_4_6(m_v, bench):
    """PRD eq. 4.6 at masses below, between and above the mu and tau thresholds; rel. tolerance 1e-12.

    Also the sum over the charges (nu_mu + nu_tau: g^2 m_V/(24 pi) each, the '1' of eq. 4.6; mu, tau: the
    Dirac width), and the plain numbers 1 and 3 (in units g^2 m_V/(12 pi)) far below / above both thresholds."""
    g = 1e-3
    m = model("vector-lmu-ltau", bench, m_v=m_v, coupling=g)
    assert m.mediator_width() == pytest.approx(eq46(m_v, g), rel=1e-12)
    assert sum(m.partial_widths().values()) == pytest.approx(eq46(m_v, g), rel=1e-12)


def test_lmu_ltau_width_numbers():
    """PRD eq. 4.6: g = 1e-3, m_V = 0.1 GeV (below 2 m_mu) -> g^2 m_V/(12 pi) = 2.6526e-9 GeV; m_V = 50 GeV
    -> 3 g^2 m_V/(12 pi) (r_l -> 0) up to O(r_tau^2) = 2e-6. Tolerances 1e-12 and 1e-5."""
    g = 1e-3
    assert model("vector-lmu-ltau", m_v=0.1, coupling=g).mediator_width() == pytest.approx(2.6525823848649e-9, rel=1e-12)
    assert model("vector-lmu-ltau", m_v=50.0, coupling=g).mediator_width() == pytest.approx(
        3 * g * g * 50.0 / (12 * math.pi), rel=1e-5)


def test_b_minus_l_leptonic_width():
    """B - L width (PRD sec. V takes it from its ref. [79]; not printed): below the hadronic threshold it is
    3 x g^2 m_V/(24 pi) (nu_e, nu_mu, nu_tau) + sum_l g^2 m_V/(12 pi)(1 + 2 r_l)(1 - 4 r_l)^{1/2}, the same
    tree-level forms as eq. 4.6. Rel. tolerance 1e-12 at m_V = 1 MeV (neutrinos only), 50 MeV, 0.3 GeV."""
    g = 1e-3
    for m_v in (1e-3, 0.05, 0.3):
        expect = 3 * g * g * m_v / (24 * math.pi)
        for m_l in (const.M_E, const.M_MU, const.M_TAU):
            r = (m_l / m_v) ** 2
            if 4 * r < 1:
                expect += g * g * m_v / (12 * math.pi) * (1 + 2 * r) * math.sqrt(1 - 4 * r)
        assert model("vector-b-l", m_v=m_v, coupling=g).mediator_width() == pytest.approx(expect, rel=1e-12)


# --- thermal potential ---------------------------------------------------------------------------
@pytest.mark.parametrize("name, flavors", [("vector-lmu-ltau", ("mu", "tau")), ("vector-b-l", ("e", "mu", "tau"))])
def test_gauged_potential_equals_the_neutrinophilic_one(name, flavors):
    """Ratio V_V(gauged, g)/V_V(neutrinophilic, lam = g) = 1 for every E, T, m_V (rel. tolerance 1e-12).

    PRD eq. 3.3 with |lam| -> g |Q_a| (|Q_a| = 1 in both models): the charged-lepton and other-neutrino
    backgrounds add only g^2 Q_a Q_f (n_f - n_fbar)/m_V^2 = 0 in the CP-symmetric plasma (derivation in
    derivations/out/vector_backgrounds.md; the PRD's own eqs. for secs. IV-V were not readable)."""
    lam = 3e-4
    for t in (0.005, 0.05, 0.5):
        e = np.array([0.1, 1.0, 3.0, 10.0]) * t
        for r in (1e-2, 0.3, 1.0, 3.0, 100.0):
            ref = model("vector-nu", m_v=r * t, coupling=lam).mediator_potential(e, t)
            for flavor in flavors:
                v = model(name, m_v=r * t, coupling=lam, flavor=flavor).mediator_potential(e, t)
                np.testing.assert_allclose(v / ref, 1.0, rtol=1e-12)


@pytest.mark.parametrize("name", ["vector-lmu-ltau", "vector-b-l"])
def test_gauged_potential_limits_eq_3_4(name):
    """PRD eq. 3.4 in the gauged models: -7 pi^2 g^2 E T^4/(45 m_V^4) for m_V >> T (m_V = 1000 T, rel. tolerance
    2e-3: O(E T/m_V^2) corrections) and +g^2 T^2/(8E) for m_V << T (m_V = 1e-3 T, E = T, rel. tolerance 2e-2)."""
    g, t = 1e-3, 0.05
    e = np.array([0.3, 1.0, 3.0]) * t
    mv = 1e3 * t
    heavy = model(name, m_v=mv, coupling=g).mediator_potential(e, t)
    np.testing.assert_allclose(heavy, -7 * math.pi**2 * g * g * e * t**4 / (45 * mv**4), rtol=2e-3)
    light = model(name, m_v=1e-3 * t, coupling=g).mediator_potential(t, t)
    assert float(light) == pytest.approx(g * g * t * t / (8 * t), rel=2e-2)


# --- collision rates -----------------------------------------------------------------------------
@pytest.mark.parametrize("name, temperature, ratio, rtol", [
    ("vector-lmu-ltau", 0.005, 1.5, 2e-3),      # nu_mu + nu_tau (1/2); mu Boltzmann-suppressed
    ("vector-lmu-ltau", 20.0, 3.5, 3e-3),       # + mu, tau (1 each)
    ("vector-b-l", 20.0, 20 / 3, 3e-3),         # nu_a + 2 x 1/2 + e, mu, tau + 5 quarks x 1/3
])
def test_heavy_v_rate_ratio_to_the_neutrinophilic_model(name, temperature, ratio, rtol):
    """Heavy V (m_V = 400 T), derived convention: Gamma_V(gauged)/Gamma_V(neutrinophilic) = ratio.

    PRD secs. IV-V: the rates add nu-nu, scattering on and annihilation into the charged leptons to the
    sec.-III rate (eqs. 3.5-3.8). Each massless charged lepton counts as nu_a itself (kappa = 5/(6 pi) for
    2 x scattering + annihilation), another neutrino flavour as 1/2. Tolerance: masses, O(E T/m_V^2)."""
    e = np.array([1.0, 3.0]) * temperature
    kw = dict(m_v=400 * temperature, coupling=0.5)
    got = model(name, **kw).mediator_rate(e, temperature) / model("vector-nu", **kw).mediator_rate(e, temperature)
    np.testing.assert_allclose(got, ratio, rtol=rtol)


def test_b_minus_l_seed_convention_neglects_baryons():
    """PRD sec. V: the B - L rates use 'neutrinos with themselves and the charged leptons' and neglect the
    nu-baryon processes (and nu-pion through V-rho mixing, footnote 1). The seed convention has no quark
    channel; heavy V at T = 20 GeV: (6/5 + 4)/(6/5) = 13/3 of the seed neutrinophilic rate (the 6/5 is
    PRD eq. 3.8's 7 pi/45 against the derived 7 pi/54). Rel. tolerance 3e-3."""
    seed = model("vector-b-l", m_v=8e3, coupling=0.5, convention="seed")
    assert not any(c.name in ("u", "d", "s", "c", "b", "t") for c in seed.plasma_channels())
    derived = model("vector-b-l", m_v=8e3, coupling=0.5)
    assert {"u", "d", "s", "c", "b", "t"} <= {c.name for c in derived.plasma_channels()}
    t = 20.0
    e = np.array([1.0, 3.0]) * t
    ref = model("vector-nu", m_v=8e3, coupling=0.5, convention="seed").mediator_rate(e, t)
    np.testing.assert_allclose(seed.mediator_rate(e, t) / ref, 13 / 3, rtol=3e-3)


@pytest.mark.parametrize("name, m_v, branching", [
    ("vector-lmu-ltau", 0.05, 1 / 2), ("vector-lmu-ltau", 50.0, 1 / 6),
    ("vector-b-l", 0.05, 1 / 5), ("vector-b-l", 50.0, None)])
def test_on_shell_pole_with_the_total_width(name, m_v, branching):
    """Light V (T = 100 m_V, g = 1e-9: the on-shell pole dominates). PRD eq. 3.11 with the total width of
    eq. 4.6 (the seed convention) gives (seed gauged)/(seed neutrinophilic) = BR(V -> nu_mu nubar_mu): 1/2
    (nu_mu, nu_tau) and 1/6 (+ mu, tau) for L_mu - L_tau; 1/5 (3 nu + e) and ~0.081 (with hadrons) for
    B - L. The derived rate (inverse decay nu_mu nubar_mu -> V, whatever V decays to) has ratio 1.
    Rel. tolerance 1e-5."""
    g, t = 1e-9, 100 * m_v
    e = np.array([0.3, 1.0, 3.0]) * t
    seed = model(name, m_v=m_v, coupling=g, convention="seed")
    br = seed.partial_widths()["nu_mu"] / seed.mediator_width()
    if branching is not None:
        assert br == pytest.approx(branching, rel=1e-5)
    ref = model("vector-nu", m_v=m_v, coupling=g, convention="seed").self_rate(e, t)
    np.testing.assert_allclose(seed.self_rate(e, t) / ref, br, rtol=1e-5)
    derived = model(name, m_v=m_v, coupling=g).self_rate(e, t)
    np.testing.assert_allclose(derived / model("vector-nu", m_v=m_v, coupling=g).self_rate(e, t), 1.0, rtol=1e-5)
