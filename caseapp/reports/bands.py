"""The breakdowns a report offers and the age bands (REPORTS_AGE_BANDS): pure, no database."""

from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l

BREAKDOWNS = {
    "age_band": _l("Age band"),
    "gender": _l("Gender"),
    "resident": _l("Resident of the area"),
    "housing_section": _l("Housing section"),
    "new_returning": _l("New or returning"),
    "theme": _l("Theme"),
    "programme": _l("Activity or programme"),
    "outcome": _l("Outcome or severity"),
}

UNKNOWN = "unknown"
CATEGORY_LABELS = {
    UNKNOWN: _l("Not stated"),
    "female": _l("Female"),
    "male": _l("Male"),
    "other": _l("Other"),
    "resident": _l("Resident"),
    "not_resident": _l("Not resident"),
    "new": _l("New in the period"),
    "returning": _l("Returning"),
    "none": _l("No theme"),
}


def age_bands_from(config: Mapping) -> tuple[tuple[int, int | None], ...]:
    """REPORTS_AGE_BANDS as (low, high) pairs, high None for the open last band; ConfigError unless they
    are "low-high" in rising order without gaps or overlaps."""
    from config import ConfigError

    bands = []
    for text in config.get("REPORTS_AGE_BANDS", ()):
        low, sep, high = str(text).partition("-")
        if not sep or not low.strip().isdigit() or (high.strip() and not high.strip().isdigit()):
            raise ConfigError(f"CASEAPP_REPORTS_AGE_BANDS: {text!r} is not low-high (e.g. 13-17, or 65- for the last)")
        bands.append((int(low), int(high) if high.strip() else None))
    for (low, high), (next_low, _h) in zip(bands, bands[1:], strict=False):
        if high is None or high < low or next_low != high + 1:
            raise ConfigError("CASEAPP_REPORTS_AGE_BANDS: the bands must rise without gaps or overlaps")
    return tuple(bands)


def band_code(low: int, high: int | None) -> str:
    return f"{low}-{high}" if high is not None else f"{low}+"


def band_label(code: str) -> str:
    """18-24 as 18–24 år; tallies' own bands (0_5, 65_plus) the same way."""
    text = code.replace("_plus", "+").replace("_", "-")
    return text.replace("-", "–") + " " + str(_l("years"))
