r"""Interaction rate of an active neutrino from a scalar or vector mediator: tables
that do not depend on the mediator mass or the coupling.

Models
------
* ``kind="scalar"``: complex scalar, L ⊃ (lam/2) nu nu phi + h.c. (PRL, de Gouvea,
  Sen, Tangarife & Zhang, PRL 124 (2020) 081802, arXiv:1910.04901);
* ``kind="vector"``: neutrinophilic vector, L ⊃ lam nubar gamma^mu P_L nu V_mu
  (PRD, Kelly, Sen, Tangarife & Zhang, PRD 101 (2020) 115031, arXiv:2005.03681).

sigma_tot = sigma(nu nu -> nu nu) + sigma(nu nubar -> nu nubar) are the generated
cross sections (``derivations/out/cross_sections.md``); the thermal average is
Gamma = int ds sigma(s) K(s; E, T) with the kernel of
``derivations/out/thermal_rates.md`` (massless Fermi-Dirac partners, g = 2).

Why one table per model suffices
--------------------------------
With massless partners the kernel depends on s only through x = s/(4 E T):
K ds = (g T^3/pi^2) W(x) dx, W(x) = x ln(1 + e^-x) (Moller velocity). Every
cross section of these models is sigma = (lam^4/m^2) F(s/m^2) away from the
s-channel pole, so the rate depends on (E, T, m) only through
**w = m^2/(4 E T)**::

    Gamma(E, T; m, lam, Gamma_m) = lam^4 T^3/m^2 [Phi(w) + (Gamma_m/m) Psi(w)]  +  C K(m^2; E, T)
                                   \_______________ off-shell _______________/     \__ on-shell __/

* The on-shell (decay / inverse decay) term is the narrow-width limit of the
  s-channel |P_s|^2 = 1/((s - m^2)^2 + m^2 Gamma_m^2) -> pi/(m Gamma_m)
  delta(s - m^2): sigma ≈ C delta(s - m^2) with C = lam^4 m/(32 Gamma_m)
  (scalar) or lam^4 m/(12 Gamma_m) (vector), i.e. C = pi lam^2 or 2 pi lam^2
  when Gamma_m is the partial width into the neutrinos (generated
  ``narrow_width_coefficient_*``). It is closed form, proportional to lam^2.
* Phi(w) is the thermal average of the *non-resonant remainder* at lam = 1,
  m = 1: the Gamma_m -> 0 cross section with its double pole at s = m^2 taken
  as a Hadamard finite part (and the simple pole of the vector interference
  term as a principal value). It is computed once, on a grid of w, and
  interpolated; its contribution is exactly proportional to lam^4.

  Finite part: for a width eps = m Gamma_m,
  int g(s) ds/((s - m^2)^2 + eps^2) = (pi/eps) g(m^2) + FP int g(s) ds/(s - m^2)^2
  - (pi eps/2) g''(m^2) + O(eps^2).
  Numerically the finite part is taken on a symmetric window around the pole,
  int_0^a [h(w + t) + h(w - t) - 2A/t^2] dt - 2A/a, with A the double-pole
  residue (from the generated narrow-width coefficient), so no width and no
  cancellation between large numbers is involved.
* Psi(w) is the O(eps) term above (and its analogue -pi eps g'(m^2) for the
  interference term): closed form in W, W', W'' at x = w
  (:func:`width_correction_psi`), no table. With Gamma_m ∝ lam^2 it is an
  O(lam^6) correction; it leaves an O((Gamma_m/m)^2) error. It is applied in
  the ``derived`` convention only.

The table stores S(w) = Phi(w)/Phi_ref(w), where Phi_ref interpolates between
the exact asymptotic forms (derived from the generated heavy/light cross
sections); S -> 1 at both ends and outside the grid S is held at its edge
value, i.e. the exact scalings are used there:

* heavy (w -> oo; m^2 >> E T): Phi = a_h/w, Gamma ∝ E T^4/m^4 (``gamma_*_heavy``;
  reached to 1% for w >~ 200, corrections O(1/w));
* light (w -> 0): vector Phi = a_l (Gamma = 3 zeta(3) lam^4 T^3/(4 pi^3 m^2),
  ``gamma_vector_light``); scalar Phi = a_l w (Gamma = lam^4 T^2/(256 pi E)
  derived, from sigma -> 3 lam^4/(32 pi s); E dependent, m independent).

Note that Phi of the scalar is negative for 0.83 < w < 4.5 (0.70 < w < 4.3 seed): the finite part of the
squared Breit-Wigner is not positive. The total rate is positive whenever the
narrow-width treatment applies.

Accuracy (tests/test_mediator_rates.py, against the finite-width numerical
average :func:`finite_width_rate`, i.e.
``qke.physics.thermal_average.thermal_rate(..., resonance=(m, Gamma_m))``, for
w = 1e-5 ... 1e2): relative difference < 1e-7 for Gamma_m/m <~ 1e-4
(lam <~ 0.05), < 1e-6 at Gamma_m/m ~ 1e-3 (lam ~ 0.3), < 2e-4 at
Gamma_m/m ~ 1e-2 (lam ~ 1), ~1e-2 at Gamma_m/m ~ 0.1 (lam ~ 3; without the Psi
term these are 1e-4, 3e-3 and 6e-2). The error is O((Gamma_m/m)^2); for
Gamma_m/m >~ 0.1 the narrow-width expansion fails (the mediator is no longer a
narrow resonance) and :func:`finite_width_rate` must be used. A total width
larger than the partial width (other decay channels) is supported through
``width``. The interpolation error of Phi is < 6e-6 relative where
|Phi| > 0.05 Phi_ref, and < 1.2e-6 Phi_ref everywhere (also at the zeros of
the scalar Phi).

Conventions (SPEC §8)
---------------------
``derived`` (default): Moller velocity, Fermi-Dirac partners, the seeds'
helicity factor g = 2 (PRD eq. 3.6, "both helicity states"; PRL: Gamma_phi plus
its charge conjugate) -- the convention of ``qke.physics.thermal_average``.
Halve for the rate of a single helicity state.

``seed``: (narrow width, no Psi term) the seeds' kernel with v_rel = sqrt(2(1 - cos theta)) (PRD eq. 3.6;
``derivations/out/thermal_rates.md`` shows that this reproduces every printed
rate), K ds = (g T^3/pi^2) x^{1/2} F_{1/2}(x) dx with the incomplete Fermi
integral F_{1/2}(x) = int_x^oo y^{1/2}/(e^y + 1) dy, applied to the same
off-shell remainder; it reproduces exactly PRL eq. 5 (x 2, Gamma_phi plus its
charge conjugate) and PRD eq. 3.8 for m >> T and PRD eq. 3.10 for m << T. The
on-shell term is PRL eq. 6 as printed (x 2; Maxwell-Boltzmann partners, its
"Erfc(w)" read erfc(sqrt w)), scaled by C/(pi lam^2) -- i.e. 2x for the vector
(PRD eq. 3.11 gives only the cross section; the same authors' eq.-6 form is
used for it).

How the PRL joins its heavy and light forms: the PRL prints eq. 5 "in the very
heavy phi limit (m_phi >> T)" and eq. 6 for "a light phi (T >> m_phi)", and
defines z1 = mu/m_phi as "the time when phi becomes heavy relative to the
temperature"; neither the Letter nor its text in the seeds states how the two
are joined in the numerical solution (the Supplemental Material is not
available here). :func:`seed_rate_printed` implements the literal reading:
the printed off-shell forms switched at T = m (eq. 5 for m > T; for the vector
eq. 3.8 for m > T and eq. 3.10 for m < T) plus the printed on-shell form at all
T (eq. 6 carries e^-w and erfc(sqrt w) and switches itself off for m >> T;
it must not be dropped at m ~ T, where it dominates for small lam). This jumps
at T = m (by a relative O(lam^2) for the scalar, by ~10x in the vector's
lam^4 part). The table with ``convention="seed"`` is the smooth version used
by default for the seed convention: it is the seeds' own kernel evaluated for
every m/T, equal to the printed forms in their limits.

Performance: a table is built once per (kind, convention) per process
(:func:`get_rate_table`, cached on these two strings only) in ~0.05 s
(derived) / ~0.3-0.8 s (seed, which needs the incomplete Fermi integral); a
call costs ~20 numpy ufunc passes (one cubic-piece lookup without search, the
closed-form Psi and on-shell terms), ~30 ns per element, with no quadrature.
"""
from __future__ import annotations

import functools
import math
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.interpolate import CubicSpline
from scipy.special import expit, zeta

from ..errors import QKEInputError
from ..generated import cross_sections as _cs
from ..generated import thermal_rates as _tr
from .plasma import UniformCubic
from .reduced_rate import ReducedRate
from .thermal_average import thermal_rate

__all__ = [
    "KINDS", "CONVENTIONS", "MediatorRateTable", "get_rate_table", "mediator_rate",
    "mediator_width", "narrow_width_coefficient", "finite_width_rate", "seed_rate_printed",
    "phi_direct", "width_correction_psi",
]

KINDS = ("scalar", "vector")
CONVENTIONS = ("derived", "seed")

#: Table grid in log10 w: (start, stop, points per decade) pieces; dense where
#: Phi changes shape (w ~ 0.01 ... 1000).
GRID = ((-12.0, -2.0, 16), (-2.0, 3.0, 64), (3.0, 6.0, 16))
_FINEST = max(ppd for _, _, ppd in GRID)
#: Upper end of the x = s/(4ET) integral (W(x) ~ x e^-x: e^-150 is negligible).
X_MAX = 150.0
#: Half-width of the symmetric finite-part window around the pole, in x: min(w/2, A_WIN).
A_WIN = 2.0

_ZETA3 = float(zeta(3))
_FERMI3 = 7.0 * np.pi**4 / 120.0          # int_0^oo y^3/(e^y + 1) dy


