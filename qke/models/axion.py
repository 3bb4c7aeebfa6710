r"""Axion-assisted production: active-sterile mixing induced by a coherently oscillating light scalar.

Berlin & Hooper, PRD 95 (2017) 075017 [arXiv:1610.03849] (BH below; SPEC §5).
Two registered models share the machinery of :class:`OscillatingFieldModel`:

``axion`` -- the simplified model of BH eq. 1
    -L ⊃ ½ m_φ² φ² + ½ m_s ν_s ν_s + g_φ φ ν_s ν + h.c.  (Weyl spinors, ν = ν_μ by default).
    Parameters: ``m4`` (= m_s), ``m_phi`` [GeV, unit required on command lines],
    ``g_phi``, ``rho_phi_fraction`` = ρ_φ today / ρ_DM today.

``qcd-axion`` -- the QCD axion of BH eq. 17, -L ⊃ (y_ν + g_a a/f_a) N L H + ½ M_N N²
    with y_ν → 0. Parameters: ``g_a``, ``rho_a_fraction`` = ρ_a today / ρ_DM today,
    ``f_a`` [GeV] (None: BH's choice, see below). m_a(T) from the lattice
    topological susceptibility of Borsanyi et al., Nature 539 (2016) 69
    (``qke/data/axion_chi_borsanyi2016.txt``; :func:`axion_mass_ratio`).

Mixing
------
With ν_s, ν and the background φ the mass matrix is [[m_ν, g_φ φ], [g_φ φ, m_s]],
so (m_ν → 0) tan 2θ = 2 g_φ φ/m_s and

    sin²2θ(φ) = b/(1 + b),   b = 4 g_φ² φ²/m_s²            (BH eq. 2 for b << 1).

For an oscillating field φ = A cos(m_φ t) (BH eq. 3, A² = 2ρ_φ/m_φ²) the average
over a period is

    <sin²2θ_eff> = 1 - (1 + 2X)^(-1/2),   X = 4 g_φ² <φ²>/m_s² = 4 g_φ² ρ_φ/(m_φ² m_s²),

whose small-mixing limit X is BH eq. 4 (they differ by 1.5 X relatively: < 1e-9
wherever sterile neutrinos are the dark matter; the saturated form only keeps
the mixing below 1 for absurd couplings). For the QCD axion the Yukawa
g_a (a/f_a)(v/√2) N ν gives b = 2 g_a² v² a²/(f_a² m_s²), and with
m_a⁰ f_a = m_π f_π √(m_u m_d)/(m_u + m_d) this is BH eq. 18
(v = (√2 G_F)^(-1/2) = 246 GeV, the convention of BH eq. 15).
The generic coefficient K (b = K φ²) is :meth:`OscillatingFieldModel.mixing_coefficient`.

The vacuum mixing ``sin2_2theta`` of the base model is **not used**: BH's model has
no vacuum mixing (BH below eq. 1: "we assume any mixing between ν_s and ν is
negligible in the vacuum"). The field is required by the model interface and
the command line always fills it (2e-9 by default); it is carried along and
ignored. The mixing today is an output: :meth:`OscillatingFieldModel.mixing_today`.

Field history (``evolution=``)
------------------------------
``'sudden'`` (default; BH's prescription, text below Fig. 1): the field is
frozen while m(T) < 3H(T) and oscillates afterwards. The oscillation
temperature T_osc solves m(T_osc) = 3 H(T_osc) (:meth:`oscillation_temperature`).
The number of quanta n = ρ/m is conserved in a comoving volume once the field
oscillates, so with the entropy-conserving a(T) (a³ s = const, s from
:mod:`qke.cosmology`)

    <φ²>(T) = ρ/m² = n0 s(T')/(s0 m(T')),   T' = min(T, T_osc),   n0 = ρ_0/m_0,

i.e. ρ_φ ∝ a⁻³ below T_osc (BH: "ρ_φ ∝ T³ ... evolve the density as
non-relativistic matter") and ρ_φ constant above it; for the QCD axion
ρ_a ∝ m_a(T)/a³ (BH below eq. 18). Above T_osc the frozen field is assigned the
oscillation average, as BH do (eq. 4 with constant ρ_φ).

``'exact'``: the damped oscillator φ̈ + 3Hφ̇ + m(T)² φ = 0 is integrated from
m/H = 1e-3 (φ = φ_i, φ̇ = 0) through the onset of oscillations, with the H(T)
and a(T) of :mod:`qke.cosmology`, up to the first equipartition point
(m²φ² = φ̇²) after m/H = :data:`EXACT_SWITCH_M_OVER_H`; beyond it the
adiabatic invariant n a³ (averaged over the last period) carries the
oscillation average. φ_i is fixed by ρ_φ today. The mixing uses the
instantaneous sin²2θ(φ(T)) before the switch and the average after. The
two prescriptions agree once the field oscillates during production
(m_φ >> 3H(T_max)). When it is frozen during production they differ by a
constant factor: the frozen field has sin²2θ = K φ_i² (twice the average
assigned by BH), and the exact transition dilutes the energy 2.48× more than
the sudden one (radiation domination, constant g*: n_exact/n_sudden =
2^{3/2} Γ(5/4)²/(π (3/2)^{3/2}) = 0.4026 from the Bessel solution
φ ∝ (mt)^{-1/4} J_{1/4}(mt)), so for the same ρ_φ today the exact production
is 2/0.4026 = 4.97× the sudden one (``tests/test_models_axion.py``).

Standard-Model part
-------------------
The collision rate and thermal potential are those of
:class:`~qke.models.sm.StandardModel` (``rate=``, ``potential=`` options).
Production here reaches T ~ 30 GeV (m_s up to 1 GeV). The rate tables end at
10 GeV: above, the ALS coefficient I_Q is held at its 10 GeV value (Γ = I_Q(10 GeV,
q/T) G_F² T⁴ q, i.e. Γ ∝ G_F² T⁴ E with the 10 GeV coefficient); the
Venumadhav table likewise. The Nötzold–Raffelt potential keeps its low-energy
form (W, Z propagators contracted, no thermal W/Z, top or Higgs): valid for
T << M_W. BH stop at m_s ~ 1 GeV for this reason (their footnote 2).
The field's energy density is not added to H (it is < 1e-8 of the radiation
at T > 1 MeV for ρ_φ ≤ ρ_DM today).

Checks against BH (``tests/test_models_axion.py``)
--------------------------------------------------
- Peak of production per ln T: with rho_phi ∝ a^-3 during production it moves up by
  1.403 (constant g*, pure power-law rate and potential: semi-analytic value, reproduced
  to 0.5 %) to 1.44-1.55 (Saikawa-Shirai g*(T)); BH (below eq. 9) say "by roughly a
  factor of two".
- Omega ∝ g_phi^2 rho_phi at fixed m_phi; in the frozen regime the DM line is
  g_phi ∝ m_phi^(1/4) (rho_phi(T_max) suppressed by ~(T_osc/T_max)^3, BH below Fig. 1),
  against g_phi ∝ m_phi while phi oscillates.
- CMB lifetime (160 Gyr) on the oscillating DM line: m_phi <~ 5e-6 eV at
  rho_phi = 1e-2 rho_DM, m_s = 100 keV (BH: 1e-5 eV).
- QCD axion: f_a_max = 1e9 GeV at m_s ≈ 5.5 MeV (BH: ≈ 2 MeV; f_a_max ∝ T*^-6.2 is
  very sensitive to the production temperature T*).

Cost
----
Measured here (``python tests/benchmarks/bench_axion.py``, warm, against a plain-DW
point in the same run): the simplified model 1.5-1.6 x, the QCD axion 0.4-0.7 x over
m_s = 3 keV - 100 MeV. Two things make that possible. The kink of the sudden
prescription at T_osc (:meth:`OscillatingFieldModel.kink_temperatures`) falls on a
Simpson panel boundary of the rate solver's grids, so it costs no accuracy; and the
QCD axion's cold spectrum (f_s ∝ 1/y at small y: low momenta are produced earlier, at
larger mixing) is integrated on graded momenta (``momentum_grid = 'graded'``).
``evolution='exact'`` resolves the field's oscillations through the transition and
costs more (up to ~15 x where T_osc is inside the production window).

Outputs
-------
:meth:`mixing_today`, :meth:`width_nu_gamma` (BH eq. 10, x 2 for a Majorana ν_s
by default -- the mass term ½ m_s ν_s ν_s of eq. 1 is Majorana; ``majorana=False``
gives BH eq. 10 as printed, the Dirac value), :meth:`width_nu_phi` (BH eq. 11,
the Majorana total), :meth:`width_3nu`, :meth:`lifetime`,
:meth:`oscillation_temperature`, :meth:`field_energy_density`, :meth:`summary`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

import numpy as np
from particle import Particle as _Particle
from scipy.integrate import solve_ivp
from scipy.interpolate import PchipInterpolator
from scipy.optimize import brentq

from .. import constants as const
from ..cosmology import COSMOLOGIES, make_cosmology
from ..errors import QKEInputError
from ..generated import axion as gen
from ..physics import limits
from .base import Model, _check_number, energy_field, register
from .sm import StandardModel

__all__ = ["OscillatingFieldModel", "AxionModel", "QCDAxionModel", "EVOLUTIONS", "RHO_DM_TODAY",
           "S0_GEV3", "V_HIGGS", "F_PI", "M_U", "M_D", "LAMBDA_A2", "CMB_LIFETIME_S",
           "axion_mass_ratio", "chi_table"]

# --- inputs -------------------------------------------------------------------
#: Field histories: BH's sudden prescription, or the exact damped oscillator.
EVOLUTIONS = ("sudden", "exact")
#: Dark-matter density today [GeV^4]: Omega_DM h^2 x rho_c/h^2 (Planck 2018, PDG), (hbar c)^3 converts cm^-3.
RHO_DM_TODAY: float = const.OMEGA_DM_H2 * const.RHO_CRIT_H2_GEV_CM3 * const.HBAR_C_GEV_CM**3
#: Entropy density today [GeV^3] (PDG s0 = 2891.2 cm^-3).
S0_GEV3: float = const.S0_CM3 * const.HBAR_C_GEV_CM**3
#: Higgs vacuum expectation value v = (sqrt2 G_F)^(-1/2) = 246.22 GeV (convention of BH eq. 15).
V_HIGGS: float = (math.sqrt(2.0) * const.G_F) ** -0.5
#: Pion decay constant f_pi = f_pi+/sqrt2 [GeV], f_pi+ = 130.2(1.2) MeV (PDG 2022, "Leptonic decays of
#: charged pseudoscalar mesons"); the 92 MeV normalisation of BH eq. 18.
F_PI: float = 0.1302 / math.sqrt(2.0)
#: Light-quark masses [GeV] (PDG, MS-bar at 2 GeV, via `particle`).
M_U: float = _Particle.from_pdgid(2).mass * const.MEV
M_D: float = _Particle.from_pdgid(1).mass * const.MEV
#: m_a^0 f_a = m_pi f_pi sqrt(m_u m_d)/(m_u + m_d) [GeV^2] (BH below eq. 18; leading-order chiral
#: perturbation theory, m_a^0 = 5.98 ueV x 1e12 GeV/f_a).
LAMBDA_A2: float = float(gen.qcd_axion_lambda2(const.M_PI, F_PI, M_U, M_D))
#: Lower bound on the lifetime of decaying dark matter from the CMB [s]: 160 Gyr
#: (Audren, Lesgourgues, Mangano, Serpico & Tram, JCAP 12 (2014) 028; BH cite a CMB bound as ref. [32]).
CMB_LIFETIME_S: float = 160e9 * 365.25 * 86400.0
#: Exact evolution: the oscillator is integrated until the first equipartition point after m/H = this.
EXACT_SWITCH_M_OVER_H: float = 20.0
#: Exact evolution: the adiabatic invariant n a^3 is averaged over one period at m/H = this.
EXACT_AVERAGE_M_OVER_H: float = 400.0
#: Exact evolution: start (field frozen, phi' = 0) at m/H = this.
EXACT_START_M_OVER_H: float = 1e-3
#: Accepted scalar masses [GeV]: 1e-26 eV (oscillations start at T > a few eV, in radiation
#: domination, as the a(T) and H(T) used assume) to 1 keV.
M_PHI_MIN, M_PHI_MAX = 1e-35, 1e-6
#: Accepted axion decay constants [GeV].
F_A_MIN, F_A_MAX = 1e6, 1e19
#: Temperature bracket [GeV] for the oscillation temperature m(T) = 3 H(T).
_T_BRACKET = (1e-12, 1e10)


# --- cosmology and the axion mass -------------------------------------------------
@lru_cache(maxsize=None)
def _cosmology(name: str):
    return make_cosmology(name)


def _check_word(name: str, value, allowed) -> None:
    if value not in allowed:
        raise QKEInputError(f"{name}: unknown value {value!r}; allowed: {', '.join(allowed)}")


@lru_cache(maxsize=None)
def chi_table() -> tuple[np.ndarray, np.ndarray]:
    """Lattice topological susceptibility (Borsanyi et al. 2016, Suppl. Inf. S10.3).

    Returns
    -------
    T : ndarray
        Temperature [GeV], increasing (0.1 to 3 GeV).
    chi : ndarray
        chi(T) = m_a(T)^2 f_a^2 [GeV^4].
    """
    with resources.files("qke.data").joinpath("axion_chi_borsanyi2016.txt").open() as fh:
        data = np.loadtxt(fh, comments="#")
    fm_inv = const.HBAR_C_GEV_CM * 1e13  # 1 fm^-1 in GeV
    return data[:, 0] * const.MEV, 10.0 ** data[:, 1] * fm_inv**4


@lru_cache(maxsize=None)
def _chi_interpolant():
    t, chi = chi_table()
    lnt, lnchi = np.log(t), np.log(chi)
    slope_hi = (lnchi[-1] - lnchi[-2]) / (lnt[-1] - lnt[-2])
    return lnt[0], lnt[-1], lnchi[0], lnchi[-1], slope_hi, PchipInterpolator(lnt, lnchi)


def axion_mass_ratio(temperature):
    """m_a(T)/m_a(0) = sqrt(chi(T)/chi(0)) [dimensionless] from the lattice table.

    chi(0) is the table's first entry (T = 100 MeV; chi^(1/4) = 75.9 MeV, within 0.4 % of the
    paper's T = 0 value): the ratio is 1 below 100 MeV and capped at 1 where the table
    fluctuates above chi(100 MeV) (120 MeV). Monotone cubic (PCHIP) interpolation of
    ln chi in ln T; above 3 GeV a power law with the slope of the last two entries
    (d ln chi/d ln T = -8.46; the dilute instanton gas gives about -8).
    """
    lo, hi, lnchi0, lnchi_hi, slope_hi, interp = _chi_interpolant()
    lnt = np.log(np.asarray(temperature, dtype=float))
    lnchi = np.where(lnt > hi, lnchi_hi + slope_hi * (lnt - hi), interp(np.clip(lnt, lo, hi)))
    return np.minimum(1.0, np.exp(0.5 * (lnchi - lnchi0)))


# --- the field's history ------------------------------------------------------------
def _oscillation_temperature(mass_fn, cosmology_name: str) -> float:
    """T [GeV] where m(T) = 3 H(T) (3H/m grows with T: one root)."""
    cosmo = _cosmology(cosmology_name)

    def f(lnt):
        t = math.exp(lnt)
        return math.log(3.0 * float(cosmo.hubble(t))) - math.log(float(mass_fn(t)))

    lo, hi = math.log(_T_BRACKET[0]), math.log(_T_BRACKET[1])
    if f(lo) > 0 or f(hi) < 0:
        raise QKEInputError("m_phi: the field mass does not cross 3H between 1e-12 and 1e10 GeV")
    return math.exp(brentq(f, lo, hi, xtol=1e-12, rtol=1e-12))


@dataclass(frozen=True)
class ExactHistory:
    """The damped oscillator through the onset of oscillations, for phi_i = 1.

    Attributes
    ----------
    lnt : ndarray
        ln T [GeV] of the table, increasing (from the switch to the start).
    phi : ndarray
        phi(T)/phi_i on ``lnt``.
    lnt_start : float
        ln T where the integration starts (m/H = 1e-3; phi = phi_i above).
    lnt_switch : float
        ln T of the switch to the oscillation average (first equipartition point after
        m/H = :data:`EXACT_SWITCH_M_OVER_H`).
    n_switch : float
        Number density n = rho/m at the switch for phi_i = 1 [GeV]: the adiabatic invariant
        n a^3 (a^3 s = const), averaged over one period at m/H = :data:`EXACT_AVERAGE_M_OVER_H`.
    """

    lnt: np.ndarray
    phi: np.ndarray
    lnt_start: float
    lnt_switch: float
    n_switch: float


def _exact_history(m0: float, ratio_fn, cosmology_name: str) -> ExactHistory:
    """Integrate phi'' + 3 H phi' + m(T)^2 phi = 0 in nu = -ln T (time in units of 1/m0)."""
    cosmo = _cosmology(cosmology_name)

    def m_over_h(t):
        return m0 * ratio_fn(t) / cosmo.hubble(t)

    t_start = brentq(lambda lt: math.log(float(m_over_h(math.exp(lt))) / EXACT_START_M_OVER_H),
                     math.log(_T_BRACKET[0]), math.log(_T_BRACKET[1]) + 10.0, xtol=1e-10)
    t_x = brentq(lambda lt: math.log(float(m_over_h(math.exp(lt))) / EXACT_SWITCH_M_OVER_H),
                 math.log(_T_BRACKET[0]) - 10.0, math.log(_T_BRACKET[1]) + 10.0, xtol=1e-10)

    def rhs(nu, y):
        t = math.exp(-nu)
        d = -float(cosmo.dt_dlnT(t)) * m0            # d(m0 t)/d nu
        h = float(cosmo.hubble(t)) / m0
        r = float(ratio_fn(t))
        return [y[1] * d, (-3.0 * h * y[1] - r * r * y[0]) * d]

    def equipartition(nu, y):
        r = float(ratio_fn(math.exp(-nu)))
        return r * r * y[0] ** 2 - y[1] ** 2

    equipartition.terminal = True
    opts = dict(method="DOP853", rtol=1e-10, atol=1e-13, dense_output=True)
    first = solve_ivp(rhs, (-t_start, -t_x), [1.0, 0.0], **opts)
    # continue to the first equipartition point (at most a quarter period more)
    second = solve_ivp(rhs, (-t_x, -t_x + 10.0), first.y[:, -1], events=equipartition, **opts)
    nu_sw = float(second.t_events[0][0]) if second.t_events[0].size else float(second.t[-1])
    # tabulate phi on a fine grid: <= 0.05 rad of phase per step
    n = int(max(400, math.ceil((nu_sw + t_start) * EXACT_SWITCH_M_OVER_H * 1.2 / 0.05)))
    nu = np.linspace(-t_start, nu_sw, n)
    phi = np.where(nu <= -t_x, first.sol(np.minimum(nu, -t_x))[0], second.sol(np.clip(nu, -t_x, nu_sw))[0])
    # adiabatic invariant n a^3 (a^3 s = const): continue to m/H = EXACT_AVERAGE_M_OVER_H and
    # average over the last oscillation period there (O((H/m)^2) from the switch on)
    t_avg_end = brentq(lambda lt: math.log(float(m_over_h(math.exp(lt))) / EXACT_AVERAGE_M_OVER_H),
                       math.log(_T_BRACKET[0]) - 10.0, math.log(_T_BRACKET[1]) + 10.0, xtol=1e-10)
    y_sw = second.sol(nu_sw)
    third = solve_ivp(rhs, (nu_sw, -t_avg_end), y_sw, **opts)
    period_nu = 2.0 * math.pi / EXACT_AVERAGE_M_OVER_H
    nu_avg = np.linspace(-t_avg_end - period_nu, -t_avg_end, 513)
    ys = third.sol(nu_avg)
    t_avg = np.exp(-nu_avg)
    r = ratio_fn(t_avg)
    n_a3 = 0.5 * m0 * (ys[1] ** 2 + r**2 * ys[0] ** 2) / r / cosmo.entropy_density(t_avg)
    t_sw = math.exp(-nu_sw)
    n_sw = float(np.mean(n_a3[:-1]) * cosmo.entropy_density(t_sw))
    return ExactHistory(lnt=-nu[::-1], phi=phi[::-1], lnt_start=t_start, lnt_switch=-nu_sw, n_switch=n_sw)


