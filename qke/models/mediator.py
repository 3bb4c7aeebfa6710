r"""Common base of the mediator models: a new boson coupled to the active neutrino.

:class:`MediatorModel` is what the complex scalar (``scalar``, PRL 124 (2020) 081802)
and the vector models (``vector-nu``, ``vector-lmu-ltau``, ``vector-b-l``, PRD 101
(2020) 115031) share. A subclass declares its mass field (``MASS_FIELD``, e.g.
``m_phi`` or ``m_v``, an :func:`~qke.models.base.energy_field`), its number of
internal states and implements three hooks:

- :meth:`MediatorModel.mediator_rate`: the mediator's part of Gamma_a [GeV];
- :meth:`MediatorModel.mediator_potential`: its part of V_T [GeV];
- :meth:`MediatorModel.mediator_width`: its total width [GeV].

and, for the parts of the rate that depend on E and T only through w = m^2/(4ET) (the
mediator's own off-shell rate, width correction and pole; the plasma's Weyl partners and
annihilation channels at fixed m), :meth:`MediatorModel.reduced_terms` (those parts as
:class:`~qke.physics.reduced_rate.ReducedRate` tables shared by every coupling, with this
instance's coefficients; :meth:`MediatorModel.reduced_rate` sums them once per instance, ~0.1 ms)
and :meth:`MediatorModel.exact_w_rate` (the same computed directly); :meth:`MediatorModel.w_rate`
then evaluates them with one cell lookup and two cubics per point (< 5e-9 relative). A
subclass whose rate has a part exactly proportional to coupling^4 beyond these (the vector's
scattering on the charged plasma) returns it from :meth:`MediatorModel.scattering_rate`.

The base class then provides, identically for every mediator:

Parameters and validation
    ``coupling`` in (0, 4 pi], ``convention`` in ('derived', 'seed') (SPEC §8),
    ``mediator_in_expansion`` (bool), the mass in [1 eV, 10 TeV]; each error is one
    :class:`~qke.errors.QKEInputError` line naming the parameter. A warning is logged when
    Gamma/m > 0.09 (the narrow-width rate is then accurate to ~(Gamma/m)^2 only).

Collision rate and potential
    Gamma_a = Gamma_SM + mediator_rate, V_T = V_SM + mediator_potential (the ``sm``
    model's ``rate=`` and ``potential=`` options stay available).

Mediator in the expansion (``mediator_in_expansion=True``; the papers do not include it)
    H gets rho_X(T) = F(T) rho_BE(m, T_bath; g), the Bose-Einstein energy density of the
    mediator's g internal states (2 for a complex scalar, 3 for a massive vector) at the
    temperature of the bath it couples to (:meth:`MediatorModel.bath_temperature`: the
    neutrino temperature T_nu, :func:`neutrino_temperature`, for neutrinophilic
    mediators; T itself when it couples to electrons), times the fraction F of its
    equilibrium population reached by inverse decays:

        F = 1 - exp(-R/3),   R = Gamma <m/E> / H_SM(T),   <m/E> = K1(m/T_bath)/K2(m/T_bath).

    R is the relaxation rate of the mediator population (thermally averaged total decay
    rate, equal to the inverse-decay rate per particle by detailed balance; Kolb & Turner,
    The Early Universe, §5.6) over the Standard-Model Hubble rate; for a relativistic
    mediator R ∝ T^-3, and integrating dn/dt = Gamma <m/E> (n_eq - n) from n = 0 gives
    n/n_eq = 1 - exp(-R/3). Pair production (O(coupling^4)) and the heating of the bath by
    the decays of a non-relativistic mediator are neglected.

Delta N_eff
    :meth:`MediatorModel.delta_n_eff` (and :func:`delta_n_eff_thermal`) at T = 1 MeV:
    Delta N_eff = rho_X/rho_nu(one flavour, nu + nubar) = (g/2)(120/(7 pi^4)) J_B(m/T_nu),
    (8/7)(g/2) for a massless mediator (8/7 complex scalar, 12/7 massive vector).

Production temperature
    :meth:`MediatorModel.production_temperature` places the solvers' automatic range
    [T_est/40, 15 T_est] (:mod:`qke.solvers.core`) from the resonance-free production
    envelope P(T) = <(Gamma/H) Delta^2 / (Delta^2 + Gamma^2/4 + V^2)>_x per ln T, averaged
    over the active spectrum (8-node Gauss-Laguerre in x = E/T) on 30 temperatures per
    decade from 0.1 MeV to 1 TeV. With T_1/2 its median and T_q, T_(1-q) its q = 1e-5
    quantiles (in ln T), all relative to the same quantities of the Standard-Model envelope
    (ratios r_med, r_bot, r_top; the SM's own Dodelson-Widrow estimate T_DW is the reference):

        T_est = T_DW x clip(r_med, L, U),   L = r_top / max(1, M_hi),   U = r_bot x max(1, M_lo),
        M_hi = 15 T_DW / T_(1-q)(SM),   M_lo = 40 T_q(SM) / T_DW

    (geometric mean of L and U if L > U): the production epoch moves with the median, but
    not so far that the automatic range would cut the tails of a production spread over two
    epochs. It is continuous in (m, coupling) and equals the ``sm`` model's estimate exactly
    as the coupling vanishes, so that plain Dodelson-Widrow is reproduced on the same grid.
    The Standard-Model part is cached per (m4, flavor, rate, potential), and the mediator's
    parts that scale exactly with a power of the coupling c (potential c^2, plasma scattering
    c^4, width c^2) per mass (:class:`_UnitParts`, at c = 1): a point of a scan over the coupling
    evaluates only the table in w of its instance on the 211 x 8 points.
"""
from __future__ import annotations

