"""Deterministic synthetic data for demonstration and benchmarks: no real person appears anywhere."""

from __future__ import annotations

import time

from flask import current_app

from caseapp.demo import accounts as demo_accounts
from caseapp.demo.bulk import seeding
from caseapp.domain import domains


def seed(*, people: int, seed: int, accounts: bool) -> list[str]:
    report = []
    if accounts:
        staff = demo_accounts.ensure_demo_accounts()
        report.extend(demo_accounts.sign_in_help(current_app.config["TWO_FACTOR_ROLES"]))
    else:
        staff = demo_accounts.existing_staff()
    # In the app's order: the register first, then each domain on the residents it made.
    timings, started = [], time.perf_counter()
    with seeding():
        for part in domains():
            if part.seeder is not None:
                began = time.perf_counter()
                report.extend(part.seeder(staff=staff, count=people, seed=seed))
                timings.append(f"{part.name} {time.perf_counter() - began:.1f} s")
    # Wall time per part (no data in it), so a slow seeder shows itself in `caseapp demo seed`'s output.
    report.append(f"seeding took {time.perf_counter() - started:.1f} s: {', '.join(timings)}")
    return report
