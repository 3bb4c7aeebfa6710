"""The Standard-Model model: plain Dodelson-Widrow production.

Collision rate options (``rate=``):

- ``'als'`` (default): momentum- and temperature-dependent rate of Asaka,
  Laine & Shaposhnikov (JHEP 01 (2007) 091, sec. 3), Gamma = I_Q(T, q/T)
  G_F^2 T^4 q, including hadronic channels. Tabulated for 1 MeV <= T <= 10 GeV
  and 0.25 <= q/T <= 12.5. Outside, I_Q is held at its value on the nearest
  temperature edge (below 1 MeV this is the leptonic value, within 15 % of
  1.27/0.92) and on the upper q/T edge (flat to < 0.1 % over the last
  columns); below q/T = 0.25 it is continued linearly with the slope of the
  interpolant at the edge, which keeps the rate smooth so that momentum
  quadratures converge at their nominal order (q/T < 0.25 holds < 0.3 % of a
  thermal spectrum's number density).
- ``'leptonic'``: the seeds' estimate Gamma = y_a G_F^2 E T^4 with y = 1.27
  (nu_e), 0.92 (nu_mu, nu_tau) (Abazajian, Fuller & Patel, PRD 64 (2001)
  023501; Kelly et al. 2020 eq. 2.7).
- ``'venumadhav'``: nu_mu rate with hadronic channels of Venumadhav et al.,
  PRD 94 (2016) 043515 (10 MeV to 10 GeV; the table has no columns between
  150 and 250 MeV and is interpolated linearly in ln T across that gap; held at
  the edge values outside). As used by Berlin & Hooper 2017.

Thermal potential options (``potential=``):

- ``'nr'`` (default): Notzold & Raffelt (Nucl. Phys. B307 (1988) 924; Berlin &
  Hooper eq. 8), V = -(8 sqrt2 G_F E/3)(rho_nu/M_Z^2 + rho_l/M_W^2), with the
  energy density of the massive charged lepton of the same flavour.
- ``'nr-relativistic'``: the same with relativistic e+- for nu_e and no
  charged lepton for nu_mu, nu_tau: V = -B E T^4 with the literature
  coefficients B_e = 10.88e-9, B_mu,tau = 3.0e-9 GeV^-4.
- ``'seed-draft'`` and ``'seed-paper'``: the two literal forms printed in
  the draft and the published version of Kelly et al. 2020 (see
  ``derivations/out/thermal_potentials.md`` for how they compare).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.interpolate import RectBivariateSpline

from .. import constants as const
from .. import data
from ..errors import QKEInputError
from ..generated import thermal_potentials as gen_pot
from ..physics.plasma import BicubicTable, fermion_energy_density
from .base import Model, register

#: Leptonic rate coefficients y_a in Gamma = y_a G_F^2 E T^4
#: (Abazajian, Fuller & Patel, PRD 64 (2001) 023501).
LEPTONIC_RATE_COEFFICIENT = {"e": 1.27, "mu": 0.92, "tau": 0.92}

RATES = ("als", "leptonic", "venumadhav")
POTENTIALS = ("nr", "nr-relativistic", "seed-draft", "seed-paper")


@lru_cache(maxsize=None)
def _als_spline(flavor: str):
    """(ln T_min, ln T_max, x_min, x_max, bicubic spline of I_Q in (ln T, q/T)) of one flavour."""
    t, x, iq = data.als_rate_table(flavor)
    return (np.log(t[0]), np.log(t[-1]), x[0], x[-1],
            RectBivariateSpline(np.log(t), x, iq, kx=3, ky=3))


@lru_cache(maxsize=None)
def _als_table(flavor: str):
    """The spline of :func:`_als_spline` as a :class:`~qke.physics.plasma.BicubicTable` (fast, same values)."""
    t, x, _ = data.als_rate_table(flavor)
    lo, hi, xlo, xhi, spline = _als_spline(flavor)
    return lo, hi, xlo, xhi, BicubicTable(spline, np.log(t), x)


@lru_cache(maxsize=None)
def _venumadhav_spline():
    t, x, rate = data.venumadhav_rate_table("total")
    # linear in ln T (kx=1) so that the 150-250 MeV gap is bridged linearly;
    # cubic in ln(p/T) along each column
    return (np.log(t[0]), np.log(t[-1]), np.log(x[0]), np.log(x[-1]),
            RectBivariateSpline(np.log(t), np.log(x), rate, kx=1, ky=3))


def als_rate_coefficient(flavor: str, temperature, x):
    """I_Q(T, q/T) of Asaka, Laine & Shaposhnikov, interpolated [dimensionless].

    Parameters
    ----------
    flavor : {'e', 'mu', 'tau'}
    temperature : array_like
        Temperature [GeV]; clamped to the table's 1 MeV - 10 GeV.
    x : array_like
        q/T; clamped to 0.25 - 12.5.
    """
    lo, hi, xlo, xhi, table = _als_table(flavor)
    # the table clamps to its grid; a column of temperatures against a (T, q) grid is contracted per row
    lnt = np.log(np.asarray(temperature, dtype=float))
    xx = np.asarray(x, dtype=float)
    out = np.asarray(table(lnt, xx))
    # below the first column, continue linearly with the spline's slope there
    # (keeps I_Q continuously differentiable, so momentum quadratures converge)
    below = xx < xlo
    if below.any():
        lnt_b, xx_b = (a[below] for a in np.broadcast_arrays(lnt, xx))
        out[below] += (xx_b - xlo) * table(lnt_b, np.full_like(lnt_b, xlo), db=1)
    return out


def venumadhav_rate_coefficient(temperature, x):
    """Gamma/(G_F^2 T^5) for nu_mu of Venumadhav et al. 2016, interpolated [dimensionless]."""
    lo, hi, xlo, xhi, spline = _venumadhav_spline()
    lnt, lnx = np.broadcast_arrays(np.log(temperature), np.log(x))
    return spline.ev(np.clip(lnt, lo, hi), np.clip(lnx, xlo, xhi))


@register("sm")
@dataclass(frozen=True)
class StandardModel(Model):
    """Standard-Model interactions of the active neutrino (plain Dodelson-Widrow).

    Parameters
    ----------
    m4, sin2_2theta, flavor
        See :class:`qke.models.base.Model`.
    rate : {'als', 'leptonic', 'venumadhav'}
        Collision-rate prescription (module docstring).
    potential : {'nr', 'nr-relativistic', 'seed-draft', 'seed-paper'}
        Thermal-potential prescription (module docstring).

    Examples
    --------
    >>> m = StandardModel(m4=7.1e-6, sin2_2theta=2e-9, flavor="mu")
    >>> bool(m.collision_rate(0.3, 0.1) > 0 and m.thermal_potential(0.3, 0.1) < 0)
    True
    """

    rate: str = "als"
    potential: str = "nr"

    def __post_init__(self):
        super().__post_init__()
        if self.rate not in RATES:
            raise QKEInputError(f"rate: unknown rate prescription {self.rate!r}; allowed: {', '.join(RATES)}")
        if self.potential not in POTENTIALS:
            raise QKEInputError(f"potential: unknown prescription {self.potential!r}; "
                                f"allowed: {', '.join(POTENTIALS)}")
        if self.rate == "venumadhav" and self.flavor != "mu":
            raise QKEInputError("rate: the Venumadhav et al. table is for flavor 'mu' only")

    def collision_rate(self, energy, temperature):
        """Gamma_a(E, T) [GeV]; see :meth:`qke.models.base.Model.collision_rate`."""
        e = np.asarray(energy, dtype=float)
        t = np.asarray(temperature, dtype=float)
        if self.rate == "venumadhav":
            # tabulated as Gamma/(G_F^2 T^5)
            return venumadhav_rate_coefficient(t, e / t) * const.G_F**2 * t**5
        if self.rate == "als":
            coeff = als_rate_coefficient(self.flavor, t, e / t)
        else:
            coeff = LEPTONIC_RATE_COEFFICIENT[self.flavor]
        return coeff * const.G_F**2 * t**4 * e

    def thermal_potential(self, energy, temperature):
        """V_T(E, T) [GeV]; see :meth:`qke.models.base.Model.thermal_potential`."""
        e = np.asarray(energy, dtype=float)
        t = np.asarray(temperature, dtype=float)
        if self.potential == "seed-draft":
            return gen_pot.v_seed_draft(e, t, const.G_F, const.M_Z, const.M_W)
        if self.potential == "seed-paper":
            return gen_pot.v_seed_paper(e, t, const.G_F, const.M_Z, const.M_W)
        rho_nu = fermion_energy_density(0.0, t, 2)
        if self.potential == "nr":
            rho_lep = fermion_energy_density(const.CHARGED_LEPTON_MASS[self.flavor], t, 4)
        elif self.flavor == "e":
            rho_lep = fermion_energy_density(0.0, t, 4)
        else:
            rho_lep = 0.0 * t
        return gen_pot.v_nr(e, rho_nu, rho_lep, const.G_F, const.M_Z, const.M_W)

