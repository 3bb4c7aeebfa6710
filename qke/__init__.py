"""qke: sterile-neutrino dark matter from active-sterile oscillations in the early Universe.

Layout
------
- :mod:`qke.constants` -- physical constants with units and sources.
- :mod:`qke.cosmology` -- g*(T), g*s(T), Hubble rate, entropy, time-temperature relation.
- :mod:`qke.models` -- physics models (rates, potentials, mixing) and their registry.
- :mod:`qke.physics` -- building blocks shared by models (plasma thermodynamics, thermal averages).
- :mod:`qke.solvers` -- rate-equation and density-matrix (QKE) solvers.
- :mod:`qke.generated` -- formulas written by the SymPy scripts in ``derivations/``.
- :mod:`qke.cli` -- the ``qke`` command.
"""
__version__ = "0.1.0"
