"""key generation (cached data keys are dropped everywhere after an erasure or a rotation);
an assignment index that answers "is this person assigned to this user" by one probe

Revision ID: g6perf
Revises: f5plan
Create Date: 2026-12-02 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'g6perf'
down_revision = 'f5plan'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'key_generation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('stamp', sa.String(length=32), nullable=False),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_key_generation')),
    )
    # person first: a detail view's visibility check finds this person's few assignments, where an
    # index led by user_id would walk the user's whole caseload.
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index('ix_assignment_person_id')
        batch_op.create_index('ix_assignment_person_user', ['person_id', 'user_id', 'programme'], unique=False)


def downgrade():
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_index('ix_assignment_person_user')
        batch_op.create_index('ix_assignment_person_id', ['person_id'], unique=False)
    op.drop_table('key_generation')
