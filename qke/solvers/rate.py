"""Averaged (Dodelson-Widrow) rate equation for the sterile spectrum.

In comoving momentum y = p/T_nu (T_nu proportional to 1/a, see
:mod:`qke.cosmology`) the Boltzmann equation for the sterile occupation number
f_s(y, t) has no momentum-derivative term:

    d f_s / dt |_y = (Gamma/4) sin^2 2theta_eff (f_a - f_s),               (1)

with p = y T_nu(T), f_a = 1/(e^{p/T} + 1), Delta = m4^2/(2p) and
sin^2 2theta_eff from the Liouville reduction (``derivations/liouville.py``;
de Gouvea et al. 2020 eq. 3-4, Kelly et al. 2020 eq. 2.5, 2.8). With
u = -ln T as clock, dt/du = -dt/d ln T = (1 + (1/3) d ln g*s/d ln T)/H, which
carries the entropy release of the QCD transition and of the muon/pion
annihilations; with constant g* it is 1/H and eq. (1) is exactly the seeds'
fixed-x equation d f_s/d ln z = Gamma/(4H) sin^2 2theta_eff f_a (up to the
depletion term -f_s, which can be switched off).

Eq. (1) is linear in f_s at each y, so it is integrated exactly:

    f_s(y, u) = int^u du' k(y, u') f_a(y, u') exp(-int_{u'}^{u} k du''),
    k = (dt/du) (Gamma/4) sin^2 2theta_eff.

The rates are evaluated once on a (temperature x momentum) grid, with no
quadrature or table construction inside the loop; integrals in u and y use
Simpson's rule, and the same samples on every second node give an error
estimate (Richardson) that drives automatic refinement.

Resonances (Delta cos2theta = V_T, possible when V_T changes sign, e.g. with
a light mediator) make k a Lorentzian in u that can be orders of magnitude
narrower than the grid. Each crossing is located per momentum bin by
bisection, the Lorentzian with the local width and height is subtracted from
the samples, and its exact arctan integral is added back; the grid then
resolves only a smooth remainder.
"""
from __future__ import annotations

import logging
import math
import time
from dataclasses import asdict, dataclass, replace

import numpy as np

from ..cosmology import Cosmology, StandardCosmology
from ..errors import QKEInputError, SolverError
from ..generated.liouville import sin2_2theta_eff
from ..models.base import Model
from .result import RelicResult, omega_h2_from_yield, simpson

log = logging.getLogger(__name__)

#: Below this temperature [GeV] active neutrinos decouple (~2 MeV) and the
#: collision-dominated formulae lose validity.
T_DECOUPLING = 2e-3
#: Production allowed beyond the ends of the grids, as a fraction of rtol
#: (edge production per e-fold relative to the total).
CUT_FRACTION = 0.3
#: Bisection steps locating a resonance between two grid nodes (the bracket
#: shrinks by 2^-50 ~ 1e-15 of the node spacing).
RESONANCE_BISECTIONS = 50


def validate_temperature_range(t_high, t_low):
    """Check a user-given temperature range [GeV] (``None`` = automatic).

    Raises
    ------
    QKEInputError
        Naming ``t_high`` or ``t_low`` if one is not positive and finite, or if t_low >= t_high.
    """
    for name, v in (("t_high", t_high), ("t_low", t_low)):
        if v is not None and not (math.isfinite(v) and v > 0):
            raise QKEInputError(f"{name}: temperature must be positive, got {v!r} GeV")
    if t_high is not None and t_low is not None and t_low >= t_high:
        raise QKEInputError(f"t_low: must be below t_high ({t_low} >= {t_high} GeV)")


