"""login locks per account and address

Revision ID: f6loginlock
Revises: e4peopleidx
Create Date: 2026-12-01 09:00:00

Failed logins counted per account and address (and wrong second-factor codes per account),
replacing the account-wide counter on the user row, which let anyone lock out any account.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f6loginlock'
down_revision = 'e4peopleidx'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_lock',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(), nullable=True),
    sa.Column('locked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_login_lock_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_lock')),
    sa.UniqueConstraint('user_id', 'address', name=op.f('uq_login_lock_user_id'))
    )
    # A lock still running carries over, for every address (the old counter was account-wide).
    op.execute("INSERT INTO login_lock (user_id, address, failures, locked_until) "
               "SELECT id, '*', 0, locked_until FROM \"user\" WHERE locked_until IS NOT NULL")
    # Not batch mode: on SQLite that copies and drops the user table, and dropping it would cascade
    # to every session, token and recovery code. SQLite (3.35+) drops a plain column in place.
    op.drop_column('user', 'locked_until')
    op.drop_column('user', 'failed_logins')


def downgrade():
    op.add_column('user', sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
    op.add_column('user', sa.Column('locked_until', sa.DateTime(), nullable=True))
    op.drop_table('login_lock')
