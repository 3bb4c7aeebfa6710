"""Generic parameter scans, independent of the physics.

Everything here takes a user-supplied *evaluator*, a top-level (picklable)
function ``evaluate(point: dict) -> dict[str, float]`` that may raise for a
failed point.

Modules
-------
- :mod:`qke.scans.grid` -- parse ``NAME=START:STOP:SCALE:N`` / ``NAME=v1,v2`` into
  :class:`~qke.scans.grid.Axis`; build the points of a grid.
- :mod:`qke.scans.store` -- SQLite result store keyed by a hash of the point (resume).
- :mod:`qke.scans.run` -- run points serially, on local processes or on Dask.
- :mod:`qke.scans.roots` -- all roots of f(x) = target in a range (bracketing + Brent),
  the linear shortcut for f proportional to x, root lines over an outer parameter.
- :mod:`qke.scans.contour` -- level set g(x, y) = target from a coarse grid, vertices
  refined onto the curve by 1-D root finding along grid edges.
"""
