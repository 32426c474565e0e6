"""The records of processing's texts of this domain's models (their ProcessingRecord, written in English)
marked for its Danish catalogue: the data-protection page shows them translated (tests/frontline checks
that every text on that page has a translation)."""

from flask_babel import gettext


def _texts():  # never called: for the catalogue extraction only
    gettext("Hours volunteers give activities (anonymous totals after erasure)")
    gettext("volunteer hours")
    gettext("volunteers")
    gettext("coordinators")
    gettext("Which activities a volunteer helps, and any override of the vetting requirement")
    gettext("activities helped")
    gettext("role")
    gettext("override reason")
    gettext("Child-protection vetting of volunteers working with children under 15 (børneattest)")
    gettext("GDPR art. 6(1)(c) and art. 10; Lov om indhentelse af børneattest; Bekendtgørelse om børneattester")
    gettext("dates of request, consent and receipt")
    gettext("assessment: entries or none")
    gettext("note")
    gettext("Coordinating volunteers in the area's associations and activities")
    gettext("associations")
    gettext("Which associations a volunteer helps")
