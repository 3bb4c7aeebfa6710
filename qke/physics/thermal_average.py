"""Numerical thermal average of a cross section over a Fermi-Dirac neutrino bath.

Gamma(E, T) = int_0^oo ds sigma(s, *args) K(s; E, T), with the kernel
K = g T s ln(1 + exp(-s/(4ET))) / (16 pi^2 E^2) of
``qke.generated.thermal_rates.thermal_kernel_fd`` (g = 2, the seeds' convention;
see derivations/out/thermal_rates.md).  Natural units, GeV.

The quadrature is fixed (Gauss-Legendre nodes in logarithmic variables) and fully
vectorised, so it can be evaluated on whole (bins, temperatures) arrays.  A narrow
s-channel resonance is handled by splitting at s = m^2 and mapping the
Breit-Wigner window with s = m^2 + m Gamma tan(phi), which makes the integrand
smooth for any width.  Solvers should not integrate inside an ODE right-hand
side: build a table once and interpolate.

For the complex-scalar (PRL) and vector (PRD) mediators use
:mod:`qke.physics.mediator_rates`: its table is one function of
w = m^2/(4ET), independent of the mediator mass and the coupling (narrow-width
pole in closed form plus a lam^4 off-shell remainder), so a scan over (m, lam)
never rebuilds it; this module's :func:`thermal_rate` is its finite-width
reference.  :func:`thermal_rate_table` is the generic table for any sum of
generated cross sections; it holds one coupling (and one width/m) and is
rebuilt (and cached) per coupling.
"""
from __future__ import annotations

import functools

import numpy as np
from scipy.interpolate import RegularGridInterpolator

from ..errors import QKEInputError
from ..generated import cross_sections as _cs
from ..generated.thermal_rates import thermal_kernel_fd

__all__ = ["thermal_rate", "thermal_rate_table", "RateTable"]

#: x = s/(4 E T) range of the non-resonant quadrature; the kernel is ~ x e^-x.
X_MIN, X_MAX = 1e-14, 80.0
#: half-width of the tan-mapped resonance window, in units of m Gamma.
WINDOW = 50.0


@functools.lru_cache(maxsize=16)
def _gl(n):
    x, w = np.polynomial.legendre.leggauss(n)
    return x, w


def _integrate_log(f, lo, hi, n):
    """int_{lo}^{hi} f(v) dv with v = offset-free; lo, hi arrays (...); returns (...)."""
    x, w = _gl(n)
    half = 0.5 * (hi - lo)[..., None]
    mid = 0.5 * (hi + lo)[..., None]
    v = mid + half * x
    return np.sum(f(v) * w * half, axis=-1)