def _one(t):
    return np.ones(np.shape(t))


_RATIO_FUNCTIONS = {"constant": _one, "qcd": axion_mass_ratio}


@lru_cache(maxsize=64)
def _cached_oscillation_temperature(m0: float, kind: str, cosmology_name: str) -> float:
    r = _RATIO_FUNCTIONS[kind]
    return _oscillation_temperature(lambda t: m0 * float(r(t)), cosmology_name)


@lru_cache(maxsize=64)
def _cached_exact_history(m0: float, kind: str, cosmology_name: str) -> ExactHistory:
    return _exact_history(m0, _RATIO_FUNCTIONS[kind], cosmology_name)


# --- models -----------------------------------------------------------------------
@dataclass(frozen=True)
class OscillatingFieldModel(StandardModel):
    """Standard-Model rates and potential with the mixing induced by a coherent scalar field.

    Subclasses define the field: :meth:`field_mass_today` m0 [GeV], :attr:`mass_kind`
    ('constant' or 'qcd', the shape m(T)/m0), :meth:`energy_density_today` [GeV^4],
    :meth:`mixing_coefficient` K [GeV^-2] (sin^2 2theta = K phi^2/(1 + K phi^2)) and
    :meth:`coupling_to_nu` (the Yukawa g of nu_s -> nu + field quantum).

    Parameters
    ----------
    evolution : {'sudden', 'exact'}
        Field history (module docstring).
    field_cosmology : {'standard', 'laine-schroder', 'constant'}
        Cosmology giving H(T) and a(T) for the field (choose the solver's; 'constant'
        is g* = 10.75).
    """

    evolution: str = "sudden"
    field_cosmology: str = "standard"

    mass_kind = "constant"

    # --- the field (subclasses) ---------------------------------------------------
    def field_mass_today(self) -> float:
        raise NotImplementedError

    def energy_density_today(self) -> float:
        raise NotImplementedError

    def mixing_coefficient(self) -> float:
        raise NotImplementedError

    def coupling_to_nu(self) -> float:
        raise NotImplementedError

    def _check_field(self) -> None:
        """Validate the subclass's own parameters (before the base checks, which need the mixing)."""

    # --- construction ---------------------------------------------------------------
    def __post_init__(self):
        _check_word("evolution", self.evolution, EVOLUTIONS)
        _check_word("field_cosmology", self.field_cosmology, COSMOLOGIES)
        if self.flavor not in ("e", "mu", "tau"):
            raise QKEInputError(f"flavor: unknown flavour {self.flavor!r}; allowed: e, mu, tau")
        _check_number("m4", self.m4, 1e-7, 10.0, lo_open=False, unit=" GeV")
        self._check_field()
        super().__post_init__()

    # --- field history ----------------------------------------------------------------
    def field_mass(self, temperature):
        """Field mass m(T) [GeV]."""
        return self.field_mass_today() * _RATIO_FUNCTIONS[self.mass_kind](temperature)

    def oscillation_temperature(self) -> float:
        """T_osc [GeV] where m(T) = 3 H(T) (BH text below Fig. 1)."""
        return _cached_oscillation_temperature(self.field_mass_today(), self.mass_kind, self.field_cosmology)

    def coefficient_over_mass2(self) -> float:
        """K/m0^2 [GeV^-4]: <sin^2 2theta> ≈ (K/m0^2) rho(T)/r(T)^2 with r = m(T)/m0 (small mixing)."""
        return self.mixing_coefficient() / self.field_mass_today() ** 2

    def kink_temperatures(self) -> tuple:
        """(T_osc,) for the sudden prescription (the mixing is constant above it), else ()."""
        return (self.oscillation_temperature(),) if self.evolution == "sudden" else ()

    def mixing_strength(self, temperature, freeze: bool = True):
        """X(T) = K <phi^2> [dimensionless] of the sudden prescription (BH eq. 4, eq. 18 for the QCD axion).

        X = (K/m0^2) rho_0 s(T')/(s0 r(T')),  T' = min(T, T_osc),  r = m(T)/m0,
        i.e. K <phi^2> with <phi^2> = n(T')/m(T'), n = rho/m conserved per comoving volume.
        ``freeze=False``: T' = T (a field oscillating at every temperature).
        """
        t = np.asarray(temperature, dtype=float)
        if freeze:
            t = np.minimum(t, self.oscillation_temperature())
        cosmo = _cosmology(self.field_cosmology)
        return (self.coefficient_over_mass2() * self.energy_density_today() * cosmo.entropy_density(t)
                / (S0_GEV3 * _RATIO_FUNCTIONS[self.mass_kind](t)))

    def field_energy_density(self, temperature):
        """rho(T) [GeV^4] of the sudden prescription: rho_0 (m(T')/m0) s(T')/s0 (constant above T_osc)."""
        t = np.minimum(np.asarray(temperature, dtype=float), self.oscillation_temperature())
        cosmo = _cosmology(self.field_cosmology)
        return self.energy_density_today() * _RATIO_FUNCTIONS[self.mass_kind](t) * cosmo.entropy_density(t) / S0_GEV3

    @cached_property
    def exact_history(self) -> ExactHistory:
        """The damped-oscillator solution (``evolution='exact'``), phi_i = 1."""
        return _cached_exact_history(self.field_mass_today(), self.mass_kind, self.field_cosmology)

    @cached_property
    def _phi_i2(self) -> float:
        """Initial (frozen) field value squared [GeV^2] of the exact evolution, from rho today."""
        h = self.exact_history
        cosmo = _cosmology(self.field_cosmology)
        n_today_per_phi2 = h.n_switch * S0_GEV3 / float(cosmo.entropy_density(math.exp(h.lnt_switch)))
        return self.energy_density_today() / self.field_mass_today() / n_today_per_phi2

    def mixing(self, temperature):
        """<sin^2 2theta_eff>(T) [dimensionless] (BH eq. 4 / eq. 18 with the saturated two-state form)."""
        t = np.asarray(temperature, dtype=float)
        if self.evolution == "sudden":
            return gen.sin2_2theta_average(2.0 * self.mixing_strength(t))
        k = self.mixing_coefficient()
        h = self.exact_history
        lnt = np.log(t)
        phi = np.interp(lnt, h.lnt, h.phi, left=np.nan, right=1.0)
        instantaneous = gen.sin2_2theta_two_state(k * self._phi_i2 * phi**2)
        cosmo = _cosmology(self.field_cosmology)
        t_sw = math.exp(h.lnt_switch)
        phi2_avg = (self._phi_i2 * h.n_switch * cosmo.entropy_density(np.minimum(t, t_sw))
                    / (float(cosmo.entropy_density(t_sw)) * self.field_mass(np.minimum(t, t_sw))))
        return np.where(lnt >= h.lnt_switch, instantaneous, gen.sin2_2theta_average(2.0 * k * phi2_avg))

    # --- production epoch ----------------------------------------------------------
    def production_temperature(self) -> float:
        """Peak-production estimate [GeV]: the DW estimate times the shift caused by the T-dependent mixing.

        T_DW = 133 MeV (m4/keV)^{1/3} (BH below eq. 9) times t_mix/t_const, the
        maxima over ln T of the production envelope s(T) Gamma Delta^2/(Delta^2 s
        + Gamma^2/4 + (Delta - V)^2)/H at p = 3.15 T, with the model's mixing
        s(T) and with s fixed at its value at T_DW (so a constant mixing gives T_DW exactly).
        """
        return Model.production_temperature(self) * self._peak_shift

    def _envelope_argmax(self, mixing_fn) -> float:
        """T [GeV] maximising the production envelope with mixing ``mixing_fn(T)`` (see :meth:`production_temperature`)."""
        t_dw = Model.production_temperature(self)
        t = t_dw * np.geomspace(0.05, 200.0, 701)
        p = 3.15 * t
        gamma = self.collision_rate(p, t)
        v = self.thermal_potential(p, t)
        delta = self.m4**2 / (2.0 * p)
        s = np.nan_to_num(mixing_fn(t), nan=0.0)
        env = s * gamma * delta**2 / (delta**2 * s + 0.25 * gamma**2 + (delta * np.sqrt(1.0 - s) - v) ** 2)
        env = env / _cosmology(self.field_cosmology).hubble(t)
        return float(t[np.argmax(env)]) if np.any(env > 0) else t_dw

    @cached_property
    def _peak_shift(self) -> float:
        t_dw = Model.production_temperature(self)
        s_dw = float(np.nan_to_num(self.mixing(np.array([t_dw])), nan=0.0)[0])
        if not s_dw > 0:
            return 1.0
        return self._envelope_argmax(self.mixing) / self._envelope_argmax(lambda t: np.full(np.shape(t), s_dw))

    # --- outputs --------------------------------------------------------------------
    def mixing_today(self) -> float:
        """<sin^2 2theta_eff>_0 today [dimensionless]: from X_0 = K <phi^2>_0 = (K/m0^2) rho_0."""
        return float(gen.sin2_2theta_average(2.0 * self.coefficient_over_mass2() * self.energy_density_today()))

    def width_nu_gamma(self, majorana: bool = True) -> float:
        """Gamma(nu_s -> nu gamma) today [GeV], BH eq. 10 with the mixing today; x 2 for a Majorana nu_s (default)."""
        return float(limits.width_nu4_to_nu_gamma(self.m4, self.mixing_today(), majorana=majorana))

    def width_3nu(self, majorana: bool = True) -> float:
        """Gamma(nu_s -> nu nu nubar) by Z exchange today [GeV]: G_F^2 m_s^5 sin^2 theta/(192 pi^3), x 2 Majorana."""
        s2 = float(limits.sin2_theta(self.mixing_today()))
        return const.G_F**2 * self.m4**5 * s2 / (192.0 * math.pi**3) * (2.0 if majorana else 1.0)

    def width_nu_phi(self) -> float:
        """Gamma(nu_s -> nu + field quantum) [GeV]: BH eq. 11, g^2 m_s/(16 pi) (Majorana total), x (1 - m^2/m_s^2)^2."""
        x = min((self.field_mass_today() / self.m4) ** 2, 1.0)
        return float(gen_width_nu_phi(self.coupling_to_nu(), self.m4)) * (1.0 - x) ** 2

    def lifetime(self, majorana: bool = True) -> float:
        """Lifetime today [s] from nu gamma, nu nu nubar and nu + field quantum."""
        total = self.width_nu_gamma(majorana) + self.width_3nu(majorana) + self.width_nu_phi()
        return const.HBAR_GEV_S / total

    def summary(self) -> dict:
        """The model's outputs: mixing today, widths [GeV], lifetime [s], T_osc and T_peak [GeV]."""
        return {"mixing_today": self.mixing_today(), "width_nu_gamma_GeV": self.width_nu_gamma(),
                "width_nu_gamma_dirac_GeV": self.width_nu_gamma(majorana=False),
                "width_3nu_GeV": self.width_3nu(), "width_nu_phi_GeV": self.width_nu_phi(),
                "lifetime_s": self.lifetime(), "oscillation_temperature_GeV": self.oscillation_temperature(),
                "production_temperature_GeV": self.production_temperature()}


