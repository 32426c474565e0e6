"""Residents for tests, created through the same service the pages use."""

from caseapp.extensions import db
from caseapp.models.users import User
from caseapp.register import services
from caseapp.register.models import Assignment


def make_person(app, creator=None, assign_to=(), **fields) -> str:
    """A saved resident (str id); `assign_to` is a list of (StaffRef, programme)."""
    data = {
        "first_name": "Amira",
        "last_name": "Hansen",
        "cpr": "0101901234",
        "phone": "+45 20 30 40 50",
        "email": "amira@example.dk",
        "address": "Bøgeparken 12, 2. tv",
        "area": "Bøgeparken",
        "notes": "Taler bedst dansk om formiddagen",
    } | fields
    with app.app_context():
        actor = db.session.get(User, creator.id) if creator else None
        person = services.build_person(services.PersonInput(**data), actor.id if actor else None)
        db.session.flush()
        for staff, programme in assign_to:
            db.session.add(Assignment(user_id=staff.id, person_id=person.id, programme=programme))
        db.session.commit()
        return str(person.id)
