"""Civil-society pages: associations, activities with their occurrences and head counts, volunteers with
vetting, placements and hours; the coordinator's landing panel, the person-page section and the agenda.
Every rule is in services.py; these views turn its answers into pages, keeping the user's input on errors."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from caseapp import audit
from caseapp.clock import local_today
from caseapp.crypto.fields import require_readable
from caseapp.domain import AgendaItem
from caseapp.domains.community import access, bp, queries, services
from caseapp.domains.community import labels as L
from caseapp.domains.community import vetting as V
from caseapp.domains.community.forms import (
    ActivityEditForm,
    ActivityForm,
    AssociationEditForm,
    AssociationForm,
    HoursForm,
    OccurrenceForm,
    PlacementForm,
    SupportForm,
    VettingForm,
    VolunteerEditForm,
    VolunteerForm,
    grid_formdata,
)
from caseapp.domains.community.models import PLAN_RECORD, Activity, Association, Occurrence, Volunteer
from caseapp.errors import NotFound
from caseapp.extensions import db
from caseapp.forms import choices
from caseapp.plan.tagging import tag_form_data, tags_of
from caseapp.register.models import people_visible_to
from caseapp.register.services import picker_rows
from caseapp.security.permissions import Permission, can, require
from caseapp.web import attempt, discard_changes, submit

P = Permission
PER_PAGE = 25


def labels() -> dict:
    return {
        "support": L.SUPPORT_LABELS,
        "kinds": L.KIND_LABELS,
        "ages": L.AGE_LABELS,
        "genders": L.GENDER_LABELS,
        "organisers": L.ORGANISER_LABELS,
        "assessments": L.ASSESSMENT_LABELS,
        "statuses": L.STATUS_LABELS,
    }


@bp.context_processor
def _labels():
    return {
        "labels": labels(),
        "manages": access.manages(current_user),
        "reads_volunteers": access.reads_volunteers(current_user),
    }


@bp.before_request
@login_required
def _login_first():
    return None


def _found(fetch):
    try:
        return fetch()
    except NotFound:
        abort(404)


def _args(**values) -> dict:
    return {k: v for k, v in values.items() if v}


# Choices -----------------------------------------------------------------------------------------


def _association_choices(blank=None):
    rows = db.session.execute(select(Association.id, Association.name).order_by(Association.name)).all()
    return choices(((str(i), n) for i, n in rows), blank=blank)


def _activity_choices():
    rows = db.session.execute(
        select(Activity.id, Activity.title)
        .where((Activity.ends_on.is_(None)) | (Activity.ends_on >= local_today()))
        .order_by(Activity.title)
    ).all()
    return choices(((str(i), t) for i, t in rows), blank=_("Choose"))


def _volunteer_choices():
    volunteers = db.session.scalars(
        access.volunteers_visible_to(current_user).where(Volunteer.ended_on.is_(None)).limit(500)
    ).all()
    queries.audit_volunteers(volunteers, where="contact_choice")
    pairs = sorted(((str(v.id), v.person.full_name) for v in volunteers), key=lambda p: p[1].lower())
    return choices(pairs, blank=_("(none)"))


# Activities --------------------------------------------------------------------------------------


@bp.route("/")
@require(P.COMMUNITY_READ)
def index():
    q, kind = request.args.get("q") or None, request.args.get("kind") or None
    page = db.paginate(queries.activity_list(current_user, q, kind), per_page=PER_PAGE, max_per_page=100)
    hours = services.hour_totals(a.id for a in page.items)
    return render_template("community/activities.html", page=page, hours=hours, args=_args(q=q, kind=kind))


@bp.route("/activities/new", methods=["GET", "POST"])
@require(P.COMMUNITY_MANAGE)
def activity_new():
    form = ActivityForm()
    form.association_id.choices = _association_choices(blank=_("(none)"))
    status = 200
    if request.method == "POST":
        made = []
        status = submit(form, lambda: made.append(services.create_activity(form.values(), current_user)))
        if status is None:
            flash(_("The activity is registered."), "success")
            return redirect(url_for("community.activity", activity_id=made[0].id))
    return render_template(
        "community/form.html", form=form, title=_("New activity"), back=url_for("community.index")
    ), status


@bp.route("/activities/<uuid:activity_id>")
@require(P.COMMUNITY_READ)
def activity(activity_id):
    item = _found(lambda: access.visible_activity(activity_id, current_user))
    placements = []
    if access.reads_volunteers(current_user):
        from sqlalchemy.orm import selectinload

        from caseapp.domains.community.models import Placement

        placements = db.session.scalars(
            select(Placement)
            .where(Placement.activity_id == item.id)
            .options(selectinload(Placement.volunteer).selectinload(Volunteer.person))
        ).all()
        queries.audit_volunteers([p.volunteer for p in placements], where="activity")
    occurrences = db.paginate(
        select(Occurrence)
        .where(Occurrence.activity_id == item.id)
        .order_by(Occurrence.held_on.desc(), Occurrence.created_at.desc()),
        per_page=PER_PAGE,
        max_per_page=PER_PAGE,
    )
    return render_template(
        "community/activity.html",
        activity=item,
        occurrences=occurrences,
        placements=placements,
        tags=tags_of(PLAN_RECORD, item.id),
        hours=services.hour_totals([item.id]).get(item.id, 0),
    )


@bp.route("/activities/<uuid:activity_id>/edit", methods=["GET", "POST"])
@require(P.COMMUNITY_MANAGE)
def activity_edit(activity_id):
    item = _found(lambda: access.visible_activity(activity_id, current_user))
    if request.method == "GET":
        form = ActivityEditForm(obj=item, data=tag_form_data(PLAN_RECORD, item.id))
        form.association_id.data = str(item.association_id or "")
    else:
        form = ActivityEditForm()
    form.association_id.choices = _association_choices(blank=_("(none)"))
    status = 200
    if request.method == "POST":
        status = submit(form, lambda: services.update_activity(item, form.values(), form.version.data, current_user))
        if status is None:
            flash(_("The activity is saved."), "success")
            return redirect(url_for("community.activity", activity_id=item.id))
    return render_template(
        "community/form.html",
        form=form,
        title=_("Edit the activity"),
        back=url_for("community.activity", activity_id=item.id),
    ), status


@bp.route("/activities/<uuid:activity_id>/occurrences/new", methods=["GET", "POST"])
@require(P.COMMUNITY_MANAGE)
def occurrence_new(activity_id):
    item = _found(lambda: access.visible_activity(activity_id, current_user))
    form = OccurrenceForm(data={"counts": grid_formdata()}) if request.method == "GET" else OccurrenceForm()
    status = 200
    if request.method == "POST":
        status = submit(form, lambda: services.record_occurrence(item, form.count_data(), current_user))
        if status is None:
            flash(_("The occurrence and its head count are recorded."), "success")
            return redirect(url_for("community.activity", activity_id=item.id))
    return render_template("community/occurrence_form.html", form=form, activity=item), status


# Associations ------------------------------------------------------------------------------------


@bp.route("/associations")
@require(P.COMMUNITY_READ)
def associations():
    q = request.args.get("q") or None
    page = db.paginate(queries.association_list(current_user, q), per_page=PER_PAGE, max_per_page=100)
    if access.reads_volunteers(current_user):
        queries.audit_volunteers([a.contact for a in page.items if a.contact], where="associations")
    return render_template(
        "community/associations.html", page=page, args=_args(q=q), today=local_today(), due=V.declaration_due
    )


@bp.route("/associations/new", methods=["GET", "POST"])
@require(P.COMMUNITY_MANAGE)
def association_new():
    form = AssociationForm()
    form.contact_volunteer_id.choices = _volunteer_choices()
    status = 200
    if request.method == "POST":
        made = []
        status = submit(form, lambda: made.append(services.create_association(form.values(), current_user)))
        if status is None:
            flash(_("The association is registered."), "success")
            return redirect(url_for("community.association", association_id=made[0].id))
    return render_template(
        "community/form.html", form=form, title=_("New association"), back=url_for("community.associations")
    ), status


@bp.route("/associations/<uuid:association_id>", methods=["GET", "POST"])
@require(P.COMMUNITY_READ)
def association(association_id):
    item = _found(lambda: access.visible_association(association_id, current_user))
    form = SupportForm() if access.manages(current_user) else None
    status = 200
    if request.method == "POST":
        if form is None:
            abort(403)
        status = submit(form, lambda: services.add_support(item, form.values(), current_user))
        if status is None:
            flash(_("The support is recorded."), "success")
            return redirect(url_for("community.association", association_id=item.id))
    volunteers = []
    if access.reads_volunteers(current_user):
        volunteers = db.session.scalars(queries.volunteer_list(current_user, association_id=item.id)).all()
        queries.audit_volunteers(volunteers, where="association")
    activities = db.session.scalars(
        select(Activity).where(Activity.association_id == item.id).order_by(Activity.starts_on.desc()).limit(PER_PAGE)
    ).all()
    return render_template(
        "community/association.html",
        association=item,
        form=form,
        volunteers=volunteers,
        activities=activities,
        due=V.declaration_due(item.declared_on),
        today=local_today(),
    ), status


@bp.route("/associations/<uuid:association_id>/edit", methods=["GET", "POST"])
@require(P.COMMUNITY_MANAGE)
def association_edit(association_id):
    item = _found(lambda: access.visible_association(association_id, current_user))
    form = AssociationEditForm(obj=item) if request.method == "GET" else AssociationEditForm()
    form.contact_volunteer_id.choices = _volunteer_choices()
    if request.method == "GET":
        form.contact_volunteer_id.data = str(item.contact_volunteer_id or "")
    status = 200
    if request.method == "POST":
        status = submit(form, lambda: services.update_association(item, form.values(), form.version.data, current_user))
        if status is None:
            flash(_("The association is saved."), "success")
            return redirect(url_for("community.association", association_id=item.id))
    return render_template(
        "community/form.html",
        form=form,
        title=_("Edit the association"),
        back=url_for("community.association", association_id=item.id),
    ), status


# Volunteers --------------------------------------------------------------------------------------


@bp.route("/volunteers")
@require(P.VOLUNTEERS_READ)
def volunteers():
    q = request.args.get("q") or None
    page = db.paginate(queries.volunteer_list(current_user, q), per_page=PER_PAGE, max_per_page=100)
    queries.audit_volunteers(page.items, where="list")
    return render_template(
        "community/volunteers.html", page=page, statuses=queries.statuses(page.items), args=_args(q=q)
    )


@bp.route("/volunteers/new", methods=["GET", "POST"])
@require(P.COMMUNITY_MANAGE)
def volunteer_new():
    form = VolunteerForm()
    form.associations.choices = _association_choices()
    pickers = {}
    if not can(current_user, P.PEOPLE_READ):
        del form.person_id  # only someone who may see the register links an existing person
    status = 200
    if request.method == "POST":
        made = []
        status = submit(form, lambda: made.append(services.create_volunteer(form.values(), current_user)))
        if status is None:
            flash(_("The volunteer is registered."), "success")
            return redirect(url_for("community.volunteer", volunteer_id=made[0].id))
    if "person_id" in form:
        # The shared person picker over the residents the user may see (a read of them: audited).
        pickers["person_id"] = picker_rows(db.session.scalars(people_visible_to(current_user).limit(500)).all())
        audit.record(
            "person.list",
            object_type="person",
            purpose="community",
            detail={"count": len(pickers["person_id"]), "for": "volunteer_form"},
        )
    return render_template(
        "community/form.html",
        form=form,
        title=_("New volunteer"),
        back=url_for("community.volunteers"),
        pickers=pickers,
    ), status


def _volunteer_page(item, *, vetting=None, placement=None, hours=None, status=200):
    if vetting is None:
        vetting = VettingForm(formdata=None)
    if placement is None:
        placement = PlacementForm(formdata=None)
    if hours is None:
        hours = HoursForm(formdata=None)
    activity_choices = _activity_choices()
    placement.activity_id.choices = activity_choices
    hours.activity_id.choices = activity_choices
    queries.audit_volunteer(item)
    return render_template(
        "community/volunteer.html",
        volunteer=item,
        vetting_form=vetting,
        placement_form=placement,
        hours_form=hours,
        status=services.vetting_status(item),
        expiry=services.vetting_expiry(item),
        hours=services.hours_of(item.id)[:PER_PAGE],
        overrides=access.overrides_vetting(current_user),
    ), status


def _volunteer(volunteer_id):
    return require_readable(_found(lambda: queries.volunteer_detail(volunteer_id, current_user)))


@bp.route("/volunteers/<uuid:volunteer_id>")
@require(P.VOLUNTEERS_READ)
def volunteer(volunteer_id):
    return _volunteer_page(_volunteer(volunteer_id))


@bp.route("/volunteers/<uuid:volunteer_id>/vetting", methods=["POST"])
@require(P.COMMUNITY_MANAGE)
def volunteer_vetting(volunteer_id):
    item = _volunteer(volunteer_id)
    form = VettingForm()
    if request.files:  # the certificate itself is never stored: nothing of an upload is kept
        form.form_errors.append(_("Do not upload the certificate: record only its dates and the assessment."))
        discard_changes()  # refused input: nothing kept but the reads of the page shown again
        return _volunteer_page(item, vetting=form, status=422)
    if form.validate_on_submit():
        status = attempt(form, lambda: services.add_vetting(item, form.values(), current_user))
        if status is None:
            flash(_("The check is recorded."), "success")
            return redirect(url_for("community.volunteer", volunteer_id=item.id))
        return _volunteer_page(item, vetting=form, status=status)
    discard_changes()  # refused input: nothing kept but the reads of the page shown again
    return _volunteer_page(item, vetting=form, status=422)


def _chosen_activity(form):
    try:
        return access.visible_activity(form.activity_id.data, current_user)
    except NotFound:
        form.activity_id.errors = [*form.activity_id.errors, _("Choose from the list.")]
        return None


@bp.route("/volunteers/<uuid:volunteer_id>/placements", methods=["POST"])
@require(P.COMMUNITY_MANAGE, P.VETTING_OVERRIDE)
def volunteer_place(volunteer_id):
    item = _volunteer(volunteer_id)
    form = PlacementForm()
    form.activity_id.choices = _activity_choices()
    if form.validate_on_submit():
        chosen = _chosen_activity(form)
        if chosen is not None:
            status = attempt(form, lambda: services.place(item, chosen, form.values(), current_user))
            if status is None:
                flash(_("The volunteer is placed on the activity."), "success")
                return redirect(url_for("community.volunteer", volunteer_id=item.id))
            return _volunteer_page(item, placement=form, status=status)
    discard_changes()  # refused input: nothing kept but the reads of the page shown again
    return _volunteer_page(item, placement=form, status=422)


@bp.route("/volunteers/<uuid:volunteer_id>/hours", methods=["POST"])
@require(P.COMMUNITY_MANAGE)
def volunteer_hours(volunteer_id):
    item = _volunteer(volunteer_id)
    form = HoursForm()
    form.activity_id.choices = _activity_choices()
    if form.validate_on_submit():
        chosen = _chosen_activity(form)
        if chosen is not None:
            status = attempt(form, lambda: services.log_hours(item, chosen, form.values(), current_user))
            if status is None:
                flash(_("The hours are recorded."), "success")
                return redirect(url_for("community.volunteer", volunteer_id=item.id))
            return _volunteer_page(item, hours=form, status=status)
    discard_changes()  # refused input: nothing kept but the reads of the page shown again
    return _volunteer_page(item, hours=form, status=422)


@bp.route("/volunteers/<uuid:volunteer_id>/edit", methods=["GET", "POST"])
@require(P.COMMUNITY_MANAGE)
def volunteer_edit(volunteer_id):
    item = _volunteer(volunteer_id)
    if request.method == "GET":
        person = item.person
        form = VolunteerEditForm(
            data={
                "first_name": person.first_name,
                "last_name": person.last_name,
                "phone": person.phone,
                "email": person.email,
                "area": person.area,
                "started_on": item.started_on,
                "ended_on": item.ended_on,
                "version": item.version,
                "associations": [str(m.association_id) for m in item.memberships],
            }
        )
        queries.audit_volunteer(item, what="edit_form")
    else:
        form = VolunteerEditForm()
    del form.person_id
    form.associations.choices = _association_choices()
    status = 200
    if request.method == "POST":
        status = submit(form, lambda: services.update_volunteer(item, form.values(), form.version.data, current_user))
        if status is None:
            flash(_("The volunteer is saved."), "success")
            return redirect(url_for("community.volunteer", volunteer_id=item.id))
    return render_template(
        "community/form.html",
        form=form,
        title=_("Edit the volunteer"),
        back=url_for("community.volunteer", volunteer_id=item.id),
    ), status


# Landing panel, person section, agenda -----------------------------------------------------------


def coordinator_panel(user):
    """The coordinator's panel: vetting due or expired, yearly declarations due, this week's activities.
    (Leaders reach the same through the volunteer and association lists.)"""
    if not can(user, P.COMMUNITY_MANAGE):
        return None
    today = local_today()
    attention = queries.vetting_attention(today)
    queries.audit_volunteers([v for v, _s, _e in attention], where="landing_panel")
    start, end = queries.week_of(today)
    return render_template(
        "community/panel.html",
        attention=attention[:10],
        more=max(0, len(attention) - 10),
        declarations=services.declarations_due(today)[:10],
        week=queries.activities_in_week(start, end)[:10],
        labels=labels(),
        due=V.declaration_due,
    )


def person_section(user, person):
    """On a volunteer's person page: their associations, hours and vetting status (coordinators, leaders)."""
    if not can(user, P.VOLUNTEERS_READ):
        return None
    found = queries.volunteer_of_person(person.id)
    if found is None:
        return None
    queries.audit_volunteer(found, what="person_page")
    total = sum(float(h.hours) for h in services.hours_of(found.id))
    return render_template(
        "community/person_section.html",
        volunteer=found,
        total_hours=total,
        status=services.vetting_status(found),
        expiry=services.vetting_expiry(found),
        labels=labels(),
    )