def gen_width_nu_phi(g, m_s):
    """BH eq. 11 from the generated decay widths: g^2 m_s/(16 pi) [GeV]."""
    from ..generated import decay_widths

    return decay_widths.width_nus_to_nu_phi(g, m_s)


@register("axion")
@dataclass(frozen=True)
class AxionModel(OscillatingFieldModel):
    """The simplified model of BH eq. 1: a light scalar phi with -L ⊃ g_phi phi nu_s nu + h.c.

    Parameters
    ----------
    m4
        Sterile mass m_s [GeV].
    m_phi : float
        Scalar mass [GeV] (1e-26 eV to 1 keV).
    g_phi : float
        Yukawa coupling, in (0, 1].
    rho_phi_fraction : float
        rho_phi today / rho_DM today, in (0, 1].
    evolution, field_cosmology
        See :class:`OscillatingFieldModel`.
    sin2_2theta
        Not used (no vacuum mixing in BH's model; module docstring).

    Examples
    --------
    >>> m = AxionModel(m4=1e-4, m_phi=1e-17, g_phi=1e-21, rho_phi_fraction=0.01)
    >>> m.mixing(np.array([1.0])) > 1e3 * m.mixing(np.array([0.1]))   # rho_phi ~ T^3
    array([ True])
    """

    m_phi: float = energy_field(1e-17, "scalar mass")
    g_phi: float = 1e-21
    rho_phi_fraction: float = 0.01

    def _check_field(self):
        _check_number("m_phi", self.m_phi, M_PHI_MIN, M_PHI_MAX, lo_open=False, unit=" GeV")
        _check_number("g_phi", self.g_phi, 0.0, 1.0)
        _check_number("rho_phi_fraction", self.rho_phi_fraction, 0.0, 1.0)

    def field_mass_today(self) -> float:
        return self.m_phi

    def energy_density_today(self) -> float:
        return self.rho_phi_fraction * RHO_DM_TODAY

    def mixing_coefficient(self) -> float:
        """K = 4 g_phi^2/m_s^2 [GeV^-2] (BH eq. 2: sin 2theta = 2 g_phi phi/m_s)."""
        return float(gen.mixing_coefficient_scalar(self.g_phi, self.m4))

    def coupling_to_nu(self) -> float:
        return self.g_phi


