"""The scan commands on the physics: qke scan, dm-line, contour, export (small grids)."""
import csv
import json

import numpy as np
import pytest

from qke.cards import Card
from qke.cli import main

BASE = ["--model", "sm", "--flavor", "mu", "--quiet"]


def rows(path):
    lines = path.read_text().splitlines()
    return lines, list(csv.DictReader(ln for ln in lines if not ln.startswith("#")))


def test_scan_csv_sidecar_and_values(tmp_path):
    out = tmp_path / "dw.csv"
    assert main(["scan", *BASE, "--grid", "m4=1keV:100keV:log:4", "--sin2-2theta", "1e-10", "-o", str(out),
                 "--workers", "1"]) == 0
    lines, data = rows(out)
    assert "m4 [GeV]" in lines[1] and "omega_h2 [dimensionless]" in lines[1] and "peak_temperature [GeV]" in lines[1]
    assert [float(r["m4"]) for r in data] == pytest.approx(np.geomspace(1e-6, 1e-4, 4).tolist())
    side = json.loads(out.with_suffix(".json").read_text())
    assert side["qke_version"] and side["card"]["model"]["name"] == "sm" and side["wall_time_s"] > 0
    assert side["grid"][0]["name"] == "m4" and side["grid"][0]["unit"] == "GeV"
    # each row equals a direct solve of its card
    card = Card(parameters={"m4": float(data[1]["m4"]), "sin2_2theta": 1e-10, "flavor": "mu"})
    assert float(data[1]["omega_h2"]) == card.run().omega_h2


def test_failed_points_recorded_not_numbers(tmp_path):
    out = tmp_path / "f.csv"
    assert main(["scan", *BASE, "--grid", "sin2_2theta=1e-10,2,1e-9", "-o", str(out), "--workers", "1"]) == 0
    _, data = rows(out)
    assert data[1]["omega_h2"] == "" and "sin2_2theta" in data[1]["error"]
    assert float(data[0]["omega_h2"]) > 0 and float(data[2]["omega_h2"]) > 0 and not data[2]["error"]


def test_resume_recomputes_nothing(tmp_path):
    out = tmp_path / "r.csv"
    args = ["scan", *BASE, "--grid", "m4=2keV:20keV:log:3", "--sin2-2theta", "1e-10", "-o", str(out), "--workers", "1"]
    assert main(args) == 0
    first = out.read_text()
    assert main(args) == 0
    assert json.loads(out.with_suffix(".json").read_text())["computed"] == 0
    assert out.read_text() == first


def test_two_dimensional_grid(tmp_path):
    out = tmp_path / "p.csv"
    assert main(["scan", *BASE, "--grid", "m4=3keV:30keV:log:2", "--grid", "sin2_2theta=1e-12,1e-11", "-o",
                 str(out), "--workers", "1"]) == 0
    _, data = rows(out)
    assert len(data) == 4
    om = {(r["m4"], r["sin2_2theta"]): float(r["omega_h2"]) for r in data}
    for m in {r["m4"] for r in data}:  # Omega proportional to sin^2 2theta at small mixing
        assert om[(m, "1e-11")] / om[(m, "1e-12")] == pytest.approx(10.0, rel=1e-3)


def test_processes_and_dask_give_the_serial_result(tmp_path):
    pytest.importorskip("distributed")
    texts = []
    for i, extra in enumerate((["--workers", "1"], ["--workers", "2"], ["--dask", "local", "--workers", "2"])):
        out = tmp_path / f"m{i}.csv"
        assert main(["scan", *BASE, "--grid", "m4=2keV:50keV:log:4", "--sin2-2theta", "3e-10", "-o", str(out),
                     *extra]) == 0
        texts.append([ln for ln in out.read_text().splitlines()[2:]])
    assert texts[0] == texts[1] == texts[2]