def agenda(user, start, end) -> list[AgendaItem]:
    """In a user's week: activities' occurrences and one-off events (readers), vetting renewals and
    declarations falling due (coordinators and leaders)."""
    items: list[AgendaItem] = []
    if not can(user, P.COMMUNITY_READ):
        return items
    for activity in queries.activities_in_week(start, end):
        day = activity.starts_on if activity.starts_on >= start else start
        items.append(
            AgendaItem(
                day=day,
                label=activity.title,
                kind=_("Activity"),
                url=url_for("community.activity", activity_id=activity.id),
            )
        )
    if can(user, P.VOLUNTEERS_READ):
        today = local_today()
        attention = queries.vetting_attention(today)
        shown = []
        for volunteer, status, expiry in attention:
            due = expiry if expiry and status == V.VALID else today
            if due > end:
                continue
            shown.append(volunteer)
            items.append(
                AgendaItem(
                    day=max(min(due, end), start),
                    label=volunteer.person.full_name,
                    kind=_("Child-protection certificate renewal"),
                    overdue=status != V.VALID,
                    url=url_for("community.volunteer", volunteer_id=volunteer.id),
                )
            )
        queries.audit_volunteers(shown, where="agenda")
        for association in services.declarations_due(end):
            due = V.declaration_due(association.declared_on) or today
            items.append(
                AgendaItem(
                    day=max(min(due, end), start),
                    label=association.name,
                    kind=_("Yearly child-protection declaration"),
                    overdue=due < today,
                    url=url_for("community.association", association_id=association.id),
                )
            )
    return sorted(items, key=lambda i: (i.day, str(i.kind), i.label))
