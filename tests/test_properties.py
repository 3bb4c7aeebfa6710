"""Property-based tests (hypothesis) over the public API and the command-line parser.

Any combination of inputs either gives a finite, non-negative Omega h^2 or
raises the project's input error with one line naming the parameter: never a
traceback, NaN or inf.
"""
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qke.cli import main
from qke.errors import QKEInputError
from qke.models import get_model
from qke.solvers.rate import RateSettings, solve_rate

NAMES = ("m4", "sin2_2theta", "flavor", "rate", "potential", "n_y", "n_t", "rtol", "y_max", "t_high",
         "t_low", "max_refine", "self_m_phi", "self_lambda")

numbers = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=1e-12, max_value=1e3),
    st.integers(min_value=-10, max_value=10**7),
    st.sampled_from([0, 1, -1, 1e-300, 1e300, float("nan"), float("inf")]),
)
words = st.one_of(st.sampled_from(["e", "mu", "tau", "als", "leptonic", "venumadhav", "nr", "seed-paper"]),
                  st.text(max_size=6))


def _check_input_error(exc: QKEInputError, names=NAMES):
    msg = str(exc)
    assert "\n" not in msg and msg
    assert any(name in msg for name in names), msg


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(m4=st.one_of(st.floats(min_value=1e-7, max_value=1e-4), numbers),
       s2=st.one_of(st.floats(min_value=1e-14, max_value=1e-6), numbers),
       flavor=words, rate=words, potential=words)
def test_model_api_never_returns_nonsense(m4, s2, flavor, rate, potential):
    try:
        model = get_model("sm", m4=m4, sin2_2theta=s2, flavor=flavor, rate=rate, potential=potential)
    except QKEInputError as exc:
        _check_input_error(exc)
        return
    res = solve_rate(model, settings=RateSettings(rtol=1e-2, n_y=16, max_refine=1))
    assert math.isfinite(res.omega_h2) and res.omega_h2 >= 0
    assert np.all(np.isfinite(res.f_s)) and np.all(res.f_s >= 0)


@settings(max_examples=60, deadline=None)
@given(n_y=numbers, n_t=st.one_of(st.none(), numbers), rtol=numbers, y_max=numbers,
       t_high=st.one_of(st.none(), numbers), t_low=st.one_of(st.none(), numbers), max_refine=numbers)
def test_rate_settings_validated(n_y, n_t, rtol, y_max, t_high, t_low, max_refine):
    s = RateSettings(n_y=n_y, n_t=n_t, rtol=rtol, y_max=y_max, t_high=t_high, t_low=t_low, max_refine=max_refine)
    try:
        s.validate()
    except QKEInputError as exc:
        _check_input_error(exc)
    except TypeError:  # pragma: no cover - a failure of the property
        pytest.fail(f"TypeError for {s}")


OPTION_VALUES = {
    "--m4": st.one_of(st.sampled_from(["7.1keV", "0.5meV", "10MeV", "1e-30keV", "3", "abc", "-1keV", "1e400GeV",
                                       "nan keV", "2 kev"]), st.text(max_size=8)),
    "--sin2-2theta": st.one_of(st.sampled_from(["1e-10", "0", "1", "2", "nan", "inf", "-1e-9", "abc"]),
                               st.floats(allow_nan=True).map(repr)),
    "--flavor": words,
    "--gstar": st.sampled_from(["10.75", "1e-300", "1e300", "0", "x"]),
    "--cosmology": st.sampled_from(["standard", "constant", "laine-schroder", "flat"]),
    "--bins": st.sampled_from(["8", "10", "64", "10000000", "-4", "x", "1.5"]),
    "--rtol": st.sampled_from(["1e-3", "0", "0.5", "nan", "x"]),
    "--t-high": st.sampled_from(["5GeV", "1keV", "0GeV", "1e30GeV", "5"]),
    "--t-low": st.sampled_from(["5MeV", "10GeV", "1e-30eV", "x"]),
    "-P": st.sampled_from(["rate=leptonic", "m4=3", "self_m_phi=3", "self_lambda=abc", "foo=1", "noequals",
                           "potential=bogus"]),
}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(options=st.dictionaries(st.sampled_from(sorted(OPTION_VALUES)), st.just(None), max_size=4),
       data=st.data())
def test_cli_never_tracebacks(capsys, options, data):
    argv = ["relic", "--rtol", "1e-2", "--bins", "16"]
    for opt in options:
        argv += [opt, data.draw(OPTION_VALUES[opt], label=opt)]
    if "--cosmology" not in options and "--gstar" in options:
        argv += ["--cosmology", "constant"]
    rc = main(argv)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    if rc == 0:
        omega = float(out.split("Omega_s h^2")[1].split()[0])
        assert math.isfinite(omega) and omega >= 0
    else:
        assert rc in (2, 3), err
        lines = [ln for ln in err.splitlines() if ln.startswith("qke: error") or ln.startswith("qke: solver")]
        assert len(lines) == 1, err
