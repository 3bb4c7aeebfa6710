"""Root finding (qke.scans.roots): every root of an S-curve, Brent tolerance, failures, shortcut."""
import math

import numpy as np
import pytest

from qke.errors import QKEInputError
from qke.scans.roots import bracket_grid, find_roots, linear_shortcut, sign_changes, solve_dm_line

# f(x) = (ln x - ln 2)(ln x - ln 30)(ln x - ln 400): roots at 2, 30, 400 (an S-curve in log x)
ROOTS = (2.0, 30.0, 400.0)


def s_curve(x):
    u = math.log(x)
    return (u - math.log(ROOTS[0])) * (u - math.log(ROOTS[1])) * (u - math.log(ROOTS[2]))


def test_three_roots_found_and_labelled():
    scan = find_roots(s_curve, 1.0, 1e4, n_bracket=24, rtol=1e-10)
    assert [r.branch for r in scan.roots] == [0, 1, 2]
    assert all(r.converged for r in scan.roots)
    for root, exact in zip(scan.roots, ROOTS):
        assert abs(root.x / exact - 1) <= 1e-10 + 1e-14  # the stated tolerance (log scale)
        assert root.bracket[0] < exact < root.bracket[1]
    assert not scan.failures and not scan.truncated and scan.method == "bracket"


@pytest.mark.parametrize("rtol", [1e-4, 1e-8, 1e-12])
def test_brent_tolerance_is_met_log(rtol):
    calls = []

    def f(x):
        calls.append(x)
        return s_curve(x)

    scan = find_roots(f, 1.0, 1e4, n_bracket=24, rtol=rtol)
    errors = [abs(r.x / e - 1) for r, e in zip(scan.roots, ROOTS)]
    assert max(errors) <= rtol + 1e-14
    assert len(calls) < 24 + 3 * 60  # grid + Brent iterations, end values reused


def test_brent_tolerance_is_met_lin_with_target():
    # x^3 - 3x = target 1 has three roots in [-2, 2]
    exact = np.sort(np.roots([1.0, 0.0, -3.0, -1.0]).real)
    xtol, rtol = 1e-9, 1e-12
    scan = find_roots(lambda x: x ** 3 - 3 * x, -2.0, 2.0, target=1.0, n_bracket=21, scale="lin",
                      xtol=xtol, rtol=rtol)
    assert len(scan.roots) == 3
    for root, e in zip(scan.roots, exact):
        assert abs(root.x - e) <= xtol + rtol * abs(e)


def test_grid_point_that_is_a_root():
    scan = find_roots(lambda x: x - 0.5, 0.0, 1.0, n_bracket=3, scale="lin")  # grid 0, 0.5, 1
    assert [(r.x, r.bracket) for r in scan.roots] == [(0.5, (0.5, 0.5))]


def test_failed_points_are_skipped_and_reported():
    def fragile(x):
        if 25.0 < x < 40.0:
            raise RuntimeError("solver diverged")
        if 100.0 < x < 150.0:
            return float("nan")
        return s_curve(x)

    scan = find_roots(fragile, 1.0, 1e4, n_bracket=24, rtol=1e-10)
    grid_failures = [p for p in scan.failures if "refinement" not in p.error]
    assert grid_failures and all(25 < p.x < 40 or 100 < p.x < 150 for p in grid_failures)
    assert any("RuntimeError: solver diverged" in p.error for p in scan.failures)
    assert any("nan" in p.error for p in scan.failures)
    assert np.isnan(scan.values).sum() == len(grid_failures)
    # the middle root (30) lies where f fails: bracketed across the gap but not refined
    assert len(scan.roots) == 3
    middle = scan.roots[1]
    assert not middle.converged and middle.bracket[0] < 30 < middle.bracket[1]
    assert abs(scan.roots[0].x / 2 - 1) < 1e-9 and abs(scan.roots[2].x / 400 - 1) < 1e-9


def test_max_roots_truncates():
    scan = find_roots(s_curve, 1.0, 1e4, n_bracket=24, max_roots=2)
    assert scan.truncated and [r.branch for r in scan.roots] == [0, 1]


