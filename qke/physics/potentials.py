"""General-mass thermal potential of an active neutrino from a mediator loop.

The one-loop potential in a bath of neutrinos and a scalar (PRL de Gouvea et
al. 2020 eq. 7) or vector (PRD Kelly et al. 2020 eq. 3.3) mediator of mass m
is, by dimensional analysis,

    V(E, T) = lam^2 T G(E/T, m/T)            (scalar; the vector value is 2x)

with G(e, r) = int_0^oo g(u; e, r) du and g the generated integrand
:func:`qke.generated.thermal_potentials.potential_integrand_scalar` (sign,
safe form and limits derived in ``derivations/out/thermal_potentials.md``).

G is integrated once, on first use, on a log-spaced grid (vectorised
tanh-sinh quadrature, split at the integrable logarithmic singularities
u = r^2/(4e) and u = |r^2 - 4e^2|/(4e)), and interpolated by a bicubic
spline in (log e, log r), evaluated through :class:`qke.physics.plasma.BicubicTable`
(the same spline, without a knot search; per row of a (T, E) grid). No integration
happens inside solver calls.

Outside the grid the exact asymptotic scalings are used, joined continuously
to the edge of the table:

- r < r_min: G(e, r) = G(e, r_min) (the r -> 0 limit 1/(16e) is reached up
  to a relative O(r_min) ~ 1e-4, from the infrared Bose region u ~ r);
- r > r_max: G(e, r) = G(e, r_max) (r_max/r)^4 (heavy limit, G ∝ e/r^4);
- e < e_min: G(e, r) = G(e_min, r) e/e_min (G ∝ e as e -> 0 at any r > 0);
- e > e_max: G(e, r) = G(e_max, r) e_max/e (G ∝ 1/e as e -> oo at any r).
"""
from __future__ import annotations

import functools
import warnings

import numpy as np
from scipy.interpolate import RectBivariateSpline

from ..errors import QKEInputError
from ..generated.thermal_potentials import potential_integrand_scalar
from .plasma import BicubicTable

__all__ = ["mediator_potential", "potential_G", "potential_G_quad", "g_table"]

#: Default table: (log10 e_min, log10 e_max, log10 r_min, log10 r_max, points per decade).
DEFAULT_GRID = (-3.0, 3.0, -4.0, 4.0, 20)
#: Upper end of the momentum integral in units of T (n_F, n_B ~ e^{-100}).
U_MAX = 100.0
_FIXED_BREAKS = (0.5, 2.0, 8.0, 25.0)


def _scale(e, r):
    """Positive scale of |G|: 1/(16e) for r^2 << e, 7 pi^2 e/(90 r^4) for r^2 >> e.

    Written e/(16 e^2 + (90/(7 pi^2)) r^4) = 1/(16e + 90 r^4/(7 pi^2 e)).
    """
    return e / (16.0 * e * e + (90.0 / (7.0 * np.pi**2)) * r**4)


@functools.lru_cache(maxsize=4)
def _tanh_sinh(h=1.0 / 8.0, tmax=3.2):
    """Tanh-sinh nodes x in (-1, 1) and weights on [-1, 1]."""
    t = np.arange(-tmax, tmax + 0.5 * h, h)
    s = 0.5 * np.pi * np.sinh(t)
    x = np.tanh(s)
    w = h * 0.5 * np.pi * np.cosh(t) / np.cosh(s) ** 2
    return x, w


def _breakpoints(e, r):
    """Sorted breakpoints (…, 9) of the u integral for arrays e, r."""
    e = np.asarray(e, float)
    r = np.asarray(r, float)
    cand = [np.zeros_like(e), r, r * r / (4 * e), np.abs(r * r - 4 * e * e) / (4 * e)]
    cand += [np.full_like(e, b) for b in _FIXED_BREAKS]
    cand.append(np.full_like(e, U_MAX))
    bp = np.clip(np.stack(cand, axis=-1), 0.0, U_MAX)
    return np.sort(bp, axis=-1)


