"""Pages of parent counselling: case list, case page (log, goals, attendance charts, referrals),
the forms that change them, parent groups, the "My work" landing panel and the person-page section.

A page validates its form (the one shape validator), hands the verb the form's typed input and lets
the request's transaction boundary commit; refused input shows the form again with 422, a stale
version with 409, and nothing is kept."""

from __future__ import annotations

from flask import abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import defer, selectinload

from caseapp import audit
from caseapp.clock import local_today
from caseapp.domains.counselling import access, bp, cases, queries
from caseapp.domains.counselling.charts import attendance_charts
from caseapp.domains.counselling.forms import (
    ActionStatusForm,
    AmendmentForm,
    AttendanceEditForm,
    AttendanceForm,
    CaseEditForm,
    CaseOpenForm,
    ChooseParentForm,
    GoalForm,
    GoalStatusForm,
    GroupRegisterForm,
    GroupSessionForm,
    ReferralEditForm,
    ReferralForm,
    SessionForm,
    action_form_data,
    attendance_form_data,
    case_form_data,
    goal_form_data,
    referral_form_data,
)
from caseapp.domains.counselling.groups import create_group_session, register_parent, unregister_parent
from caseapp.domains.counselling.labels import LABELS
from caseapp.domains.counselling.models import (
    CASE_STATUSES,
    PLAN_RECORD,
    CounsellingCase,
    CounsellingSession,
    SessionAction,
)
from caseapp.extensions import db
from caseapp.models.base import parse_uuid
from caseapp.plan.tagging import tags_of
from caseapp.register.models import NAME_COLUMNS
from caseapp.register.services import picker_rows
from caseapp.security.permissions import Permission, can, require
from caseapp.web import refusal, submit

READ, EDIT = Permission.COUNSELLING_READ, Permission.COUNSELLING_EDIT


@bp.before_request
@login_required
def _login_first():
    return None


def render(template: str, code: int = 200, **context):
    return render_template(f"counselling/{template}", labels=LABELS, **context), code


def _name(person) -> str:
    year = f" ({person.birth_year})" if person.birth_year else ""
    return f"{person.full_name}{year}"


def _submitted(form, verb, *, success: str, record=None) -> tuple[int | None, object]:
    """A posted form: (None, what the verb returned) when it saved (the request then commits), else
    the status to show the form again with, the input kept and nothing written: 422 for input the
    form or the verb refuses, 409 for a stale version, whose field then carries the version now
    stored, so saving again is a deliberate choice to overwrite what the other person saved."""
    made = []
    status = submit(form, lambda: made.append(verb()))
    if status is None:
        flash(success, "success")
        return None, made[0]
    if status == 409 and record is not None:
        form.version.data = record.version
    return status, None


def _form_page(template: str, form, verb, *, success: str, then, record=None, **context):
    """A form page: GET shows the form; POST runs the verb on the form's input and answers `then(what
    the verb returned)` when it saved, else shows the form again (see _submitted)."""
    status = 200
    if request.method == "POST":
        status, made = _submitted(form, verb, success=success, record=record)
        if status is None:
            return then(made)
    return render(template, status, form=form, **context)


def _back_to(case, anchor: str | None = None):
    """Where a saved form of a case goes: the case page, at the section it changed."""
    return lambda _made: redirect(url_for("counselling.case", case_id=case.id, _anchor=anchor))


# Case list and case page


@bp.route("/")
@require(READ)
def index():
    status = request.args.get("status", "")
    query = queries.case_list(current_user, status if status in CASE_STATUSES else None)
    # The parent, the children and the latest follow-up of every row in a query each, not per row; of
    # the encrypted fields only the parent's name, which the list shows (the rest is not decrypted).
    query = query.options(
        defer(CounsellingCase.background),
        defer(CounsellingCase.closing_note),
        selectinload(CounsellingCase.person).load_only(*NAME_COLUMNS),
        selectinload(CounsellingCase.children),
        selectinload(CounsellingCase.sessions).load_only(CounsellingSession.held_on, CounsellingSession.next_follow_up),
    )
    page = db.paginate(query, per_page=current_app.config["PER_PAGE"], error_out=False)
    queries.audit_list("case", page=page.page, status=status or None)
    return render(
        "index.html", page=page, status=status, statuses=CASE_STATUSES, can_open=access.works_cases(current_user)
    )


