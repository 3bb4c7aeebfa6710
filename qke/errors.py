"""Exceptions raised by qke.

User errors (bad parameters) raise :class:`QKEInputError`, whose message names
the parameter and the allowed range; the command line prints it on one line
and exits with status 2. Numerical failures raise :class:`SolverError`, which
says where (temperature or z, momentum bin) and why.
"""


class QKEInputError(ValueError):
    """A parameter is out of its allowed range or malformed."""


class SolverError(RuntimeError):
    """A solver failed; the message names z (or T), the momentum bin and the cause."""
