"""Repository conventions: the CI script runs the README's test command; data ship with the package."""
from importlib import resources
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    command = 'pip install -e ".[test]" && python -m pytest'
    assert command in readme
    assert command in ci
    assert "5" in ci  # pytest's 'no tests collected' is handled as a failure


def test_data_tables_are_package_resources():
    data = resources.files("qke.data")
    for name in ("gss_Tord.txt", "hatIQ_M001_alpha1_Fermi.dat", "hatIQ_M001_alpha2_Fermi.dat",
                 "hatIQ_M001_alpha3_Fermi.dat", "rate_total_mu.dat", "README.md"):
        assert data.joinpath(name).is_file(), name
