"""PRL Fig. 4 (figure ``prl-fig4``; definition in qke/figures/prl_fig4.py).

    python figures/prl_fig4.py [--quick]   # same as: qke figures prl-fig4 -o figures
"""
import sys

from qke.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "prl-fig4", "-o", "figures", *sys.argv[1:]]))
