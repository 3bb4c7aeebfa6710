"""Solvers: averaged rate equation (:mod:`.rate`) and density-matrix QKE (:mod:`.qke`)."""
