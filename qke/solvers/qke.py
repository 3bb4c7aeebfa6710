"""Density-matrix (quantum kinetic) equations for active-sterile oscillations.

Each comoving momentum bin y = p/T_nu carries the Hermitian 2x2 density
matrix F = [[f11, f12], [f12*, f22]] (f11 active, f22 sterile), stored as
four real numbers (f11, f22, Re f12, Im f12): Hermiticity and real diagonals
hold by construction. The equations are eq. (32) of the notes (SPEC section
4), generated from ``derivations/liouville.py`` (:func:`qke_rhs`,
:func:`qke_jacobian`), with

- the oscillation term, Delta = m4^2/(2p) and the model's V_T(p, T),
- damping of f12 by (Gamma_a + Gamma_s)/2,
- optional repopulation Gamma_a (f_eq - f11) of the active state,
- the sterile self-scattering rate Gamma_s[f22] (eq. 31,
  :mod:`qke.physics.self_scattering`), recomputed from the current f22 at
  every stage.

Cosmology and momentum variables are those of the rate equation
(:mod:`qke.solvers.rate`): p = y T_nu(T), clock u = -ln T, d/du = (dt/du) d/dt
with dt/du = -dt/d ln T carrying the entropy release of a varying g*s. In
comoving momentum there is no momentum-derivative term, so the bins couple
only through Gamma_s. The two solvers thus differ only in the collision
physics: eliminating the quasi-static f12 gives the rate equation with
f_a -> f11 - f22 (SPEC section 4).

Numerical method
----------------
The Jacobian of a bin has eigenvalues -Gamma/2 +- i(Delta cos 2theta - V_T)
with |Delta cos 2theta - V_T|/H up to 1e10 and Gamma/H up to 1e11 at 10 GeV,
next to the slow production of f22. The integrator is a vectorised
three-stage Radau IIA collocation method (order 5, L-stable, stiffly
accurate; :mod:`qke.solvers._radau`) with Hairer's embedded error estimate
and step-size control. For fixed Gamma_s the QKE of every bin is linear, so
the stage equations are one 12x12 linear system per bin with the exact
Jacobian at each stage time, solved by one batched LAPACK call: cost linear
in the number of bins, no Newton iteration, no (4N)x(4N) factorisation.
Steps of |lambda h| >> 1 over the damped oscillations land on the slow
(quasi-static) manifold: L-stability damps the fast modes, and the slow
variables f11, f22 are integrated to the method's order. Accuracy is shown
by convergence in ``rtol`` and ``n_bins`` (tests/test_qke_validation.py).

The self-consistent coupling Gamma_s(p_i) = sum_j K_ij f22_j (dense in bins)
is treated by a fixed-point (simplified Newton) iteration: Gamma_s is frozen
at its stage values from the previous iterate while the block-diagonal
stage systems are solved, then recomputed from the new stage f22. The
neglected Jacobian block d(rhs)/d f22_j = -(1/2) K_ij f12_i is proportional
to the coherence |f12| <~ sin 2theta (f11 - f22) Delta / |Delta cos 2theta - V_T|
<< 1, so the iteration contracts by a factor ~ h |f12| Gamma_s/H per sweep
(two or three sweeps in practice); a step whose iteration does not converge
in ``max_gamma_s_iterations`` sweeps is rejected and retried with a smaller
step.

The error norm is a weighted RMS over all bins and components with
``atol_diag`` for (f11, f22), ``atol_offdiag`` for (Re f12, Im f12) and
``rtol`` relative to the larger of |y| at the start and end of the step.
"""
from __future__ import annotations

import logging
import math
import time
from dataclasses import asdict, dataclass, field, replace

import numpy as np

from .. import constants as const
from ..cosmology import Cosmology, StandardCosmology
from ..errors import QKEInputError, SolverError
from ..generated.liouville import qke_jacobian, qke_rhs
from ..models.base import Model
from . import _radau
from .rate import RateSettings, resolve_settings, validate_temperature_range
from .result import RelicResult, omega_h2_from_yield, simpson, yield_from_spectrum

