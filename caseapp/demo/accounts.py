"""One demo staff account per role (development only), plus a few extra frontline staff."""

from __future__ import annotations

from sqlalchemy import select

from caseapp.extensions import db
from caseapp.models.users import User
from caseapp.security.accounts import create_user, find_user
from caseapp.security.roles import ROLES

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - demo accounts exist only in development
DEMO_DOMAIN = "demo.caseapp.dk"
EXTRA_STAFF = (("social_worker", "social_worker2"), ("mentor", "mentor2"), ("course_leader", "course_leader2"))
NAMES = {
    "admin": "Ada Administrator",
    "leader": "Lene Leder",
    "social_worker": "Sofie Socialrådgiver",
    "social_worker2": "Said Socialrådgiver",
    "mentor": "Mads Mentor",
    "mentor2": "Mira Mentor",
    "course_leader": "Karim Kursusleder",
    "course_leader2": "Katja Kursusleder",
    "ssp": "Sara SSP",
    "police": "Peter Politi",
    "coordinator": "Camilla Koordinator",
    "analyst": "Anders Analytiker",
}


def listing() -> list[tuple[str, str]]:
    rows = [(role, f"{role}@{DEMO_DOMAIN}") for role in ROLES]
    rows += [(role, f"{login}@{DEMO_DOMAIN}") for role, login in EXTRA_STAFF]
    return rows


def sign_in_help(two_factor_roles: frozenset[str]) -> list[str]:
    """How each demo account signs in, for `make run`'s output (the README says the same)."""
    lines = [f"demo accounts (password for all: {DEMO_PASSWORD}):"]
    for role, email in listing():
        lines.append(f"  {role:14} {email:34} {'two-factor' if role in two_factor_roles else ''}".rstrip())
    enrolling = ", ".join(role for role in ROLES if role in two_factor_roles)
    lines += [
        f"  {enrolling} must use two-factor authentication. At the first login the set-up page shows a QR code",
        "  and its key: scan the code (or type the key) in any authenticator app (TOTP), enter the six digits",
        "  it shows and keep the recovery codes. Every later login asks for the current code.",
    ]
    return lines


def ensure_demo_accounts() -> dict[str, list[User]]:
    for role, email in listing():
        if find_user(email) is None:
            create_user(email, NAMES[email.split("@")[0]], [role], DEMO_PASSWORD)
    db.session.flush()
    return existing_staff()


def existing_staff() -> dict[str, list[User]]:
    """Active staff by role, in a stable order, for spreading assignments."""
    staff: dict[str, list[User]] = {role: [] for role in ROLES}
    for user in db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.id)):
        for role in user.roles:
            staff[role].append(user)
    return staff
