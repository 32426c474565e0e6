"""The `caseapp` command group (README, "Command line"): the same commands as `flask --app wsgi`."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup, FlaskGroup, NoAppException

from caseapp.extensions import db

users_cli = AppGroup("users", help="Staff accounts.")
keys_cli = AppGroup("keys", help="Encryption keys.")
audit_cli = AppGroup("audit", help="The audit log.")
demo_cli = AppGroup("demo", help="Synthetic demonstration data.")


def _english(refusal) -> str:
    """A verb's refusal in English, as the command line's other messages are (Flask-Babel forces a
    locale only within a request, so one is made for it)."""
    from flask_babel import force_locale

    with current_app.test_request_context(), force_locale("en"):
        return str(refusal.message)


@users_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The staff member's name.")
@click.option("--role", "roles", multiple=True, required=True, help="A role; repeat for several.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def users_create(email, name, roles, password_stdin):
    """Add a staff account."""
    from caseapp.security.accounts import AccountRefused, create_user, find_user
    from caseapp.security.passwords import password_problem

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password)
    if problem:
        raise click.ClickException(problem)
    if find_user(email) is not None:
        raise click.ClickException(f"a staff account with e-mail {email} already exists")
    try:
        user = create_user(email, name, roles, password)
    except AccountRefused as refused:
        raise click.ClickException(_english(refused)) from None
    db.session.commit()
    click.echo(f"created user {user.id} with roles {' '.join(sorted(user.roles))}", err=True)


@users_cli.command("token")
@click.argument("email")
@click.option("--days", default=90, show_default=True, type=click.IntRange(1, 365))
@click.option("--name", default="command line", show_default=True)
def users_token(email, days, name):
    """Print a new API token for EMAIL, and nothing else, on stdout."""
    from caseapp.security.accounts import find_user
    from caseapp.security.tokens import TokenRefused, issue_token

    user = find_user(email)
    if user is None or not user.active:
        raise click.ClickException(f"no active staff account with e-mail {email}")
    try:
        _token, secret = issue_token(user, name, days)
    except TokenRefused as refused:
        raise click.ClickException(_english(refused)) from None
    db.session.commit()
    click.echo(secret)


@keys_cli.command("create", with_appcontext=False)
@click.argument("path", type=click.Path(dir_okay=False, writable=True))
def keys_create(path):
    """Write a new keyring file (mode 0600) for CASEAPP_KEYS_FILE; refuses to overwrite one."""
    from pathlib import Path

    from caseapp.crypto.keyring import Keyring

    target = Path(path)
    if target.exists():
        raise click.ClickException(f"{target} exists already: a keyring is never overwritten (its keys open the data)")
    ring = Keyring.generate(target)
    click.echo(f"keyring written to {target} (key {ring.active_kek_id}); keep a copy apart from the database backups")


@keys_cli.command("rotate")
def keys_rotate():
    """Make a new key-encryption key active and re-wrap every data key, in one transaction."""
    from caseapp import audit
    from caseapp.crypto.keystore import rotate_keys

    ring = current_app.extensions["caseapp.keyring"]
    if ring.path is None:
        raise click.ClickException("the keyring has no file (CASEAPP_KEYS_FILE); nothing to rotate")
    count = rotate_keys(db.session, ring)
    audit.record("keys.rotate", detail={"rewrapped": count, "kek_id": ring.active_kek_id})
    # Save the new key first: if the commit then fails, the old keys are still in the file.
    ring.save()
    db.session.commit()
    click.echo(f"new key {ring.active_kek_id} active; {count} data keys re-wrapped")


@audit_cli.command("verify")
@click.option(
    "--anchor-file",
    type=click.Path(dir_okay=False),
    help="Anchors to check against (default: CASEAPP_AUDIT_ANCHOR_FILE), e.g. a copy from the syslog host.",
)
def audit_verify(anchor_file):
    """Recompute the audit hash chain and check it still reaches the newest anchor; exit non-zero on a break."""
    from caseapp.audit import verify_chain
    from caseapp.audit.anchor import AnchorError, check_against, newest_anchor

    checked, broken = verify_chain()
    if broken is not None:
        click.echo(f"BROKEN at event {broken.seq}: {broken.reason} ({checked} events before it verified)", err=True)
        sys.exit(1)
    anchor_file = anchor_file or current_app.config.get("AUDIT_ANCHOR_FILE")
    if not anchor_file:
        click.echo(
            "warning: no anchor file (CASEAPP_AUDIT_ANCHOR_FILE): events removed from the end of the log "
            "would not be found",
            err=True,
        )
        click.echo(f"audit chain intact: {checked} events verified")
        return
    try:
        anchor = newest_anchor(anchor_file)
    except AnchorError as exc:
        click.echo(f"BROKEN: {exc}", err=True)
        sys.exit(1)
    if anchor is None:
        click.echo(f"warning: {anchor_file} holds no anchor yet (run `caseapp audit anchor`)", err=True)
    else:
        broken = check_against(anchor)
        if broken is not None:
            click.echo(f"BROKEN at event {broken.seq}: {broken.reason}", err=True)
            sys.exit(1)
    reached = f"; reaches the anchor of {anchor.at} (event {anchor.seq})" if anchor else ""
    click.echo(f"audit chain intact: {checked} events verified{reached}")


@audit_cli.command("anchor")
def audit_anchor():
    """Write the chain's current head, signed, to the configured place(s) outside the database (run from cron)."""
    from caseapp.audit.anchor import AnchorError, write_anchor

    try:
        anchor, places = write_anchor()
    except AnchorError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"the anchor could not be written: {exc}") from None
    db.session.commit()
    click.echo(f"anchored event {anchor.seq} to {', '.join(places)}")


@demo_cli.command("seed")
@click.option("--people", default=300, show_default=True, type=click.IntRange(0, 1_000_000))
@click.option("--seed", default=1, show_default=True, type=int)
@click.option("--if-empty", is_flag=True, help="Seed only when no resident exists yet (for `make run`).")
def demo_seed(people, seed, if_empty):
    """Deterministic synthetic data across every domain; demo accounts in development."""
    from caseapp.demo import demo_accounts
    from caseapp.demo import seed as run_seed
    from caseapp.register.models import Person

    accounts = current_app.config.get("DEMO_ACCOUNTS", False)
    if if_empty and db.session.scalar(db.select(Person.id).limit(1)) is not None:
        click.echo("demo data already present; not seeding again")
        if accounts:
            click.echo("\n".join(demo_accounts.sign_in_help(current_app.config["TWO_FACTOR_ROLES"])))
        return
    report = run_seed(people=people, seed=seed, accounts=accounts)
    for line in report:
        click.echo(line)


def register(app) -> None:
    from caseapp.domain import domains

    with app.app_context():
        groups = [group for part in domains() for group in part.cli]
    for group in (users_cli, keys_cli, audit_cli, demo_cli, *groups):
        app.cli.add_command(group)


def _create_app():
    from caseapp import create_app
    from config import ConfigError

    try:
        return create_app()
    except ConfigError as exc:
        # A setting to fix, not a bug: Flask's CLI shows this exception as one line naming it, not a traceback.
        raise NoAppException(str(exc)) from None


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False, load_dotenv=False)
@click.version_option(package_name="caseapp", prog_name="caseapp", message="%(prog)s %(version)s")
def main():
    """caseapp: case and mentoring management (see README)."""


# `keys create` makes the keyring a production app needs before it can start, so the group is also
# reachable without loading the app (its other commands still load it).
main.add_command(keys_cli)
