"""parent counselling

Revision ID: b1c0un5e11ing
Revises: ad47a253e5b9
Create Date: 2026-11-23 16:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0un5e11ing'
down_revision = 'ad47a253e5b9'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
