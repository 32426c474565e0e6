"""Writing and verifying the audit log. `record()` is the only way events are written."""

from caseapp.audit.chain import ChainBreak, has_pending, record, register_hooks, verify_chain, write_pending

__all__ = ["ChainBreak", "has_pending", "record", "register_hooks", "verify_chain", "write_pending"]
