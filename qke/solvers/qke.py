"""Density-matrix (quantum kinetic) equations for active-sterile oscillations.

Each comoving momentum bin y = p/T_nu carries the Hermitian 2x2 density
matrix F = [[f11, f12], [f12*, f22]] (f11 active, f22 sterile), stored as
four real numbers (f11, f22, Re f12, Im f12): Hermiticity and real diagonals
hold by construction. The equations are eq. (32) of the notes (SPEC section
4), generated from ``derivations/liouville.py`` (:func:`qke_rhs`,
:func:`qke_jacobian`), with

- the oscillation term, Delta(p, T) and the model's potential (of nu, or of
  nubar for the second set of bins of a nu/nubar-asymmetric model),
- damping of f12 by (Gamma_d + Gamma_s)/2 (Gamma_d the model's damping rate),
- optional repopulation Gamma_r (f_eq - f11) of the active state, with the
  model's repopulation rate Gamma_r,
- the sterile self-scattering rate Gamma_s[f22] (eq. 31,
  :mod:`qke.physics.self_scattering`), recomputed from the current f22 at
  every stage.

Cosmology and momentum variables are those of the rate equation
(:mod:`qke.solvers.core`): p = y T_nu(T), clock u = -ln T, d/du = (dt/du) d/dt
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

The self-consistent coupling Gamma_s(p_i) = sum_j K_ij f22_j and
V_s(p_i) = sum_j W_ij f22_j (dense in bins) makes the stage equations
nonlinear. They are solved by sweeps: Gamma_s, V_s frozen at their stage
values from the previous iterate while the block-diagonal stage systems are
solved, then recomputed from the new stage f22. The first iterate starts
from the previous step's collocation polynomial, and the iteration stops
when the remaining error theta/(1 - theta) |dz| (theta the observed
contraction) is below ``newton_tol`` (Hairer & Wanner IV.8). The neglected
Jacobian block d(rhs_i)/d f22_j = (d rhs/d Gamma_s)_i K_ij + (d rhs/d V_s)_i W_ij
is proportional to the coherence f12, so the sweeps usually contract fast
(by 0.02-0.1 per sweep at the Johns-Fuller runaway with lambda = 0.03).
Where they do not (deeper in the runaway, lambda >~ 0.05: a stiff mode of
the coupled system), Newton's method takes over: the coupling enters through
the stage f22 only, so the Sherman-Morrison-Woodbury identity reduces the
correction to a 3N system (1 - S G) d = res, S the per-bin response of the
stage f22 to the stage Gamma_s, V_s (extra right-hand sides of the same
12x12 solves) and G the kernels, solved by GMRES; the error estimate then
uses the coupled resolvent (one dense N x N solve). A step whose iteration
diverges or does not converge in ``max_gamma_s_iterations`` iterations is
rejected and retried with a smaller step.

Gamma_s uses :meth:`ScatteringKernel.resolved_matrix
<qke.physics.self_scattering.ScatteringKernel.resolved_matrix>`: the narrow
mediator pole is integrated over the interpolated f22, so Gamma_s is smooth
in T. (Sampled at the nodes it is a staircase in T, one step as each
4 p_i q_j crosses m_phi^2, which the step-size control could follow only
with tiny steps.) The kernels are evaluated on the fixed comoving grid
(:meth:`~qke.physics.self_scattering.ScatteringKernel.on_grid`,
:meth:`~qke.physics.sterile_potential.SterilePotentialKernel.on_grid`).

The error norm is a weighted RMS over all bins and components with
``atol_diag`` for (f11, f22), ``atol_offdiag`` for (Re f12, Im f12) and
``rtol`` relative to the larger of |y| at the start and end of the step.
"""
from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, replace

import numpy as np

from ..cosmology import Cosmology, StandardCosmology
from ..errors import QKEInputError, SolverError
from ..generated.liouville import qke_jacobian, qke_rhs
from ..models.base import Model
from ..units import format_energy
from . import _radau, core
from .core import simpson, z_of
from .result import RelicResult, yield_from_spectrum

log = logging.getLogger(__name__)

#: Step-size controller: safety factor and bounds of the step ratio.
_SAFETY, _MIN_FACTOR, _MAX_FACTOR = 0.9, 0.2, 8.0
#: Contraction of the self-consistent sweeps above which Newton's method takes over, and below which
#: (estimated while Newton runs) the sweeps come back.
_THETA_ON, _THETA_OFF = 0.3, 0.05
#: Largest number of momentum bins accepted.
N_BINS_MAX = 10000