@dataclass(frozen=True)
class RateSettings:
    """Numerical settings of the rate-equation solver; ``None`` means automatic.

    Parameters
    ----------
    t_high, t_low : float, optional
        Temperature range [GeV]. Default: 15 and 1/40 times the model's peak
        production estimate (production falls as T^-9 above and T^3 below).
    n_t : int, optional
        Initial number of temperature intervals (multiple of 4), uniform in ln T.
        Default: 48 per decade of temperature.
    n_y : int
        Number of momentum intervals (multiple of 4) on [0, y_max].
    y_max : float
        Largest comoving momentum p/T_nu.
    rtol : float
        Target relative error of the yield; the grids are refined (up to
        ``max_refine`` times) until the Richardson estimate is below it.
    max_refine : int
        Maximum number of refinements. Besides doubling the grids, a
        refinement widens an automatic temperature range by a factor 3 at an
        end where production has not yet stopped (more than 0.3 rtol of the
        total within one e-fold of the end), and doubles y_max if the spectrum
        is cut off.
    depletion : bool
        Keep the -f_s term of eq. (1) (inverse process). False gives the seeds'
        literal equation.
    """

    t_high: float | None = None
    t_low: float | None = None
    n_t: int | None = None
    n_y: int = 64
    y_max: float = 20.0
    rtol: float = 3e-4
    max_refine: int = 4
    depletion: bool = True

    def validate(self):
        """Raise :class:`QKEInputError` naming the first bad setting."""
        validate_temperature_range(self.t_high, self.t_low)
        if self.n_t is not None and (self.n_t < 8 or self.n_t % 4):
            raise QKEInputError(f"n_t: must be a multiple of 4 and >= 8, got {self.n_t}")
        if self.n_y < 8 or self.n_y % 4:
            raise QKEInputError(f"n_y: must be a multiple of 4 and >= 8, got {self.n_y}")
        if not (5.0 <= self.y_max <= 100.0):
            raise QKEInputError(f"y_max: must lie in [5, 100] (spectrum support), got {self.y_max}")
        if not (1e-10 <= self.rtol <= 0.1):
            raise QKEInputError(f"rtol: must lie in [1e-10, 0.1], got {self.rtol}")


def resolve_settings(model: Model, settings: RateSettings) -> RateSettings:
    """Fill the automatic settings from the model's peak-production estimate."""
    settings.validate()
    t_peak = model.peak_temperature_estimate()
    t_high = settings.t_high if settings.t_high is not None else 15.0 * t_peak
    t_low = settings.t_low if settings.t_low is not None else t_peak / 40.0
    if t_low >= t_high:
        raise QKEInputError(f"t_low: must be below t_high ({t_low} >= {t_high} GeV)")
    if t_low < T_DECOUPLING:
        log.warning("integration reaches T = %.3g GeV, below active-neutrino decoupling "
                    "(~2 MeV): collision-dominated rates are approximate there", t_low)
    n_t = settings.n_t
    if n_t is None:
        decades = math.log10(t_high / t_low)
        n_t = max(16, 4 * math.ceil(48 * decades / 4))
    return replace(settings, t_high=t_high, t_low=t_low, n_t=n_t)


def _production_kernel(model: Model, cosmology: Cosmology, temperature, y):
    """k(T, y) per unit u = -ln T, f_a(T, y) and omega = Delta cos2theta - V_T, each (n_T, n_y)."""
    t = temperature[:, None]
    p = y[None, :] * (t * cosmology.t_nu_over_t(t))
    gamma = model.collision_rate(p, t)
    v_t = model.thermal_potential(p, t)
    s2 = model.mixing(t)
    with np.errstate(divide="ignore"):
        eff = sin2_2theta_eff(model.delta(p), s2, v_t, gamma)
    k = (-cosmology.dt_dlnT(t)) * 0.25 * gamma * eff
    f_a = 1.0 / (np.exp(p / t) + 1.0)
    omega = model.delta(p) * np.sqrt(1.0 - s2) - v_t
    return k, f_a, omega


