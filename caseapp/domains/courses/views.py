"""Pages of youth courses: the course list, the course page (sessions, enrolments, rates, the completion
rule, follow-ups), the forms that change them, the attendance register (one screen per session, one
tap per participant, each mark saved as it is made), the landing panel, person-page section and agenda."""

from __future__ import annotations

from datetime import date

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_date, format_time
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from caseapp import audit
from caseapp.clock import local_today
from caseapp.domain import AgendaItem
from caseapp.domains.courses import access, bp, queries, services
from caseapp.domains.courses.access import PURPOSE
from caseapp.domains.courses.forms import (
    ConfirmForm,
    CourseCreateForm,
    CourseEditForm,
    CprLookupForm,
    DropOutForm,
    EnrolPageForm,
    MarkForm,
    OutcomeForm,
    SessionForm,
    StaffLeaderForm,
    VolunteerLeaderForm,
    band_label,
    course_form_data,
    rule_form,
)
from caseapp.domains.courses.labels import LABELS
from caseapp.domains.courses.models import MARKS, PLAN_RECORD, CourseSession
from caseapp.errors import DomainError, api_error_response
from caseapp.extensions import db
from caseapp.forms import choices
from caseapp.models.base import parse_uuid
from caseapp.models.users import User
from caseapp.plan.tagging import tags_of
from caseapp.platform.notifications.services import load_search, save_search
from caseapp.register.services import picker_rows
from caseapp.security.accounts import active_staff_holding
from caseapp.security.permissions import Permission, can, require
from caseapp.web import discard_changes, refusal, submit

READ, RUN = Permission.COURSES_READ, Permission.COURSES_RUN


@bp.before_request
@login_required
def _login_first():
    return None


def render(template: str, code: int = 200, **context):
    return render_template(f"courses/{template}", labels=LABELS, **context), code


def _association_choices(form) -> None:
    offered = services.association_choices()
    form.partner_association_id.choices = choices(offered, blank="–")
    form.offers_associations = bool(offered)


def _saved(form, verb, success: str):
    """(None, made) when the verb saved; else (status, None) with the input kept and nothing written."""
    made = []
    status = submit(form, lambda: made.append(verb()))
    if status is None:
        flash(success, "success")
        return None, made[0]
    return status, None


def _to_course(course, anchor=None):
    return redirect(url_for("courses.course", course_id=course.id, _anchor=anchor))


def _flash_refusal(refused) -> None:
    if refused is not None:
        flash(" ".join(str(m) for m in refused.fields.values()) or str(refused.message), "error")


@bp.route("/")
@require(READ)
def index():
    q = (request.args.get("q") or "").strip()[:100]
    page = db.paginate(
        queries.course_list(current_user, q or None), per_page=current_app.config["PER_PAGE"], error_out=False
    )
    queries.audit_list("course", page=page.page)
    return render("index.html", page=page, q=q, today=local_today(), can_create=access.runs_courses(current_user))


@bp.route("/new", methods=["GET", "POST"])
@require(RUN)
def new():
    if not access.runs_courses(current_user):
        abort(403)
    form = CourseCreateForm()
    _association_choices(form)
    status = 200
    if request.method == "POST":
        status, course = _saved(
            form,
            lambda: services.create_course(form.to_input(), current_user, form.pattern()),
            _("The course was created."),
        )
        if status is None:
            return _to_course(course)
    return render("course_form.html", status, form=form, creating=True)


@bp.route("/<uuid:course_id>")
@require(READ)
def course(course_id):
    found = queries.course_page(course_id, current_user)
    queries.audit_course_view(found)
    today = local_today()
    can_run = access.can_run(current_user, found)
    staff = []
    if can_run:
        leading = {x.user_id for x in found.leaders}
        staff = [u for u in active_staff_holding("course_leader") if u.id not in leading]
    return render(
        "course.html",
        course=found,
        today=today,
        can_run=can_run,
        rates=queries.rates(found, today),
        waiting=services.waiting_list(found),
        tags=tags_of(PLAN_RECORD, found.record_key),
        follow_ups=services.due_follow_ups([found], today, within_days=31) if can_run else [],
        rule=rule_form(
            found,
            data={
                "min_attendance_pct": found.min_attendance_pct,
                "required_sessions": [str(s.id) for s in found.sessions if s.required],
            },
        ),
        outcome_form=OutcomeForm(),
        drop_form=DropOutForm(),
        confirm_form=ConfirmForm(),
        staff_form=StaffLeaderForm(),
        volunteer_form=VolunteerLeaderForm(),
        staff=staff,
    )


