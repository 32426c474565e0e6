"""the reports' breakdown keys of a person, read by id without the row

Revision ID: j1reportkeys
Revises: i1reports
Create Date: 2026-12-03 10:30:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'j1reportkeys'
down_revision = 'i1reports'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index("ix_person_report_keys", ["id", "birth_year", "gender", "area"], unique=False)


def downgrade():
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index("ix_person_report_keys")
