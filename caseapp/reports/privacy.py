"""Reports' part in erasure: before any domain deletes or anonymises a person's records, their measure
rows are copied, breakdown values and plan tags resolved, into anonymous rows (no person id; one random
token per erasure in the person's place). Counts, distinct counts and breakdowns stay what they were.

Reports hold nothing about a person, so subject access finds nothing here.
"""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.sql.sqltypes import NullType

from caseapp.extensions import db
from caseapp.plan.models import PlanTag
from caseapp.privacy import DisplayNames, PersonalDataSource
from caseapp.register.models import Person
from caseapp.reports import queries
from caseapp.reports.models import ErasedRow, ErasedTag

NAMES = DisplayNames(title=_l("Reports"), objects={"report_frozen": _l("Frozen report")})


def keep_rows(person_id: uuid.UUID) -> dict[str, int]:
    """Copy the person's rows of every declared measure into anonymous rows; flush (the caller commits)."""
    dialect = db.session.get_bind().dialect.name
    person = db.session.execute(
        select(Person.birth_year, Person.gender, Person.area).where(Person.id == person_id)
    ).first()
    token = uuid.uuid4().hex
    kept = 0
    for measure in queries.declared().values():
        src = measure.rows().subquery()
        c = src.c
        if isinstance(c.person_id.type, NullType):  # its rows name nobody
            continue
        optional = [c[name] if name in c else None for name in ("quantity", "months")]
        found = db.session.execute(
            select(
                queries.as_record_text(c.record_id, dialect).label("record_id"),
                c.day,
                c.tag_type,
                queries.as_record_text(c.tag_id, dialect).label("tag_id"),
                c.programme,
                c.outcome,
                c.headcount,
                *(
                    col.label(name)
                    for col, name in zip(optional, ("quantity", "months"), strict=True)
                    if col is not None
                ),
            ).where(c.person_id == person_id)
        ).mappings()
        for row in found:
            erased = ErasedRow(
                token=token,
                measure=measure.code,
                record_id=str(row["record_id"]),
                day=row["day"],
                tag_type=row["tag_type"],
                tag_id=None if row["tag_id"] is None else str(row["tag_id"]),
                programme=None if row["programme"] is None else str(row["programme"]),
                outcome=None if row["outcome"] is None else str(row["outcome"]),
                headcount=int(row["headcount"] or 1),
                quantity=row.get("quantity"),
                months=row.get("months"),
                birth_year=person.birth_year if person else None,
                gender=person.gender if person else None,
                area=person.area if person else None,
            )
            if row["tag_id"] is not None:
                erased.tags = [
                    ErasedTag(period_id=t.period_id, theme_id=t.theme_id, subgoal_id=t.subgoal_id)
                    for t in db.session.scalars(
                        select(PlanTag).where(
                            PlanTag.record_type == row["tag_type"], PlanTag.record_id == str(row["tag_id"])
                        )
                    )
                ]
            db.session.add(erased)
            kept += 1
    db.session.flush()
    return {"rows_kept_anonymously": kept}


SOURCE = PersonalDataSource(domain="reports", names=NAMES, export=lambda person_id: [], erase=keep_rows)
