"""The qke command: output formats and one-line errors for bad input."""
import csv
import io
import json
import subprocess
import sys

import pytest

from qke.cli import main
from qke.units import parse_energy
from qke.errors import QKEInputError

BASE = ["--model", "sm", "--flavor", "mu", "--m4", "7.1keV", "--sin2-2theta", "2e-9"]


def run(*args):
    return subprocess.run([sys.executable, "-m", "qke", *args], capture_output=True, text=True)


def test_relic_summary():
    out = run("relic", *BASE)
    assert out.returncode == 0, out.stderr
    assert "Omega_s h^2" in out.stdout and "7.1 keV" in out.stdout


def test_relic_json(capsys):
    assert main(["relic", *BASE, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("omega_h2", "yield", "mean_p_over_T", "parameters", "settings"):
        assert key in data
    assert data["parameters"]["m4"] == pytest.approx(7.1e-6)
    assert data["parameters"]["flavor"] == "mu"
    assert data["settings"]["t_high"] > data["settings"]["t_low"] > 0
    assert 0.05 < data["omega_h2"] < 0.5


def test_spectrum_csv(tmp_path, capsys):
    path = tmp_path / "s.csv"
    assert main(["spectrum", *BASE, "-o", str(path)]) == 0
    lines = path.read_text().splitlines()
    comments = [ln for ln in lines if ln.startswith("#")]
    assert any("p/T_nu" in c for c in comments)
    rows = list(csv.DictReader(io.StringIO("\n".join(ln for ln in lines if not ln.startswith("#")))))
    assert list(rows[0]) == ["y", "f_s", "y2_f_s"]
    # no placeholder row at y = 0 (it carries no states)
    assert float(rows[0]["y"]) > 0.0 and all(float(r["f_s"]) > 0 for r in rows)


def test_unit_parsing():
    assert parse_energy("7.1keV", "m4") == pytest.approx(7.1e-6)
    assert parse_energy("10 MeV", "x") == pytest.approx(1e-2)
    assert parse_energy("2GeV", "x") == 2.0
    assert parse_energy("500eV", "x") == pytest.approx(5e-7)
    with pytest.raises(QKEInputError, match="m4"):
        parse_energy("7.1", "m4")


@pytest.mark.parametrize("args, name", [
    (["--m4", "-7keV"], "m4"),
    (["--m4", "0keV"], "m4"),
    (["--m4", "7.1"], "m4"),
    (["--m4", "7.1parsec"], "m4"),
    (["--m4", "seven"], "m4"),
    (["--sin2-2theta", "0"], "sin2_2theta"),
    (["--sin2-2theta", "1.5"], "sin2_2theta"),
    (["--sin2-2theta", "-1e-3"], "sin2_2theta"),
    (["--sin2-2theta", "abc"], "sin2-2theta"),
    (["--model", "nonexistent"], "model"),
    (["--flavor", "sigma"], "flavor"),
    (["--rate", "magic"], "rate"),
    (["--method", "euler"], "method"),
    (["--t-low", "10GeV", "--t-high", "1GeV"], "t_low"),
])
def test_bad_input_one_line_error(args, name):
    out = run("relic", *BASE, *args)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "Traceback" not in out.stderr
    assert name in lines[0]


def test_unknown_subcommand_is_one_line():
    out = run("frobnicate")
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1


def test_console_script_installed():
    import shutil
    from importlib.metadata import entry_points

    eps = [ep for ep in entry_points(group="console_scripts") if ep.name == "qke"]
    assert eps and eps[0].value == "qke.cli:main"
    if shutil.which("qke"):
        out = subprocess.run(["qke", "--version"], capture_output=True, text=True)
        assert out.returncode == 0 and "qke" in out.stdout


def test_relic_qke_json_has_solver_statistics(capsys):
    assert main(["relic", *BASE, "--method", "qke", "--bins", "40", "--rtol", "1e-4", "--atol", "1e-12",
                 "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["method"] == "qke" and data["settings"]["n_bins"] == 40
    assert data["diagnostics"]["n_bins"] == 40
    for key in ("steps", "jacobian_evaluations", "wall_time_s"):
        assert data["stats"][key] > 0


def test_compare_prints_both_and_ratio(capsys):
    assert main(["compare", *BASE, "--bins", "40", "--rtol", "1e-4"]) == 0
    out = capsys.readouterr().out
    assert "rate equation" in out and "QKE/rate" in out and "largest |f22/f_s - 1|" in out


def test_qke_bad_bins_is_one_line_error():
    out = run("relic", *BASE, "--method", "qke", "--bins", "7")
    assert out.returncode == 2 and "--bins" in out.stderr and len(out.stderr.strip().splitlines()) == 1
