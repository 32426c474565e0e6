"""Data keys: one look-up for all the people a query loads; the per-process cache of unwrapped keys is
bounded in size and age and never outlives an erasure or a rotation, in this process or another."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import event, select

from caseapp.crypto import keystore
from caseapp.crypto.envelope import DataKey, DecryptionError
from caseapp.crypto.keystore import DataKeyCache, data_key, process_cache
from caseapp.domains.dataprotection.erasures import erase_person
from caseapp.extensions import db
from caseapp.models.users import User
from caseapp.register.models import Person
from tests.people.factories import make_person


def _read(ids: list[str]) -> list[str]:
    """Load the people in a fresh transaction, as a request would; their first names."""
    db.session.remove()
    people = db.session.scalars(select(Person).where(Person.id.in_([uuid.UUID(i) for i in ids]))).all()
    names = [p.first_name for p in people]
    db.session.commit()
    return names


def _key_lookups(app):
    """A list that gets one entry per statement reading the wrapped keys."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args):
        if "FROM subject_key" in statement:
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    return seen, lambda: event.remove(db.engine, "before_cursor_execute", count)


def test_a_list_looks_up_all_its_keys_in_one_query(app):
    ids = [make_person(app, first_name=f"Navn{n}") for n in range(12)]
    with app.app_context():
        process_cache().clear()
        lookups, stop = _key_lookups(app)
        try:
            assert sorted(_read(ids)) == sorted(f"Navn{n}" for n in range(12))
        finally:
            stop()
        assert len(lookups) == 1


def test_a_key_read_again_comes_from_the_process_cache(app):
    pid = make_person(app)
    with app.app_context():
        process_cache().clear()
        _read([pid])
        assert process_cache().get(uuid.UUID(pid)) is not None
        lookups, stop = _key_lookups(app)
        try:
            assert _read([pid]) == ["Amira"]
        finally:
            stop()
        assert lookups == []


def test_the_cache_is_bounded_in_size_and_age(monkeypatch):
    cache = DataKeyCache(size=2, seconds=60)
    keys = {n: DataKey.new()[0] for n in range(3)}
    ids = {n: uuid.uuid4() for n in range(3)}
    clock = [1000.0]
    monkeypatch.setattr(keystore.time, "monotonic", lambda: clock[0])
    for n in range(3):
        cache.put(ids[n], keys[n])
    assert len(cache) == 2 and cache.get(ids[0]) is None  # the oldest made room
    assert cache.get(ids[2]) is keys[2]
    clock[0] += 61
    assert cache.get(ids[1]) is None and cache.get(ids[2]) is None  # too old


def _erase(app_, person_id: str, leader_id: int) -> None:
    with app_.app_context():
        erase_person(person_id, "request", "Anmodning modtaget pr. brev 3. november", db.session.get(User, leader_id))
        db.session.remove()


def test_a_cached_key_does_not_survive_an_erasure(app, make_user):
    leader = make_user("leader")
    pid = make_person(app)
    with app.app_context():
        _read([pid])
        assert process_cache().get(uuid.UUID(pid)) is not None
    _erase(app, pid, leader.id)
    with app.app_context():
        assert process_cache().get(uuid.UUID(pid)) is None
        with pytest.raises(DecryptionError):
            data_key(db.session, uuid.UUID(pid))


def test_an_erasure_in_another_process_empties_this_cache(app, other_app, make_user):
    """Two apps on one database stand for two processes: each has its own cache."""
    leader = make_user("leader")
    erased, kept = make_person(app, first_name="Erased"), make_person(app, first_name="Kept")
    with app.app_context():
        _read([erased, kept])
        assert process_cache().get(uuid.UUID(erased)) is not None
    _erase(other_app(), erased, leader.id)
    with app.app_context():
        assert process_cache().get(uuid.UUID(erased)) is not None  # nothing has looked yet
        db.session.remove()
        # The first transaction that would use a cached key checks the key generation and drops them all.
        with pytest.raises(DecryptionError):
            data_key(db.session, uuid.UUID(erased))
        assert process_cache().get(uuid.UUID(erased)) is None
        assert _read([kept]) == ["Kept"]


def test_a_rotation_in_another_process_empties_this_cache(app, other_app):
    pid = make_person(app)
    stranger = uuid.uuid4()
    with app.app_context():
        _read([pid])
        process_cache().put(stranger, DataKey.new()[0])  # a key only this process's cache holds
    second = other_app()
    runner = second.test_cli_runner()
    assert runner.invoke(args=["keys", "rotate"]).exit_code == 0
    with app.app_context():
        lookups, stop = _key_lookups(app)
        try:
            assert _read([pid]) == ["Amira"]  # re-read and unwrapped afresh
        finally:
            stop()
        assert len(lookups) == 1
        assert process_cache().get(stranger) is None


def test_a_rotation_here_empties_the_cache_at_once(app):
    pid = make_person(app)
    with app.app_context():
        _read([pid])
        result = app.test_cli_runner().invoke(args=["keys", "rotate"])
        assert result.exit_code == 0, result.output
        assert process_cache().get(uuid.UUID(pid)) is None
