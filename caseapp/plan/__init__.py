"""The plan (helhedsplanen) as data: funding periods, themes, municipal goals, the strategic agreement,
delaftaler (versioned), delmål and targets, and the tagging every domain uses (`caseapp.plan.tagging`).

Shared machinery, not a domain: domains import it; it imports no domain.
"""
