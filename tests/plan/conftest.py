"""Helpers for the plan's page tests: a period created through the leader's own form."""

from __future__ import annotations

import pytest

PERIOD_FORM = {
    "name_da": "Helhedsplan 2019–26",
    "name_en": "Master plan 2019–26",
    "funder": "Landsbyggefonden",
    "grant_name": "2019–26",
    "starts_on": "2019-01-01",
    "ends_on": "2026-12-31",
}


def period_form(themes, goals=(), partners=()) -> dict:
    """The period form as a browser posts it: rows as themes-0-name_da, partners-0-share_percent, ..."""
    data = dict(PERIOD_FORM)
    for index, (da, en) in enumerate(themes):
        data[f"themes-{index}-name_da"], data[f"themes-{index}-name_en"] = da, en
    for index, name in enumerate(goals):
        data[f"goals-{index}-name_da"] = name
    for index, (name, kind, share) in enumerate(partners):
        data[f"partners-{index}-name"], data[f"partners-{index}-kind"] = name, kind
        data[f"partners-{index}-share_percent"] = share
    return data


@pytest.fixture
def leader(login_as):
    return login_as("leader")
