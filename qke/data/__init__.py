"""Reference tables shipped with qke, loaded with :mod:`importlib.resources`.

See ``README.md`` in this folder for each table's source and columns. Loaders
are cached: each file is read once per process.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np

from ..errors import QKEInputError

#: Active flavour -> index alpha of the Asaka-Laine-Shaposhnikov files.
_ALS_INDEX = {"e": 1, "mu": 2, "tau": 3}


def _path(name: str):
    return resources.files(__package__).joinpath(name)


@lru_cache(maxsize=None)
def gstar_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Saikawa-Shirai g*(T), g*s(T) (JCAP 08 (2020) 011, arXiv:2005.03544).

    Returns
    -------
    T, g_s, g : ndarray
        Photon temperature [GeV] (rows with T > 0 only), entropy and energy
        degrees of freedom [dimensionless].
    """
    with _path("gss_Tord.txt").open() as fh:
        data = np.loadtxt(fh)
    data = data[data[:, 0] > 0]
    return data[:, 0], data[:, 1], data[:, 2]


@lru_cache(maxsize=None)
def laine_schroder_gstar_table() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Laine-Schroder g*(T), g*s(T) (PRD 73 (2006) 085009, m_H = 150 GeV).

    Returns
    -------
    T, g_s, g : ndarray
        Temperature [GeV], entropy and energy degrees of freedom.
    """
    with _path("SMgstar.dat").open() as fh:
        data = np.loadtxt(fh, comments="#")
    return data[:, 0] * 1e-3, data[:, 2], data[:, 1]


@lru_cache(maxsize=None)
def als_rate_table(flavor: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Asaka-Laine-Shaposhnikov damping-rate coefficient (hep-ph/0612182, sec. 3).

    Gamma = I_Q(T, q/T) G_F^2 T^4 q.

    Parameters
    ----------
    flavor : {'e', 'mu', 'tau'}

    Returns
    -------
    T : ndarray, shape (100,)
        Temperature [GeV], increasing (1 MeV to 10 GeV).
    x : ndarray, shape (50,)
        q/T, increasing (0.25 to 12.5).
    I_Q : ndarray, shape (100, 50)
        Dimensionless rate coefficient.
    """
    if flavor not in _ALS_INDEX:
        raise QKEInputError(f"flavor: unknown flavour {flavor!r}; allowed: e, mu, tau")
    with _path(f"hatIQ_M001_alpha{_ALS_INDEX[flavor]}_Fermi.dat").open() as fh:
        data = np.loadtxt(fh, comments="#")
    t_mev, x, iq = data[:, 0], data[:, 1], data[:, 2]
    ts = np.unique(t_mev)
    xs = np.unique(x)
    grid = np.empty((ts.size, xs.size))
    it = np.searchsorted(ts, t_mev)
    ix = np.searchsorted(xs, x)
    grid[it, ix] = iq
    return ts * 1e-3, xs, grid


@lru_cache(maxsize=None)
def venumadhav_rate_table(kind: str = "total") -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Venumadhav et al. nu_mu scattering rate (PRD 94 (2016) 043515), Gamma/(G_F^2 T^5).

    Parameters
    ----------
    kind : {'total', 'leptons', 'hadrons'}

    Returns
    -------
    T : ndarray, shape (45,)
        Temperature [GeV], increasing (10 MeV to 10 GeV).
    x : ndarray
        p/T, increasing (1e-4 to 20).
    rate : ndarray, shape (45, len(x))
        Gamma/(G_F^2 T^5) [dimensionless].
    """
    if kind not in ("total", "leptons", "hadrons"):
        raise QKEInputError(f"kind: unknown Venumadhav table {kind!r}; allowed: total, leptons, hadrons")
    with _path(f"rate_{kind}_mu.dat").open() as fh:
        header = ""
        while "->" not in header:
            header = fh.readline()
        data = np.loadtxt(fh)
    temps = np.array([float(v) for v in header.split("->")[1].split()]) * 1e-3
    return temps, data[:, 0], data[:, 1:].T.copy()


@lru_cache(maxsize=None)
def qcd_susceptibility_table() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """QCD number susceptibilities of Venumadhav et al. (PRD 94 (2016) 043515).

    Lattice QCD joined to the hadron resonance gas and perturbation theory,
    as tabulated in their code sterile-dm (``chi_qcd_venumadhav2016.txt``).

    Returns
    -------
    T : ndarray, shape (1999,)
        Temperature [GeV], increasing (10 MeV to 10 GeV in 5 MeV steps).
    chi2B, chi2Q, chi11QB : ndarray
        chi_2^B/T^2, chi_2^Q/T^2, chi_11^{QB}/T^2 [dimensionless].
    """
    with _path("chi_qcd_venumadhav2016.txt").open() as fh:
        data = np.loadtxt(fh, comments="#")
    return data[:, 0] * 1e-3, data[:, 1], data[:, 2], data[:, 3]