import logging
import math
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache

import numpy as np
from scipy.special import expit, k1e, kve

from ..errors import QKEInputError
from ..physics.mediator_rates import qcd_fraction
from ..physics.plasma import boson_energy_density, energy_integral_j_boson
from ..physics.reduced_rate import ReducedRate
from ..solvers import core
from .base import _check_number
from .sm import StandardModel

log = logging.getLogger(__name__)

__all__ = ["MediatorModel", "CONVENTIONS", "delta_n_eff_thermal", "neutrino_temperature"]

#: Conventions of the mediator rate and potential (SPEC §8).
CONVENTIONS = ("derived", "seed")
#: Accepted mediator masses [GeV]: 1 eV to 10 TeV.
MASS_MIN, MASS_MAX = 1e-9, 1e4
#: Largest coupling (perturbativity).
COUPLING_MAX = 4.0 * math.pi
#: Above this Gamma/m the narrow-width rate errs by ~1e-2: warn (Gamma/m of the scalar at lam = 3).
WIDTH_OVER_MASS_WARN = 9.0 / (32.0 * math.pi)
#: Temperature at which BBN is judged [GeV].
T_BBN = 1e-3
#: Active-neutrino decoupling temperature [GeV] (instantaneous; as the solvers' T_DECOUPLING).
T_NU_DECOUPLING = 2e-3

#: Temperatures [GeV] of the production-epoch estimate: 0.1 MeV to 1 TeV, 30 per decade.
_EST_T = np.geomspace(1e-4, 1e3, 7 * 30 + 1)
_EST_LNT = np.log(_EST_T)
_EST_DLNT = np.diff(_EST_LNT)
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


