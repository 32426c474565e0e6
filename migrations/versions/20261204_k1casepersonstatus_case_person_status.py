"""a counselling case found by person and status: the pair replaces the person's own index

Revision ID: k1casepersonstatus
Revises: j1reportkeys
Create Date: 2026-12-04 04:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'k1casepersonstatus'
down_revision = 'j1reportkeys'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("counselling_case", schema=None) as batch_op:
        batch_op.create_index("ix_counselling_case_person_status", ["person_id", "status"], unique=False)
        batch_op.drop_index("ix_counselling_case_person_id")


def downgrade():
    with op.batch_alter_table("counselling_case", schema=None) as batch_op:
        batch_op.create_index("ix_counselling_case_person_id", ["person_id"], unique=False)
        batch_op.drop_index("ix_counselling_case_person_status")
