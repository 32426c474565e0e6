"""Resident and household pages: caseload, search, create, edit, person page, assignments."""

from __future__ import annotations

import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select
from sqlalchemy.orm import load_only, selectinload

from caseapp import audit
from caseapp.crypto.fields import require_readable
from caseapp.domain import DECLARED_PROGRAMMES, all_programmes
from caseapp.extensions import db
from caseapp.forms import choices
from caseapp.models.base import parse_uuid
from caseapp.models.users import User
from caseapp.navigation import person_sections
from caseapp.platform.notifications.services import load_search, save_search
from caseapp.register import services
from caseapp.register.labels import GENDER_LABELS, RELATION_LABELS
from caseapp.register.models import NAME_COLUMNS, RELATIONS, Assignment, Person, listed
from caseapp.register.pages import bp
from caseapp.register.pages.forms import AssignmentForm, MemberForm, PersonForm, SearchForm
from caseapp.security.permissions import Permission, can, require
from caseapp.web import attempt, refusal


@bp.before_request
@login_required
def _login_first():
    return None


def _person_or_404(person_id):
    person = services.get_visible_person(person_id, current_user)
    if person is None:
        abort(404)
    return require_readable(person)


@bp.route("/")
@require(Permission.PEOPLE_READ)
def index():
    everyone = request.args.get("all") == "1"
    area = request.args.get("area") or None
    page = db.paginate(
        services.caseload_query(current_user, everyone=everyone, area=area).options(listed()),
        per_page=25,
        max_per_page=100,
    )
    audit.record(
        "person.list",
        object_type="person",
        detail={"scope": "all" if everyone else "mine", "page": page.page, "count": len(page.items)},
    )
    args = {k: v for k, v in {"all": "1" if everyone else None, "area": area}.items() if v}
    return render_template(
        "people/index.html", page=page, everyone=everyone, area=area, args=args, search_form=SearchForm(formdata=None)
    )


CPR_SHAPE = re.compile(r"^\s*\d{6}-?\d{4}\s*$")


@bp.route("/search", methods=["GET", "POST"])
@require(Permission.PEOPLE_READ)
def search():
    """The terms are POSTed (never in a URL or a log); the results are kept for a short time under an
    opaque id and shown by a redirect, so Back returns to them without resubmitting anything."""
    form = SearchForm()
    if request.method == "POST" and request.form.get("header"):
        # The header's one box: a CPR number or name words.
        term = (request.form.get("q") or "").strip()
        form.cpr.data, form.name.data = (term, None) if CPR_SHAPE.match(term) else (None, term)
    if request.method == "POST" and form.validate_on_submit():
        cpr = (form.cpr.data or "").strip() or None
        query = services.search(current_user, cpr=cpr, name=form.name.data)
        ids = db.session.scalars(query.with_only_columns(Person.id).limit(100)).all()
        sid = save_search(current_user, "cpr" if cpr else "name", ids)
        return redirect(url_for("people.results", search_id=sid), code=303)
    status = 422 if request.method == "POST" else 200
    return render_template("people/search.html", form=form, results=None), status


@bp.route("/search/<string(length=22):search_id>")
@require(Permission.PEOPLE_READ)
def results(search_id):
    saved = load_search(search_id, current_user)
    if saved is None:
        flash(_("That search has expired. Search again."), "warning")
        return redirect(url_for("people.search"))
    kind, ids = saved
    wanted = [parse_uuid(i) for i in ids]
    order = {pid: n for n, pid in enumerate(wanted)}
    people = (
        db.session.scalars(
            services.people_visible_to(current_user).where(Person.id.in_([w for w in wanted if w])).options(listed())
        ).all()
        if wanted
        else []
    )
    people.sort(key=lambda p: order.get(p.id, 0))
    audit.record("person.list", object_type="person", detail={"for": "search", "by": kind, "count": len(people)})
    return render_template("people/search.html", form=SearchForm(formdata=None), results=people)


@bp.route("/new", methods=["GET", "POST"])
@require(Permission.PEOPLE_CREATE)
def create():
    form = PersonForm()
    status = 200
    if form.validate_on_submit():
        made = []
        status = attempt(form, lambda: made.append(services.create_person(form.to_input(), current_user)))
        if status is None:
            flash(_("The resident is registered."), "success")
            return redirect(url_for("people.show", person_id=made[0].id))
    return render_template("people/form.html", form=form, person=None), status


