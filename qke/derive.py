"""Run the SymPy derivation scripts in ``derivations/`` (``qke derive``).

The scripts live beside the package in a source checkout (they are not part
of an installed wheel); each writes one module into ``qke/generated/`` and one
report into ``derivations/out/``.
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

from .errors import QKEInputError

log = logging.getLogger(__name__)


def derivations_dir() -> Path:
    """Folder holding the derivation scripts (source checkout only)."""
    path = Path(__file__).resolve().parents[1] / "derivations"
    if not path.is_dir():
        raise QKEInputError(
            "derivations: no 'derivations/' folder beside the package; "
            "`qke derive` needs a source checkout (pip install -e .)")
    return path


def scripts(names=None) -> list[Path]:
    """Derivation scripts, sorted; ``names`` selects some by stem."""
    found = sorted(p for p in derivations_dir().glob("*.py") if not p.name.startswith("_"))
    if names:
        by_stem = {p.stem: p for p in found}
        unknown = [n for n in names if n not in by_stem]
        if unknown:
            raise QKEInputError(f"derivation: unknown name(s) {unknown}; "
                                f"available: {sorted(by_stem)}")
        found = [by_stem[n] for n in names]
    return found


def run(names=None, env_overrides=None) -> list[Path]:
    """Run the derivation scripts one by one in fresh interpreters.

    Parameters
    ----------
    names : list of str, optional
        Stems of the scripts to run (default: all).
    env_overrides : dict, optional
        Extra environment variables (the regeneration test sets
        ``QKE_GENERATED_DIR`` and ``QKE_REPORTS_DIR`` to a scratch folder).

    Returns
    -------
    list of Path
        The scripts that ran.
    """
    env = dict(os.environ)
    env.update(env_overrides or {})
    ran = []
    for script in scripts(names):
        log.info("deriving %s", script.name)
        proc = subprocess.run([sys.executable, str(script)], cwd=script.parent.parent,
                              env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"derivation {script.name} failed:\n{proc.stderr}")
        ran.append(script)
    return ran
