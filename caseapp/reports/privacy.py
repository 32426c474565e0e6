"""Reports' part in erasure and retention: before any domain deletes or anonymises a person's records,
their measure rows are copied, breakdown values and plan tags resolved, into anonymous rows. Counts,
distinct counts and breakdowns stay what they were.

Erasure: every row of the person, one random token per erasure in the person's place.
Retention purge (`around_purge`, entered around every domain's purge of a record): the subject's rows
are read before and after the purge, and those that vanished (deleted, or reduced to a nameless tally)
are copied. The person still exists and may have other rows of the same measure in a report's scope,
so the copies carry the key the live rows count the person under (uuid.hex): a distinct-person count
counts them once. That key is the only link left; erasing the person later replaces it with the
erasure's random token in every copy, so from then on no copy leads back to anyone.

Reports hold nothing about a person beyond these counting rows, so subject access finds nothing here.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select, update
from sqlalchemy.sql.sqltypes import NullType

from caseapp.extensions import db
from caseapp.plan.models import PlanTag
from caseapp.privacy import DisplayNames, ExpiredRecord, PersonalDataSource
from caseapp.register.models import Person
from caseapp.reports import queries
from caseapp.reports.models import ErasedRow, ErasedTag

NAMES = DisplayNames(title=_l("Reports"), objects={"report_frozen": _l("Frozen report")})


def _copies(where, token: str | None = None) -> list[ErasedRow]:
    """Anonymous copies (not added to the session) of the rows, of every declared measure that names
    persons, meeting `where(columns, dialect)`: each carries `token`, or else its person's key."""
    dialect = db.session.get_bind().dialect.name
    copies = []
    for measure in queries.declared().values():
        src = measure.rows().subquery()
        c = src.c
        if isinstance(c.person_id.type, NullType):  # its rows name nobody
            continue
        optional = [c[name] if name in c else None for name in ("quantity", "months")]
        found = db.session.execute(
            select(
                c.person_id,
                Person.birth_year,
                Person.gender,
                Person.area,
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
            )
            .outerjoin(Person, Person.id == c.person_id)
            .where(c.person_id.is_not(None), where(c, dialect))
        ).mappings()
        for row in found:
            erased = ErasedRow(
                token=token or row["person_id"].hex,
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
                birth_year=row["birth_year"],
                gender=row["gender"],
                area=row["area"],
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
            copies.append(erased)
    return copies


def _of_person(person_id: uuid.UUID):
    return lambda c, dialect: c.person_id == person_id


def keep_rows(person_id: uuid.UUID) -> dict[str, int]:
    """Copy the person's rows of every declared measure into anonymous rows, and give the copies an
    earlier retention purge kept under the person's key the same random token; flush (the caller commits)."""
    token = uuid.uuid4().hex
    rekeyed = db.session.execute(update(ErasedRow).where(ErasedRow.token == person_id.hex).values(token=token)).rowcount
    copies = _copies(_of_person(person_id), token)
    db.session.add_all(copies)
    db.session.flush()
    return {"rows_kept_anonymously": len(copies) + int(rekeyed or 0)}


def _touched_by(subject_id: uuid.UUID, tags: set | None = None) -> tuple[list[ErasedRow], set]:
    """The rows a purge of one of the subject's records may remove: the subject's, and every person's
    row counted under the same plan-tagged records (a counselling case's children, its sessions), the
    tagged records `tags` or else those of the subject's rows; and those tags."""
    own = _copies(_of_person(subject_id))
    if tags is None:
        tags = {(r.tag_type, r.tag_id) for r in own if r.tag_id is not None}
    if not tags:
        return own, tags

    def shares_a_tag(c, dialect):
        tag_text = queries.as_record_text(c.tag_id, dialect)
        return and_(
            c.person_id != subject_id,
            or_(*(and_(c.tag_type == kind, tag_text == tag_id) for kind, tag_id in sorted(tags))),
        )

    return own + _copies(shares_a_tag), tags


@contextmanager
def keep_purged_rows(record: ExpiredRecord) -> Iterator[None]:
    """Around a retention purge: copy the measure rows the purge removed (see the module docstring).

    Rows that name nobody (anonymous tallies) are the domains' to keep; a purge reduces to them."""
    if record.subject_id is None:
        yield
        return
    before, tags = _touched_by(record.subject_id)
    yield
    db.session.flush()
    after, _tags = _touched_by(record.subject_id, tags)  # the same records looked at again
    left = {(r.measure, r.record_id, r.token) for r in after}
    db.session.add_all(r for r in before if (r.measure, r.record_id, r.token) not in left)
    db.session.flush()


SOURCE = PersonalDataSource(
    domain="reports", names=NAMES, export=lambda person_id: [], erase=keep_rows, around_purge=keep_purged_rows
)