@dataclass(frozen=True)
class _Resonances:
    """MSW crossings Delta cos2theta = V_T, one entry per (momentum bin, crossing).

    Near a crossing at u_r the kernel is a Lorentzian in u = -ln T,
    k ~ a / (1 + ((u - u_r)/w)^2), with a = (dt/du)(Gamma/4) Delta^2 s2/D^2,
    w = D/|d omega/du|, D^2 = Delta^2 s2 + Gamma^2/4, omega = Delta cos2theta - V_T.
    When V_T changes sign this peak can be far narrower than any affordable
    grid; the solver subtracts it from the sampled kernel and adds its exact
    integral (atan), so the grid only has to resolve the smooth remainder.
    """

    column: np.ndarray  # index into the y grid (without y = 0)
    u_r: np.ndarray
    a: np.ndarray
    width: np.ndarray
    f_a: np.ndarray

    def _sum(self, u, per_res, n_y):
        out = np.zeros((u.size, n_y))
        np.add.at(out.T, self.column, per_res(u[None, :]).reshape(self.column.size, u.size))
        return out

    def kernel(self, u, n_y, with_f_a=False):
        """Sum of the Lorentzians on the grid, shape (u.size, n_y)."""
        amp = self.a * (self.f_a if with_f_a else 1.0)
        return self._sum(u, lambda uu: (amp[:, None] / (1.0 + ((uu - self.u_r[:, None]) / self.width[:, None]) ** 2)),
                         n_y)

    def cumulative(self, u, n_y, with_f_a=False):
        """Exact integral of the Lorentzians from u[0] to each u, shape (u.size, n_y)."""
        amp = self.a * self.width * (self.f_a if with_f_a else 1.0)
        lo = np.arctan((u[0] - self.u_r) / self.width)
        return self._sum(u, lambda uu: amp[:, None] * (np.arctan((uu - self.u_r[:, None]) / self.width[:, None])
                                                       - lo[:, None]), n_y)


def _omega(model: Model, cosmology: Cosmology, u, y):
    """Delta cos2theta - V_T [GeV] at clock values u and comoving momenta y (same shape)."""
    t = np.exp(-u)
    p = y * t * cosmology.t_nu_over_t(t)
    return model.delta(p) * np.sqrt(1.0 - model.mixing(t)) - model.thermal_potential(p, t)


def _find_resonances(model: Model, cosmology: Cosmology, u, y, omega) -> _Resonances | None:
    """Locate sign changes of omega (shape (u.size, y.size)) by bisection and fit the local Lorentzians."""
    it, iy = np.nonzero(np.sign(omega[1:]) * np.sign(omega[:-1]) < 0)
    if it.size == 0:
        return None
    lo, hi = u[it].copy(), u[it + 1].copy()
    yy = y[iy]
    o_lo = omega[it, iy]
    for _ in range(RESONANCE_BISECTIONS):
        mid = 0.5 * (lo + hi)
        o_mid = _omega(model, cosmology, mid, yy)
        left = np.sign(o_mid) == np.sign(o_lo)
        lo, o_lo, hi = np.where(left, mid, lo), np.where(left, o_mid, o_lo), np.where(left, hi, mid)
    u_r = 0.5 * (lo + hi)
    h = 1e-4 * (u[1] - u[0])
    slope = (_omega(model, cosmology, u_r + h, yy) - _omega(model, cosmology, u_r - h, yy)) / (2 * h)
    t = np.exp(-u_r)
    p = yy * t * cosmology.t_nu_over_t(t)
    gamma = model.collision_rate(p, t)
    d2s2 = model.delta(p) ** 2 * model.mixing(t)
    big_d2 = d2s2 + 0.25 * gamma**2
    a = -cosmology.dt_dlnT(t) * 0.25 * gamma * d2s2 / big_d2
    width = np.sqrt(big_d2) / np.abs(slope)
    f_a = 1.0 / (np.exp(p / t) + 1.0)
    return _Resonances(column=iy, u_r=u_r, a=a, width=width, f_a=f_a)


