"""Produce the QKE regression reference (run from the repository root):

    python tests/regression/make_qke_reference.py

One plain Dodelson-Widrow QKE solve (SM, nu_mu, m4 = 7.1 keV,
sin^2 2theta = 2e-9, standard cosmology, default QKESettings with a fixed
temperature range 4 GeV -> 2 MeV) written to qke_reference.json next to this
script. tests/regression/test_qke_regression.py compares a fresh solve with it.
"""
import json
import pathlib

import numpy as np

from qke.cosmology import StandardCosmology
from qke.models import get_model
from qke.solvers.qke import QKESettings, solve_qke

MODEL = {"m4": 7.1e-6, "sin2_2theta": 2e-9, "flavor": "mu"}
SETTINGS = {"t_high": 4.0, "t_low": 2e-3}
#: Spectrum nodes y = p/T_nu stored in the reference.
Y_NODES = [0.5, 1.0, 2.0, 3.0, 5.0, 10.0]


def run():
    res = solve_qke(get_model("sm", **MODEL), StandardCosmology(), QKESettings(**SETTINGS))
    idx = [int(np.argmin(abs(res.y - y))) for y in Y_NODES]
    return {
        "model": dict(MODEL, name="sm"), "settings": SETTINGS, "cosmology": "standard",
        "omega_h2": res.omega_h2, "yield": res.yield_, "mean_p_over_T": res.mean_p_over_T,
        "f22": {f"{res.y[i]:g}": float(res.f_s[i]) for i in idx},
    }


if __name__ == "__main__":
    out = pathlib.Path(__file__).with_name("qke_reference.json")
    out.write_text(json.dumps(run(), indent=2) + "\n")
    print(f"wrote {out}")
