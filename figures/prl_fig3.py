"""PRL Fig. 3 (figure ``prl-fig3``; definition in qke/figures/prl_fig3.py).

    python figures/prl_fig3.py [--quick]   # same as: qke figures prl-fig3 -o figures
"""
import sys

from qke.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "prl-fig3", "-o", "figures", *sys.argv[1:]]))
