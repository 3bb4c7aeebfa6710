r"""Complex scalar mediator phi coupled to the active neutrino (PRL model).

de Gouvea, Sen, Tangarife & Zhang, PRL 124 (2020) 081802 [arXiv:1910.04901]:
L ⊃ (lam_phi/2) nu_a nu_a phi + h.c., phi complex with mass m_phi, nu_a the
active flavour that mixes with the sterile state (SPEC §2).

What the model adds to the Standard Model (:class:`~qke.models.sm.StandardModel`,
whose ``rate`` and ``potential`` options stay available):

Collision rate
    Gamma_a = Gamma_SM + Gamma_phi(E, T; m_phi, lam, Gamma_m), the thermal average
    of sigma(nu nu -> nu nu) + sigma(nu nubar -> nu nubar) at any m_phi/T from
    :func:`qke.physics.mediator_rates.get_rate_table` (one table in
    w = m_phi^2/(4 E T), built once per process and convention; the s-channel pole
    in closed form with the width of the model, Gamma_m = lam^2 m_phi/(32 pi) for
    phi -> nu nu, :meth:`ScalarMediatorModel.mediator_width`). Limits
    (``derivations/out/thermal_rates.md``):

    - heavy, m_phi^2 >> E T: Gamma_phi = 7 pi lam^4 E T^4/(864 m_phi^4)
      (derived; the PRL's eq. 5 gives 2 x 7 pi lam^4 E T^4/(1440 m_phi^4), 6/5 of it);
    - light, m_phi << T (decay / inverse decay):
      Gamma_phi = lam^2 T^2 w ln(1 + e^-w)/(2 pi E), w = m_phi^2/(4 E T)
      (derived; PRL eq. 6 as printed in the ``seed`` convention).

Thermal potential
    V = V_SM + lam^2 T G(E/T, m_phi/T)
    (:func:`qke.physics.potentials.mediator_potential`, PRL eq. 7 with the
    derived sign: -7 pi^2 lam^2 E T^4/(90 m_phi^4) for m_phi >> T,
    +lam^2 T^2/(16 E) for m_phi << T, sign change near m_phi/T ≈ 3 at E = T).

Conventions (SPEC §8, ``convention=``)
    ``derived`` (default): Moller velocity, Fermi-Dirac partners, first-order
    finite-width correction, the physical sign of the potential.
    ``seed``: the PRL's printed rates (eq. 5 and 6 with the charge-conjugate
    counting), to reproduce the published figures. The potential keeps the
    physical sign: eq. 7's printed overall sign contradicts the PRL's own
    limits, and with it Fig. 2 has no S-curve at all (a single rising branch),
    so the published curves used the physical sign (the literal form is
    ``mediator_potential(..., convention="printed")``). The convention changes only the phi parts; the Standard-Model rate
    and potential follow ``rate=`` and ``potential=`` as in the ``sm`` model.

Mediator in the expansion (``mediator_in_expansion=True``; the PRL does not include it)
    H gets rho_phi(T) = F(T) rho_BE(m_phi, T_nu; g = 2), the Bose-Einstein energy
    density of a complex scalar (two states, with its mass, so that the
    non-relativistic fall-off is automatic) at the neutrino temperature
    T_nu (= T above 2 MeV, T (g*s(T)/g*s(2 MeV))^{1/3} below: instantaneous
    decoupling, :func:`neutrino_temperature`), times the fraction F of its
    equilibrium population reached by inverse decays nu nu -> phi (the criterion
    "in equilibrium"):

        F = 1 - exp(-R/3),   R = Gamma_m <m_phi/E_phi> / H_SM(T),   <m/E> = K1(m/T_nu)/K2(m/T_nu).

    R is the relaxation rate of the phi population (thermally averaged decay
    rate, equal to the inverse-decay rate per phi by detailed balance; Kolb &
    Turner, The Early Universe, §5.6) over the Standard-Model Hubble rate;
    for a relativistic phi R ∝ T^-3, and integrating dn/dt = Gamma <m/E> (n_eq - n)
    from n = 0 gives n/n_eq = 1 - exp(-R/3). So F = 1 (rho_phi = rho_eq) once
    inverse decays are faster than the expansion (R >> 1) and F ≈ R/3 before
    (freeze-in). The O(lam^4) process nu nu -> phi phi is neglected (smaller by
    ~lam^2 for lam < 1), as is the heating of the neutrinos by phi decays once phi
    turns non-relativistic (the decay products stay in the neutrino bath, so
    they are counted in the SM g* only approximately). In the PRL's plane
    (lam >= 1e-6, 1 MeV <= m_phi <= 10 GeV) F > 0.98 for T <= 3 m_phi everywhere
    (F = 0.11 at T = 10 m_phi only in the corner lam = 1e-6, m_phi = 10 GeV):
    phi is in equilibrium while it carries energy density.

Delta N_eff
    :meth:`ScalarMediatorModel.delta_n_eff` (and :func:`delta_n_eff_thermal_scalar`)
    reports the extra radiation of a thermal phi at T = 1 MeV, where BBN is judged:

        Delta N_eff = rho_phi / rho_nu(one flavour, nu + nubar),  rho_nu = (7/8)(pi^2/15) T_nu^4
                    = (8/7)(T_gamma/T_nu)^4 rho_phi/rho_gamma
                    = (8/7)(11/4)^{4/3} rho_phi/rho_gamma  after e+e- annihilation,

    assuming phi in equilibrium with the neutrinos at T_nu (T_nu ≈ T_gamma at
    1 MeV, as e+e- annihilation begins; :func:`neutrino_temperature`). For m_phi << 1 MeV this is 8/7 ≈ 1.14
    (g_phi = 2 bosonic states against 2 x 7/8 fermionic ones); a massive phi gives
    (120/(7 pi^4)) J_B(m_phi/T_nu) (:func:`qke.physics.plasma.energy_integral_j_boson`).

Production temperature
    :meth:`ScalarMediatorModel.production_temperature` places the solvers'
    automatic range [T_est/40, 15 T_est] (:mod:`qke.solvers.core`) from the
    resonance-free production envelope
    P(T) = <(Gamma/H) Delta^2 / (Delta^2 + Gamma^2/4 + V^2)>_x per ln T, averaged over
    the active spectrum (8-node Gauss-Laguerre in x = E/T) on 30 temperatures per
    decade from 0.1 MeV (z = 10, the end of the PRL's integration) to 1 TeV.
    With T_1/2 its median and T_q, T_(1-q) its q = 1e-5 quantiles (in ln T), all
    relative to the same quantities of the Standard-Model envelope (ratios
    r_med, r_bot, r_top; the SM's own Dodelson-Widrow estimate T_DW is the reference):

        T_est = T_DW x clip(r_med, L, U),   L = r_top / max(1, M_hi),   U = r_bot x max(1, M_lo),
        M_hi = 15 T_DW / T_(1-q)(SM),   M_lo = 40 T_q(SM) / T_DW

    (geometric mean of L and U if L > U). That is: the production epoch moves
    with the median, but not so far that the automatic range would cut the tails
    of a production spread over two epochs (e.g. a DW peak at ~150 MeV plus phi
    decays at ~m_phi/4: without the clip the range would have to be widened up to
    three times, each costing a full solve). It is continuous in (m_phi, lam) and
    equals the ``sm`` model's estimate exactly as lam -> 0 (all ratios 1), so that a
    vanishing coupling reproduces plain Dodelson-Widrow on the same grid. The MSW
    resonance is left out of the envelope on purpose (its sampled spike would
    dominate a coarse median; the resonance sits where the envelope peaks
    anyway). The solvers still widen the range while production continues at its ends.

Validity: the narrow-width treatment of the pole has a relative error
O((Gamma_m/m_phi)^2) = O((lam^2/(32 pi))^2): < 2e-4 for lam <= 1, ~1e-2 at
lam ~ 3 (a warning is logged above lam = 3); see :mod:`qke.physics.mediator_rates`.
"""
from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from scipy.special import expit, k1e, kve

