"""Resonant production with a lepton asymmetry (figure ``lepton-asymmetry``; definition in
qke/figures/lepton_asymmetry.py).

    python figures/lepton_asymmetry.py [--quick]   # same as: qke figures lepton-asymmetry -o figures
"""
import sys

from qke.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "lepton-asymmetry", "-o", "figures", *sys.argv[1:]]))
