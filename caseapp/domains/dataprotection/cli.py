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