def _integrate(k, f_a, u, depletion: bool, res: _Resonances | None):
    """Final f_s and the production history dn/du (shape of k) from the kernel on a u grid.

    Resonant Lorentzians (``res``) are integrated exactly; the grid carries the
    smooth remainder.
    """
    n_y = k.shape[1]
    if res is not None:
        k_smooth = k - res.kernel(u, n_y)
        src_smooth = k * f_a - res.kernel(u, n_y, with_f_a=True)
        cum_lk = res.cumulative(u, n_y)
        cum_ls = res.cumulative(u, n_y, with_f_a=True)
    else:
        k_smooth, src_smooth, cum_lk, cum_ls = k, k * f_a, 0.0, 0.0
    du = np.diff(u)[:, None]
    zero = np.zeros((1, n_y))
    if depletion:
        # K(u) = int k du'; enters the small depletion factor exp(-(K_end - K))
        big_k = np.concatenate([zero, np.cumsum(0.5 * (k_smooth[1:] + k_smooth[:-1]) * du, axis=0)]) + cum_lk
        weight = np.exp(-(big_k[-1] - big_k))
    else:
        weight = np.ones_like(k)
    f_s = simpson(src_smooth * weight, u, axis=0)
    if res is not None:
        w_r = np.array([np.interp(ur, u, weight[:, c]) for ur, c in zip(res.u_r, res.column)])
        lo = np.arctan((u[0] - res.u_r) / res.width)
        hi = np.arctan((u[-1] - res.u_r) / res.width)
        np.add.at(f_s, res.column, res.a * res.f_a * res.width * (hi - lo) * w_r)
    # history: smooth part on the nodes plus the Lorentzians averaged over each node's cell
    hist = src_smooth.copy()
    if res is not None:
        edges = np.concatenate([[u[0]], 0.5 * (u[1:] + u[:-1]), [u[-1]]])
        cell = np.diff(res.cumulative(edges, n_y, with_f_a=True), axis=0)
        hist += cell / np.diff(edges)[:, None]
    if depletion:
        produced = np.concatenate([zero, np.cumsum(0.5 * (src_smooth[1:] + src_smooth[:-1]) * du, axis=0)]) + cum_ls
        hist -= k * produced
    return f_s, hist


