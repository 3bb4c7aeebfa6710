"""Checks behind the PRL figures: the linearity prl-fig5 relies on, and the S-curve's regimes."""
import numpy as np
import pytest

from qke.figures import prl_common as prl


@pytest.mark.parametrize("m_phi, lam", [(3e-3, 1e-5), (0.3, 1e-3), (1.0, 3e-2), (5.0, 0.5)])
def test_omega_proportional_to_sin2_2theta_at_the_reference_mixing(m_phi, lam):
    """prl-fig5 scales Omega from its reference mixing 1e-13: Omega ∝ sin^2 2theta there to 3e-3
    (at 1e-10 the overproducing points approach equilibrium and are not: 5.7 instead of 10)."""
    from qke.figures.prl_fig5 import S_REF

    om = [prl.card("derived", m_phi=m_phi, coupling=lam, sin2_2theta=s).run().omega_h2 for s in (S_REF / 10, S_REF)]
    assert om[1] / om[0] == pytest.approx(10.0, rel=3e-3)


def test_triple_column_finds_the_s():
    """A column with three sign changes of ln(Omega/0.12) is picked as the A, B, C column."""
    omega = np.ones((6, 3)) * 0.01
    omega[1:3, 1] = 1.0
    omega[4:, 1] = 1.0
    assert prl.triple_column(omega) == 1
    assert prl.triple_column(np.full((4, 4), 0.01)) is None
