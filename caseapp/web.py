"""The request's one transaction boundary, and the one way a page runs a verb for a form.

A request commits once, after its view, when the answer is a success (status < 400); anything else
rolls back. Verbs flush and audit and never commit, so a refused request leaves nothing half-written:
only the audit events recorded with `audit.record_kept`, which say what was refused. A page that
catches a refusal (`attempt`) discards the verb's changes at once; what it records after that, the
reads of what it shows again, is committed with its 409 or 422 answer.
"""

from __future__ import annotations

from flask import abort, current_app, g
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from caseapp import audit
from caseapp.crypto.fields import record_unreadable
from caseapp.errors import Conflict, DomainError, NotFound, NotPermitted, database_unavailable, domain_error_answer
from caseapp.extensions import db


def end_transaction(response):
    """after_request: commit on success, roll back otherwise; a database gone meanwhile answers 503."""
    try:
        if response.status_code < 400 or g.get("refusal_discarded") or g.get("keep_changes"):
            record_unreadable(db.session)
            db.session.commit()
        else:
            discard_changes()
    except (OperationalError, InterfaceError) as exc:
        return database_unavailable(exc)
    except IntegrityError:  # a race for a unique record, lost at commit: as a stale version
        db.session.rollback()
        return current_app.make_response(domain_error_answer(Conflict()))
    return response


def discard_changes() -> None:
    """Roll back what the request wrote, keeping (and committing) the events of what was refused,
    and of any record that failed to decrypt (a security event is never rolled back with the request)."""
    db.session.rollback()
    g.refusal_discarded = True
    # After a rollback only the events recorded with record_kept are pending; decryption failures add theirs.
    if record_unreadable(db.session) or audit.has_pending():
        db.session.commit()


def keep_changes() -> None:
    """Commit this request's writes although it answers an error: a refused login keeps its failure
    count and its audit event, which is the point of counting."""
    g.keep_changes = True


def attach_errors(form, exc: DomainError) -> None:
    """Put a refusal's messages on the form: each field's on its field (`name-0-sub` on a row of a
    FieldList), the rest at the top of the form."""
    for name, message in exc.fields.items():
        target = _field(form, name)
        (target.errors if target is not None else form.form_errors).append(str(message))
    if not exc.fields:
        form.form_errors.append(str(exc.message))


def _field(form, name: str):
    if name in form._fields:
        return form._fields[name]
    head, _sep, rest = name.partition("-")
    index, _sep, sub = rest.partition("-")
    entries = getattr(form._fields.get(head), "entries", None)
    if entries is not None and index.isdigit() and int(index) < len(entries):
        return entries[int(index)].form._fields.get(sub)
    return None


def submit(form, verb, *, stale_message: str | None = None) -> int | None:
    """A posted page form: None when the form is valid and its verb succeeded (the request then commits);
    else the status to show the form again with, what was typed kept and nothing written but the reads
    of what is shown again: 422 for input the form or the verb refuses, 409 for a stale version."""
    if not form.validate_on_submit():
        discard_changes()
        return 422
    return attempt(form, verb, stale_message=stale_message)


def refusal(verb) -> DomainError | None:
    """Run a verb; None when it succeeded, else its refusal, with its changes already discarded.
    For actions that answer with a message and a redirect rather than a form. Not permitted and not
    found answer their error pages; a stale version comes back as a Conflict."""
    try:
        verb()
        return None
    except (NotPermitted, NotFound) as exc:
        discard_changes()
        abort(exc.status)
    except StaleDataError:
        discard_changes()
        return Conflict()
    except DomainError as exc:
        discard_changes()
        return exc


def attempt(form, verb, *, stale_message: str | None = None) -> int | None:
    """Run a verb for a submitted page form. None when it succeeded (the request then commits);
    otherwise the status to show the form again with, the user's input kept and nothing written:
    422 with the refusal's messages on the fields, 409 for a stale version."""
    refused = refusal(verb)
    if refused is None:
        return None
    if isinstance(refused, Conflict):
        form.form_errors.append(
            stale_message
            or _(
                "Someone else changed this while you worked on it. Your "
                "input is below but not saved: check it and save again."
            )
        )
    else:
        attach_errors(form, refused)
    return refused.status
