"""Berlin & Hooper Fig. 3 (figure ``bh-fig3``; definition in qke/figures/bh_fig3.py).

    python figures/bh_fig3.py [--quick]   # same as: qke figures bh-fig3 -o figures
"""
import sys

from qke.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "bh-fig3", "-o", "figures", *sys.argv[1:]]))
