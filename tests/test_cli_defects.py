"""Every defect found when the CLI was tried as a new user would (issue 7, item 4), one test each."""
import json
import math
import re
from pathlib import Path

import pytest

from qke import bench
from qke.cards import Card
from qke.cli import main
from qke.errors import QKEInputError
from qke.solvers import core
from qke.units import parse_energy

BASE = ["--m4", "7.1keV", "--sin2-2theta", "2e-9"]
README = Path(__file__).resolve().parents[1] / "README.md"


def run(capsys, *args):
    """(exit status, stdout, stderr lines) of ``qke args`` run in-process."""
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, [ln for ln in err.splitlines() if ln.strip()]


def one_line_error(capsys, name, *args):
    rc, _, err = run(capsys, *args)
    assert rc == 2, err
    errors = [ln for ln in err if ln.startswith("qke: error:")]
    assert len(errors) == 1 and len(err) == 1, err
    assert name in errors[0], errors[0]
    return errors[0]


@pytest.mark.parametrize("s2", ["1", "0.9", "0.5", "0.3"])
def test_qke_large_mixing_does_not_crash(capsys, s2):
    """Was: LinAlgError (singular coherence block at maximal mixing). Now a finite result."""
    rc, out, _ = run(capsys, "relic", *BASE[:2], "--sin2-2theta", s2, "--method", "qke", "--bins", "20",
                     "--rtol", "1e-4", "--json")
    assert rc == 0
    omega = json.loads(out)["omega_h2"]
    assert math.isfinite(omega) and omega > 0


def test_param_not_a_number(capsys):
    one_line_error(capsys, "self_lambda", "relic", *BASE, "-P", "self_m_phi=1MeV", "-P", "self_lambda=abc")
    one_line_error(capsys, "sin2_2theta", "relic", *BASE, "-P", "sin2_2theta=abc")


@pytest.mark.parametrize("path", ["/nonexistent/x.csv", "/", ""])
def test_unwritable_output_fails_before_solving(capsys, monkeypatch, path):
    def no_solve(self):
        raise AssertionError("solved before checking the output path")

    monkeypatch.setattr(Card, "run", no_solve)
    one_line_error(capsys, "output", "spectrum", *BASE, "-o", path)


def test_bench_repeat_zero(capsys):
    one_line_error(capsys, "repeat", "bench", "--repeat", "0")


def test_units_are_case_sensitive(capsys):
    assert parse_energy("0.5meV", "m4") == pytest.approx(5e-13)
    assert parse_energy("0.5MeV", "m4") == pytest.approx(5e-4)
    for bad in ("0.5mev", "7kev", "1GEV", "2 Kev"):
        with pytest.raises(QKEInputError, match="case-sensitive"):
            parse_energy(bad, "m4")
    # 0.5 meV is far below the lightest sterile mass accepted: an error, not Omega h^2 = 321
    one_line_error(capsys, "m4", "relic", "--m4", "0.5meV")


@pytest.mark.parametrize("g", ["1e-300", "1e300", "0", "-3"])
def test_constant_gstar_range(capsys, g):
    one_line_error(capsys, "gstar", "relic", *BASE, "--cosmology", "constant", "--gstar", g)


@pytest.mark.parametrize("method", ["rate", "qke"])
def test_bins_upper_bound(capsys, method):
    one_line_error(capsys, "--bins", "relic", *BASE, "--method", method, "--bins", "10000000")


@pytest.mark.parametrize("args, name", [
    (["--atol", "1e-10"], "atol"),
    (["--no-repopulation"], "no-repopulation"),
    (["--method", "qke", "--no-depletion"], "no-depletion"),
])
def test_options_that_do_not_apply_are_rejected(capsys, args, name):
    line = one_line_error(capsys, name, "relic", *BASE, *args)
    assert "does not apply" in line or "needs --method qke" in line


def test_compare_has_no_method_option(capsys):
    one_line_error(capsys, "--method", "compare", *BASE, "--method", "foo")


@pytest.mark.parametrize("args, name", [
    (["-P", "m4=3"], "m4"), (["-P", "m4=3keV"], "m4"), (["-P", "self_m_phi=3"], "self_m_phi"),
])
def test_dimensioned_parameters_need_units_and_core_ones_their_option(capsys, args, name):
    one_line_error(capsys, name, "relic", *BASE, *args)


def test_tiny_mass_rejected(capsys):
    line = one_line_error(capsys, "m4", "relic", "--m4", "1e-30keV")
    assert "100 eV" in line