@bp.route("/cases/new", methods=["GET", "POST"])
@require(EDIT)
def open_case():
    if not access.works_cases(current_user):
        abort(403)
    person_id = request.args.get("person_id")
    if not person_id:
        candidates = picker_rows(queries.parent_candidates(current_user))
        # The picker lists the worker's adults by name: that is a read of them.
        audit.record(
            "person.list",
            object_type="person",
            purpose="counselling",
            detail={"count": len(candidates), "for": "case_form"},
        )
        return render("choose_parent.html", form=ChooseParentForm(), candidates=candidates, adult_age=queries.ADULT_AGE)
    person = access.visible_people(current_user, [person_id]).get(parse_uuid(person_id))
    if person is None:
        abort(404)
    form = CaseOpenForm(data={"person_id": str(person.id)})
    households = queries.household_options(person, current_user)
    form.household_id.choices = [("", _("No household"))] + [
        (str(hid), ", ".join(p.full_name for p, _r in members)) for hid, members in households
    ]
    if len(households) == 1 and request.method == "GET":
        form.household_id.data = str(households[0][0])
    children = queries.child_candidates(person, current_user)
    form.children.choices = [(str(c.id), _name(c)) for c in children]
    form.person_id.data = str(person.id)  # the parent is fixed by the page, not by the form
    return _form_page(
        "open.html",
        form,
        lambda: cases.open_case(form.to_input(), current_user),
        success=_("The case is opened."),
        then=lambda case: redirect(url_for("counselling.case", case_id=case.id)),
        person=person,
        name=_name,
        children=picker_rows(children),
        child_age_max=queries.ADULT_AGE - 1,
    )


@bp.route("/cases/<uuid:case_id>")
@require(READ)
def case(case_id):
    case = access.visible_case(case_id, current_user, with_sessions=True)
    user = current_user
    editable = access.can_edit(user, case)
    people = {p.id: p for p in queries.case_people(case, user)}
    attendance = [
        (child, records, attendance_charts(child.full_name, records))
        for child, records in queries.attendance_by_child(case, people)
    ]
    queries.audit_case_view(case)
    goal_form = GoalForm(formdata=None) if editable and case.status != "closed" else None
    return render(
        "case.html",
        case=case,
        editable=editable,
        counsellors=queries.counsellors(case),
        people=people,
        attendance=attendance,
        groups=queries.group_attendance_of(case),
        goal_form=goal_form,
        today=local_today(),
        case_tags=tags_of(PLAN_RECORD, case.id),
    )


@bp.route("/cases/<uuid:case_id>/edit", methods=["GET", "POST"])
@require(EDIT)
def edit_case(case_id):
    case = access.editable_case(case_id, current_user)
    form = CaseEditForm(data=case_form_data(case) if request.method == "GET" else None)
    candidates = {c.id: c for c in queries.child_candidates(case.person, current_user)}
    for link in case.children:
        candidates.setdefault(link.person_id, link.person)
    form.children.choices = [(str(pid), _name(p)) for pid, p in candidates.items()]
    return _form_page(
        "edit_case.html",
        form,
        lambda: cases.update_case(case, form.to_input(), form.version.data, current_user),
        success=_("The case is saved."),
        then=_back_to(case),
        record=case,
        case=case,
    )


# Goals


@bp.route("/cases/<uuid:case_id>/goals", methods=["POST"])
@require(EDIT)
def add_goal(case_id):
    case = access.editable_case(case_id, current_user)
    form = GoalForm()
    return _form_page(
        "goal.html",
        form,
        lambda: cases.add_goal(case, form.to_input(), current_user),
        success=_("The goal is added."),
        then=_back_to(case, "goals"),
        case=case,
        goal=None,
    )


@bp.route("/cases/<uuid:case_id>/goals/<uuid:goal_id>", methods=["GET", "POST"])
@require(EDIT)
def edit_goal(case_id, goal_id):
    case = access.editable_case(case_id, current_user)
    goal = access.member(case.goals, goal_id)
    form = GoalStatusForm(data=goal_form_data(goal) if request.method == "GET" else None)
    return _form_page(
        "goal.html",
        form,
        lambda: cases.update_goal(goal, form.to_input(), form.version.data, current_user),
        success=_("The goal is saved."),
        then=_back_to(case, "goals"),
        record=goal,
        case=case,
        goal=goal,
    )


