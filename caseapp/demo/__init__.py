"""Deterministic synthetic data for demonstration and benchmarks: no real person appears anywhere."""

from __future__ import annotations

from flask import current_app

from caseapp.demo import accounts as demo_accounts
from caseapp.domain import domains


def seed(*, people: int, seed: int, accounts: bool) -> list[str]:
    report = []
    if accounts:
        staff = demo_accounts.ensure_demo_accounts()
        report.extend(demo_accounts.sign_in_help(current_app.config["TWO_FACTOR_ROLES"]))
    else:
        staff = demo_accounts.existing_staff()
    # In the app's order: the register first, then each domain on the residents it made.
    for part in domains():
        if part.seeder is not None:
            report.extend(part.seeder(staff=staff, count=people, seed=seed))
    return report