def test_precomputed_values():
    grid = bracket_grid(1.0, 1e4, 24)
    values = np.array([s_curve(x) for x in grid])
    scan = find_roots(s_curve, 1.0, 1e4, n_bracket=24, values=values)
    assert len(scan.roots) == 3
    with pytest.raises(QKEInputError, match="values"):
        find_roots(s_curve, 1.0, 1e4, n_bracket=24, values=values[:-1])


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(lo=2.0, hi=1.0), "lo < hi"),
    (dict(lo=-1.0, hi=1.0), "lo > 0"),
    (dict(lo=1.0, hi=2.0, n_bracket=1), "n_bracket"),
    (dict(lo=1.0, hi=2.0, scale="cubic"), "scale"),
    (dict(lo=1.0, hi=2.0, rtol=0.0), "rtol"),
])
def test_bad_arguments(kwargs, fragment):
    with pytest.raises(QKEInputError, match=fragment):
        find_roots(s_curve, **kwargs)


def test_sign_changes_skip_nan():
    x = np.arange(5.0)
    h = np.array([-1.0, np.nan, 1.0, np.nan, -2.0])
    assert sign_changes(x, h) == [(0.0, 2.0, -1.0, 1.0), (2.0, 4.0, 1.0, -2.0)]


def test_linear_shortcut_used_when_proportional():
    calls = []

    def f(x):
        calls.append(x)
        return 6.0e7 * x  # e.g. Omega h^2 proportional to sin^2 2theta

    result = linear_shortcut(f, 1e-10, 1e-9, target=0.12)
    assert result.used and result.x == pytest.approx(2e-9, rel=1e-14)
    assert result.ratio_error < 1e-12 and result.residual < 1e-12
    assert len(calls) == 3 and calls[-1] == result.x  # verified with one more evaluation


def test_linear_shortcut_refused_when_not_proportional():
    result = linear_shortcut(lambda x: x ** 1.1, 1e-10, 1e-9, target=0.12)
    assert not result.used and "not proportional" in result.reason
    assert result.ratio_error == pytest.approx(10 ** 0.1 - 1, rel=1e-9)
    # proportional between x0 and x1 only: the verification at x* catches it
    kinked = linear_shortcut(lambda x: x if x < 1.0 else x ** 2, 0.1, 0.2, target=4.0)
    assert not kinked.used and "not verified" in kinked.reason and kinked.x == pytest.approx(4.0)
    failing = linear_shortcut(lambda x: 1 / 0, 1.0, 2.0, target=1.0)
    assert not failing.used and "ZeroDivisionError" in failing.reason
    assert not linear_shortcut(lambda x: x, 1.0, 2.0, target=0.0).used


def test_solve_dm_line_every_root_per_outer_value():
    # f2(m, x) = S-curve shifted by m: roots at 2m, 30m, 400m
    def f2(m, x):
        return s_curve(x / m)

    lines = solve_dm_line([1.0, 2.0, 5.0], f2, 1.0, 1e5, n_bracket=30, rtol=1e-10)
    assert [line.outer for line in lines] == [1.0, 2.0, 5.0]
    for line in lines:
        assert [r.branch for r in line.scan.roots] == [0, 1, 2]
        np.testing.assert_allclose([r.x for r in line.scan.roots], np.array(ROOTS) * line.outer, rtol=1e-9)


def test_solve_dm_line_with_shortcut():
    lines = solve_dm_line([1.0, 2.0], lambda m, x: m * x, 1e-3, 1e3, target=4.0, shortcut=(1.0, 2.0))
    assert [line.scan.method for line in lines] == ["linear", "linear"]
    assert [line.scan.roots[0].x for line in lines] == [4.0, 2.0]
    # not proportional: falls back to bracketing
    (line,) = solve_dm_line([1.0], lambda m, x: x ** 2, 1e-3, 1e3, target=4.0, shortcut=(1.0, 2.0))
    assert line.scan.method == "bracket" and line.scan.roots[0].x == pytest.approx(2.0, rel=1e-8)