# Sessions, amendments, actions


@bp.route("/cases/<uuid:case_id>/sessions/new", methods=["GET", "POST"])
@require(EDIT)
def new_session(case_id):
    case = access.editable_case(case_id, current_user)
    form = SessionForm()
    form.attendees.choices = [(str(p.id), _name(p)) for p in queries.case_people(case, current_user)]
    if request.method == "GET":
        form.attendees.data = [str(case.person_id)]
    return _form_page(
        "session_form.html",
        form,
        lambda: cases.record_session(case, form.to_input(), current_user),
        success=_("The session is saved."),
        then=_back_to(case, "sessions"),
        case=case,
    )


@bp.route("/cases/<uuid:case_id>/sessions/<uuid:session_id>/amend", methods=["GET", "POST"])
@require(EDIT)
def amend_session(case_id, session_id):
    case = access.editable_case(case_id, current_user)
    session = access.member(case.sessions, session_id)
    form = AmendmentForm()
    return _form_page(
        "amend.html",
        form,
        lambda: cases.amend_session(session, form.to_input(), current_user),
        success=_("The correction is saved. The original note is kept."),
        then=_back_to(case, f"session-{session.id}"),
        case=case,
        session=session,
    )


@bp.route("/cases/<uuid:case_id>/actions/<uuid:action_id>", methods=["GET", "POST"])
@require(EDIT)
def edit_action(case_id, action_id):
    case = access.editable_case(case_id, current_user)
    action = access.member(case.actions, action_id)
    form = ActionStatusForm(data=action_form_data(action) if request.method == "GET" else None)
    return _form_page(
        "action.html",
        form,
        lambda: cases.update_action(action, form.to_input(), form.version.data, current_user),
        success=_("The action is saved."),
        then=_back_to(case, "actions"),
        record=action,
        case=case,
        action=action,
    )


# Attendance


def _child_choices(form, case) -> None:
    form.child_id.choices = [(str(c.person_id), _name(c.person)) for c in case.children]


@bp.route("/cases/<uuid:case_id>/attendance/new", methods=["GET", "POST"])
@require(EDIT)
def new_attendance(case_id):
    case = access.editable_case(case_id, current_user)
    form = AttendanceForm()
    _child_choices(form, case)
    if request.method == "GET":
        form.child_id.data = request.args.get("child_id")
    return _form_page(
        "attendance_form.html",
        form,
        lambda: cases.record_attendance(case, form.to_input(), current_user),
        success=_("The attendance is recorded."),
        then=_back_to(case, "attendance"),
        case=case,
        record=None,
    )


@bp.route("/cases/<uuid:case_id>/attendance/<uuid:record_id>", methods=["GET", "POST"])
@require(EDIT)
def edit_attendance(case_id, record_id):
    case = access.editable_case(case_id, current_user)
    record = access.member(case.attendance, record_id)
    form = AttendanceEditForm(data=attendance_form_data(record) if request.method == "GET" else None)
    _child_choices(form, case)
    return _form_page(
        "attendance_form.html",
        form,
        lambda: cases.update_attendance(record, form.to_input(), form.version.data, current_user),
        success=_("The attendance is saved."),
        then=_back_to(case, "attendance"),
        record=record,
        case=case,
    )


# Referrals


def _referral_choices(form, case) -> None:
    form.person_id.choices = [("", _("The family")), (str(case.person_id), _name(case.person))] + [
        (str(c.person_id), _name(c.person)) for c in case.children
    ]


@bp.route("/cases/<uuid:case_id>/referrals/new", methods=["GET", "POST"])
@require(EDIT)
def new_referral(case_id):
    case = access.editable_case(case_id, current_user)
    form = ReferralForm()
    _referral_choices(form, case)
    return _form_page(
        "referral_form.html",
        form,
        lambda: cases.add_referral(case, form.to_input(), current_user),
        success=_("The referral is saved."),
        then=_back_to(case, "referrals"),
        case=case,
        referral=None,
    )