@dataclass(frozen=True)
class QKESettings:
    """Numerical settings of the QKE solver; ``None`` means automatic.

    Parameters
    ----------
    n_bins : int
        Number of momentum bins (even, 8 to 10000), at y_j = j y_max/n_bins,
        j = 1..n_bins (y = 0 carries no sterile states and closes Simpson's rule).
    y_max : float
        Largest comoving momentum p/T_nu, in [5, 100].
    t_high, t_low : float, optional
        Temperature range [GeV]; automatic as in the rate equation
        (:func:`qke.solvers.core.resolve_range`): 15 and 1/40 times the
        model's peak production estimate, widened while production goes on.
    rtol : float
        Relative local error tolerance of the step-size control, in [1e-12, 0.1].
    atol_diag : float
        Absolute tolerance of the diagonal entries f11, f22, in [1e-30, 1e-2].
    atol_offdiag : float
        Absolute tolerance of the coherence Re f12, Im f12, in [1e-30, 1e-2].
    repopulation : bool
        Relax the active state to equilibrium, + Gamma_r (f_eq - f11) in d f11/dt.
    max_steps : int
        Maximum number of step attempts before a :class:`SolverError`.
    first_step : float
        Initial step in u = -ln T, in (0, 1].
    max_step : float
        Largest step in u = -ln T (keeps the production history sampled), in (0, 2].
    max_gamma_s_iterations : int
        Iterations (sweeps, or Newton steps) of the self-consistent Gamma_s, V_s per step attempt.
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
        n = self.n_bins
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 8 or n % 2 or n > N_BINS_MAX:
            raise QKEInputError(f"n_bins (--bins): must be an even integer in [8, {N_BINS_MAX}], got {n!r}")
        if not (5.0 <= self.y_max <= 100.0):
            raise QKEInputError(f"y_max: must lie in [5, 100] (spectrum support), got {self.y_max:g}")
        core.validate_temperature_range(self.t_high, self.t_low)
        if not (1e-12 <= self.rtol <= 0.1):
            raise QKEInputError(f"rtol: must lie in [1e-12, 0.1], got {self.rtol:g}")
        for name in ("atol_diag", "atol_offdiag"):
            v = getattr(self, name)
            if not (1e-30 <= v <= 1e-2):
                raise QKEInputError(f"{name} (--atol): must lie in [1e-30, 1e-2], got {v:g}")
        _check_count("max_steps", self.max_steps)
        _check_count("max_gamma_s_iterations", self.max_gamma_s_iterations)
        if not (0 < self.first_step <= 1.0):
            raise QKEInputError(f"first_step: must lie in (0, 1], got {self.first_step:g}")
        if not (0 < self.max_step <= 2.0):
            raise QKEInputError(f"max_step: must lie in (0, 2], got {self.max_step:g}")


def _check_count(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise QKEInputError(f"{name}: must be a positive integer, got {value!r}")


@dataclass(frozen=True)
class QKEDiagnostics:
    """The grid actually used and how well production is contained.

    Attributes
    ----------
    n_bins : int
        Momentum bins per species.
    species : int
        1, or 2 for separate nu and nubar density matrices.
    y_max : float
        Largest p/T_nu.
    t_high, t_low : float
        Final temperature range [GeV] (after automatic widening).
    cut_hi, cut_lo : float
        Production per e-fold at the two ends over the total.
    cut_y : float
        Share of the spectrum within one unit of y at y_max.
    method : str
        Integrator.
    self_interaction : str or None
        Description of the sterile self-scattering kernel.
    """

    n_bins: int
    species: int
    y_max: float
    t_high: float
    t_low: float
    cut_hi: float
    cut_lo: float
    cut_y: float
    method: str = "radau-iia-5 (batched 12x12 collocation per bin)"
    self_interaction: str | None = None


@dataclass(frozen=True)
class QKEStats:
    """Cost of a QKE solve: steps, evaluations (counted per stage time), linear solves, wall time [s]."""

    steps: int
    rejected_steps: int
    step_attempts: int
    batched_linear_solves: int
    gamma_s_sweeps: int
    jacobian_evaluations: int
    rhs_evaluations: int
    kernel_evaluations: int
    wall_time_s: float


def resolve_qke_settings(model: Model, settings: QKESettings) -> QKESettings:
    """Validate and fill the automatic temperature range (the rule of :mod:`qke.solvers.core`)."""
    settings.validate()
    t_high, t_low = core.resolve_range(model, settings.t_high, settings.t_low)
    return replace(settings, t_high=t_high, t_low=t_low)


@dataclass
class QKEEvolution:
    """Full outcome of a QKE solve (the :class:`RelicResult` plus the density matrices).

    Attributes
    ----------
    result : RelicResult
        Relic abundance, spectrum f22 (as ``f_s``) and production history.
    y : ndarray, shape (N,)
        Bin momenta p/T_nu (without the y = 0 node of ``result.y``).
    state : ndarray, shape (S N, 4)
        Final (f11, f22, Re f12, Im f12) per bin (nu bins first, then nubar bins
        for an asymmetric model: S = 2).
    initial_state : ndarray, shape (S N, 4)
        State at t_high.
    gamma_s : ndarray, shape (S N,)
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


@dataclass(frozen=True)
class _Stage:
    """Coefficients at k clock values on the bins, arrays of shape (k, n) (``t``, ``clock``: (k, 1))."""

    t: np.ndarray
    t_nu: np.ndarray
    p: np.ndarray
    clock: np.ndarray
    rho_extra: np.ndarray | float
    delta: np.ndarray
    s2: np.ndarray
    v: np.ndarray
    gamma_d: np.ndarray
    gamma_r: np.ndarray
    f_eq: np.ndarray
    x: np.ndarray | None = None         # p/T (with an evolving lepton asymmetry)
    v_per_l: np.ndarray | None = None   # dV_odd/dL [GeV per unit L/s], (k, 1)
    mu_per_l: np.ndarray | None = None  # d(mu/T)/dL, (k, 1)

    def last(self) -> "_Stage":
        """The coefficients at the last clock value only (shape (1, n))."""
        return _Stage(**{k: v[-1:] if np.ndim(v) else v for k, v in self.__dict__.items()})


