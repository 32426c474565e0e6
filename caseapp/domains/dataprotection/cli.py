"""`caseapp retention purge [--dry-run]`: delete what has passed its retention period (DESIGN §4).

Safe to run daily from cron: it deletes only what is due, a second run finds nothing more, and
every deletion and the run itself are audited. Exit status 0 on success.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

retention_cli = AppGroup("retention", help="Retention periods: delete what has passed its period.")


@retention_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="List what is due without deleting anything.")
def retention_purge(dry_run):
    """Delete for real every record whose retention period has run out (RETENTION in the configuration)."""
    from caseapp.domains.dataprotection.retention import purge

    items = purge(dry_run=dry_run)
    verb = "due (dry run, nothing deleted)" if dry_run else "deleted"
    for item in items:
        r = item.record
        click.echo(f"{verb}: {item.domain} {r.retention} {r.object_type} {r.object_id}")
    click.echo(f"{len(items)} record(s) {verb}")
    if not dry_run:
        _anchor_after_purge()


def _anchor_after_purge() -> None:
    """A purge removes the oldest events: anchor the head at once, so the next verify has a fresh anchor."""
    from flask import current_app

    from caseapp.audit.anchor import write_anchor
    from caseapp.extensions import db

    if not (current_app.config.get("AUDIT_ANCHOR_FILE") or current_app.config.get("AUDIT_ANCHOR_SYSLOG")):
        click.echo(
            "warning: no anchor place configured (CASEAPP_AUDIT_ANCHOR_FILE); the log's end is not anchored", err=True
        )
        return
    anchor, places = write_anchor()
    db.session.commit()
    click.echo(f"anchored event {anchor.seq} to {', '.join(places)}")