def _check(kind, convention="derived"):
    if kind not in KINDS:
        raise QKEInputError(f"mediator kind must be one of {KINDS}, got {kind!r}")
    if convention not in CONVENTIONS:
        raise QKEInputError(f"rate convention must be one of {CONVENTIONS}, got {convention!r}")


# ---------------------------------------------------------------------------
# widths and the narrow-width coefficient
def mediator_width(m, lam, kind="scalar"):
    """Partial width of the mediator into the neutrinos it couples to.

    Generated ``width_scalar_to_nunu`` = lam^2 m/(32 pi) (phi -> nu nu, one
    flavour) or ``width_vector_to_nunu`` = lam^2 m/(24 pi) (V -> nu nubar, one
    flavour, PRD eq. 4.6 per neutrino).

    Parameters
    ----------
    m : array_like
        Mediator mass [GeV].
    lam : array_like
        Coupling (dimensionless).
    kind : {"scalar", "vector"}

    Returns
    -------
    ndarray
        Width [GeV].
    """
    _check(kind)
    f = _cs.width_scalar_to_nunu if kind == "scalar" else _cs.width_vector_to_nunu
    return f(np.asarray(m, float), np.asarray(lam, float))


def narrow_width_coefficient(m, lam, width=None, kind="scalar"):
    """C in sigma ≈ C delta(s - m^2) (narrow width), dimensionless.

    C = lam^4 m/(32 width) (scalar; = pi lam^2 for the partial width) or
    lam^4 m/(12 width) (vector, PRD eq. 3.11; = 2 pi lam^2). A total width larger
    than the partial width into neutrinos (other decay channels) reduces C by the
    branching ratio.

    Parameters
    ----------
    m : array_like
        Mediator mass [GeV].
    lam : array_like
        Coupling (dimensionless).
    width : array_like, optional
        Total mediator width [GeV]; default :func:`mediator_width`.
    kind : {"scalar", "vector"}

    Returns
    -------
    ndarray
        C (dimensionless).
    """
    _check(kind)
    m = np.asarray(m, float)
    lam = np.asarray(lam, float)
    if width is None:
        if kind == "scalar":
            return _cs.narrow_width_coefficient_sterile(m, lam) * np.ones_like(m)
        return 2.0 * np.pi * lam**2 * np.ones_like(m)
    width = np.asarray(width, float)
    if kind == "scalar":
        # pi lam^2 x (partial width / width)
        return _cs.narrow_width_coefficient_sterile(m, lam) * _cs.width_scalar_to_nunu(m, lam) / width
    return _cs.narrow_width_coefficient_vector(m, lam, width)


# ---------------------------------------------------------------------------
# dimensionless ingredients (m = 1, lam = 1)
def _sigma_hat(kind, y):
    """m^2 sigma_tot at lam = 1, zero width, as a function of y = s/m^2."""
    if kind == "scalar":
        return _cs.sigma_scalar_nunu(y, 1.0, 1.0) + _cs.sigma_scalar_nunubar(y, 1.0, 1.0)
    return _cs.sigma_vector_nunu(y, 1.0, 1.0) + _cs.sigma_vector_nunubar(y, 1.0, 1.0, 0.0)


def _double_pole_residue(kind):
    """A with m^2 sigma_hat ≈ A/(y - 1)^2 at y -> 1: C Gamma_m/(pi m) (lam = m = 1)."""
    g = float(mediator_width(1.0, 1.0, kind))
    return float(narrow_width_coefficient(1.0, 1.0, g, kind)) * g / np.pi


@functools.lru_cache(maxsize=None)
def _gl(n):
    return np.polynomial.legendre.leggauss(n)


_F_HALF_NODES = 48
_F_HALF_VMAX = 7.0


def _fermi_half_tail(x):
    """F_{1/2}(x) = int_x^oo y^{1/2}/(e^y + 1) dy (v^2 = y - x, Gauss-Legendre; rel. err. < 1e-9)."""
    t, wt = _gl(_F_HALF_NODES)
    v = 0.5 * _F_HALF_VMAX * (t + 1.0)
    wv = 0.5 * _F_HALF_VMAX * wt
    xx = np.asarray(x, float)[..., None]
    u = xx + v * v
    return np.sum(2.0 * v * np.sqrt(u) * expit(-u) * wv, axis=-1)


def _weight(convention, x):
    """W(x) with K ds = (g T^3/pi^2) W(x) dx, g = 2 (x = s/4ET)."""
    if convention == "derived":
        return x * np.log1p(np.exp(-x))
    return np.sqrt(x) * _fermi_half_tail(x)


def _asymptotics(kind, convention):
    """(a_h, a_l, p): Phi -> a_h/w (w -> oo), Phi -> a_l w^p (w -> 0)."""
    g_over_pi2 = 2.0 / np.pi**2
    # heavy: m^2 sigma_hat -> c_h y (generated heavy limits at m = lam = 1)
    if kind == "scalar":
        c_h = float(_cs.sigma_scalar_nunu_heavy(1.0, 1.0, 1.0) + _cs.sigma_scalar_nunubar_heavy(1.0, 1.0, 1.0))
        c_l = float(_cs.sigma_scalar_nunu_light(1.0, 1.0, 1.0) + _cs.sigma_scalar_nunubar_light(1.0, 1.0, 1.0))
        p = 1                      # m^2 sigma_hat -> c_l / y = c_l w/x
    else:
        c_h = float(_cs.sigma_vector_nunu_heavy(1.0, 1.0, 1.0) + _cs.sigma_vector_nunubar_heavy(1.0, 1.0, 1.0))
        c_l = 2.0 * float(_cs.sigma_vector_light(1.0, 1.0, 1.0))
        p = 0                      # m^2 sigma_hat -> c_l
    if convention == "derived":    # moments of x ln(1 + e^-x)
        m2, m1, m0 = _FERMI3 / 3.0, 0.75 * _ZETA3, np.pi**2 / 12.0
    else:                          # moments of x^{1/2} F_{1/2}(x)
        m2, m1, m0 = 0.4 * _FERMI3, _ZETA3, np.pi**2 / 6.0
    a_h = g_over_pi2 * c_h * m2
    a_l = g_over_pi2 * c_l * (m1 if p == 0 else m0)
    return a_h, a_l, p


def _phi_ref(w, a_h, a_l, p):
    return a_l * w**p / (1.0 + (a_l / a_h) * w ** (p + 1))


def _integrate_log(f, lo, hi, pieces=8, n=24):
    """int_lo^hi f(x) dx, x = e^v, `pieces` equal pieces in v of n Gauss nodes; lo, hi (N,)."""
    t, wt = _gl(n)
    llo, lhi = np.log(lo), np.log(hi)
    edges = llo[:, None] + (lhi - llo)[:, None] * np.linspace(0.0, 1.0, pieces + 1)[None, :]
    a, b = edges[:, :-1, None], edges[:, 1:, None]
    x = np.exp(0.5 * (a + b) + 0.5 * (b - a) * t)
    return np.sum(f(x) * x * (0.5 * (b - a)) * wt, axis=(1, 2))


def phi_direct(w, kind="scalar", convention="derived", pieces=8, n=24, n_window=32):
    """Off-shell remainder Phi(w) by direct quadrature (what the table interpolates).

    Phi(w) = (g/pi^2) FP int_0^oo m^2 sigma_tot(4ETx; m, 1, 0) W(x) dx, w = m^2/(4ET),
    so that Gamma_off = lam^4 T^3/m^2 Phi(w). The double pole at x = w is taken
    as a Hadamard finite part (symmetric window of half-width min(w/2, 2)).

    Parameters
    ----------
    w : array_like
        m^2/(4 E T), > 0 (dimensionless).
    kind : {"scalar", "vector"}
    convention : {"derived", "seed"}
    pieces, n, n_window : int
        Quadrature resolution (log pieces and Gauss nodes below and above the
        window; Gauss nodes in the window).

    Returns
    -------
    ndarray
        Phi (dimensionless), shape of ``w``.
    """
    _check(kind, convention)
    w_in = np.asarray(w, float)
    w = np.atleast_1d(w_in).ravel()

    def sigma_hat(y):
        return _sigma_hat(kind, y)

    def weight(x):
        return _weight(convention, x)

    out = _fp_average(w, sigma_hat, _double_pole_residue(kind), weight, pieces=pieces, n=n, n_window=n_window)
    return out.reshape(w_in.shape)


def _fp_average(w, sigma_hat, residue, weight, x_min=None, pieces=8, n=24, n_window=32):
    """(2/pi^2) FP int_{x_min}^oo sigma_hat(x/w) W(x) dx for 1-D arrays w (and x_min).

    sigma_hat(y) (y = s/m^2, broadcasting over a trailing quadrature axis) may have a double
    pole at y = 1 with m^2 sigma_hat ≈ residue y/(y - 1)^2 there (``residue`` scalar or per
    element); it is taken as a Hadamard finite part on a symmetric window of half-width
    min(w/2, A_WIN) (also at most half the distance to a threshold x_min below the pole).
    Without x_min the lower end is 1e-7 min(w, 1) (as :func:`phi_direct`); with x_min the
    integrals below the pole run in log(x - x_min), so a square-root threshold is smooth. If
    the pole lies below the threshold (w <= x_min) there is no window.
    """
    residue = np.broadcast_to(np.asarray(residue, float), w.shape)
    with np.errstate(all="ignore"):
        if x_min is None:
            base = np.zeros_like(w)
            a = np.minimum(0.5 * w, A_WIN)
            z_lo = 1e-7 * np.minimum(w, 1.0)
        else:
            base = np.asarray(x_min, float)
            gap = w - base
            a = np.where(gap > 0, np.minimum(0.5 * gap, A_WIN), 0.0)
            z_lo = 1e-9 * np.minimum(np.abs(gap) + (gap == 0), 1.0)
        pole = (w - base) > 0
        bc, wc3 = base[:, None, None], w[:, None, None]

        def h_z(z):                      # integrand at x = base + z
            x = bc + z
            return sigma_hat(x / wc3) * weight(x)

        # below the pole (or everything above the threshold when the pole lies below it)
        if x_min is None:
            z_top = np.minimum(w - a, X_MAX)
        else:
            z_top = np.where(pole, np.maximum(w - a - base, 2 * z_lo), X_MAX)
        below = _integrate_log(h_z, z_lo, z_top, pieces, n)
        # finite-part window: x = w +- t, 0 < t < a
        t, wt = _gl(n_window)
        a_s = np.where(pole, a, 1.0)
        tt = (0.5 * a_s)[:, None] * (t + 1.0)
        wc = w[:, None]
        res = residue[:, None] * wc**2 * weight(wc)          # h ≈ res/(x - w)^2
        hs = (sigma_hat((wc + tt) / wc) * weight(wc + tt) + sigma_hat((wc - tt) / wc) * weight(wc - tt))
        window = np.sum((hs - 2.0 * res / tt**2) * wt, axis=1) * 0.5 * a_s - 2.0 * res[:, 0] / a_s
        window = np.where(pole & (w - a < X_MAX), window, 0.0)
        lo_up = w + a
        above = _integrate_log(lambda x: sigma_hat(x / wc3) * weight(x), lo_up, np.maximum(X_MAX, lo_up),
                               pieces, n)
        above = np.where(pole, above, 0.0)
    return (2.0 / np.pi**2) * (below + window + above)


