"""key generation: cached data keys are dropped everywhere after an erasure or a rotation

Revision ID: f5keygen
Revises: e4peopleidx
Create Date: 2026-12-02 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f5keygen'
down_revision = 'e4peopleidx'
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


def downgrade():
    op.drop_table('key_generation')
