"""Deterministic synthetic data for demonstration and benchmarks: no real person appears anywhere."""

from __future__ import annotations

from flask import current_app

from caseapp.demo import accounts as demo_accounts
from caseapp.demo import concerns as demo_concerns
from caseapp.demo import counselling as demo_counselling
from caseapp.demo import dataprotection as demo_dataprotection
from caseapp.demo import people as demo_people

# Each module seeds one domain; later ones build on the residents the first made.
SEEDERS = (demo_people, demo_counselling, demo_concerns, demo_dataprotection)


def seed(*, people: int, seed: int, accounts: bool) -> list[str]:
    report = []
    if accounts:
        staff = demo_accounts.ensure_demo_accounts()
        report.extend(demo_accounts.sign_in_help(current_app.config["TWO_FACTOR_ROLES"]))
    else:
        staff = demo_accounts.existing_staff()
    for module in SEEDERS:
        report.extend(module.seed(staff=staff, count=people, seed=seed))
    return report
