"""Pages of mentoring: relationships (a mentor's own, all for a leader), the relationship page with its
plan, goals, meetings, leisure jobs, outcomes and follow-ups, matching from suggestions, the leader's
overview, programmes, mentors and employers; the landing panel, the person-page section and the agenda."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from caseapp import audit
from caseapp.clock import local_today
from caseapp.domain import AgendaItem, provided
from caseapp.domains.mentoring import access, bp, queries, services
from caseapp.domains.mentoring.forms import (
    AmendmentForm,
    AnswerForm,
    EmployerForm,
    FollowUpForm,
    GoalForm,
    GoalUpdateForm,
    MeetingForm,
    MentorForm,
    OutcomeForm,
    PlacementEndForm,
    PlacementForm,
    PlanForm,
    ProgrammeForm,
    ProposalForm,
    StateForm,
    TallyForm,
)
from caseapp.domains.mentoring.labels import LABELS
from caseapp.domains.mentoring.models import (
    PLAN_PROGRAMME,
    PLAN_RELATIONSHIP,
    STATES,
    Employer,
    Mentor,
    MentoringProgramme,
    Relationship,
)
from caseapp.extensions import db
from caseapp.forms import choices
from caseapp.models.base import parse_uuid
from caseapp.models.users import User
from caseapp.plan.tagging import tag_form_data, tags_of
from caseapp.register.models import get_visible_person, people_visible_to
from caseapp.register.services import age_of, picker_rows
from caseapp.security.accounts import active_staff_holding
from caseapp.security.permissions import Permission, can, require
from caseapp.web import submit

READ, WORK, MANAGE = Permission.MENTORING_READ, Permission.MENTORING_WORK, Permission.MENTORING_MANAGE


@bp.before_request
@login_required
def _login_first():
    return None


def render(template: str, code: int = 200, **context):
    return render_template(f"mentoring/{template}", labels=LABELS, **context), code


def _submit(form, verb, success: str):
    """(None, made) when the verb saved; else (status, None) with the input kept and nothing written."""
    made = []
    status = submit(form, lambda: made.append(verb()))
    if status is None:
        flash(success, "success")
        return None, made[0]
    return status, None


@bp.route("/")
@require(READ)
def index():
    state = request.args.get("state", "")
    raw = request.args.get("programme", "")
    programme_id = int(raw) if raw.isdigit() and len(raw) < 10 else None
    query = queries.relationship_list(current_user, state=state if state in STATES else None, programme_id=programme_id)
    page = db.paginate(query, per_page=current_app.config["PER_PAGE"], error_out=False)
    behind = queries.behind_ids(page.items, local_today())
    access.audit_list("relationship", page=page.page, state=state or None)
    programmes = list(db.session.scalars(select(MentoringProgramme).order_by(MentoringProgramme.name)))
    return render(
        "index.html",
        page=page,
        state=state,
        states=STATES,
        behind=behind,
        programmes=programmes,
        programme_id=programme_id,
        leader=access.is_leader(current_user),
    )


@bp.route("/relationships/<uuid:relationship_id>", methods=["GET", "POST"])
@require(READ)
def relationship(relationship_id):
    rel = access.visible_relationship(relationship_id, current_user, with_records=True)
    user, today = current_user, local_today()
    workable = access.can_work(user, rel)
    forms = {}
    if rel.state == "proposed" and access.is_own(user, rel) and access.works_as_mentor(user):
        forms["answer"] = AnswerForm(prefix="answer", data={"version": rel.version})
    if access.is_leader(user) or access.is_own(user, rel):
        if rel.state in ("active", "paused"):
            forms["state"] = StateForm(prefix="state", data={"version": rel.version})
    if workable and rel.state in access.OPEN_STATES:
        forms["meeting"] = MeetingForm(prefix="meeting")
        forms["meeting"].goal_ids.choices = choices((str(g.id), LABELS["goal_kind"][g.kind]) for g in rel.goals)
        forms["goal"] = GoalForm(prefix="goal")
        forms["placement"] = PlacementForm(prefix="placement")
        forms["placement"].employer_id.choices = choices(
            ((str(e.id), e.company) for e in db.session.scalars(select(Employer).order_by(Employer.company))), ""
        )
    if workable and rel.state in ("active", "paused", "ended"):
        forms["outcome"] = OutcomeForm(prefix="outcome")
    if access.is_leader(user) or workable:
        forms["plan"] = PlanForm(
            prefix="plan",
            data={
                "purpose": rel.purpose,
                "mentor_tasks": rel.mentor_tasks,
                "contact_every_days": rel.contact_every_days,
                "version": rel.version,
            }
            | tag_form_data(PLAN_RELATIONSHIP, rel.id),
        )
    # One form per goal and per placement (prefixed by its id), each on the version shown.
    goal_forms, end_forms = {}, {}
    if workable:
        for g in rel.goals:
            goal_forms[g.id] = forms[f"goal-{g.id}"] = GoalUpdateForm(
                prefix=f"goal-{g.id}", data={"status": g.status, "target_on": g.target_on, "version": g.version}
            )
        for p in rel.placements:
            end_forms[p.id] = forms[f"placement-{p.id}"] = PlacementEndForm(
                prefix=f"placement-{p.id}",
                data={
                    "ended_on": p.ended_on,
                    "end_reason": p.end_reason or "",
                    "became_permanent": p.became_permanent,
                    "bridged_to_job": p.bridged_to_job,
                    "version": p.version,
                },
            )
    followups = [f for o in rel.outcomes for f in o.followups]
    due = [f for f in followups if f.is_due(today)]
    if workable and due:
        forms["followup"] = FollowUpForm(prefix="followup", data={"version": due[0].version})
    status = 200
    if request.method == "POST":
        which = request.form.get("form")
        form = forms.get(which)
        if form is None:
            abort(403)
        goals = {f"goal-{g.id}": g for g in rel.goals}
        placements = {f"placement-{p.id}": p for p in rel.placements}
        verbs = {
            "plan": lambda: services.update_plan(rel, form.to_input(), user, form.version.data),
            **{
                key: (lambda g=g: services.update_goal(g, form.to_input(), user, form.version.data))
                for key, g in goals.items()
            },
            **{
                key: (lambda p=p: services.end_placement(p, form.to_input(), user, form.version.data))
                for key, p in placements.items()
            },
            "answer": lambda: services.answer(rel, form.to_input(), user, form.version.data),
            "state": lambda: services.change_state(rel, form.to_input(), user, form.version.data),
            "meeting": lambda: services.record_meeting(rel, form.to_input(), user),
            "goal": lambda: services.add_goal(rel, form.to_input(), user),
            "placement": lambda: services.add_placement(rel, form.to_input(), user),
            "outcome": lambda: services.record_outcome(rel, form.to_input(), user),
            "followup": lambda: services.record_followup(due[0], form.to_input(), user, form.version.data),
        }
        status, _made = _submit(form, verbs[which], _("Saved."))
        if status is None:
            if which == "answer" and rel.state == "declined":
                return redirect(url_for("mentoring.index"))
            anchor = (
                "plan" if which == "plan" else "goals" if which in goals else "jobs" if which in placements else None
            )
            return redirect(url_for("mentoring.relationship", relationship_id=rel.id, _anchor=anchor))
    access.record_event("relationship.view", rel, rel.person_id)
    counts = queries.delivered_meetings([rel.id]).get(rel.id, (0, None, None))
    age = age_of(rel.person, today)
    return render(
        "relationship.html",
        status,
        rel=rel,
        forms=forms,
        goal_forms=goal_forms,
        end_forms=end_forms,
        today=today,
        followups=followups,
        behind=queries.is_behind(rel, counts[0], today),
        delivered=counts[0],
        work_rules=services.work_rules_for(age),
        age=age,
        programme_tags=tags_of(PLAN_PROGRAMME, rel.programme_id),
        plan_tags=tags_of(PLAN_RELATIONSHIP, rel.id),
    )


@bp.route("/relationships/<uuid:relationship_id>/meetings/<uuid:meeting_id>/amend", methods=["GET", "POST"])
@require(MANAGE, WORK)
def amend(relationship_id, meeting_id):
    rel = access.workable_relationship(relationship_id, current_user)
    meeting = access.member(rel.meetings, meeting_id)
    form = AmendmentForm()
    status = 200
    if request.method == "POST":
        status, _made = _submit(
            form, lambda: services.amend_meeting(meeting, form.to_input(), current_user), _("The correction is saved.")
        )
        if status is None:
            return redirect(url_for("mentoring.relationship", relationship_id=rel.id, _anchor="meetings"))
    return render("amend.html", status, rel=rel, meeting=meeting, form=form)


@bp.route("/match", methods=["GET", "POST"])
@require(MANAGE)
def match():
    """A leader picks a mentee and programme, sees the ranked suggestions and proposes one."""
    person = (
        get_visible_person(request.values.get("person_id", ""), current_user)
        if parse_uuid(request.values.get("person_id"))
        else None
    )
    raw = request.values.get("programme_id", "")
    programme = db.session.get(MentoringProgramme, int(raw)) if raw.isdigit() and len(raw) < 10 else None
    programmes = list(
        db.session.scalars(
            select(MentoringProgramme).where(MentoringProgramme.active.is_(True)).order_by(MentoringProgramme.name)
        )
    )
    found = services.suggestions(person, programme) if person and programme else []
    form = ProposalForm(
        data={"person_id": str(person.id) if person else "", "programme_id": programme.id if programme else None}
    )
    status = 200
    if request.method == "POST":
        status, made = _submit(
            form, lambda: services.propose(form.to_input(), current_user), _("The match is proposed.")
        )
        if status is None:
            return redirect(url_for("mentoring.relationship", relationship_id=made.id))
    if person:
        access.audit_list("suggestion", count=len(found))
    # The shared person picker over the residents the leader may see (a read of them: audited).
    people = picker_rows(db.session.scalars(people_visible_to(current_user).limit(500)).all())
    audit.record(
        "person.list", object_type="person", purpose="mentoring", detail={"count": len(people), "for": "match"}
    )
    return render(
        "match.html",
        status,
        person=person,
        programme=programme,
        programmes=programmes,
        suggestions=found,
        form=form,
        people=people,
        outside_age=services.outside_band(person, programme) if person and programme else None,
    )


@bp.route("/overview")
@require(MANAGE)
def overview():
    data = queries.overview(current_user)
    access.audit_list("overview")
    return render("overview.html", data=data, today=local_today())


@bp.route("/programmes", methods=["GET", "POST"])
@require(MANAGE)
def programmes():
    form = ProgrammeForm()
    status = 200
    if request.method == "POST":
        status, _made = _submit(
            form, lambda: services.save_programme(form.to_input(), current_user), _("The programme is saved.")
        )
        if status is None:
            return redirect(url_for("mentoring.programmes"))
    items = list(db.session.scalars(select(MentoringProgramme).order_by(MentoringProgramme.name)))
    return render("programmes.html", status, items=items, form=form)


@bp.route("/programmes/<int:programme_id>", methods=["GET", "POST"])
@require(MANAGE)
def programme(programme_id):
    item = db.session.get(MentoringProgramme, programme_id) or abort(404)
    data = {
        "kind": item.kind,
        "name": item.name,
        "age_min": item.age_min,
        "age_max": item.age_max,
        "needs_acceptance": item.needs_acceptance,
        "followup_months": item.followup_months,
        "active": item.active,
        "version": item.version,
    } | tag_form_data(PLAN_PROGRAMME, item.id)
    form = ProgrammeForm(data=data if request.method == "GET" else None)
    status = 200
    if request.method == "POST":
        status, _made = _submit(
            form,
            lambda: services.save_programme(form.to_input(), current_user, item, form.version.data),
            _("The programme is saved."),
        )
        if status is None:
            return redirect(url_for("mentoring.programmes"))
    return render("programme.html", status, item=item, form=form)


@bp.route("/employers", methods=["GET", "POST"])
@require(READ)
def employers():
    form = EmployerForm() if can(current_user, MANAGE) or can(current_user, WORK) else None
    status = 200
    if request.method == "POST":
        if form is None:
            abort(403)
        status, _made = _submit(
            form, lambda: services.save_employer(form.to_input(), current_user), _("The employer is saved.")
        )
        if status is None:
            return redirect(url_for("mentoring.employers"))
    page = db.paginate(
        select(Employer).order_by(Employer.company, Employer.id),
        per_page=current_app.config["PER_PAGE"],
        error_out=False,
    )
    return render("employers.html", status, page=page, form=form)


def _mentor_users(user) -> list[User]:
    """Staff with the mentor role and no profile yet that the user may record one for (a staff mentor:
    only themselves)."""
    taken = set(db.session.scalars(select(Mentor.user_id).where(Mentor.user_id.is_not(None))))
    if not access.is_leader(user):
        return [] if user.id in taken else [user]
    return [u for u in active_staff_holding("mentor") if u.id not in taken]


@bp.route("/mentors")
@require(MANAGE, WORK)
def mentors():
    """Mentor profiles with their load against capacity (a leader: all; a staff mentor: their own and
    the volunteers' they recorded)."""
    page = db.paginate(queries.mentor_list(current_user), per_page=current_app.config["PER_PAGE"], error_out=False)
    load = services.loads([m.id for m in page.items])
    access.audit_list("mentor", page=page.page, count=len(page.items))
    return render("mentors.html", page=page, load=load)


@bp.route("/mentors/new", methods=["GET", "POST"])
@require(MANAGE, WORK)
def mentor_new():
    """A new profile: a staff mentor (a leader for anyone with the mentor role, a staff mentor for
    themselves) or a volunteer, who has no login."""
    form = MentorForm()
    status = 200
    if request.method == "POST":
        status, made = _submit(
            form, lambda: services.save_mentor(form.to_input(), current_user), _("The mentor profile is saved.")
        )
        if status is None:
            return redirect(url_for("mentoring.mentor", mentor_id=made.id))
    return render("mentor_new.html", status, form=form, staff=_mentor_users(current_user), volunteers=_volunteers())


def _volunteers() -> list:
    """The person picker's rows for a volunteer mentor: the people who volunteer now, as the civil-society
    domain offers them (provided("volunteers")), without those who have a mentor profile already. A read of
    them: audited."""
    taken = set(db.session.scalars(select(Mentor.person_id).where(Mentor.person_id.is_not(None))))
    people = [p for offer in provided("volunteers") for p in offer() if p.id not in taken]
    rows = picker_rows(people)
    audit.record("person.list", object_type="person", purpose="mentoring", detail={"count": len(rows), "for": "mentor"})
    return rows


@bp.route("/mentors/<uuid:mentor_id>", methods=["GET", "POST"])
@require(MANAGE, WORK)
def mentor(mentor_id):
    found = access.visible_mentor(mentor_id, current_user)
    data = {
        "capacity": found.capacity,
        "languages": found.language_list,
        "focus_areas": found.focus_list,
        "paused_from": found.paused_from,
        "version": found.version,
    }
    form = MentorForm(data=data if request.method == "GET" else None)
    status = 200
    if request.method == "POST":
        status, _made = _submit(
            form,
            lambda: services.save_mentor(form.to_input(), current_user, found, form.version.data),
            _("The mentor profile is saved."),
        )
        if status is None:
            return redirect(url_for("mentoring.mentor", mentor_id=found.id))
    access.record_event("mentor.view", found, found.person_id)
    return render(
        "mentor.html",
        status,
        mentor=found,
        form=form,
        load=services.loads([found.id]).get(found.id, 0),
        today=local_today(),
    )


@bp.route("/guidance", methods=["GET", "POST"])
@require(MANAGE, WORK)
def guidance():
    """Open guidance contacts: anonymous head counts per place and date, counted apart from mentees."""
    programmes = list(db.session.scalars(select(MentoringProgramme).order_by(MentoringProgramme.name)))
    form = TallyForm()
    status = 200
    if request.method == "POST":
        status, _made = _submit(
            form, lambda: services.add_tally(form.to_input(), current_user), _("The guidance contacts are saved.")
        )
        if status is None:
            return redirect(url_for("mentoring.guidance"))
    page = db.paginate(queries.guidance_list(), per_page=current_app.config["PER_PAGE"], error_out=False)
    access.audit_list("guidance", page=page.page)
    return render("guidance.html", status, page=page, form=form, programmes=programmes)


# The landing panel, the person page, the agenda


def caseload_panel(user):
    if access.works_as_mentor(user):
        return render_template("mentoring/panel.html", load=queries.caseload(user), labels=LABELS)
    if access.is_leader(user):
        counts = db.session.execute(queries.leader_counts(local_today())).one()
        return render_template(
            "mentoring/leader_panel.html", proposals=counts.proposals, followups=counts.followups, labels=LABELS
        )
    return None


def person_section(user, person):
    if not can(user, READ):
        return None
    rels = list(
        db.session.scalars(
            access.relationships_visible_to(user)
            .where(Relationship.person_id == person.id)
            .order_by(Relationship.proposed_on.desc())
        )
    )
    if not rels and not access.is_leader(user):
        return None
    return render_template(
        "mentoring/person_section.html", rels=rels, person=person, labels=LABELS, leader=access.is_leader(user)
    )


def agenda(user, start, end) -> list[AgendaItem]:
    if not can(user, READ):
        return []
    items = []
    for rel, kind, day, overdue in queries.agenda_rows(user, start, end):
        label = rel.person.full_name
        items.append(
            AgendaItem(
                day=day,
                label=label,
                overdue=overdue,
                url=url_for("mentoring.relationship", relationship_id=rel.id),
                kind=_("Mentoring meeting") if kind == "meeting" else _("Mentoring follow-up"),
            )
        )
    return items
