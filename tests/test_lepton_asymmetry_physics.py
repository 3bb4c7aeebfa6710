"""Redistribution of a lepton-flavour asymmetry: qke/physics/lepton_asymmetry.py.

References: Venumadhav, Cyr-Racine, Abazajian & Hirata, PRD 94 (2016) 043515
(arXiv:1507.06655) and their code sterile-dm (github.com/ntveem/sterile-dm,
commit e4486265), tables data/tables/dmudL{e,mu,tau}.dat (rows copied below)
and function vasym in src/functions.f90 (= sqrt2 x our c_v).
Derivation: derivations/out/lepton_asymmetry.md.
"""
import numpy as np
import pytest

from qke import constants as c
from qke.data import qcd_susceptibility_table
from qke.errors import QKEInputError
from qke.generated import lepton_asymmetry as gen
from qke.physics import lepton_asymmetry as la

FLAVOURS = ("e", "mu", "tau")

# sterile-dm dmudL{flavour}.dat rows: T [MeV], then d mu_X/dL (units T^-2, i.e. our
# (mu/T)/ell) for X = e, mu, tau, nu_e, nu_mu, nu_tau, Q, B.
STERILE_DM_ROWS = {
    "e": [
        [10.0, 4.8778e-03, -5.9759e+00, -5.9854e+00, 5.9902e+00, 9.5167e-03, 1.5717e-73, 5.9854e+00, -3.1852e+00],
        [150.0, 1.6273e+00, -3.9138e-01, -1.1175e+00, 2.7454e+00, 7.2668e-01, 5.7885e-04, 1.1181e+00, -2.1169e-01],
        [1000.0, 1.8159e+00, -1.8428e-01, -2.4143e-01, 2.3681e+00, 3.6793e-01, 3.1077e-01, 5.5220e-01, -2.0208e-01],
        [10000.0, 1.8470e+00, -1.5295e-01, -1.5344e-01, 2.3059e+00, 3.0590e-01, 3.0541e-01, 4.5885e-01, -9.3134e-02],
    ],
    "mu": [
        [10.0, -4.7602e-03, 5.9762e+00, -1.4277e-02, 9.5167e-03, 5.9905e+00, 3.7489e-76, 1.4277e-02, -7.5977e-03],
        [150.0, -3.6334e-01, 1.7188e+00, -1.0895e+00, 7.2668e-01, 2.8088e+00, 5.6433e-04, 1.0900e+00, -2.0638e-01],
        [1000.0, -1.8396e-01, 1.8181e+00, -2.4130e-01, 3.6793e-01, 2.3700e+00, 3.1059e-01, 5.5189e-01, -2.0197e-01],
        [10000.0, -1.5295e-01, 1.8471e+00, -1.5344e-01, 3.0590e-01, 2.3059e+00, 3.0541e-01, 4.5885e-01, -9.3133e-02],
    ],
    "tau": [
        [10.0, -7.8615e-74, -2.3541e-73, 6.0000e+00, 1.5717e-73, 3.7489e-76, 6.0000e+00, 2.3578e-73, -1.2547e-73],
        [150.0, -2.8943e-04, -3.0394e-04, 5.9960e+00, 5.7885e-04, 5.6433e-04, 5.9969e+00, 8.6828e-04, -1.6440e-04],
        [1000.0, -1.5538e-01, -1.5556e-01, 2.4195e+00, 3.1077e-01, 3.1059e-01, 2.8857e+00, 4.6615e-01, -1.7059e-01],
        [10000.0, -1.5271e-01, -1.5271e-01, 1.8532e+00, 3.0541e-01, 3.0541e-01, 2.3113e+00, 4.5812e-01, -9.2985e-02],
    ],
}
# sterile-dm constants (src/constants.f90): lepton masses [MeV], sin^2 theta_W
STERILE_DM_MASSES = {"e": 0.511, "mu": 105.658, "tau": 1776.82}
STERILE_DM_S2W = 0.23126
# Tolerance: the tables print 5 significant digits; our spline in ln T through
# PCHIP-interpolated susceptibilities reproduces them to ~3e-5, we ask 2e-4.
RTOL_TABLE = 2e-4


def _qcd_at(t_mev):
    t, b2, q2, bq = qcd_susceptibility_table()
    i = int(np.argmin(np.abs(t * 1e3 - t_mev)))
    assert abs(t[i] * 1e3 - t_mev) < 1e-6
    return b2[i], q2[i], bq[i]


def test_chi_quadrature():
    from scipy.integrate import quad

    def ref(a):
        f = lambda x: x * x * np.exp(-np.hypot(x, a)) / (1 + np.exp(-np.hypot(x, a))) ** 2 / np.pi**2
        return quad(f, 0, np.inf, epsabs=0, epsrel=1e-12)[0]
    a = np.array([0.0, 0.005, 0.3, 1.0, 5.0, 30.0, 200.0])
    assert np.allclose(la.fermion_number_susceptibility(a), [ref(x) for x in a], rtol=1e-10, atol=0)
    assert la.fermion_number_susceptibility(0.0) == pytest.approx(1 / 6, rel=1e-13)


