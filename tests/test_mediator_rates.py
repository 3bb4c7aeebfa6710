"""Mediator-rate tables (qke.physics.mediator_rates) and the mediator potential conventions."""
import numpy as np
import pytest

from qke.errors import QKEInputError
from qke.generated import cross_sections as cs
from qke.generated import thermal_rates as tr
from qke.physics import mediator_rates as mr
from qke.physics.potentials import mediator_potential, potential_G

KINDS = ("scalar", "vector")
T = 1.0
#: (E, m) at T = 1: w = m^2/(4E) from 2.5e-5 to 1e2, around the pole region and both limits
POINTS = [(1.0, 0.01), (0.3, 0.1), (1.0, 1.0), (1e-4, 0.02), (3.0, 3.0), (1.0, 3.0), (0.1, 2.0),
          (1.0, 10.0), (0.25, 10.0)]


@pytest.fixture(scope="module", params=[(k, c) for k in KINDS for c in mr.CONVENTIONS])
def table(request):
    return mr.get_rate_table(*request.param)


def test_build_time_cache_and_repr(table):
    # measured: ~0.03-0.08 s (derived), ~0.3-0.8 s (seed); the budget is 2 s
    assert table.build_seconds < 2.0
    assert mr.get_rate_table(table.kind, table.convention) is table
    assert table.kind in repr(table)


def test_table_matches_direct_quadrature(table):
    rng = np.random.default_rng(11)
    w = 10 ** rng.uniform(-11.5, 5.5, 60)
    direct = mr.phi_direct(w, table.kind, table.convention)
    scale = mr._phi_ref(w, table.a_heavy, table.a_light, table.light_power)
    np.testing.assert_array_less(np.abs(table.phi(w) - direct) / scale, 5e-6)
    # outside the grid: the exact asymptotic scalings, continuous at the edges
    for lw in (-12.0, 6.0):
        w0 = 10.0**lw
        assert table.phi(w0 * (1 + 1e-9)) == pytest.approx(table.phi(w0 * (1 - 1e-9)), rel=1e-6)
    w_far = np.array([1e-16, 1e10])
    ratio = table.phi(w_far) / mr._phi_ref(w_far, table.a_heavy, table.a_light, table.light_power)
    np.testing.assert_allclose(ratio, 1.0, atol=2e-5)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("convention", mr.CONVENTIONS)
def test_heavy_limit(kind, convention):
    """m/T >= 30 and m^2 >= 200 E T: the printed / derived m >> T forms to 1 %."""
    t = mr.get_rate_table(kind, convention)
    heavy = getattr(tr, f"gamma_{kind}_heavy" + ("_seed" if convention == "seed" else ""))
    lam = 0.1
    E = np.array([0.1, 1.0, 3.0, 10.0])[None, :]
    m = np.array([30.0, 100.0, 1e3])[:, None]
    ok = m**2 / (4 * E * T) >= 200
    ratio = t(E, T, m, lam) / heavy(E, T, m, lam)
    assert np.all(np.abs(ratio - 1)[ok] < 1e-2)
    # deep in the heavy regime the asymptote is exact
    assert t(1.0, T, 1e4, lam) / heavy(1.0, T, 1e4, lam) == pytest.approx(1.0, abs=2e-5)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("convention", mr.CONVENTIONS)
def test_onshell_limit(kind, convention):
    """m/T <= 1e-2, w = m^2/(4ET) in [0.02, 2.5], small coupling: the on-shell closed forms."""
    t = mr.get_rate_table(kind, convention)
    lam = 1e-6
    m = np.array([1e-2, 3e-3])[:, None]
    E = np.array([1e-5, 2.5e-5, 1e-4])[None, :]
    if convention == "derived":
        ref = (tr.gamma_scalar_light if kind == "scalar" else tr.gamma_vector_onshell)(E, T, m, lam)
    else:
        ref = (1 if kind == "scalar" else 2) * tr.gamma_scalar_light_seed(E, T, m, lam)
    np.testing.assert_allclose(t(E, T, m, lam), ref, rtol=1e-6)
    # the pole term is the generated narrow-width coefficient times the kernel
    C = cs.narrow_width_coefficient_sterile(0.01, lam) if kind == "scalar" else \
        cs.narrow_width_coefficient_vector(0.01, lam, cs.width_vector_to_nunu(0.01, lam))
    assert mr.get_rate_table(kind).on_shell(1e-4, T, 0.01, lam) == pytest.approx(
        C * tr.thermal_kernel_fd(1e-4, 1e-4, T), rel=1e-12)