class _System:
    """The QKE right-hand side in u = -ln T on the bin grid, vectorised over stages and bins.

    Parameters
    ----------
    y : ndarray
        Bin momenta p/T_nu, nu bins then (asymmetric models) nubar bins.
    anti : ndarray of bool
        True for the nubar bins.
    weights_y : ndarray
        Quadrature weights of the bins for Gamma_s (halved for two species,
        so that Gamma_s sees the mean of the nu_s and nubar_s occupations).
    """

    def __init__(self, model: Model, cosmology: Cosmology, y, anti, weights_y, repopulation: bool):
        self.model = model
        self.cosmology = cosmology
        self.y = y
        self.anti = anti
        self.weights_y = weights_y
        self.repop = 1.0 if repopulation else 0.0
        self.kernel = model.self_scattering_kernel
        self.potential_kernel = model.sterile_potential_kernel
        self.species = 2 if anti.any() else 1
        n1 = y.size // self.species
        y1, w1 = y[:n1], weights_y[:n1] * self.species
        # Gamma_s with the mediator pole resolved (smooth in T: no staircase for the step-size control)
        self._k_grid = None if self.kernel is None else self.kernel.on_grid(y1, w1)
        self._w_grid = None if self.potential_kernel is None else self.potential_kernel.on_grid(y1, w1)
        self.n_rhs = self.n_jac = self.n_kernel = 0
        self._unit_jacobians = None
        # an evolving lepton asymmetry: L = L_0 - (Y_nu - Y_nubar) = L_0 - asym_weights @ f22
        self.l_init = model.lepton_asymmetry if model.dynamical_asymmetry else None
        self.sigma = np.where(anti, -1.0, 1.0)
        self.asym_weights = core.yield_prefactor(cosmology.g_s_ref) * weights_y * y**2 * self.sigma

    def coefficients(self, u) -> _Stage:
        """Rates and frequencies at clock values ``u`` (shape (k,))."""
        t = np.exp(-np.asarray(u, dtype=float))
        g = core.evaluate_grid(self.model, self.cosmology, t, self.y, "QKE")
        c = g.coef
        shape = g.momentum.shape
        v = np.where(self.anti, c.v_nubar, c.v_nu) if self.anti.any() else c.v_nu
        b = {k: np.broadcast_to(x, shape) for k, x in
             (("delta", c.delta), ("s2", c.sin2_2theta), ("v", v), ("gamma_d", c.damping),
              ("gamma_r", self.repop * np.asarray(c.repopulation)))}
        rho = np.broadcast_to(c.rho_extra, g.temperature.shape) if np.ndim(c.rho_extra) else float(c.rho_extra)
        if self.l_init is not None:
            v_ell, mu_ell = self.model.asymmetry_response(g.temperature)
            s_over_t3 = 2.0 * math.pi**2 / 45.0 * self.cosmology.g_star_s(g.temperature)
            b.update(x=g.momentum / g.temperature, v_per_l=v_ell * s_over_t3,
                     mu_per_l=mu_ell / g.temperature * s_over_t3)
        return _Stage(t=g.temperature, t_nu=g.t_nu, p=g.momentum, clock=g.clock, rho_extra=rho,
                      f_eq=g.f_eq, **b)

    @property
    def has_feedback(self) -> bool:
        """Whether the sterile state feeds back (Gamma_s[f22], V_s[f22], or an evolving lepton asymmetry)."""
        return self.kernel is not None or self.potential_kernel is not None or self.l_init is not None

    def asymmetry(self, f22):
        """L = L_0 - (Y_nu - Y_nubar) from f22 of shape (k, N) or (N,): shape (k,) or scalar [per entropy]."""
        return self.l_init - np.asarray(f22) @ self.asym_weights

    def _stack(self, grid, st: _Stage):
        """A kernel's matrices at the stage temperatures, (k, N, N), or None without that kernel.

        Built on one species' grid and tiled with weight 1/S over the S stacked
        species (the kernels see their mean occupation).
        """
        if grid is None:
            return None
        out = np.empty((st.t.shape[0], self.y.size, self.y.size))
        for k, t_nu in enumerate(st.t_nu[:, 0]):
            m = grid(float(t_nu))
            out[k] = np.tile(m / self.species, (self.species, self.species)) if self.species > 1 else m
        return out

    def kernel_matrices(self, st: _Stage):
        """(K, W), each (k, N, N) or None, with Gamma_s = K @ f22 and V_s = W @ f22; None without feedback."""
        if not self.has_feedback:
            return None
        self.n_kernel += st.t.shape[0]
        return (self._stack(self._k_grid, st), self._stack(self._w_grid, st))

    def gamma_s(self, st: _Stage, kmat, f22):
        """(Gamma_s, V_s, f_eq) [GeV, GeV, -] from the kernel matrices and f22 of shape (k, N) or (N,).

        Gamma_s = K f22 and V_s = W f22 (each (k, N), or 0 without that kernel). With an
        evolving lepton asymmetry L(f22), V_s also carries -sigma (dV/dL) L (so that
        H0 sees V_even + sigma V_odd, sigma = +1 for nu, -1 for nubar) and f_eq the
        chemical potential sigma (dmu/dL) L; otherwise f_eq is the stage's.
        """
        gamma_s, v_s = (0.0, 0.0) if kmat is None else tuple(
            0.0 if m is None else np.einsum("kij,kj->ki", m, np.broadcast_to(f22, m.shape[:2])) for m in kmat)
        if self.l_init is None:
            return gamma_s, v_s, st.f_eq
        # each bin sees L without its own contribution: a momentum bin is a finite lump of
        # phase space, and its own conversion would otherwise shift its own crossing (a
        # self-feedback of order (bin weight)/(crossing width) that the continuum does not have)
        lam = np.asarray(self.asymmetry(f22))[..., None] + self.asym_weights * np.asarray(f22)
        v_s = v_s - self.sigma * st.v_per_l * lam
        return gamma_s, v_s, core.fermi_dirac(st.x - self.sigma * st.mu_per_l * lam)

    @staticmethod
    def _args(st: _Stage, feedback):
        gamma_s, v_s, f_eq = feedback
        return (st.delta, st.s2, st.v - v_s, st.gamma_d, gamma_s, f_eq, st.gamma_r)

    def rhs(self, st: _Stage, state, gamma_s):
        """dy/du, shape (k, N, 4), for ``state`` of shape (N, 4) or (k, N, 4)."""
        self.n_rhs += st.t.shape[0]
        s = np.asarray(state)
        d = qke_rhs(s[..., 0], s[..., 1], s[..., 2], s[..., 3], *self._args(st, gamma_s))
        return np.stack([np.broadcast_to(x, st.p.shape) for x in d], axis=-1) * st.clock[..., None]

    def jacobian(self, st: _Stage, gamma_s):
        """d(dy/du)/dy per bin, shape (k, N, 4, 4) (the generated 4x4 Jacobian times dt/du)."""
        self.n_jac += st.t.shape[0]
        zero = np.zeros(st.p.shape)
        jt = qke_jacobian(zero, zero, zero, zero, *self._args(st, gamma_s))
        out = np.empty(st.p.shape + (4, 4))
        for i in range(4):
            for j in range(4):
                out[..., i, j] = jt[i][j]
        return out * st.clock[..., None, None]

    def field_derivatives(self, st: _Stage, stage_state):
        """d(dy/du)/d(Gamma_s, V_s) per bin at the stage states (3, N, 4): shape (3, N, 4, 2) [per GeV].

        The right-hand side is linear in Gamma_s and in V_T = V - V_s, so these
        are the generated Jacobian's derivatives (at unit Gamma_s, unit V_T)
        applied to the state.
        """
        if self._unit_jacobians is None:
            unit = {"delta": 0.0, "sin2_2theta": 0.0, "v_t": 0.0, "gamma_a": 0.0, "gamma_s": 0.0,
                    "f_eq": 0.0, "gamma_r": 0.0}
            mats = []
            for name, sign in (("gamma_s", 1.0), ("v_t", -1.0)):
                jt = qke_jacobian(0.0, 0.0, 0.0, 0.0, **{**unit, name: 1.0})
                mats.append(sign * np.array([[float(np.asarray(jt[i][j])) for j in range(4)] for i in range(4)]))
            self._unit_jacobians = np.stack(mats, axis=-1)              # (4, 4, 2)
        return np.einsum("abf,knb->knaf", self._unit_jacobians, stage_state) * st.clock[..., None, None]


