"""Writing and verifying the audit log. `record()` is the only way events are written."""

from caseapp.audit.chain import ChainBreak, has_pending, record, register_hooks, verify_chain, write_pending


def record_kept(action: str, **fields):
    """An event that must stay even when the request is refused and rolled back (a failed look-up, a
    refused emergency access, the token use that made the request): it outlasts the rollback and is
    committed after it (caseapp.web.discard_changes), so the refusal itself is never lost."""
    return record(action, outlasts_failure=True, **fields)


__all__ = ["ChainBreak", "has_pending", "record", "record_kept", "register_hooks", "verify_chain", "write_pending"]
