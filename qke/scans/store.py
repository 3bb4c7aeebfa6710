"""SQLite store of scan results, keyed by a hash of the point.

A point's key is the SHA-256 of a canonical JSON document holding the point's
parameters (sorted keys, numbers written as float ``repr``, bookkeeping keys
starting with ``_`` left out) and a version string that should identify the
evaluator and the code producing it. Each result is committed on its own, in
WAL mode with ``synchronous=NORMAL``: a killed process loses no finished point
(only a power cut could lose the last commits). Only one process (the scan's
main process) should write; any number may read.

Examples
--------
>>> store = ResultStore(":memory:", version="toy-1")
>>> store.put({"m": 1.0}, {"y": 2.0}, None, wall_time=0.01)
>>> store.get({"m": 1.0}).values
{'y': 2.0}
>>> store.key({"m": 1}) == store.key({"m": 1.0})
True
"""
from __future__ import annotations

import csv
import hashlib
import json
import math
import numbers
import os
import sqlite3
import time
from dataclasses import dataclass
from typing import IO, Iterable, Sequence

from ..errors import QKEInputError
from .grid import parameters

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    key        TEXT PRIMARY KEY,
    version    TEXT NOT NULL,
    point_json TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    result_json TEXT,
    error      TEXT,
    wall_time  REAL,
    created    REAL NOT NULL
)
"""
_COLUMNS = "key, point_json, status, result_json, error, wall_time, created"


@dataclass(frozen=True)
class StoredResult:
    """One row of the store.

    Attributes
    ----------
    key : str
        SHA-256 hex digest of the point and the store version.
    point : dict
        The point's parameters (bookkeeping keys removed).
    status : str
        ``'ok'`` or ``'failed'``.
    values : dict or None
        The evaluator's result (None when failed).
    error : str or None
        One-line error message (None when ok).
    wall_time : float
        Evaluation wall time [s].
    created : float
        When the row was written [s since the Unix epoch].
    """

    key: str
    point: dict
    status: str
    values: dict | None
    error: str | None
    wall_time: float
    created: float

    @property
    def ok(self) -> bool:
        """True if the point succeeded."""
        return self.status == "ok"


def canonical_json(point: dict) -> str:
    """Canonical JSON of a point's parameters: sorted keys, numbers as float repr.

    Bookkeeping keys (starting with ``_``) are dropped; numpy scalars and
    tuples are converted; integers are written as floats so that ``1`` and
    ``1.0`` are the same point.

    Raises
    ------
    QKEInputError
        If a value is not a number, string, bool, None, list or dict.
    """
    return json.dumps(_canonical(parameters(point), "point"), sort_keys=True,
                      separators=(",", ":"), allow_nan=True)


def point_key(point: dict, version: str = "") -> str:
    """SHA-256 hex digest of ``{"point": canonical point, "version": version}``."""
    text = json.dumps({"point": json.loads(canonical_json(point)), "version": str(version)},
                      sort_keys=True, separators=(",", ":"), allow_nan=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ResultStore:
    """Scan results in an SQLite file (or ``':memory:'``).

    Parameters
    ----------
    path : str or os.PathLike
        Database file, created if missing; ``':memory:'`` for a private store.
    version : str, optional
        Mixed into every key: results of another version are not found.
    """

    def __init__(self, path: str | os.PathLike = ":memory:", version: str = ""):
        self.path = str(path)
        self.version = str(version)
        self._conn = sqlite3.connect(self.path, timeout=60.0)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        with self._conn:
            self._conn.execute(_SCHEMA)

    def __enter__(self) -> "ResultStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __len__(self) -> int:
        return self._conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()

    def key(self, point: dict) -> str:
        """The point's key under this store's version."""
        return point_key(point, self.version)

    def get(self, point: dict) -> StoredResult | None:
        """The stored result of ``point``, or None."""
        return self.get_key(self.key(point))

    def get_key(self, key: str) -> StoredResult | None:
        """The stored result with this key, or None."""
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM results WHERE key = ?", (key,)).fetchone()
        return _row(row) if row else None

    def put(self, point: dict, result: dict | None, error: str | None, wall_time: float) -> None:
        """Store (or replace) one result and commit it.

        Parameters
        ----------
        point : dict
            The point (bookkeeping keys are not stored).
        result : dict or None
            ``{name: float}`` for a success; None for a failure.
        error : str or None
            One-line message for a failure; None for a success.
        wall_time : float
            Evaluation wall time [s].
        """
        if (error is None) == (result is None):
            raise ValueError("put: give either a result or an error")
        status = "ok" if error is None else "failed"
        result_json = None if result is None else json.dumps(_canonical(result, "result"), sort_keys=True)
        with self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO results (key, version, point_json, status, result_json,"
                " error, wall_time, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (self.key(point), self.version, json.dumps(_plain(parameters(point)), sort_keys=True),
                 status, result_json, error, float(wall_time), time.time()))

    def done_keys(self, status: str | None = None) -> set[str]:
        """Keys of the stored points, optionally only those with ``status``."""
        if status is None:
            rows = self._conn.execute("SELECT key FROM results")
        else:
            rows = self._conn.execute("SELECT key FROM results WHERE status = ?", (status,))
        return {r[0] for r in rows}

    def rows(self) -> list[StoredResult]:
        """Every stored result, in the order written."""
        return [_row(r) for r in self._conn.execute(f"SELECT {_COLUMNS} FROM results ORDER BY rowid")]

    def export_csv(self, path_or_file: str | os.PathLike | IO[str],
                   columns: Sequence[str] | None = None, units: dict | None = None) -> None:
        """Write the results as CSV with a commented header naming columns and units.

        Parameters
        ----------
        path_or_file : str, os.PathLike or text file
            Destination.
        columns : sequence of str, optional
            Point parameters and result values to write, in order; default all
            parameters (sorted) then all result names (sorted). An ``error``
            column always ends the row.
        units : dict, optional
            ``{column: unit text}`` for the header, e.g. ``{"m4": "GeV"}``.

        Notes
        -----
        Rows are sorted by the parameter columns. A failed point keeps its
        parameters, has empty result fields (never a number) and its message in
        ``error``.
        """
        rows = self.rows()
        columns = list(columns) if columns is not None else _default_columns(rows)
        params = {c for c in columns if any(c in r.point for r in rows)}
        rows.sort(key=lambda r: tuple(_sort_value(r.point.get(c)) for c in columns if c in params))
        if isinstance(path_or_file, (str, os.PathLike)):
            with open(path_or_file, "w", newline="", encoding="utf-8") as fh:
                self._write_csv(fh, rows, columns, params, units or {})
        else:
            self._write_csv(path_or_file, rows, columns, params, units or {})

    def _write_csv(self, fh: IO[str], rows: list[StoredResult], columns: list[str],
                   params: set[str], units: dict) -> None:
        """Header comments, column names, then one line per point."""
        n_failed = sum(not r.ok for r in rows)
        fh.write(f"# qke scan results: {len(rows)} points, {n_failed} failed "
                 f"(store version {self.version!r})\n")
        described = [f"{c} [{units.get(c, '-')}]" + ("" if c in params else " (result)") for c in columns]
        fh.write("# columns: " + ", ".join(described)
                 + ", error (empty if the point succeeded; its result fields are empty if not)\n")
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow([*columns, "error"])
        for r in rows:
            writer.writerow([*(_cell(r, c, c in params) for c in columns), r.error or ""])


def _row(row: tuple) -> StoredResult:
    """SQL row -> StoredResult."""
    key, point_json, status, result_json, error, wall_time, created = row
    values = json.loads(result_json) if result_json is not None else None
    return StoredResult(key, json.loads(point_json), status, values, error, wall_time, created)


def _plain(obj):
    """numpy scalars -> Python, tuples -> lists (JSON-ready, numbers kept as they are)."""
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, (str, bytes)):
        return obj.item()
    return obj


def _canonical(obj, where: str):
    """JSON-ready copy with every number (not bool) as a float."""
    obj = _plain(obj)
    if isinstance(obj, dict):
        return {k: _canonical(v, f"{where}.{k}") for k, v in obj.items()}
    if isinstance(obj, list):
        return [_canonical(v, where) for v in obj]
    if isinstance(obj, bool) or obj is None or isinstance(obj, str):
        return obj
    if isinstance(obj, numbers.Real):
        return float(obj)
    raise QKEInputError(f"{where}: value of type {type(obj).__name__} cannot be stored; "
                        "allowed: numbers, strings, bools, None, lists, dicts")


def _default_columns(rows: Iterable[StoredResult]) -> list[str]:
    """All parameter names (sorted), then all result names (sorted)."""
    rows = list(rows)
    params = sorted({k for r in rows for k in r.point})
    results = sorted({k for r in rows if r.values for k in r.values} - set(params))
    return params + results


def _sort_value(value) -> tuple:
    """Sort key: numbers first (by value), then text, then missing."""
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return (0, float(value), "")
    if value is None:
        return (2, 0.0, "")
    return (1, 0.0, str(value))


def _cell(row: StoredResult, column: str, is_param: bool) -> str:
    """Text of one CSV field; empty for a result of a failed point or a missing value."""
    source = row.point if is_param else (row.values or {})
    value = source.get(column)
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else str(value)
    return str(value)
