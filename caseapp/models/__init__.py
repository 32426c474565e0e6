"""All models, imported here so the metadata (and Alembic) sees every table."""

from caseapp.crypto.keystore import SubjectKey
from caseapp.models.audit import AuditEvent
from caseapp.models.concerns import Concern  # noqa: F401  (imports every concerns table)
from caseapp.models.consent import Consent  # noqa: F401
from caseapp.models.counselling import CounsellingCase  # noqa: F401  (imports every counselling table)
from caseapp.models.dataprotection import BreakGlassGrant, ErasureRecord, LogReviewItem  # noqa: F401
from caseapp.models.people import Assignment, Household, HouseholdMember, Person, PersonNameToken
from caseapp.models.users import ApiToken, LoginLock, RecoveryCode, User, UserSession

__all__ = [
    "ApiToken", "Assignment", "AuditEvent", "Household", "HouseholdMember", "Person",
    "LoginLock", "PersonNameToken", "RecoveryCode", "SubjectKey", "User", "UserSession",
]
