"""PRD Fig. 5 (figure ``prd-fig5``; definition in qke/figures/prd_fig5.py).

    python figures/prd_fig5.py [--quick]   # same as: qke figures prd-fig5 -o figures
"""
import sys

from qke.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "prd-fig5", "-o", "figures", *sys.argv[1:]]))