@bp.route("/cases/<uuid:case_id>/referrals/<uuid:referral_id>", methods=["GET", "POST"])
@require(EDIT)
def edit_referral(case_id, referral_id):
    case = access.editable_case(case_id, current_user)
    referral = access.member(case.referrals, referral_id)
    form = ReferralEditForm(data=referral_form_data(referral) if request.method == "GET" else None)
    _referral_choices(form, case)
    return _form_page(
        "referral_form.html",
        form,
        lambda: cases.update_referral(referral, form.to_input(), form.version.data, current_user),
        success=_("The referral is saved."),
        then=_back_to(case, "referrals"),
        record=referral,
        case=case,
        referral=referral,
    )


# Parent groups


@bp.route("/groups")
@require(READ)
def groups():
    page = db.paginate(access.groups_visible_to(current_user), per_page=current_app.config["PER_PAGE"], error_out=False)
    queries.audit_list("group", page=page.page)
    return render("groups.html", page=page, can_create=access.works_cases(current_user))


@bp.route("/groups/new", methods=["GET", "POST"])
@require(EDIT)
def new_group():
    if not access.works_cases(current_user):
        abort(403)
    form = GroupSessionForm()
    return _form_page(
        "group_form.html",
        form,
        lambda: create_group_session(form.to_input(), current_user),
        success=_("The group meeting is saved. Now mark who was present."),
        then=lambda group: redirect(url_for("counselling.group", group_id=group.id)),
    )


@bp.route("/groups/<uuid:group_id>", methods=["GET", "POST"])
@require(READ)
def group(group_id):
    group = access.visible_group(group_id, current_user)
    form = GroupRegisterForm() if access.works_cases(current_user) else None
    status = 200
    if form is None and request.method == "POST":
        abort(403)
    if form is not None:
        form.case_id.choices = sorted(
            ((str(c.id), _name(c.person)) for c in queries.cases_to_register(group, current_user)),
            key=lambda item: item[1].casefold(),
        )
        if request.method == "POST":
            status, _made = _submitted(
                form,
                lambda: register_parent(group, form.to_input(), current_user),
                success=_("The parent is marked present."),
            )
            if status is None:
                return redirect(url_for("counselling.group", group_id=group.id))
    rows, others = queries.visible_register(group, current_user)
    queries.audit_group_view(group)
    return render("group.html", status, group=group, rows=rows, others=others, form=form, name=_name)


@bp.route("/groups/<uuid:group_id>/remove", methods=["POST"])
@require(EDIT)
def group_remove(group_id):
    group = access.visible_group(group_id, current_user)
    form = GroupRegisterForm()
    # A parent not in the register (or not one you may see) is not found, whatever the reason.
    if not form.validate_on_submit() or refusal(lambda: unregister_parent(group, form.to_input(), current_user)):
        abort(404)
    flash(_("The parent is removed from the register."), "success")
    return redirect(url_for("counselling.group", group_id=group.id))


# Landing panel and the person page


def my_work_panel(user):
    if not access.works_cases(user):
        return None
    work = queries.my_work(user)
    return render_template("counselling/my_work.html", work=work, labels=LABELS, week_end=queries.week_end(work.today))


def _cases_of(user, person) -> list:
    """The person's visible cases, looked up once per request: the person page's header facts and its
    counselling section both show them."""
    looked_up = g.setdefault("counselling_cases_of", {})
    key = (user.id, person.id)
    if key not in looked_up:
        looked_up[key] = queries.cases_of_person(user, person)
    return looked_up[key]


def person_cases(user, person):
    if not can(user, READ):
        return None
    found = _cases_of(user, person)
    can_open = access.works_cases(user)
    if not found and not can_open:
        return None
    return render_template(
        "counselling/person_section.html", cases=found, person=person, labels=LABELS, can_open=can_open
    )


def person_facts(user, person) -> list[tuple[object, object]]:
    """The person header's counselling facts (Domain.extra["person_facts"]): the next follow-up and the
    open agreed actions of the open cases the user may see that the person is part of."""
    if not can(user, READ):
        return []
    open_cases = [c for c in _cases_of(user, person) if c.status == "open"]
    if not open_cases:
        return []
    follow_ups = sorted(c.next_follow_up for c in open_cases if c.next_follow_up)
    actions = db.session.scalar(
        select(func.count())
        .select_from(SessionAction)
        .where(SessionAction.case_id.in_([c.id for c in open_cases]), SessionAction.status == "open")
    )
    return [
        (_("Next follow-up"), format_date(follow_ups[0]) if follow_ups else "–"),
        (_("Open agreed actions"), str(actions)),
    ]