from ..errors import QKEInputError
from ..physics.mediator_rates import get_rate_table, mediator_width
from ..physics.plasma import boson_energy_density, energy_integral_j_boson
from ..physics.potentials import mediator_potential
from ..solvers import core
from .base import _check_number, energy_field, register
from .sm import StandardModel

log = logging.getLogger(__name__)

__all__ = ["ScalarMediatorModel", "CONVENTIONS", "delta_n_eff_thermal_scalar", "neutrino_temperature"]

#: Conventions of the phi rate and potential (SPEC §8).
CONVENTIONS = ("derived", "seed")
#: Accepted mediator masses [GeV]: 1 eV to 10 TeV.
M_PHI_MIN, M_PHI_MAX = 1e-9, 1e4
#: Largest coupling (perturbativity).
COUPLING_MAX = 4.0 * math.pi
#: Above this coupling Gamma_m/m_phi > 0.09 and the narrow-width rate errs by ~1e-2: warn.
COUPLING_WARN = 3.0
#: Internal states of a complex scalar (phi and phi*).
G_PHI = 2
#: Temperature at which BBN is judged [GeV].
T_BBN = 1e-3
#: Active-neutrino decoupling temperature [GeV] (instantaneous; as the solvers' T_DECOUPLING).
T_NU_DECOUPLING = 2e-3

