"""Modules written by the SymPy scripts in ``derivations/``. Do not edit by hand.

Each module's header names the script that wrote it; ``qke derive`` (or
``python derivations/NAME.py``) regenerates it, and
``tests/test_generated.py`` checks that the committed files are exactly what
the scripts write.
"""
