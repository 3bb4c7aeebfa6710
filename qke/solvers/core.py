"""What the rate-equation and QKE solvers share: range, grids, clock, Fermi-Dirac, yield.

Both solvers use comoving momentum y = p/T_nu (T_nu proportional to 1/a, see
:mod:`qke.cosmology`) and the clock u = -ln T, so that

    d/du = (dt/du) d/dt,   dt/du = -dt/d ln T = (1 + (1/3) d ln g*s/d ln T) / H,

which carries the entropy release of a varying g*s; H includes the energy
density of any new light species the model declares
(:attr:`qke.models.base.Coefficients.rho_extra`).

Temperature range
-----------------
An automatic range runs from ``RANGE_HIGH`` x T_peak down to T_peak /
``RANGE_LOW``, with T_peak the model's estimate of peak production
(:meth:`qke.models.base.Model.production_temperature`). Production falls at
least as fast as T^-9 above the peak and T^3 below it (Dodelson-Widrow), so
the range is then checked: while more than ``EDGE_FRACTION`` x rtol of the
total production happens within one e-fold of an automatic end, that end is
moved by a factor ``WIDEN_FACTOR`` (at most ``MAX_WIDEN`` times). Both
solvers apply this one rule with the yield tolerance rtol (the QKE uses the
rate equation's default, ``DEFAULT_YIELD_RTOL``).
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

from .. import constants as const
from ..errors import QKEInputError, SolverError
from ..units import format_energy

log = logging.getLogger(__name__)

#: Below this temperature [GeV] active neutrinos decouple (~2 MeV) and the
#: collision-dominated formulae lose validity.
T_DECOUPLING = 2e-3
#: Automatic range: from RANGE_HIGH x T_peak down to T_peak / RANGE_LOW.
RANGE_HIGH, RANGE_LOW = 15.0, 40.0
#: Factor by which an automatic end is moved when production has not stopped there.
WIDEN_FACTOR = 3.0
#: Largest number of widenings per end.
MAX_WIDEN = 3
#: Production allowed within one e-fold of an automatic end, as a fraction of rtol.
EDGE_FRACTION = 0.3
#: Default relative tolerance of the yield.
DEFAULT_YIELD_RTOL = 3e-4
#: Accepted temperatures [GeV]: 1 keV to 100 TeV.
T_MIN, T_MAX = 1e-6, 1e5
#: Species of sterile states followed when nu and nubar see different potentials.
NU, NUBAR = False, True


def edge_tolerance(rtol: float = DEFAULT_YIELD_RTOL) -> float:
    """Largest production per e-fold at an automatic range end (fraction of the total)."""
    return EDGE_FRACTION * rtol


def validate_temperature_range(t_high, t_low):
    """Check a user-given temperature range [GeV] (``None`` = automatic).

    Raises
    ------
    QKEInputError
        Naming ``t_high`` or ``t_low`` if one is outside [1 keV, 100 TeV], or if t_low >= t_high.
    """
    for name, v in (("t_high", t_high), ("t_low", t_low)):
        if v is not None and not (math.isfinite(v) and T_MIN <= v <= T_MAX):
            raise QKEInputError(f"{name}: temperature must lie in [1 keV, 100 TeV], got "
                                f"{format_energy(v) if math.isfinite(v) else v}")
    if t_high is not None and t_low is not None and t_low >= t_high:
        raise QKEInputError(f"t_low: must be below t_high ({format_energy(t_low)} >= {format_energy(t_high)})")


def resolve_range(model, t_high: float | None, t_low: float | None) -> tuple[float, float]:
    """The temperature range [GeV]: given ends kept, missing ends from the production epoch.

    The solvers call :func:`warn_below_decoupling` with the final range (after widening).
    """
    validate_temperature_range(t_high, t_low)
    t_peak = model.production_temperature()
    hi = t_high if t_high is not None else RANGE_HIGH * t_peak
    lo = t_low if t_low is not None else t_peak / RANGE_LOW
    if lo >= hi:
        raise QKEInputError(f"t_low: must be below t_high ({format_energy(lo)} >= {format_energy(hi)})")
    return hi, lo


def warn_below_decoupling(t_low: float) -> None:
    """Warn if the integration reached below active-neutrino decoupling (2 MeV)."""
    if t_low < T_DECOUPLING:
        log.warning("integration reaches T = %s, below active-neutrino decoupling (~2 MeV): "
                    "collision-dominated rates are approximate there", format_energy(t_low))


def momentum_grid(n_intervals: int, y_max: float):
    """Uniform comoving-momentum grid y = 0..y_max (n_intervals + 1 nodes) and its Simpson weights."""
    y = np.linspace(0.0, y_max, n_intervals + 1)
    w = np.full(n_intervals + 1, 2.0)
    w[1::2] = 4.0
    w[0] = w[-1] = 1.0
    return y, w * (y[1] - y[0]) / 3.0


def graded_momentum_grid(n_intervals: int, y_max: float):
    """Comoving momenta y = y_max s^2, uniform in s (n_intervals), with quadrature weights.

    For cold spectra (resonant or axion-assisted production at low p/T) the nodes
    crowd at low momenta while still reaching y_max. Returns y (n + 1 nodes,
    y[0] = 0), the weights of int dy (Simpson in s times dy/ds = 2 y_max s) and
    the same on every second node (zero elsewhere) for the error estimate.
    """
    s, w = momentum_grid(n_intervals, 1.0)
    _, w_half = momentum_grid(n_intervals // 2, 1.0)
    coarse = np.zeros(n_intervals + 1)
    coarse[::2] = w_half
    jac = 2.0 * y_max * s
    return y_max * s**2, w * jac, coarse * jac


def fermi_dirac(x):
    """Fermi-Dirac occupation 1/(e^x + 1) [dimensionless], without overflow warnings."""
    with np.errstate(over="ignore"):
        return 1.0 / (np.exp(x) + 1.0)


def yield_prefactor(g_s_ref: float) -> float:
    """Y = prefactor x int y^2 f_s dy for nu_s + nubar_s with equal spectra f_s.

    n_s = 2 int d^3p/(2pi)^3 f_s with p = y T_nu, s = (2 pi^2/45) g*s T^3 and
    T_nu^3 = T^3 g*s/g*s_ref give 45/(2 pi^4 g*s_ref).
    """
    return 45.0 / (2.0 * math.pi**4 * g_s_ref)


def simpson(f, x, axis=-1):
    """Composite Simpson rule on a uniform grid with an even number of intervals."""
    f = np.moveaxis(np.asarray(f), axis, -1)
    n = f.shape[-1] - 1
    if n % 2 or n < 2:
        raise ValueError("simpson: needs an odd number (>= 3) of uniformly spaced points")
    h = (x[-1] - x[0]) / n
    return h / 3.0 * (f[..., 0] + f[..., -1] + 4.0 * f[..., 1:-1:2].sum(-1) + 2.0 * f[..., 2:-1:2].sum(-1))


def omega_h2_from_yield(yield_: float, m4: float) -> float:
    """Omega h^2 = Y s0 m4 / (rho_c/h^2), with m4 in GeV (de Gouvea et al. 2020, below eq. 4)."""
    return yield_ * const.S0_CM3 * m4 / const.RHO_CRIT_H2_GEV_CM3


def z_of(temperature) -> float:
    """z = 1 MeV / T [dimensionless]."""
    return float(const.Z_SCALE / temperature)


@dataclass(frozen=True)
class GridCoefficients:
    """A model's coefficients on a (T, y) grid, with the kinematics and the clock.

    Attributes
    ----------
    temperature : ndarray, shape (n_T, 1)
        Plasma temperature [GeV].
    t_nu : ndarray, shape (n_T, 1)
        Comoving temperature T_nu [GeV].
    momentum : ndarray, shape (n_T, n_y)
        p = y T_nu [GeV].
    clock : ndarray, shape (n_T, 1)
        dt/du = -dt/d ln T [GeV^-1], H including the model's extra energy density.
    f_eq : ndarray, shape (n_T, n_y)
        Equilibrium occupation of the active state, 1/(e^{p/T} + 1).
    coef : qke.models.base.Coefficients
        The model's rates, potentials, Delta and mixing.
    """

    temperature: np.ndarray
    t_nu: np.ndarray
    momentum: np.ndarray
    clock: np.ndarray
    f_eq: np.ndarray
    coef: object


def evaluate_grid(model, cosmology, temperature, y, solver: str) -> GridCoefficients:
    """Evaluate ``model`` at temperatures ``temperature`` (1-D, [GeV]) and comoving momenta ``y``.

    Raises
    ------
    SolverError
        If a coefficient is not finite, naming T, z and the momentum bin.
    """
    t = np.asarray(temperature, dtype=float).reshape(-1, 1)
    t_nu = t * cosmology.t_nu_over_t(t)
    p = np.asarray(y, dtype=float)[None, :] * t_nu
    coef = model.coefficients(t, p)
    clock = -cosmology.dt_dlnT(t, coef.rho_extra if np.ndim(coef.rho_extra) else float(coef.rho_extra))
    grid = GridCoefficients(temperature=t, t_nu=t_nu, momentum=p, clock=clock,
                            f_eq=fermi_dirac(p / t), coef=coef)
    check_finite(grid, y, solver)
    return grid


def check_finite(grid: GridCoefficients, y, solver: str) -> None:
    """Raise :class:`SolverError` at the first non-finite coefficient (naming T, z, bin)."""
    shape = grid.momentum.shape
    for name, arr in (("clock (dt/du)", grid.clock), *grid.coef.items()):
        if np.isfinite(arr).all():  # the common case: no broadcasting needed
            continue
        bad = ~np.isfinite(np.broadcast_to(arr, shape))
        it, ib = np.argwhere(bad)[0]
        t = float(grid.temperature[it, 0])
        raise SolverError(f"{solver}: non-finite {name} at T = {format_energy(t)} (z = {z_of(t):.4g}), "
                          f"bin {ib} (p/T_nu = {float(np.asarray(y)[ib]):.3g}); cause: the model's "
                          "rate, potential, mixing or extra energy density is not finite there")


def edge_fractions(u, rate_per_u) -> tuple[float, float]:
    """Production per unit u at the two ends of the range over the total (per e-fold, trapezoid).

    Parameters
    ----------
    u : ndarray
        Clock values -ln T (increasing).
    rate_per_u : ndarray
        Production dY/du on ``u``.
    """
    u = np.asarray(u)
    r = np.asarray(rate_per_u)
    total = float(np.sum(0.5 * (r[1:] + r[:-1]) * np.diff(u)))
    if not total > 0:
        return 0.0, 0.0
    return float(r[0] / total), float(r[-1] / total)