def _initial_state(system: _System, st: _Stage, kmat):
    """f11 = f_eq, f22 = 0, f12 at its quasi-static value (d f12/dt = 0 at fixed diagonals).

    Where the coherence block is singular (no damping and no oscillation), f12 = 0.
    """
    n = system.y.size
    state = np.zeros((n, 4))
    feedback = system.gamma_s(st, kmat, state[:, 1])
    state[:, 0] = np.broadcast_to(feedback[2], st.p.shape)[0]
    jac = system.jacobian(st, feedback)[0]
    block = jac[:, 2:, 2:]
    det = block[:, 0, 0] * block[:, 1, 1] - block[:, 0, 1] * block[:, 1, 0]
    ok = np.abs(det) > 0
    rhs_off = jac[ok, 2:, :2] @ state[ok, :2, None]
    state[ok, 2:] = -np.linalg.solve(block[ok], rhs_off)[..., 0]
    return state


@dataclass
class _Counters:
    accepted: int = 0
    rejected: int = 0
    attempts: int = 0
    linear: int = 0
    sweeps: int = 0


class _Run:
    """Radau IIA integration of a :class:`_System` with step-size control and production history."""

    def __init__(self, system: _System, s: QKESettings, u_start: float):
        self.system, self.s = system, s
        self.atol = np.array([s.atol_diag, s.atol_diag, s.atol_offdiag, s.atol_offdiag])
        self.pref = core.yield_prefactor(system.cosmology.g_s_ref)
        self.w_yield = system.weights_y * system.y**2
        self.newton_tol = max(10.0 * np.finfo(float).eps / s.rtol, min(0.03, s.rtol**0.5))
        self.n = system.y.size
        self.u = u_start
        st0 = system.coefficients([u_start])
        k0 = system.kernel_matrices(st0)
        self.state = _initial_state(system, st0, k0)
        self.initial_state = self.state.copy()
        self._set_start(st0, k0)
        self.hist_u = [u_start]
        self.hist_dy = [self.pref * float(self.w_yield @ self.f_start[:, 1])]
        self.hist_gs = [self._max_gs_over_h(self.gs0, st0)[0]]
        self.hist_prod = [self.f_start[:, 1].copy()]
        self.hist_l = [system.asymmetry(self.state[:, 1])] if system.l_init is not None else None
        self.min_f22 = float(self.state[:, 1].min())
        self.h = s.first_step
        self.count = _Counters()
        self.last_err_bins = np.zeros(self.n)
        self.last_z, self.last_h = None, None
        self.last_cause = "no step rejected yet"
        self.coupled = self.newton_used = False

    def _set_start(self, st0: _Stage, k0):
        """Right-hand side and Jacobian at the start of the next step."""
        self.st0, self.k0 = st0, k0
        self.gs0 = self.system.gamma_s(st0, k0, self.state[:, 1])
        self.f_start = self.system.rhs(st0, self.state, self.gs0)[0]
        self.jac0 = self.system.jacobian(st0, self.gs0)[0]

    def _max_gs_over_h(self, gs, st: _Stage):
        """Largest Gamma_s/H over the bins at each clock value of ``st`` (zeros without self-interaction)."""
        if self.system.kernel is None:
            return [0.0] * st.t.shape[0]
        hubble = self.system.cosmology.hubble(st.t, st.rho_extra)
        return np.max(np.broadcast_to(gs[0], st.p.shape) / hubble, axis=1).tolist()

    def _where(self) -> str:
        ib = int(np.argmax(self.last_err_bins))
        t = math.exp(-self.u)
        return (f"T = {format_energy(t)} (z = {z_of(t):.4g}), bin {ib % self.system.y.size} "
                f"(p/T_nu = {self.system.y[ib]:.3g})")

    def run_to(self, u_end: float) -> None:
        """Step until u reaches ``u_end``."""
        s = self.s
        while self.u < u_end - 1e-13 * max(1.0, abs(u_end)):
            if self.count.attempts >= s.max_steps:
                raise SolverError(f"QKE: maximum number of steps ({s.max_steps}) reached at {self._where()}, "
                                  "the bin with the largest local error; cause: step budget exhausted "
                                  f"(h = {self.h:.3g} in ln T, last rejection: {self.last_cause}; "
                                  "raise max_steps or loosen rtol/atol)")
            self.count.attempts += 1
            self.h = min(self.h, u_end - self.u)
            if self.h < 1e-12 * max(1.0, abs(self.u)):
                raise SolverError(f"QKE: step size underflow (h = {self.h:.3g} in ln T) at {self._where()}; "
                                  f"cause: {self.last_cause}")
            self._attempt()

    def _stage_solve(self, st: _Stage, kmat):
        """Stage increments z (3, N, 4) with Gamma_s, V_s iterated to self-consistency; None if not converged.

        Without feedback one linear solve. With the kernels, fixed-point
        sweeps while they contract fast, Newton's method (the dense coupling
        through f22 included) once they contract by more than ``_THETA_ON``
        or fail, back to sweeps when their contraction falls below
        ``_THETA_OFF`` (see :meth:`_iterate`).
        """
        if kmat is None:
            gs = self.system.gamma_s(st, kmat, None)
            jac = self.system.jacobian(st, gs)
            f0 = self.system.rhs(st, self.state, gs)
            self.count.linear += 1
            self.count.sweeps += 1
            return _radau.collocation_solve(self.h, jac, f0), jac, f0, gs
        kernels = any(m is not None for m in kmat[:2])
        solved = self._iterate(st, kmat, newton=kernels and self.coupled)
        if solved is None and kernels and not self.coupled:
            self.coupled = True            # the sweeps diverged or stalled: the same step with Newton
            solved = self._iterate(st, kmat, newton=True)
        return solved

    def _iterate(self, st: _Stage, kmat, newton: bool):
        """The self-consistent iteration of one step: sweeps, or Newton's method with ``newton``.

        A sweep solves the block-diagonal stage systems with the feedback
        frozen at the current stage f22, then updates f22 to the result;
        Newton's method adds :meth:`_newton_correction`. The first iterate
        starts from the last step's collocation polynomial. With the
        contraction theta = |dz_k|/|dz_k-1|, the remaining error of the iterate
        is about theta/(1 - theta) |dz_k| (Hairer & Wanner IV.8): the iteration
        stops when that is below ``newton_tol`` and gives up when theta >= 1
        (cause and bin kept for the error message).
        """
        system, state = self.system, self.state
        self.newton_used = newton
        z_guess = self._predict()
        f22_stage = state[None, :, 1] + z_guess[..., 1]
        z, dz_old, theta_max, sweeps_would_do = None, None, 0.0, True
        for _ in range(self.s.max_gamma_s_iterations):
            gs = system.gamma_s(st, kmat, f22_stage)
            jac = system.jacobian(st, gs)
            f0 = system.rhs(st, state, gs)
            if newton:
                dfdp = system.field_derivatives(st, state[None] + (z_guess if z is None else z))
                z_new, x = _radau.collocation_solve(self.h, jac, f0, _radau.coupling_columns(self.h, dfdp))
            else:
                z_new = _radau.collocation_solve(self.h, jac, f0)
            self.count.linear += 1
            self.count.sweeps += 1
            if z is not None:
                ratio2 = ((z_new - z) / (self.atol + self.s.rtol * np.abs(state))) ** 2
                dz = math.sqrt(float(np.mean(ratio2)))
                theta = dz / dz_old if dz_old else None
                theta_max = max(theta_max, theta or 0.0)
                if dz == 0.0 or (dz <= self.newton_tol if theta is None
                                 else theta < 1.0 and theta / (1.0 - theta) * dz <= self.newton_tol):
                    self.coupled = not sweeps_would_do if newton else theta_max > _THETA_ON
                    return z_new, jac, f0, gs
                if theta is not None and theta >= 1.0:
                    self.last_err_bins = ratio2.sum(axis=(0, 2))
                    self.last_cause = (f"the self-consistent Gamma_s/V_s iteration diverges "
                                       f"({'Newton' if newton else 'sweeps'}, contraction {theta:.2g})")
                    return None
                dz_old = dz
            f22_new = state[None, :, 1] + z_new[:, :, 1]
            if newton:
                correction, theta_fp = self._newton_correction(kmat, x, f22_new - f22_stage)
                f22_new = f22_new + correction
                sweeps_would_do = sweeps_would_do and theta_fp < _THETA_OFF
            f22_stage, z = f22_new, z_new
        self.last_cause = (f"the self-consistent Gamma_s/V_s iteration did not converge in "
                           f"{self.s.max_gamma_s_iterations} {'Newton iterations' if newton else 'sweeps'}")
        return None

    def _predict(self):
        """Stage increments (3, N, 4) for the first sweep: the last accepted step extrapolated (or zero)."""
        if self.last_z is None:
            return np.zeros((3, self.n, 4))
        return _radau.extrapolate(self.last_z, self.h / self.last_h)

    def _newton_correction(self, kmat, x, res):
        """Newton's correction c (3, N) to the fixed-point update f22 <- f22 + res, and |S G res|/|res|.

        With S = d(stage f22)/d(stage Gamma_s, V_s) per bin (from ``x`` = M^-1 U,
        :func:`_radau.coupling_columns`) and G the kernels (Gamma_s = K f22,
        V_s = W f22 at each stage), the Newton step d = (1 - S G)^-1 res is
        res + c with (1 - S G) c = S G res: the Sherman-Morrison-Woodbury
        reduction of the 12N stage system to the 3N stage f22, solved by GMRES
        (a few products with K and W) in units of the f22 tolerance. |S G res|/|res|
        estimates the contraction of plain sweeps.
        """
        sens = x[:, 1::4, :]                                         # (N, 3 stages, 6 fields)
        scale = self.atol[1] + self.s.rtol * np.abs(self.state[:, 1])

        def sg(v):                                                   # S G v for stage f22 v (3, N)
            fields = np.zeros((self.n, 3, 2))
            for f, m in enumerate(kmat[:2]):
                if m is not None:
                    fields[:, :, f] = np.matmul(m, v[:, :, None])[..., 0].T
            return np.einsum("nkc,nc->kn", sens, fields.reshape(self.n, 6))

        def apply(v_flat):
            v = v_flat.reshape(3, self.n)
            return (v - sg(v * scale) / scale).ravel()

        rhs = sg(res) / scale
        norm = float(np.linalg.norm(res / scale))
        theta = float(np.linalg.norm(rhs)) / norm if norm > 0 else 0.0
        c = _radau.gmres(apply, rhs.ravel())
        return c.reshape(3, self.n) * scale, theta

    def _start_coupling(self):
        """(dF/d(Gamma_s, V_s), [K, W], 1) at the step's start for the error estimate; None without kernels."""
        k0 = self.k0
        if not self.newton_used or k0 is None or all(m is None for m in k0[:2]):
            return None
        dfdp = self.system.field_derivatives(self.st0, self.state[None])[0]
        return dfdp, [None if m is None else m[0] for m in k0[:2]], 1

    def _error_norm(self, z):
        """Weighted RMS of Hairer's embedded error estimate over bins and components."""
        jac0, f_start = self.jac0, self.f_start
        coupling = self._start_coupling()

        def rhs_at(dy):
            out = f_start + np.einsum("nab,nb->na", jac0, dy)
            if coupling is not None:
                dfdp, kernels, _ = coupling
                for f, g in enumerate(kernels):
                    if g is not None:
                        out += dfdp[..., f] * (g @ dy[:, 1])[:, None]
            return out

        err = _radau.error_estimate(self.h, jac0, f_start, z, rhs_at, coupling)
        self.count.linear += 1
        new = self.state + z[2]
        ratio2 = (err / (self.atol + self.s.rtol * np.maximum(np.abs(self.state), np.abs(new)))) ** 2
        self.last_err_bins = ratio2.sum(axis=1)
        return math.sqrt(float(ratio2.mean()))

    def _attempt(self) -> None:
        """One step attempt of size h: accept and record it, or shrink h."""
        st = self.system.coefficients(self.u + _radau.C * self.h)
        kmat = self.system.kernel_matrices(st)
        solved = self._stage_solve(st, kmat)
        if solved is not None and not np.all(np.isfinite(solved[0])):
            self.last_err_bins = np.sum(~np.isfinite(solved[0]), axis=(0, 2)).astype(float)
            self.last_cause = "non-finite stage values"
            solved = None
        if solved is None:
            self.count.rejected += 1
            self.h *= 0.3
            return
        z, jac, f0, gs = solved
        err_norm = self._error_norm(z)
        if not math.isfinite(err_norm):
            self.last_cause = "non-finite local error estimate"
            self.count.rejected += 1
            self.h *= 0.3
            return
        factor = _SAFETY * err_norm ** -0.25 if err_norm > 0 else _MAX_FACTOR
        if err_norm > 1.0:
            self.last_cause = "the local error test keeps failing there"
            self.count.rejected += 1
            self.h *= max(_MIN_FACTOR, min(1.0, factor))
            return
        self._accept(st, kmat, z, jac, f0, gs)
        self.h = min(self.h * min(_MAX_FACTOR, max(_MIN_FACTOR, factor)), self.s.max_step)

    def _accept(self, st: _Stage, kmat, z, jac, f0, gs) -> None:
        """Advance the state and record the production history at the three stage times."""
        self.count.accepted += 1
        self.last_z, self.last_h = z, self.h
        f_stage = f0 + np.einsum("knab,knb->kna", jac, z)
        self.min_f22 = min(self.min_f22, float((self.state[None, :, 1] + z[..., 1]).min()))
        self.state = self.state + z[2]
        self.u += self.h
        self.hist_u.extend((self.u - self.h + _radau.C * self.h).tolist())
        self.hist_dy.extend((self.pref * (f_stage[..., 1] @ self.w_yield)).tolist())
        self.hist_gs.extend(self._max_gs_over_h(gs, st))
        self.hist_prod.extend(f_stage[..., 1])
        if self.hist_l is not None:
            f22_stages = (self.state[:, 1] - z[2, :, 1])[None, :] + z[..., 1]  # the state was advanced above
            self.hist_l.extend(np.atleast_1d(self.system.asymmetry(f22_stages)).tolist())
        # end-of-step values become the next step's start (c_3 = 1)
        self._set_start(st.last(), None if kmat is None else tuple(None if m is None else m[2:3] for m in kmat))

    def edge_fractions(self):
        """Production per e-fold at the two ends of the range covered so far, over the total."""
        return core.edge_fractions(np.asarray(self.hist_u), np.asarray(self.hist_dy))

    def stats(self) -> dict:
        c = self.count
        return {"steps": c.accepted, "rejected_steps": c.rejected, "step_attempts": c.attempts,
                "batched_linear_solves": c.linear, "gamma_s_sweeps": c.sweeps}