#: Temperatures [GeV] of the production-epoch estimate: 0.1 MeV to 1 TeV, 30 per decade.
_EST_T = np.geomspace(1e-4, 1e3, 7 * 30 + 1)
#: Gauss-Laguerre nodes/weights for <...>_x = int x^2 f_FD(x) (...) dx = int e^-x [x^2 expit(x) (...)] dx.
_EST_X, _EST_WX = np.polynomial.laguerre.laggauss(8)
_EST_WEIGHT = _EST_WX * _EST_X**2 * expit(_EST_X)
#: Tail fraction q of the envelope that the automatic range should include at each end
#: (a T^-9 or T^3 tail beyond T_q puts ~3-9 q per e-fold at the end: below the solvers'
#: edge tolerance 0.3 x 3e-4).
_EST_TAIL = 1e-5


@lru_cache(maxsize=1)
def _standard_cosmology():
    from ..cosmology import StandardCosmology

    return StandardCosmology()


def neutrino_temperature(temperature):
    """Temperature of the active neutrinos [GeV] at plasma temperature ``temperature`` [GeV].

    Instantaneous decoupling at T_dec = 2 MeV (:data:`qke.solvers.core.T_DECOUPLING`):
    T_nu = T above T_dec, and T_nu = T (g*s(T)/g*s(T_dec))^{1/3} below (Standard-Model
    g*s), so that e+e- annihilation heats the photons only (T_nu/T -> (4/11)^{1/3}).
    """
    t = np.asarray(temperature, dtype=float)
    cosmo = _standard_cosmology()
    ratio = np.cbrt(cosmo.g_star_s(t) / cosmo.g_star_s(T_NU_DECOUPLING))
    return t * np.where(t >= T_NU_DECOUPLING, 1.0, np.minimum(1.0, ratio))


def delta_n_eff_thermal_scalar(m_phi, temperature=T_BBN, g=G_PHI):
    """Delta N_eff of a thermal (equilibrium) scalar of mass ``m_phi`` [GeV] at ``temperature`` [GeV].

    Delta N_eff = rho_phi(T_nu)/rho_nu1(T_nu), rho_nu1 = (7/8)(pi^2/15) T_nu^4 (one
    neutrino flavour, nu + nubar), rho_phi = g/(2 pi^2) T_nu^4 J_B(m_phi/T_nu):

        Delta N_eff = (g/2) (120/(7 pi^4)) J_B(m_phi/T_nu)  ->  (8/7)(g/2) for m_phi << T_nu,

    i.e. (8/7)(T_gamma/T_nu)^4 rho_phi/rho_gamma, = (8/7)(11/4)^{4/3} rho_phi/rho_gamma
    once T_nu/T_gamma = (4/11)^{1/3}. Assumes phi in equilibrium with the neutrinos,
    at T_nu (:func:`neutrino_temperature`; T_nu/T = 0.995 at 1 MeV).

    Parameters
    ----------
    m_phi : array_like
        Mediator mass [GeV].
    temperature : float
        Photon temperature [GeV] (default 1 MeV).
    g : int
        Internal states (2 for a complex scalar).

    Returns
    -------
    ndarray
        Delta N_eff [dimensionless].
    """
    t_nu = neutrino_temperature(temperature)
    return (g / 2.0) * 120.0 / (7.0 * math.pi**4) * energy_integral_j_boson(np.asarray(m_phi, float) / t_nu)


