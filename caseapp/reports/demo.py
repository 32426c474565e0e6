"""Demo data for reports (`caseapp demo seed`): the ready-made indicators adopted, a few tied to the
plan's targets, and register figures for the area, so `make run` opens on a working dashboard. The
command line: `caseapp reports adopt` adopts the ready-made set on a real installation."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from caseapp.clock import local_today
from caseapp.extensions import db
from caseapp.plan import queries as plan_queries
from caseapp.reports import services
from caseapp.reports.models import Indicator, RegisterFigure

# Which ready-made indicators the demo ties to the current period's targets, in the targets' order.
TIED = ("mentoring", "leisure_jobs", "job_or_education", "parent_counselling", "course_completions", "volunteers")

cli = AppGroup("reports", help="Funder reporting.")


@cli.command("adopt")
def adopt_command():
    """Adopt the ready-made indicators (those not adopted yet)."""
    added = services.adopt_ready_made(None)
    db.session.commit()
    click.echo(f"{added} ready-made indicators adopted")


def seed(*, staff: dict, count: int, seed: int) -> list[str]:
    if db.session.scalar(select(Indicator.id).limit(1)) is not None:
        return []
    added = services.adopt_ready_made(None)
    period = plan_queries.current_period()
    tied = 0
    if period is not None:
        targets = list(db.session.scalars(plan_queries.targets_of(period.id)))
        by_key = {i.key: i for i in services.indicators()}
        for key, target in zip(TIED, targets, strict=False):
            by_key[key].target_id = target.id
            tied += 1
    today = local_today()
    year, half = (today.year, 1) if today.month > 6 else (today.year - 1, 2)
    for area in current_app.config["AREAS"][:3]:
        for name, value, unit in (("Andel beboere i job eller uddannelse", 58.0, "%"), ("Antal beboere", 1240, "")):
            db.session.add(
                RegisterFigure(
                    area=area,
                    year=year,
                    half=half,
                    name=name,
                    value=value,
                    unit=unit,
                    source_note="Boligsociale Data (demo)",
                )
            )
    db.session.commit()
    return [f"adopted {added} ready-made indicators, {tied} tied to the plan's targets"]
