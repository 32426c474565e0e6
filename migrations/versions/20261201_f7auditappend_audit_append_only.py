"""audit table append-only

Revision ID: f7auditappend
Revises: f6loginlock
Create Date: 2026-12-01 10:00:00

The database itself refuses UPDATE and DELETE on audit_event, so the application (or anyone with
its credentials) cannot rewrite or shorten the access log. The retention purge is the one path
through (caseapp/audit/append_only.py): on PostgreSQL a transaction that did
SET LOCAL caseapp.audit_purge = 'on'; on SQLite the purge drops and re-creates these triggers
inside its own transaction.
"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'f7auditappend'
down_revision = 'f6loginlock'
branch_labels = None
depends_on = None

PG_FUNCTION = """
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE') AND current_setting('caseapp.audit_purge', true) = 'on' THEN
        IF TG_LEVEL = 'ROW' THEN
            RETURN OLD;
        END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$
"""


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(PG_FUNCTION)
        op.execute('CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event '
                   'FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()')
        op.execute('CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event '
                   'FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()')
    else:
        op.execute("CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
                   "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: UPDATE refused'); END")
        op.execute("CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event "
                   "BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused'); END")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER audit_event_no_truncate ON audit_event')
        op.execute('DROP TRIGGER audit_event_append_only ON audit_event')
        op.execute('DROP FUNCTION audit_event_append_only()')
    else:
        op.execute('DROP TRIGGER audit_event_no_delete')
        op.execute('DROP TRIGGER audit_event_no_update')