@register("scalar")
@dataclass(frozen=True)
class ScalarMediatorModel(StandardModel):
    """Active neutrino with a complex scalar mediator phi (PRL 124 (2020) 081802); module docstring.

    Parameters
    ----------
    m4, sin2_2theta, flavor, rate, potential
        See :class:`qke.models.sm.StandardModel` (SM rate and potential options).
    m_phi : float
        Mediator mass [GeV] (with a unit on command lines: ``-P m_phi=10MeV``), in [1 eV, 10 TeV].
    coupling : float
        lam_phi in (0, 4 pi] (L ⊃ (lam_phi/2) nu_a nu_a phi + h.c.).
    convention : {'derived', 'seed'}
        Phi rate and potential: derived physics (default) or the PRL's printed forms.
    mediator_in_expansion : bool
        Add the energy density of a thermal phi to H (default False, as the PRL).

    Examples
    --------
    >>> m = ScalarMediatorModel(m4=7.1e-6, sin2_2theta=7e-11, m_phi=0.01, coupling=1e-3)
    >>> bool(m.collision_rate(0.3, 0.1) > StandardModel(m4=7.1e-6).collision_rate(0.3, 0.1))
    True
    """

    m_phi: float = energy_field(10e-3, "mass of the complex scalar mediator phi")
    coupling: float = 1e-3
    convention: str = "derived"
    mediator_in_expansion: bool = False

    def __post_init__(self):
        # the phi parameters first: the base class calls production_temperature(), which uses them
        _check_number("m_phi", self.m_phi, M_PHI_MIN, M_PHI_MAX, lo_open=False, unit=" GeV")
        _check_number("coupling", self.coupling, 0.0, COUPLING_MAX)
        if not isinstance(self.convention, str) or self.convention not in CONVENTIONS:
            raise QKEInputError(f"convention: unknown convention {self.convention!r}; "
                                f"allowed: {', '.join(CONVENTIONS)}")
        if not isinstance(self.mediator_in_expansion, (bool, np.bool_)):
            raise QKEInputError(f"mediator_in_expansion: must be true or false, got {self.mediator_in_expansion!r}")
        super().__post_init__()
        if self.coupling > COUPLING_WARN:
            log.warning("coupling: lam = %.3g gives Gamma_phi/m_phi = %.3g; the narrow-width rate "
                        "is accurate to ~(Gamma_phi/m_phi)^2 only", self.coupling,
                        self.coupling**2 / (32 * math.pi))

    # --- phi pieces -----------------------------------------------------------
    @property
    def rate_table(self):
        """The shared :class:`~qke.physics.mediator_rates.MediatorRateTable` of this convention."""
        return get_rate_table("scalar", self.convention)

    def mediator_width(self) -> float:
        """Width of phi [GeV]: phi -> nu_a nu_a, lam^2 m_phi/(32 pi) (generated ``width_scalar_to_nunu``)."""
        return float(mediator_width(self.m_phi, self.coupling, "scalar"))

    def phi_rate(self, energy, temperature):
        """The phi-mediated part of Gamma_a [GeV] (off-shell table + on-shell pole, this convention)."""
        return self.rate_table(energy, temperature, self.m_phi, self.coupling, self.mediator_width())

    def phi_potential(self, energy, temperature):
        """The phi part of V_T [GeV]: lam^2 T G(E/T, m_phi/T) (sign of this convention)."""
        return mediator_potential(energy, temperature, self.m_phi, self.coupling, kind="scalar",
                                  convention=self.convention)

    # --- model hooks ----------------------------------------------------------
    def collision_rate(self, energy, temperature):
        """Gamma_SM + Gamma_phi [GeV]; see the module docstring."""
        return super().collision_rate(energy, temperature) + self.phi_rate(energy, temperature)

    def thermal_potential(self, energy, temperature):
        """V_SM + V_phi [GeV]; see the module docstring."""
        return super().thermal_potential(energy, temperature) + self.phi_potential(energy, temperature)

    def equilibrium_fraction(self, temperature):
        """F = 1 - exp(-R/3): fraction of its equilibrium population phi has reached by inverse decays.

        R = Gamma_m <m/E> / H_SM(T) with <m/E> = K1(r)/K2(r), r = m_phi/T_nu (module docstring).
        """
        t = np.asarray(temperature, dtype=float)
        r = self.m_phi / neutrino_temperature(t)
        time_dilation = k1e(r) / kve(2, r)
        hubble = _standard_cosmology().hubble(t)
        ratio = self.mediator_width() * time_dilation / hubble
        return -np.expm1(-ratio / 3.0)

    def mediator_energy_density(self, temperature, thermal: bool = False):
        """Energy density of phi [GeV^4] at plasma temperature ``temperature`` [GeV].

        rho_BE(m_phi, T_nu; g = 2) times :meth:`equilibrium_fraction` (``thermal=True``:
        the full equilibrium density).
        """
        t = np.asarray(temperature, dtype=float)
        rho = boson_energy_density(self.m_phi, neutrino_temperature(t), G_PHI)
        return rho if thermal else rho * self.equilibrium_fraction(t)

    def extra_energy_density(self, temperature):
        """rho_phi added to H when ``mediator_in_expansion`` [GeV^4]; None otherwise."""
        if not self.mediator_in_expansion:
            return None
        return self.mediator_energy_density(temperature)

    def delta_n_eff(self, temperature: float = T_BBN, thermal: bool = True) -> float:
        """Delta N_eff of phi at ``temperature`` [GeV] (default 1 MeV, where BBN is judged).

        ``thermal=True`` (default): phi in equilibrium with the neutrinos at T_nu
        (:func:`delta_n_eff_thermal_scalar`); ``False``: times :meth:`equilibrium_fraction`.
        """
        dn = float(delta_n_eff_thermal_scalar(self.m_phi, temperature))
        return dn if thermal else dn * float(self.equilibrium_fraction(temperature))

    # --- production epoch -----------------------------------------------------
    @cached_property
    def _production_estimate(self) -> float:
        sm = _sm_production_envelope(self.m4, self.flavor, self.rate, self.potential)
        t, e = sm.temperature, sm.energy
        gamma = sm.gamma + self.phi_rate(e, t)
        v = sm.potential + self.phi_potential(e, t)
        q = _quantile_temperatures(_envelope(self.m4, e, gamma, v, sm.hubble))
        if q is None:
            raise QKEInputError(f"m_phi: no production found for m_phi = {self.m_phi:.4g} GeV, "
                                f"coupling = {self.coupling:.4g}")
        (bot, med, top), (bot0, med0, top0) = q, sm.quantiles
        lower = (top / top0) / max(1.0, core.RANGE_HIGH * sm.t_dw / top0)
        upper = (bot / bot0) * max(1.0, core.RANGE_LOW * bot0 / sm.t_dw)
        ratio = math.sqrt(lower * upper) if lower > upper else min(max(med / med0, lower), upper)
        return sm.t_dw * ratio

    def production_temperature(self) -> float:
        """Estimate of the production epoch [GeV] that places the solvers' automatic range.

        The Dodelson-Widrow estimate moved with the median of the production envelope,
        clipped so that the range covers its tails (module docstring); cached per
        instance. The Standard-Model part of the envelope is cached per (m4, flavor,
        rate, potential), so a scan over (m_phi, lam) costs one evaluation of the phi
        rate and potential on 211 x 8 points per point.
        """
        return self._production_estimate