def delta_n_eff_thermal(mass, temperature=T_BBN, g=2):
    """Delta N_eff of a thermal (equilibrium) boson of mass ``mass`` [GeV] at ``temperature`` [GeV].

    Delta N_eff = rho_X(T_nu)/rho_nu1(T_nu), rho_nu1 = (7/8)(pi^2/15) T_nu^4 (one
    neutrino flavour, nu + nubar), rho_X = g/(2 pi^2) T_nu^4 J_B(m/T_nu):

        Delta N_eff = (g/2) (120/(7 pi^4)) J_B(m/T_nu)  ->  (8/7)(g/2) for m << T_nu,

    i.e. (8/7)(T_gamma/T_nu)^4 rho_X/rho_gamma, = (8/7)(11/4)^{4/3} rho_X/rho_gamma
    once T_nu/T_gamma = (4/11)^{1/3}. Assumes the boson in equilibrium with the neutrinos,
    at T_nu (:func:`neutrino_temperature`; T_nu/T = 0.995 at 1 MeV).

    Parameters
    ----------
    mass : array_like
        Mediator mass [GeV].
    temperature : float
        Photon temperature [GeV] (default 1 MeV).
    g : int
        Internal states (2 for a complex scalar, 3 for a massive vector).

    Returns
    -------
    ndarray
        Delta N_eff [dimensionless].
    """
    t_nu = neutrino_temperature(temperature)
    return (g / 2.0) * 120.0 / (7.0 * math.pi**4) * energy_integral_j_boson(np.asarray(mass, float) / t_nu)