def test_generated_matches_numerical_linear_solve():
    """The closed forms solve the 8 conditions (independent numpy solve)."""
    rng = np.random.default_rng(1)
    for _ in range(5):
        ch = rng.uniform(0.0, 1 / 6, 3)
        b2, q2, bq = rng.uniform(0.1, 1.0), rng.uniform(0.1, 1.2), rng.uniform(-0.2, 0.2)
        # unknowns: mu_e, mu_mu, mu_tau, mu_nue, mu_numu, mu_nutau, mu_Q, mu_B
        A = np.zeros((8, 8))
        for b in range(3):
            A[b, [b, 3 + b, 6]] = [-1, 1, -1]                      # mu_nu = mu_l + mu_Q
            A[3 + b, [b, 3 + b]] = [2 * ch[b], 1 / 6]             # L_b
        A[6, 6:] = [bq, b2]                                        # n_B = 0
        A[7, :3] = -2 * ch
        A[7, 6:] = [q2, bq]                                        # neutrality
        for k, f in enumerate(FLAVOURS):
            rhs = np.zeros(8)
            rhs[3 + k] = 1.0
            mu = np.linalg.solve(A, rhs)
            dn_nu, dn_l = mu[3:6] / 6, 2 * ch * mu[:3]
            n_q = q2 * mu[6] + bq * mu[7]
            v = dn_nu.sum() + dn_nu[k] + dn_l[k] + (-0.5 + 2 * 0.23) * dn_l.sum() + (1 - 2 * 0.23) * n_q
            cv, cm = getattr(gen, f"asymmetry_response_{f}")(*ch, b2, q2, bq)
            assert cv == pytest.approx(v, rel=1e-12) and cm == pytest.approx(mu[3 + k], rel=1e-12)


@pytest.mark.parametrize("flavor", FLAVOURS)
def test_low_temperature_limit(flavor):
    # mu, e: m_e << T << m_mu -> all of L in nu_alpha (electrons: neutrality forces dn_e = 0)
    temps = np.array([1e-4, 5e-4, 2e-3, 5e-3]) if flavor != "tau" else np.array([1e-3, 0.02, 0.1])
    cv, cm = la.asymmetry_response(flavor, temps)
    assert np.allclose(cv, 2.0, atol=1e-6) and np.allclose(cm, 6.0, atol=1e-6)


def test_high_temperature_limit_free_quarks():
    """Massless leptons + free quarks: exact rationals of the derivation report."""
    sixth = np.full(3, 1 / 6)
    for f in FLAVOURS:
        resp = getattr(gen, f"asymmetry_response_{f}")
        assert np.allclose(resp(*sixth, 4 / 9, 10 / 9, 2 / 9), (7 / 4, 7 / 3), rtol=1e-13)      # udsc
        assert np.allclose(resp(*sixth, 5 / 9, 11 / 9, 1 / 9), (40 / 23, 158 / 69), rtol=1e-13)  # udscb
    # the held value above 10 GeV lies within 1 % of free udscb quarks
    for f in FLAVOURS:
        cv, cm = la.asymmetry_response(f, 100.0)
        assert cv == pytest.approx(40 / 23, rel=0.01) and cm == pytest.approx(158 / 69, rel=0.01)


@pytest.mark.parametrize("flavor", FLAVOURS)
def test_against_sterile_dm_chemical_potential(flavor):
    rows = np.array(STERILE_DM_ROWS[flavor])
    k = FLAVOURS.index(flavor)
    _, cm = la.asymmetry_response(flavor, rows[:, 0] * 1e-3)
    assert np.allclose(cm, rows[:, 4 + k], rtol=RTOL_TABLE)
    if flavor == "mu":
        assert np.allclose(rows[[0, 3], 5], [5.9905, 2.3059])


@pytest.mark.parametrize("flavor", FLAVOURS)
def test_against_sterile_dm_vasym(flavor):
    """vasym (sterile-dm) = sqrt2 c_v, rebuilt from their tabulated chemical potentials."""
    k = FLAVOURS.index(flavor)
    for row in STERILE_DM_ROWS[flavor]:
        t, mu = row[0], np.array(row[1:])
        chi_l = np.array([la.fermion_number_susceptibility(STERILE_DM_MASSES[f] / t) for f in FLAVOURS])
        b2, q2, bq = _qcd_at(t)
        dn_l, dn_nu = 2 * chi_l * mu[:3], mu[3:6] / 6
        n_q = q2 * mu[6] + bq * mu[7]
        vasym = np.sqrt(2) * (dn_nu.sum() + dn_nu[k] + dn_l[k] + (-0.5 + 2 * STERILE_DM_S2W) * dn_l.sum()
                              + (1 - 2 * STERILE_DM_S2W) * n_q)
        cv, _ = la.asymmetry_response(flavor, t * 1e-3)
        assert np.sqrt(2) * cv == pytest.approx(vasym, rel=RTOL_TABLE)


def test_public_interface_units_and_shapes():
    t = np.array([[0.01, 0.1], [1.0, 10.0]])
    v = la.potential_per_asymmetry("mu", t)
    m = la.chemical_potential_per_asymmetry("mu", t)
    cv, cm = la.asymmetry_response("mu", t)
    assert v.shape == m.shape == t.shape
    assert np.allclose(v, np.sqrt(2) * c.G_F * t**3 * cv, rtol=1e-14)
    assert np.allclose(m, t * cm, rtol=1e-14)
    assert np.ndim(la.potential_per_asymmetry("e", 0.1)) == 0
    # continuity of the spline and of the hold-outside-range rule
    tt = np.geomspace(1e-5, 1e3, 2000)
    for f in FLAVOURS:
        cv, cm = la.asymmetry_response(f, tt)
        assert np.all(np.isfinite(cv)) and np.all(np.abs(np.diff(cm)) < 0.05)
    with pytest.raises(QKEInputError):
        la.potential_per_asymmetry("x", 0.1)
