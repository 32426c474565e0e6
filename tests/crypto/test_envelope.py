"""Envelope encryption: values bound to their key, table, column and row; rotation keeps data readable."""

import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from caseapp.crypto.envelope import DataKey, DecryptionError, unwrap_dek, wrap_dek
from caseapp.crypto.fields import UnreadableValue
from caseapp.crypto.keyring import Keyring, KeyringError
from caseapp.crypto.keystore import rotate_keys
from caseapp.extensions import db
from caseapp.register.models import Person
from tests.people.factories import make_person


def test_field_round_trip_and_binding():
    key, _raw = DataKey.new()
    stored = key.encrypt("Amira Hansen", "person|first_name|1")
    assert b"Amira" not in stored
    assert key.decrypt(stored, "person|first_name|1") == "Amira Hansen"
    with pytest.raises(DecryptionError):
        key.decrypt(stored, "person|first_name|2")  # another row
    with pytest.raises(DecryptionError):
        key.decrypt(stored, "person|last_name|1")  # another column
    tampered = bytearray(stored)
    tampered[-1] ^= 1
    with pytest.raises(DecryptionError):
        key.decrypt(bytes(tampered), "person|first_name|1")
    other, _ = DataKey.new()
    with pytest.raises(DecryptionError):
        other.decrypt(stored, "person|first_name|1")  # another subject's key


def test_wrapped_key_needs_the_right_kek_and_subject(tmp_path):
    ring = Keyring.generate(tmp_path / "ring.json")
    _key, raw = DataKey.new()
    _kek, wrapped = wrap_dek(ring, raw, "subject-a")
    assert unwrap_dek(ring, wrapped, "subject-a").dek_id == raw[:8]
    with pytest.raises(DecryptionError):
        unwrap_dek(ring, wrapped, "subject-b")
    stranger = Keyring.generate()
    stranger.keks = [(ring.active_kek_id, stranger.keks[0][1])]  # same id, different key
    with pytest.raises(DecryptionError):
        unwrap_dek(stranger, wrapped, "subject-a")


def test_keyring_file_is_private_and_validated(tmp_path):
    path = tmp_path / "ring.json"
    Keyring.generate(path)
    assert path.stat().st_mode & 0o777 == 0o600
    assert Keyring.load(path).active_kek_id
    path.write_text("{}")
    with pytest.raises(KeyringError, match="lacks"):
        Keyring.load(path)
    with pytest.raises(KeyringError, match="not found"):
        Keyring.load(tmp_path / "missing.json")


def test_ciphertext_copied_to_another_row_does_not_decrypt(app, ctx):
    first = make_person(app, first_name="Amira")
    second = make_person(app, first_name="Yusuf", cpr="0202921234")
    table = db.session.execute(text("SELECT id, first_name FROM person")).all()
    by_id = {str(uuid.UUID(str(r[0]))) if not isinstance(r[0], uuid.UUID) else str(r[0]): r for r in table}
    stolen = by_id[first][1]
    db.session.execute(text("UPDATE person SET first_name = :v WHERE id = :id"), {"v": stolen, "id": by_id[second][0]})
    db.session.commit()
    db.session.expunge_all()
    moved = db.session.get(Person, uuid.UUID(second))
    assert isinstance(moved.first_name, UnreadableValue) and "Amira" not in moved.first_name


def test_keys_rotate_rewraps_every_key_and_data_stays_readable(app, ctx):
    person_id = make_person(app, first_name="Hodan")
    ring = app.extensions["caseapp.keyring"]
    old_kek = ring.active_kek_id
    runner = app.test_cli_runner()
    result = runner.invoke(args=["keys", "rotate"])
    assert result.exit_code == 0, result.output
    assert ring.active_kek_id != old_kek
    assert Keyring.load(ring.path).active_kek_id == ring.active_kek_id
    kek_ids = db.session.execute(text("SELECT DISTINCT kek_id FROM subject_key")).scalars().all()
    assert kek_ids == [ring.active_kek_id]
    # Readable with a keyring holding only the new key: nothing still depends on the old one.
    ring.keks = [k for k in ring.keks if k[0] != old_kek]
    ring._ciphers.clear()
    db.session.remove()
    assert db.session.get(Person, uuid.UUID(person_id)).first_name == "Hodan"


def test_rotate_is_one_transaction(app, ctx):
    make_person(app)
    ring = app.extensions["caseapp.keyring"]
    before = db.session.execute(text("SELECT wrapped FROM subject_key")).scalars().all()
    count = rotate_keys(db.session, ring)
    db.session.rollback()  # as if the commit failed
    ring.keks.pop(0)
    ring._ciphers.clear()
    assert count == 1
    assert db.session.execute(text("SELECT wrapped FROM subject_key")).scalars().all() == before


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.one_of(st.just(""), st.text(max_size=50), st.text(min_size=2000, max_size=6000)))
def test_any_text_survives_a_round_trip_through_the_database(app, value):
    with app.app_context():
        person = Person(first_name="X", notes=value)
        db.session.add(person)
        db.session.commit()
        pid = person.id
        db.session.remove()
        assert db.session.get(Person, pid).notes == value
        db.session.execute(db.delete(Person).where(Person.id == pid))
        db.session.commit()
        db.session.remove()
