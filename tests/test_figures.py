"""qke figures: every figure draws at low resolution in the default suite (so no figure script can rot)."""
import csv
import subprocess
import sys
from pathlib import Path

import pytest

from qke.cli import main
from qke.figures import FIGURES

ROOT = Path(__file__).resolve().parents[1]


def test_list_names_every_figure(capsys):
    assert main(["figures", "--list"]) == 0
    out = capsys.readouterr().out
    for name in FIGURES:
        assert name in out


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    out = tmp_path_factory.mktemp("figs")
    assert main(["figures", "all", "--quick", "-o", str(out), "--quiet"]) == 0
    return out


@pytest.mark.parametrize("name", list(FIGURES))
def test_quick_figure_writes_image_and_numbers(quick, name):
    """PNG, PDF and CSV for the figure (one set per convention where it has two)."""
    stem = name.replace("-", "_")
    csvs = sorted(quick.glob(f"{stem}*-quick.csv"))
    assert csvs, f"no output for {name}"
    for path in csvs:
        for suffix in ("png", "pdf"):
            image = path.with_suffix(f".{suffix}")
            assert image.exists() and image.stat().st_size > 0, image
        lines = path.read_text().splitlines()
        assert lines[0].startswith("#") and "columns:" in lines[1]
        rows = list(csv.reader(ln for ln in lines if not ln.startswith("#")))
        assert len(rows) >= 2


def test_redraw_costs_only_plotting(quick, capsys):
    """The second call finds every point in the figure store: nothing is recomputed."""
    from qke.scans.store import ResultStore

    store = ResultStore(str(quick / "figures.sqlite"))
    before = {r.key: r.created for r in store.rows()}
    store.close()
    pdfs = {p.name: p.read_bytes() for p in quick.glob("*.pdf")}
    assert main(["figures", "all", "--quick", "-o", str(quick), "--quiet"]) == 0
    store = ResultStore(str(quick / "figures.sqlite"))
    after = {r.key: r.created for r in store.rows()}
    store.close()
    assert after == before
    # and the redrawn PDFs are byte-identical (no time stamp in them)
    assert pdfs and all(p.read_bytes() == pdfs[p.name] for p in quick.glob("*.pdf"))


def test_dw_line_follows_the_expected_scaling(quick):
    """sin^2 2theta_DM falls roughly as m4^-1.8 (Omega ~ sin^2 2theta m4^1.8 for DW)."""
    import numpy as np

    rows = [r for r in csv.DictReader(ln for ln in (quick / "dw_line-quick.csv").read_text().splitlines()
                                      if not ln.startswith("#"))]
    mu = [(float(r["m4_keV"]), float(r["sin2_2theta"])) for r in rows
          if r["convention"] == "standard" and r["flavor"] == "mu"]
    m, s = np.array(mu).T
    slope = np.polyfit(np.log(m), np.log(s), 1)[0]
    assert -2.0 < slope < -1.6


def test_unknown_figure_is_one_line_error(capsys):
    assert main(["figures", "prl-fig9", "--quick", "-o", "/tmp/x"]) == 2
    assert "prl-fig9" in capsys.readouterr().err


def test_figure_scripts_exist_for_every_figure():
    for name in FIGURES:
        assert (ROOT / "figures" / f"{name.replace('-', '_')}.py").exists()


@pytest.mark.slow
@pytest.mark.parametrize("name", list(FIGURES))
def test_full_resolution_figures(tmp_path, name):
    out = subprocess.run([sys.executable, "-m", "qke", "figures", name, "-o", str(tmp_path), "--quiet"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert list(tmp_path.glob(f"{name.replace('-', '_')}*.png"))
