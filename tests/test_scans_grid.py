"""Scan axes from text (qke.scans.grid): linear, log and list axes, units, errors, grid points."""
import numpy as np
import pytest

from qke.errors import QKEInputError
from qke.scans.grid import INDEX_KEY, parameters, parse_axis, parse_grid, product_points
from qke.units import parse_energy


def energy(name, text):
    """The project's unit parser, in the (name, text) order the grid expects."""
    return parse_energy(text, name)


def test_linear_axis():
    ax = parse_axis("x=0:1:lin:5")
    assert (ax.name, ax.scale, ax.unit_text) == ("x", "lin", None)
    np.testing.assert_allclose(ax.values, [0, 0.25, 0.5, 0.75, 1.0])


def test_log_axis_has_exact_ends_and_constant_ratio():
    ax = parse_axis("coupling=1e-6:1:log:40")
    assert ax.scale == "log" and len(ax) == 40
    assert ax.values[0] == 1e-6 and ax.values[-1] == 1.0
    ratios = ax.values[1:] / ax.values[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-12)


def test_descending_range_is_kept_in_order():
    np.testing.assert_allclose(parse_axis("x=10:1:log:2").values, [10, 1])


def test_explicit_list():
    ax = parse_axis("flavor_index=1, 2,3")
    assert ax.scale == "list"
    assert ax.values.tolist() == [1.0, 2.0, 3.0]


def test_single_value_list():
    assert parse_axis("x=2.5").values.tolist() == [2.5]


def test_units_through_a_passed_converter():
    ax = parse_axis("m4=1keV:100keV:log:20", energy)
    assert ax.unit_text == "keV"
    np.testing.assert_allclose(ax.values[[0, -1]], [1e-6, 1e-4], rtol=1e-14)
    phi = parse_axis("m_phi=1MeV:10GeV:log:40", energy)
    np.testing.assert_allclose(phi.values[[0, -1]], [1e-3, 10.0], rtol=1e-14)
    lst = parse_axis("m4=7.1keV,50 keV", energy)
    np.testing.assert_allclose(lst.values, [7.1e-6, 5e-5], rtol=1e-14)
    assert lst.unit_text == "keV"


def test_values_are_read_only():
    ax = parse_axis("x=1,2")
    with pytest.raises(ValueError):
        ax.values[0] = 5.0


@pytest.mark.parametrize("spec, fragment", [
    ("m4", "NAME=START:STOP:SCALE:N"),
    ("m4=", "NAME=START:STOP:SCALE:N"),
    ("=1:2:lin:3", "parameter name"),
    ("m4=1:2:lin", "START:STOP:SCALE:N"),
    ("m4=1:2:lin:3:4", "START:STOP:SCALE:N"),
    ("m4=1:2:cubic:3", "SCALE must be 'log' or 'lin'"),
    ("m4=1:2:lin:2.5", "N must be an integer"),
    ("m4=1:2:lin:x", "N must be an integer"),
    ("m4=1:2:lin:1", "N must be an integer >= 2"),
    ("m4=1:2:lin:0", "N must be an integer >= 2"),
    ("m4=1:2:lin:-3", "N must be an integer"),
    ("m4=2:2:lin:3", "START and STOP must differ"),
    ("m4=0:2:log:3", "log axis needs positive ends"),
    ("m4=-1:2:log:3", "log axis needs positive ends"),
    ("m4=a:2:lin:3", "cannot read"),
    ("m4=1:inf:lin:3", "finite"),
    ("m4=1,,2", "empty value"),
    ("m4=1,nan", "finite"),
])
def test_errors_name_the_parameter(spec, fragment):
    with pytest.raises(QKEInputError) as info:
        parse_axis(spec)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message
    if spec.startswith("m4="):
        assert message.startswith("m4:")


def test_converter_errors_pass_through_with_the_name():
    with pytest.raises(QKEInputError, match=r"^m4: unknown unit"):
        parse_axis("m4=1keV:3parsec:log:3", energy)
    with pytest.raises(QKEInputError, match=r"^m4: cannot read"):
        parse_axis("m4=7.1:10keV:log:3", energy)  # the energy parser wants a unit


def test_parse_grid_refuses_repeats_and_too_many_axes():
    assert [a.name for a in parse_grid(["a=1,2", "b=1:2:lin:3"])] == ["a", "b"]
    with pytest.raises(QKEInputError, match="'a' is given more than once"):
        parse_grid(["a=1,2", "a=3"])
    with pytest.raises(QKEInputError, match="at most 2 axes"):
        parse_grid(["a=1", "b=2", "c=3"], max_axes=2)


def test_product_points_row_major_with_index():
    axes = [parse_axis("a=1,2"), parse_axis("b=10:30:lin:3")]
    points = product_points({"flavor": "mu", "b": -1.0}, axes)
    assert len(points) == 6
    assert [p[INDEX_KEY] for p in points] == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]
    assert [(p["a"], p["b"]) for p in points] == [(1, 10), (1, 20), (1, 30), (2, 10), (2, 20), (2, 30)]
    assert all(p["flavor"] == "mu" for p in points)
    assert all(type(p["a"]) is float for p in points)
    assert parameters(points[0]) == {"flavor": "mu", "a": 1.0, "b": 10.0}


def test_product_points_one_axis():
    points = product_points({}, [parse_axis("x=1:3:lin:3")])
    assert [(p["x"], p[INDEX_KEY]) for p in points] == [(1, (0,)), (2, (1,)), (3, (2,))]
