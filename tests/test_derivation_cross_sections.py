"""Checks of the generated cross sections (derivations/cross_sections.py)."""
import numpy as np
import pytest
from scipy.integrate import quad

from qke.generated import cross_sections as cs

RNG = np.random.default_rng(12345)
# random (s, m) points: s/m^2 spread over 1e-3 .. 1e3, away from the pole
_POINTS = []
while len(_POINTS) < 8:
    m = 10 ** RNG.uniform(-4, 1)
    y = 10 ** RNG.uniform(-3, 3)
    if abs(y - 1) > 0.05:
        _POINTS.append((y * m**2, m))
LAM = 0.37


def _sigma_from_msq(msq, s, m, *extra, sym=1.0):
    val, _ = quad(lambda t: msq(s, t, m, LAM, *extra), -s, 0.0, epsabs=0, epsrel=1e-11, limit=200)
    return sym * val / (16 * np.pi * s**2)


CASES = [
    # (sigma, msq, symmetry factor, extra args to both)
    (lambda s, m: cs.sigma_scalar_nunu(s, m, LAM), cs.msq_scalar_nunu, 0.5, ()),
    (lambda s, m: cs.sigma_scalar_nunubar(s, m, LAM), cs.msq_scalar_nunubar, 1.0, ()),
    (lambda s, m: cs.sigma_vector_nunu(s, m, LAM), cs.msq_vector_nunu, 0.5, ()),
    (lambda s, m: cs.sigma_vector_nunubar(s, m, LAM, 0.0), cs.msq_vector_nunubar, 1.0, ()),
    (lambda s, m: cs.sigma_sterile_nunu(s, m, LAM, 0.01 * m), cs.msq_sterile_nunu, 0.5, "w"),
    (lambda s, m: cs.sigma_sterile_nunubar(s, m, LAM), cs.msq_sterile_nunubar, 1.0, ()),
]


@pytest.mark.parametrize("case", range(len(CASES)))
def test_sigma_matches_t_integral_of_msq(case):
    sigma, msq, sym, extra = CASES[case]
    for s, m in _POINTS:
        args = (0.01 * m,) if extra == "w" else ()
        ref = _sigma_from_msq(msq, s, m, *args, sym=sym)
        assert sigma(s, m) == pytest.approx(ref, rel=1e-8), (s, m)


def test_sterile_total_is_sum():
    for s, m in _POINTS:
        w = 0.02 * m
        tot = cs.sigma_sterile_total(s, m, LAM, w)
        assert tot == pytest.approx(cs.sigma_sterile_nunu(s, m, LAM, w)
                                    + cs.sigma_sterile_nunubar(s, m, LAM), rel=1e-12)


def test_vector_nunubar_width_only_regulates_pole():
    """Width version = Breit-Wigner |P_s|^2, Re P_s pieces; check against a t-integral
    of the amplitude with a complex propagator."""
    lam = LAM
    for s, m in _POINTS[:4]:
        w = 0.05 * m

        def msq(t):
            u = -s - t
            ps = 1.0 / (s - m**2 + 1j * m * w)
            pt = 1.0 / (t - m**2)
            return lam**4 * 4 * u**2 * abs(ps + pt) ** 2
        ref = quad(msq, -s, 0, epsrel=1e-11, epsabs=0)[0] / (16 * np.pi * s**2)
        assert cs.sigma_vector_nunubar(s, m, lam, w) == pytest.approx(ref, rel=1e-8)


def test_series_branch_continuous_and_accurate():
    m = 2.0
    y = np.array([1e-9, 1e-6, 1e-3, 0.0499999, 0.0500001, 0.2])
    s = y * m**2
    for f, heavy in [(cs.sigma_sterile_nunubar, cs.sigma_sterile_nunubar_heavy),
                     (cs.sigma_scalar_nunubar, cs.sigma_scalar_nunubar_heavy)]:
        r = f(s, m, LAM) / heavy(s, m, LAM)
        assert np.all(np.isfinite(r))
        assert r[0] == pytest.approx(1.0, rel=1e-8)
        assert r[3] == pytest.approx(r[4], rel=1e-5)
    r = cs.sigma_vector_nunubar(s, m, LAM, 0.0) / cs.sigma_vector_nunubar_heavy(s, m, LAM)
    assert r[0] == pytest.approx(1.0, rel=1e-8) and r[3] == pytest.approx(r[4], rel=1e-5)
    # series vs direct t-integral just below the switch
    s0 = 0.049 * m**2
    ref = _sigma_from_msq(cs.msq_sterile_nunubar, s0, m)
    assert cs.sigma_sterile_nunubar(s0, m, LAM) == pytest.approx(ref, rel=1e-9)


