"""Cheap toy evaluators for the scan tests and benchmark (module level, so they pickle).

Each takes a point dict and returns ``{name: float}`` or raises.
"""
import math
import os
import time


def toy(point):
    """Smooth two-output function of (a, b); fails where a == 3 and b < 0."""
    a, b = point["a"], point["b"]
    if a == 3.0 and b < 0:
        raise ValueError(f"toy: refused a = {a}, b = {b}\n(second line)")
    return {"sum": a + b, "prod": a * b}


def sleepy(point):
    """Sleeps ``point['sleep']`` seconds (default 0.05), then returns x^2."""
    time.sleep(point.get("sleep", 0.05))
    return {"y": point["x"] ** 2}


def burn(point):
    """Burns CPU: ``point['iters']`` fixed loops if given, else ``point['ms']`` ms (default 20)."""
    if "iters" in point:
        return {"acc": _spin(int(point["iters"])), "x": float(point.get("i", 0.0))}
    end = time.process_time() + point.get("ms", 20.0) * 1e-3
    acc = 0.0
    while time.process_time() < end:
        acc += _spin(1)
    return {"acc": acc, "x": float(point.get("i", 0.0))}


def calibrate_burn(ms=20.0):
    """Loop count for which ``burn({'iters': n})`` takes about ``ms`` milliseconds here."""
    n, elapsed = 1, 0.0
    while elapsed < 0.05:
        n *= 2
        start = time.perf_counter()
        _spin(n)
        elapsed = time.perf_counter() - start
    return max(1, round(n * ms * 1e-3 / elapsed))


def constant(point):
    """No work at all: measures the scan machinery alone."""
    return {"y": 1.0}


def _spin(n):
    """n loops of 200 sines."""
    acc = 0.0
    for _ in range(n):
        for k in range(200):
            acc += math.sin(k)
    return acc


def warm_marker():
    """Initializer: record that this process was warmed."""
    os.environ["QKE_TOY_WARM"] = "1"


def warm_check(point):
    """Returns 1 if the initializer ran in this process."""
    return {"warm": float(os.environ.get("QKE_TOY_WARM") == "1"), "x": point["x"]}


def s_curve(point):
    """g = log10 x - (Y^3 - Y), Y = log10 y: an S-shaped level set g = 0 with three branches."""
    big_y = math.log10(point["y"])
    return {"g": math.log10(point["x"]) - (big_y ** 3 - big_y)}


def bad_return(point):
    """Returns a list instead of a dict (the scan records a failure)."""
    return [point["x"]]