def thermal_rate(sigma, energy, temperature, *args, n_nodes=96, resonance=None, delta=None,
                 helicity_factor=2.0):
    """Thermal rate Gamma(E, T) = int ds sigma(s, *args) K(s; E, T).

    Parameters
    ----------
    sigma : callable
        ``sigma(s, *args)`` in GeV^-2, s in GeV^2; must broadcast over a trailing
        quadrature axis.
    energy : array_like
        Neutrino energy E [GeV].
    temperature : array_like
        Bath temperature T [GeV] (broadcasts with ``energy``, e.g. (bins, temperatures)).
    *args : array_like
        Extra arguments of ``sigma`` (mediator mass [GeV], coupling, width [GeV], ...),
        broadcasting with ``energy``.
    n_nodes : int
        Gauss-Legendre nodes per segment (one segment without a resonance, four with).
    resonance : tuple (m, width), optional
        s-channel pole of ``sigma`` at s = m^2 with total width ``width`` [GeV]; the
        integral is split there and the Breit-Wigner window mapped with a tangent.
    delta : tuple (C, s0), optional
        Add an analytic term sigma = C delta(s - s0): C (dimensionless) K(s0).
    helicity_factor : float
        g in the kernel; 2 reproduces the seeds' convention (PRD eq. 3.6), 1 is the
        rate of a single neutrino state.

    Returns
    -------
    ndarray
        Gamma [GeV], shape of the broadcast inputs.
    """
    energy = np.asarray(energy, dtype=float)
    temperature = np.asarray(temperature, dtype=float)
    args = [np.asarray(a, dtype=float) for a in args]
    shape = np.broadcast_shapes(energy.shape, temperature.shape, *(a.shape for a in args))
    E = np.broadcast_to(energy, shape)
    T = np.broadcast_to(temperature, shape)
    A = [np.broadcast_to(a, shape)[..., None] for a in args]
    scale = 4.0 * E * T                                   # s = scale * x
    sc = scale[..., None]
    Ee, Te = E[..., None], T[..., None]
    gfac = helicity_factor / 2.0

    def integrand_x(xv):
        s = sc * xv
        return sigma(s, *A) * thermal_kernel_fd(s, Ee, Te) * sc

    if resonance is None:
        lo = np.full(shape, np.log(X_MIN))
        hi = np.full(shape, np.log(X_MAX))
        out = _integrate_log(lambda v: integrand_x(np.exp(v)) * np.exp(v), lo, hi, n_nodes)
    else:
        mres, wres = (np.broadcast_to(np.asarray(q, dtype=float), shape) for q in resonance)
        xr = mres**2 / scale                          # pole position in x
        b = np.maximum(mres * wres / scale, 1e-300)   # half width in x
        a = np.minimum(WINDOW * b, 0.5 * xr)          # window half-size
        xr_e, b_e = xr[..., None], b[..., None]
        # below the pole: x = exp(v) on [0, xr/2], then x = xr - exp(v) on [xr/2, xr - a]
        left = _integrate_log(lambda v: integrand_x(np.exp(v)) * np.exp(v),
                              np.log(np.minimum(X_MIN, 0.25 * xr)), np.log(0.5 * xr), n_nodes)
        left = left + _integrate_log(lambda v: integrand_x(xr_e - np.exp(v)) * np.exp(v),
                                     np.log(a), np.log(0.5 * xr), n_nodes)
        # window: x = xr + b tan(phi)
        phi = np.arctan(a / b)
        mid = _integrate_log(lambda p: integrand_x(xr_e + b_e * np.tan(p)) * b_e / np.cos(p)**2,
                             -phi, phi, n_nodes)
        # above: x = xr + exp(v), v from log(a) to log(a + X_MAX)
        right = _integrate_log(lambda v: integrand_x(xr_e + np.exp(v)) * np.exp(v),
                               np.log(a), np.log(a + X_MAX + xr * 0), n_nodes)
        out = left + mid + right
    out = gfac * out
    if delta is not None:
        C, s0 = (np.broadcast_to(np.asarray(q, dtype=float), shape) for q in delta)
        out = out + gfac * C * thermal_kernel_fd(s0, E, T)
    return out


# ---------------------------------------------------------------------------
# Cached tables
_WIDTHS = {"sigma_vector_nunubar": _cs.width_vector_to_nunu,
           "sigma_sterile_nunu": _cs.width_sterile_mediator,
           "sigma_sterile_total": _cs.width_sterile_mediator}