@bp.route("/<uuid:person_id>")
@require(Permission.PEOPLE_READ)
def show(person_id):
    person = _person_or_404(person_id)
    sections = person_sections(current_user, person)
    openings = services.openings(person) if current_user.has_role("leader") else None
    memberships = [
        m for m in person.memberships if services.get_visible_household(m.household_id, current_user) is not None
    ]
    assignments = sorted(person.assignments, key=lambda a: (a.ends_on is not None, a.starts_on))
    assign_form = _assignment_form() if can(current_user, Permission.ASSIGNMENTS_MANAGE) else None
    # Chained and written at the request's commit (caseapp.web.end_transaction), after rendering.
    services.audit_view(person)
    header = person_header(person, memberships, assignments)
    return render_template(
        "people/show.html",
        person=person,
        header=header,
        gender_labels=GENDER_LABELS,
        sections=sections,
        openings=openings,
        memberships=memberships,
        assignments=assignments,
        assign_form=assign_form,
        show_cpr=services.can_read_cpr(current_user),
        can_edit=can(current_user, Permission.PEOPLE_EDIT),  # visible: loaded above
        relation_labels=RELATION_LABELS,
        programme_labels=DECLARED_PROGRAMMES,
    )


def person_header(person, memberships, assignments) -> dict:
    """The key facts for the person header; domains add theirs through Domain.extra["person_facts"],
    callables (user, person) -> [(label, value)] (e.g. counselling's next follow-up and open actions)."""
    from caseapp.domain import provided

    age = services.age_of(person)
    active = [a for a in assignments if a.is_active]
    responsible = [f"{a.user.name} ({DECLARED_PROGRAMMES.get(a.programme, a.programme)})" for a in active]
    facts = []
    for source in provided("person_facts"):
        facts.extend(source(current_user, person) or ())
    return {
        "age": age,
        "memberships": memberships,
        "responsible": responsible,
        "facts": facts,
        "relation_labels": RELATION_LABELS,
    }


@bp.app_template_global()
def person_header_of(person) -> dict:
    """The person header's facts for a case page (a counselling case, a concern): the same as on the
    person page, with only the households the user may see. The page itself audits its read."""
    memberships = [
        m for m in person.memberships if services.get_visible_household(m.household_id, current_user) is not None
    ]
    # The staff named come in one query, however many are assigned.
    assignments = db.session.scalars(
        select(Assignment).options(selectinload(Assignment.user)).where(Assignment.person_id == person.id)
    ).all()
    return person_header(person, memberships, assignments)


@bp.route("/<uuid:person_id>/edit", methods=["GET", "POST"])
@require(Permission.PEOPLE_EDIT)
def edit(person_id):
    person = _person_or_404(person_id)
    form = PersonForm(obj=person if request.method == "GET" else None)
    status = 200
    if form.validate_on_submit():
        status = attempt(
            form,
            lambda: services.update_person(person, form.to_input(), form.version.data or 0, current_user),
            stale_message=_(
                "Someone else saved this resident while you were editing. "
                "Your changes are below but not saved: check the current details "
                "(open the resident in a new tab) and save again."
            ),
        )
        if status is None:
            flash(_("The changes are saved."), "success")
            return redirect(url_for("people.show", person_id=person.id))
        if status == 409:
            form.version.data = services.get_visible_person(person_id, current_user).version
    elif request.method == "GET":
        form.version.data = person.version
    return render_template("people/form.html", form=form, person=person), status


@bp.route("/<uuid:person_id>/assignments", methods=["POST"])
@require(Permission.ASSIGNMENTS_MANAGE)
def assign(person_id):
    person = _person_or_404(person_id)
    form = _assignment_form()
    if form.validate_on_submit():
        staff = db.session.get(User, form.user_id.data)
        refused = refusal(
            lambda: services.assign(
                person, staff, form.programme.data, current_user, form.starts_on.data, form.ends_on.data
            )
        )
        if refused is None:
            flash(_("The assignment is saved."), "success")
        else:
            flash(" ".join(str(m) for m in refused.fields.values()) or str(refused.message), "error")
    else:
        flash(_("Choose a staff member and a programme."), "error")
    return redirect(url_for("people.show", person_id=person.id))


