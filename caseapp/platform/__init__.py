"""The platform, apart from the domains: sign-in and two-factor (auth), the landing page (main), the
audit log viewer (auditlog), staff accounts (admin) and the /api/v1 shell with its OpenAPI document (api)."""


def parts():
    """The platform's parts: those listed before the register and the domains, and those after."""
    from caseapp.platform import admin, agenda, auditlog, auth, main, notifications

    return (auth.PART, main.PART), (agenda.PART, notifications.PART, auditlog.PART, admin.PART)
