"""PRD Fig. 8 (figure ``prd-fig8``; definition in qke/figures/prd_fig8.py).

    python figures/prd_fig8.py [--quick]   # same as: qke figures prd-fig8 -o figures
"""
import sys

from qke.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "prd-fig8", "-o", "figures", *sys.argv[1:]]))
