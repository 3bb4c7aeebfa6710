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

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..physics.mediator_rates import get_rate_table, mediator_width, narrow_width_coefficient
from ..physics.potentials import mediator_potential
from .base import energy_field, register
from .mediator import (CONVENTIONS, COUPLING_MAX, T_BBN, T_NU_DECOUPLING, WIDTH_OVER_MASS_WARN,  # noqa: F401
                       MediatorModel, _sm_production_envelope, delta_n_eff_thermal, neutrino_temperature)
from .mediator import MASS_MAX as M_PHI_MAX  # noqa: F401
from .mediator import MASS_MIN as M_PHI_MIN  # noqa: F401
from .sm import StandardModel  # noqa: F401  (the docstring example)

__all__ = ["ScalarMediatorModel", "CONVENTIONS", "delta_n_eff_thermal_scalar", "neutrino_temperature"]

#: Above this coupling Gamma_m/m_phi > 0.09 and the narrow-width rate errs by ~1e-2: warned by the base
#: class (Gamma/m > WIDTH_OVER_MASS_WARN = 9/(32 pi), i.e. lam > 3).
COUPLING_WARN = 3.0
#: Internal states of a complex scalar (phi and phi*).
G_PHI = 2


def delta_n_eff_thermal_scalar(m_phi, temperature=T_BBN, g=G_PHI):
    """Delta N_eff of a thermal (equilibrium) scalar of mass ``m_phi`` [GeV] at ``temperature`` [GeV].

    Delta N_eff = rho_phi(T_nu)/rho_nu1(T_nu), rho_nu1 = (7/8)(pi^2/15) T_nu^4 (one
    neutrino flavour, nu + nubar), rho_phi = g/(2 pi^2) T_nu^4 J_B(m_phi/T_nu):

        Delta N_eff = (g/2) (120/(7 pi^4)) J_B(m_phi/T_nu)  ->  (8/7)(g/2) for m_phi << T_nu,

    i.e. (8/7)(T_gamma/T_nu)^4 rho_phi/rho_gamma, = (8/7)(11/4)^{4/3} rho_phi/rho_gamma
    once T_nu/T_gamma = (4/11)^{1/3}. Assumes phi in equilibrium with the neutrinos,
    at T_nu (:func:`neutrino_temperature`; T_nu/T = 0.995 at 1 MeV). The mediator models'
    common :func:`qke.models.mediator.delta_n_eff_thermal` with g = 2.

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
    return delta_n_eff_thermal(m_phi, temperature, g)


@register("scalar")
@dataclass(frozen=True)
class ScalarMediatorModel(MediatorModel):
    """Active neutrino with a complex scalar mediator phi (PRL 124 (2020) 081802); module docstring.

    The parameters, their checks, H, Delta N_eff and the production estimate come from
    :class:`qke.models.mediator.MediatorModel`.

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

    MASS_FIELD = "m_phi"
    MEDIATOR_STATES = G_PHI

    # --- phi pieces -----------------------------------------------------------
    @property
    def rate_table(self):
        """The shared :class:`~qke.physics.mediator_rates.MediatorRateTable` of this convention."""
        return get_rate_table("scalar", self.convention)

    def mediator_width(self) -> float:
        """Width of phi [GeV]: phi -> nu_a nu_a, lam^2 m_phi/(32 pi) (generated ``width_scalar_to_nunu``)."""
        return float(mediator_width(self.m_phi, self.coupling, "scalar"))

    @cached_property
    def _pole(self):
        """(Gamma_m/m_phi, C = pi lam^2) of the derived rate, with the width of phi -> nu_a nu_a."""
        c = narrow_width_coefficient(self.m_phi, self.coupling, self._width, "scalar")
        return self._width / self.m_phi, float(c)

    def exact_w_rate(self, energy, temperature):
        """The phi-mediated part of Gamma_a [GeV] computed directly (off-shell table + on-shell pole, this convention)."""
        if self.convention == "derived":
            return self.rate_table.derived_rate(energy, temperature, self.m_phi, self.coupling, *self._pole)
        return self.rate_table(energy, temperature, self.m_phi, self.coupling, self._width)

    def reduced_terms(self):
        """The whole phi rate depends on w = m_phi^2/(4ET) alone: the rate table's parts at this coupling and
        width, no quark terms (:meth:`MediatorModel.reduced_terms`; the seed's pole: C at this width too)."""
        return self.rate_table.reduced_terms(self.coupling, *self._pole), ()

    def phi_rate(self, energy, temperature):
        """The phi-mediated part of Gamma_a [GeV] (off-shell table + on-shell pole, this convention), from
        the table in w of this instance (:meth:`~qke.models.mediator.MediatorModel.w_rate`)."""
        e = np.asarray(energy, float)
        t = np.asarray(temperature, float)
        w = self.m_phi * self.m_phi / (4.0 * e * t)
        return self.w_rate(e, t, w, np.log10(w))

    def phi_potential(self, energy, temperature):
        """The phi part of V_T [GeV]: lam^2 T G(E/T, m_phi/T) (sign of this convention)."""
        return mediator_potential(energy, temperature, self.m_phi, self.coupling, kind="scalar",
                                  convention=self.convention)

    mediator_rate = phi_rate
    mediator_potential = phi_potential

