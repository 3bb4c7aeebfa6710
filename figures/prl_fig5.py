"""PRL Fig. 5 (figure ``prl-fig5``; definition in qke/figures/prl_fig5.py).

    python figures/prl_fig5.py [--quick]   # same as: qke figures prl-fig5 -o figures
"""
import sys

from qke.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "prl-fig5", "-o", "figures", *sys.argv[1:]]))
