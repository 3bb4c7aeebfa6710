"""Sterile self-interaction runaway (figure ``js-runaway``; definition in qke/figures/js_runaway.py).

    python figures/js_runaway.py [--quick]   # same as: qke figures js-runaway -o figures
"""
import sys

from qke.cli import main

if __name__ == "__main__":
    sys.exit(main(["figures", "js-runaway", "-o", "figures", *sys.argv[1:]]))
