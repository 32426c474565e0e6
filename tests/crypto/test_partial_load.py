"""A list that loads only some encrypted columns (`load_only`, `register.models.listed()`) opens only
those; a column it left out is loaded and opened when read, a change to a partly loaded row is sealed
like any other, and a tampered column left out fails when it is read, alone and audited."""

from __future__ import annotations

import uuid

from sqlalchemy import select, text

from caseapp.crypto.envelope import DataKey
from caseapp.crypto.fields import StoredCiphertext, record_unreadable, unreadable_reference
from caseapp.extensions import db
from caseapp.register.models import Person, listed
from tests.people.factories import make_person


def _load_listed(pid: str) -> Person:
    db.session.remove()
    return db.session.scalar(select(Person).where(Person.id == uuid.UUID(pid)).options(listed()))


def _raw(column: str, pid: str):
    row_id = uuid.UUID(pid) if db.engine.dialect.name == "postgresql" else uuid.UUID(pid).hex
    return db.session.execute(text(f"SELECT {column} FROM person WHERE id = :i"), {"i": row_id}).scalar()  # noqa: S608


def test_only_the_listed_columns_are_opened_and_the_rest_on_first_read(app, monkeypatch):
    pid = make_person(app, first_name="Amira", notes="Taler bedst dansk om formiddagen")
    opened: list[str] = []
    decrypt = DataKey.decrypt

    def counted(key, stored, aad):
        opened.append(aad.split("|")[1])
        return decrypt(key, stored, aad)

    monkeypatch.setattr(DataKey, "decrypt", counted)
    with app.app_context():
        person = _load_listed(pid)
        assert sorted(opened) == ["first_name", "last_name"]
        assert "notes" not in person.__dict__ and "cpr" not in person.__dict__
        assert person.notes == "Taler bedst dansk om formiddagen"  # loaded and opened now
        assert "notes" in opened and not isinstance(person.notes, StoredCiphertext)
        db.session.rollback()


def test_a_change_to_a_partly_loaded_row_is_sealed_and_the_rest_kept(app):
    pid = make_person(app, first_name="Amira", cpr="0101901234")
    with app.app_context():
        person = _load_listed(pid)
        person.first_name = "Amina"
        db.session.commit()
        assert b"Amina" not in bytes(_raw("first_name", pid))  # never plaintext in the database
        db.session.remove()
        again = db.session.get(Person, uuid.UUID(pid))
        assert (again.first_name, again.last_name, again.cpr) == ("Amina", "Hansen", "010190-1234")
        db.session.rollback()


def test_a_tampered_column_left_out_fails_alone_when_read(app):
    ok = make_person(app, first_name="Amira", notes="Første note")
    broken = make_person(app, first_name="Bashir", notes="Anden note")
    with app.app_context():
        stolen = _raw("notes", ok)
        row_id = uuid.UUID(broken) if db.engine.dialect.name == "postgresql" else uuid.UUID(broken).hex
        db.session.execute(text("UPDATE person SET notes = :v WHERE id = :i"), {"v": stolen, "i": row_id})
        db.session.commit()
        person = _load_listed(broken)
        assert person.first_name == "Bashir" and unreadable_reference(person) is None
        assert "Første note" not in person.notes and unreadable_reference(person) is not None
        assert record_unreadable(db.session) == 1  # audited as a security event when the request ends
        db.session.rollback()