def _interference_at_pole():
    """(B(1), B'(1)) of the vector's sigma(nu nubar) ⊃ B(y) (y - 1)/((y - 1)^2 + gamma^2) (m = lam = 1).

    Extracted from the generated cross section: with D = sigma(gamma = 1) - sigma(gamma -> oo)
    = (a y + B(y)(y - 1))/((y - 1)^2 + 1), B(y) = [D ((y - 1)^2 + 1) - a y]/(y - 1),
    evaluated at y = 1 +- 1e-3 (central values and difference). Closed form:
    B(1) = -(8 ln 2 - 5)/(4 pi).
    """
    a = _double_pole_residue("vector")
    d = 1e-3
    y = np.array([1.0 + d, 1.0 - d])
    D = _cs.sigma_vector_nunubar(y, 1.0, 1.0, 1.0) - _cs.sigma_vector_nunubar(y, 1.0, 1.0, 1e8)
    B = (D * ((y - 1.0) ** 2 + 1.0) - a * y) / (y - 1.0)
    return float(0.5 * (B[0] + B[1])), float((B[0] - B[1]) / (2.0 * d))


def _fermi_parts(w):
    """(ln(1 + e^-w), 1/(e^w + 1)) from one exponential (w > 0)."""
    with np.errstate(under="ignore"):
        ew = np.exp(-w)
    return np.log1p(ew), ew / (1.0 + ew)


def _psi_bracket(w, a, b1, db1, parts=None):
    """[a w (2 W' + w W'') + 2 B'(1) W + 2 B(1) w W'] at x = w, W = x ln(1 + e^-x) (derived kernel).

    With l = ln(1 + e^-w) and e = 1/(e^w + 1): W = w l, W' = l - w e, W'' = e (w (1 - e) - 2).
    ``parts``: (l, e) of :func:`_fermi_parts` when already known.
    """
    lg, e = _fermi_parts(w) if parts is None else parts
    w1 = lg - w * e
    w2 = e * (w * (1.0 - e) - 2.0)
    out = 2.0 * (a + b1) * w1 + a * w * w2
    if db1:
        out = out + 2.0 * db1 * lg
    return w * out


def width_correction_psi(w, kind="scalar"):
    """First-order finite-width correction Psi(w) of the off-shell remainder (derived convention).

    For a Breit-Wigner of width eps = m Gamma_m around the pole,
    int g/((s - m^2)^2 + eps^2) = (pi/eps) g(m^2) + FP int g/(s - m^2)^2 - (pi eps/2) g''(m^2) + O(eps^2)
    and int g (s - m^2)/((s - m^2)^2 + eps^2) = PV int g/(s - m^2) - pi eps g'(m^2) + O(eps^2).
    With m^2 sigma ⊃ a y |P|^2 + B(y) Re P (y = s/m^2) this gives
    Gamma_exact - Gamma_narrow = lam^4 T^3/m^2 (Gamma_m/m) Psi(w) + O((Gamma_m/m)^2),

        Psi(w) = -(w/pi) [a w (2 W' + w W'') + 2 B'(1) W + 2 B(1) w W'](x = w),

    W = x ln(1 + e^-x). Dimensionless.
    """
    _check(kind)
    b = _interference_at_pole() if kind == "vector" else (0.0, 0.0)
    w = np.asarray(w, float)
    return -(w / np.pi) * _psi_bracket(w, _double_pole_residue(kind), *b)


