"""Shared fixtures."""
import pytest

from qke.cosmology import ConstantCosmology, StandardCosmology
from qke.models import get_model


@pytest.fixture(scope="session")
def standard():
    return StandardCosmology()


@pytest.fixture(scope="session")
def constant():
    return ConstantCosmology()


@pytest.fixture(scope="session")
def dw_model():
    """The plain-DW benchmark point of the issues: SM, nu_mu, 7.1 keV, sin^2 2theta = 2e-9."""
    return get_model("sm", m4=7.1e-6, sin2_2theta=2e-9, flavor="mu")