@bp.route("/<uuid:course_id>/edit", methods=["GET", "POST"])
@require(RUN)
def edit(course_id):
    found = access.runnable_course(course_id, current_user)
    form = CourseEditForm(data=course_form_data(found) if request.method == "GET" else None)
    _association_choices(form)
    status = 200
    if request.method == "POST":
        status, _made = _saved(
            form,
            lambda: services.update_course(found, form.to_input(), form.version.data, current_user) or found,
            _("The course was saved."),
        )
        if status is None:
            return _to_course(found)
        if status == 409:
            form.version.data = found.version
    return render("course_form.html", status, form=form, creating=False, course=found)


@bp.route("/<uuid:course_id>/sessions/new", methods=["GET", "POST"])
@require(RUN)
def session_new(course_id):
    found = access.runnable_course(course_id, current_user)
    form = SessionForm()
    status = 200
    if request.method == "POST":
        status, _made = _saved(
            form, lambda: services.add_session(found, form.to_input(), current_user), _("The session was added.")
        )
        if status is None:
            return _to_course(found, "sessions")
    return render("session_form.html", status, form=form, course=found)


@bp.post("/<uuid:course_id>/sessions/<uuid:session_id>/cancel")
@require(RUN)
def session_cancel(course_id, session_id):
    found = access.runnable_course(course_id, current_user)
    session = access.session_of(found, session_id)
    cancel = request.form.get("cancelled") == "1"
    _flash_refusal(refusal(lambda: services.set_session_cancelled(session, cancel, current_user)))
    return _to_course(found, "sessions")


# A CPR look-up's one person is kept server-side under an opaque id (the saved searches of the header's
# search), so neither the number nor the person is in the address and Back returns to the page.
LOOKED_UP = "courses.cpr"


def _looked_up(search_id: str) -> list:
    saved = load_search(search_id, current_user) if search_id else None
    if saved is None or saved[0] != LOOKED_UP:
        return []
    return [pid for pid in map(parse_uuid, saved[1]) if pid is not None]


def _choices(course, found) -> list:
    """The picker's rows, each with the age at the course's start (what the age band is judged by)."""
    return picker_rows(services.enrolment_choices(course, current_user, found), on=course.starts_on)


def _enrol_page(course, form, lookup, rows: list, search_id: str, status: int = 200):
    # The picker lists the leader's people by name: that is a read of them.
    audit.record("person.list", object_type="person", purpose=PURPOSE, detail={"count": len(rows), "for": "enrolment"})
    return render(
        "enrol.html",
        status,
        form=form,
        lookup=lookup,
        course=course,
        people=rows,
        search_id=search_id or None,
        band=band_label(course.age_min, course.age_max),
        places=course.capacity - services.holding_places(course),
    )


@bp.route("/<uuid:course_id>/enrol", methods=["GET", "POST"])
@require(RUN)
def enrol(course_id):
    """The person picker over the leader's people (and whoever their CPR look-up found); someone outside
    the course's age band only with the confirmation and a reason."""
    course = access.runnable_course(course_id, current_user)
    search_id = (request.args.get("found") or "")[:22]
    found = _looked_up(search_id)
    rows = _choices(course, found)
    form = EnrolPageForm(people=rows, band=(course.age_min, course.age_max))
    status = 200
    if request.method == "GET" and found:
        form.person_id.data = str(found[0])
    elif request.method == "POST":

        def verb():
            person = services.person_to_enrol(form.person_id.data, current_user, found)
            reason = form.age_reason.data if form.outside_band() is not None else None
            return services.enrol(course, person, current_user, age_reason=reason)

        status, made = _saved(form, verb, _("Saved."))
        if status is None:
            if made.status == "waiting":
                flash(
                    _(
                        "The course is full: they are number %(n)d on the waiting list.",
                        n=services.waiting_list(course).index(made) + 1,
                    ),
                    "warning",
                )
            return redirect(url_for("courses.enrol", course_id=course.id))
    return _enrol_page(course, form, CprLookupForm(formdata=None), rows, search_id, status)


