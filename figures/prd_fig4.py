"""PRD Fig. 4 (figure ``prd-fig4``; definition in qke/figures/prd_fig4.py).

    python figures/prd_fig4.py [--quick]   # same as: qke figures prd-fig4 -o figures
"""
import sys

from qke.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "prd-fig4", "-o", "figures", *sys.argv[1:]]))