log = logging.getLogger(__name__)

#: Step-size controller: safety factor and bounds of the step ratio.
_SAFETY, _MIN_FACTOR, _MAX_FACTOR = 0.9, 0.2, 8.0
#: Production allowed per e-fold at the ends of an automatic temperature range,
#: as a fraction of the total. The step tolerance rtol controls the local error
#: of the integrator, not the yield, so the range uses the rate equation's
#: default yield criterion (0.3 x its rtol of 3e-4) instead.
RANGE_TOL = 1e-4
#: Largest number of automatic widenings (factors of 3) at each end.
MAX_WIDEN = 3


@dataclass(frozen=True)
class QKESettings:
    """Numerical settings of the QKE solver; ``None`` means automatic.

    Parameters
    ----------
    n_bins : int
        Number of momentum bins, at y_j = j y_max/n_bins, j = 1..n_bins (even,
        >= 8; y = 0 carries no sterile states and closes Simpson's rule).
    y_max : float
        Largest comoving momentum p/T_nu.
    t_high, t_low : float, optional
        Temperature range [GeV]; automatic as in the rate equation
        (:func:`qke.solvers.rate.resolve_settings`): 15 and 1/25 times the
        model's peak production estimate.
    rtol : float
        Relative local error tolerance of the step-size control.
    atol_diag : float
        Absolute tolerance of the diagonal entries f11, f22.
    atol_offdiag : float
        Absolute tolerance of the coherence Re f12, Im f12.
    repopulation : bool
        Relax the active state to equilibrium, + Gamma_a (f_eq - f11) in d f11/dt.
    max_steps : int
        Maximum number of step attempts before a :class:`SolverError`.
    first_step : float
        Initial step in u = -ln T.
    max_step : float
        Largest step in u = -ln T (keeps the production history sampled).
    max_gamma_s_iterations : int
        Fixed-point sweeps for the self-consistent Gamma_s per step.
    """

    n_bins: int = 200
    y_max: float = 20.0
    t_high: float | None = None
    t_low: float | None = None
    rtol: float = 1e-5
    atol_diag: float = 1e-13
    atol_offdiag: float = 1e-13
    repopulation: bool = True
    max_steps: int = 20000
    first_step: float = 1e-3
    max_step: float = 0.25
    max_gamma_s_iterations: int = 12

    def validate(self):
        """Raise :class:`QKEInputError` naming the first bad setting."""
        if not isinstance(self.n_bins, (int, np.integer)) or self.n_bins < 8 or self.n_bins % 2:
            raise QKEInputError(f"n_bins: must be an even integer >= 8, got {self.n_bins!r}")
        if self.n_bins > 100000:
            raise QKEInputError(f"n_bins: must be at most 100000, got {self.n_bins}")
        if not (5.0 <= self.y_max <= 100.0):
            raise QKEInputError(f"y_max: must lie in [5, 100] (spectrum support), got {self.y_max}")
        validate_temperature_range(self.t_high, self.t_low)
        if not (1e-12 <= self.rtol <= 0.1):
            raise QKEInputError(f"rtol: must lie in [1e-12, 0.1], got {self.rtol}")
        for name in ("atol_diag", "atol_offdiag"):
            v = getattr(self, name)
            if not (1e-30 <= v <= 1e-2):
                raise QKEInputError(f"{name}: must lie in [1e-30, 1e-2], got {v}")
        if not (isinstance(self.max_steps, (int, np.integer)) and self.max_steps >= 1):
            raise QKEInputError(f"max_steps: must be a positive integer, got {self.max_steps!r}")
        if not (0 < self.first_step <= 1.0):
            raise QKEInputError(f"first_step: must lie in (0, 1], got {self.first_step}")
        if not (0 < self.max_step <= 2.0):
            raise QKEInputError(f"max_step: must lie in (0, 2], got {self.max_step}")
        if not (isinstance(self.max_gamma_s_iterations, (int, np.integer)) and self.max_gamma_s_iterations >= 1):
            raise QKEInputError("max_gamma_s_iterations: must be a positive integer, "
                                f"got {self.max_gamma_s_iterations!r}")


