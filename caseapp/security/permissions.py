"""What each role may touch: the one permission table (DESIGN §2), and the decorator that enforces it.

Which *records* a permitted user may touch is the object policies' business (`visible_to`).
"""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache, wraps

from flask import abort
from flask_login import current_user


class Permission(StrEnum):
    STAFF_MANAGE = "staff.manage"
    AUDIT_READ = "audit.read"
    PEOPLE_READ = "people.read"  # scoped by visible_to
    PEOPLE_CREATE = "people.create"
    PEOPLE_EDIT = "people.edit"  # scoped: assigned
    CPR_READ = "people.cpr"
    ASSIGNMENTS_MANAGE = "assignments.manage"
    COUNSELLING_READ = "counselling.read"
    COUNSELLING_EDIT = "counselling.edit"
    CONCERNS_FILE = "concerns.file"
    CONCERNS_READ = "concerns.read"  # scoped: own filed, all (ssp, leader), shared (police)
    CONCERNS_READ_ALL = "concerns.read_all"  # every concern in full: ssp, leader
    CONCERNS_TRIAGE = "concerns.triage"
    REPORTS_READ = "reports.read"  # aggregates only, small numbers suppressed
    REPORTS_MANAGE = "reports.manage"  # indicators, freezing, register figures, the unsuppressed figures (audited)
    DATA_PROTECTION = "dataprotection.manage"
    CONSENT_EDIT = "consent.edit"
    BREAK_GLASS = "dataprotection.break_glass"  # emergency access to a person outside one's caseload
    PLAN_READ = "plan.read"  # funding periods, themes, goals, delaftaler, delmål, targets
    PLAN_MANAGE = "plan.manage"
    COURSES_READ = "courses.read"  # scoped: the courses one leads (course_leader), all (leader)
    COURSES_RUN = "courses.run"  # create courses; run (edit, enrol, registers) the courses one leads
    COMMUNITY_READ = "community.read"  # associations, activities, anonymous head counts, hour totals
    COMMUNITY_MANAGE = "community.manage"  # create and edit associations, activities, volunteers
    VOLUNTEERS_READ = "community.volunteers"  # volunteers' names, contact, vetting, placements, hours
    VETTING_OVERRIDE = "community.vetting_override"  # place an unvetted volunteer with under-15s, with a reason
    MENTORING_READ = "mentoring.read"  # scoped: own mentees (mentor), all (leader)
    MENTORING_WORK = "mentoring.work"  # record meetings, goals, jobs, outcomes for one's own mentees; answer proposals
    MENTORING_MANAGE = "mentoring.manage"  # programmes, mentor profiles, matching, employers, work rules


P = Permission

ROLE_PERMISSIONS: dict[str, frozenset[Permission]] = {
    "admin": frozenset({P.STAFF_MANAGE, P.AUDIT_READ}),
    "leader": frozenset(
        {
            P.AUDIT_READ,
            P.PEOPLE_READ,
            P.CPR_READ,
            P.ASSIGNMENTS_MANAGE,
            P.COUNSELLING_READ,
            P.CONCERNS_READ,
            P.CONCERNS_READ_ALL,
            P.REPORTS_READ,
            P.REPORTS_MANAGE,
            P.DATA_PROTECTION,
            P.CONSENT_EDIT,
            P.PLAN_READ,
            P.PLAN_MANAGE,
            P.COURSES_READ,
            P.COMMUNITY_READ,
            P.VOLUNTEERS_READ,
            P.VETTING_OVERRIDE,
            P.MENTORING_READ,
            P.MENTORING_MANAGE,
        }
    ),
    "social_worker": frozenset(
        {
            P.PEOPLE_READ,
            P.PEOPLE_CREATE,
            P.PEOPLE_EDIT,
            P.CPR_READ,
            P.COUNSELLING_READ,
            P.COUNSELLING_EDIT,
            P.CONCERNS_FILE,
            P.CONCERNS_READ,
            P.REPORTS_READ,
            P.CONSENT_EDIT,
            P.BREAK_GLASS,
            P.PLAN_READ,
            P.COMMUNITY_READ,
        }
    ),
    "mentor": frozenset(
        {
            P.PEOPLE_READ,
            P.CONCERNS_FILE,
            P.CONCERNS_READ,
            P.REPORTS_READ,
            P.BREAK_GLASS,
            P.PLAN_READ,
            P.COMMUNITY_READ,
            P.MENTORING_READ,
            P.MENTORING_WORK,
        }
    ),
    "course_leader": frozenset(
        {
            P.PEOPLE_READ,
            P.CONCERNS_FILE,
            P.CONCERNS_READ,
            P.REPORTS_READ,
            P.BREAK_GLASS,
            P.PLAN_READ,
            P.COURSES_READ,
            P.COURSES_RUN,
            P.COMMUNITY_READ,
        }
    ),
    # SSP staff take the calls from schools: they file concerns too (issue 17).
    "ssp": frozenset(
        {
            P.PEOPLE_READ,
            P.CPR_READ,
            P.CONCERNS_FILE,
            P.CONCERNS_READ,
            P.CONCERNS_READ_ALL,
            P.CONCERNS_TRIAGE,
            P.REPORTS_READ,
            P.BREAK_GLASS,
            P.PLAN_READ,
        }
    ),
    "police": frozenset({P.CONCERNS_READ}),
    # Coordinators: the civil-society domain only; volunteers are the only persons they reach, and no
    # register permission (PEOPLE_READ) opens any resident's record to them.
    "coordinator": frozenset({P.REPORTS_READ, P.PLAN_READ, P.COMMUNITY_READ, P.COMMUNITY_MANAGE, P.VOLUNTEERS_READ}),
    "analyst": frozenset({P.REPORTS_READ, P.PLAN_READ, P.COMMUNITY_READ}),
}


# Permissions that reach no resident's data: the only ones an account holding `admin` may have
# besides (DESIGN §2: the admin runs the system but sees no resident data). A permission missing
# here counts as reading residents, so a new one is kept from administrators until decided otherwise.
NO_RESIDENT_DATA = frozenset(
    {P.STAFF_MANAGE, P.AUDIT_READ, P.REPORTS_READ, P.PLAN_READ, P.COMMUNITY_READ}
)  # community pages show no name without VOLUNTEERS_READ
RESIDENT_READING_ROLES = frozenset(role for role, granted in ROLE_PERMISSIONS.items() if granted - NO_RESIDENT_DATA)


def conflicting_with_admin(roles) -> frozenset[str]:
    """The roles in `roles` that separation of duties forbids, if `roles` includes `admin`."""
    roles = frozenset(roles)
    return roles & RESIDENT_READING_ROLES if "admin" in roles else frozenset()


def permissions_of(user) -> frozenset[Permission]:
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    return _granted_by(frozenset(user.roles))


@lru_cache(maxsize=256)
def _granted_by(roles: frozenset[str]) -> frozenset[Permission]:
    granted: set[Permission] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)


def can(user, permission: Permission) -> bool:
    return permission in permissions_of(user)


def require(*permissions: Permission):
    """View decorator: 403 unless the current user's roles grant one of the permissions."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                abort(401)
            if not any(can(current_user, p) for p in permissions):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_permissions = permissions
        return wrapped

    return decorator
