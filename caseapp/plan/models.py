"""The plan as data: funding periods with their partners, themes and municipal goals, the strategic
agreement, one delaftale per theme (versioned), its delmål and their targets (måltal).

Nothing here is a constant of the code: every theme, goal and delmål is a row of a period, so a new
funding period with other themes (or five of them) is configuration, not a release. Names are kept
in both languages (Danish, English); `.name` answers in the user's language.

A delaftale's history is its version rows: each change (of the delaftale or of a delmål or target
under it) appends a version holding the whole delaftale as it then stood, and a version row is never
updated or deleted, so what was sent to the funder can be shown and exported unchanged at any time.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import has_request_context
from flask_babel import get_locale
from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from caseapp.extensions import db
from caseapp.models.base import TimestampMixin, Versioned, utcnow

PARTNER_KINDS = ("housing_organisation", "municipality", "other")
APPROVAL_STATES = ("draft", "submitted", "approved")


def in_language(danish: str | None, english: str | None) -> str:
    """The English text for users who chose English (when there is one), else the Danish."""
    locale = get_locale() if has_request_context() else None
    if locale is not None and locale.language == "en" and english:
        return english
    return danish or english or ""


class Bilingual:
    """A record named in Danish and English."""

    name_da: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")

    @property
    def name(self) -> str:
        return in_language(self.name_da, self.name_en)


class FundingPeriod(Bilingual, Versioned, TimestampMixin, db.Model):
    """A funding period (støtteperiode): the funder's money it runs under, its partners, themes and goals."""

    __tablename__ = "funding_period"

    id: Mapped[int] = mapped_column(primary_key=True)
    funder: Mapped[str] = mapped_column(String(120), default="Landsbyggefonden")
    grant_name: Mapped[str] = mapped_column(String(40))  # the funder's money it runs under, e.g. "2019–26"
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    # Exactly one period is current (the verbs keep it so): new tags go to it.
    is_current: Mapped[bool] = mapped_column(default=False, index=True)

    partners: Mapped[list[FundingPartner]] = relationship(
        back_populates="period", cascade="all, delete-orphan", order_by="FundingPartner.position"
    )
    themes: Mapped[list[PlanTheme]] = relationship(
        back_populates="period", cascade="all, delete-orphan", order_by="PlanTheme.position"
    )
    goals: Mapped[list[MunicipalGoal]] = relationship(
        back_populates="period", cascade="all, delete-orphan", order_by="MunicipalGoal.position"
    )
    strategic_agreement: Mapped[StrategicAgreement | None] = relationship(
        back_populates="period", cascade="all, delete-orphan", uselist=False
    )


