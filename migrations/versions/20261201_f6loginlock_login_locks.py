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
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(), nullable=True))
    op.drop_table('login_lock')
