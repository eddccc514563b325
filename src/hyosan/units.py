"""Quantities written the way people write them: "2 min", "100 m", "1.3 m/s", "30 %".

Inside Hyosan everything is SI (seconds, metres, metres per second); these helpers turn a
string or a bare number into that, and say clearly what was wrong when they cannot.
"""

from __future__ import annotations

import math
import re

_NUMBER = r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?"
_QUANTITY = re.compile(rf"^\s*({_NUMBER})\s*([a-zA-Z/%µ]*)\s*$")

#: unit symbol -> (dimension, factor to SI)
UNITS: dict[str, tuple[str, float]] = {
    # time
    "s": ("time", 1.0), "sec": ("time", 1.0), "second": ("time", 1.0), "seconds": ("time", 1.0),
    "ms": ("time", 1e-3),
    "min": ("time", 60.0), "minute": ("time", 60.0), "minutes": ("time", 60.0),
    "h": ("time", 3600.0), "hr": ("time", 3600.0), "hour": ("time", 3600.0),
    "hours": ("time", 3600.0),
    "d": ("time", 86400.0), "day": ("time", 86400.0), "days": ("time", 86400.0),
    # length
    "m": ("length", 1.0), "cm": ("length", 0.01), "km": ("length", 1000.0),
    "mm": ("length", 1e-3),
    # speed
    "m/s": ("speed", 1.0), "km/h": ("speed", 1000.0 / 3600.0),
    # rate (per time)
    "/s": ("rate", 1.0), "1/s": ("rate", 1.0), "/min": ("rate", 1.0 / 60.0),
    "1/min": ("rate", 1.0 / 60.0), "/h": ("rate", 1.0 / 3600.0), "1/h": ("rate", 1.0 / 3600.0),
    "/day": ("rate", 1.0 / 86400.0), "1/day": ("rate", 1.0 / 86400.0),
    # fraction
    "%": ("fraction", 0.01),
}

#: what a bare number means for each dimension
DEFAULT_UNIT = {"time": "s", "length": "m", "speed": "m/s", "rate": "/s", "fraction": ""}


def parse_quantity(value: object, dimension: str) -> float:
    """Return ``value`` in SI units of ``dimension``; bare numbers are taken as SI already.

    Raises ``ValueError`` with a message a person can act on (pydantic turns it into a field
    error that names the file, line and field).
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a {dimension}, got {value!r}")
    if isinstance(value, int | float):
        return _finite(float(value), value, dimension)
    if not isinstance(value, str):
        raise ValueError(f"expected a {dimension} such as {_example(dimension)}, got {value!r}")
    m = _QUANTITY.match(value)
    if not m:
        raise ValueError(
            f"cannot read {value!r} as a {dimension} (write e.g. {_example(dimension)})")
    number, unit = _finite(float(m.group(1)), value, dimension), m.group(2)
    if unit == "":
        return number
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r} in {value!r} (write e.g. {_example(dimension)})")
    dim, factor = UNITS[unit]
    if dim != dimension:
        raise ValueError(
            f"{value!r} is a {dim}, but a {dimension} is expected here (e.g. {_example(dimension)})"
        )
    return _finite(number * factor, value, dimension)


def _finite(x: float, value: object, dimension: str) -> float:
    if not math.isfinite(x):
        raise ValueError(f"{value!r} is not a finite {dimension} (infinity and NaN are not "
                         "allowed here)")
    return x


def _example(dimension: str) -> str:
    return {
        "time": '"2 min"', "length": '"100 m"', "speed": '"1.3 m/s"', "rate": '"0.5 /s"',
        "fraction": '"30 %" or 0.3',
    }.get(dimension, "a number")


def format_clock(seconds: float, start_s: float = 0.0) -> str:
    """Wall-clock time of day "HH:MM" for a simulated time after a start time of day."""
    total = int(round(start_s + seconds)) % 86400
    return f"{total // 3600:02d}:{(total % 3600) // 60:02d}"


def format_duration(seconds: float) -> str:
    """A short human duration: "45 s", "12 min 3 s", "2 h 05 min"."""
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60} s"
    return f"{s // 3600} h {(s % 3600) // 60:02d} min"