@pytest.mark.parametrize("convention", mr.CONVENTIONS)
def test_light_offshell_limits(convention):
    lam, m = 0.5, 1e-4
    E = np.array([0.3, 1.0, 3.0])
    vec = mr.get_rate_table("vector", convention).off_shell(E, T, m, lam)
    ref = tr.gamma_vector_light(E, T, m, lam) if convention == "derived" else tr.gamma_vector_light_seed(E, T, m, lam)
    np.testing.assert_allclose(vec, ref, rtol=1e-3)
    # scalar, m << T: lam^4 T^2/(256 pi E) (derived) from sigma -> 3 lam^4/(32 pi s); 2x with the seeds' v_rel
    sca = mr.get_rate_table("scalar", convention).off_shell(E, T, m, lam)
    ref = lam**4 * T**2 / (256 * np.pi * E) * (1.0 if convention == "derived" else 2.0)
    np.testing.assert_allclose(sca, ref, rtol=1e-3)
    assert np.all(np.isfinite(mr.get_rate_table("scalar", convention).off_shell(E, T, 1e-30, lam)))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("width_over_m,tol", [(1e-6, 1e-7), (1e-4, 1e-7), (1e-3, 2e-6), (1e-2, 3e-4)])
def test_narrow_width_vs_finite_width(kind, width_over_m, tol):
    """Table (narrow width + O(Gamma/m)) vs the Breit-Wigner thermal average, partial width."""
    lam = np.sqrt(width_over_m / float(mr.mediator_width(1.0, 1.0, kind)))
    t = mr.get_rate_table(kind)
    E = np.array([p[0] for p in POINTS])
    m = np.array([p[1] for p in POINTS])
    ref = mr.finite_width_rate(E, T, m, lam, kind=kind, n_nodes=128)
    np.testing.assert_allclose(t(E, T, m, lam), ref, rtol=tol)


@pytest.mark.parametrize("kind", KINDS)
def test_where_narrow_width_fails(kind):
    """Gamma_m/m ~ 0.1 (lam ~ 3): percent-level errors, and 6x larger without the O(Gamma/m) term."""
    lam = np.sqrt(0.1 / float(mr.mediator_width(1.0, 1.0, kind)))
    t = mr.get_rate_table(kind)
    E, m = 0.1, 2.0                          # w = 10: pole and off-shell comparable
    ref = mr.finite_width_rate(E, T, m, lam, kind=kind, n_nodes=128)
    err = abs(t(E, T, m, lam) / ref - 1)
    narrow = t.off_shell(E, T, m, lam, width=0.0) + t.on_shell(E, T, m, lam)
    assert 1e-3 < err < 2e-2
    assert abs(narrow / ref - 1) > 3 * err


@pytest.mark.parametrize("kind", KINDS)
def test_total_width_other_channels(kind):
    """A total width 100x the partial one (other decay modes) reduces the on-shell term by the BR."""
    lam, t = 1e-2, mr.get_rate_table(kind)
    E = np.array([1.0, 0.3, 1e-4])
    m = np.array([1.0, 0.1, 0.02])
    width = 100 * mr.mediator_width(m, lam, kind)
    ref = mr.finite_width_rate(E, T, m, lam, width, kind=kind, n_nodes=128)
    np.testing.assert_allclose(t(E, T, m, lam, width), ref, rtol=1e-6)
    np.testing.assert_allclose(t.on_shell(E, T, m, lam, width), 0.01 * t.on_shell(E, T, m, lam), rtol=1e-12)


@pytest.mark.parametrize("kind", KINDS)
def test_coupling_scaling_exact(kind):
    """One table for every coupling: Gamma(lam) = lam^2 P + lam^4 R (+ O(lam^6)) against the direct
    finite-width average at lam = 1e-4 and 1e-2, and the decomposition is exact in the table."""
    t = mr.get_rate_table(kind)
    E = np.array([1.0, 1e-4, 0.1, 1.0])
    m = np.array([0.01, 0.02, 2.0, 10.0])
    for lam in (1e-4, 1e-2):
        ref = mr.finite_width_rate(E, T, m, lam, kind=kind, n_nodes=128)
        np.testing.assert_allclose(t(E, T, m, lam), ref, rtol=1e-7)
    P = t.on_shell(E, T, m, 1.0)
    R = t.off_shell(E, T, m, 1.0, width=0.0)
    for lam in (1e-4, 1e-2, 0.3):
        np.testing.assert_allclose(t.on_shell(E, T, m, lam), lam**2 * P, rtol=1e-12)
        np.testing.assert_allclose(t.off_shell(E, T, m, lam, width=0.0), lam**4 * R, rtol=1e-12)


