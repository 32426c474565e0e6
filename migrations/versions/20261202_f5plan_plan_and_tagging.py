"""the plan: funding periods, themes, goals, delaftaler with versions, delmål, targets and tags

Revision ID: f5plan
Revises: e4peopleidx
Create Date: 2026-12-02 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f5plan'
down_revision = 'e4peopleidx'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('funding_period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('funder', sa.String(length=120), nullable=False),
    sa.Column('grant_name', sa.String(length=40), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('name_da', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_period'))
    )
    with op.batch_alter_table('funding_period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_period_is_current'), ['is_current'], unique=False)

    op.create_table('funding_partner',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('share_percent', sa.Double(), nullable=True),
    sa.ForeignKeyConstraint(['period_id'], ['funding_period.id'], name=op.f('fk_funding_partner_period_id_funding_period'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_partner'))
    )
    with op.batch_alter_table('funding_partner', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_partner_period_id'), ['period_id'], unique=False)

    op.create_table('municipal_goal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_da', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['funding_period.id'], name=op.f('fk_municipal_goal_period_id_funding_period'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_municipal_goal'))
    )
    with op.batch_alter_table('municipal_goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_municipal_goal_period_id'), ['period_id'], unique=False)

    op.create_table('plan_strategic_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('title_da', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('parties', sa.Text(), nullable=False),
    sa.Column('agreed_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['funding_period.id'], name=op.f('fk_plan_strategic_agreement_period_id_funding_period'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_strategic_agreement')),
    sa.UniqueConstraint('period_id', name=op.f('uq_plan_strategic_agreement_period_id'))
    )
    op.create_table('plan_theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_da', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['funding_period.id'], name=op.f('fk_plan_theme_period_id_funding_period'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_theme'))
    )
    with op.batch_alter_table('plan_theme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_theme_period_id'), ['period_id'], unique=False)

    op.create_table('plan_agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('strategic_agreement_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=False),
    sa.Column('latest_number', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['strategic_agreement_id'], ['plan_strategic_agreement.id'], name=op.f('fk_plan_agreement_strategic_agreement_id_plan_strategic_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['theme_id'], ['plan_theme.id'], name=op.f('fk_plan_agreement_theme_id_plan_theme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_agreement')),
    sa.UniqueConstraint('theme_id', name=op.f('uq_plan_agreement_theme_id'))
    )
    with op.batch_alter_table('plan_agreement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_agreement_strategic_agreement_id'), ['strategic_agreement_id'], unique=False)

    op.create_table('plan_theme_mapping',
    sa.Column('from_theme_id', sa.Integer(), nullable=False),
    sa.Column('to_theme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['from_theme_id'], ['plan_theme.id'], name=op.f('fk_plan_theme_mapping_from_theme_id_plan_theme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['to_theme_id'], ['plan_theme.id'], name=op.f('fk_plan_theme_mapping_to_theme_id_plan_theme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('from_theme_id', 'to_theme_id', name=op.f('pk_plan_theme_mapping'))
    )
    with op.batch_alter_table('plan_theme_mapping', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_theme_mapping_to_theme_id'), ['to_theme_id'], unique=False)

    op.create_table('plan_agreement_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title_da', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('parties', sa.Text(), nullable=False),
    sa.Column('agreed_on', sa.Date(), nullable=True),
    sa.Column('approval_state', sa.String(length=12), nullable=False),
    sa.Column('summary_da', sa.Text(), nullable=False),
    sa.Column('summary_en', sa.Text(), nullable=False),
    sa.Column('subgoals', sa.JSON(), nullable=False),
    sa.Column('change_note', sa.String(length=300), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['plan_agreement.id'], name=op.f('fk_plan_agreement_version_agreement_id_plan_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_plan_agreement_version_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_agreement_version')),
    sa.UniqueConstraint('agreement_id', 'number', name=op.f('uq_plan_agreement_version_agreement_id'))
    )
    op.create_table('plan_subgoal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_da', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['plan_agreement.id'], name=op.f('fk_plan_subgoal_agreement_id_plan_agreement'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_subgoal'))
    )
    with op.batch_alter_table('plan_subgoal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_subgoal_agreement_id'), ['agreement_id'], unique=False)

    op.create_table('plan_tag',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_type', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.String(length=64), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('goal_id', sa.Integer(), nullable=True),
    sa.Column('subgoal_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['municipal_goal.id'], name=op.f('fk_plan_tag_goal_id_municipal_goal')),
    sa.ForeignKeyConstraint(['period_id'], ['funding_period.id'], name=op.f('fk_plan_tag_period_id_funding_period')),
    sa.ForeignKeyConstraint(['subgoal_id'], ['plan_subgoal.id'], name=op.f('fk_plan_tag_subgoal_id_plan_subgoal')),
    sa.ForeignKeyConstraint(['theme_id'], ['plan_theme.id'], name=op.f('fk_plan_tag_theme_id_plan_theme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_tag')),
    sa.UniqueConstraint('record_type', 'record_id', 'period_id', name=op.f('uq_plan_tag_record_type'))
    )
    with op.batch_alter_table('plan_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_tag_goal_id'), ['goal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_tag_period_id'), ['period_id'], unique=False)
        batch_op.create_index('ix_plan_tag_record', ['record_type', 'record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_tag_subgoal_id'), ['subgoal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_plan_tag_theme_id'), ['theme_id'], unique=False)

    op.create_table('plan_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subgoal_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('measure_da', sa.String(length=300), nullable=False),
    sa.Column('measure_en', sa.String(length=300), nullable=False),
    sa.Column('unit_da', sa.String(length=60), nullable=False),
    sa.Column('unit_en', sa.String(length=60), nullable=False),
    sa.Column('baseline', sa.Double(), nullable=True),
    sa.Column('target_value', sa.Double(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['subgoal_id'], ['plan_subgoal.id'], name=op.f('fk_plan_target_subgoal_id_plan_subgoal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_target'))
    )
    with op.batch_alter_table('plan_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_target_subgoal_id'), ['subgoal_id'], unique=False)



def downgrade():
    with op.batch_alter_table('plan_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_target_subgoal_id'))

    op.drop_table('plan_target')
    with op.batch_alter_table('plan_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_tag_theme_id'))
        batch_op.drop_index(batch_op.f('ix_plan_tag_subgoal_id'))
        batch_op.drop_index('ix_plan_tag_record')
        batch_op.drop_index(batch_op.f('ix_plan_tag_period_id'))
        batch_op.drop_index(batch_op.f('ix_plan_tag_goal_id'))

    op.drop_table('plan_tag')
    with op.batch_alter_table('plan_subgoal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_subgoal_agreement_id'))

    op.drop_table('plan_subgoal')
    op.drop_table('plan_agreement_version')
    with op.batch_alter_table('plan_theme_mapping', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_theme_mapping_to_theme_id'))

    op.drop_table('plan_theme_mapping')
    with op.batch_alter_table('plan_agreement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_agreement_strategic_agreement_id'))

    op.drop_table('plan_agreement')
    with op.batch_alter_table('plan_theme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_theme_period_id'))

    op.drop_table('plan_theme')
    op.drop_table('plan_strategic_agreement')
    with op.batch_alter_table('municipal_goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_municipal_goal_period_id'))

    op.drop_table('municipal_goal')
    with op.batch_alter_table('funding_partner', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_partner_period_id'))

    op.drop_table('funding_partner')
    with op.batch_alter_table('funding_period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_period_is_current'))

    op.drop_table('funding_period')
