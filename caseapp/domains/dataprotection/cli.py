"""The data-protection commands, safe to run from cron (exit status 0 on success, audited):

`caseapp retention purge [--dry-run]`: delete what has passed its retention period (DESIGN §4). It deletes
only what is due, a second run finds nothing more, and every deletion and the run itself are audited.

`caseapp logreview sample [--month YYYY-MM]`: draw the month's log-review sample (by default the month
just ended, e.g. on the 1st) and tell the leaders that it waits; prints only how many items were added.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

retention_cli = AppGroup("retention", help="Retention periods: delete what has passed its period.")
logreview_cli = AppGroup("logreview", help="Log review: the monthly sample of staff access for leaders.")


@logreview_cli.command("sample")
@click.option("--month", metavar="YYYY-MM", help="The month to sample (default: the month just ended).")
def logreview_sample(month):
    """Draw (or extend) the month's sample; the leaders are told in the app, and by e-mail if configured."""
    from flask import current_app

    from caseapp.domains.dataprotection.logreview import default_month, draw_sample, parse_month
    from caseapp.extensions import db

    chosen = parse_month(month) if month else default_month()
    if chosen is None:
        raise click.BadParameter("write the month as YYYY-MM", param_hint="--month")
    # The notification's link is built as on a page (url_for needs a request; only the path is kept).
    with current_app.test_request_context("/"):
        added = draw_sample(chosen)
        db.session.commit()
    click.echo(f"{added} item(s) added to the log-review sample for {chosen}")


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
