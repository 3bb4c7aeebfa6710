"""Closed forms behind the laboratory and cosmological limits in the PRL/PRD figures.

PRL: de Gouvea, Sen, Tangarife & Zhang, PRL 124 (2020) 081802 [arXiv:1910.04901],
Fig. 2 (right): nu_4 lifetime (brown), K+ -> mu+ nu (phi -> nu nu) (green), BBN
(blue), G_eff = lam^2/m_phi^2 = G_F (purple dashed).
PRD: Kelly, Sen, Tangarife & Zhang, PRD 101 (2020) 115031 [arXiv:2005.03681],
Sec. III A-F, Fig. 6: nu_4 -> 3 nu, Higgs invisible (eq. 3.19), W width (eq. 3.20),
meson decays K+, pi+ -> mu+ nu V (Sec. III E), BBN. The h, W and meson widths are
derived in derivations/meson_decays.py (eqs. 3.19 and 3.20 as printed carry G_F^2,
which does not have the dimension of a width: one power of G_F is derived).

Couplings as in the rest of the package (``derivations/out/cross_sections.md``):
scalar L ⊃ (lam/2) nu_a nu_a phi + h.c., vector L ⊃ lam nubar_a gamma^mu P_L nu_a V_mu;
nu_a = cos(theta) nu_1 + sin(theta) nu_4. Natural units, GeV; lifetimes in seconds.

Each function states whether its formula is cited (equation number) or derived
here (derivation in the docstring, checked in tests/test_limits.py).
"""
from __future__ import annotations

import functools
import math

import numpy as np
from particle import Particle as _Particle

from .. import constants as _c
from ..generated import decay_widths as _dw
from ..generated import meson_decays as _md

__all__ = [
    "AGE_OF_UNIVERSE_S", "BBN_MIN_MEDIATOR_MASS", "GAMMA_H_SM", "BR_H_INVISIBLE_LIMIT",
    "BR_H_INVISIBLE_HL_LHC", "DELTA_GAMMA_W", "BR_K_MU_NU", "BR_K_MU_3NU_LIMIT", "F_K", "V_US", "M_K",
    "BR_PI_MU_NU", "BR_PI_MU_3NU_LIMIT", "MESONS",
    "sin2_theta", "width_nu4_to_3nu", "width_nu4_to_nu_phi", "width_nu4_to_nu_gamma", "nu4_lifetime",
    "nu4_outlives_universe", "bbn_allowed", "g_eff", "coupling_on_gf_line",
    "width_h_to_nu_nu_v", "br_h_to_nu_nu_v", "coupling_limit_h_invisible",
    "width_w_to_mu_nu_v", "coupling_limit_w_width",
    "width_meson_to_lepton_nu", "width_meson_to_lepton_nu_phi", "br_k_to_mu_nu_phi",
    "coupling_limit_k_to_mu_nu_phi", "width_meson_to_lepton_nu_v", "br_meson_to_mu_nu_v",
    "coupling_limit_meson_to_mu_nu_v",
]