class RateTable:
    """Gamma(E, T, m) interpolated from a table of Gamma/T in (log E/T, log m/T).

    Call as ``table(energy, temperature, m)`` -> Gamma [GeV] (broadcasting).
    Valid for fixed coupling (and width/m) only; outside the grid it raises
    QKEInputError.
    """

    def __init__(self, x_grid, r_grid, values):
        self.x_grid = np.asarray(x_grid)
        self.r_grid = np.asarray(r_grid)
        self.values = np.asarray(values)           # Gamma/T, shape (nx, nr)
        self._interp = RegularGridInterpolator(
            (np.log(self.x_grid), np.log(self.r_grid)), np.log(np.maximum(self.values, 1e-300)),
            bounds_error=False, fill_value=None)

    def __call__(self, energy, temperature, m):
        E, T, m = np.broadcast_arrays(np.asarray(energy, float), np.asarray(temperature, float),
                                      np.asarray(m, float))
        x, r = E / T, m / T
        if (np.any(x < self.x_grid[0] * (1 - 1e-12)) or np.any(x > self.x_grid[-1] * (1 + 1e-12))
                or np.any(r < self.r_grid[0] * (1 - 1e-12)) or np.any(r > self.r_grid[-1] * (1 + 1e-12))):
            raise QKEInputError(
                f"thermal_rate_table: E/T in [{x.min():.3g}, {x.max():.3g}] or m/T in "
                f"[{r.min():.3g}, {r.max():.3g}] outside the table ranges "
                f"[{self.x_grid[0]:.3g}, {self.x_grid[-1]:.3g}] x [{self.r_grid[0]:.3g}, {self.r_grid[-1]:.3g}]")
        pts = np.stack([np.log(x), np.log(r)], axis=-1)
        return T * np.exp(self._interp(pts))


@functools.lru_cache(maxsize=32)
def thermal_rate_table(sigma_names, lam, width_over_m=None, x_range=(0.01, 50.0), nx=60,
                       r_range=(1e-3, 1e3), nr=121, n_nodes=96, helicity_factor=2.0):
    """Cached table of Gamma(E, T) for a sum of generated cross sections, at one coupling.

    For the scalar/vector mediator models prefer
    :func:`qke.physics.mediator_rates.get_rate_table`, which is independent of
    the coupling and the mass (this table is rebuilt for every ``lam``).

    Parameters
    ----------
    sigma_names : str or tuple of str
        Names of functions in ``qke.generated.cross_sections`` with signature
        ``(s, m, lam)`` or ``(s, m, lam, width)``, summed (e.g.
        ``("sigma_vector_nunu", "sigma_vector_nunubar")`` or ``"sigma_sterile_total"``).
    lam : float
        Coupling (dimensionless).
    width_over_m : float, optional
        Mediator width / mass for the functions with a width; default: the derived
        partial width into neutrinos of this model.
    x_range, nx : tuple, int
        E/T grid (log-spaced).
    r_range, nr : tuple, int
        m/T grid (log-spaced).
    n_nodes : int
        Quadrature nodes per segment.
    helicity_factor : float
        g of the kernel (2 = seeds).

    Returns
    -------
    RateTable
        Interpolating callable ``(energy [GeV], temperature [GeV], m [GeV]) -> Gamma [GeV]``.
        Tables are computed at T = 1 (Gamma/T depends only on E/T, m/T, lam, width/m)
        and cached per argument tuple (functools.lru_cache), so call with hashable
        arguments (tuples, floats).
    """
    names = (sigma_names,) if isinstance(sigma_names, str) else tuple(sigma_names)
    x = np.geomspace(*x_range, nx)
    r = np.geomspace(*r_range, nr)
    X, R = np.meshgrid(x, r, indexing="ij")
    total = np.zeros_like(X)
    for name in names:
        try:
            f = getattr(_cs, name)
        except AttributeError:
            raise QKEInputError(f"thermal_rate_table: unknown cross section {name!r}") from None
        if name in _WIDTHS or f.__code__.co_argcount == 4:
            wfun = _WIDTHS.get(name)
            wid = R * width_over_m if width_over_m is not None else wfun(R, lam)
            total += thermal_rate(lambda s, m, w: f(s, m, lam, w), X, 1.0, R, wid,
                                  n_nodes=n_nodes, resonance=(R, wid), helicity_factor=helicity_factor)
        else:
            total += thermal_rate(lambda s, m: f(s, m, lam), X, 1.0, R,
                                  n_nodes=n_nodes, helicity_factor=helicity_factor)
    return RateTable(x, r, total)
