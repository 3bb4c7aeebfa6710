"""Physical constants, in natural units with energies in GeV.

Every value names its unit and source. Particle masses come from the PDG
tables shipped with the `particle` package (scikit-hep), CODATA values from
:mod:`scipy.constants`; only quantities neither provides (cosmological
parameters) are written here as literals, with their PDG reference.

Examples
--------
>>> from qke import constants as c
>>> round(c.G_F * 1e5, 4)
1.1664
>>> 0.10 < c.M_MU < 0.11
True
"""
from __future__ import annotations

import math

import scipy.constants as _codata
from particle import Particle as _Particle

#: Conversion: GeV per MeV.
MEV = 1e-3
#: Conversion: GeV per keV.
KEV = 1e-6
#: Conversion: GeV per eV.
EV = 1e-9


def _pdg_mass(pdgid: int) -> float:
    """PDG mass of a particle in GeV (`particle` package, PDG tables)."""
    return _Particle.from_pdgid(pdgid).mass * MEV


def _pdg_width(pdgid: int) -> float:
    """PDG total width of a particle in GeV (`particle` package, PDG tables)."""
    return _Particle.from_pdgid(pdgid).width * MEV


# --- CODATA (scipy.constants) -----------------------------------------------
#: Fermi constant G_F/(hbar c)^3 [GeV^-2]; CODATA 2018 via scipy.constants.
G_F: float = _codata.physical_constants["Fermi coupling constant"][0]
#: Fine-structure constant alpha [dimensionless]; CODATA via scipy.constants.
ALPHA_EM: float = _codata.fine_structure
#: hbar c [GeV cm]; CODATA via scipy.constants.
HBAR_C_GEV_CM: float = (_codata.physical_constants["reduced Planck constant times c in MeV fm"][0]
                        * MEV * 1e-13)
#: hbar [GeV s]; CODATA via scipy.constants.
HBAR_GEV_S: float = _codata.hbar / _codata.e * 1e-9
#: Planck mass M_Pl = sqrt(hbar c / G) [GeV] (not reduced); CODATA G via
#: scipy.constants (PDG quotes 1.220890e19 GeV).
M_PL: float = math.sqrt(_codata.hbar * _codata.c / _codata.G) * _codata.c**2 / _codata.e * 1e-9

# --- PDG masses and widths (particle package) -------------------------------
#: W boson mass [GeV]; PDG via `particle`.
M_W: float = _pdg_mass(24)
#: Z boson mass [GeV]; PDG via `particle`.
M_Z: float = _pdg_mass(23)
#: Higgs boson mass [GeV]; PDG via `particle`.
M_H: float = _pdg_mass(25)
#: Higgs total width in the SM [GeV]; PDG via `particle` (the SM prediction is ~4.1 MeV).
GAMMA_H: float = _pdg_width(25)
#: W total width [GeV]; PDG via `particle`.
GAMMA_W: float = _pdg_width(24)
#: Electron mass [GeV]; PDG via `particle`.
M_E: float = _pdg_mass(11)
#: Muon mass [GeV]; PDG via `particle`.
M_MU: float = _pdg_mass(13)
#: Tau mass [GeV]; PDG via `particle`.
M_TAU: float = _pdg_mass(15)
#: Charged pion mass [GeV]; PDG via `particle`.
M_PI: float = _pdg_mass(211)

#: Charged-lepton mass by active flavour [GeV].
CHARGED_LEPTON_MASS = {"e": M_E, "mu": M_MU, "tau": M_TAU}

# --- Cosmology (PDG "Astrophysical constants and parameters", 2022) ---------
#: Entropy density today s0/k_B [cm^-3] for T0 = 2.7255 K; PDG astrophysical constants.
S0_CM3: float = 2891.2
#: Critical density today divided by h^2, rho_c/h^2 [GeV cm^-3]; PDG astrophysical constants.
RHO_CRIT_H2_GEV_CM3: float = 1.05375e-5
#: Planck 2018 (TT,TE,EE+lowE+lensing+BAO) cold-dark-matter density Omega_c h^2;
#: Planck Collaboration, A&A 641, A6 (2020), Table 2.
OMEGA_DM_H2: float = 0.120
#: Entropy degrees of freedom of the plasma after muon annihilation and before
#: neutrino decoupling: photons, e+-, three nu+nubar species, 2 + 7/8 (4 + 6)
#: [dimensionless]. Normalises the comoving momentum y = p/T_nu.
G_S_NU_DECOUPLING: float = 2.0 + 7.0 / 8.0 * (4.0 + 6.0)

#: Reference scale mu of the seeds' variable z = mu/T [GeV] (de Gouvea et al. 2020).
Z_SCALE: float = 1.0 * MEV

#: Riemann zeta(3) [dimensionless]: photon number density n_gamma = (2 zeta(3)/pi^2) T^3.
ZETA3: float = 1.2020569031595942