# --- inputs -------------------------------------------------------------------
#: Age of the Universe [s]: 13.787 Gyr (Planck 2018, A&A 641 (2020) A6, Table 2), Julian years.
AGE_OF_UNIVERSE_S: float = 13.787e9 * 365.25 * 86400.0
#: BBN lower bound on a mediator thermalised with the neutrinos [GeV]. PRD Sec. III F:
#: "a conservative constraint rules out m_V <~ 5 MeV"; the PRL (text below Fig. 2) quotes
#: "m_phi below a few MeV" for the complex scalar. 5 MeV is used for both.
BBN_MIN_MEDIATOR_MASS: float = 5.0e-3
#: Standard-Model Higgs width [GeV]: 4.1 MeV (SM prediction, PDG Higgs review; the PRD uses "~4 MeV").
GAMMA_H_SM: float = 4.1e-3
#: Br(h -> invisible) upper limit used by the PRD (Sec. III B, "< 24%" [their ref. 51]).
BR_H_INVISIBLE_LIMIT: float = 0.24
#: HL-LHC projection for Br(h -> invisible) used by the PRD (Sec. III B, "< 2.5%").
BR_H_INVISIBLE_HL_LHC: float = 0.025
#: Uncertainty of the measured W width [GeV]: PDG Gamma_W = 2.085 +- 0.042 GeV (PRD Sec. III C).
DELTA_GAMMA_W: float = 0.042
#: Br(K+ -> mu+ nu_mu) = 63.56% (PDG 2022).
BR_K_MU_NU: float = 0.6356
#: Br(K+ -> mu+ nu nu nubar) < 2.4e-6 (E949, Artamonov et al., PRD 94 (2016) 032012; PRD Sec. III E).
BR_K_MU_3NU_LIMIT: float = 2.4e-6
#: Kaon decay constant f_K+ [GeV]: 155.7 MeV (FLAG 2021, N_f = 2+1+1).
F_K: float = 0.1557
#: |V_us| = 0.2243 (PDG 2022).
V_US: float = 0.2243
#: Charged-kaon mass [GeV]; PDG via `particle`.
M_K: float = _Particle.from_pdgid(321).mass * _c.MEV
#: Br(pi+ -> mu+ nu_mu) = 99.98770% (PDG 2022).
BR_PI_MU_NU: float = 0.9998770
#: Br(pi+ -> mu+ nu nu nubar) < 5e-6 as used by the PRD (Sec. III E, quoting the PDG, their ref. [51]).
#: PIENU later found Gamma(pi+ -> mu+ nu nu nubar)/Gamma(pi+ -> mu+ nu) < 8.6e-6 (Aguilar-Arevalo et al.,
#: PRD 102 (2020) 012001 [arXiv:2006.00389]); pass br_max to use it.
BR_PI_MU_3NU_LIMIT: float = 5e-6
#: Charged mesons of the PRD's meson-decay limit: name -> (mass [GeV], Br(M -> mu nu), Br(M -> mu nu nu nubar) bound).
MESONS = {"K": (M_K, BR_K_MU_NU, BR_K_MU_3NU_LIMIT), "pi": (_c.M_PI, BR_PI_MU_NU, BR_PI_MU_3NU_LIMIT)}


def sin2_theta(sin2_2theta):
    """sin^2(theta) from sin^2(2 theta) (theta < pi/4), dimensionless."""
    x = np.asarray(sin2_2theta, float)
    return 0.5 * x / (1.0 + np.sqrt(1.0 - x))      # = (1 - sqrt(1 - x))/2 without cancellation


# --- nu_4 decays ----------------------------------------------------------------
def width_nu4_to_3nu(m4, sin2_2theta, m_med, lam, kind="scalar", majorana=True):
    """nu_4 -> nu nu nubar through an off-shell mediator (m_med >> m4) [GeV].

    Derived here. Integrating out the vector (m_V >> m4) gives
    L_eff = (lam^2/(2 m_V^2)) J_mu J^mu, J^mu = nubar_a gamma^mu P_L nu_a, which
    contains (lam^2 c^3 s/m_V^2) (nubar_1 gamma P_L nu_4)(nubar_1 gamma P_L nu_1) + h.c.
    (s = sin theta, c = cos theta). Compared with muon decay (coefficient 2 sqrt2 G_F,
    Gamma = G_F^2 m^5/(192 pi^3)) and counting the two identical nu_1 (amplitude x2 by
    Fierz, phase space x1/2):

        Gamma(nu_4 -> nu_1 nu_1 nubar_1) = lam^4 c^6 s^2 m4^5 / (768 pi^3 m_V^4).

    Check: with lam -> g/(2 cos theta_W), m_V -> M_Z this is 2 G_F^2 m4^5 s^2/(768 pi^3),
    the Standard-Model Z-exchange width into the same flavour (Gorbunov & Shaposhnikov,
    JHEP 10 (2007) 015: (1 + delta_ab) G_F^2 M^5 |U|^2/(768 pi^3)), whose sum over flavours
    gives the standard G_F^2 m^5 s^2/(192 pi^3) (x 2 for a Majorana nu_4). The PRD
    (Sec. III A) states only the scaling lam^4 sin^2(2 theta) m4^5/m_V^4.
    The complex scalar gives, after a Fierz rearrangement, the same operator with
    coefficient lam^2/(8 m_phi^2) (1/4 of the vector's; the generated heavy-mediator
    cross sections have exactly the ratio 1/16), hence Gamma_phi = Gamma_V/16.

    Parameters
    ----------
    m4 : array_like
        Sterile-neutrino mass [GeV].
    sin2_2theta : array_like
        Active-sterile mixing sin^2(2 theta).
    m_med : array_like
        Mediator mass [GeV] (>> m4; the contact limit is used).
    lam : array_like
        Coupling (dimensionless).
    kind : {"scalar", "vector"}
    majorana : bool
        Majorana nu_4 (default): add the CP-conjugate channel nu_4 -> nubar nubar nu (x 2).

    Returns
    -------
    ndarray
        Gamma [GeV].
    """
    s2 = sin2_theta(sin2_2theta)
    c2 = 1.0 - s2
    m4 = np.asarray(m4, float)
    m_med = np.asarray(m_med, float)
    lam = np.asarray(lam, float)
    width = lam**4 * c2**3 * s2 * m4**5 / (768.0 * np.pi**3 * m_med**4)
    if kind == "scalar":
        width = width / 16.0
    elif kind != "vector":
        raise ValueError(f"kind must be 'scalar' or 'vector', got {kind!r}")
    return width * (2.0 if majorana else 1.0)


