"""civil society: associations, support, volunteers with child-protection vetting, placements, hours,
activities with occurrences and anonymous head counts

Revision ID: h10community
Revises: h9courses
Create Date: 2026-12-02 12:28:05.610766

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'h10community'
down_revision = 'h9courses'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('community_volunteer',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_community_volunteer_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_community_volunteer_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_volunteer')),
    sa.UniqueConstraint('person_id', name=op.f('uq_community_volunteer_person_id'))
    )
    with op.batch_alter_table('community_volunteer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_volunteer_ended_on'), ['ended_on'], unique=False)

    op.create_table('community_association',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('tag_key', sa.String(length=36), nullable=False),
    sa.Column('cvr', sa.String(length=8), nullable=True),
    sa.Column('folkeoplysende', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('contact_volunteer_id', sa.Uuid(), nullable=True),
    sa.Column('declared_on', sa.Date(), nullable=True),
    sa.Column('description', sa.String(length=2000), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['contact_volunteer_id'], ['community_volunteer.id'], name=op.f('fk_community_association_contact_volunteer_id_community_volunteer'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_community_association_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_association')),
    sa.UniqueConstraint('tag_key', name=op.f('uq_community_association_tag_key'))
    )
    with op.batch_alter_table('community_association', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_association_active'), ['active'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_association_declared_on'), ['declared_on'], unique=False)
        batch_op.create_index('ix_community_association_name', ['name'], unique=False)

    op.create_table('community_vetting',
    sa.Column('volunteer_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('requested_on', sa.Date(), nullable=False),
    sa.Column('consent_on', sa.Date(), nullable=True),
    sa.Column('consent_refused_on', sa.Date(), nullable=True),
    sa.Column('received_on', sa.Date(), nullable=True),
    sa.Column('assessment', sa.String(length=20), nullable=True),
    sa.Column('assessed_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assessed_by_id'], ['user.id'], name=op.f('fk_community_vetting_assessed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_community_vetting_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['community_volunteer.id'], name=op.f('fk_community_vetting_volunteer_id_community_volunteer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_vetting'))
    )
    with op.batch_alter_table('community_vetting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_vetting_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_community_vetting_volunteer', ['volunteer_id', 'requested_on'], unique=False)

    op.create_table('community_activity',
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('tag_key', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('area', sa.String(length=80), nullable=True),
    sa.Column('organiser', sa.String(length=20), nullable=False),
    sa.Column('association_id', sa.Uuid(), nullable=True),
    sa.Column('organiser_user_id', sa.Integer(), nullable=True),
    sa.Column('for_under_15', sa.Boolean(), nullable=False),
    sa.Column('recurring', sa.Boolean(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('description', sa.String(length=2000), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['association_id'], ['community_association.id'], name=op.f('fk_community_activity_association_id_community_association'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_community_activity_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organiser_user_id'], ['user.id'], name=op.f('fk_community_activity_organiser_user_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_activity')),
    sa.UniqueConstraint('tag_key', name=op.f('uq_community_activity_tag_key'))
    )
    with op.batch_alter_table('community_activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_activity_association_id'), ['association_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_activity_kind'), ['kind'], unique=False)
        batch_op.create_index('ix_community_activity_starts_on', ['starts_on'], unique=False)

    op.create_table('community_support',
    sa.Column('association_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('amount', sa.Numeric(precision=12, scale=2, asdecimal=False), nullable=True),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('amount >= 0', name=op.f('ck_community_support_amount_not_negative')),
    sa.ForeignKeyConstraint(['association_id'], ['community_association.id'], name=op.f('fk_community_support_association_id_community_association'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_community_support_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_support'))
    )
    with op.batch_alter_table('community_support', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_support_association_id'), ['association_id'], unique=False)

    op.create_table('community_volunteer_association',
    sa.Column('volunteer_id', sa.Uuid(), nullable=False),
    sa.Column('association_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['association_id'], ['community_association.id'], name=op.f('fk_community_volunteer_association_association_id_community_association'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['community_volunteer.id'], name=op.f('fk_community_volunteer_association_volunteer_id_community_volunteer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('volunteer_id', 'association_id', name=op.f('pk_community_volunteer_association'))
    )
    with op.batch_alter_table('community_volunteer_association', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_community_volunteer_association_association_id'), ['association_id'], unique=False)

    op.create_table('community_hours',
    sa.Column('volunteer_id', sa.Uuid(), nullable=True),
    sa.Column('person_id', sa.Uuid(), nullable=True),
    sa.Column('activity_id', sa.Uuid(), nullable=False),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('hours', sa.Numeric(precision=7, scale=2, asdecimal=False), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.CheckConstraint('hours > 0', name=op.f('ck_community_hours_hours_positive')),
    sa.ForeignKeyConstraint(['activity_id'], ['community_activity.id'], name=op.f('fk_community_hours_activity_id_community_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_community_hours_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_community_hours_person_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['community_volunteer.id'], name=op.f('fk_community_hours_volunteer_id_community_volunteer'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_hours'))
    )
    with op.batch_alter_table('community_hours', schema=None) as batch_op:
        batch_op.create_index('ix_community_hours_activity', ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_hours_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_community_hours_volunteer_day', ['volunteer_id', 'given_on'], unique=False)

    op.create_table('community_occurrence',
    sa.Column('activity_id', sa.Uuid(), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('total >= 0', name=op.f('ck_community_occurrence_total_not_negative')),
    sa.ForeignKeyConstraint(['activity_id'], ['community_activity.id'], name=op.f('fk_community_occurrence_activity_id_community_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_community_occurrence_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_occurrence'))
    )
    with op.batch_alter_table('community_occurrence', schema=None) as batch_op:
        batch_op.create_index('ix_community_occurrence_activity_day', ['activity_id', 'held_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_occurrence_held_on'), ['held_on'], unique=False)

    op.create_table('community_placement',
    sa.Column('volunteer_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('activity_id', sa.Uuid(), nullable=False),
    sa.Column('role', sa.String(length=100), nullable=True),
    sa.Column('children_contact', sa.Boolean(), nullable=False),
    sa.Column('placed_on', sa.Date(), nullable=False),
    sa.Column('vetting_status', sa.String(length=10), nullable=False),
    sa.Column('override_reason', sa.LargeBinary(), nullable=True),
    sa.Column('override_by_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['community_activity.id'], name=op.f('fk_community_placement_activity_id_community_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_community_placement_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['override_by_id'], ['user.id'], name=op.f('fk_community_placement_override_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_community_placement_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['community_volunteer.id'], name=op.f('fk_community_placement_volunteer_id_community_volunteer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_placement')),
    sa.UniqueConstraint('volunteer_id', 'activity_id', name='uq_community_placement')
    )
    with op.batch_alter_table('community_placement', schema=None) as batch_op:
        batch_op.create_index('ix_community_placement_activity', ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_community_placement_person_id'), ['person_id'], unique=False)

    op.create_table('community_headcount',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('occurrence_id', sa.Uuid(), nullable=False),
    sa.Column('age_band', sa.String(length=10), nullable=False),
    sa.Column('gender', sa.String(length=10), nullable=False),
    sa.Column('resident', sa.Boolean(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.CheckConstraint('count >= 0', name=op.f('ck_community_headcount_count_not_negative')),
    sa.ForeignKeyConstraint(['occurrence_id'], ['community_occurrence.id'], name=op.f('fk_community_headcount_occurrence_id_community_occurrence'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_community_headcount')),
    sa.UniqueConstraint('occurrence_id', 'age_band', 'gender', 'resident', name='uq_community_headcount_cell')
    )


def downgrade():
    op.drop_table('community_headcount')
    with op.batch_alter_table('community_placement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_placement_person_id'))
        batch_op.drop_index('ix_community_placement_activity')

    op.drop_table('community_placement')
    with op.batch_alter_table('community_occurrence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_occurrence_held_on'))
        batch_op.drop_index('ix_community_occurrence_activity_day')

    op.drop_table('community_occurrence')
    with op.batch_alter_table('community_hours', schema=None) as batch_op:
        batch_op.drop_index('ix_community_hours_volunteer_day')
        batch_op.drop_index(batch_op.f('ix_community_hours_person_id'))
        batch_op.drop_index('ix_community_hours_activity')

    op.drop_table('community_hours')
    with op.batch_alter_table('community_volunteer_association', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_volunteer_association_association_id'))

    op.drop_table('community_volunteer_association')
    with op.batch_alter_table('community_support', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_support_association_id'))

    op.drop_table('community_support')
    with op.batch_alter_table('community_activity', schema=None) as batch_op:
        batch_op.drop_index('ix_community_activity_starts_on')
        batch_op.drop_index(batch_op.f('ix_community_activity_kind'))
        batch_op.drop_index(batch_op.f('ix_community_activity_association_id'))

    op.drop_table('community_activity')
    with op.batch_alter_table('community_vetting', schema=None) as batch_op:
        batch_op.drop_index('ix_community_vetting_volunteer')
        batch_op.drop_index(batch_op.f('ix_community_vetting_person_id'))

    op.drop_table('community_vetting')
    with op.batch_alter_table('community_association', schema=None) as batch_op:
        batch_op.drop_index('ix_community_association_name')
        batch_op.drop_index(batch_op.f('ix_community_association_declared_on'))
        batch_op.drop_index(batch_op.f('ix_community_association_active'))

    op.drop_table('community_association')
    with op.batch_alter_table('community_volunteer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_community_volunteer_ended_on'))

    op.drop_table('community_volunteer')
