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
    op.create_table('consent',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('purpose', sa.String(length=40), nullable=False),
    sa.Column('given_by', sa.String(length=20), nullable=False),
    sa.Column('giver_name', sa.LargeBinary(), nullable=True),
    sa.Column('method', sa.String(length=20), nullable=False),
    sa.Column('witness', sa.LargeBinary(), nullable=True),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(), nullable=True),
    sa.Column('withdrawal_reason', sa.LargeBinary(), nullable=True),
    sa.Column('withdrawn_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_consent_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user.id'], name=op.f('fk_consent_recorded_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['withdrawn_by_id'], ['user.id'], name=op.f('fk_consent_withdrawn_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consent'))
    )
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.create_index('ix_consent_person_purpose', ['person_id', 'purpose'], unique=False)

    op.create_table('erasure_record',
    sa.Column('subject_id', sa.Uuid(), nullable=False),
    sa.Column('ground', sa.String(length=30), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('erased_at', sa.DateTime(), nullable=False),
    sa.Column('erased_by_id', sa.Integer(), nullable=True),
    sa.Column('counts', sa.Text(), nullable=False),
    sa.Column('keys_retired_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['erased_by_id'], ['user.id'], name=op.f('fk_erasure_record_erased_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erasure_record'))
    )
    with op.batch_alter_table('erasure_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_erasure_record_subject_id'), ['subject_id'], unique=False)

    op.create_table('log_review_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('audit_seq', sa.Integer(), nullable=False),
    sa.Column('pattern', sa.String(length=20), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(length=20), nullable=True),
    sa.ForeignKeyConstraint(['audit_seq'], ['audit_event.seq'], name=op.f('fk_log_review_item_audit_seq_audit_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_log_review_item_reviewed_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_log_review_item')),
    sa.UniqueConstraint('month', 'audit_seq', name=op.f('uq_log_review_item_month'))
    )
    with op.batch_alter_table('log_review_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_log_review_item_audit_seq'), ['audit_seq'], unique=False)
        batch_op.create_index(batch_op.f('ix_log_review_item_month'), ['month'], unique=False)

    op.create_table('break_glass_grant',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('reason', sa.LargeBinary(), nullable=False),
    sa.Column('granted_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('reviewed_at', sa.DateTime(), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.Column('review_outcome', sa.String(length=20), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_break_glass_grant_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['user.id'], name=op.f('fk_break_glass_grant_reviewed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_break_glass_grant_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_break_glass_grant'))
    )
    with op.batch_alter_table('break_glass_grant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_break_glass_grant_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_break_glass_grant_reviewed_at'), ['reviewed_at'], unique=False)
        batch_op.create_index('ix_break_glass_grant_user_expires', ['user_id', 'expires_at'], unique=False)

    op.create_table('erased_tally',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('domain', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=60), nullable=False),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('dimension', sa.String(length=60), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_erased_tally')),
    sa.UniqueConstraint('domain', 'kind', 'period', 'dimension', name=op.f('uq_erased_tally_domain'))
    )


def downgrade():
    op.drop_table('erased_tally')
    with op.batch_alter_table('break_glass_grant', schema=None) as batch_op:
        batch_op.drop_index('ix_break_glass_grant_user_expires')
        batch_op.drop_index(batch_op.f('ix_break_glass_grant_reviewed_at'))
        batch_op.drop_index(batch_op.f('ix_break_glass_grant_person_id'))

    op.drop_table('break_glass_grant')
    with op.batch_alter_table('log_review_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_log_review_item_month'))
        batch_op.drop_index(batch_op.f('ix_log_review_item_audit_seq'))

    op.drop_table('log_review_item')
    with op.batch_alter_table('erasure_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_erasure_record_subject_id'))

    op.drop_table('erasure_record')
    with op.batch_alter_table('consent', schema=None) as batch_op:
        batch_op.drop_index('ix_consent_person_purpose')

    op.drop_table('consent')