def test_heavy_limits():
    m = 3.0
    s = 1e-6 * m**2
    pairs = [
        (cs.sigma_vector_nunu(s, m, LAM), cs.sigma_vector_nunu_heavy(s, m, LAM)),
        (cs.sigma_vector_nunubar(s, m, LAM, cs.width_vector_to_nunu(m, LAM)),
         cs.sigma_vector_nunubar_heavy(s, m, LAM)),
        (cs.sigma_scalar_nunu(s, m, LAM), cs.sigma_scalar_nunu_heavy(s, m, LAM)),
        (cs.sigma_scalar_nunubar(s, m, LAM), cs.sigma_scalar_nunubar_heavy(s, m, LAM)),
        (cs.sigma_sterile_nunu(s, m, LAM, cs.width_sterile_mediator(m, LAM)),
         cs.sigma_sterile_nunu_heavy(s, m, LAM)),
        (cs.sigma_sterile_nunubar(s, m, LAM), cs.sigma_sterile_nunubar_heavy(s, m, LAM)),
        (cs.sigma_sterile_total(s, m, LAM, 0.0), cs.sigma_sterile_total_heavy(s, m, LAM)),
    ]
    for full, lim in pairs:
        assert full == pytest.approx(lim, rel=1e-5)
    # seed values, PRD eq. 3.7
    assert cs.sigma_vector_nunubar_heavy(s, m, LAM) == pytest.approx(LAM**4 * s / (3 * np.pi * m**4))
    assert cs.sigma_vector_nunu_heavy(s, m, LAM) == pytest.approx(LAM**4 * s / (2 * np.pi * m**4))


def test_light_limits():
    m = 1e-3
    s = 1e8 * m**2
    lim = cs.sigma_vector_light(s, m, LAM)
    assert lim == pytest.approx(LAM**4 / (4 * np.pi * m**2))          # PRD eq. 3.9
    assert cs.sigma_vector_nunu(s, m, LAM) == pytest.approx(lim, rel=1e-5)
    assert cs.sigma_vector_nunubar(s, m, LAM, cs.width_vector_to_nunu(m, LAM)) == pytest.approx(lim, rel=1e-5)
    assert cs.sigma_scalar_nunu(s, m, LAM) == pytest.approx(cs.sigma_scalar_nunu_light(s, m, LAM), rel=1e-5)
    assert cs.sigma_scalar_nunubar(s, m, LAM) == pytest.approx(cs.sigma_scalar_nunubar_light(s, m, LAM), rel=1e-5)


@pytest.mark.parametrize("kind", ["vector", "sterile"])
def test_narrow_width_coefficient(kind):
    """int ds sigma over the resonance -> C (the smooth background removed)."""
    m, lam = 1.0, 1e-2
    if kind == "vector":
        w = cs.width_vector_to_nunu(m, lam)
        C = cs.narrow_width_coefficient_vector(m, lam, w)
        assert C == pytest.approx(2 * np.pi * lam**2)
        assert C == pytest.approx(lam**4 * m / (12 * w))                # PRD eq. 3.11

        def f(s):
            return cs.sigma_vector_nunubar(s, m, lam, w) - cs.sigma_vector_nunubar(s, m, lam, 1e3 * m)
    else:
        w = cs.width_sterile_mediator(m, lam)
        C = cs.narrow_width_coefficient_sterile(m, lam)
        assert C == pytest.approx(np.pi * lam**2)                       # notes eq. (33)

        def f(s):
            return cs.sigma_sterile_nunu(s, m, lam, w)
    half = 1e4 * m * w
    val = quad(f, m**2 - half, m**2 + half, points=[m**2], limit=500, epsrel=1e-10)[0]
    assert val == pytest.approx(C, rel=2e-3)


def test_widths():
    assert cs.width_vector_to_nunu(2.0, 0.1) == pytest.approx(0.01 * 2.0 / (24 * np.pi))
    assert cs.width_scalar_to_nunu(2.0, 0.1) == pytest.approx(0.01 * 2.0 / (32 * np.pi))
    assert cs.width_sterile_mediator(2.0, 0.1) == cs.width_scalar_to_nunu(2.0, 0.1)


def test_broadcast_bins_temperatures():
    s = np.geomspace(1e-8, 1e2, 7)[:, None]          # (bins, 1)
    m = np.geomspace(1e-3, 1.0, 4)[None, :]          # (1, temperatures)
    funcs = [
        cs.sigma_scalar_nunu(s, m, LAM), cs.sigma_scalar_nunubar(s, m, LAM),
        cs.sigma_vector_nunu(s, m, LAM), cs.sigma_vector_nunubar(s, m, LAM, 0.01 * m),
        cs.sigma_sterile_nunu(s, m, LAM, 0.01 * m), cs.sigma_sterile_nunubar(s, m, LAM),
        cs.sigma_sterile_total(s, m, LAM, 0.01 * m), cs.msq_vector_nunu(s, -0.3 * s, m, LAM),
        cs.msq_sterile_nunu(s, -0.3 * s, m, LAM, 0.01 * m),
    ]
    for v in funcs:
        assert np.shape(v) == (7, 4)
        assert np.all(np.isfinite(v))


def test_moller_velocity():
    e1, e2, c = 2.0, 0.5, -0.3
    s = 2 * e1 * e2 * (1 - c)
    assert cs.moller_velocity(s, e1, e2) == pytest.approx(1 - c)
