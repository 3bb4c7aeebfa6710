"""Level sets (qke.scans.contour): refined vertices lie on an exact S-shaped curve."""
import math

import numpy as np
import pytest

import scan_toys
from qke.errors import QKEInputError
from qke.scans.contour import ALONG_X, ALONG_Y, edge_tolerance, grid_values, trace_contour
from qke.scans.grid import Axis, product_points
from qke.scans.run import results_to_grid, run_points

RTOL = 1e-9
SLACK = 1e-13  # rounding of log10(10**t) and Brent's 4 eps |t| term


def g(x, y):
    """log10 x - (Y^3 - Y), Y = log10 y: zero on an S-curve, three y-branches for |log10 x| < 0.385."""
    return scan_toys.s_curve({"x": x, "y": y})["g"]


def axes(nx, ny):
    return np.logspace(-2.0, 2.1, nx), np.logspace(-1.6, 1.55, ny)


def coarse_grid_through_run_points(x, y):
    """z[j, i] = g(x[i], y[j]) computed with the scan executor, as a caller would."""
    plane = [Axis("y", y, "log"), Axis("x", x, "log")]
    results = run_points(product_points({}, plane), scan_toys.s_curve, workers=1, progress=False)
    return results_to_grid(results, plane, "g")


def off_curve(line, x_axis, y_axis):
    """Per refined vertex: distance from the exact curve along its edge, and that edge's tolerance."""
    tol_x, tol_y = edge_tolerance(x_axis, True, RTOL), edge_tolerance(y_axis, True, RTOL)
    errors = []
    for x, y, along in zip(line.x, line.y, line.solved_along):
        big_x, big_y = math.log10(x), math.log10(y)
        if along == ALONG_X:
            assert y in y_axis  # y is a grid value, exactly
            errors.append((abs(big_x - (big_y ** 3 - big_y)), tol_x + SLACK))
        else:
            assert along == ALONG_Y and x in x_axis
            roots = np.roots([1.0, 0.0, -1.0, -big_x])
            exact = roots[np.argmin(np.abs(roots - big_y))].real
            errors.append((abs(big_y - exact), tol_y + SLACK))
    return errors


def test_refined_vertices_lie_on_the_s_curve():
    x, y = axes(13, 11)
    z = coarse_grid_through_run_points(x, y)
    np.testing.assert_allclose(z, grid_values(g, x, y))
    (line,) = trace_contour(x, y, z, 0.0, g=g)
    assert not line.closed and line.refined.all()
    for error, tol in off_curve(line, x, y):
        assert error <= tol
    # ordered along the curve: the S-curve is a graph x(y), so y increases from its start
    assert np.all(np.diff(np.log10(line.y)) > 0)
    # three branches in y at some x: a grid column crossed three times
    columns = line.x[line.solved_along == ALONG_Y]
    assert max(np.count_nonzero(columns == c) for c in columns) == 3


def test_unrefined_vertices_are_only_interpolated():
    x, y = axes(13, 11)
    (line,) = trace_contour(x, y, grid_values(g, x, y), 0.0)
    assert not line.refined.any()
    big_x, big_y = np.log10(line.x), np.log10(line.y)
    assert np.max(np.abs(big_x - (big_y ** 3 - big_y))) > 1e-3  # hence the refinement


def test_halving_the_grid_keeps_every_vertex_on_the_curve():
    coarse_axes, fine_axes = axes(13, 11), axes(25, 21)  # same ends, half the spacing
    (coarse,) = trace_contour(*coarse_axes, grid_values(g, *coarse_axes), 0.0, g=g)
    (fine,) = trace_contour(*fine_axes, grid_values(g, *fine_axes), 0.0, g=g)
    assert fine.refined.all() and len(fine.x) > len(coarse.x)
    for error, tol in off_curve(fine, *fine_axes):
        assert error <= tol
    # every coarse grid line is a fine grid line: each coarse vertex is found again
    fine_points = np.column_stack([np.log10(fine.x), np.log10(fine.y)])
    tol = max(edge_tolerance(a, True, RTOL) for a in coarse_axes)
    for point in np.column_stack([np.log10(coarse.x), np.log10(coarse.y)]):
        assert np.min(np.max(np.abs(fine_points - point), axis=1)) <= 2 * tol + SLACK


def test_closed_line_on_linear_axes_and_reversed_axis():
    x, y = np.linspace(-2, 2, 11), np.linspace(2, -2, 9)  # y decreasing
    circle = lambda a, b: a * a + b * b  # noqa: E731
    (line,) = trace_contour(x, y, grid_values(circle, x, y, vectorized=True), 1.5,
                            g=circle, log_x=False, log_y=False, rtol=1e-12)
    assert line.closed and line.refined.all()
    assert (line.x[0], line.y[0]) == (line.x[-1], line.y[-1])
    np.testing.assert_allclose(np.hypot(line.x, line.y), math.sqrt(1.5), rtol=1e-11)


def test_failed_grid_points_leave_holes_but_the_rest_is_refined():
    x, y = axes(13, 11)

    def fragile(a, b):
        if 0.5 < a < 2.0:
            raise RuntimeError("no convergence")
        return g(a, b)

    z = grid_values(fragile, x, y)
    assert np.isnan(z).any()
    lines = trace_contour(x, y, z, 0.0, g=g)
    assert len(lines) >= 2  # the hole cuts the curve
    for line in lines:
        assert line.refined.all()
        for error, tol in off_curve(line, x, y):
            assert error <= tol


def test_shape_and_axis_errors():
    x, y = axes(5, 4)
    with pytest.raises(QKEInputError, match="shape"):
        trace_contour(x, y, np.zeros((5, 4)), 0.0)
    with pytest.raises(QKEInputError, match="positive"):
        trace_contour(x - 1.0, y, np.zeros((4, 5)), 0.0)
    with pytest.raises(QKEInputError, match="monotonic"):
        trace_contour(x[[0, 2, 1, 3, 4]], y, np.zeros((4, 5)), 0.0)