def _g_tanh_sinh(e, r, chunk=512):
    """Vectorised G(e, r) for 1-D arrays e, r (same length)."""
    e = np.asarray(e, float).ravel()
    r = np.asarray(r, float).ravel()
    x, w = _tanh_sinh()
    out = np.empty_like(e)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for i in range(0, e.size, chunk):
            ee, rr = e[i:i + chunk], r[i:i + chunk]
            bp = _breakpoints(ee, rr)
            a, b = bp[:, :-1, None], bp[:, 1:, None]
            half = 0.5 * (b - a)
            u = 0.5 * (a + b) + half * x
            g = potential_integrand_scalar(u, ee[:, None, None], rr[:, None, None])
            # nodes that round onto an endpoint (possibly a log singularity, where
            # g = +-inf in floating point) carry weights < 1e-15 and are dropped
            g = np.where((u > a) & (u < b) & np.isfinite(g), g, 0.0)
            out[i:i + chunk] = np.sum(half * w * g, axis=(1, 2))
    return out


def potential_G_quad(e, r, epsrel=1e-10):
    """G(e, r) for scalar e, r by adaptive quadrature (scipy.integrate.quad).

    Slow reference used by the tests; splits the integral at the singular
    points. Dimensionless in and out.
    """
    from scipy.integrate import quad

    e, r = np.float64(e), np.float64(r)
    pts = _breakpoints(np.array([e]), np.array([r]))[0]
    tot = 0.0
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        for a, b in zip(pts[:-1], pts[1:]):
            if b > a:
                # numpy scalars: a 0/0 at r = 2e gives nan in an unused branch, not an error
                tot += quad(lambda t: float(potential_integrand_scalar(np.float64(t), e, r)), a, b,
                            limit=400, epsabs=0.0, epsrel=epsrel)[0]
    return tot


@functools.lru_cache(maxsize=4)
def g_table(grid=DEFAULT_GRID):
    """Tabulate G on a log grid (built once per grid; cached).

    Parameters
    ----------
    grid : tuple
        (log10 e_min, log10 e_max, log10 r_min, log10 r_max, points per decade).

    Returns
    -------
    (log10 e nodes, log10 r nodes, spline of G/scale)
        The spline interpolates S = G (16 e + 90 r^4/(7 pi^2 e)), which tends
        to +1 (light limit) and -1 (heavy limit) and is smooth in (log e, log r).
    """
    le0, le1, lr0, lr1, ppd = grid
    le = np.linspace(le0, le1, int(round((le1 - le0) * ppd)) + 1)
    lr = np.linspace(lr0, lr1, int(round((lr1 - lr0) * ppd)) + 1)
    E, R = np.meshgrid(10.0**le, 10.0**lr, indexing="ij")
    G = _g_tanh_sinh(E.ravel(), R.ravel()).reshape(E.shape)
    S = G / _scale(E, R)
    spline = RectBivariateSpline(le, lr, S, kx=3, ky=3, s=0)
    return le, lr, spline


@functools.lru_cache(maxsize=4)
def _g_bicubic(grid=DEFAULT_GRID):
    """The spline of :func:`g_table` as a :class:`~qke.physics.plasma.BicubicTable` (fast, same values)."""
    le, lr, spline = g_table(grid)
    return BicubicTable(spline, le, lr)