def resolve_qke_settings(model: Model, settings: QKESettings) -> QKESettings:
    """Validate and fill the automatic temperature range (same rule as the rate equation)."""
    settings.validate()
    rate = resolve_settings(model, RateSettings(t_high=settings.t_high, t_low=settings.t_low,
                                                y_max=settings.y_max))
    return replace(settings, t_high=rate.t_high, t_low=rate.t_low)


@dataclass
class QKEEvolution:
    """Full outcome of a QKE solve (the :class:`RelicResult` plus the density matrices).

    Attributes
    ----------
    result : RelicResult
        Relic abundance, spectrum f22 (as ``f_s``) and production history.
    y : ndarray, shape (N,)
        Bin momenta p/T_nu (without the y = 0 node of ``result.y``).
    state : ndarray, shape (N, 4)
        Final (f11, f22, Re f12, Im f12) per bin.
    initial_state : ndarray, shape (N, 4)
        State at t_high.
    gamma_s : ndarray, shape (N,)
        Final sterile self-scattering rate [GeV] (zeros without self-interaction).
    history_temperature : ndarray
        Temperatures [GeV] of the accepted steps (decreasing, with t_high first).
    history_gamma_s_over_h : ndarray
        Largest Gamma_s/H over the bins at those temperatures.
    min_f22 : float
        Smallest f22 seen at the step points (non-negativity check).
    """

    result: RelicResult
    y: np.ndarray
    state: np.ndarray
    initial_state: np.ndarray
    gamma_s: np.ndarray
    history_temperature: np.ndarray
    history_gamma_s_over_h: np.ndarray
    min_f22: float
    extra: dict = field(default_factory=dict)


def _z(temperature) -> float:
    return float(const.Z_SCALE / temperature)


class _System:
    """The QKE right-hand side in u = -ln T on the bin grid, vectorised over stages and bins."""

    def __init__(self, model: Model, cosmology: Cosmology, y, weights_y, repopulation: bool, kernel):
        self.model = model
        self.cosmology = cosmology
        self.y = y
        self.weights_y = weights_y
        self.repop = 1.0 if repopulation else 0.0
        self.kernel = kernel
        self.n_rhs = 0
        self.n_jac = 0
        self.n_kernel = 0

    def coefficients(self, u):
        """Rates and frequencies at clock values ``u`` (shape (k,)); arrays of shape (k, N)."""
        t = np.exp(-np.asarray(u, dtype=float))[:, None]
        t_nu = t * self.cosmology.t_nu_over_t(t)
        p = self.y[None, :] * t_nu
        m = self.model
        with np.errstate(over="ignore"):
            f_eq = 1.0 / (np.exp(p / t) + 1.0)
        coef = {
            "T": t, "T_nu": t_nu, "p": p,
            "g": -self.cosmology.dt_dlnT(t),
            "delta": m.delta(p),
            "s2": np.broadcast_to(m.mixing(t), t.shape),
            "v_t": m.thermal_potential(p, t),
            "gamma_a": m.collision_rate(p, t),
            "f_eq": f_eq,
        }
        for name in ("g", "delta", "s2", "v_t", "gamma_a"):
            arr = np.broadcast_to(coef[name], p.shape)
            if not np.all(np.isfinite(arr)):
                ik, ib = np.argwhere(~np.isfinite(arr))[0]
                raise SolverError(f"QKE: non-finite {name} at T = {float(t[ik, 0]):.4g} GeV "
                                  f"(z = {_z(t[ik, 0]):.4g}), bin {ib} (y = {self.y[ib]:.3g}); "
                                  "cause: the model's rate, potential or mixing is not finite there")
        return coef

    def kernel_matrices(self, coef):
        """K (k, N, N) with Gamma_s = K @ f22 at each clock value, or None."""
        if self.kernel is None:
            return None
        self.n_kernel += coef["T"].shape[0]
        out = []
        for t_nu, p in zip(coef["T_nu"][:, 0], coef["p"]):
            out.append(self.kernel.matrix(p, p, self.weights_y * t_nu))
        return np.stack(out)

    def gamma_s(self, kmat, f22):
        """Gamma_s (k, N) [GeV] from kernel matrices and f22 of shape (k, N) or (N,)."""
        if kmat is None:
            return 0.0
        f22 = np.broadcast_to(f22, kmat.shape[:2])
        return np.einsum("kij,kj->ki", kmat, f22)

    def _args(self, coef, gamma_s):
        return (coef["delta"], coef["s2"], coef["v_t"], coef["gamma_a"], gamma_s, coef["f_eq"], self.repop)

    def rhs(self, coef, state, gamma_s):
        """dy/du, shape (k, N, 4), for ``state`` of shape (N, 4) or (k, N, 4)."""
        self.n_rhs += coef["T"].shape[0]
        st = np.asarray(state)
        d = qke_rhs(st[..., 0], st[..., 1], st[..., 2], st[..., 3], *self._args(coef, gamma_s))
        shape = coef["p"].shape
        return np.stack([np.broadcast_to(x, shape) for x in d], axis=-1) * coef["g"][..., None]

    def jacobian(self, coef, gamma_s):
        """d(dy/du)/dy per bin, shape (k, N, 4, 4) (the generated 4x4 Jacobian times dt/du)."""
        self.n_jac += coef["T"].shape[0]
        zero = np.zeros(coef["p"].shape)
        jt = qke_jacobian(zero, zero, zero, zero, *self._args(coef, gamma_s))
        out = np.empty(coef["p"].shape + (4, 4))
        for i in range(4):
            for j in range(4):
                out[..., i, j] = jt[i][j]
        return out * coef["g"][..., None, None]


