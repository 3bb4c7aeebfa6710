"""Point cards: TOML round trip, units, CLI --config / --save-config, JSON embedding."""
import json

import pytest

from qke import __version__
from qke.cards import Card
from qke.cli import main
from qke.errors import QKEInputError

TOML = """
method = "qke"

[model]
name = "sm"
m4 = "7.1keV"
sin2_2theta = 2e-9
flavor = "e"
rate = "leptonic"

[cosmology]
name = "constant"
gstar = 10.75

[settings]
n_bins = 40
rtol = 1e-4
t_high = "3GeV"
"""


def test_card_reads_units_and_sections():
    card = Card.from_toml_text(TOML)
    assert card.method == "qke" and card.model == "sm" and card.cosmology == "constant"
    assert card.parameters["m4"] == 7.1e-6 and card.parameters["flavor"] == "e"
    assert card.settings == {"n_bins": 40, "rtol": 1e-4, "t_high": 3.0}
    model, cosmology, settings = card.build()
    assert model.rate == "leptonic" and cosmology.g == 10.75 and settings.n_bins == 40


def test_round_trip_is_exact():
    card = Card.from_toml_text(TOML)
    assert Card.from_toml_text(card.to_toml()) == card
    assert Card.from_mapping(json.loads(json.dumps(card.to_mapping()))) == card


@pytest.mark.parametrize("text, name", [
    ('[model]\nm4 = 7.1\n', "m4"),                        # energy without unit
    ('[model]\nm4 = "7.1kev"\n', "m4"),                   # unit case
    ('[model]\nbogus = 1\n', "bogus"),
    ('[settings]\natol_diag = 1e-10\n', "atol_diag"),     # not a setting of the rate solver
    ('method = "euler"\n', "method"),
    ('[cosmology]\nname = "flat"\n', "cosmology"),
    ('[physics]\nx = 1\n', "physics"),
    ('[model\n', "config"),                                # broken TOML
])
def test_bad_cards_name_the_entry(text, name):
    with pytest.raises(QKEInputError, match=name):
        Card.from_toml_text(text).build()


def test_save_config_then_run_config_reproduces(tmp_path, capsys):
    path = tmp_path / "point.toml"
    assert main(["relic", "--m4", "10keV", "--sin2-2theta", "1e-9", "--flavor", "tau", "--rtol", "1e-4",
                 "--json", "--save-config", str(path)]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["qke_version"] == __version__
    assert first["card"]["model"]["m4"] == "10keV" and first["card"]["settings"] == {"rtol": 0.0001}
    assert main(["relic", "--config", str(path), "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["omega_h2"] == first["omega_h2"] and again["card"] == first["card"]
    # the embedded card alone reproduces the result
    assert Card.from_mapping(first["card"]).run().omega_h2 == first["omega_h2"]


def test_options_override_the_config(tmp_path, capsys):
    path = tmp_path / "point.toml"
    path.write_text(TOML)
    assert main(["relic", "--config", str(path), "--m4", "20keV", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["card"]["model"]["m4"] == "20keV" and data["card"]["model"]["rate"] == "leptonic"
    assert data["method"] == "qke" and data["settings"]["n_bins"] == 40


def test_missing_config_is_one_line_error(capsys):
    assert main(["relic", "--config", "/nonexistent/point.toml"]) == 2
    assert "config" in capsys.readouterr().err


def test_with_value_sets_parameters_and_settings():
    card = Card()
    assert card.with_value("m4", 1e-5).parameters["m4"] == 1e-5
    assert card.with_value("rtol", 1e-5).settings["rtol"] == 1e-5
    with pytest.raises(QKEInputError, match="n_bins"):
        card.with_value("n_bins", 40)  # a QKE setting, not the rate solver's