def potential_G(e, r, grid=DEFAULT_GRID):
    """Interpolated dimensionless scalar potential G(e, r) = V/(lam^2 T).

    Parameters
    ----------
    e : float or ndarray
        E/T (dimensionless, > 0).
    r : float or ndarray
        m/T (dimensionless, > 0).
    grid : tuple, optional
        Table grid, see :func:`g_table`.

    Returns
    -------
    ndarray
        G (dimensionless), broadcast shape of e and r.
    """
    le, lr, _ = g_table(grid)
    table = _g_bicubic(grid)
    # no broadcasting before the table: r = m/T is often one value per row of a (T, E) grid
    e, r = np.asarray(e, float), np.asarray(r, float)
    e_lo, e_hi, r_lo, r_hi = 10.0**le[0], 10.0**le[-1], 10.0**lr[0], 10.0**lr[-1]
    if e.min() >= e_lo and e.max() <= e_hi and r.min() >= r_lo and r.max() <= r_hi:   # the common case
        return table(np.log10(e), np.log10(r)) * _scale(e, r)
    ec = np.minimum(np.maximum(e, e_lo), e_hi)
    rc = np.minimum(np.maximum(r, r_lo), r_hi)
    G = table(np.log10(ec), np.log10(rc)) * _scale(ec, rc)
    # exact asymptotic scalings outside the table
    if (e != ec).any():
        G = G * np.where(e < ec, e / ec, 1.0) * np.where(e > ec, ec / e, 1.0)
    if (r > rc).any():
        G = G * np.where(r > rc, (rc / r) ** 4, 1.0)
    return G


def mediator_potential(energy, temperature, m, lam, kind="scalar", convention="derived"):
    """Thermal potential of nu_a from a scalar or vector mediator of any mass.

    V = k lam^2 T G(E/T, m/T), k = 1 (complex scalar, PRL eq. 7) or 2
    (vector, PRD eq. 3.3). Limits: -7 pi^2 k lam^2 E T^4/(90 m^4) for
    m >> T, +k lam^2 T^2/(16 E) for m << T; the sign changes near T ~ m
    (at m/T ≈ 3.0 for E = T, 1.6 for E = 0.3 T, 5.0 for E = 3 T). G is tabulated once per process
    (:func:`g_table`, cached on the grid only: independent of m and lam), so a
    scan over (m, lam) never rebuilds it.

    Parameters
    ----------
    energy : float or ndarray
        Neutrino energy E [GeV], e.g. of shape (bins, temperatures).
    temperature : float or ndarray
        Bath temperature T [GeV] (broadcast against ``energy``).
    m : float or ndarray
        Mediator mass [GeV].
    lam : float or ndarray
        Coupling lambda (dimensionless).
    kind : {"scalar", "vector"}
        Mediator type.
    convention : {"derived", "seed", "printed"}
        ``derived`` (default): the sign fixed by the papers' own limits (PRL text
        after eq. 7, PRD eq. 3.4) and by Notzold-Raffelt, negative for m >> T.
        ``seed``: the potential the papers' figures used, which is the same: the
        printed overall sign of PRL eq. 7 / PRD eq. 3.3 contradicts the papers'
        own limits, and with it the Omega h^2 = 0.12 curve of PRL Fig. 2 has no
        S shape at all (qke finds a single rising branch), so the published
        curves were computed with the physical sign. SPEC §8.
        ``printed``: eq. 7 / eq. 3.3 literally, with the opposite overall sign
        (+7 pi^2 k lam^2 E T^4/(90 m^4) for m >> T); see
        derivations/out/thermal_potentials.md.

    Returns
    -------
    ndarray
        V_T [GeV], broadcast shape of the inputs.
    """
    if kind == "scalar":
        k = 1.0
    elif kind == "vector":
        k = 2.0
    else:
        raise QKEInputError(f"mediator_potential: kind must be 'scalar' or 'vector', got {kind!r}")
    if convention == "printed":
        k = -k
    elif convention not in ("derived", "seed"):
        raise QKEInputError(f"mediator_potential: convention must be 'derived', 'seed' or 'printed', "
                            f"got {convention!r}")
    energy = np.asarray(energy, float)
    temperature = np.asarray(temperature, float)
    return k * np.asarray(lam, float) ** 2 * temperature * potential_G(energy / temperature,
                                                                        np.asarray(m, float) / temperature)
