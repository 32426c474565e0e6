"""The platform's own tables (staff accounts, sessions, tokens, the audit log) and the shared column helpers.

The register's tables are in caseapp/register/models.py, the plan's in caseapp/plan, each domain's in its
package; the app factory imports them all, so the metadata (and Alembic) sees every table.
"""

from caseapp.models.audit import AuditEvent
from caseapp.models.users import ApiToken, RecoveryCode, User, UserSession

__all__ = ["ApiToken", "AuditEvent", "RecoveryCode", "User", "UserSession"]