def test_help_states_the_default_end_temperature(capsys):
    with pytest.raises(SystemExit):
        main(["relic", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert f"T_peak/{core.RANGE_LOW:g}" in out and f"{core.RANGE_HIGH:g} T_peak" in out


def test_warning_below_decoupling(capsys):
    """m4 = 200 eV: the automatic range ends at T_peak/40 < 2 MeV."""
    rc, _, err = run(capsys, "relic", "--m4", "200eV", "--sin2-2theta", "1e-8")
    assert rc == 0 and any("below active-neutrino decoupling" in ln for ln in err)


def test_spectrum_header_is_self_describing(capsys, tmp_path):
    path = tmp_path / "s.csv"
    rc, _, _ = run(capsys, "spectrum", *BASE, "--cosmology", "constant", "--gstar", "10.75", "--no-depletion",
                   "--rate", "leptonic", "-o", str(path))
    assert rc == 0
    header = "\n".join(ln for ln in path.read_text().splitlines() if ln.startswith("#"))
    for text in ('"rate": "leptonic"', '"potential": "nr"', '"gstar": 10.75', '"depletion": false',
                 '"name": "constant"'):
        assert text in header, text
    card = json.loads(header.splitlines()[1][1:].strip())
    assert Card.from_mapping(card).run().omega_h2 > 0


def test_grid_actually_used_is_reported(capsys):
    rc, out, _ = run(capsys, "relic", *BASE, "--bins", "64")
    assert rc == 0
    grid = next(ln for ln in out.splitlines() if ln.strip().startswith("grid"))
    assert "started from" in grid and "x 64" in grid and "128 momentum intervals" in grid


def test_errors_use_option_names_and_short_numbers(capsys):
    line = one_line_error(capsys, "--bins", "relic", *BASE, "--bins", "10")
    assert "n_y" not in line.split(":")[1] or "--bins" in line
    line = one_line_error(capsys, "atol", "relic", *BASE, "--method", "qke", "--atol", "0.5")
    assert "--atol" in line
    line = one_line_error(capsys, "t_low", "relic", *BASE, "--t-high", "1.2345678901234GeV", "--t-low",
                          "3.3333333333333GeV")
    assert not re.search(r"\d{8,}", line), line


def test_bench_report_says_what_is_extrapolated():
    report = {"benchmark": "b", "omega_h2": 0.12, "omega_h2_4x_finer": 0.12, "relative_error_vs_4x_finer": 1e-4,
              "grid": {"n_t": 272, "n_y": 128}, "warm_median_s": 0.01, "cold_median_s": 0.5,
              "baseline_solve_ivp_measured_s": 7.0, "baseline_bins_measured": 32, "baseline_solve_ivp_s": 28.0,
              "speedup_vs_baseline": 2800, "speedup_vs_sterile_dm_quoted": 65, "target": "t", "target_met": True}
    text = bench.format_report(report)
    assert "measured on 32 bins" in text and "extrapolated" in text and "quoted" in text


def test_verbose_accepted_after_the_subcommand(capsys):
    rc, _, err = run(capsys, "relic", *BASE, "-v")
    assert rc == 0 and any("INFO" in ln for ln in err)
    rc, _, _ = run(capsys, "-v", "relic", *BASE)
    assert rc == 0


def test_readme_example_output_matches_the_code(capsys):
    """The README's example block shows lines the code prints, verbatim (wall time aside)."""
    text = README.read_text()
    block = re.search(r"```text\n\$ (qke relic[^\n]*)\n(.*?)```", text, re.S)
    assert block, "README example block not found"
    command, shown = block.group(1), block.group(2)
    rc, out, _ = run(capsys, *command.split()[1:])
    assert rc == 0
    printed = out.splitlines()
    for line in shown.splitlines():
        if line.strip() in ("...", "") or "wall time" in line:
            continue
        assert line in printed, f"README line not printed by the code: {line!r}"


def test_repeated_warnings_are_shown_a_few_times_only():
    """A scan's per-point warnings (e.g. below decoupling) appear `limit` times, then once more with a
    note that the rest are dropped; other kinds and INFO records are unaffected."""
    import logging

    from qke.cli import _RepeatFilter

    filt = _RepeatFilter(limit=3)

    def record(msg, level=logging.WARNING):
        return logging.LogRecord("qke", level, __file__, 1, msg, (1.0,), None)

    shown = [r for r in (record("T = %s below decoupling") for _ in range(10)) if filt.filter(r)]
    assert len(shown) == 4 and "not shown" in shown[-1].getMessage()
    assert filt.filter(record("another kind %s"))
    assert all(filt.filter(record("progress %s", logging.INFO)) for _ in range(10))
