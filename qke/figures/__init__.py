"""Figures that ``qke figures`` can draw: the papers' and the code's own.

Each figure is a module here that defines ``FIGURE = Figure(name, module,
title, source)`` (found automatically), ``compute(ctx) -> data`` (scan results,
through :meth:`FigureContext.run`, which caches every point in an SQLite store
in the output folder, so redrawing costs only the plotting) and
``draw(data, ctx) -> list of paths`` (PNG, PDF and the numbers as CSV with a
header naming columns and units). The top-level ``figures/`` folder of a
source checkout holds a thin script per figure and the committed output.

>>> {"dw-line", "qke-vs-rate", "prl-fig2"} <= set(FIGURES)
True
"""
from __future__ import annotations

import contextlib
import dataclasses
import importlib
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import __version__
from ..errors import QKEInputError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Figure:
    """A registered figure: name (``qke figures NAME``), module and what it shows."""

    name: str
    module: str
    title: str
    source: str


def _discover() -> dict[str, Figure]:
    """Every module of this package that defines ``FIGURE = Figure(...)``, by figure name (sorted)."""
    import pkgutil

    found = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        fig = getattr(module, "FIGURE", None)
        if isinstance(fig, Figure):
            found[fig.name] = fig
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class FigureContext:
    """Where and how figures are computed.

    Attributes
    ----------
    out_dir : Path
        Output folder (PNG, PDF, CSV, and the cache ``figures.sqlite``).
    quick : bool
        Low resolution (the default test suite draws every figure this way).
    workers : int or None
        Local processes (None: all cores).
    dask : str or None
        Dask scheduler address or 'local'.
    progress : bool or None
        Progress bar (None: if stderr is a terminal).
    executor : ProcessPoolExecutor or None
        A warmed process pool shared by every scan of the figures (set by :func:`make`).
    data : tuple of (str, str)
        User data files by name (``qke figures --data NAME=FILE``), e.g. ``('xray', 'limits.csv')``
        for the X-ray/gamma-ray line limits of ``bh-fig2``; experimental curves come only from these.
    """

    out_dir: Path
    quick: bool = False
    workers: int | None = None
    dask: str | None = None
    progress: bool | None = None
    executor: object | None = None
    data: tuple = ()

    def data_file(self, name: str) -> str | None:
        """The user data file given as ``--data NAME=FILE``, or None."""
        return dict(self.data).get(name)

    @property
    def store(self) -> str:
        return str(self.out_dir / "figures.sqlite")

    def run(self, points, evaluate):
        """Run scan points through the store (cached points cost nothing)."""
        from ..scans.points import warm_up
        from ..scans.run import run_points

        workers = self.workers if self.workers is not None else (os.cpu_count() or 1)
        if len(points) < 2:  # nothing to share out
            workers = 1
        return run_points(points, evaluate, store=self.store, workers=min(workers, max(1, len(points))),
                          dask=self.dask, progress=self.progress, version=__version__, initializer=warm_up,
                          executor=self.executor if workers > 1 else None)

    def path(self, stem: str, suffix: str) -> Path:
        """Output file ``STEM[-quick].SUFFIX`` in the output folder."""
        return self.out_dir / f"{stem}{'-quick' if self.quick else ''}.{suffix}"

    def save(self, fig, stem: str, write_numbers, data, dpi: int = 130) -> list[Path]:
        """Write ``fig`` as PNG and PDF and the numbers (``write_numbers(path, data)``) as CSV; close it."""
        import matplotlib.pyplot as plt

        out = [self.path(stem, "png"), self.path(stem, "pdf"), self.path(stem, "csv")]
        fig.savefig(out[0], dpi=dpi)
        fig.savefig(out[1], metadata={"CreationDate": None})  # no time stamp: unchanged figures stay byte-identical
        plt.close(fig)
        write_numbers(out[2], data)
        return out


def pyplot():
    """matplotlib.pyplot with the non-interactive Agg backend (figures are written to files)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def write_table(path, title: str, columns, rows) -> None:
    """CSV with a two-line header: ``# title`` and ``# columns: name [unit], ...``, then the rows.

    Parameters
    ----------
    columns : sequence of (name, unit)
        Column names and their units ('' for dimensionless quantities).
    rows : iterable of sequences
        Floats are written with repr (exact round trip).
    """
    import csv

    with open(path, "w", newline="") as fh:
        fh.write(f"# {title}\n")
        fh.write("# columns: " + ", ".join(f"{n} [{u or 'dimensionless'}]" for n, u in columns) + "\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow([n for n, _ in columns])
        w.writerows([repr(float(v)) if isinstance(v, (float, np.floating)) else v for v in row] for row in rows)


def make(names, ctx: FigureContext) -> list[Path]:
    """Compute and draw the figures ``names`` ('all' for every one); returns the files written."""
    names = list(FIGURES) if list(names) == ["all"] or not names else list(names)
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        raise QKEInputError(f"figures: unknown figure {unknown[0]!r}; available: {', '.join(FIGURES)} (or all)")
    ctx.out_dir.mkdir(parents=True, exist_ok=True)
    with _shared_pool(ctx) as pool:
        ctx = dataclasses.replace(ctx, executor=pool)
        written = []
        for name in names:
            module = importlib.import_module(FIGURES[name].module)
            log.info("figure %s: computing", name)
            data = module.compute(ctx)
            written += module.draw(data, ctx)
    return written


@contextlib.contextmanager
def _shared_pool(ctx: FigureContext):
    """One warmed process pool for all the figures' scans (None when serial or on Dask)."""
    workers = ctx.workers if ctx.workers is not None else (os.cpu_count() or 1)
    if ctx.dask is not None or workers < 2 or ctx.executor is not None:
        yield ctx.executor
        return
    from concurrent.futures import ProcessPoolExecutor

    from ..scans.points import warm_up

    pool = ProcessPoolExecutor(max_workers=workers, initializer=warm_up)
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


#: Registered figures by name: every module here that defines ``FIGURE``.
FIGURES: dict[str, Figure] = _discover()
