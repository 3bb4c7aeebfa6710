"""The production map d f_s/d ln z on (T, y) that both solvers return (PRL Fig. 3 reads it at x = 1)."""
import numpy as np
from scipy.integrate import simpson
import pytest

from qke.models import get_model
from qke.solvers import solve
from qke.solvers.qke import QKESettings


@pytest.fixture(scope="module")
def results():
    m = get_model("sm", m4=7.1e-6, sin2_2theta=2e-9, flavor="mu")
    return solve(m, "rate"), solve(m, "qke", settings=QKESettings(n_bins=40))


@pytest.mark.parametrize("which, tol", [(0, 1e-5), (1, 1e-3)])
def test_map_integrates_to_the_final_spectrum(results, which, tol):
    res = results[which]
    u = -np.log(res.temperature)
    integral = simpson(res.production, x=u, axis=0)  # the rate grid is refined locally (non-uniform)
    sel = (res.y > 0.5) & (res.y < 10)
    np.testing.assert_allclose(integral[sel], res.f_s[sel], rtol=tol)


def test_production_at_x_1_agrees_between_solvers_and_peaks_near_t_max(results):
    (t_r, d_r), (t_q, d_q) = (r.production_at(1.0) for r in results)
    assert t_r[np.argmax(d_r)] == pytest.approx(t_q[np.argmax(d_q)], rel=0.05)
    # DW at x = 1 (E = T) peaks a little above the spectrum-averaged T_max ~ 250 MeV (m4 = 7.1 keV)
    assert 0.15 < t_r[np.argmax(d_r)] < 0.5
    assert d_q.max() == pytest.approx(d_r.max(), rel=0.06)  # 40 bins: linear interpolation in y (spacing 0.5)
    assert np.all(d_r >= 0)
