"""The records of processing's texts of this domain's models (their ProcessingRecord, written in English)
marked for its Danish catalogue: the data-protection page shows them translated (tests/frontline checks
that every text on that page has a translation)."""

from flask_babel import gettext


def _texts():  # never called: for the catalogue extraction only
    gettext("The attendance register of youth course sessions")
    gettext("GDPR art. 6(1)(a) consent, art. 6(1)(e); Serviceloven § 11 (forebyggende indsats)")
    gettext("attendance at course sessions")
    gettext("young people")
    gettext("the course's leaders")
    gettext("Corrections of the attendance register after the session day, with their reason")
    gettext("corrected attendance")
    gettext("reason for the correction")
    gettext("Enrolment of young people on development courses, the waiting list, completion and drop-out")
    gettext("course participation")
    gettext("waiting-list place")
    gettext("completion")
    gettext("drop-out reason")
    gettext("reason for accepting outside the age band")
    gettext("Who leads a youth course (staff or a vetted volunteer)")
    gettext("course leadership")
    gettext("volunteers")
    gettext("course leaders")
    gettext("Follow-up of young people after a course: education, leisure job, work")
    gettext("education or work status after the course")
    gettext("follow-up note")
