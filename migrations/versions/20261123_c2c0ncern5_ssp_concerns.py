"""ssp concerns

Revision ID: c2c0ncern5
Revises: b1c0un5e11ing
Create Date: 2026-11-23 16:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c2c0ncern5'
down_revision = 'b1c0un5e11ing'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
