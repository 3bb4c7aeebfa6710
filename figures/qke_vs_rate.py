"""QKE versus the averaged rate equation (figure ``qke-vs-rate``; definition in qke/figures/qke_vs_rate.py).

    python figures/qke_vs_rate.py [--quick]   # same as: qke figures qke-vs-rate -o figures
"""
import sys

from qke.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "qke-vs-rate", "-o", "figures", *sys.argv[1:]]))
