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
import time
from dataclasses import dataclass, field

import numpy as np
from scipy.interpolate import CubicSpline
from scipy.special import expit, zeta

from ..errors import QKEInputError
from ..generated import cross_sections as _cs
from ..generated import thermal_rates as _tr
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
    A = _double_pole_residue(kind)
    with np.errstate(all="ignore"):
        def h(x):
            return _sigma_hat(kind, x / w[:, None, None]) * _weight(convention, x)

        a = np.minimum(0.5 * w, A_WIN)
        x_lo = 1e-7 * np.minimum(w, 1.0)
        below = _integrate_log(h, x_lo, np.minimum(w - a, X_MAX), pieces, n)
        # finite-part window: x = w +- t, 0 < t < a
        t, wt = _gl(n_window)
        tt = (0.5 * a)[:, None] * (t + 1.0)
        wc = w[:, None]
        residue = A * wc**2 * _weight(convention, wc)          # h ≈ residue/(x - w)^2
        hs = (_sigma_hat(kind, (wc + tt) / wc) * _weight(convention, wc + tt)
              + _sigma_hat(kind, (wc - tt) / wc) * _weight(convention, wc - tt))
        window = np.sum((hs - 2.0 * residue / tt**2) * wt, axis=1) * 0.5 * a - 2.0 * residue[:, 0] / a
        window = np.where(w - a < X_MAX, window, 0.0)
        lo_up = w + a
        above = _integrate_log(h, lo_up, np.maximum(X_MAX, lo_up), pieces, n)
    return ((2.0 / np.pi**2) * (below + window + above)).reshape(w_in.shape)


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


def _psi_bracket(w, a, b1, db1):
    """[a w (2 W' + w W'') + 2 B'(1) W + 2 B(1) w W'] at x = w, W = x ln(1 + e^-x) (derived kernel)."""
    with np.errstate(over="ignore", under="ignore"):
        e = expit(-w)                       # 1/(e^w + 1)
        lg = np.log1p(np.exp(-w))
        W = w * lg
        W1 = lg - w * e
        W2 = w * expit(w) * e - 2.0 * e
    return a * w * (2.0 * W1 + w * W2) + 2.0 * db1 * W + 2.0 * b1 * w * W1


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
    _coef: np.ndarray = field(repr=False)        # (4, n - 1) cubic coefficients per interval
    _bucket: np.ndarray = field(repr=False)      # fine uniform bucket -> interval index

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
        spline = CubicSpline(lw, S)
        # every knot lies on the finest uniform sub-grid: map its buckets to intervals,
        # so that evaluation needs no search
        nb = int(round((lw[-1] - lw[0]) * _FINEST))
        centres = lw[0] + (np.arange(nb) + 0.5) / _FINEST
        bucket = np.clip(np.searchsorted(lw, centres) - 1, 0, lw.size - 2)
        interference = _interference_at_pole() if kind == "vector" else (0.0, 0.0)
        return cls(kind, convention, lw, S, a_h, a_l, p, _double_pole_residue(kind), interference,
                   time.perf_counter() - t0, np.ascontiguousarray(spline.c), bucket)

    # -- dimensionless -----------------------------------------------------
    def _s(self, w):
        """S(w) from the cubic pieces (constant beyond the grid)."""
        lw0, lw1 = self.log10_w[0], self.log10_w[-1]
        lw = np.clip(np.log10(w), lw0, lw1)
        b = np.minimum(((lw - lw0) * _FINEST).astype(np.intp), self._bucket.size - 1)
        i = np.take(self._bucket, b)
        dx = lw - np.take(self.log10_w, i)
        c0, c1, c2, c3 = self._coef
        return ((np.take(c0, i) * dx + np.take(c1, i)) * dx + np.take(c2, i)) * dx + np.take(c3, i)

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
        E = np.asarray(energy, float)
        T = np.asarray(temperature, float)
        m = np.asarray(m, float)
        lam = np.asarray(lam, float)
        w = m * m / (4.0 * E * T)
        r = self.a_light / self.a_heavy
        S = self._s(w)
        if self.light_power == 1:      # T^3/m^2 * a_l w = a_l T^2/(4E): finite as m -> 0
            out = S * self.a_light * T * T / (4.0 * E * (1.0 + r * w * w))
        else:
            out = S * self.a_light * T**3 / (m * m * (1.0 + r * w))
        if self.convention == "derived":
            gamma = (mediator_width(1.0, lam, self.kind) if width is None
                     else np.asarray(width, float) / m)
            # T^3/m^2 Psi(w) = -T^2/(4 pi E) [...]: finite as m -> 0
            out = out - gamma * T * T / (4.0 * np.pi * E) * _psi_bracket(w, self.residue, *self.interference)
        return lam**4 * out

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
        return (self.off_shell(energy, temperature, m, lam, width)
                + self.on_shell(energy, temperature, m, lam, width))


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