class FundingPartner(db.Model):
    """A partner of a period (housing organisation, municipality) and its share of the co-financing."""

    __tablename__ = "funding_partner"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("funding_period.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    share_percent: Mapped[float | None]

    period: Mapped[FundingPeriod] = relationship(back_populates="partners")


theme_mapping = db.Table(
    "plan_theme_mapping",
    db.Column("from_theme_id", ForeignKey("plan_theme.id", ondelete="CASCADE"), primary_key=True),
    db.Column("to_theme_id", ForeignKey("plan_theme.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class PlanTheme(Bilingual, db.Model):
    """One of the funder's themes (indsatsområder) in a period."""

    __tablename__ = "plan_theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("funding_period.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    period: Mapped[FundingPeriod] = relationship(back_populates="themes")
    # The themes of a later period this theme's work continues under (reports compare periods by it).
    continued_as: Mapped[list[PlanTheme]] = relationship(
        secondary=theme_mapping,
        primaryjoin=lambda: PlanTheme.id == theme_mapping.c.from_theme_id,
        secondaryjoin=lambda: PlanTheme.id == theme_mapping.c.to_theme_id,
        order_by=lambda: PlanTheme.position,
        back_populates="continues",
    )
    continues: Mapped[list[PlanTheme]] = relationship(
        secondary=theme_mapping,
        primaryjoin=lambda: PlanTheme.id == theme_mapping.c.to_theme_id,
        secondaryjoin=lambda: PlanTheme.id == theme_mapping.c.from_theme_id,
        order_by=lambda: PlanTheme.position,
        back_populates="continued_as",
    )
    agreement: Mapped[PartialAgreement | None] = relationship(back_populates="theme", uselist=False)


class MunicipalGoal(Bilingual, db.Model):
    """One of the municipality's goals the plan serves in a period (an axis independent of the themes)."""

    __tablename__ = "municipal_goal"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("funding_period.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    period: Mapped[FundingPeriod] = relationship(back_populates="goals")


class StrategicAgreement(Versioned, TimestampMixin, db.Model):
    """The strategic agreement (strategisk samarbejdsaftale) of a period, under which the delaftaler sit."""

    __tablename__ = "plan_strategic_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("funding_period.id", ondelete="CASCADE"), unique=True)
    title_da: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    parties: Mapped[str] = mapped_column(Text, default="")
    agreed_on: Mapped[date | None]

    period: Mapped[FundingPeriod] = relationship(back_populates="strategic_agreement")
    agreements: Mapped[list[PartialAgreement]] = relationship(back_populates="strategic_agreement")

    @property
    def title(self) -> str:
        return in_language(self.title_da, self.title_en)


class PartialAgreement(TimestampMixin, db.Model):
    """A delaftale: one per theme. Its content is its newest version; every version stays."""

    __tablename__ = "plan_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    strategic_agreement_id: Mapped[int] = mapped_column(
        ForeignKey("plan_strategic_agreement.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int] = mapped_column(ForeignKey("plan_theme.id"), unique=True)
    latest_number: Mapped[int] = mapped_column(default=0)

    strategic_agreement: Mapped[StrategicAgreement] = relationship(back_populates="agreements")
    theme: Mapped[PlanTheme] = relationship(back_populates="agreement")
    versions: Mapped[list[PartialAgreementVersion]] = relationship(
        back_populates="agreement", order_by="PartialAgreementVersion.number"
    )
    subgoals: Mapped[list[PlanSubgoal]] = relationship(
        back_populates="agreement", order_by="PlanSubgoal.position, PlanSubgoal.id"
    )

    @property
    def current(self) -> PartialAgreementVersion:
        return self.versions[-1]


class PartialAgreementVersion(db.Model):
    """One version of a delaftale, as it stood when it was made: never changed afterwards."""

    __tablename__ = "plan_agreement_version"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("plan_agreement.id", ondelete="CASCADE"))
    number: Mapped[int]
    title_da: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    parties: Mapped[str] = mapped_column(Text, default="")
    agreed_on: Mapped[date | None]
    approval_state: Mapped[str] = mapped_column(String(12), default="draft")
    summary_da: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    # The delmål and their targets as they stood: [{"id", "name_da", "name_en", "targets": [...]}].
    subgoals: Mapped[list] = mapped_column(JSON, default=list)
    change_note: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    agreement: Mapped[PartialAgreement] = relationship(back_populates="versions")
    created_by = relationship("User", foreign_keys=[created_by_id])

    @property
    def title(self) -> str:
        return in_language(self.title_da, self.title_en)

    @property
    def summary(self) -> str:
        return in_language(self.summary_da, self.summary_en)


@event.listens_for(PartialAgreementVersion, "before_update")
@event.listens_for(PartialAgreementVersion, "before_delete")
def _versions_are_final(mapper, connection, target):
    raise RuntimeError("a delaftale version is never changed: make a new version")


class PlanSubgoal(Bilingual, TimestampMixin, db.Model):
    """A delmål of a delaftale: the stable record work is tagged to (its texts are in the versions too)."""

    __tablename__ = "plan_subgoal"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("plan_agreement.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)

    agreement: Mapped[PartialAgreement] = relationship(back_populates="subgoals")
    targets: Mapped[list[PlanTarget]] = relationship(
        back_populates="subgoal", cascade="all, delete-orphan", order_by="PlanTarget.position, PlanTarget.id"
    )


class PlanTarget(TimestampMixin, db.Model):
    """A måltal of a delmål: what is counted, in which unit, from which baseline to which value, by when."""

    __tablename__ = "plan_target"

    id: Mapped[int] = mapped_column(primary_key=True)
    subgoal_id: Mapped[int] = mapped_column(ForeignKey("plan_subgoal.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    measure_da: Mapped[str] = mapped_column(String(300))
    measure_en: Mapped[str] = mapped_column(String(300), default="")
    unit_da: Mapped[str] = mapped_column(String(60))
    unit_en: Mapped[str] = mapped_column(String(60), default="")
    baseline: Mapped[float | None]
    target_value: Mapped[float]
    deadline: Mapped[date]

    subgoal: Mapped[PlanSubgoal] = relationship(back_populates="targets")

    @property
    def measure(self) -> str:
        return in_language(self.measure_da, self.measure_en)

    @property
    def unit(self) -> str:
        return in_language(self.unit_da, self.unit_en)


class PlanTag(db.Model):
    """A record of any domain tagged to a period's theme, municipal goal and delmål (one tag per period).

    `record_type` names the kind of record ("counselling_case", "course", ...); `record_id` its id as text.
    Tags are kept when a new period becomes current: reports of a past period read them unchanged.
    """

    __tablename__ = "plan_tag"
    __table_args__ = (
        UniqueConstraint("record_type", "record_id", "period_id"),
        Index("ix_plan_tag_record", "record_type", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    record_type: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[str] = mapped_column(String(64))
    period_id: Mapped[int] = mapped_column(ForeignKey("funding_period.id"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("plan_theme.id"), index=True)
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("municipal_goal.id"), index=True)
    subgoal_id: Mapped[int | None] = mapped_column(ForeignKey("plan_subgoal.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    period: Mapped[FundingPeriod] = relationship(lazy="joined")
    theme: Mapped[PlanTheme | None] = relationship(lazy="joined")
    goal: Mapped[MunicipalGoal | None] = relationship(lazy="joined")
    subgoal: Mapped[PlanSubgoal | None] = relationship(lazy="joined")