# ---------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class MediatorRateTable:
    """Interaction rate Gamma(E, T; m, lam, width) of an active neutrino, for any
    mediator mass and coupling, from a one-dimensional table in w = m^2/(4ET).

    Build with :func:`get_rate_table` (cached per (kind, convention)). Call as
    ``table(energy, temperature, m, lam, width=None)`` -> Gamma [GeV].

    Attributes
    ----------
    kind : str
        "scalar" (PRL) or "vector" (PRD).
    convention : str
        "derived" (Moller velocity, default) or "seed" (printed forms), see the
        module docstring.
    log10_w : ndarray
        Table nodes in log10 w.
    s_nodes : ndarray
        S = Phi/Phi_ref at the nodes.
    a_heavy, a_light : float
        Asymptotic coefficients: Phi -> a_heavy/w (w -> oo), Phi -> a_light w^light_power (w -> 0).
    light_power : int
        1 (scalar) or 0 (vector).
    residue : float
        a in m^2 sigma ≈ a y/(y - 1)^2 near the pole (y = s/m^2, lam = 1).
    interference : tuple
        (B(1), B'(1)) of the vector's interference term B(y) Re P (zero for the scalar).
    build_seconds : float
        Wall time spent building the table.
    """

    kind: str
    convention: str
    log10_w: np.ndarray = field(repr=False)
    s_nodes: np.ndarray = field(repr=False)
    a_heavy: float
    a_light: float
    light_power: int
    residue: float
    interference: tuple
    build_seconds: float
    _s_of_log10_w: UniformCubic = field(repr=False)   # S on the uniform cells of width 1/_FINEST in log10 w

    @classmethod
    def build(cls, kind="scalar", convention="derived"):
        """Tabulate Phi on :data:`GRID` (use :func:`get_rate_table` for the cached instance)."""
        _check(kind, convention)
        t0 = time.perf_counter()
        pieces = [np.linspace(a, b, int(round((b - a) * ppd)) + 1) for a, b, ppd in GRID]
        lw = np.unique(np.concatenate(pieces))
        w = 10.0**lw
        a_h, a_l, p = _asymptotics(kind, convention)
        S = phi_direct(w, kind, convention) / _phi_ref(w, a_h, a_l, p)
        interference = _interference_at_pole() if kind == "vector" else (0.0, 0.0)
        return cls(kind, convention, lw, S, a_h, a_l, p, _double_pole_residue(kind), interference,
                   time.perf_counter() - t0, UniformCubic(CubicSpline(lw, S), _FINEST))

    # -- dimensionless -----------------------------------------------------
    def _s(self, w):
        """S(w) from the cubic pieces (constant beyond the grid)."""
        return self._s_of_log10_w(np.log10(w))

    def phi(self, w):
        """Interpolated Phi(w) (dimensionless); exact asymptotic scalings outside the grid.

        Parameters
        ----------
        w : array_like
            m^2/(4 E T) > 0.

        Returns
        -------
        ndarray
        """
        w = np.asarray(w, float)
        return self._s(w) * _phi_ref(w, self.a_heavy, self.a_light, self.light_power)

    # -- rates ---------------------------------------------------------------
    def off_shell(self, energy, temperature, m, lam, width=None):
        """Non-resonant (off-shell) part [GeV].

        lam^4 T^3/m^2 [Phi(w) + (width/m) Psi(w)], w = m^2/(4ET). Psi, the first-order
        finite-width correction, is applied in the ``derived`` convention only (the
        seeds use the narrow width); it is closed form (see :func:`width_correction_psi`).

        Parameters
        ----------
        energy : array_like
            Neutrino energy E [GeV], e.g. shape (nT, nP).
        temperature : array_like
            Temperature T [GeV], broadcasting with ``energy`` (e.g. (nT, 1)).
        m : array_like
            Mediator mass [GeV] (> 0).
        lam : array_like
            Coupling (dimensionless).
        width : array_like, optional
            Total mediator width [GeV]; default :func:`mediator_width`.

        Returns
        -------
        ndarray
            Rate [GeV], broadcast shape.
        """
        E, T, m, lam = (np.asarray(a, float) for a in (energy, temperature, m, lam))
        w = m * m / (4.0 * E * T)
        out = self._reduced_off_shell(w)
        if self.convention == "derived":
            # T^3/m^2 Psi(w) = -T^2/(4 pi E) [...]: finite as m -> 0
            out = out - self.width_ratio(m, lam, width) / (4.0 * np.pi) * _psi_bracket(w, self.residue,
                                                                                       *self.interference)
        return lam**4 * T * T / E * out

    def _reduced_off_shell(self, w):
        """E/(lam^4 T^2) x the narrow-width off-shell rate: T^3/m^2 Phi(w) = T^2/(4 E w) Phi(w).

        a_l S/(4 (1 + r w^2)) (scalar, Phi -> a_l w: finite as m -> 0) or a_l S/(4 w (1 + r w))
        (vector), r = a_l/a_h (:func:`_phi_ref`).
        """
        r = self.a_light / self.a_heavy
        if self.light_power == 1:
            return self._s(w) * (0.25 * self.a_light) / (1.0 + r * w * w)
        return self._s(w) * (0.25 * self.a_light) / (w * (1.0 + r * w))

    def width_ratio(self, m, lam, width=None):
        """Gamma_m/m of the Psi term: ``width``/m, or the partial width into neutrinos by default."""
        return mediator_width(1.0, lam, self.kind) if width is None else np.asarray(width, float) / m

    def on_shell(self, energy, temperature, m, lam, width=None):
        """Decay / inverse decay of on-shell mediators (narrow width), proportional to C [GeV].

        ``derived``: C K(m^2; E, T) = C (T^2/(2 pi^2 E)) w ln(1 + e^-w) (=
        ``gamma_scalar_light`` / ``gamma_vector_onshell`` for the partial width).
        ``seed``: PRL eq. 6 as printed, x 2 and x C/(pi lam^2) (``gamma_scalar_light_seed``).

        Parameters
        ----------
        energy, temperature, m, lam : array_like
            As in :meth:`off_shell`.
        width : array_like, optional
            Total mediator width [GeV]; default: the partial width into neutrinos
            (:func:`mediator_width`). Enters only through C = lam^4 m/(32 width)
            (scalar) or lam^4 m/(12 width) (vector).

        Returns
        -------
        ndarray
            Rate [GeV].
        """
        E = np.asarray(energy, float)
        T = np.asarray(temperature, float)
        m = np.asarray(m, float)
        C = narrow_width_coefficient(m, lam, width, self.kind)
        with np.errstate(under="ignore"):
            if self.convention == "derived":
                return C * _tr.thermal_kernel_fd(m * m, E, T)
            return C / np.pi * _tr.gamma_scalar_light_seed(E, T, m, 1.0)

    @functools.cached_property
    def _reduced_parts(self):
        """(off shell, width correction, on-shell pole) as :class:`~qke.physics.reduced_rate.ReducedRate`
        (E/T^2 x the rate at lam = 1, Gamma_m/m = 1, C = 1; the width correction in ``derived`` only)."""
        off = ReducedRate.fit(self._reduced_off_shell)
        if self.convention == "derived":
            psi = ReducedRate.fit(lambda w: -_psi_bracket(w, self.residue, *self.interference) / (4.0 * np.pi), True)
            pole = ReducedRate.fit(lambda w: w * _fermi_parts(w)[0] / (2.0 * np.pi**2), True)
        else:
            psi = None
            # C/pi x PRL eq. 6 at lam = 1 (:meth:`on_shell`), at E = 1, T = 1/(4w), m = 1: E/T^2 = 16 w^2
            pole = ReducedRate.fit(lambda w: _tr.gamma_scalar_light_seed(1.0, 0.25 / w, 1.0, 1.0) * 16.0 * w * w
                                   / np.pi, True)
        return off, psi, pole

    def reduced(self, lam, width_ratio, pole_coefficient) -> ReducedRate:
        """The rate at fixed coupling, width and pole as a function of w alone: Gamma = (T^2/E) R(w).

        R = lam^4 (Phi(w)/(4w) + (Gamma_m/m) x the width correction, ``derived`` only) + C x the
        on-shell kernel: the same rate as :meth:`derived_rate` (``derived``) or :meth:`__call__`
        (``seed``), whose arguments these are: ``width_ratio`` = Gamma_m/m, ``pole_coefficient`` = C
        (:func:`narrow_width_coefficient` with the width of the model). Interpolation error
        ~1e-8 relative (:mod:`qke.physics.reduced_rate`); ~0.03 ms per call (the parts are fitted
        once per table, ~3 ms).
        """
        return ReducedRate.sum(self.reduced_terms(lam, width_ratio, pole_coefficient))

    def reduced_terms(self, lam, width_ratio, pole_coefficient) -> tuple:
        """The parts of :meth:`reduced` and their coefficients, ((R_k, c_k), ...): lam^4, C and (``derived``)
        lam^4 Gamma_m/m."""
        off, psi, pole = self._reduced_parts
        lam4 = float(lam) ** 4
        terms = ((off, lam4), (pole, float(pole_coefficient)))
        return terms if psi is None else terms + ((psi, lam4 * float(width_ratio)),)

    def __call__(self, energy, temperature, m, lam, width=None):
        """Total rate Gamma = :meth:`off_shell` + :meth:`on_shell` [GeV].

        Parameters
        ----------
        energy : array_like
            Neutrino energy E [GeV], e.g. shape (nT, nP).
        temperature : array_like
            Temperature T [GeV], e.g. shape (nT, 1).
        m : array_like
            Mediator mass [GeV] (> 0).
        lam : array_like
            Coupling (dimensionless).
        width : array_like, optional
            Total mediator width [GeV] (default: partial width into neutrinos).
            Must be narrow (width/m <~ 0.01 for 1e-3 accuracy); see the module
            docstring and :func:`finite_width_rate`.

        Returns
        -------
        ndarray
            Gamma [GeV], broadcast shape of the inputs (g = 2 convention).
        """
        if self.convention == "derived":
            return self.derived_rate(energy, temperature, m, lam, self.width_ratio(m, lam, width),
                                     narrow_width_coefficient(m, lam, width, self.kind))
        return (self.off_shell(energy, temperature, m, lam, width)
                + self.on_shell(energy, temperature, m, lam, width))

    def derived_rate(self, energy, temperature, m, lam, width_ratio, pole_coefficient):
        """:meth:`off_shell` + :meth:`on_shell` of the ``derived`` convention in one pass [GeV].

        Gamma = (T^2/E) [lam^4 (a_l S(w)/(4 (1 + r w^(p+1)) w^(1-p)) - (Gamma_m/m) bracket(w)/(4 pi))
        + C w ln(1 + e^-w)/(2 pi^2)] (p = ``light_power``, r = a_l/a_h), the on-shell term being
        C K(m^2; E, T) of :meth:`on_shell`; e^-w is computed once for the Psi bracket and the pole.

        Parameters
        ----------
        energy, temperature, m, lam : array_like
            As in :meth:`off_shell`.
        width_ratio : array_like
            Gamma_m/m of the Psi term (the total width: :meth:`width_ratio`).
        pole_coefficient : array_like
            C of the on-shell term (:func:`narrow_width_coefficient`).

        Returns
        -------
        ndarray
            Gamma [GeV].
        """
        E, T, m, lam = (np.asarray(a, float) for a in (energy, temperature, m, lam))
        w = m * m / (4.0 * E * T)
        parts = _fermi_parts(w)
        psi = _psi_bracket(w, self.residue, *self.interference, parts=parts)
        reduced = (lam**4 * (self._reduced_off_shell(w) - width_ratio / (4.0 * np.pi) * psi)
                   + pole_coefficient / (2.0 * np.pi**2) * w * parts[0])
        return T * T / E * reduced


@functools.lru_cache(maxsize=None)
def get_rate_table(kind="scalar", convention="derived"):
    """The :class:`MediatorRateTable` of (kind, convention), built on first use.

    Cached per process on these two strings only: scans over the mediator mass
    and the coupling reuse it.
    """
    _check(kind, convention)
    return MediatorRateTable.build(kind, convention)


def mediator_rate(energy, temperature, m, lam, width=None, kind="scalar", convention="derived"):
    """Gamma(E, T) [GeV] of an active neutrino from a scalar or vector mediator.

    Shortcut for ``get_rate_table(kind, convention)(energy, temperature, m, lam, width)``;
    see :class:`MediatorRateTable` for the parameters and units.
    """
    return get_rate_table(kind, convention)(energy, temperature, m, lam, width)


# ---------------------------------------------------------------------------
def finite_width_rate(energy, temperature, m, lam, width=None, kind="scalar", n_nodes=96,
                      helicity_factor=2.0):
    """Reference: Breit-Wigner cross section thermally averaged by quadrature (derived convention).

    ``qke.physics.thermal_average.thermal_rate`` with ``resonance=(m, width)`` on
    sigma_tot = generated ``sigma_sterile_total`` (scalar: the same expressions
    as ``sigma_scalar_nunu`` + ``sigma_scalar_nunubar``, with the width) or
    ``sigma_vector_nunu`` + ``sigma_vector_nunubar`` (vector). Valid for any
    width; slow (quadrature at every call). Use for checks, not in solvers.

    Parameters
    ----------
    energy, temperature, m, lam : array_like
        E [GeV], T [GeV], mediator mass [GeV], coupling.
    width : array_like, optional
        Total mediator width [GeV]; default :func:`mediator_width`.
    kind : {"scalar", "vector"}
    n_nodes : int
        Gauss-Legendre nodes per segment.
    helicity_factor : float
        g of the kernel (2: seeds' convention).

    Returns
    -------
    ndarray
        Gamma [GeV].
    """
    _check(kind)
    if width is None:
        width = mediator_width(m, lam, kind)
    if kind == "scalar":
        def sigma(s, mm, ll, ww):
            return _cs.sigma_sterile_total(s, mm, ll, ww)
    else:
        def sigma(s, mm, ll, ww):
            return _cs.sigma_vector_nunu(s, mm, ll) + _cs.sigma_vector_nunubar(s, mm, ll, ww)
    return thermal_rate(sigma, energy, temperature, m, lam, width, n_nodes=n_nodes,
                        resonance=(m, width), helicity_factor=helicity_factor)


def seed_rate_printed(energy, temperature, m, lam, kind="scalar", width=None):
    """The seeds' printed closed forms joined literally (see the module docstring).

    scalar: 2 x PRL eq. 5 for m > T, plus 2 x PRL eq. 6 (on-shell) at all T;
    vector: PRD eq. 3.8 for m > T, eq. 3.10 for m < T, plus 2 x the PRL eq.-6
    form for the on-shell V (C = 2 pi lam^2). The on-shell part scales with
    C/C_partial when a total ``width`` is given. Discontinuous at T = m.

    Parameters
    ----------
    energy, temperature, m, lam : array_like
        E [GeV], T [GeV], mediator mass [GeV], coupling.
    kind : {"scalar", "vector"}
    width : array_like, optional
        Total mediator width [GeV] (default: partial width into neutrinos).

    Returns
    -------
    ndarray
        Gamma [GeV] (g = 2: Gamma_phi plus its charge conjugate).
    """
    _check(kind)
    E = np.asarray(energy, float)
    T = np.asarray(temperature, float)
    m = np.asarray(m, float)
    lam = np.asarray(lam, float)
    heavy = m > T
    C = narrow_width_coefficient(m, lam, width, kind)
    with np.errstate(all="ignore"):
        onshell = C / np.pi * _tr.gamma_scalar_light_seed(E, T, m, 1.0)
        if kind == "scalar":
            off = np.where(heavy, _tr.gamma_scalar_heavy_seed(E, T, m, lam), 0.0)
        else:
            off = np.where(heavy, _tr.gamma_vector_heavy_seed(E, T, m, lam),
                           _tr.gamma_vector_light_seed(E, T, m, lam))
    return off + onshell


