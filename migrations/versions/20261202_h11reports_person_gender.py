"""the register's gender code on a person (statistics' breakdowns; female, male, other, unknown)

Revision ID: h11reports
Revises: h12frontline
Create Date: 2026-12-02 12:55:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'h11reports'
down_revision = 'h12frontline'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gender', sa.String(length=10), nullable=True))


def downgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_column('gender')
