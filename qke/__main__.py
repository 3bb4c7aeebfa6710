"""``python -m qke`` runs the ``qke`` command."""
import sys

from .cli import main

sys.exit(main())
