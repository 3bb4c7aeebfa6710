"""Shared helpers for the derivation scripts: write generated modules and reports.

Every script in ``derivations/`` derives formulas with SymPy and calls
:func:`write_module` to print them as plain NumPy code into ``qke/generated/``
and :func:`write_report` to document them in ``derivations/out/``.

The output must be byte-for-byte reproducible (a test re-runs each script and
compares), so nothing here writes dates, paths or version-dependent text other
than the SymPy version, which is pinned by the comparison test.
"""
from __future__ import annotations

import os
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import sympy as sp
from sympy.printing.numpy import SciPyPrinter

ROOT = Path(__file__).resolve().parents[1]
# The regeneration test redirects output to a scratch folder through these
# variables and compares it with the committed files byte for byte.
GENERATED = Path(os.environ.get("QKE_GENERATED_DIR", ROOT / "qke" / "generated"))
REPORTS = Path(os.environ.get("QKE_REPORTS_DIR", ROOT / "derivations" / "out"))


@dataclass(frozen=True)
class GeneratedFunction:
    """One function to print into a generated module.

    Parameters
    ----------
    name : str
        Python name of the function.
    args : sequence of sympy.Symbol
        Arguments, in order. They become positional parameters with the
        symbols' names.
    expr : sympy.Expr or tuple of sympy.Expr or tuple of tuples
        Result. A tuple (or nested tuple, e.g. a Jacobian) is returned as a
        tuple of the same shape.
    doc : str
        Docstring: what it is, units of every argument and of the result,
        and the seed equation it corresponds to.
    cse : bool
        Apply common-subexpression elimination (useful for Jacobians).
    """

    name: str
    args: Sequence[sp.Symbol]
    expr: object
    doc: str
    cse: bool = False


@dataclass(frozen=True)
class ReportEntry:
    """One derived result, for the Markdown report."""

    title: str
    latex: str
    seed: str
    agrees: str
    comment: str = ""


class _Printer(SciPyPrinter):
    """NumPy/SciPy printer that writes ``np.`` instead of ``numpy.``.

    Special functions (erfc, zeta, ...) print as ``scipy.special.*``;
    :func:`write_module` then imports ``scipy.special``.
    """

    def __init__(self):
        super().__init__({"fully_qualified_modules": True, "inline": True,
                          "allow_unknown_functions": False})

    def _print_zeta(self, expr):
        if len(expr.args) != 1:
            return self._print_not_supported(expr)
        return f"{self._module_format('scipy.special.zeta')}({self._print(expr.args[0])})"

    def _module_format(self, fqn, register=True):
        if fqn.startswith("scipy.constants."):
            # SciPyPrinter writes pi etc. from scipy.constants; NumPy has them too
            fqn = "numpy." + fqn.rsplit(".", 1)[1]
        out = super()._module_format(fqn, register)
        return out.replace("numpy.", "np.")


def _print_nested(printer, obj):
    if isinstance(obj, (tuple, list)):
        inner = ", ".join(_print_nested(printer, o) for o in obj)
        if len(obj) == 1:
            inner += ","
        return "(" + inner + ")"
    return printer.doprint(sp.sympify(obj))


def _flatten(obj):
    if isinstance(obj, (tuple, list)):
        out = []
        for o in obj:
            out.extend(_flatten(o))
        return out
    return [sp.sympify(obj)]


def _rebuild(obj, flat_iter):
    if isinstance(obj, (tuple, list)):
        return tuple(_rebuild(o, flat_iter) for o in obj)
    return next(flat_iter)


def _function_source(fn: GeneratedFunction) -> str:
    printer = _Printer()
    argnames = ", ".join(str(a) for a in fn.args)
    lines = [f"def {fn.name}({argnames}):"]
    doc = textwrap.dedent(fn.doc).strip("\n")
    body = "\n".join(("    " + ln) if ln.strip() else "" for ln in doc.splitlines())
    lines.append('    """' + body.lstrip() + '\n    """')
    expr = fn.expr
    if fn.cse:
        flat = _flatten(expr)
        repl, reduced = sp.cse(flat, symbols=sp.numbered_symbols("_x"), optimizations="basic")
        for sym, sub in repl:
            lines.append(f"    {sym} = {printer.doprint(sub)}")
        expr = _rebuild(expr, iter(reduced))
    lines.append(f"    return {_print_nested(printer, expr)}")
    return "\n".join(lines) + "\n"


def write_module(name: str, script: str, doc: str, functions: Sequence[GeneratedFunction],
                 constants: Sequence[tuple[str, object, str]] = ()) -> Path:
    """Write ``qke/generated/<name>.py``.

    Parameters
    ----------
    name : str
        Module name (without ``.py``).
    script : str
        Path of the derivation script relative to the repository root, named
        in the header.
    doc : str
        Module docstring (after the header).
    functions : sequence of GeneratedFunction
    constants : sequence of (name, sympy expression, comment)
        Module-level numerical constants (printed as floats, 17 digits).
    """
    header = (
        f"# Generated by {script} -- do not edit.\n"
        f"# Re-run `python {script}` (or `qke derive`) to regenerate.\n"
    )
    parts = [header, '"""' + textwrap.dedent(doc).strip() + '\n"""\n', "import numpy as np\n"]
    if constants:
        for cname, value, comment in constants:
            parts.append(f"#: {comment}\n{cname} = {float(sp.N(value, 30))!r}\n")
    for fn in functions:
        parts.append("\n" + _function_source(fn))
    text = "\n".join(parts)
    if "scipy.special." in text:
        text = text.replace("import numpy as np\n", "import numpy as np\nimport scipy.special\n", 1)
    path = GENERATED / f"{name}.py"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def write_report(name: str, title: str, intro: str, entries: Sequence[ReportEntry]) -> Path:
    """Write ``derivations/out/<name>.md`` listing each derived result."""
    out = [f"# {title}", "", textwrap.dedent(intro).strip(), ""]
    for e in entries:
        out += [f"## {e.title}", "", "$$", e.latex, "$$", "",
                f"- Seed: {e.seed}", f"- Agreement with the seed: {e.agrees}"]
        if e.comment:
            out.append(f"- Note: {textwrap.dedent(e.comment).strip()}")
        out.append("")
    path = REPORTS / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out))
    return path
