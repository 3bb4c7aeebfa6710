"""Regression: one QKE solve against the committed reference (tests/regression/make_qke_reference.py).

Tolerance 1e-6 relative: ten times below the solver's own accuracy at the
default rtol (~1e-5, tests/test_qke_validation.py), far above round-off and
BLAS differences between machines (~1e-12), so any change of physics,
tables or method shows up.
"""
import importlib.util
import json
import pathlib

import pytest

HERE = pathlib.Path(__file__).parent
RTOL = 1e-6


def _load_script():
    spec = importlib.util.spec_from_file_location("make_qke_reference", HERE / "make_qke_reference.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_qke_regression_value():
    ref = json.loads((HERE / "qke_reference.json").read_text())
    new = _load_script().run()
    for key in ("omega_h2", "yield", "mean_p_over_T"):
        assert new[key] == pytest.approx(ref[key], rel=RTOL), key
    for y, f in ref["f22"].items():
        assert new["f22"][y] == pytest.approx(f, rel=RTOL), y
