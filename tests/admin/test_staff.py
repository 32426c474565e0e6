"""Staff account management: only for admins, audited, and no resident data anywhere."""

import pytest

from caseapp.extensions import db
from caseapp.models.audit import AuditEvent
from caseapp.models.users import User
from tests.conftest import PASSWORD, bearer, log_in
from tests.people.factories import make_person


def test_admin_creates_edits_and_deactivates_staff(app, client, login_as):
    login_as("admin")
    created = client.submit(
        "/admin/users/new",
        {"name": "Nadia Nielsen", "email": "nadia@test.dk", "roles": ["mentor", "course_leader"], "password": PASSWORD},
    )
    assert created.status_code == 302
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "nadia@test.dk"))
        assert user.roles == {"mentor", "course_leader"}
        user_id = user.id
    client.submit(f"/admin/users/{user_id}", {"roles": ["mentor"]})
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.roles == {"mentor"} and user.active is False
        actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"user.create", "user.roles", "user.deactivate"} <= actions


def test_bad_new_account_input_is_explained_and_kept(client, login_as):
    login_as("admin")
    page = client.submit(
        "/admin/users/new", {"name": "Kort", "email": "kort@test.dk", "roles": ["mentor"], "password": "short"}
    ).get_data(as_text=True)
    assert "mindst 12 tegn" in page and 'value="kort@test.dk"' in page


@pytest.mark.parametrize("role", ["leader", "social_worker", "mentor", "ssp", "police", "analyst"])
def test_only_admins_manage_staff(role, client, login_as):
    login_as(role)
    assert client.get("/admin/users").status_code == 403


def test_admin_reaches_no_resident_route(app, client, make_user, api_token):
    admin = make_user("admin")
    person_id = make_person(app)
    log_in(client, admin)
    html_routes = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.split(".")[0] in {"people", "counselling", "concerns"} and "GET" in rule.methods
    ]
    assert html_routes
    for rule in html_routes:
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<uuid:{arg}>", person_id).replace(f"<int:{arg}>", "1").replace(f"<{arg}>", person_id)
        assert client.get(url).status_code in (403, 404), url
    token = api_token(admin)
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.endpoint == "api.openapi" or "GET" not in rule.methods:
            continue
        url = rule.rule
        for arg in rule.arguments:
            url = url.replace(f"<int:{arg}>", "1").replace(f"<uuid:{arg}>", person_id).replace(f"<{arg}>", person_id)
        assert client.get(url, headers=bearer(token)).status_code in (403, 404), url
    assert "Amira" not in client.get("/").get_data(as_text=True)


RESIDENT_READERS = ["leader", "social_worker", "mentor", "course_leader", "ssp", "police"]


def test_no_one_changes_their_own_roles(app, client, login_as):
    admin = login_as("admin")
    response = client.submit(f"/admin/users/{admin.id}", {"roles": ["admin", "leader"], "active": "y"})
    assert response.status_code == 422 and "dine egne roller" in response.get_data(as_text=True)
    response = client.submit(f"/admin/users/{admin.id}", {"roles": ["admin", "analyst"], "active": "y"})
    assert response.status_code == 422
    with app.app_context():
        assert db.session.get(User, admin.id).roles == {"admin"}
        assert "user.roles" not in db.session.scalars(db.select(AuditEvent.action)).all()


@pytest.mark.parametrize("role", RESIDENT_READERS)
def test_admin_cannot_be_held_with_a_role_that_reads_residents(role, app, client, login_as, make_user):
    login_as("admin")
    other = make_user("admin")
    response = client.submit(f"/admin/users/{other.id}", {"roles": ["admin", role], "active": "y"})
    assert response.status_code == 422 and "ingen borgeroplysninger" in response.get_data(as_text=True)
    created = client.submit(
        "/admin/users/new",
        {"name": "Dobbelt Rolle", "email": "dobbelt@test.dk", "roles": ["admin", role], "password": PASSWORD},
    )
    assert created.status_code == 422 and 'value="dobbelt@test.dk"' in created.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, other.id).roles == {"admin"}
        assert db.session.scalar(db.select(User).where(User.email == "dobbelt@test.dk")) is None


def test_admin_may_hold_the_roles_that_read_no_resident(app, client, login_as, make_user):
    login_as("admin")
    other = make_user("admin")
    assert client.submit(f"/admin/users/{other.id}", {"roles": ["admin", "analyst"], "active": "y"}).status_code == 302
    with app.app_context():
        assert db.session.get(User, other.id).roles == {"admin", "analyst"}
        change = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "user.roles"))
        assert '"before": ["admin"]' in change.detail and '"after": ["admin", "analyst"]' in change.detail


def test_cli_refuses_admin_with_a_resident_reading_role(app):
    result = app.test_cli_runner().invoke(
        args=[
            "users",
            "create",
            "dobbelt@test.dk",
            "--name",
            "D",
            "--role",
            "admin",
            "--role",
            "leader",
            "--password-stdin",
        ],
        input=PASSWORD + "\n",
    )
    assert result.exit_code != 0 and "administrator role cannot be held together" in result.output
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.email == "dobbelt@test.dk")) is None


def test_an_account_stored_with_admin_and_leader_reads_no_resident(app, client, make_user):
    """A row written around the verbs (or before the rule) gives the resident-reading role nothing."""
    admin = make_user("admin")
    make_person(app)
    with app.app_context():
        db.session.get(User, admin.id).roles_text = "admin leader"
        db.session.commit()
        assert db.session.get(User, admin.id).roles == {"admin"}
    log_in(client, admin)
    assert client.get("/people/").status_code == 403
    assert client.get("/admin/users").status_code == 200


def test_the_staff_a_form_offers_hold_the_role_itself_not_a_name_containing_it(app, make_user):
    """`active_staff_holding` narrows in SQL by the stored role list: "leader" is part of "course_leader",
    a role stored beside admin grants nothing, and an account switched off is not offered."""
    from caseapp.security.accounts import active_staff_holding

    leader, course_leader = make_user("leader", name="Lea"), make_user("course_leader", name="Kurt")
    both, stored_with_admin, gone = (
        make_user("leader", "mentor", name="Bo"),
        make_user("admin", name="Ada"),
        make_user("leader", name="Gone"),
    )
    with app.app_context():
        db.session.get(User, stored_with_admin.id).roles_text = "admin leader"
        db.session.get(User, gone.id).active = False
        db.session.commit()
        assert [u.id for u in active_staff_holding("leader")] == [both.id, leader.id]  # by name: Bo, Lea
        assert {u.id for u in active_staff_holding("mentor", "course_leader")} == {both.id, course_leader.id}
