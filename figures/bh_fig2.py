"""Berlin & Hooper Fig. 2 (figure ``bh-fig2``; definition in qke/figures/bh_fig2.py).

    python figures/bh_fig2.py [--quick]   # same as: qke figures bh-fig2 -o figures
"""
import sys

from qke.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "bh-fig2", "-o", "figures", *sys.argv[1:]]))
