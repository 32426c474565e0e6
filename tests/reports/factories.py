"""Seeded records for the reports' tests: residents with known birth year, gender and housing section,
concerns filed and tagged through the domains' own services, and indicators over them. Each test
computes the expected numbers itself from the `Seeded` list, never from the code under test."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from caseapp.domains.concerns import services as concerns
from caseapp.extensions import db
from caseapp.models.users import User
from caseapp.plan.tagging import TagInput, set_tags
from caseapp.register.models import Assignment, Person
from caseapp.reports.models import Indicator
from tests.people.factories import make_person
from tests.plan.factories import make_period

PERIOD = (date(2026, 1, 1), date(2026, 6, 30))


@dataclass(frozen=True)
class Seeded:
    person: str
    birth_year: int | None
    gender: str | None
    area: str | None
    day: date
    category: str
    severity: str
    theme: int | None
    concern: str


def person(app, filer, *, birth_year, gender, area) -> str:
    """A resident assigned to the filer (mentoring), with the register's statistics fields set."""
    person_id = make_person(app, cpr=None, area=area, first_name="Zenobia", last_name="Beboersen")
    with app.app_context():
        row = db.session.get(Person, uuid.UUID(person_id))
        row.birth_year, row.gender, row.area = birth_year, gender, area
        db.session.add(Assignment(user_id=filer.id, person_id=row.id, programme="mentoring"))
        db.session.commit()
    return person_id


def concern(app, filer, person_id, *, day, category="crime", severity="high", theme=None, period_id=None) -> str:
    with app.app_context():
        made = concerns.file_concern(
            {
                "person_id": person_id,
                "observed_on": day,
                "area": "Bøgeparken",
                "source": "own_observation",
                "category": category,
                "severity": severity,
                "summary": "Set sent om aftenen ved legepladsen",
                "description": "Den unge blev set sent om aftenen ved legepladsen sammen med ældre unge",
            },
            db.session.get(User, filer.id),
        )
        if theme is not None:
            set_tags("concern", made.id, TagInput(period_id, theme, None, None))
        db.session.commit()
        return str(made.id)


def plan(app) -> dict:
    with app.app_context():
        period = make_period(starts_on=date(2019, 1, 1), ends_on=date(2026, 12, 31))
        db.session.commit()
        return {"period": period.id, "themes": [t.id for t in period.themes]}


def indicator(app, **fields) -> int:
    data = {"name_da": "Bekymringer", "kind": "records", "measures": ["concerns.concern"]} | fields
    with app.app_context():
        made = Indicator(**data)
        db.session.add(made)
        db.session.commit()
        return made.id


def seed_concerns(app, filer, specs, plan_ids) -> list[Seeded]:
    """specs: (birth_year, gender, area, [(day, category, severity, theme index or None), ...]) per person."""
    seeded = []
    for birth_year, gender, area, rows in specs:
        pid = person(app, filer, birth_year=birth_year, gender=gender, area=area)
        for day, category, severity, theme_index in rows:
            theme = plan_ids["themes"][theme_index] if theme_index is not None else None
            cid = concern(
                app,
                filer,
                pid,
                day=day,
                category=category,
                severity=severity,
                theme=theme,
                period_id=plan_ids["period"],
            )
            seeded.append(Seeded(pid, birth_year, gender, area, day, category, severity, theme, cid))
    return seeded
