"""PRL Fig. 2 (figure ``prl-fig2``; definition in qke/figures/prl_fig2.py).

    python figures/prl_fig2.py [--quick]   # same as: qke figures prl-fig2 -o figures
"""
import sys

from qke.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "prl-fig2", "-o", "figures", *sys.argv[1:]]))