def solve_rate(model: Model, cosmology: Cosmology | None = None,
               settings: RateSettings | None = None, cosmology_name: str | None = None) -> RelicResult:
    """Solve the averaged rate equation and return the relic abundance.

    Parameters
    ----------
    model : qke.models.Model
        Physics model (m4 [GeV], sin^2 2theta, flavour, rates, potential).
    cosmology : qke.cosmology.Cosmology, optional
        Default: :class:`~qke.cosmology.StandardCosmology` (Saikawa-Shirai g*).
    settings : RateSettings, optional
        Numerical settings; automatic by default.
    cosmology_name : str, optional
        Label stored in the result.

    Returns
    -------
    RelicResult

    Raises
    ------
    SolverError
        If the kernel is not finite (naming the temperature and momentum bin),
        or if the requested accuracy cannot be reached.

    Examples
    --------
    >>> from qke.models import get_model
    >>> res = solve_rate(get_model("sm", m4=7.1e-6, sin2_2theta=2e-9, flavor="mu"))
    >>> 0.05 < res.omega_h2 < 1.0
    True
    """
    start = time.perf_counter()
    cosmology = cosmology or StandardCosmology()
    settings = settings or RateSettings()
    fixed_high, fixed_low = settings.t_high is not None, settings.t_low is not None
    s = resolve_settings(model, settings)
    n_t, n_y = s.n_t, s.n_y
    history = []
    for attempt in range(s.max_refine + 1):
        u = np.linspace(-math.log(s.t_high), -math.log(s.t_low), n_t + 1)
        temperature = np.exp(-u)
        y = np.linspace(0.0, s.y_max, n_y + 1)
        k = np.zeros((n_t + 1, n_y + 1))
        f_a = np.zeros_like(k)
        k[:, 1:], f_a[:, 1:], omega = _production_kernel(model, cosmology, temperature, y[1:])
        bad = ~np.isfinite(k)
        if bad.any():
            it, iy = np.argwhere(bad)[0]
            raise SolverError(f"rate equation: non-finite production rate at T = {temperature[it]:.4g} GeV "
                              f"(z = {1e-3 / temperature[it]:.4g}), bin {iy} (y = {y[iy]:.3g}); "
                              "check the model's rate and potential there")
        res = _find_resonances(model, cosmology, u, y[1:], omega)
        if res is not None:
            res = replace(res, column=res.column + 1)
        f_s, source = _integrate(k, f_a, u, s.depletion, res)
        f_half, _ = _integrate(k[::2], f_a[::2], u[::2], s.depletion, res)
        w = y**2
        num = simpson(w * f_s, y)
        if num <= 0:
            raise SolverError("rate equation: no sterile neutrinos produced "
                              f"between T = {s.t_high:.3g} and {s.t_low:.3g} GeV")
        # Richardson estimate assuming second-order convergence (the tabulated
        # rates are spline-interpolated, so Simpson's h^4 regime sets in late)
        err_t = float(abs(num - simpson(w * f_half, y)) / 3.0 / num)
        err_y = float(abs(num - simpson(w[::2] * f_s[::2], y[::2])) / 3.0 / num)
        # production left outside the temperature range or the momentum grid:
        # the edge values times one e-fold (production falls at least as fast)
        dn_du = simpson(w * source, y, axis=-1)
        total = simpson(dn_du, u)
        cut_hi, cut_lo = dn_du[0] / total, dn_du[-1] / total
        cut_y = s.y_max * w[-1] * f_s[-1] / num
        history.append({"n_t": n_t, "n_y": n_y, "err_t": err_t, "err_y": err_y, "t_high": s.t_high,
                        "t_low": s.t_low, "y_max": s.y_max, "cut_hi": float(cut_hi),
                        "cut_lo": float(cut_lo), "cut_y": float(cut_y)})
        widen_hi = cut_hi > CUT_FRACTION * s.rtol and not fixed_high
        widen_lo = cut_lo > CUT_FRACTION * s.rtol and not fixed_low
        widen_y = cut_y > CUT_FRACTION * s.rtol
        if (max(err_t, err_y) <= s.rtol and not (widen_hi or widen_lo or widen_y)) or attempt == s.max_refine:
            break
        if widen_hi or widen_lo:
            per_unit = n_t / (u[-1] - u[0])
            s = replace(s, t_high=s.t_high * (3.0 if widen_hi else 1.0),
                        t_low=s.t_low / (3.0 if widen_lo else 1.0))
            n_t = 4 * math.ceil(per_unit * math.log(s.t_high / s.t_low) / 4)
        if widen_y:
            s = replace(s, y_max=min(2.0 * s.y_max, 100.0))
            n_y *= 2
        if err_t > s.rtol:
            n_t *= 2
        if err_y > s.rtol:
            n_y *= 2
    cut = max(cut_y, cut_hi if not fixed_high else 0.0, cut_lo if not fixed_low else 0.0)
    converged = bool(max(err_t, err_y) <= s.rtol and cut <= CUT_FRACTION * s.rtol)
    if not converged:
        log.warning("rate equation: not converged after %d refinements: grid error %.2g, production "
                    "outside the range or momentum grid %.2g (rtol %.2g)",
                    s.max_refine, max(err_t, err_y), cut, s.rtol)
    g_ref = cosmology.g_s_ref
    yield_ = 45.0 / (2.0 * math.pi**4 * g_ref) * num
    mean_p = simpson(y**3 * f_s, y) / num
    dY_du = 45.0 / (2.0 * math.pi**4 * g_ref) * simpson(w * source, y, axis=-1)
    resolved = asdict(replace(s, n_t=n_t, n_y=n_y))
    resolved.update(converged=converged, error_estimate=max(err_t, err_y), refinements=history,
                    resonances=0 if res is None else int(res.column.size))
    return RelicResult(
        method="rate", model=model,
        cosmology=cosmology_name or type(cosmology).__name__,
        y=y, f_s=f_s, temperature=temperature, dY_dlnT=dY_du,
        yield_=float(yield_), omega_h2=float(omega_h2_from_yield(yield_, model.m4)),
        mean_p_over_T=float(mean_p), settings=resolved,
        stats={"wall_time_s": time.perf_counter() - start,
               "kernel_evaluations": int(sum(h["n_t"] * h["n_y"] for h in history))},
    )