def _integrate(system: _System, s: QKESettings, u_start: float, u_end: float, extend_low: bool) -> _Run:
    """Integrate from u_start to u_end, extending the end (core's widening rule) while production goes on."""
    run = _Run(system, s, u_start)
    edge = core.edge_tolerance()
    for _ in range(core.MAX_WIDEN + 1):
        run.run_to(u_end)
        if not (extend_low and run.edge_fractions()[1] > edge):
            break
        u_end += math.log(core.WIDEN_FACTOR)
    return run


def _bins(model: Model, s: QKESettings):
    """Full grid (with y = 0), bins (stacked nu, nubar for an asymmetric model), species mask, weights."""
    y_full, w_full = core.momentum_grid(s.n_bins, s.y_max)
    species = 2 if model.asymmetric else 1
    y = np.tile(y_full[1:], species)
    anti = np.repeat(np.array([core.NU, core.NUBAR][:species]), s.n_bins)
    return y_full, y, anti, np.tile(w_full[1:], species) / species


def _run_with_restarts(system: _System, s: QKESettings, given: QKESettings):
    """Integrate; restart from a 3x higher t_high while production had not stopped there (automatic range)."""
    totals: dict[str, int] = {}
    t_high = s.t_high
    edge = core.edge_tolerance()
    for restart in range(core.MAX_WIDEN):
        run = _integrate(system, s, -math.log(t_high), -math.log(s.t_low), extend_low=given.t_low is None)
        for key, val in run.stats().items():
            totals[key] = totals.get(key, 0) + val
        if given.t_high is not None or run.edge_fractions()[0] <= edge or restart == core.MAX_WIDEN - 1:
            break
        t_high *= core.WIDEN_FACTOR
    return run, replace(s, t_high=t_high, t_low=math.exp(-run.u)), totals


