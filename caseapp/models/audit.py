"""The append-only audit log, hash-chained under a key kept outside the database."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.extensions import db
from caseapp.privacy import ProcessingRecord


class AuditEvent(db.Model):
    """Who used which data, when and why. Details name fields, never values."""

    __tablename__ = "audit_event"
    __processing__ = ProcessingRecord(
        purpose="Access logging: who used which resident's data, when and why (Datatilsynet's logging demand)",
        data_categories=("staff id and roles", "resident id", "action and purpose", "IP address"),
        subject_categories=("staff", "residents"),
        recipients=("leaders", "administrators", "the resident (dates and purposes, in their access export)"),
        retention="audit_events",
        legal_basis="GDPR art. 32 (security of processing) and art. 5(2) (accountability)",
    )
    __table_args__ = (
        Index("ix_audit_event_subject_at", "subject_id", "at"),
        Index("ix_audit_event_actor_at", "actor_id", "at"),
    )

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[int | None]
    actor_roles: Mapped[str] = mapped_column(String(200), default="")
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(64))
    subject_id: Mapped[str | None] = mapped_column(String(36))
    purpose: Mapped[str | None] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text, default="{}")
    ip: Mapped[str | None] = mapped_column(String(64))
    request_id: Mapped[str | None] = mapped_column(String(36))
    chain: Mapped[str] = mapped_column(String(64))

    CHAINED_FIELDS = (
        "seq",
        "at",
        "actor_id",
        "actor_roles",
        "action",
        "object_type",
        "object_id",
        "subject_id",
        "purpose",
        "detail",
        "ip",
        "request_id",
    )
