r"""Vector mediator V (Kelly, Sen, Tangarife & Zhang, PRD 101 (2020) 115031 [arXiv:2005.03681]).

One implementation, three registered models that differ only in a table of charges
(:data:`CHARGES`) and in which species the plasma holds at each temperature:

======================  ====================================================================
``vector-nu``           neutrinophilic V, L ⊃ lam nubar_a gamma^mu P_L nu_a V_mu (PRD sec. III;
                        the PRD's lam_mumu, the flavour a follows ``flavor``)
``vector-lmu-ltau``     gauged U(1)_{L_mu - L_tau} (PRD sec. IV): g to nu_mu, mu (+1) and nu_tau,
                        tau (-1); ``flavor`` 'mu' or 'tau'
``vector-b-l``          gauged U(1)_{B - L} (PRD sec. V): g to every lepton (-1) and quark (+1/3)
======================  ====================================================================

Parameters (all three): ``m_v`` (energy, ``-P m_v=100MeV``), ``coupling`` (lam or g),
``convention``, ``mediator_in_expansion``; the rest (checks, H, Delta N_eff with the 3
states of a massive vector, production estimate) is the mediator models' common base,
:class:`qke.models.mediator.MediatorModel`.

Collision rate (Gamma_a = Gamma_SM + Gamma_V, every channel open at T; helicity factor 2)
    * nu_a with itself (charge Q_a): nu_a nu_a -> nu_a nu_a, nu_a nubar_a -> nu_a nubar_a (PRD
      eq. 3.5) from :func:`qke.physics.mediator_rates.get_rate_table` ('vector') at lam = g |Q_a|:
      the off-shell remainder with the first-order finite-width correction at the TOTAL width,
      plus the on-shell pole. ``derived``: C = 2 pi g^2 Q_a^2, inverse decay nu_a nubar_a -> V
      whatever V decays to (the narrow-width coefficients of all nu_a nubar_a -> X add up to it:
      derivations/out/vector_backgrounds.md). ``seed``: sigma ≈ g^4 m_V/(12 Gamma_V) delta(s - m_V^2)
      with the total width, i.e. only the nu_a nubar_a final state of the pole (PRD eq. 3.11; sec.
      IV-V write the rate with w = m_V^2/(4ET) and "Gamma_V the decay width of the gauge boson"),
      in the PRL eq.-6 form, and PRD eq. 3.8/3.10's kernel for the off-shell part.
    * the rest of the plasma (gauged models), derived kernel in both conventions
      (:class:`qke.physics.mediator_rates.PlasmaRateTable`; derivations/out/vector_backgrounds.md):
      the other neutrino flavours (t-channel nu_a nu_b, nu_a nubar_b; s-channel nu_a nubar_a ->
      nu_b nubar_b), scattering on the charged leptons and their antiparticles (massive
      Fermi-Dirac partners, t-channel), annihilation nu_a nubar_a -> l+ l- (threshold, massive
      l, off-shell remainder), weights Q_a^2 Q^2. Quarks (N_c = 3, Q = 1/3; scattering and
      annihilation, current masses) in ``derived`` only and only as free partons across the
      QCD crossover (:func:`~qke.physics.mediator_rates.qcd_fraction`, T_c = 156.5 MeV):
      hadrons below it (nu-pion through V-rho mixing, nu-nucleon) are neglected, as the PRD
      neglects every nu-baryon process (sec. V: production happens well below a few hundred
      MeV); ``seed`` leaves quarks out entirely, as the PRD.
    Evaluation: the parts that depend on w = m_V^2/(4ET) alone (nu_a with itself, Weyl partners,
    annihilation) from one table in w per instance (:meth:`VectorMediatorModel.reduced_terms`,
    < 5e-9 relative); the scattering on the Dirac species, which also depends on T and E/T, from
    the plasma table resampled at this m_V in (T, E/T)
    (:class:`~qke.physics.mediator_rates.MassScattering`, within 6e-3 of the combined table).
    Limits (tests/test_models_vector.py): heavy V, relativistic plasma
    Gamma_V = k 7 pi g^4 E T^4/(54 m_V^4) with k = 1 (vector-nu), 7/2 (L_mu - L_tau), 5 (B - L,
    leptons; 20/3 with u d s c b); light V, 3 zeta(3) g^4 T^3/(4 pi^3 m_V^2) times 1, 6, 9
    (37/3 with quarks), plus the on-shell term.

Thermal potential
    V_V = Q_a^2 g^2 T G(E/T, m_V/T) x 2 (PRD eq. 3.3-3.4, :func:`qke.physics.potentials.mediator_potential`
    'vector'; -7 pi^2 g^2 E T^4/(45 m_V^4) for m_V >> T, +g^2 T^2/(8E) for m_V << T). The charged
    (and other-neutrino) backgrounds add NOTHING in the CP-symmetric plasma: forward scattering on
    a species f != nu_a sees only its net number density, g^2 Q_a Q_f (n_f - n_fbar)/m_V^2 = 0, and
    the energy-dependent (Notzold-Raffelt-like) term needs an exchange diagram whose internal line
    is nu_a itself (derivations/out/vector_backgrounds.md). Same in both conventions (the seed
    convention keeps the physical sign, as for the scalar).

Width (``mediator_width``)
    L_mu - L_tau: PRD eq. 4.6 (generated ``width_lmu_ltau``). Otherwise the sum over the charges:
    Q^2 g^2 m_V/(24 pi) per neutrino flavour plus N_c Q^2 g^2 m_V/(12 pi)(1 + 2r)(1 - 4r)^{1/2} per
    Dirac species above threshold (generated ``width_vector_to_weyl``, ``width_vector_to_dirac``).
    For B - L the PRD takes the width from its ref. [79] (not in the seed dump); here the hadronic
    part is the quark-level estimate, each quark flavour opening at its lightest hadronic final state
    (:data:`HADRONIC_THRESHOLD`: u, d at 3 m_pi (an isoscalar, G-odd V), s at 2 m_K, c at 2 m_D,
    b at 2 m_B); it misses the omega/phi resonances (a factor ~2 near 0.78 and 1.02 GeV). The
    width enters only through the finite-width correction and the seed convention's pole.

Mediator bath (``mediator_in_expansion``, ``equilibrium_fraction``): T itself when V couples
to electrons (B - L), the neutrino temperature otherwise.

Not included: the sterile state's own B - L charge (the PRD treats nu_s as neutral),
V-photon kinetic mixing, thermal masses of the plasma, the O(g^4) processes nu nu -> V V.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import numpy as np
from particle import Particle as _Particle

from .. import constants as const
from ..errors import QKEInputError
from ..generated import decay_widths as _dw
from ..generated import vector_backgrounds as _vb
from ..physics.mediator_rates import PlasmaChannel, get_plasma_rate_table, get_rate_table, narrow_width_coefficient
from ..physics.potentials import mediator_potential
from ..physics.reduced_rate import ReducedRate
from .base import energy_field, register
from .mediator import T_NU_DECOUPLING, MediatorModel, neutrino_temperature

__all__ = ["VectorMediatorModel", "CHARGES", "SPECIES", "HADRONIC_THRESHOLD"]


def _pdg_mass(pdgid):
    return _Particle.from_pdgid(pdgid).mass * const.MEV


#: Species of the plasma: name -> (kind, mass [GeV], colours, free only above the QCD crossover).
#: Neutrinos are left-handed Weyl fields; the rest Dirac with vector couplings. Masses: PDG via `particle`.
SPECIES = {
    "nu_e": ("weyl", 0.0, 1, False), "nu_mu": ("weyl", 0.0, 1, False), "nu_tau": ("weyl", 0.0, 1, False),
    "e": ("dirac", const.M_E, 1, False), "mu": ("dirac", const.M_MU, 1, False),
    "tau": ("dirac", const.M_TAU, 1, False),
    "u": ("dirac", _pdg_mass(2), 3, True), "d": ("dirac", _pdg_mass(1), 3, True),
    "s": ("dirac", _pdg_mass(3), 3, True), "c": ("dirac", _pdg_mass(4), 3, True),
    "b": ("dirac", _pdg_mass(5), 3, True), "t": ("dirac", _pdg_mass(6), 3, True),
}
#: Lightest hadronic final state of V -> q qbar [GeV] (width estimate): u, d: 3 pi (isoscalar, G-odd);
#: s: K Kbar; c: D Dbar; b: B Bbar; t: t tbar.
HADRONIC_THRESHOLD = {"u": 3 * const.M_PI, "d": 3 * const.M_PI, "s": 2 * _pdg_mass(321),
                      "c": 2 * _pdg_mass(421), "b": 2 * _pdg_mass(521), "t": 2 * _pdg_mass(6)}
#: U(1) charges of each model; ``None``: the neutrino of the chosen flavour only (neutrinophilic).
CHARGES = {
    "vector-nu": None,
    "vector-lmu-ltau": {"nu_mu": 1.0, "mu": 1.0, "nu_tau": -1.0, "tau": -1.0},
    "vector-b-l": {**{k: -1.0 for k in ("nu_e", "nu_mu", "nu_tau", "e", "mu", "tau")},
                   **{q: 1.0 / 3.0 for q in ("u", "d", "s", "c", "b", "t")}},
}


@dataclass(frozen=True)
class VectorMediatorModel(MediatorModel):
    """Active neutrino with a vector mediator V; the three registered models differ in ``CHARGES``.

    Parameters
    ----------
    m4, sin2_2theta, flavor, rate, potential
        See :class:`qke.models.sm.StandardModel`.
    m_v : float
        Mass of V [GeV] (with a unit on command lines: ``-P m_v=100MeV``), in [1 eV, 10 TeV].
    coupling : float
        lam (neutrinophilic) or the gauge coupling g, in (0, 4 pi].
    convention : {'derived', 'seed'}
        Derived physics (default) or the PRD's printed forms (module docstring).
    mediator_in_expansion : bool
        Add the energy density of a thermal V (3 states) to H (default False, as the PRD).

    Examples
    --------
    >>> from qke.models import get_model
    >>> m = get_model("vector-lmu-ltau", m4=7.1e-6, sin2_2theta=7e-11, m_v=0.1, coupling=1e-3)
    >>> m.charge_of_active, sorted(m.charges)
    (1.0, ['mu', 'nu_mu', 'nu_tau', 'tau'])
    """

    m_v: float = energy_field(0.1, "mass of the vector mediator V")

    MASS_FIELD = "m_v"
    MEDIATOR_STATES = 3
    #: Charges of the model (a key of :data:`CHARGES`).
    MODEL = "vector-nu"

    # --- charges and channels ---------------------------------------------------------
    @property
    def charges(self) -> dict:
        """{species: U(1) charge} of this model (the neutrinophilic V: the active flavour only)."""
        return _charges(self.MODEL, self.flavor)

    @property
    def charge_of_active(self) -> float:
        """Q_a, the charge of the active neutrino that mixes with the sterile state."""
        return float(self.charges.get(f"nu_{self.flavor}", 0.0))

    def _check_mediator(self):
        if self.charge_of_active == 0.0:
            allowed = sorted(k[3:] for k in self.charges if k.startswith("nu_"))
            raise QKEInputError(f"flavor: V of model {self.name!r} does not couple to nu_{self.flavor}; "
                                f"allowed: {', '.join(allowed)}")

    def include_quarks(self) -> bool:
        """Whether nu-quark processes enter the rate (derived convention only; module docstring)."""
        return self.convention == "derived"

    def plasma_channels(self) -> tuple:
        """The :class:`~qke.physics.mediator_rates.PlasmaChannel` of every charged species besides nu_a."""
        return _plasma_channels(self.MODEL, self.flavor, self.include_quarks())

    @cached_property
    def plasma_table(self):
        """The shared :class:`~qke.physics.mediator_rates.PlasmaRateTable` of these channels (None: none)."""
        return _plasma_table(self.MODEL, self.flavor, self.include_quarks())

    @cached_property
    def _plasma_slices(self):
        table = self.plasma_table
        return None if table is None else table.slices(self.m_v)

    @property
    def rate_table(self):
        """The shared 'vector' :class:`~qke.physics.mediator_rates.MediatorRateTable` of this convention."""
        return get_rate_table("vector", self.convention)

    # --- width ------------------------------------------------------------------------
    def partial_widths(self) -> dict:
        """{species: Gamma(V -> species pair)} [GeV] from the charges (module docstring)."""
        names = list(self.charges)
        q2 = np.array([self.charges[n] ** 2 for n in names], float)
        weyl = np.array([SPECIES[n][0] == "weyl" for n in names])
        mass = np.array([SPECIES[n][1] for n in names], float)
        colours = np.array([SPECIES[n][2] for n in names], float)
        open_ = np.array([self.m_v > HADRONIC_THRESHOLD.get(n, 0.0) for n in names])
        # one call of each generated width for all species (Weyl: no mass; Dirac: N_c, the hadronic thresholds)
        dirac = colours * np.where(open_, _vb.width_vector_to_dirac(self.m_v, self.coupling, np.where(weyl, 0.0, mass)),
                                   0.0)
        widths = q2 * np.where(weyl, float(_vb.width_vector_to_weyl(self.m_v, self.coupling)), dirac)
        return {n: float(w) for n, w in zip(names, widths)}

    def mediator_width(self) -> float:
        """Total width of V [GeV] (the sum of :meth:`partial_widths`)."""
        return float(sum(self.partial_widths().values()))

    # --- rate and potential -----------------------------------------------------------
    @cached_property
    def _self_coupling(self):
        """(lam = g |Q_a|, Gamma_V/m_V with the total width, C = 2 pi lam^2 of inverse decay into V)."""
        lam = self.coupling * abs(self.charge_of_active)
        return lam, self._width / self.m_v, float(narrow_width_coefficient(self.m_v, lam, None, "vector"))

    def self_rate(self, energy, temperature):
        """nu_a with itself through V [GeV] (off-shell table and on-shell pole of this convention)."""
        lam, width_ratio, pole = self._self_coupling
        if self.convention == "derived":
            # off shell at the total width; on shell: inverse decay into V, C = 2 pi lam^2
            return self.rate_table.derived_rate(energy, temperature, self.m_v, lam, width_ratio, pole)
        return self.rate_table(energy, temperature, self.m_v, lam, self._width)

    def plasma_rate(self, energy, temperature):
        """nu_a with the rest of the charged plasma through V [GeV] (derived kernel; 0 for vector-nu)."""
        table = self.plasma_table
        if table is None:
            return 0.0 * np.asarray(energy, float) * np.asarray(temperature, float)
        return table(energy, temperature, self.m_v, self.coupling, self._plasma_slices)

    def exact_w_rate(self, energy, temperature):
        """The parts of Gamma_V that depend on w = m_V^2/(4ET) alone, computed directly [GeV]:
        :meth:`self_rate` and the plasma's Weyl partners and annihilation channels."""
        rate = self.self_rate(energy, temperature)
        if self._plasma_slices is None:
            return rate
        e, t = np.asarray(energy, float), np.asarray(temperature, float)
        w = self.m_v * self.m_v / (4.0 * e * t)
        return rate + self.coupling**4 * t**3 / (self.m_v * self.m_v) * self._plasma_slices(w, t)

    def reduced_terms(self):
        """The terms of :meth:`exact_w_rate` (:meth:`MediatorModel.reduced_terms`): the self-interaction's
        table parts at this coupling and width, and the plasma's slices at this m_V times g^4."""
        lam, width_ratio, pole = self._self_coupling
        if self.convention == "seed":   # the pole of nu_a nubar_a -> V -> nu_a nubar_a at the total width
            pole = float(narrow_width_coefficient(self.m_v, lam, self._width, "vector"))
        own = self.rate_table.reduced_terms(lam, width_ratio, pole)
        if self._plasma_slices is None:
            return own, ()
        free, quarks = self._plasma_slices.reduced
        g4 = self.coupling**4
        (off, _), *rest = own        # lam^4 = g^4 Q_a^4: the off-shell part joins the plasma's, once per mass
        joined = _off_shell_and_plasma(off, free, self.charge_of_active**4)
        return ((joined, g4), *rest), () if quarks is None else ((quarks, g4),)

    @cached_property
    def _scattering(self):
        """The plasma's scattering table at this m_V (:meth:`~qke.physics.mediator_rates.PlasmaRateTable.at_mass`;
        None without Dirac species)."""
        return None if self.plasma_table is None else self.plasma_table.at_mass(self.m_v)

    def mediator_rate(self, energy, temperature):
        """Gamma_V [GeV]: :meth:`self_rate` + :meth:`plasma_rate` (the latter only with a charged plasma),
        their parts in w alone from the table of this instance (:meth:`MediatorModel.w_rate`), the scattering
        on the Dirac species from the table at this m_V."""
        e, t = np.asarray(energy, float), np.asarray(temperature, float)
        w = self.m_v * self.m_v / (4.0 * e * t)
        rate = self.w_rate(e, t, w, np.log10(w))
        scattering = self.scattering_rate(e, t)
        return rate if scattering is None else rate + scattering

    def scattering_rate(self, energy, temperature):
        """nu_a scattering on the charged plasma's Dirac species [GeV] (g^4 T^3/m_V^2 Phi_scat, from the table at
        this m_V); None for vector-nu (:meth:`MediatorModel.scattering_rate`)."""
        if self._scattering is None:
            return None
        t = np.asarray(temperature, float)
        return self._scattering(t, np.asarray(energy, float) / t,
                                np.log(self.coupling**4 / (self.m_v * self.m_v)) + 3.0 * np.log(t))

    def mediator_potential(self, energy, temperature):
        """V_V [GeV]: Q_a^2 x the general-mass vector potential (no background term; module docstring)."""
        return mediator_potential(energy, temperature, self.m_v, self.coupling * abs(self.charge_of_active),
                                  kind="vector", convention=self.convention)

    def bath_temperature(self, temperature):
        """T when V couples to a species lighter than the neutrino decoupling temperature (electrons), else T_nu."""
        light = any(SPECIES[k][0] == "dirac" and SPECIES[k][1] < T_NU_DECOUPLING and q != 0
                    for k, q in self.charges.items())
        return np.asarray(temperature, float) if light else neutrino_temperature(temperature)