@bp.post("/<uuid:course_id>/enrol/lookup")
@require(RUN)
def enrol_lookup(course_id):
    """A young person outside the leader's caseload, by the whole CPR number: exactly one or no one."""
    course = access.runnable_course(course_id, current_user)
    lookup = CprLookupForm()
    if lookup.validate_on_submit():
        person = services.find_by_cpr(current_user, lookup.cpr.data)
        if person is None:
            lookup.cpr.errors.append(_("No one in the register has that CPR number."))
        elif any(e.person_id == person.id for e in course.enrolments):
            lookup.cpr.errors.append(_("They are already enrolled on or waiting for this course."))
        else:
            search_id = save_search(current_user, LOOKED_UP, [person.id])
            return redirect(url_for("courses.enrol", course_id=course.id, found=search_id), code=303)
    discard_changes()
    rows = _choices(course, [])
    form = EnrolPageForm(formdata=None, people=rows, band=(course.age_min, course.age_max))
    return _enrol_page(course, form, lookup, rows, "", 422)


@bp.post("/<uuid:course_id>/enrolments/<uuid:enrolment_id>/confirm")
@require(RUN)
def confirm(course_id, enrolment_id):
    found = access.runnable_course(course_id, current_user)
    enrolment = access.enrolment_of(found, enrolment_id)
    form = ConfirmForm()
    version = form.version.data if form.validate_on_submit() else None
    _flash_refusal(refusal(lambda: services.confirm_offer(enrolment, current_user, version)))
    return _to_course(found, "enrolments")


@bp.post("/<uuid:course_id>/enrolments/<uuid:enrolment_id>/drop")
@require(RUN)
def drop(course_id, enrolment_id):
    found = access.runnable_course(course_id, current_user)
    enrolment = access.enrolment_of(found, enrolment_id)
    form = DropOutForm()
    if not form.validate_on_submit():
        flash(_("Say why they left."), "error")
        return _to_course(found, "enrolments")
    _flash_refusal(refusal(lambda: services.drop_out(enrolment, form.reason.data, current_user, form.version.data)))
    return _to_course(found, "enrolments")


@bp.post("/<uuid:course_id>/rule")
@require(RUN)
def rule(course_id):
    found = access.runnable_course(course_id, current_user)
    form = rule_form(found)
    if not form.validate_on_submit():
        flash(_("Please correct the fields marked below."), "error")
        return _to_course(found, "rule")
    refused = refusal(
        lambda: services.set_rule(found, form.min_attendance_pct.data, form.required_sessions.data, current_user)
    )
    _flash_refusal(refused)
    if refused is None:
        flash(_("The completion rule was changed and completion recomputed."), "success")
    return _to_course(found, "rule")


@bp.post("/<uuid:course_id>/outcomes")
@require(RUN)
def outcome(course_id):
    found = access.runnable_course(course_id, current_user)
    form = OutcomeForm()
    if not form.validate_on_submit():
        flash(_("Please correct the fields marked below."), "error")
        return _to_course(found, "follow-ups")
    enrolment = access.enrolment_of(found, form.enrolment_id.data)
    refused = refusal(
        lambda: services.record_outcome(enrolment, form.months.data, form.outcome.data, form.note.data, current_user)
    )
    _flash_refusal(refused)
    if refused is None:
        flash(_("The outcome was recorded."), "success")
    return _to_course(found, "follow-ups")


@bp.post("/<uuid:course_id>/leaders")
@require(RUN)
def leader_add(course_id):
    found = access.runnable_course(course_id, current_user)
    if request.form.get("person_id"):
        form = VolunteerLeaderForm()
        if form.validate_on_submit():
            person = services.registered_person(form.person_id.data)
            _flash_refusal(refusal(lambda: services.add_volunteer_leader(found, person, current_user)))
    else:
        form = StaffLeaderForm()
        if form.validate_on_submit():
            user = db.session.get(User, int(form.user_id.data)) if form.user_id.data.isdigit() else None
            if user is None:
                abort(404)
            _flash_refusal(refusal(lambda: services.add_staff_leader(found, user, current_user)))
    return _to_course(found, "leaders")


# The attendance register


@bp.get("/<uuid:course_id>/sessions/<uuid:session_id>/register")
@require(READ)
def register(course_id, session_id):
    found = queries.course_page(course_id, current_user)
    session = access.session_of(found, session_id)
    rows = queries.register_rows(found, session)
    queries.audit_course_view(found)
    today = local_today()
    return render(
        "register.html",
        course=found,
        session=session,
        rows=rows,
        marks=MARKS,
        today=today,
        can_mark=access.can_run(current_user, found) and not session.cancelled and session.held_on <= today,
        amending=session.held_on < today,
    )