def _initial_state(system: _System, coef, kmat):
    """f11 = f_eq, f22 = 0, f12 at its quasi-static value (d f12/dt = 0 at fixed diagonals)."""
    n = system.y.size
    state = np.zeros((n, 4))
    state[:, 0] = coef["f_eq"][0]
    jac = system.jacobian(coef, system.gamma_s(kmat, state[:, 1]))[0]
    rhs_off = jac[:, 2:, :2] @ state[:, :2, None]
    state[:, 2:] = -np.linalg.solve(jac[:, 2:, 2:], rhs_off)[..., 0]
    return state


def _bin_grid(n: int, y_max: float):
    """Full grid y_0 = 0 .. y_max (n + 1 nodes), the bins y_1..y_n and their Simpson weights."""
    y_full = np.linspace(0.0, y_max, n + 1)
    w_full = np.full(n + 1, 2.0)
    w_full[1::2] = 4.0
    w_full[0] = w_full[-1] = 1.0
    w_full *= (y_full[1] - y_full[0]) / 3.0
    return y_full, y_full[1:], w_full[1:]


def _integrate(system: _System, s: QKESettings, u_start: float, u_end: float, extend_low: bool):
    """Radau IIA integration from u_start to u_end (extended while production goes on, if allowed)."""
    n = system.y.size
    cosmology = system.cosmology
    atol = np.array([s.atol_diag, s.atol_diag, s.atol_offdiag, s.atol_offdiag])
    pref = 45.0 / (2.0 * math.pi**4 * cosmology.g_s_ref)
    w_yield = system.weights_y * system.y**2
    newton_tol = max(10.0 * np.finfo(float).eps / s.rtol, min(0.03, s.rtol**0.5))
    y = system.y

    u = u_start
    coef0 = system.coefficients([u])
    k0 = system.kernel_matrices(coef0)
    state = _initial_state(system, coef0, k0)
    initial_state = state.copy()
    gs0 = system.gamma_s(k0, state[:, 1])
    f_start = system.rhs(coef0, state, gs0)[0]
    jac0 = system.jacobian(coef0, gs0)[0]

    hist_u = [u]
    hist_dy = [pref * float(w_yield @ f_start[:, 1])]
    hist_gs = [float(np.max(np.broadcast_to(gs0, (1, n)) / _hubble(cosmology, coef0)))]
    min_f22 = float(state[:, 1].min())

    h = min(s.first_step, u_end - u)
    n_acc = n_rej = n_attempt = n_lin = n_sweeps = n_extend = 0
    last_err_bins = np.zeros(n)
    while True:
        while u < u_end - 1e-13 * max(1.0, abs(u_end)):
            if n_attempt >= s.max_steps:
                ib = int(np.argmax(last_err_bins))
                raise SolverError(f"QKE: maximum number of steps ({s.max_steps}) reached at "
                                  f"T = {math.exp(-u):.4g} GeV (z = {_z(math.exp(-u)):.4g}), bin {ib} "
                                  f"(y = {y[ib]:.3g}) has the largest local error; cause: step budget "
                                  "exhausted (raise max_steps or loosen rtol/atol)")
            n_attempt += 1
            h = min(h, u_end - u)
            if h < 1e-12 * max(1.0, abs(u)):
                ib = int(np.argmax(last_err_bins))
                raise SolverError(f"QKE: step size underflow (h = {h:.3g} in ln T) at T = {math.exp(-u):.4g} "
                                  f"GeV (z = {_z(math.exp(-u)):.4g}), bin {ib} (y = {y[ib]:.3g}); cause: "
                                  "the local error test keeps failing there")
            coef = system.coefficients(u + _radau.C * h)
            kmat = system.kernel_matrices(coef)
            f22_stage = np.broadcast_to(state[:, 1], (3, n))
            z = None
            converged = True
            for _ in range(s.max_gamma_s_iterations):
                gs = system.gamma_s(kmat, f22_stage)
                jac = system.jacobian(coef, gs)
                f0 = system.rhs(coef, state, gs)
                z_new = _radau.collocation_solve(h, jac, f0)
                n_lin += 1
                n_sweeps += 1
                if kmat is None:
                    z = z_new
                    break
                if z is not None:
                    dz = math.sqrt(float(np.mean(((z_new - z) / (atol + s.rtol * np.abs(state))) ** 2)))
                    z = z_new
                    if dz <= newton_tol:
                        break
                else:
                    z = z_new
                f22_stage = state[None, :, 1] + z[:, :, 1]
            else:
                converged = False
            if not converged or not np.all(np.isfinite(z)):
                n_rej += 1
                h *= 0.3
                continue
            new = state + z[2]

            def rhs_at(dy):
                return f_start + np.einsum("nab,nb->na", jac0, dy)

            err = _radau.error_estimate(h, jac0, f_start, z, rhs_at)
            n_lin += 1
            ratio2 = (err / (atol + s.rtol * np.maximum(np.abs(state), np.abs(new)))) ** 2
            last_err_bins = ratio2.sum(axis=1)
            err_norm = math.sqrt(float(ratio2.mean()))
            if not math.isfinite(err_norm):
                n_rej += 1
                h *= 0.3
                continue
            factor = _SAFETY * err_norm ** -0.25 if err_norm > 0 else _MAX_FACTOR
            if err_norm > 1.0:
                n_rej += 1
                h *= max(_MIN_FACTOR, min(1.0, factor))
                continue
            # accepted: record the production history at the three stage times
            n_acc += 1
            stage_states = state[None] + z
            f_stage = f0 + np.einsum("knab,knb->kna", jac, z)
            state = new
            u += h
            min_f22 = min(min_f22, float(stage_states[..., 1].min()))
            hist_u.extend((u - h + _radau.C * h).tolist())
            hist_dy.extend((pref * (f_stage[..., 1] @ w_yield)).tolist())
            hist_gs.extend(np.max(np.broadcast_to(gs, (3, n)) / _hubble(cosmology, coef), axis=1).tolist())
            # end-of-step values become the next step's start (c_3 = 1)
            coef0 = {key: val[2:3] for key, val in coef.items()}
            k0 = None if kmat is None else kmat[2:3]
            gs0 = system.gamma_s(k0, state[:, 1])
            f_start = system.rhs(coef0, state, gs0)[0]
            jac0 = system.jacobian(coef0, gs0)[0]
            h = min(h * min(_MAX_FACTOR, max(_MIN_FACTOR, factor)), s.max_step)
        hu, hd = np.asarray(hist_u), np.asarray(hist_dy)
        total = float(np.sum(0.5 * (hd[1:] + hd[:-1]) * np.diff(hu)))
        cut_lo = hd[-1] / total if total > 0 else 0.0
        if extend_low and cut_lo > RANGE_TOL and n_extend < MAX_WIDEN:
            n_extend += 1
            u_end += math.log(3.0)
            continue
        break
    cut_hi = hd[0] / total if total > 0 else 0.0
    return {"state": state, "initial_state": initial_state, "u_end": u_end, "hist_u": hu, "hist_dy": hd,
            "hist_gs": np.asarray(hist_gs), "min_f22": min_f22, "cut_hi": float(cut_hi), "cut_lo": float(cut_lo),
            "stats": {"steps": n_acc, "rejected_steps": n_rej, "step_attempts": n_attempt,
                      "batched_linear_solves": n_lin, "gamma_s_sweeps": n_sweeps}}