def _spectra(run: _Run, n_bins: int):
    """f22 of nu_s and nubar_s with the y = 0 node prepended (equal for one species)."""
    f22 = run.state[:, 1].reshape(-1, n_bins)
    f_nu = np.concatenate([[0.0], f22[0]])
    f_nubar = np.concatenate([[0.0], f22[-1]]) if f22.shape[0] == 2 else f_nu
    return f_nu, f_nubar


def _history(run: _Run, n_bins: int):
    """Production history (temperatures decreasing), max Gamma_s/H and the map d f22/d ln z, sorted by clock.

    The map has the y = 0 node prepended (zero) and is the mean over species.
    """
    hu = np.asarray(run.hist_u)
    order = np.argsort(hu, kind="stable")
    prod = np.asarray(run.hist_prod)[order].reshape(hu.size, -1, n_bins).mean(axis=1)
    prod = np.concatenate([np.zeros((hu.size, 1)), prod], axis=1)
    lam = None if run.hist_l is None else np.asarray(run.hist_l)[order]
    return np.exp(-hu[order]), np.asarray(run.hist_dy)[order], np.asarray(run.hist_gs)[order], prod, lam


def evolve_qke(model: Model, cosmology: Cosmology | None = None,
               settings: QKESettings | None = None) -> QKEEvolution:
    """Integrate the QKE and return the final density matrices with the relic result.

    Parameters and exceptions as :func:`solve_qke`. With an automatic
    temperature range, the integration continues below t_low (by factors of
    3) while production at the end has not stopped, and restarts from a 3
    times higher t_high if it had not been negligible there (the rule of
    :mod:`qke.solvers.core`).
    """
    start = time.perf_counter()
    if not isinstance(model, Model):
        raise QKEInputError(f"model: expected a qke Model, got {type(model).__name__}")
    cosmology = cosmology or StandardCosmology()
    given = settings or QKESettings()
    s = resolve_qke_settings(model, given)
    y_full, y, anti, weights = _bins(model, s)
    system = _System(model, cosmology, y, anti, weights, s.repopulation)
    run, s, totals = _run_with_restarts(system, s, given)
    core.warn_below_decoupling(s.t_low)
    f_nu, f_nubar = _spectra(run, s.n_bins)
    f_s = 0.5 * (f_nu + f_nubar)
    num = simpson(y_full**2 * f_s, y_full)
    if not num > 0:
        raise SolverError(f"QKE: no sterile neutrinos produced between T = {format_energy(s.t_high)} and "
                          f"{format_energy(s.t_low)} (z = {z_of(s.t_high):.3g} to {z_of(s.t_low):.3g}); "
                          "cause: vanishing production rate")
    yield_ = yield_from_spectrum(y_full, f_s, cosmology.g_s_ref)
    cut_hi, cut_lo = run.edge_fractions()
    cut_y = float(s.y_max * y_full[-1] ** 2 * f_s[-1] / num)
    kernel = system.kernel
    diag = QKEDiagnostics(n_bins=s.n_bins, species=2 if model.asymmetric else 1, y_max=s.y_max,
                          t_high=s.t_high, t_low=s.t_low, cut_hi=cut_hi, cut_lo=cut_lo, cut_y=cut_y,
                          self_interaction=None if kernel is None else kernel.description)
    if max(cut_hi, cut_lo) > core.edge_tolerance() or cut_y > 1e-4:
        log.warning("QKE: production not contained in the range (edge fractions per e-fold: "
                    "high T %.2g, low T %.2g, y_max %.2g)", cut_hi, cut_lo, cut_y)
    temperature, dy, gs_over_h, production, lepton_asymmetry = _history(run, s.n_bins)
    if lepton_asymmetry is not None and abs(lepton_asymmetry[-1] / lepton_asymmetry[0] - 1.0) > 0.05:
        log.warning("QKE: %.0f %% of the lepton asymmetry was converted: point bins miss the feedback of the "
                    "conversion on the resonance's sweep rate (the resonance is far narrower in momentum than a "
                    "bin), so Omega is overestimated (~10 %% at 20 %% converted, falling ~1 %% per doubling of "
                    "bins); the rate equation is the reference", 100 * abs(lepton_asymmetry[-1] / lepton_asymmetry[0] - 1.0))
    stats = QKEStats(**totals, jacobian_evaluations=system.n_jac, rhs_evaluations=system.n_rhs,
                     kernel_evaluations=system.n_kernel, wall_time_s=time.perf_counter() - start)
    asym = model.asymmetric
    result = RelicResult(
        method="qke", model=model, cosmology=cosmology.name, y=y_full, f_s=f_s,
        f_nu=f_nu if asym else None, f_nubar=f_nubar if asym else None, lepton_asymmetry=lepton_asymmetry,
        temperature=temperature, dY_dlnT=dy, yield_=float(yield_),
        omega_h2=float(core.omega_h2_from_yield(yield_, model.m4)),
        mean_p_over_T=float(simpson(y_full**3 * f_s, y_full) / num), settings=s, diagnostics=diag, stats=stats,
        production=production, t_nu_over_t=np.asarray(cosmology.t_nu_over_t(temperature), dtype=float))
    log.debug("QKE: %d steps (%d rejected), %.3f s", stats.steps, stats.rejected_steps, stats.wall_time_s)
    st_end = system.coefficients([run.u])
    gs_end = system.gamma_s(st_end, system.kernel_matrices(st_end), run.state[:, 1])
    return QKEEvolution(
        result=result, y=y_full[1:], state=run.state, initial_state=run.initial_state,
        gamma_s=np.broadcast_to(gs_end[0], (1, y.size))[0].copy(),
        history_temperature=temperature, history_gamma_s_over_h=gs_over_h, min_f22=run.min_f22)


def solve_qke(model: Model, cosmology: Cosmology | None = None, settings: QKESettings | None = None) -> RelicResult:
    """Solve the density-matrix equations and return the relic abundance.

    Parameters
    ----------
    model : qke.models.Model
        Physics model (m4 [GeV], sin^2 2theta, flavour, rates, potentials,
        optional sterile self-interaction). A nu/nubar-asymmetric model gets
        separate nu and nubar density matrices.
    cosmology : qke.cosmology.Cosmology, optional
        Default :class:`~qke.cosmology.StandardCosmology` (varying g*).
    settings : QKESettings, optional
        Numerical settings (200 bins, automatic temperature range by default).

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
        Bad settings.
    SolverError
        Non-finite model input, step-size underflow or step budget exhausted;
        the message names T, z = 1 MeV/T, the momentum bin and the cause.

    Examples
    --------
    >>> from qke.models import get_model
    >>> res = solve_qke(get_model("sm", m4=7.1e-6, sin2_2theta=2e-9, flavor="mu"))
    >>> 0.05 < res.omega_h2 < 1.0
    True
    """
    return evolve_qke(model, cosmology, settings).result