@dataclass(frozen=True)
class MediatorModel(StandardModel):
    """Standard Model plus a boson mediator coupled to the active neutrino (module docstring).

    Parameters
    ----------
    m4, sin2_2theta, flavor, rate, potential
        See :class:`qke.models.sm.StandardModel`.
    coupling : float
        Coupling of the mediator, in (0, 4 pi].
    convention : {'derived', 'seed'}
        Mediator rate and potential: derived physics (default) or the papers' printed forms.
    mediator_in_expansion : bool
        Add the energy density of a thermal mediator to H (default False, as the papers).

    Subclasses add their mass field (named by ``MASS_FIELD``) and implement
    :meth:`mediator_rate`, :meth:`mediator_potential` and :meth:`mediator_width`.
    """

    coupling: float = 1e-3
    convention: str = "derived"
    mediator_in_expansion: bool = False

    #: Name of the mass field of the subclass.
    MASS_FIELD = "m"
    #: Internal states of the mediator (energy density, Delta N_eff).
    MEDIATOR_STATES = 2

    # --- parameters -------------------------------------------------------------
    @property
    def mediator_mass(self) -> float:
        """Mass of the mediator [GeV] (the field named by ``MASS_FIELD``)."""
        return getattr(self, self.MASS_FIELD)

    def __post_init__(self):
        # the mediator parameters first: the base class calls production_temperature(), which uses them
        _check_number(self.MASS_FIELD, self.mediator_mass, MASS_MIN, MASS_MAX, lo_open=False, unit=" GeV")
        _check_number("coupling", self.coupling, 0.0, COUPLING_MAX)
        if not isinstance(self.convention, str) or self.convention not in CONVENTIONS:
            raise QKEInputError(f"convention: unknown convention {self.convention!r}; "
                                f"allowed: {', '.join(CONVENTIONS)}")
        if not isinstance(self.mediator_in_expansion, (bool, np.bool_)):
            raise QKEInputError(f"mediator_in_expansion: must be true or false, got {self.mediator_in_expansion!r}")
        self._check_mediator()
        super().__post_init__()
        ratio = self._width / self.mediator_mass
        if ratio > WIDTH_OVER_MASS_WARN:
            log.warning("coupling: %.3g gives Gamma/m = %.3g for the %s mediator; the narrow-width rate "
                        "is accurate to ~(Gamma/m)^2 only", self.coupling, ratio, self.name)

    def _check_mediator(self):
        """Further checks of a subclass (before the production estimate); default none."""

    # --- hooks of the subclasses ----------------------------------------------------
    def mediator_rate(self, energy, temperature):
        """The mediator's part of Gamma_a [GeV]."""
        raise NotImplementedError

    def mediator_potential(self, energy, temperature):
        """The mediator's part of V_T [GeV]."""
        raise NotImplementedError

    def mediator_width(self) -> float:
        """Total width of the mediator [GeV]."""
        raise NotImplementedError

    # --- the part of the rate that depends on w = m^2/(4ET) alone ----------------------
    def reduced_terms(self):
        """(main, quarks): the parts of :meth:`mediator_rate` that depend on E and T only through
        w = m^2/(4ET), as terms ((R_k, c_k), ...) of :class:`~qke.physics.reduced_rate.ReducedRate`
        parts shared by every coupling (rate tables, plasma slices) and this instance's coefficients:
        Gamma = (T^2/E) [sum_main c_k R_k(w) + qcd_fraction(T) sum_quarks c_k R_k(w)] (no quark terms:
        an empty tuple)."""
        raise NotImplementedError

    def reduced_rate(self):
        """(R, R_qcd): the sums of :meth:`reduced_terms` (R_qcd None without quark terms), built once per
        instance for :meth:`w_rate`."""
        main, quarks = self.reduced_terms()
        return ReducedRate.sum(main), ReducedRate.sum(quarks) if quarks else None

    def exact_w_rate(self, energy, temperature):
        """The parts of :meth:`reduced_rate`, computed directly [GeV] (the reference of the tables; used
        where w leaves their grid)."""
        raise NotImplementedError

    def scattering_rate(self, energy, temperature):
        """The rest of :meth:`mediator_rate` beyond :meth:`w_rate` [GeV]: a part exactly proportional to
        coupling^4 at fixed mass (the vector's scattering on the charged plasma); None (default) if none."""
        return None

    @cached_property
    def _reduced(self):
        return self.reduced_rate()

    def w_rate(self, energy, temperature, w, log10_w):
        """The parts of :meth:`reduced_rate` [GeV] at E, T [GeV] (broadcasting) with w = m^2/(4ET) and log10 w.

        A cell lookup and two cubics per point (:mod:`qke.physics.reduced_rate`, < 5e-9 relative);
        :meth:`exact_w_rate` if some log10 w lies beyond the tables' grid (|log10 w| > 14). With
        E w = m^2/(4T), Gamma = (T^2/E) R(w) = (4 T^3/m^2) w (1 + w) R(w)/(1 + w).
        """
        if not ReducedRate.covers(log10_w):
            return self.exact_w_rate(energy, temperature)
        main, quarks = self._reduced
        num = main.numerator(w, log10_w)
        if quarks is not None:
            num = num + qcd_fraction(temperature) * quarks.numerator(w, log10_w)
        return self._rate_of_numerator(temperature, w, num)

    def _rate_of_numerator(self, temperature, w, num):
        """(T^2/E) R(w) [GeV] from w (1 + w) R(w) = ``num`` (E w = m^2/(4T))."""
        t = np.asarray(temperature, float)
        return (4.0 / self.mediator_mass**2) * (t * t * t) * num / (1.0 + w)

    def _estimate_w_rate(self, unit):
        """:meth:`w_rate` on the production estimate's grid [GeV], from the numerators of the parts of
        :meth:`reduced_terms` kept per mass (``unit``, :class:`_UnitParts`) and this instance's coefficients
        (equal to rounding; directly where that grid leaves the tables')."""
        terms = self.reduced_terms()
        numerators = unit.numerators(terms)
        if numerators is None:
            return self.w_rate(_EST_X[None, :] * _EST_T[:, None], _EST_T[:, None], unit.est_w, unit.est_log10_w)
        (main, quarks), (n_main, n_quarks) = terms, numerators
        num = sum(c * n for (_, c), n in zip(main, n_main))
        if quarks:
            num = num + qcd_fraction(_EST_T[:, None]) * sum(c * n for (_, c), n in zip(quarks, n_quarks))
        return self._rate_of_numerator(_EST_T[:, None], unit.est_w, num)

    @cached_property
    def _width(self) -> float:
        """:meth:`mediator_width` [GeV], from the coupling-free parts of this mass (:meth:`_unit_parts`)."""
        return self._unit_parts().width * self.coupling**2

    def _unit_parts(self) -> "_UnitParts":
        """The parts of this model that depend on the coupling only through a power (:class:`_UnitParts`),
        shared by every coupling at this mass (cached per class, mass, convention and flavour)."""
        key = (type(self), self.mediator_mass, self.convention, self.flavor)
        parts = _UNIT_PARTS.pop(key, None)
        if parts is None:
            parts = _UnitParts.of(self)
        _UNIT_PARTS[key] = parts
        while len(_UNIT_PARTS) > UNIT_PARTS_CACHED:
            _UNIT_PARTS.popitem(last=False)
        return parts

    def bath_temperature(self, temperature):
        """Temperature [GeV] of the bath the mediator equilibrates with: T_nu by default."""
        return neutrino_temperature(temperature)

    # --- model hooks ----------------------------------------------------------------
    def collision_rate(self, energy, temperature):
        """Gamma_SM + the mediator's rate [GeV]."""
        return super().collision_rate(energy, temperature) + self.mediator_rate(energy, temperature)

    def thermal_potential(self, energy, temperature):
        """V_SM + the mediator's potential [GeV]."""
        return super().thermal_potential(energy, temperature) + self.mediator_potential(energy, temperature)

    def equilibrium_fraction(self, temperature):
        """F = 1 - exp(-R/3): fraction of its equilibrium population the mediator has reached.

        R = Gamma <m/E> / H_SM(T) with <m/E> = K1(r)/K2(r), r = m/T_bath (module docstring).
        """
        t = np.asarray(temperature, dtype=float)
        r = self.mediator_mass / self.bath_temperature(t)
        time_dilation = k1e(r) / kve(2, r)
        hubble = _standard_cosmology().hubble(t)
        ratio = self._width * time_dilation / hubble
        return -np.expm1(-ratio / 3.0)

    def mediator_energy_density(self, temperature, thermal: bool = False):
        """Energy density of the mediator [GeV^4] at plasma temperature ``temperature`` [GeV].

        rho_BE(m, T_bath; g) times :meth:`equilibrium_fraction` (``thermal=True``: the full
        equilibrium density).
        """
        t = np.asarray(temperature, dtype=float)
        rho = boson_energy_density(self.mediator_mass, self.bath_temperature(t), self.MEDIATOR_STATES)
        return rho if thermal else rho * self.equilibrium_fraction(t)

    def extra_energy_density(self, temperature):
        """The mediator's energy density added to H when ``mediator_in_expansion`` [GeV^4]; None otherwise."""
        if not self.mediator_in_expansion:
            return None
        return self.mediator_energy_density(temperature)

    def delta_n_eff(self, temperature: float = T_BBN, thermal: bool = True) -> float:
        """Delta N_eff of the mediator at ``temperature`` [GeV] (default 1 MeV, where BBN is judged).

        ``thermal=True`` (default): in equilibrium with the neutrinos at T_nu
        (:func:`delta_n_eff_thermal`); ``False``: times :meth:`equilibrium_fraction`.
        """
        dn = float(delta_n_eff_thermal(self.mediator_mass, temperature, self.MEDIATOR_STATES))
        return dn if thermal else dn * float(self.equilibrium_fraction(temperature))

    # --- production epoch -----------------------------------------------------------
    @cached_property
    def _production_estimate(self) -> float:
        sm = _sm_production_envelope(self.m4, self.flavor, self.rate, self.potential)
        unit, c2 = self._unit_parts(), self.coupling**2
        gamma = sm.gamma + self._estimate_w_rate(unit)
        if unit.est_scattering is not None:
            gamma = gamma + unit.est_scattering * (c2 * c2)
        v = sm.potential + unit.est_potential * c2
        q = _quantile_temperatures(_envelope(self.m4, sm.energy, gamma, v, sm.hubble))
        if q is None:
            raise QKEInputError(f"{self.MASS_FIELD}: no production found for {self.MASS_FIELD} = "
                                f"{self.mediator_mass:.4g} GeV, coupling = {self.coupling:.4g}")
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
        rate, potential) and the mediator's coupling-free parts per mass (module docstring).
        """
        return self._production_estimate


#: Mediator masses (per class, convention and flavour) whose coupling-free parts are kept (:meth:`MediatorModel._unit_parts`).
UNIT_PARTS_CACHED = 64
#: Below this coupling the parts are computed from a twin at UNIT_PARTS_REFERENCE (c^4 stays a normal float).
UNIT_PARTS_SMALLEST, UNIT_PARTS_REFERENCE = 1e-30, 1e-3
_UNIT_PARTS: "OrderedDict[tuple, _UnitParts]" = OrderedDict()


@dataclass(frozen=True)
class _UnitParts:
    """The parts of a mediator model at one mass that scale with a power of the coupling c, at c = 1.

    Exact scalings (tests/test_models_vector.py, every mediator model): the width (tree level,
    c^2), the potential (one loop, c^2: V = k c^2 T G(E/T, m/T)) and :meth:`MediatorModel.scattering_rate`
    (c^4). Potential and scattering are kept on the production estimate's (T, E) grid, with w = m^2/(4ET)
    there and the parts of :meth:`MediatorModel.reduced_terms` evaluated there (their coefficients
    are each instance's), so that a scan over the coupling at one mass evaluates none of them again.
    """

    width: float                       # Gamma_m / c^2 [GeV]
    est_potential: np.ndarray          # mediator_potential / c^2 on the estimate grid [GeV]
    est_scattering: np.ndarray | None  # scattering_rate / c^4 there [GeV], or None
    est_w: np.ndarray                  # w = m^2/(4 E T) there
    est_log10_w: np.ndarray
    est_numerators: dict = field(default_factory=dict)   # {'main', 'quarks': numerators of the terms' parts}

    @classmethod
    def of(cls, model: "MediatorModel") -> "_UnitParts":
        """Computed from ``model`` and divided by the powers of its coupling (from its twin at
        coupling ``UNIT_PARTS_REFERENCE`` if c^4 would leave the normal floating-point range)."""
        if model.coupling < UNIT_PARTS_SMALLEST:
            model = replace(model, coupling=UNIT_PARTS_REFERENCE)
        t = _EST_T[:, None]
        e = _EST_X[None, :] * t
        c = model.coupling
        scat = model.scattering_rate(e, t)
        w = model.mediator_mass**2 / (4.0 * e * t)
        lw = np.log10(w)
        parts = cls(model.mediator_width() / c**2, model.mediator_potential(e, t) / c**2,
                    None if scat is None else scat / c**4, w, lw)
        for a in (parts.est_potential, parts.est_scattering, w, lw):
            if a is not None:
                a.setflags(write=False)
        return parts

    def numerators(self, terms):
        """w (1 + w) R_k(w) on the estimate grid of the parts of ``terms`` (:meth:`MediatorModel.reduced_terms`:
        the same parts for every coupling at this mass), computed on first use; None where the grid leaves
        the tables in w."""
        if not ReducedRate.covers(self.est_log10_w):
            return None
        if not self.est_numerators:
            for name, group in zip(("main", "quarks"), terms):
                self.est_numerators[name] = tuple(part.numerator(self.est_w, self.est_log10_w) for part, _ in group)
        return self.est_numerators["main"], self.est_numerators["quarks"]


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
    cum = np.concatenate([[0.0], np.cumsum(0.5 * (per_lnt[1:] + per_lnt[:-1]) * _EST_DLNT)])
    if not (np.isfinite(cum[-1]) and cum[-1] > 0):
        return None
    return tuple(np.exp(np.interp(np.array([q, 0.5, 1.0 - q]) * cum[-1], cum, _EST_LNT)).tolist())


@lru_cache(maxsize=64)
def _sm_production_envelope(m4, flavor, rate, potential) -> _SMEnvelope:
    """The Standard-Model parts of the production estimate (independent of the mediator)."""
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
