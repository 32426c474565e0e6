"""Pages of parent counselling: case list, case page (log, goals, attendance charts, referrals),
the forms that change them, parent groups, the "My work" landing panel and the person-page section."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from caseapp.clock import local_today
from caseapp.domains.counselling import bp
from caseapp.domains.counselling import services as svc
from caseapp.domains.counselling.charts import attendance_charts
from caseapp.domains.counselling.forms import (
    LABELS,
    PLAN_RECORD,
    ActionStatusForm,
    AmendmentForm,
    AttendanceForm,
    CaseEditForm,
    CaseOpenForm,
    GoalForm,
    GoalStatusForm,
    GroupRegisterForm,
    GroupSessionForm,
    ReferralForm,
    SessionForm,
    action_form_data,
    attendance_form_data,
    case_form_data,
    goal_form_data,
    referral_form_data,
)
from caseapp.domains.counselling.models import CASE_STATUSES, CaseChild, CounsellingCase, CounsellingSession
from caseapp.extensions import db
from caseapp.models.base import StaleVersion
from caseapp.plan.tagging import tags_of
from caseapp.security.permissions import Permission, can, require

READ, EDIT = Permission.COUNSELLING_READ, Permission.COUNSELLING_EDIT


@bp.before_request
@login_required
def _login_first():
    return None


def render(template: str, code: int = 200, **context):
    return render_template(f"counselling/{template}", labels=LABELS, **context), code


def _case_or_404(case_id, *, with_sessions: bool = False) -> CounsellingCase:
    case = svc.get_visible_case(case_id, current_user, with_sessions=with_sessions)
    if case is None:
        abort(404)
    return case


def _editable_case(case_id) -> CounsellingCase:
    case = _case_or_404(case_id)
    if not svc.can_edit(current_user, case):
        abort(403)
    return case


def _member_or_404(items, item_id):
    item = svc.find_in(items, item_id)
    if item is None:
        abort(404)
    return item


def _name(person) -> str:
    year = f" ({person.birth_year})" if person.birth_year else ""
    return f"{person.full_name}{year}"


def _attach(form, fields: dict) -> None:
    """Put the services' field messages on the form's fields (unknown names go to the form's top)."""
    for name, message in fields.items():
        target = form._fields.get(name)
        if name.startswith("actions-") and name.count("-") == 2 and "actions" in form._fields:
            _, index, sub = name.split("-")
            entries = form.actions.entries
            if index.isdigit() and int(index) < len(entries):
                target = entries[int(index)].form._fields.get(sub)
        if target is not None:
            target.errors = [*target.errors, str(message)]
        else:
            form.form_errors.append(str(message))


def _save(form, action, *, record=None, success: str):
    """Run a service verb; on success commit and return None, else (status, message) after a rollback.

    A stale version comes back as 409 with the user's input kept and the version moved on, so saving
    again is a deliberate choice to overwrite what the other person saved.
    """
    try:
        action()
        db.session.commit()
    except svc.InvalidInput as exc:
        db.session.rollback()
        _attach(form, exc.fields)
        return 422
    except (StaleVersion, StaleDataError):
        db.session.rollback()
        if record is not None and hasattr(form, "version"):
            db.session.refresh(record)
            form.version.data = record.version
        form.form_errors.append(_("Someone else saved this record while you worked on it. Nothing was saved. "
                                  "Your input is kept below: check it against the page and save again."))
        return 409
    except svc.NotEditable:
        db.session.rollback()
        abort(403)
    flash(success, "success")
    return None


# Case list and case page

@bp.route("/")
@require(READ)
def index():
    status = request.args.get("status", "")
    query = svc.cases_visible_to(current_user)
    if status in CASE_STATUSES:
        query = query.where(CounsellingCase.status == status)
    # The parent, the children and the latest follow-up of every row in a query each, not per row.
    query = query.options(selectinload(CounsellingCase.person), selectinload(CounsellingCase.children),
                          selectinload(CounsellingCase.sessions).load_only(
                              CounsellingSession.held_on, CounsellingSession.next_follow_up))
    page = db.paginate(query.order_by(CounsellingCase.started_on.desc(), CounsellingCase.id),
                       per_page=current_app.config["PER_PAGE"], error_out=False)
    svc.audit_list("case", page=page.page, status=status or None)
    return render("index.html", page=page, status=status, statuses=CASE_STATUSES,
                  can_open=can(current_user, EDIT) and current_user.has_role("social_worker"))


@bp.route("/cases/new", methods=["GET", "POST"])
@require(EDIT)
def open_case():
    if not current_user.has_role("social_worker"):
        abort(403)
    person_id = request.args.get("person_id")
    if not person_id:
        candidates = svc.parent_candidates(current_user)
        return render("choose_parent.html", candidates=candidates, name=_name)
    person = svc.visible_people(current_user, [person_id]).get(svc._uuid(person_id))
    if person is None:
        abort(404)
    form = CaseOpenForm(data={"person_id": str(person.id)})
    households = svc.household_options(person, current_user)
    form.household_id.choices = [("", _("No household"))] + [
        (str(hid), ", ".join(p.full_name for p, _r in members)) for hid, members in households]
    if len(households) == 1 and request.method == "GET":
        form.household_id.data = str(households[0][0])
    children = svc.child_candidates(person, current_user)
    form.children.choices = [(str(c.id), _name(c)) for c in children]
    status = 200
    if request.method == "POST":
        form.person_id.data = str(person.id)  # the parent is fixed by the page, not by the form
        if form.validate_on_submit():
            made = {}

            def act():
                made["case"] = svc.open_case({**form.data, "person_id": person.id}, current_user)

            status = _save(form, act, success=_("The case is opened."))
            if status is None:
                return redirect(url_for("counselling.case", case_id=made["case"].id))
        else:
            status = 422
    return render("open.html", status, form=form, person=person, name=_name)


@bp.route("/cases/<case_id>")
@require(READ)
def case(case_id):
    case = _case_or_404(case_id, with_sessions=True)
    user = current_user
    editable = svc.can_edit(user, case)
    attendance = []
    for child, records in svc.attendance_by_child(case, user):
        attendance.append((child, records, attendance_charts(str(child.id)[:8], child.full_name, records)))
    svc.audit_case_view(case)
    goal_form = GoalForm(formdata=None) if editable and case.status != "closed" else None
    return render("case.html", case=case, editable=editable, counsellors=svc.counsellors(case),
                  people={p.id: p for p in svc.case_people(case, user)}, attendance=attendance,
                  groups=svc.group_attendance_of(case), goal_form=goal_form, today=local_today(),
                  case_tags=tags_of(PLAN_RECORD, case.id))


@bp.route("/cases/<case_id>/edit", methods=["GET", "POST"])
@require(EDIT)
def edit_case(case_id):
    case = _editable_case(case_id)
    if request.method == "GET":
        form = CaseEditForm(data=case_form_data(case))
    else:
        form = CaseEditForm()
    candidates = {c.id: c for c in svc.child_candidates(case.person, current_user)}
    for link in case.children:
        candidates.setdefault(link.person_id, link.person)
    form.children.choices = [(str(pid), _name(p)) for pid, p in candidates.items()]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            status = _save(form, lambda: svc.update_case(case, form.data, form.version.data, current_user),
                           record=case, success=_("The case is saved."))
            if status is None:
                return redirect(url_for("counselling.case", case_id=case.id))
        else:
            status = 422
    return render("edit_case.html", status, form=form, case=case)


# Goals

@bp.route("/cases/<case_id>/goals", methods=["POST"])
@require(EDIT)
def add_goal(case_id):
    case = _editable_case(case_id)
    form = GoalForm()
    if form.validate_on_submit():
        status = _save(form, lambda: svc.add_goal(case, form.data, current_user), success=_("The goal is added."))
        if status is None:
            return redirect(url_for("counselling.case", case_id=case.id, _anchor="goals"))
    else:
        status = 422
    return render("goal.html", status, form=form, case=case, goal=None)


@bp.route("/cases/<case_id>/goals/<goal_id>", methods=["GET", "POST"])
@require(EDIT)
def edit_goal(case_id, goal_id):
    case = _editable_case(case_id)
    goal = _member_or_404(case.goals, goal_id)
    form = GoalStatusForm(data=goal_form_data(goal) if request.method == "GET" else None)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            status = _save(form, lambda: svc.update_goal(goal, form.data, form.version.data, current_user),
                           record=goal, success=_("The goal is saved."))
            if status is None:
                return redirect(url_for("counselling.case", case_id=case.id, _anchor="goals"))
        else:
            status = 422
    return render("goal.html", status, form=form, case=case, goal=goal)


# Sessions, amendments, actions

@bp.route("/cases/<case_id>/sessions/new", methods=["GET", "POST"])
@require(EDIT)
def new_session(case_id):
    case = _editable_case(case_id)
    form = SessionForm()
    form.attendees.choices = [(str(p.id), _name(p)) for p in svc.case_people(case, current_user)]
    if request.method == "GET":
        form.attendees.data = [str(case.person_id)]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            status = _save(form, lambda: svc.record_session(case, form.data, current_user),
                           success=_("The session is saved."))
            if status is None:
                return redirect(url_for("counselling.case", case_id=case.id, _anchor="sessions"))
        else:
            status = 422
    return render("session_form.html", status, form=form, case=case)


@bp.route("/cases/<case_id>/sessions/<session_id>/amend", methods=["GET", "POST"])
@require(EDIT)
def amend_session(case_id, session_id):
    case = _editable_case(case_id)
    session = _member_or_404(case.sessions, session_id)
    form = AmendmentForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            status = _save(form, lambda: svc.amend_session(session, form.data, current_user),
                           success=_("The correction is saved. The original note is kept."))
            if status is None:
                return redirect(url_for("counselling.case", case_id=case.id, _anchor=f"session-{session.id}"))
        else:
            status = 422
    return render("amend.html", status, form=form, case=case, session=session)


@bp.route("/cases/<case_id>/actions/<action_id>", methods=["GET", "POST"])
@require(EDIT)
def edit_action(case_id, action_id):
    case = _editable_case(case_id)
    action = _member_or_404(case.actions, action_id)
    form = ActionStatusForm(data=action_form_data(action) if request.method == "GET" else None)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            status = _save(form, lambda: svc.update_action(action, form.data, form.version.data, current_user),
                           record=action, success=_("The action is saved."))
            if status is None:
                return redirect(url_for("counselling.case", case_id=case.id, _anchor="actions"))
        else:
            status = 422
    return render("action.html", status, form=form, case=case, action=action)


# Attendance

def _attendance_form(case, record=None):
    if record is not None and request.method == "GET":
        form = AttendanceForm(data=attendance_form_data(record))
    else:
        form = AttendanceForm()
    form.child_id.choices = [(str(c.person_id), _name(c.person)) for c in case.children]
    return form


@bp.route("/cases/<case_id>/attendance/new", methods=["GET", "POST"])
@require(EDIT)
def new_attendance(case_id):
    case = _editable_case(case_id)
    form = _attendance_form(case)
    if request.method == "GET" and request.args.get("child_id"):
        form.child_id.data = request.args["child_id"]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            status = _save(form, lambda: svc.record_attendance(case, form.data, current_user),
                           success=_("The attendance is recorded."))
            if status is None:
                return redirect(url_for("counselling.case", case_id=case.id, _anchor="attendance"))
        else:
            status = 422
    return render("attendance_form.html", status, form=form, case=case, record=None)


@bp.route("/cases/<case_id>/attendance/<record_id>", methods=["GET", "POST"])
@require(EDIT)
def edit_attendance(case_id, record_id):
    case = _editable_case(case_id)
    record = _member_or_404(case.attendance, record_id)
    form = _attendance_form(case, record)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            status = _save(form, lambda: svc.update_attendance(record, form.data, form.version.data, current_user),
                           record=record, success=_("The attendance is saved."))
            if status is None:
                return redirect(url_for("counselling.case", case_id=case.id, _anchor="attendance"))
        else:
            status = 422
    return render("attendance_form.html", status, form=form, case=case, record=record)


# Referrals

def _referral_form(case, referral=None):
    if referral is not None and request.method == "GET":
        form = ReferralForm(data=referral_form_data(referral))
    else:
        form = ReferralForm()
    form.person_id.choices = [("", _("The family"))] + [(str(case.person_id), _name(case.person))] + [
        (str(c.person_id), _name(c.person)) for c in case.children]
    return form


@bp.route("/cases/<case_id>/referrals/new", methods=["GET", "POST"])
@require(EDIT)
def new_referral(case_id):
    case = _editable_case(case_id)
    form = _referral_form(case)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            status = _save(form, lambda: svc.add_referral(case, form.data, current_user),
                           success=_("The referral is saved."))
            if status is None:
                return redirect(url_for("counselling.case", case_id=case.id, _anchor="referrals"))
        else:
            status = 422
    return render("referral_form.html", status, form=form, case=case, referral=None)


@bp.route("/cases/<case_id>/referrals/<referral_id>", methods=["GET", "POST"])
@require(EDIT)
def edit_referral(case_id, referral_id):
    case = _editable_case(case_id)
    referral = _member_or_404(case.referrals, referral_id)
    form = _referral_form(case, referral)
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            status = _save(form, lambda: svc.update_referral(referral, form.data, form.version.data, current_user),
                           record=referral, success=_("The referral is saved."))
            if status is None:
                return redirect(url_for("counselling.case", case_id=case.id, _anchor="referrals"))
        else:
            status = 422
    return render("referral_form.html", status, form=form, case=case, referral=referral)


# Parent groups

@bp.route("/groups")
@require(READ)
def groups():
    page = db.paginate(svc.groups_visible_to(current_user), per_page=current_app.config["PER_PAGE"], error_out=False)
    svc.audit_list("group", page=page.page)
    db.session.commit()
    can_create = current_user.has_role("social_worker") and can(current_user, EDIT)
    return render("groups.html", page=page, can_create=can_create)


@bp.route("/groups/new", methods=["GET", "POST"])
@require(EDIT)
def new_group():
    if not current_user.has_role("social_worker"):
        abort(403)
    form = GroupSessionForm()
    form.area.choices = [("", "–")] + [(a, a) for a in current_app.config["AREAS"]]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            made = {}

            def act():
                made["group"] = svc.create_group_session(form.data, current_user)

            status = _save(form, act, success=_("The group meeting is saved. Now mark who was present."))
            if status is None:
                return redirect(url_for("counselling.group", group_id=made["group"].id))
        else:
            status = 422
    return render("group_form.html", status, form=form)


@bp.route("/groups/<group_id>", methods=["GET", "POST"])
@require(READ)
def group(group_id):
    group = svc.get_visible_group(group_id, current_user)
    if group is None:
        abort(404)
    editable = current_user.has_role("social_worker") and can(current_user, EDIT)
    form = GroupRegisterForm() if editable else None
    status = 200
    if form is not None:
        present = {row.case_id for row in group.register}
        open_cases = db.session.scalars(svc.assigned_cases(current_user).where(
            CounsellingCase.status != "closed")).all()
        form.case_id.choices = sorted(((str(c.id), _name(c.person)) for c in open_cases if c.id not in present),
                                      key=lambda item: item[1].casefold())
        if request.method == "POST":
            if form.validate_on_submit():
                status = _save(form, lambda: svc.register_parent(group, form.case_id.data, current_user),
                               success=_("The parent is marked present."))
                if status is None:
                    return redirect(url_for("counselling.group", group_id=group.id))
            else:
                status = 422
    elif request.method == "POST":
        abort(403)
    rows, others = svc.visible_register(group, current_user)
    audit_group_view(group)
    return render("group.html", status, group=group, rows=rows, others=others, form=form, name=_name)


def audit_group_view(group) -> None:
    from caseapp import audit

    audit.record("counselling.group.view", object_type="counselling_group_session", object_id=group.id,
                 purpose=svc.PURPOSE)
    db.session.commit()


@bp.route("/groups/<group_id>/remove", methods=["POST"])
@require(EDIT)
def group_remove(group_id):
    group = svc.get_visible_group(group_id, current_user)
    if group is None:
        abort(404)
    try:
        svc.unregister_parent(group, request.form.get("case_id"), current_user)
    except svc.InvalidInput:
        db.session.rollback()
        abort(404)
    except svc.NotEditable:
        db.session.rollback()
        abort(403)
    db.session.commit()
    flash(_("The parent is removed from the register."), "success")
    return redirect(url_for("counselling.group", group_id=group.id))


# Landing panel and the person page

def my_work_panel(user):
    if not (user.has_role("social_worker") and can(user, EDIT)):
        return None
    work = svc.my_work(user)
    html = render_template("counselling/my_work.html", work=work, labels=LABELS, week_end=svc.week_end(work.today))
    # The panel lists residents' names and agreed actions: a list view like any other, so it is logged.
    svc.audit_list("mywork", actor=user, cases=len(work.open_cases), due=len(work.follow_ups) + len(work.due_actions),
                   overdue=len(work.overdue_actions))
    return html


def person_cases(user, person):
    if not can(user, READ):
        return None
    cases = db.session.scalars(svc.cases_visible_to(user).where(
        (CounsellingCase.person_id == person.id)
        | CounsellingCase.id.in_(select(CaseChild.case_id).where(CaseChild.person_id == person.id)))
        .order_by(CounsellingCase.started_on.desc())).all()
    can_open = user.has_role("social_worker") and can(user, EDIT)
    if not cases and not can_open:
        return None
    return render_template("counselling/person_section.html", cases=cases, person=person, labels=LABELS,
                           can_open=can_open)