# ===========================================================================
# Charged plasma of a gauged U(1) (L_mu - L_tau, B - L): nu_a with the other neutrino
# flavours and with Dirac fermions f (charged leptons, quarks)
#
# Per unit g^4 Q_a^2 Q_x^2 (x the partner, times N_c for quarks) every channel gives
# Gamma = g^4 T^3/m^2 Phi with a dimensionless Phi (derived convention: Moller velocity,
# Fermi-Dirac partners, helicity factor g = 2 as the rest of this module):
#
# * another neutrino flavour nu_b (nu_a nu_b, nu_a nubar_b by t-channel V; nu_a nubar_a -> nu_b nubar_b
#   by s-channel V): Phi_weyl(w), one function of w = m^2/(4ET), its s-channel pole taken as a
#   Hadamard finite part like the nu_a channels (:func:`phi_weyl_direct`);
# * nu_a nubar_a -> f fbar (massless initial state): Phi_ann(w, u), u = m_f^2/(E T) the threshold
#   in x = s/(4ET) (:func:`phi_annihilation_direct`, finite part at the pole when m > 2 m_f);
# * nu_a f -> nu_a f and nu_a fbar -> nu_a fbar (t-channel, massive Fermi-Dirac partner):
#   Phi_scat(w, mu, e), mu = m_f/T, e = E/T (:func:`phi_scattering_direct`, the massive kernel of
#   derivations/out/vector_backgrounds.md).
#
# The on-shell (pole) parts of every s-channel are not in these functions: in the narrow-width
# limit they add up to inverse decay nu_a nubar_a -> V, C = 2 pi g^2 Q_a^2 whatever V decays to
# (derivations/out/vector_backgrounds.md), which the nu_a table's on-shell term carries.
# :func:`get_background_table` combines the three for a table of charges into one table in
# (w, T, E/T), independent of the mediator mass and the coupling.

from scipy.ndimage import map_coordinates, spline_filter  # noqa: E402

from ..generated import vector_backgrounds as _vb  # noqa: E402

#: Largest m_f/T kept (beyond, the partner's density e^{-mu} < 1e-26 is dropped).
MU_MAX = 60.0
#: Smallest m_f/T tabulated (below, the massless limit).
MU_MIN = 1e-3


def _weyl_sigma_hat(y):
    """m^2 [sigma(nu_a nu_b) + sigma(nu_a nubar_b) + sigma(nu_a nubar_a -> nu_b nubar_b)] at m = g = 1, zero width."""
    return (_vb.sigma_nu_nub(y, 1.0, 1.0) + _vb.sigma_nu_nubbar(y, 1.0, 1.0)
            + _vb.sigma_nu_nubar_to_nub_nubbar(y, 1.0, 1.0, 0.0))


def _fd_weight(x):
    return _weight("derived", x)


def phi_weyl_direct(w, pieces=8, n=24, n_window=32):
    """Phi of nu_a on one other neutrino flavour (per unit Q_a^2 Q_b^2), by quadrature.

    Gamma = g^4 T^3/m^2 Phi(w): t-channel nu_a nu_b and nu_a nubar_b plus the off-shell
    remainder of nu_a nubar_a -> nu_b nubar_b (finite part at the pole; residue
    2 Gamma(V -> nu_b nubar_b)/m = 1/(12 pi)). Heavy: Phi -> 7 pi/(432 w) (``gamma_weyl_heavy``);
    light: Phi -> 3 zeta(3)/(4 pi^3) (``gamma_weyl_light``).

    Parameters
    ----------
    w : array_like
        m^2/(4ET) > 0.

    Returns
    -------
    ndarray
        Phi (dimensionless), shape of ``w``.
    """
    w_in = np.asarray(w, float)
    w = np.atleast_1d(w_in).ravel()
    residue = 2.0 * float(_vb.width_vector_to_weyl(1.0, 1.0))
    return _fp_average(w, _weyl_sigma_hat, residue, _fd_weight, pieces=pieces, n=n,
                       n_window=n_window).reshape(w_in.shape)


def phi_annihilation_direct(w, r, pieces=8, n=24, n_window=32):
    """Phi of nu_a nubar_a -> f fbar (off-shell remainder), f of mass m_f, by quadrature.

    Gamma = g^4 T^3/m^2 Phi(w, r) per unit Q_a^2 Q_f^2 N_c, r = (2 m_f/m)^2, so that the threshold
    in x = s/(4ET) is r w = m_f^2/(ET). For r < 1 the pole lies above the threshold and is taken
    as a Hadamard finite part with residue 2 Gamma(V -> f fbar)/m (the on-shell part belongs to
    inverse decay, see the notes above); for r > 1 there is no pole. As r -> 1 (m -> 2 m_f) the
    narrow-width remainder grows as |1 - r|^{-1/2}: the expansion needs |m - 2 m_f| >> width.

    Parameters
    ----------
    w, r : array_like
        m^2/(4ET) > 0 and (2 m_f/m)^2 >= 0, broadcasting.

    Returns
    -------
    ndarray
        Phi (dimensionless).
    """
    w_b, r_b = np.broadcast_arrays(np.asarray(w, float), np.asarray(r, float))
    shape = w_b.shape
    w1, r1 = w_b.ravel(), r_b.ravel()
    mf = 0.5 * np.sqrt(r1)                                  # m_f/m
    residue = 2.0 * _vb.width_vector_to_dirac(1.0, 1.0, mf)

    def sigma_hat(y):
        mm = mf[:, None, None] if y.ndim == 3 else mf[:, None]
        with np.errstate(all="ignore"):
            out = _vb.sigma_nu_nubar_to_f_fbar(y, 1.0, mm, 1.0, 0.0)
        return np.nan_to_num(out, nan=0.0, posinf=0.0, neginf=0.0)

    out = _fp_average(w1, sigma_hat, residue, _fd_weight, x_min=r1 * w1, pieces=pieces, n=n, n_window=n_window)
    return out.reshape(shape)


def _l_mu(v, mu):
    """ln(1 + exp(-(v + mu^2/(4v)))): the Fermi-Dirac tail of a partner of mass mu T."""
    with np.errstate(over="ignore", under="ignore"):
        return np.log1p(np.exp(-(v + mu * mu / (4.0 * v))))


def phi_scattering_direct(w, mu, e, pieces=8, n=16):
    """Phi of nu_a f -> nu_a f plus nu_a fbar -> nu_a fbar, f of mass m_f = mu T, by quadrature.

    Gamma = (g T^3/pi^2) x 2 int dv v sigma(m_f^2 + 4ETv) ln(1 + e^{-v - mu^2/(4v)}) (g = 2; the 2 for
    f and fbar) = g^4 T^3/m^2 Phi(w, mu, e) per unit Q_a^2 Q_f^2 N_c, with sigma = m^-2 F(v/w, (m_f/m)^2),
    (m_f/m)^2 = mu^2/(4 e w): ``sigma_nu_f_scattering_q`` at m = 1. Light V: Phi -> (2/pi^3) n-integral,
    i.e. Gamma = 2 g^4 n_1/(pi m^2); heavy: Phi ∝ 1/w.

    Parameters
    ----------
    w, mu, e : array_like
        m^2/(4ET) > 0, m_f/T > 0, E/T > 0 (broadcasting).

    Returns
    -------
    ndarray
        Phi (dimensionless).
    """
    w_b, mu_b, e_b = np.broadcast_arrays(*(np.asarray(a, float) for a in (w, mu, e)))
    shape = w_b.shape
    w1, mu1, e1 = (a.ravel() for a in (w_b, mu_b, e_b))
    rho = mu1 * mu1 / (4.0 * e1 * w1)
    # support of the Fermi-Dirac factor: v + mu^2/(4v) - mu < 45
    span = mu1 + 45.0
    disc = np.sqrt(np.maximum(span * span - mu1 * mu1, 0.0))
    v_hi = 0.5 * (span + disc)
    v_lo = np.maximum(mu1 * mu1 / (4.0 * v_hi), 1e-8)
    out = np.empty_like(w1)
    chunk = 4096
    for i in range(0, w1.size, chunk):
        sl = slice(i, i + chunk)
        wc, mc, rc = w1[sl, None, None], mu1[sl, None, None], np.sqrt(rho[sl])[:, None, None]

        def f(v):
            with np.errstate(all="ignore"):
                sig = _vb.sigma_nu_f_scattering_q(v / wc, 1.0, rc, 1.0)
            return v * sig * _l_mu(v, mc)

        out[sl] = (4.0 / np.pi**2) * _integrate_log(f, v_lo[sl], v_hi[sl], pieces, n)
    return out.reshape(shape)


def _log_axis(lo, hi, ppd, pad=0):
    """Uniform axis from lo to hi with ~ppd points per unit, plus ``pad`` nodes beyond each end."""
    n = int(round((hi - lo) * ppd))
    step = (hi - lo) / n
    return lo + step * np.arange(-pad, n + pad + 1)


