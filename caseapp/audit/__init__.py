"""Writing and verifying the audit log. `record()` is the only way events are written."""

from flask import g, has_request_context

from caseapp.audit.chain import ChainBreak, record, verify_chain


def record_kept(action: str, **fields):
    """An event that must stay even when the request is refused and rolled back (a failed look-up, a
    refused emergency access): recorded now, and recorded again by the request's transaction boundary
    after the rollback (caseapp.http.end_transaction), so the refusal itself is never lost."""
    event = record(action, **fields)
    if has_request_context():
        g.setdefault("audit_kept", []).append((action, fields))
    return event


def record_again_after_rollback() -> bool:
    """Re-record the events `record_kept` marked; True if there were any (the caller commits)."""
    kept = g.pop("audit_kept", []) if has_request_context() else []
    for action, fields in kept:
        record(action, **fields)
    return bool(kept)


__all__ = ["ChainBreak", "record", "record_again_after_rollback", "record_kept", "verify_chain"]