def evolve_qke(model: Model, cosmology: Cosmology | None = None, settings: QKESettings | None = None,
               self_interaction=None, cosmology_name: str | None = None) -> QKEEvolution:
    """Integrate the QKE and return the final density matrices with the relic result.

    Parameters and exceptions as :func:`solve_qke`. With an automatic
    temperature range, the integration continues below t_low (by factors of
    3) while the production per e-fold at the end exceeds
    ``RANGE_TOL`` of the total, and restarts from a 3 times higher
    t_high if production had not yet been negligible there (as the rate
    equation does).
    """
    start = time.perf_counter()
    if not isinstance(model, Model):
        raise QKEInputError(f"model: expected a qke Model, got {type(model).__name__}")
    cosmology = cosmology or StandardCosmology()
    given = settings or QKESettings()
    s = resolve_qke_settings(model, given)
    y_full, y, weights_y = _bin_grid(s.n_bins, s.y_max)

    kernel = None
    if self_interaction is not None:
        self_interaction.check_model(model)
        # table range with room for automatic widening of the temperature range
        tn_hi = 27.0 * s.t_high * float(cosmology.t_nu_over_t(s.t_high))
        tn_lo = s.t_low / 3.0**MAX_WIDEN * float(cosmology.t_nu_over_t(s.t_low))
        kernel = self_interaction.kernel(s_min=4.0 * (y[0] * tn_lo) ** 2, s_max=4.0 * (y[-1] * tn_hi) ** 2)
    system = _System(model, cosmology, y, weights_y, s.repopulation, kernel)

    totals = {"steps": 0, "rejected_steps": 0, "step_attempts": 0, "batched_linear_solves": 0,
              "gamma_s_sweeps": 0}
    t_high = s.t_high
    for restart in range(3):
        run = _integrate(system, s, -math.log(t_high), -math.log(s.t_low), extend_low=given.t_low is None)
        for key, val in run["stats"].items():
            totals[key] += val
        if given.t_high is not None or run["cut_hi"] <= RANGE_TOL or restart == 2:
            break
        t_high *= 3.0
    t_low = math.exp(-run["u_end"])
    s = replace(s, t_high=t_high, t_low=t_low)
    state = run["state"]

    f_s = np.concatenate([[0.0], state[:, 1]])
    num = simpson(y_full**2 * f_s, y_full)
    if not num > 0:
        raise SolverError(f"QKE: no sterile neutrinos produced between T = {s.t_high:.3g} and "
                          f"{s.t_low:.3g} GeV (z = {_z(s.t_high):.3g} to {_z(s.t_low):.3g}); "
                          "cause: vanishing production rate")
    yield_ = yield_from_spectrum(y_full, f_s, cosmology.g_s_ref)
    mean_p = float(simpson(y_full**3 * f_s, y_full) / num)
    cut_y = float(s.y_max * y_full[-1] ** 2 * f_s[-1] / num)
    order = np.argsort(run["hist_u"], kind="stable")
    temperature = np.exp(-run["hist_u"][order])
    resolved = asdict(s)
    resolved.update(method="radau-iia-5 (batched 12x12 collocation per bin)",
                    cut_hi=run["cut_hi"], cut_lo=run["cut_lo"], cut_y=cut_y,
                    self_interaction=None if self_interaction is None else {
                        "m_phi": self_interaction.m_phi, "lam": self_interaction.lam,
                        "narrow_width": self_interaction.narrow_width, "kernel": kernel.description})
    if max(run["cut_hi"], run["cut_lo"]) > RANGE_TOL or cut_y > 1e-4:
        log.warning("QKE: production not contained in the range (edge fractions per e-fold: "
                    "high T %.2g, low T %.2g, y_max %.2g)", run["cut_hi"], run["cut_lo"], cut_y)
    wall = time.perf_counter() - start
    stats = dict(totals, jacobian_evaluations=system.n_jac, rhs_evaluations=system.n_rhs,
                 kernel_evaluations=system.n_kernel, wall_time_s=wall)
    result = RelicResult(
        method="qke", model=model, cosmology=cosmology_name or type(cosmology).__name__,
        y=y_full, f_s=f_s, temperature=temperature, dY_dlnT=run["hist_dy"][order],
        yield_=float(yield_), omega_h2=float(omega_h2_from_yield(yield_, model.m4)),
        mean_p_over_T=mean_p, settings=resolved, stats=stats)
    log.debug("QKE: %d steps (%d rejected), %.3f s", totals["steps"], totals["rejected_steps"], wall)
    coef_end = system.coefficients([run["u_end"]])
    gs_end = system.gamma_s(system.kernel_matrices(coef_end), state[:, 1])
    return QKEEvolution(
        result=result, y=y, state=state, initial_state=run["initial_state"],
        gamma_s=np.broadcast_to(gs_end, (1, s.n_bins))[0].copy(),
        history_temperature=temperature, history_gamma_s_over_h=run["hist_gs"][order],
        min_f22=run["min_f22"])


