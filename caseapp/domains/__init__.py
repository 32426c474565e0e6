"""The domains, listed once. Their order is the order of their navigation entries, landing panels,
person-page sections and demo seeding (data protection last: it seeds consents for the others' work).

Adding a domain: its package here, one line below, its permissions in caseapp/security/permissions.py,
one migration, and its tests.
"""

from caseapp.domains import community, concerns, counselling, courses, dataprotection, mentoring

DOMAINS = (
    counselling.DOMAIN,
    concerns.DOMAIN,
    courses.DOMAIN,
    community.DOMAIN,
    mentoring.DOMAIN,
    dataprotection.DOMAIN,
)
