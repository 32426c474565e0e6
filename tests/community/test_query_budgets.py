"""Query budgets of the civil-society pages and API lists: a fixed number of SQL statements and one commit
per request, however many associations, activities, volunteers or occurrences they show (no N+1)."""

from __future__ import annotations

import pytest

from tests.community import factories as f
from tests.conftest import bearer, log_in

BUDGETS = {
    "activities": 5,
    "activity": 14,
    "associations": 9,
    "association": 13,
    "volunteers": 11,
    "volunteer": 16,
    "api_volunteers": 11,
    "api_activities": 8,
    "api_associations": 9,
}


def _measure(client, count_queries, url, headers=None):
    client.get(url, headers=headers)  # warm what a worker keeps between requests (data keys)
    with count_queries() as log:
        response = client.get(url, headers=headers)
    assert response.status_code == 200, url
    return log


def _more(app, coordinator, world, n):
    for i in range(n):
        vid = f.volunteer(app, coordinator, first_name=f"Frivillig{n}{i}", associations=[world["association"]])
        f.vet(app, vid, coordinator)
        aid = f.activity(
            app, coordinator, title=f"Aktivitet {n}{i}", organiser="association", association_id=world["association"]
        )
        f.place(app, vid, world["activity"], coordinator)
        f.hours(app, vid, aid, coordinator)
        f.occurrence(app, world["activity"], coordinator)
        f.association(app, coordinator, name=f"Forening {n}{i}", contact_volunteer_id=vid)


@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_community_pages_keep_their_budget(app, client, make_user, api_token, count_queries, page):
    coordinator = make_user("coordinator")
    assoc = f.association(app, coordinator)
    vid = f.volunteer(app, coordinator, associations=[assoc])
    f.vet(app, vid, coordinator)
    aid = f.activity(app, coordinator, organiser="association", association_id=assoc)
    f.place(app, vid, aid, coordinator)
    f.hours(app, vid, aid, coordinator)
    f.occurrence(app, aid, coordinator)
    with app.app_context():  # the association's contact is a volunteer, as in the lists that grow
        from caseapp.domains.community import services
        from caseapp.domains.community.models import Association
        from caseapp.extensions import db

        services.update_association(
            db.session.get(Association, __import__("uuid").UUID(assoc)), {"contact_volunteer_id": vid}, 1, None
        )
        db.session.commit()
    world = {"association": assoc, "activity": aid, "volunteer": vid}
    urls = {
        "activities": "/community/",
        "activity": f"/community/activities/{aid}",
        "associations": "/community/associations",
        "association": f"/community/associations/{assoc}",
        "volunteers": "/community/volunteers",
        "volunteer": f"/community/volunteers/{vid}",
        "api_volunteers": "/api/v1/community/volunteers",
        "api_activities": "/api/v1/community/activities",
        "api_associations": "/api/v1/community/associations",
    }
    url = urls[page]
    headers = None
    if page.startswith("api_"):
        headers = bearer(api_token(coordinator))
    else:
        log_in(client, coordinator)
    few = _measure(client, count_queries, url, headers)
    _more(app, coordinator, world, 4)
    many = _measure(client, count_queries, url, headers)
    few.within(BUDGETS[page], f"GET {url} with one of each")
    many.within(len(few), f"GET {url} with more rows (as many statements as with one)")
    assert many.commits == 1