def _hubble(cosmology: Cosmology, coef):
    return cosmology.hubble(coef["T"])


def solve_qke(model: Model, cosmology: Cosmology | None = None, settings: QKESettings | None = None,
              self_interaction=None, cosmology_name: str | None = None) -> RelicResult:
    """Solve the density-matrix equations and return the relic abundance.

    Parameters
    ----------
    model : qke.models.Model
        Physics model (m4 [GeV], sin^2 2theta, flavour, Gamma_a, V_T).
    cosmology : qke.cosmology.Cosmology, optional
        Default :class:`~qke.cosmology.StandardCosmology` (varying g*).
    settings : QKESettings, optional
        Numerical settings (200 bins, automatic temperature range by default).
    self_interaction : qke.physics.self_scattering.SterileSelfInteraction, optional
        Sterile self-scattering (mediator mass m_phi > m4 [GeV], coupling lam);
        Gamma_s = 0 if omitted.
    cosmology_name : str, optional
        Label stored in the result.

    Returns
    -------
    RelicResult
        ``method='qke'``; ``f_s`` is f22 on ``y`` (with y = 0 prepended),
        ``stats`` holds steps, rejected steps, Jacobian and right-hand-side
        evaluations (counted per stage time), batched linear solves and the
        wall time [s]; ``settings`` every resolved parameter.

    Raises
    ------
    QKEInputError
        Bad settings or self-interaction parameters.
    SolverError
        Non-finite model input, step-size underflow or step budget exhausted;
        the message names z = 1 MeV/T, the momentum bin and the cause.

    Examples
    --------
    >>> from qke.models import get_model
    >>> res = solve_qke(get_model("sm", m4=7.1e-6, sin2_2theta=2e-9, flavor="mu"))
    >>> 0.05 < res.omega_h2 < 1.0
    True
    """
    return evolve_qke(model, cosmology, settings, self_interaction, cosmology_name).result
