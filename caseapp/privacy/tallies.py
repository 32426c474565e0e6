"""Anonymous counts that outlive the records behind them: erasure and retention keep a report's totals.

Shared by every domain (a purged concern, an erased participant's attendance, an outcome) and read
by reports, so erasing a person never changes a count.
"""

from __future__ import annotations

from sqlalchemy import String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, mapped_column

from caseapp.extensions import db


class ErasedTally(db.Model):
    """Counts that must survive when the rows behind them are erased or purged (anonymous statistics).

    A report that counts rows adds these tallies, so erasing a person or purging old records does not
    change its totals. Nothing here links to a person: only a domain, a kind, a period and one
    coarse dimension (a purpose, a status). Add to it with `add_tally`.
    """

    __tablename__ = "erased_tally"
    __table_args__ = (UniqueConstraint("domain", "kind", "period", "dimension"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    domain: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(60))
    period: Mapped[str] = mapped_column(String(10))  # "2026" or "2026-11"
    dimension: Mapped[str] = mapped_column(String(60), default="")
    count: Mapped[int] = mapped_column(default=0)


def add_tally(domain: str, kind: str, period: str, dimension: str = "", count: int = 1) -> None:
    """Keep `count` more of (domain, kind, period, dimension) before deleting the rows it counted."""
    if count <= 0:
        return
    row = db.session.scalar(
        select(ErasedTally).where(
            ErasedTally.domain == domain,
            ErasedTally.kind == kind,
            ErasedTally.period == period,
            ErasedTally.dimension == dimension,
        )
    )
    if row is None:
        db.session.add(ErasedTally(domain=domain, kind=kind, period=period, dimension=dimension, count=count))
    else:
        row.count += count
    db.session.flush()


def tallies(domain: str, kind: str) -> dict[tuple[str, str], int]:
    """{(period, dimension): count} of what was erased or purged."""
    rows = db.session.execute(
        select(ErasedTally.period, ErasedTally.dimension, ErasedTally.count).where(
            ErasedTally.domain == domain, ErasedTally.kind == kind
        )
    )
    return {(period, dimension): count for period, dimension, count in rows}
