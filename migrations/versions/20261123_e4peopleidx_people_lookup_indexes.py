"""people lookup indexes

Revision ID: e4peopleidx
Revises: d3privacy
Create Date: 2026-11-23 17:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e4peopleidx'
down_revision = 'd3privacy'
branch_labels = None
depends_on = None


def upgrade():
    # Households of a person (person page, visibility of households) without a table scan.
    with op.batch_alter_table('household_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_household_member_person_id'), ['person_id'], unique=False)
    # The register, newest first, a page at a time (a leader's list of everyone).
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index('ix_person_created_at', ['created_at'], unique=False)


def downgrade():
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_created_at')
    with op.batch_alter_table('household_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_household_member_person_id'))