def _charges(model: str, flavor: str) -> dict:
    """{species: charge} of a model (a key of :data:`CHARGES`; the neutrinophilic V: the active flavour only)."""
    table = CHARGES[model]
    return {f"nu_{flavor}": 1.0} if table is None else dict(table)


@lru_cache(maxsize=None)
def _plasma_channels(model: str, flavor: str, quarks: bool) -> tuple:
    """:meth:`VectorMediatorModel.plasma_channels` of a model (a key of :data:`CHARGES`), flavour and quark switch."""
    charges = _charges(model, flavor)
    qa2 = charges.get(f"nu_{flavor}", 0.0) ** 2
    out = []
    for name, q in sorted(charges.items()):
        kind, mass, colours, qcd = SPECIES[name]
        if name == f"nu_{flavor}" or q == 0.0 or (qcd and not quarks):
            continue
        out.append(PlasmaChannel(name, kind, qa2 * q * q * colours, mass, qcd))
    return tuple(out)


@lru_cache(maxsize=None)
def _plasma_table(model: str, flavor: str, quarks: bool):
    channels = _plasma_channels(model, flavor, quarks)
    return get_plasma_rate_table(channels) if channels else None


@lru_cache(maxsize=64)
def _off_shell_and_plasma(off, plasma, q4):
    """Q_a^4 x the self-interaction's off-shell part + the plasma's slices (both x g^4; one table per mass)."""
    return ReducedRate.sum(((off, q4), (plasma, 1.0)))


@register("vector-nu")
@dataclass(frozen=True)
class VectorNu(VectorMediatorModel):
    """Neutrinophilic vector (PRD sec. III): lam to the active flavour only. See :mod:`qke.models.vector`."""

    MODEL = "vector-nu"


@register("vector-lmu-ltau")
@dataclass(frozen=True)
class VectorLmuLtau(VectorMediatorModel):
    """Gauged U(1)_{L_mu - L_tau} (PRD sec. IV). See :mod:`qke.models.vector`."""

    MODEL = "vector-lmu-ltau"

    def mediator_width(self) -> float:
        """PRD eq. 4.6 (generated ``width_lmu_ltau``) [GeV]; equal to the sum over the charges."""
        return float(_dw.width_lmu_ltau(self.m_v, self.coupling, const.M_MU, const.M_TAU))


@register("vector-b-l")
@dataclass(frozen=True)
class VectorBminusL(VectorMediatorModel):
    """Gauged U(1)_{B - L} (PRD sec. V). See :mod:`qke.models.vector`."""

    MODEL = "vector-b-l"
