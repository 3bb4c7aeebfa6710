"""Berlin & Hooper Fig. 1 (figure ``bh-fig1``; definition in qke/figures/bh_fig1.py).

    python figures/bh_fig1.py [--quick]   # same as: qke figures bh-fig1 -o figures
"""
import sys

from qke.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "bh-fig1", "-o", "figures", *sys.argv[1:]]))