def test_broadcast_temperature_by_momentum():
    t = mr.get_rate_table("vector")
    T2 = np.geomspace(1e-3, 1.0, 7)[:, None]              # (nT, 1)
    E2 = T2 * np.geomspace(0.01, 20, 11)[None, :]         # (nT, nP)
    g = t(E2, T2, 0.05, 3e-3)
    assert g.shape == (7, 11) and np.all(np.isfinite(g)) and np.all(g > 0)
    assert g[3, 4] == pytest.approx(float(t(E2[3, 4], T2[3, 0], 0.05, 3e-3)), rel=1e-14)
    # arrays of masses and couplings broadcast too (one table for a whole scan)
    m = np.geomspace(1e-3, 1.0, 5)[:, None, None]
    assert t(E2, T2, m, 1e-2).shape == (5, 7, 11)
    assert mr.mediator_rate(E2, T2, 0.05, 3e-3, kind="vector") == pytest.approx(g)


@pytest.mark.parametrize("kind", KINDS)
def test_seed_convention_and_printed_join(kind):
    seed = mr.get_rate_table(kind, "seed")
    derived = mr.get_rate_table(kind)
    lam = 1e-3
    # m >> T: printed eq. 5 (x 2) / PRD eq. 3.8 = 6/5 of the derived rate
    assert seed(1.0, T, 300.0, lam) / derived(1.0, T, 300.0, lam) == pytest.approx(1.2, rel=1e-3)
    # the literal join: printed forms in their regimes, the on-shell eq. 6 everywhere
    E, m = 1.0, np.array([300.0, 1e-3])
    printed = mr.seed_rate_printed(E, T, m, lam, kind)
    heavy = getattr(tr, f"gamma_{kind}_heavy_seed")(E, T, m[0], lam)
    onshell = (1 if kind == "scalar" else 2) * tr.gamma_scalar_light_seed(E, T, m, lam)
    assert printed[0] == pytest.approx(heavy + onshell[0], rel=1e-12)
    light_off = 0.0 if kind == "scalar" else tr.gamma_vector_light_seed(E, T, m[1], lam)
    assert printed[1] == pytest.approx(light_off + onshell[1], rel=1e-12)
    assert seed(E, T, m, lam) == pytest.approx(printed, rel=1e-3)


def test_invalid_options():
    with pytest.raises(QKEInputError):
        mr.get_rate_table("tensor")
    with pytest.raises(QKEInputError):
        mr.get_rate_table("scalar", "paper")
    with pytest.raises(QKEInputError):
        mediator_potential(1.0, 1.0, 1.0, 1.0, convention="paper")


def test_widths_are_the_generated_ones():
    assert mr.mediator_width(2.0, 0.1, "scalar") == pytest.approx(cs.width_scalar_to_nunu(2.0, 0.1))
    assert mr.mediator_width(2.0, 0.1, "vector") == pytest.approx(cs.width_vector_to_nunu(2.0, 0.1))
    assert mr.narrow_width_coefficient(2.0, 0.1, kind="scalar") == pytest.approx(np.pi * 0.01)
    assert mr.narrow_width_coefficient(2.0, 0.1, kind="vector") == pytest.approx(2 * np.pi * 0.01)


# --- potentials -------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_potential_signs_and_conventions(kind):
    lam = 1e-2
    E = T = 1.0
    heavy, light = mediator_potential(E, T, 100.0, lam, kind), mediator_potential(E, T, 1e-3, lam, kind)
    assert heavy < 0 < light
    k = 1 if kind == "scalar" else 2
    assert heavy == pytest.approx(-7 * np.pi**2 * k * lam**2 * E * T**4 / (90 * 100.0**4), rel=2e-3)
    assert light == pytest.approx(k * lam**2 * T**2 / (16 * E), rel=1e-3)
    # printed = PRL eq. 7 / PRD eq. 3.3 literally: overall sign opposite; seed keeps the physical sign
    m = np.geomspace(1e-3, 1e3, 13)
    np.testing.assert_allclose(mediator_potential(E, T, m, lam, kind, "printed"),
                               -mediator_potential(E, T, m, lam, kind), rtol=1e-15)
    np.testing.assert_allclose(mediator_potential(E, T, m, lam, kind, "seed"),
                               mediator_potential(E, T, m, lam, kind), rtol=1e-15)


def test_potential_sign_change_near_three():
    r = np.geomspace(0.5, 30, 400)
    G = potential_G(1.0, r)
    crossing = r[1:][np.diff(np.sign(G)) != 0]
    assert len(crossing) == 1 and 2.5 < crossing[0] < 3.5