def width_nu4_to_nu_phi(m4, sin2_2theta, m_phi, lam):
    """Two-body nu_4 -> nu_1 phi (+ CP conjugate) for m_phi < m4, else 0 [GeV].

    (lam/2) nu_a nu_a phi ⊃ lam s c nu_1 nu_4 phi: the Yukawa of generated
    ``width_nus_to_nu_phi`` (Berlin-Hooper eq. 11, g^2 m/(16 pi) for a Majorana
    nu_4 and massless phi) with g = lam sin(theta) cos(theta), times the phase-space
    factor (1 - m_phi^2/m4^2)^2 for a massive phi (derived: |p| ∝ (m4^2 - m_phi^2),
    |M|^2 ∝ (m4^2 - m_phi^2)). Irrelevant for the PRL benchmarks (m_phi > m4).

    Parameters
    ----------
    m4, sin2_2theta, m_phi, lam : array_like
        Sterile mass [GeV], sin^2(2 theta), scalar mass [GeV], coupling.

    Returns
    -------
    ndarray
        Gamma [GeV].
    """
    s2 = sin2_theta(sin2_2theta)
    m4 = np.asarray(m4, float)
    x = np.asarray(m_phi, float) ** 2 / m4**2
    g2 = np.asarray(lam, float) ** 2 * s2 * (1.0 - s2)
    return np.where(x < 1.0, _dw.width_nus_to_nu_phi(np.sqrt(g2), m4) * (1.0 - np.minimum(x, 1.0)) ** 2, 0.0)


def width_nu4_to_nu_gamma(m4, sin2_2theta, majorana=True):
    """Radiative nu_4 -> nu gamma [GeV].

    Generated ``width_nus_to_nu_gamma`` (Berlin-Hooper eq. 10; Pal & Wolfenstein,
    PRD 25 (1982) 766): 9 alpha G_F^2 m4^5 sin^2(2 theta)/(2048 pi^4) for a Dirac
    nu_4; x 2 for a Majorana nu_4 (nu gamma + nubar gamma; Abazajian, Fuller &
    Tucker, ApJ 562 (2001) 593).

    Parameters
    ----------
    m4 : array_like
        Sterile-neutrino mass [GeV].
    sin2_2theta : array_like
        sin^2(2 theta).
    majorana : bool
        Majorana nu_4 (default, x 2).

    Returns
    -------
    ndarray
        Gamma [GeV].
    """
    w = _dw.width_nus_to_nu_gamma(np.asarray(sin2_2theta, float), np.asarray(m4, float), _c.G_F, _c.ALPHA_EM)
    return w * (2.0 if majorana else 1.0)


def nu4_lifetime(m4, sin2_2theta, m_med, lam, kind="scalar", majorana=True):
    """nu_4 lifetime [s] from nu_4 -> 3 nu (mediator), nu_4 -> nu gamma and, for a
    scalar lighter than nu_4, nu_4 -> nu phi. The Standard-Model Z-exchange 3-nu
    width, G_F^2 m4^5 sin^2 theta/(192 pi^3) per CP channel (x 2 = 96 pi^3 for a
    Majorana nu_4; Barger, Phillips & Sarkar, PLB 352 (1995) 365), is added as well.

    Parameters
    ----------
    m4, sin2_2theta, m_med, lam : array_like
        Sterile mass [GeV], sin^2(2 theta), mediator mass [GeV], coupling.
    kind : {"scalar", "vector"}
    majorana : bool

    Returns
    -------
    ndarray
        tau = hbar/Gamma_total [s].
    """
    m4 = np.asarray(m4, float)
    s2 = sin2_theta(sin2_2theta)
    sm = _c.G_F**2 * m4**5 * s2 / (192.0 * np.pi**3) * (2.0 if majorana else 1.0)
    total = (width_nu4_to_3nu(m4, sin2_2theta, m_med, lam, kind, majorana)
             + width_nu4_to_nu_gamma(m4, sin2_2theta, majorana) + sm)
    if kind == "scalar":
        total = total + width_nu4_to_nu_phi(m4, sin2_2theta, m_med, lam)
    return _c.HBAR_GEV_S / total


