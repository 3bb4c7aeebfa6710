"""QKE vs rate on the PRL S-curve (figure ``prl-qke-vs-rate``; definition in qke/figures/prl_qke_vs_rate.py).

    python figures/prl_qke_vs_rate.py [--quick]   # same as: qke figures prl-qke-vs-rate -o figures
"""
import sys

from qke.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "prl-qke-vs-rate", "-o", "figures", *sys.argv[1:]]))