class _Axis:
    """A piecewise-uniform axis (pieces (start, stop, points per unit), contiguous) with
    ``pad`` extra nodes of the end pieces' spacing beyond both ends. :meth:`index` gives the
    fractional node index of a coordinate without a search (bucket map on the finest
    sub-grid), clamped to the nominal (unpadded) range."""

    def __init__(self, pieces, pad=0):
        nodes = [_log_axis(a, b, ppd) for a, b, ppd in pieces]
        core = np.unique(np.concatenate(nodes))
        d0, d1 = core[1] - core[0], core[-1] - core[-2]
        self.nodes = np.concatenate([core[0] - d0 * np.arange(pad, 0, -1), core, core[-1] + d1 * np.arange(1, pad + 1)])
        self.pad = pad
        self.lo, self.hi = core[0], core[-1]
        self.fine = max(ppd for _, _, ppd in pieces) * 4.0
        steps = np.diff(core)
        self.uniform = bool(np.allclose(steps, steps[0], rtol=1e-9, atol=0.0))
        self._step = float(steps[0])
        nb = int(np.ceil((self.hi - self.lo) * self.fine)) + 1
        centres = self.lo + (np.arange(nb) + 0.5) / self.fine
        self._bucket = np.clip(np.searchsorted(self.nodes, centres) - 1, pad, self.nodes.size - 2 - pad)

    @property
    def size(self):
        return self.nodes.size

    def index(self, x):
        """Fractional node index of ``x`` (clamped to [lo, hi])."""
        xc = np.minimum(np.maximum(x, self.lo), self.hi)
        if self.uniform:
            return self.pad + (xc - self.lo) / self._step
        b = np.minimum(((xc - self.lo) * self.fine).astype(np.intp), self._bucket.size - 1)
        i = np.take(self._bucket, b)
        # a node inside the bucket: step to the right interval
        i = np.minimum(np.where(xc >= np.take(self.nodes, i + 1), i + 1, i), self.nodes.size - 2 - self.pad)
        x0 = np.take(self.nodes, i)
        return i + (xc - x0) / (np.take(self.nodes, i + 1) - x0)


def _cell(index, size):
    """(node i, fraction f) of fractional node indices in [0, size - 1]: i <= size - 2, f in [0, 1]."""
    i = np.minimum(np.asarray(index).astype(np.intp), size - 2)
    return i, index - i


def _spline_coefficients(values):
    return spline_filter(values, order=3, mode="nearest")


def _cubic(coef, *indices):
    idx = np.array(np.broadcast_arrays(*indices))
    shape = idx.shape[1:]
    return map_coordinates(coef, idx.reshape(idx.shape[0], -1), order=3, prefilter=False,
                           mode="nearest").reshape(shape)


#: Universal tables. w: log10 pieces (start, stop, per decade), dense around the pole (w ~ 0.03-100);
#: scattering: log10 mu (m_f/T) and log10 e (E/T); annihilation: logit(r) (r < 1) and ln(r - 1) (r > 1),
#: r = (2 m_f/m)^2. Every axis carries UNIVERSAL_PAD extra nodes beyond both ends, so that the cubic
#: B-splines are used away from their boundary (measured: 3e-3 -> 1e-3).
W_PIECES_SCAT = ((-8.0, 5.0, 3),)
W_PIECES_POLE = ((-8.0, -1.5, 4), (-1.5, 2.5, 24), (2.5, 5.0, 4))
MU_PIECES = ((-3.0, float(np.log10(MU_MAX)), 6),)
E_PIECES = ((-3.0, 2.0, 3),)
R_BELOW_PIECES = ((-27.0, -9.0, 1), (-9.0, 9.2, 3))   # logit r: r from 2e-12 (massless below) to 1 - 1e-4
R_ABOVE_PIECES = ((-9.2, 20.0, 3),)         # ln(r - 1): r from 1 + 1e-4 to 5e8
UNIVERSAL_PAD = 3
#: Quadrature of the universal tables: (log pieces, Gauss nodes per piece); measured < 3e-6 relative.
UNIVERSAL_QUAD = (6, 12)
#: u = r w beyond which nu_a nubar_a -> f fbar is dropped (e^-80).
U_MAX = 80.0


def _threshold_factor(u):
    """e^-u (1 + u + u^2/2): the Fermi-Dirac tail above the threshold u for sigma ∝ s (scale of Phi_ann)."""
    with np.errstate(under="ignore"):
        return np.exp(-u) * (1.0 + u + 0.5 * u * u)


def _logit(r):
    return np.log(r) - np.log1p(-r)


@dataclass(frozen=True, eq=False)
class ChargedPlasmaTables:
    """Universal tables of :func:`phi_weyl_direct`, :func:`phi_annihilation_direct` and
    :func:`phi_scattering_direct` (derived convention), built once per process by
    :func:`get_charged_plasma_tables`; cubic B-splines in log variables, clamped at the grid
    edges (the exact w^0 and 1/w asymptotics in w, the massless limit below mu = 1e-3 and
    r = 1e-4; zero above mu = 60 and u = r w = 80).

    Stored (smooth, O(1)): ln(Phi_scat (1 + w)) + mu; Phi_weyl (1 + w);
    Phi_ann (1 + w^2)/w |1 - r|^{1/2}/(e^{-u}(1 + u + u^2/2)), u = r w, on each side of r = 1 (the
    finite parts may change sign).
    """

    w_scat: object
    w_pole: object
    mu_axis: object
    e_axis: object
    r_below: object
    r_above: object
    weyl_coef: np.ndarray
    ann_below_coef: np.ndarray
    ann_above_coef: np.ndarray
    scat_coef: np.ndarray
    build_seconds: float

    @classmethod
    def build(cls):
        t0 = time.perf_counter()
        pad = UNIVERSAL_PAD
        pieces, n = UNIVERSAL_QUAD
        w_scat, w_pole = _Axis(W_PIECES_SCAT, pad), _Axis(W_PIECES_POLE, pad)
        mu_axis, e_axis = _Axis(MU_PIECES, pad), _Axis(E_PIECES, pad)
        r_below, r_above = _Axis(R_BELOW_PIECES, pad), _Axis(R_ABOVE_PIECES, pad)
        wp = 10.0**w_pole.nodes
        weyl = phi_weyl_direct(wp) * (1.0 + wp)
        anns = []
        for axis, r_of in ((r_below, lambda z: 1.0 / (1.0 + np.exp(-z))), (r_above, lambda z: 1.0 + np.exp(z))):
            W2, R2 = np.meshgrid(wp, r_of(axis.nodes), indexing="ij")
            with np.errstate(over="ignore"):
                keep = R2 * W2 <= U_MAX + 10.0
                phi = np.zeros_like(W2)
                phi[keep] = phi_annihilation_direct(W2[keep], R2[keep], pieces=pieces, n=2 * n, n_window=2 * n)
                anns.append(np.where(keep, phi * (1.0 + W2 * W2) / W2 / _threshold_factor(np.where(keep, R2 * W2, 0.0))
                                     * np.sqrt(np.abs(1.0 - R2)), 0.0))
        ws = 10.0**w_scat.nodes
        W3, M3, E3 = np.meshgrid(ws, 10.0**mu_axis.nodes, 10.0**e_axis.nodes, indexing="ij")
        scat = np.log(phi_scattering_direct(W3, M3, E3, pieces=pieces, n=n) * (1.0 + W3)) + M3
        return cls(w_scat, w_pole, mu_axis, e_axis, r_below, r_above, _spline_coefficients(weyl),
                   _spline_coefficients(anns[0]), _spline_coefficients(anns[1]), _spline_coefficients(scat),
                   time.perf_counter() - t0)

    def weyl(self, w):
        """Phi_weyl(w) (interpolated)."""
        w = np.asarray(w, float)
        return _cubic(self.weyl_coef, self.w_pole.index(np.log10(w))) / (1.0 + w)

    def annihilation(self, w, r):
        """Phi_ann(w, r) (interpolated; zero for u = r w > 80).

        Beyond the w-range of the table the heavy (w > 1e5) and light (w < 1e-8, r < 1) forms
        Phi = h(u)/w and Phi = w k(u) depend on the threshold u = r w only: the table is read at
        the edge in w with r moved so as to keep u. Below r = 2e-12 the massless limit.
        """
        w, r = np.broadcast_arrays(np.asarray(w, float), np.asarray(r, float))
        lw = np.log10(w)
        lw_c = np.clip(lw, self.w_pole.lo, self.w_pole.hi)
        shift = 10.0 ** (lw - lw_c)                       # w / w_clamped
        keep_u = (shift > 1.0) | ((shift < 1.0) & (r < 1.0))
        rr = np.where(keep_u, r * shift, r)               # u = r w kept at the clamped w
        iw = self.w_pole.index(lw_c)
        r_lo = 1.0 / (1.0 + np.exp(-self.r_below.lo))
        with np.errstate(all="ignore"):
            below = _cubic(self.ann_below_coef, iw, self.r_below.index(_logit(np.clip(rr, 1e-300, 1 - 1e-16))))
            above = _cubic(self.ann_above_coef, iw, self.r_above.index(np.log(np.abs(rr - 1.0) + 1e-300)))
            rc = np.where(rr < 1.0, np.maximum(rr, r_lo), rr)
            wc = 10.0**lw_c
            s = (np.where(rr < 1.0, below, above) * wc / (1.0 + wc * wc) * _threshold_factor(rc * wc)
                 / np.sqrt(np.abs(1.0 - rc)))
            # back from the clamped w with the heavy (1/w) or light (w) scaling at fixed u
            s = s * np.where(shift > 1.0, 1.0 / shift, np.where(keep_u, shift, 1.0))
        return np.where((r * w > U_MAX) | (r == 1.0), 0.0, s)

    def scattering(self, w, mu, e):
        """Phi_scat(w, mu, e) (interpolated; zero for mu > 60, massless limit for mu < 1e-3)."""
        w, mu, e = np.broadcast_arrays(*(np.asarray(a, float) for a in (w, mu, e)))
        mc = np.clip(mu, MU_MIN, MU_MAX)
        lm = np.log10(mc)
        val = _cubic(self.scat_coef, self.w_scat.index(np.log10(w)), self.mu_axis.index(lm),
                     self.e_axis.index(np.log10(e)))
        with np.errstate(under="ignore"):
            out = np.exp(val - mc) / (1.0 + w)
        return np.where(mu > MU_MAX, 0.0, out)


