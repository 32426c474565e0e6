"""Bounds on the integers a request may carry in its path or query string.

Every id column is a 32-bit integer on PostgreSQL, and SQLite refuses integers over 64 bits, so an
unbounded number from a URL reached the database and answered 500. A path integer beyond the bound
does not match its route (404); a query integer outside its range answers 400, saying which.
"""

from __future__ import annotations

import re

from flask import abort, request
from werkzeug.routing import IntegerConverter

MAX_INT = 2**31 - 1  # PostgreSQL's `integer`

_DIGITS = re.compile(r"[0-9]{1,10}")


class BoundedIntegerConverter(IntegerConverter):
    """`<int:name>`: only 0 to MAX_INT match (the OpenAPI document reads the bounds from here)."""

    def __init__(
        self,
        map,
        fixed_digits: int = 0,
        min: int | None = 0,
        max: int | None = MAX_INT,  # noqa: A002
        signed: bool = False,
    ):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def query_int(name: str, default: int | None, *, minimum: int = 1, maximum: int = MAX_INT) -> int | None:
    """The whole number in ?name=, `default` when absent or empty; 400 when malformed or out of range."""
    raw = request.args.get(name, "")
    if raw == "":
        return default
    if not _DIGITS.fullmatch(raw) or not minimum <= int(raw) <= maximum:
        abort(400, description=f"{name} must be a whole number from {minimum} to {maximum}")
    return int(raw)