def nu4_outlives_universe(m4, sin2_2theta, m_med, lam, kind="scalar", majorana=True):
    """True where the nu_4 lifetime exceeds :data:`AGE_OF_UNIVERSE_S` (PRL Fig. 2, brown region: False)."""
    return nu4_lifetime(m4, sin2_2theta, m_med, lam, kind, majorana) > AGE_OF_UNIVERSE_S


# --- cosmology and contact strength -------------------------------------------------
def bbn_allowed(m, m_min=BBN_MIN_MEDIATOR_MASS):
    """True where the mediator mass m [GeV] is above the BBN bound ``m_min`` [GeV].

    PRL (text below Fig. 2, ref. [27] there): m_phi below a few MeV spoils BBN;
    PRD Sec. III F: m_V <~ 5 MeV excluded (conservative).
    """
    return np.asarray(m, float) >= m_min


def g_eff(m, lam):
    """Effective four-neutrino coupling G_eff = lam^2/m^2 [GeV^-2] (PRL, text and Fig. 2 caption)."""
    return np.asarray(lam, float) ** 2 / np.asarray(m, float) ** 2


def coupling_on_gf_line(m):
    """lam with G_eff = lam^2/m^2 = G_F: lam = m sqrt(G_F) (PRL Fig. 2, purple dashed), m in GeV."""
    return np.asarray(m, float) * math.sqrt(_c.G_F)