@functools.lru_cache(maxsize=1)
def get_charged_plasma_tables():
    """The process-wide :class:`ChargedPlasmaTables` (built on first use)."""
    return ChargedPlasmaTables.build()


# ---------------------------------------------------------------------------
# A charged plasma: the channels of a table of charges, combined
#: Pseudo-critical temperature of the QCD crossover [GeV]: 156.5 +- 1.5 MeV (HotQCD, Bazavov et al.,
#: PLB 795 (2019) 15). Quarks count as free partons above it (:func:`qcd_fraction`).
QCD_CROSSOVER = 0.1565
#: Width in ln T of the switch-on of free quarks across the crossover (10-90 % over a factor 1.4 in T).
QCD_WIDTH = 0.15
#: Combined scattering table: log10 w pieces, points per decade of T and log10 e pieces.
COMBINED_W = ((-8.0, 5.0, 6),)
COMBINED_T_PPD = 20
COMBINED_E = ((-3.0, 2.0, 6),)
#: ln Phi_scat (1 + w) stored for Phi = 0 (exp of it is 0): keeps the trilinear interpolation finite.
LOG_PHI_FLOOR = -1000.0
#: Highest temperature of the combined table [GeV] (massless limit above; the top quark is held at
#: its m_t/T there).
COMBINED_T_MAX = 1e3
#: Axis (log10 w pieces) of the per-mass slices (Weyl partners, annihilation): linear interpolation
#: of Phi (1 + w), dense across the pole.
SLICE_W = ((-8.0, -1.5, 16), (-1.5, 2.5, 48), (2.5, 5.0, 16))


def qcd_fraction(temperature):
    """Weight of free quarks at temperature T [GeV]: (1 + tanh(ln(T/T_c)/0.15))/2, T_c = 156.5 MeV.

    Below the crossover the PRD neglects nu-hadron processes (its sec. V, footnote on nu-pion
    interactions through V-rho mixing); so does this switch.
    """
    with np.errstate(over="ignore"):
        return 0.5 * (1.0 + np.tanh(np.log(np.asarray(temperature, float) / QCD_CROSSOVER) / QCD_WIDTH))


@dataclass(frozen=True)
class PlasmaChannel:
    """One partner species of nu_a in a plasma charged under the U(1) of V.

    Attributes
    ----------
    name : str
        Species ("nu_tau", "mu", "u", ...).
    kind : {"weyl", "dirac"}
        Another left-handed neutrino flavour, or a Dirac fermion with a vector coupling.
    weight : float
        Q_a^2 Q^2 (times N_c = 3 for quarks).
    mass : float
        Mass [GeV] (Dirac species).
    qcd : bool
        Free only above the QCD crossover (quarks; :func:`qcd_fraction`).
    """

    name: str
    kind: str
    weight: float
    mass: float = 0.0
    qcd: bool = False


@dataclass(frozen=True, eq=False)
class PlasmaSlices:
    """The channels of a plasma that depend on the mediator mass m only through r = (2 m_f/m)^2:
    Weyl partners and nu_a nubar_a -> f fbar, as 1-D tables in w on the pole axis for one m
    (:meth:`PlasmaRateTable.slices`; ~1 ms to cut from the universal tables)."""

    m: float
    axis: object
    free: np.ndarray          # (1 + w) x [Weyl + leptons] (always present)
    quarks: np.ndarray        # (1 + w) x quark annihilation (times qcd_fraction(T)), or None

    @functools.cached_property
    def reduced(self):
        """(free, quarks) as :class:`~qke.physics.reduced_rate.ReducedRate` at g = 1: the rate g^4 T^3/m^2 Phi
        = (T^2/E) g^4 Phi/(4w), quarks to be weighted by :func:`qcd_fraction` (None without quarks).
        The same piecewise-linear functions as :meth:`__call__` (every node lies on the table's grid);
        computed once per slices (the points of a scan at one mass share them)."""
        nodes = self.axis.nodes
        free = ReducedRate.piecewise_linear(nodes, 0.25 * self.free)
        return free, None if self.quarks is None else ReducedRate.piecewise_linear(nodes, 0.25 * self.quarks)

    def __call__(self, w, temperature, log10_w=None):
        """Phi of the Weyl and annihilation channels at w (``log10_w``: log10 w if already known) and T [GeV]."""
        i0, f = _cell(self.axis.index(np.log10(w) if log10_w is None else log10_w), self.axis.size)
        out = (1.0 - f) * np.take(self.free, i0) + f * np.take(self.free, i0 + 1)
        if self.quarks is not None:
            q = (1.0 - f) * np.take(self.quarks, i0) + f * np.take(self.quarks, i0 + 1)
            out = out + qcd_fraction(temperature) * q
        return out / (1.0 + w)


#: Per-mass scattering table (:class:`MassScattering`): points per decade of T and of E/T, and its highest
#: temperature [GeV] (the solvers' T_MAX; above the combined table's COMBINED_T_MAX its T is held there
#: and only w changes).
MASS_T_PPD, MASS_E_PPD, MASS_T_MAX = 80, 24, 1e5


@dataclass(frozen=True, eq=False)
class MassScattering:
    """Phi_scat of a :class:`PlasmaRateTable` at one mediator mass m, as a table in (log10 T, log10 E/T).

    At fixed m, w = m^2/(4 E T) is a function of (T, E/T), so the scattering on the Dirac species
    needs two variables only. :meth:`PlasmaRateTable.at_mass` samples the combined table (trilinear in
    log10 w, log10 T, log10 E/T) on :data:`MASS_T_PPD` x :data:`MASS_E_PPD` nodes per decade (T from
    the table's lowest temperature to :data:`MASS_T_MAX`, E/T over its axis) and stores ln Phi
    (``LOG_PHI_FLOOR`` where Phi = 0), bilinear. Against the combined table (tests/test_models_vector.py,
    L_mu - L_tau and B - L, m from 3 MeV to 10 GeV): within 6e-3 of Phi_scat wherever it exceeds 1e-8
    of its largest value (the largest deviations near the lightest partner's Boltzmann cut-off and
    the QCD crossover), 99 % within 2e-3; the combined table and its universal tables are accurate to
    ~1e-3 themselves, and the plasma rate to 6e-3 of the off-shell scale. Omega h^2 of the benchmark
    points moves by < 1e-5. ~3 ms and < 1 MB per mass; a scan at one mass shares it.

    Evaluation (:meth:`__call__`): a (T, E) grid (T a column) is contracted per row onto the E/T
    cells its points use, then each point costs one linear interpolation in log10 E/T; other
    shapes, bilinear per point, with the same arithmetic (equal to rounding). E/T outside the
    table's axis: the combined table itself.
    """

    table: "PlasmaRateTable"
    m: float
    log_phi: np.ndarray      # (T nodes, E/T nodes): ln Phi_scat
    lt0: float               # log10 of the lowest T node [GeV]
    le0: float               # log10 of the lowest E/T node

    @classmethod
    def build(cls, table, m):
        lt0 = math.log10(table.t_min)
        lt = lt0 + np.arange(math.ceil((math.log10(MASS_T_MAX) - lt0) * MASS_T_PPD) + 1) / MASS_T_PPD
        ea = table.e_axis
        le = ea.lo + np.arange(int(round((ea.hi - ea.lo) * MASS_E_PPD)) + 1) / MASS_E_PPD
        t, e = 10.0**lt[:, None], 10.0**le[None, :]
        with np.errstate(divide="ignore"):
            log_phi = np.maximum(np.log(table.scattering(m * m / (4.0 * e * t * t), t, e)), LOG_PHI_FLOOR)
        log_phi.setflags(write=False)
        return cls(table, float(m), log_phi, float(lt0), float(le[0]))

    def _t_cells(self, temperature):
        """(row index, fraction) of T on the T axis (clamped: below the lowest node Phi = 0 anyway)."""
        x = np.minimum(np.maximum((np.log10(temperature) - self.lt0) * MASS_T_PPD, 0.0), self.log_phi.shape[0] - 1.0)
        i = np.minimum(x.astype(np.intp), self.log_phi.shape[0] - 2)
        return i, x - i

    def __call__(self, temperature, e, log_scale=0.0):
        """Phi_scat x exp(``log_scale``) at T [GeV] and E/T ``e`` (broadcasting; ``log_scale`` broadcasts
        with T, e.g. ln(g^4 T^3/m^2) to get the rate in GeV)."""
        t, e = np.asarray(temperature, float), np.asarray(e, float)
        le = np.log10(e)
        n_e = self.log_phi.shape[1]
        y = (le - self.le0) * MASS_E_PPD
        outside = bool(y.min() < 0.0 or y.max() > n_e - 1.0)
        if outside:
            y = np.minimum(np.maximum(y, 0.0), n_e - 1.0)
        j = np.minimum(y.astype(np.intp), n_e - 2)
        fy = y - j
        it, ft = self._t_cells(t)
        if t.ndim == 2 and t.shape[1] == 1 and e.ndim == 2 and e.shape[0] == t.shape[0] and e.shape[1] > 1:
            first, last = int(j.min()), int(j.max()) + 2
            rows = self.log_phi[it[:, 0], first:last] * (1.0 - ft) + self.log_phi[it[:, 0] + 1, first:last] * ft
            rows += log_scale
            j += (np.arange(t.shape[0]) * (last - first) - first)[:, None]
            flat = rows.ravel()
            a, b = flat.take(j), flat[1:].take(j)
        else:
            flat, k = self.log_phi.ravel(), it * n_e + j
            a = flat.take(k) * (1.0 - ft) + flat.take(k + n_e) * ft + log_scale
            b = flat.take(k + 1) * (1.0 - ft) + flat.take(k + n_e + 1) * ft + log_scale
        b = np.asarray(b - a)
        b *= fy
        b += a
        with np.errstate(under="ignore"):
            out = np.exp(b, out=b) if b.ndim else np.exp(b)
        if outside:
            off = (le < self.le0) | (le > self.le0 + (n_e - 1.0) / MASS_E_PPD)
            w = self.m * self.m / (4.0 * e * t * t)
            out = np.where(off, self.table.scattering(w, t, e) * np.exp(log_scale), out)
        return out


