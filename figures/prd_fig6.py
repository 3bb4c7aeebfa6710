"""PRD Fig. 6 (figure ``prd-fig6``; definition in qke/figures/prd_fig6.py).

    python figures/prd_fig6.py [--quick]   # same as: qke figures prd-fig6 -o figures
"""
import sys

from qke.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "prd-fig6", "-o", "figures", *sys.argv[1:]]))