@bp.route("/<uuid:person_id>/assignments/<int:assignment_id>/end", methods=["POST"])
@require(Permission.ASSIGNMENTS_MANAGE)
def end_assignment(person_id, assignment_id):
    person = _person_or_404(person_id)
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.person_id != person.id:
        abort(404)
    services.end_assignment(assignment, current_user)
    flash(_("The assignment is ended."), "success")
    return redirect(url_for("people.show", person_id=person.id))


# Households


@bp.route("/households")
@require(Permission.PEOPLE_READ)
def households():
    page = db.paginate(services.households_visible_to(current_user), per_page=25, max_per_page=100)
    rows = [(h, services.visible_members(h, current_user)) for h in page.items]
    audit.record("household.list", object_type="household", detail={"page": page.page})
    return render_template("people/households.html", page=page, rows=rows, relation_labels=RELATION_LABELS)


@bp.route("/<uuid:person_id>/households/new", methods=["POST"])
@require(Permission.PEOPLE_EDIT)
def create_household(person_id):
    person = _person_or_404(person_id)
    relation = request.form.get("relation", "parent")
    made = []
    if (
        refusal(lambda: made.append(services.create_household([(person, relation)], current_user, area=person.area)))
        is not None
    ):
        abort(400)
    household = made[0]
    return redirect(url_for("people.household", household_id=household.id))


@bp.route("/households/<uuid:household_id>", methods=["GET", "POST"])
@require(Permission.PEOPLE_READ)
def household(household_id):
    household = services.get_visible_household(household_id, current_user)
    if household is None:
        abort(404)
    form = MemberForm() if can(current_user, Permission.PEOPLE_EDIT) else None
    status = 200
    if form is not None and form.validate_on_submit():
        person = _person_or_404(form.person_id.data)
        status = attempt(
            form,
            lambda: services.add_member(household, person, form.relation.data, form.version.data or 0),
            stale_message=_("The household was changed by someone else. Check it and try again."),
        )
        if status is None:
            flash(_("The member is added."), "success")
            return redirect(url_for("people.household", household_id=household.id))
    household = services.get_visible_household(household_id, current_user)
    if form is not None and status == 200:
        form.version.data = household.version
    members = sorted(
        services.visible_members(household, current_user),
        key=lambda m: (RELATIONS.index(m.relation), m.person.full_name.casefold()),
    )
    # Members the user may not see are counted, never named; the audit says how many of each were shown.
    hidden = len(household.members) - len(members)
    audit.record(
        "household.view",
        object_type="household",
        object_id=household.id,
        detail={"members": len(members), "hidden": hidden},
    )
    return render_template(
        "people/household.html",
        household=household,
        form=form,
        candidates=_member_candidates(household) if form is not None else [],
        members=[(m, services.age_of(m.person)) for m in members],
        hidden=hidden,
        relation_labels=RELATION_LABELS,
    ), status


def _member_candidates(household) -> list:
    """The person picker's rows for a new member: the user's caseload (a leader: the register, the first
    500), without the members; their names and birth dates only are opened. A read of them: audited."""
    present = {m.person_id for m in household.members}
    caseload = db.session.scalars(
        services.caseload_query(current_user, everyone=current_user.has_role("leader"))
        .options(load_only(*NAME_COLUMNS, Person.birth_date, Person.birth_year, Person.area))
        .limit(500)
    ).all()
    rows = services.picker_rows([p for p in caseload if p.id not in present])
    audit.record("person.list", object_type="person", detail={"count": len(rows), "for": "household_member"})
    return rows


def _assignment_form():
    form = AssignmentForm()
    frontline = [
        u
        for u in db.session.scalars(select(User).where(User.active.is_(True)).order_by(User.name))
        if u.roles & {role for p in all_programmes() for role in p.roles}
    ]
    form.user_id.choices = choices(((str(u.id), u.name) for u in frontline), blank=_("Choose…"))
    return form


def caseload_panel(user):
    if not can(user, Permission.PEOPLE_READ):
        return None
    count = db.session.scalar(select(func.count()).select_from(services.caseload_query(user).order_by(None).subquery()))
    return render_template("people/panel.html", count=count)