@bp.post("/<uuid:course_id>/sessions/<uuid:session_id>/register")
@require(RUN)
def mark(course_id, session_id):
    """One mark: the page's buttons post it as a form (answered with the page again), its script as JSON
    (answered with the mark, or 422 with the field messages)."""
    wants_json = request.is_json
    found = access.runnable_course(course_id, current_user)
    session = access.session_of(found, session_id)
    if wants_json:
        from caseapp.platform.api.helpers import validate_form

        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            return api_error_response(400, "Send a JSON object")
        form = validate_form(MarkForm, data)
    else:
        form = MarkForm()
        if not form.validate_on_submit():
            discard_changes()
            flash(_("Choose present, late, excused or absent."), "error")
            return redirect(url_for("courses.register", course_id=found.id, session_id=session.id))
    item = form.to_input()
    enrolment = access.enrolment_of(found, item.enrolment_id)
    try:
        saved = services.mark(session, enrolment, item.status, current_user, reason=item.reason)
    except DomainError as refused:
        discard_changes()
        messages = {k: str(v) for k, v in refused.fields.items()}
        if wants_json:
            return api_error_response(422, "Not saved", messages)
        flash(" ".join(messages.values()), "error")
        return _to_register(found, session, enrolment)
    if wants_json:
        return jsonify(
            {
                "enrolment_id": str(enrolment.id),
                "status": saved.status,
                "saved": True,
                "enrolment_status": enrolment.status,
            }
        )
    return _to_register(found, session, enrolment)


def _to_register(course, session, enrolment):
    return redirect(
        url_for("courses.register", course_id=course.id, session_id=session.id, _anchor=f"p-{enrolment.id}")
    )


# Landing panel, person section, agenda


def today_panel(user):
    if not access.runs_courses(user):
        return None
    today = local_today()
    sessions = queries.sessions_of_user(user, today, today)
    follow_ups = services.due_follow_ups(queries.own_courses(user), today)
    return render_template("courses/panel.html", sessions=sessions, follow_ups=follow_ups, today=today)


def person_section(user, person):
    if not can(user, READ):
        return None
    found = queries.enrolments_of_person(user, person)
    if not found:
        return None
    return render_template("courses/person_section.html", enrolments=found, labels=LABELS)


def person_facts(user, person) -> list[tuple[object, object]]:
    """The person header's course facts (Domain.extra["person_facts"]): each current enrolment or place
    on a waiting list on the courses the user may see, with the course's next session."""
    if not can(user, READ):
        return []
    current = [e for e in queries.enrolments_of_person(user, person) if e.status in ("enrolled", "waiting")]
    if not current:
        return []
    next_sessions = dict(
        db.session.execute(
            select(CourseSession.course_id, func.min(CourseSession.held_on))
            .where(
                CourseSession.course_id.in_([e.course_id for e in current]),
                CourseSession.cancelled.is_(False),
                CourseSession.held_on >= local_today(),
            )
            .group_by(CourseSession.course_id)
        ).all()
    )
    facts = []
    for e in current:
        value = f"{e.course.title}: {LABELS['status'][e.status]}"
        if e.course_id in next_sessions:
            value += " · " + _("next session %(day)s", day=format_date(next_sessions[e.course_id]))
        facts.append((_("Youth course"), value))
    return facts


def agenda(user, start: date, end: date) -> list[AgendaItem]:
    today = local_today()
    return [
        AgendaItem(
            day=s.held_on,
            label=f"{format_time(s.starts_at, 'short', rebase=False)} {s.course.title}"
            + (f": {s.topic}" if s.topic else ""),
            url=url_for("courses.register", course_id=s.course_id, session_id=s.id),
            kind=_("Course session"),
            overdue=False,
        )
        for s in queries.sessions_of_user(user, start, end)
    ] + [
        AgendaItem(
            day=f.due_on,
            label=_("Follow-up after %(n)d months: %(course)s", n=f.months, course=f.enrolment.course.title),
            url=url_for("courses.course", course_id=f.enrolment.course_id, _anchor="follow-ups"),
            kind=_("Course follow-up"),
            overdue=f.due_on < today,
        )
        for f in services.due_follow_ups(queries.own_courses(user), today, within_days=(end - today).days)
        if start <= f.due_on <= end or f.due_on < today
    ]