@register("qcd-axion")
@dataclass(frozen=True)
class QCDAxionModel(OscillatingFieldModel):
    """The QCD axion coupled as in BH eq. 17: -L ⊃ g_a (a/f_a) N L H + h.c.

    Parameters
    ----------
    g_a : float
        Coupling, in (0, 1].
    rho_a_fraction : float
        rho_a today / rho_DM today, in (0, 1] (BH: ~1e-2 from misalignment for f_a ~ 2e9 GeV).
    f_a : float or None
        Axion decay constant [GeV] (m_a^0 = LAMBDA_A2/f_a). The axion is frozen above
        T_osc, m_a(T_osc) = 3 H(T_osc), and oscillates below ('sudden' or 'exact').
        None (default): BH's choice (below eq. 18, "we have fixed m_a^0 such that a
        behaves as in eq. 3 at the time of nu_s production"): f_a = :meth:`f_a_max`,
        the largest f_a for which the axion oscillates at the production peak T*,
        so T_osc = T*. (Without any freezing the mixing grows as s(T)/r(T) ~ T^7.2 and
        production per ln T falls only as T^-1.8 above the peak: the result would be
        dominated by T >> 10 GeV, beyond the rate tables; freezing at T* cuts this
        tail, by a factor ~5 in Omega at m_s = 100 keV.)
    """

    g_a: float = 1e-3
    rho_a_fraction: float = 0.01
    f_a: float | None = energy_field(None, "axion decay constant (None: BH's choice, f_a_max)")

    mass_kind = "qcd"
    #: Production is cold (<p/T> ~ 1.1 at m_s = 3 keV, f_s/f_a ~ 1/y at low y): graded momenta.
    momentum_grid = "graded"

    def _check_field(self):
        _check_number("g_a", self.g_a, 0.0, 1.0)
        _check_number("rho_a_fraction", self.rho_a_fraction, 0.0, 1.0)
        if self.f_a is not None:
            _check_number("f_a", self.f_a, F_A_MIN, F_A_MAX, lo_open=False, unit=" GeV")

    def f_a_max(self) -> float:
        """Largest f_a [GeV] with m_a(T*) >= 3 H(T*) (BH Fig. 3, blue line).

        T* is the peak of the production envelope of an axion oscillating at every
        temperature (:meth:`OscillatingFieldModel.mixing_strength` with ``freeze=False``;
        independent of f_a).
        """
        t = self._t_star
        return LAMBDA_A2 * float(axion_mass_ratio(t)) / (3.0 * float(_cosmology(self.field_cosmology).hubble(t)))

    @cached_property
    def _t_star(self) -> float:
        return self._envelope_argmax(lambda t: gen.sin2_2theta_average(2.0 * self.mixing_strength(t, freeze=False)))

    @property
    def f_a_effective(self) -> float:
        """f_a [GeV] used for m_a^0 and the widths: ``f_a``, or :meth:`f_a_max` when unset."""
        return self.f_a if self.f_a is not None else self.f_a_max()

    def field_mass_today(self) -> float:
        """m_a^0 = m_pi f_pi sqrt(m_u m_d)/((m_u + m_d) f_a) [GeV]."""
        return LAMBDA_A2 / self.f_a_effective

    def energy_density_today(self) -> float:
        return self.rho_a_fraction * RHO_DM_TODAY

    def coefficient_over_mass2(self) -> float:
        """K/m_a0^2 = 2 g_a^2 v^2/(m_s^2 (m_a^0 f_a)^2) [GeV^-4]: independent of f_a (BH eq. 18)."""
        return float(gen.mixing_coefficient_qcd(self.g_a, V_HIGGS, 1.0, self.m4)) / LAMBDA_A2**2

    def mixing_coefficient(self) -> float:
        """K = 2 g_a^2 v^2/(f_a^2 m_s^2) [GeV^-2] (BH eq. 17-18)."""
        return float(gen.mixing_coefficient_qcd(self.g_a, V_HIGGS, self.f_a_effective, self.m4))

    def coupling_to_nu(self) -> float:
        """g_a v/(sqrt2 f_a): BH's nu_s -> nu a width is eq. 11 suppressed by v^2/(2 f_a^2)."""
        return self.g_a * V_HIGGS / (math.sqrt(2.0) * self.f_a_effective)