@dataclass(frozen=True, eq=False)
class PlasmaRateTable:
    """Rate of nu_a on a charged plasma (every channel besides nu_a itself), for any mediator
    mass and coupling: Gamma = g^4 T^3/m^2 Phi, derived convention.

    Phi = Phi_scat(w, T, E/T) + Phi_slices(w; m): scattering on the Dirac species, summed with
    their weights and masses into one table in (log10 w, log10 T, log10 E/T) (ln Phi (1 + w)
    stored, trilinear; built from the universal tables in ~0.1 s per species, cached per table
    of channels by :func:`get_plasma_rate_table`; at one m resampled in (T, E/T) by :meth:`at_mass`,
    which the rates use); Weyl partners and annihilation into f fbar
    from :meth:`slices` (1-D in w at fixed m, linear on the pole axis). Nothing depends on the
    coupling; only the slices depend on m.

    Interpolation error (tests/test_models_vector.py): < 3e-4 of the massless value of the
    scattering sum; annihilation < 3e-2 of its own value where it matters (1e-2 for 99 %).
    """

    channels: tuple
    w_axis: object
    t_axis: object
    e_axis: object
    log_scat: np.ndarray | None
    t_min: float
    build_seconds: float

    @classmethod
    def build(cls, channels):
        t0 = time.perf_counter()
        tables = get_charged_plasma_tables()
        dirac = [c for c in channels if c.kind == "dirac" and c.weight != 0]
        w_axis, e_axis = _Axis(COMBINED_W), _Axis(COMBINED_E)
        if not dirac:
            return cls(tuple(channels), w_axis, None, e_axis, None, 0.0, time.perf_counter() - t0)
        m_lo = min(c.mass for c in dirac)
        m_hi = max(c.mass for c in dirac)
        t_lo = m_lo / MU_MAX
        t_hi = min(m_hi / MU_MIN, COMBINED_T_MAX)
        t_axis = _Axis(((np.log10(t_lo), np.log10(t_hi), COMBINED_T_PPD),))
        w = 10.0**w_axis.nodes
        t = 10.0**t_axis.nodes
        e = 10.0**e_axis.nodes
        total = np.zeros((w.size, t.size, e.size))
        for c in dirac:
            mu = c.mass / t
            weight = c.weight * (qcd_fraction(t) if c.qcd else np.ones_like(t))
            live = (mu <= MU_MAX) & (weight > 1e-30)
            massless = mu < MU_MIN
            band = live & ~massless
            if np.any(band):
                W, M, E = np.meshgrid(w, mu[band], e, indexing="ij")
                total[:, band, :] += weight[band][None, :, None] * tables.scattering(W, M, E)
            if np.any(live & massless):
                W, E = np.meshgrid(w, e, indexing="ij")
                phi0 = tables.scattering(W, MU_MIN, E)
                total[:, live & massless, :] += weight[live & massless][None, :, None] * phi0[:, None, :]
        with np.errstate(divide="ignore"):
            log_scat = np.log(total * (1.0 + w)[:, None, None])
        return cls(tuple(channels), w_axis, t_axis, e_axis, log_scat, t_lo, time.perf_counter() - t0)

    def slices(self, m):
        """The m-dependent 1-D tables (:class:`PlasmaSlices`) of the Weyl and annihilation channels.

        Cached per (table, m) (:func:`_cached_slices`): the points of a scan at one mediator mass share them.
        """
        return _cached_slices(self, float(m))

    def at_mass(self, m) -> MassScattering:
        """:meth:`scattering` at mediator mass ``m`` [GeV] as a table in (T, E/T) (:class:`MassScattering`; None
        without Dirac species). Cached per (table, m) (:func:`_cached_at_mass`), like :meth:`slices`."""
        return None if self.log_scat is None else _cached_at_mass(self, float(m))

    def _cut_slices(self, m):
        """:meth:`slices`, computed."""
        tables = get_charged_plasma_tables()
        # beyond the universal w-range the annihilation still changes with the threshold u = r w
        # (heavy form h(u)/w): extend the axis until every channel is closed (u > U_MAX)
        r_min = min([(2.0 * c.mass / m) ** 2 for c in self.channels if c.kind == "dirac" and c.weight != 0] or [0.0])
        top = SLICE_W[-1][1]
        w_cut = min(U_MAX / r_min, 1e30) if r_min > 0 else 0.0
        axis = _slice_axis(round(float(np.log10(w_cut)), 1) if w_cut > 10.0**top else None)
        w = 10.0**axis.nodes
        free = np.zeros_like(w)
        quarks = None
        for c in self.channels:
            if c.weight == 0:
                continue
            if c.kind == "weyl":
                free += c.weight * tables.weyl(w)
            elif c.qcd:
                quarks = (0.0 if quarks is None else quarks) + c.weight * tables.annihilation(w, (2.0 * c.mass / m) ** 2)
            else:
                free += c.weight * tables.annihilation(w, (2.0 * c.mass / m) ** 2)
        free = free * (1.0 + w)
        quarks = None if quarks is None else quarks * (1.0 + w)
        for a in (free, quarks):
            if a is not None:
                a.setflags(write=False)
        return PlasmaSlices(float(m), axis, free, quarks)

    def scattering(self, w, temperature, e, log10_w=None):
        """Phi of the scattering on the Dirac species (interpolated) at (w, T, E/T) (``log10_w``: if known).

        Trilinear in (log10 w, log10 T, log10 E/T) of ln Phi (1 + w); T enters per element of its
        own (unbroadcast) shape, so a column of temperatures against a (T, E) grid costs little.
        """
        w, t, e = (np.asarray(a, float) for a in (w, temperature, e))
        if self.log_scat is None:
            return np.zeros(np.broadcast_shapes(w.shape, t.shape, e.shape))
        val = self._trilinear(np.log10(w) if log10_w is None else log10_w, np.log10(t), np.log10(e))
        with np.errstate(under="ignore"):
            return np.where(t >= self.t_min, np.exp(val) / (1.0 + w), 0.0)

    @functools.cached_property
    def _by_temperature(self):
        """ln Phi_scat (1 + w) as (T, w, E/T), flattened: the two T-slabs of one row lie together.

        Nodes without any partner (Phi = 0, ln Phi = -inf: the lowest temperature, where the lightest
        species reaches m_f/T = MU_MAX) hold LOG_PHI_FLOOR instead, so that the interpolation stays
        finite; exp(LOG_PHI_FLOOR) = 0 and the neighbouring cell is still suppressed by e^-MU_MAX.
        """
        return np.maximum(np.ascontiguousarray(self.log_scat.transpose(1, 0, 2)), LOG_PHI_FLOOR).ravel()

    def _trilinear(self, lw, lt, le):
        """Trilinear interpolation of the table (as map_coordinates, order 1) at log10 (w, T, E/T), broadcasting."""
        iw, fw = _cell(self.w_axis.index(lw), self.w_axis.size)
        it, ft = _cell(self.t_axis.index(lt), self.t_axis.size)
        ie, fe = _cell(self.e_axis.index(le), self.e_axis.size)
        nw, ne = self.w_axis.size, self.e_axis.size
        table = self._by_temperature
        base = (it * nw + iw) * ne + ie

        def along_e(offset):
            lo = np.take(table, base + offset)
            return lo + fe * (np.take(table, base + offset + 1) - lo)

        def along_w(offset):
            lo = along_e(offset)
            return lo + fw * (along_e(offset + ne) - lo)

        lo = along_w(0)
        return lo + ft * (along_w(nw * ne) - lo)

    def __call__(self, energy, temperature, m, lam, slices=None):
        """Gamma [GeV] of nu_a on the plasma (derived convention, g = 2), any m and coupling (the scattering
        from the table at this m, :meth:`at_mass`).

        Parameters
        ----------
        energy, temperature : array_like
            E, T [GeV] (broadcasting).
        m : float
            Mediator mass [GeV].
        lam : float
            Coupling g (the charges are in the channel weights).
        slices : PlasmaSlices, optional
            :meth:`slices` of this ``m`` (cut on the fly if not given).
        """
        E = np.asarray(energy, float)
        T = np.asarray(temperature, float)
        if slices is None or slices.m != m:
            slices = self.slices(m)
        phi = slices(m * m / (4.0 * E * T), T)
        if self.log_scat is not None:
            phi = phi + self.at_mass(m)(T, E / T)
        return lam**4 * T**3 / (m * m) * phi


@functools.lru_cache(maxsize=256)
def _cached_slices(table, m):
    """``table._cut_slices(m)``, cached (the slices are read-only)."""
    return table._cut_slices(m)


@functools.lru_cache(maxsize=32)
def _cached_at_mass(table, m):
    """``MassScattering.build(table, m)``, cached (read-only; < 1 MB each)."""
    return MassScattering.build(table, m)


@functools.lru_cache(maxsize=64)
def _slice_axis(log10_w_cut=None):
    """The slices' w-axis, extended (steps of 1/8 in log10 w, on the grid of
    :mod:`qke.physics.reduced_rate`) up to w_cut (log10, rounded) when given."""
    if log10_w_cut is None:
        return _Axis(SLICE_W)
    top = SLICE_W[-1][1]
    steps = math.ceil(8.0 * (max(log10_w_cut + 0.1, top + 0.5) - top) - 1e-9)
    return _Axis(SLICE_W + ((top, top + steps / 8.0, 8),))


@functools.lru_cache(maxsize=None)
def get_plasma_rate_table(channels):
    """The :class:`PlasmaRateTable` of a tuple of :class:`PlasmaChannel` (cached per tuple)."""
    return PlasmaRateTable.build(tuple(channels))