def test_dm_line_linear_case_checked_and_exact(tmp_path):
    out = tmp_path / "line.csv"
    assert main(["dm-line", *BASE, "--over", "m4=2keV:50keV:log:3", "--solve", "sin2_2theta=1e-13:1e-5", "-o",
                 str(out), "--workers", "1"]) == 0
    _, data = rows(out)
    assert len(data) == 3 and all(r["method"] == "linear" and r["branch"] == "0" for r in data)
    for r in data:
        card = Card(parameters={"m4": float(r["m4"]), "sin2_2theta": float(r["sin2_2theta"]), "flavor": "mu"})
        assert card.run().omega_h2 == pytest.approx(0.120, rel=1e-4)


def test_dm_line_bracketing_when_not_linear(tmp_path):
    """Solving for m4 at fixed mixing is not proportional: the bracketing path, roots to rtol."""
    out = tmp_path / "m.csv"
    assert main(["dm-line", *BASE, "--over", "sin2_2theta=1e-10,1e-9", "--solve", "m4=1keV:200keV", "--bracket",
                 "8", "--root-rtol", "1e-5", "-o", str(out), "--workers", "1"]) == 0
    _, data = rows(out)
    assert all(r["method"] == "bracket" for r in data)
    for r in data:
        card = Card(parameters={"m4": float(r["m4"]), "sin2_2theta": float(r["sin2_2theta"]), "flavor": "mu"})
        assert card.run().omega_h2 == pytest.approx(0.120, rel=3e-4)


def _contour(tmp_path, n):
    out = tmp_path / f"c{n}.csv"
    assert main(["contour", *BASE, "--x", f"m4=2keV:60keV:log:{n}", "--y", f"sin2_2theta=1e-11:1e-8:log:{n}",
                 "--root-rtol", "1e-6", "-o", str(out), "--workers", "2"]) == 0
    _, data = rows(out)
    return np.array([[float(r["m4"]), float(r["sin2_2theta"])] for r in data])


def test_contour_on_the_curve_and_independent_of_the_coarse_grid(tmp_path):
    coarse, fine = _contour(tmp_path, 5), _contour(tmp_path, 9)
    # every refined vertex is on Omega h^2 = 0.12
    for m4, s2 in coarse[::2]:
        om = Card(parameters={"m4": m4, "sin2_2theta": s2, "flavor": "mu"}).run().omega_h2
        assert om == pytest.approx(0.120, rel=5e-4)
    # halving the spacing: the coarse vertices lie on the fine grid's curve (log interpolation)
    order = np.argsort(fine[:, 0])
    lx, ly = np.log10(fine[order, 0]), np.log10(fine[order, 1])
    inside = (coarse[:, 0] >= fine[:, 0].min()) & (coarse[:, 0] <= fine[:, 0].max())
    y_on_fine = np.interp(np.log10(coarse[inside, 0]), lx, ly)
    assert np.max(np.abs(y_on_fine - np.log10(coarse[inside, 1]))) < 2e-3  # decades; the curve is smooth


def test_export_from_store(tmp_path):
    out = tmp_path / "e.csv"
    assert main(["scan", *BASE, "--grid", "m4=2keV:20keV:log:2", "-o", str(out), "--workers", "1"]) == 0
    exported = tmp_path / "x.csv"
    assert main(["export", str(out.with_suffix(".sqlite")), "-o", str(exported)]) == 0
    text = exported.read_text()
    assert text.startswith("#") and "omega_h2" in text and text.count("\n") >= 4


@pytest.mark.parametrize("args, name", [
    (["scan", "--grid", "m4=1:100:log:3", "-o", "x.csv"], "m4"),             # no units
    (["scan", "--grid", "m4=1keV:100keV:cubic:3", "-o", "x.csv"], "m4"),
    (["scan", "--grid", "bogus=1:2:lin:3", "-o", "x.csv"], "bogus"),
    (["dm-line", "--over", "m4=1keV:10keV:log:2", "--solve", "sin2_2theta=1e-5:1e-13", "-o", "x.csv"],
     "sin2_2theta"),
    (["scan", "--grid", "m4=1keV:10keV:log:2", "-o", "/nonexistent/x.csv"], "output"),
])
def test_bad_scan_input_is_one_line_error(capsys, tmp_path, monkeypatch, args, name):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and name in err[0], err
