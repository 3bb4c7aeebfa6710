"""Plain Dodelson-Widrow line sin^2 2theta_DM(m4) (figure ``dw-line``; definition in qke/figures/dw_line.py).

    python figures/dw_line.py [--quick]   # same as: qke figures dw-line -o figures
"""
import sys

from qke.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "dw-line", "-o", "figures", *sys.argv[1:]]))
