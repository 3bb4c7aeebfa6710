"""PRD Fig. 7 (figure ``prd-fig7``; definition in qke/figures/prd_fig7.py).

    python figures/prd_fig7.py [--quick]   # same as: qke figures prd-fig7 -o figures
"""
import sys

from qke.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "prd-fig7", "-o", "figures", *sys.argv[1:]]))
