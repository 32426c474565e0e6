"""data protection

Revision ID: d3privacy
Revises: c2c0ncern5
Create Date: 2026-11-23 16:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd3privacy'
down_revision = 'c2c0ncern5'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