# --- Higgs and W ----------------------------------------------------------------
def width_h_to_nu_nu_v(lam, m_v):
    """Gamma(h -> nu_mu nubar_mu V) [GeV], derived (generated ``meson_decays.width_h_to_nu_nu_v``).

    |lam|^2 G_F M_H^5/(3072 sqrt2 pi^3 m_V^2) [1 + 12 h^2 (6 + (3 + 4h) ln h) - 64 h^3 - 9 h^4],
    h = m_V^2/M_H^2, from the operator lam (h/v) nubar gamma^mu P_L nu V_mu; zero for m_V >= M_H;
    ∝ 1/m_V^2 for light V (longitudinal mode). PRD eq. 3.19 with one power of G_F (the printed
    G_F^2 is dimensionally wrong; derivations/out/meson_decays.md).

    Parameters
    ----------
    lam : array_like
        Coupling lambda_mumu.
    m_v : array_like
        Vector mass [GeV].

    Returns
    -------
    ndarray
        Gamma [GeV].
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        return _md.width_h_to_nu_nu_v(np.asarray(lam, float), _c.G_F, _c.M_H, np.asarray(m_v, float))


def br_h_to_nu_nu_v(lam, m_v, gamma_h_sm=GAMMA_H_SM):
    """Invisible branching ratio Gamma_new/(Gamma_SM + Gamma_new) (PRD Sec. III B), dimensionless."""
    g = width_h_to_nu_nu_v(lam, m_v)
    return g / (gamma_h_sm + g)


def coupling_limit_h_invisible(m_v, br_max=BR_H_INVISIBLE_LIMIT, gamma_h_sm=GAMMA_H_SM):
    """Largest lam with Br(h -> nu nubar V) <= br_max (PRD Fig. 6, purple), m_v in GeV.

    Gamma_new = lam^2 Gamma_1 with Gamma_1 = Gamma(lam = 1), and Br <= B means
    Gamma_new <= B/(1 - B) Gamma_SM. Infinite where the decay is closed (m_V >= M_H).
    """
    g1 = width_h_to_nu_nu_v(1.0, m_v)
    with np.errstate(divide="ignore"):
        return np.sqrt(br_max / (1.0 - br_max) * gamma_h_sm / g1)


def width_w_to_mu_nu_v(lam, m_v):
    """Gamma(W -> mu nu V) [GeV], derived (generated ``meson_decays.width_w_to_l_nu_v``; muon mass neglected).

    |lam|^2 G_F M_W^5/(512 sqrt2 pi^3 m_V^2) [1 - 8w + 8w^3 - w^4 - 12 w^2 ln w],
    w = m_V^2/M_W^2. PRD eq. 3.20 prints G_F^2 (dimensionally wrong) and "1 - w" (does not
    vanish at threshold); both corrected by the derivation (derivations/out/meson_decays.md).

    Parameters
    ----------
    lam : array_like
        Coupling lambda_mumu.
    m_v : array_like
        Vector mass [GeV].

    Returns
    -------
    ndarray
        Gamma [GeV].
    """
    with np.errstate(invalid="ignore", divide="ignore"):
        return _md.width_w_to_l_nu_v(np.asarray(lam, float), _c.G_F, _c.M_W, np.asarray(m_v, float))


def coupling_limit_w_width(m_v, delta_gamma=DELTA_GAMMA_W):
    """Largest lam with Gamma(W -> mu nu V) below the W-width uncertainty (PRD Sec. III C), m_v in GeV."""
    with np.errstate(divide="ignore"):
        return np.sqrt(delta_gamma / width_w_to_mu_nu_v(1.0, m_v))


# --- charged-meson decays ---------------------------------------------------------
def width_meson_to_lepton_nu(m_meson, m_lepton, f_meson, v_ckm, g_f=None):
    """Standard P+ -> l+ nu width [GeV]: G_F^2 |V|^2 f^2 M m_l^2 (1 - m_l^2/M^2)^2/(8 pi) (PDG leptonic-decays review)."""
    g_f = _c.G_F if g_f is None else g_f
    M = np.asarray(m_meson, float)
    ml = np.asarray(m_lepton, float)
    return g_f**2 * v_ckm**2 * f_meson**2 * M * ml**2 * (1.0 - ml**2 / M**2) ** 2 / (8.0 * np.pi)


@functools.lru_cache(maxsize=4)
def _gl(n):
    return np.polynomial.legendre.leggauss(n)


def width_meson_to_lepton_nu_phi(lam, m_phi, m_meson=M_K, m_lepton=None, f_meson=F_K, v_ckm=V_US,
                                 g_f=None, n_nodes=64):
    """Gamma(P+ -> l+ nubar phi) with phi radiated off the neutrino [GeV] (derived here).

    Derivation: M = sqrt2 G_F V f lam p_P^alpha ubar(k) P_L qslash gamma_alpha P_L v(p)/q^2,
    q = k + p_phi (vertex i lam of (lam/2) nu nu phi; chirality flip on the neutrino
    line, so no helicity suppression). With p_P = q + p this is
    ubar(k) [q^2 P_L - m_l qslash P_R] v(p) sqrt2 G_F V f lam/q^2 and

        sum|M|^2 = 2 G_F^2 |V|^2 f^2 lam^2/q^4 { 2 q^4 k.p + 4 m_l^2 q^2 k.q
                   + 2 m_l^2 [2 (k.q)(p.q) - q^2 k.p] },

    integrated over the Dalitz plot (d Gamma = |M|^2 ds_12 ds_23/(256 pi^3 M^3); the
    s_12 = (p + k)^2 integral is done exactly, the q^2 integral by Gauss-Legendre).
    For m_l, m_phi -> 0: G_F^2 |V|^2 f^2 lam^2 M^3/(768 pi^3). Cf. Berryman, de Gouvea,
    Kelly & Zhang, PRD 97 (2018) 075030 [arXiv:1802.00009], meson-decay constraints on
    lepton-number-charged scalars; PRL Fig. 2 (green) uses K+ -> mu+ nubar (phi -> nu nu).

    Parameters
    ----------
    lam : array_like
        Coupling (dimensionless).
    m_phi : array_like
        Scalar mass [GeV].
    m_meson : float
        Meson mass [GeV] (default K+).
    m_lepton : float, optional
        Charged-lepton mass [GeV] (default muon).
    f_meson : float
        Decay constant [GeV] (default f_K).
    v_ckm : float
        CKM element (default |V_us|).
    g_f : float, optional
        Fermi constant [GeV^-2].
    n_nodes : int
        Gauss-Legendre nodes of the q^2 integral.

    Returns
    -------
    ndarray
        Gamma [GeV]; zero above threshold (m_phi >= M - m_l).
    """
    g_f = _c.G_F if g_f is None else g_f
    ml = _c.M_MU if m_lepton is None else float(m_lepton)
    M = float(m_meson)
    lam = np.asarray(lam, float)
    mphi = np.asarray(m_phi, float)
    shape = np.broadcast_shapes(lam.shape, mphi.shape)
    mp = np.broadcast_to(mphi, shape)[..., None]
    open_ = mp < M - ml
    lo = mp**2
    hi = np.where(open_, (M - ml) ** 2, lo)
    t, wt = _gl(n_nodes)
    th = 0.25 * np.pi * (t + 1.0)                     # s23 = lo + (hi - lo) sin^2(th), th in (0, pi/2)
    s23 = lo + (hi - lo) * np.sin(th) ** 2
    jac = (hi - lo) * np.sin(2.0 * th) * 0.25 * np.pi * wt
    with np.errstate(invalid="ignore", divide="ignore"):
        rs = np.sqrt(s23)
        e2 = (s23 - mp**2) / (2.0 * rs)                # massless nu in the (23) frame
        e1 = (M**2 - s23 - ml**2) / (2.0 * rs)
        p1 = np.sqrt(np.maximum(e1**2 - ml**2, 0.0))
        s12_mid = (e1 + e2) ** 2 - p1**2 - e2**2
        d12 = 4.0 * p1 * e2
        kp = 0.5 * (s12_mid - ml**2)
        kq = 0.5 * (s23 - mp**2)
        pq = 0.5 * (M**2 - ml**2 - s23)
        q2 = s23
        msq = (2.0 * q2**2 * kp + 4.0 * ml**2 * q2 * kq + 2.0 * ml**2 * (2.0 * kq * pq - q2 * kp)) / q2**2
        integral = np.sum(np.where(open_, d12 * msq * jac, 0.0), axis=-1)
    pref = 2.0 * g_f**2 * v_ckm**2 * f_meson**2 / (256.0 * np.pi**3 * M**3)
    return lam**2 * pref * integral


def br_k_to_mu_nu_phi(lam, m_phi):
    """Br(K+ -> mu+ nubar phi), dimensionless: Br(K -> mu nu) x Gamma(mu nu phi)/Gamma(mu nu)
    (f_K and V_us cancel); see :func:`width_meson_to_lepton_nu_phi`."""
    ratio = (width_meson_to_lepton_nu_phi(lam, m_phi, M_K, _c.M_MU, 1.0, 1.0)
             / width_meson_to_lepton_nu(M_K, _c.M_MU, 1.0, 1.0))
    return BR_K_MU_NU * ratio


def coupling_limit_k_to_mu_nu_phi(m_phi, br_max=BR_K_MU_3NU_LIMIT):
    """Largest lam with Br(K+ -> mu+ nubar phi) <= br_max (PRL Fig. 2, green), m_phi in GeV.

    Uses the E949 limit on K+ -> mu+ nu nu nubar as the PRD (Sec. III E) does; the
    experiment's acceptance for the phi-emission spectrum is not modelled.
    """
    with np.errstate(divide="ignore"):
        return np.sqrt(br_max / br_k_to_mu_nu_phi(1.0, m_phi))


# --- M+ -> mu+ nu V (neutrinophilic vector; PRD Sec. III E, Fig. 6 blue) -------------------------
def _sin2_nodes(lo, hi, n_nodes):
    """Gauss-Legendre nodes and weights on [lo, hi] after s = lo + (hi - lo) sin^2(theta).

    The map absorbs the square-root endpoint behaviour of three-body phase space.
    """
    t, wt = _gl(n_nodes)
    th = 0.25 * np.pi * (t + 1.0)
    return lo + (hi - lo) * np.sin(th) ** 2, (hi - lo) * np.sin(2.0 * th) * 0.25 * np.pi * wt


def width_meson_to_lepton_nu_v(lam, m_v, m_meson=M_K, m_lepton=None, f_meson=F_K, v_ckm=V_US,
                               g_f=None, n_nodes=64):
    """Gamma(P+ -> l+ nu V), V radiated off the neutrino [GeV] (derived: derivations/meson_decays.py).

    The generated dGamma/ds (t integrated exactly; s = (p_nu + p_V)^2)

        G_F^2 V^2 f^2 lam^2 (s - m_V^2)^2 (s + 2 m_V^2) lambda^(1/2)(M^2, s, m_l^2)
        [M^2 (s + m_l^2) - (s - m_l^2)^2]/(256 pi^3 M^3 m_V^2 s^3)

    integrated over m_V^2 < s < (M - m_l)^2 by Gauss-Legendre. Limits (generated, tested):
    G_F^2 V^2 f^2 lam^2 M^5/(3072 pi^3 m_V^2) x [1 + 12 r^2 - 16 r^3 + 3 r^4 + 12 r^2 ln r]
    for m_V -> 0 (r = m_l^2/M^2); for m_l -> 0 the bracket of PRD eq. 3.19 in x = m_V^2/M^2.

    Parameters
    ----------
    lam : array_like
        Coupling lambda_mumu of L ⊃ lam nubar gamma^mu P_L nu V_mu (dimensionless).
    m_v : array_like
        Vector mass [GeV].
    m_meson : float
        Meson mass [GeV] (default K+).
    m_lepton : float, optional
        Charged-lepton mass [GeV] (default muon).
    f_meson : float
        Decay constant [GeV] (default f_K).
    v_ckm : float
        CKM element (default |V_us|).
    g_f : float, optional
        Fermi constant [GeV^-2].
    n_nodes : int
        Gauss-Legendre nodes of the s integral.

    Returns
    -------
    ndarray
        Gamma [GeV], broadcast over lam and m_v; zero where closed (m_V >= M - m_l).
    """
    g_f = _c.G_F if g_f is None else g_f
    ml = _c.M_MU if m_lepton is None else float(m_lepton)
    M = float(m_meson)
    lam = np.asarray(lam, float)
    mv = np.asarray(m_v, float)
    shape = np.broadcast_shapes(lam.shape, mv.shape)
    mv = np.broadcast_to(mv, shape)[..., None]
    open_ = mv < M - ml
    lo = mv**2
    s, w = _sin2_nodes(lo, np.where(open_, (M - ml) ** 2, lo), n_nodes)
    with np.errstate(invalid="ignore", divide="ignore"):
        dens = _md.dwidth_ds_meson_to_l_nu_v(1.0, g_f, v_ckm, f_meson, M, ml, mv, s)
        integral = np.sum(np.where(open_, dens * w, 0.0), axis=-1)
    return lam**2 * integral


def br_meson_to_mu_nu_v(lam, m_v, meson="K"):
    """Br(M+ -> mu+ nu V) for M = K or pi, dimensionless.

    Br(M -> mu nu) x Gamma(mu nu V)/Gamma(mu nu): f_M and the CKM element cancel
    (:func:`width_meson_to_lepton_nu_v`, :func:`width_meson_to_lepton_nu`); V -> nu nubar
    makes the final state mu+ plus missing energy.

    Parameters
    ----------
    lam : array_like
        Coupling lambda_mumu (dimensionless).
    m_v : array_like
        Vector mass [GeV].
    meson : {"K", "pi"}
        Decaying meson (:data:`MESONS`).

    Returns
    -------
    ndarray
        Branching ratio.
    """
    try:
        mass, br_two, _ = MESONS[meson]
    except KeyError:
        raise ValueError(f"meson must be one of {sorted(MESONS)}, got {meson!r}") from None
    ratio = (width_meson_to_lepton_nu_v(lam, m_v, mass, _c.M_MU, 1.0, 1.0)
             / width_meson_to_lepton_nu(mass, _c.M_MU, 1.0, 1.0))
    return br_two * ratio


def coupling_limit_meson_to_mu_nu_v(m_v, meson="K", br_max=None):
    """Largest lam with Br(M+ -> mu+ nu V) <= br_max (PRD Fig. 6, blue), m_v in GeV.

    Default bounds on M+ -> mu+ nu nu nubar as in the PRD (Sec. III E): 2.4e-6 for K+ (E949),
    5e-6 for pi+ (:data:`MESONS`). As in the PRD, the experiments' acceptance for the spectrum
    of this decay (which differs from the Standard-Model four-body one) is not modelled.
    Infinite where the decay is closed (m_V >= m_M - m_mu).

    Parameters
    ----------
    m_v : array_like
        Vector mass [GeV].
    meson : {"K", "pi"}
    br_max : float, optional
        Upper bound on the branching ratio (default: the meson's entry of :data:`MESONS`).

    Returns
    -------
    ndarray
        Upper bound on lambda_mumu.
    """
    br_max = MESONS.get(meson, (None, None, None))[2] if br_max is None else br_max
    with np.errstate(divide="ignore"):
        return np.sqrt(br_max / br_meson_to_mu_nu_v(1.0, m_v, meson))
