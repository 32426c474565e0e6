"""Writing and verifying the audit log. `record()` is the only way events are written."""

from caseapp.audit.chain import ChainBreak, record, verify_chain

__all__ = ["ChainBreak", "record", "verify_chain"]