@dataclass(frozen=True)
class _SMEnvelope:
    temperature: np.ndarray   # (n_T, 1) [GeV]
    energy: np.ndarray        # (n_T, n_x) [GeV]
    gamma: np.ndarray         # Gamma_SM [GeV]
    potential: np.ndarray     # V_SM [GeV]
    hubble: np.ndarray        # H_SM (n_T,) [GeV]
    quantiles: tuple          # (T_q, T_1/2, T_(1-q)) of the SM envelope [GeV]
    t_dw: float               # the 'sm' model's production_temperature() [GeV]


def _envelope(m4, energy, gamma, v, hubble):
    """Resonance-free production per ln T, <(Gamma/H) Delta^2/(Delta^2 + Gamma^2/4 + V^2)>_x (n_T,)."""
    d2 = (m4**2 / (2.0 * energy)) ** 2
    with np.errstate(over="ignore", under="ignore"):
        rate = gamma * d2 / (d2 + 0.25 * gamma**2 + v**2)
    return (rate @ _EST_WEIGHT) / hubble


def _quantile_temperatures(per_lnt, q=_EST_TAIL):
    """(T_q, T_1/2, T_(1-q)) [GeV] in ln T (trapezoid on :data:`_EST_T`) of a production history; None if empty."""
    lnt = np.log(_EST_T)
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (per_lnt[1:] + per_lnt[:-1]) * np.diff(lnt))])
    if not (np.isfinite(cum[-1]) and cum[-1] > 0):
        return None
    return tuple(float(np.exp(np.interp(f * cum[-1], cum, lnt))) for f in (q, 0.5, 1.0 - q))


@lru_cache(maxsize=64)
def _sm_production_envelope(m4, flavor, rate, potential) -> _SMEnvelope:
    """The Standard-Model parts of the production estimate (independent of m_phi, lam, convention)."""
    sm = StandardModel(m4=m4, flavor=flavor, rate=rate, potential=potential)
    t = _EST_T[:, None]
    e = _EST_X[None, :] * t
    gamma = sm.collision_rate(e, t)
    v = sm.thermal_potential(e, t)
    hubble = _standard_cosmology().hubble(_EST_T)
    for a in (gamma, v, hubble):
        a.setflags(write=False)
    quantiles = _quantile_temperatures(_envelope(m4, e, gamma, v, hubble))
    return _SMEnvelope(t, e, gamma, v, hubble, quantiles, sm.production_temperature())
