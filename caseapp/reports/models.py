"""Funder reporting as data: indicators (what is counted, tied to a plan target), frozen reports (what was
submitted, with its hash), the funder's own register figures, and the anonymous copies of erased persons'
measure rows that keep every count unchanged after an erasure.

No table here holds a person's id: reports are aggregates, and the erased rows carry a random token per
erasure in place of the person, so distinct counts stay exact without anyone being findable.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseapp.extensions import db
from caseapp.models.base import TimestampMixin, Versioned, utcnow
from caseapp.plan.models import in_language

# What an indicator computes from the rows of its measures (queries.value_expression).
KINDS = ("persons", "records", "quantity", "share", "retention")


class Indicator(Versioned, TimestampMixin, db.Model):
    """One number the board follows, defined once over the measures the domains declare.

    The numerator: rows of `measures` (codes), optionally only some outcomes or programmes (and, for
    retention, follow-ups at `months`). A share or retention divides it by the denominator's rows.
    """

    __tablename__ = "report_indicator"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str | None] = mapped_column(String(60), unique=True)  # the ready-made set's key, if adopted from it
    name_da: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(12))
    measures: Mapped[list] = mapped_column(JSON, default=list)
    outcomes: Mapped[list] = mapped_column(JSON, default=list)  # empty: every outcome
    programmes: Mapped[list] = mapped_column(JSON, default=list)  # empty: every programme
    months: Mapped[int | None]  # retention: follow-ups at this many months
    denominator_measures: Mapped[list] = mapped_column(JSON, default=list)
    denominator_outcomes: Mapped[list] = mapped_column(JSON, default=list)
    target_id: Mapped[int | None] = mapped_column(ForeignKey("plan_target.id", ondelete="SET NULL"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    target = relationship("PlanTarget", lazy="joined")

    @property
    def name(self) -> str:
        return in_language(self.name_da, self.name_en)


class FrozenReport(db.Model):
    """A report as submitted for a period: its canonical JSON (numbers, definitions, suppression) and the
    SHA-256 of that JSON. Never changed: corrections are shown as differences against a recomputation."""

    __tablename__ = "report_frozen"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("plan_theme.id", ondelete="SET NULL"))
    content: Mapped[str] = mapped_column(Text)  # canonical JSON: sorted keys, no spaces
    sha256: Mapped[str] = mapped_column(String(64))
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    submitted_by = relationship("User", foreign_keys=[submitted_by_id])


class RegisterFigure(Versioned, TimestampMixin, db.Model):
    """A figure from the funder's own registers (Boligsociale Data) for an area and half-year: shown
    beside the plan's numbers, labelled as the funder's, never added into caseapp's counts."""

    __tablename__ = "report_register_figure"
    __table_args__ = (UniqueConstraint("area", "year", "half", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    area: Mapped[str] = mapped_column(String(80))
    year: Mapped[int]
    half: Mapped[int]  # 1 or 2
    name: Mapped[str] = mapped_column(String(200))
    value: Mapped[float]
    unit: Mapped[str] = mapped_column(String(40), default="")
    source_note: Mapped[str] = mapped_column(String(300), default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class ErasedRow(db.Model):
    """A measure row of an erased person, its breakdown values resolved at erasure: no person id, the
    erasure's random token in its place (so one person still counts once)."""

    __tablename__ = "report_erased_row"
    __table_args__ = (Index("ix_report_erased_row_record", "measure", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(32))
    measure: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[str] = mapped_column(String(64))
    day: Mapped[date | None]
    tag_type: Mapped[str | None] = mapped_column(String(40))
    tag_id: Mapped[str | None] = mapped_column(String(64))
    programme: Mapped[str | None] = mapped_column(String(80))
    outcome: Mapped[str | None] = mapped_column(String(80))
    headcount: Mapped[int] = mapped_column(default=1)
    quantity: Mapped[float | None]
    months: Mapped[int | None]
    birth_year: Mapped[int | None]
    gender: Mapped[str | None] = mapped_column(String(10))
    area: Mapped[str | None] = mapped_column(String(80))

    tags: Mapped[list[ErasedTag]] = relationship(cascade="all, delete-orphan", passive_deletes=True)


class ErasedTag(db.Model):
    """The plan tag an erased row counted under in a funding period (the record's tag may be gone)."""

    __tablename__ = "report_erased_tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("report_erased_row.id", ondelete="CASCADE"), index=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("funding_period.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("plan_theme.id", ondelete="SET NULL"))
    subgoal_id: Mapped[int | None] = mapped_column(ForeignKey("plan_subgoal.id", ondelete="SET NULL"))
