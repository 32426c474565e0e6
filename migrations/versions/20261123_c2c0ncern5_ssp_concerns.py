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
    op.create_table('concern',
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('filed_by_id', sa.Integer(), nullable=True),
    sa.Column('observed_on', sa.Date(), nullable=False),
    sa.Column('area', sa.String(length=80), nullable=False),
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('summary', sa.LargeBinary(), nullable=False),
    sa.Column('description', sa.LargeBinary(), nullable=False),
    sa.Column('child_knows', sa.Boolean(), nullable=False),
    sa.Column('parents_know', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('state_changed_at', sa.DateTime(), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['filed_by_id'], ['user.id'], name=op.f('fk_concern_filed_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_concern_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concern'))
    )
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concern_filed_by_id'), ['filed_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_concern_person_id'), ['person_id'], unique=False)
        batch_op.create_index('ix_concern_state_severity', ['state', 'severity'], unique=False)

    op.create_table('concern_action',
    sa.Column('concern_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('text', sa.LargeBinary(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('done_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['concern_id'], ['concern.id'], name=op.f('fk_concern_action_concern_id_concern'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_concern_action_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_concern_action_owner_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_concern_action_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concern_action'))
    )
    with op.batch_alter_table('concern_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concern_action_concern_id'), ['concern_id'], unique=False)

    op.create_table('concern_involved',
    sa.Column('concern_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['concern_id'], ['concern.id'], name=op.f('fk_concern_involved_concern_id_concern'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_concern_involved_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('concern_id', 'person_id', name=op.f('pk_concern_involved'))
    )
    with op.batch_alter_table('concern_involved', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concern_involved_person_id'), ['person_id'], unique=False)

    op.create_table('concern_notification',
    sa.Column('concern_id', sa.Uuid(), nullable=False),
    sa.Column('duty_holder_id', sa.Integer(), nullable=True),
    sa.Column('flagged_by_id', sa.Integer(), nullable=True),
    sa.Column('flagged_at', sa.DateTime(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('sent_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('acknowledge_due_on', sa.Date(), nullable=True),
    sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
    sa.Column('acknowledged_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['acknowledged_recorded_by_id'], ['user.id'], name=op.f('fk_concern_notification_acknowledged_recorded_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['concern_id'], ['concern.id'], name=op.f('fk_concern_notification_concern_id_concern'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['duty_holder_id'], ['user.id'], name=op.f('fk_concern_notification_duty_holder_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['flagged_by_id'], ['user.id'], name=op.f('fk_concern_notification_flagged_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sent_recorded_by_id'], ['user.id'], name=op.f('fk_concern_notification_sent_recorded_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concern_notification')),
    sa.UniqueConstraint('concern_id', name=op.f('uq_concern_notification_concern_id'))
    )
    with op.batch_alter_table('concern_notification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concern_notification_duty_holder_id'), ['duty_holder_id'], unique=False)

    op.create_table('concern_share',
    sa.Column('concern_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('recipient', sa.String(length=20), nullable=False),
    sa.Column('legal_basis', sa.String(length=30), nullable=False),
    sa.Column('consent_purpose', sa.String(length=40), nullable=True),
    sa.Column('purpose', sa.LargeBinary(), nullable=False),
    sa.Column('parts', sa.String(length=120), nullable=False),
    sa.Column('shared_by_id', sa.Integer(), nullable=True),
    sa.Column('shared_at', sa.DateTime(), nullable=False),
    sa.Column('expires_on', sa.Date(), nullable=False),
    sa.Column('ended_at', sa.DateTime(), nullable=True),
    sa.Column('ended_by_id', sa.Integer(), nullable=True),
    sa.Column('end_reason', sa.LargeBinary(), nullable=True),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['concern_id'], ['concern.id'], name=op.f('fk_concern_share_concern_id_concern'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ended_by_id'], ['user.id'], name=op.f('fk_concern_share_ended_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_concern_share_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shared_by_id'], ['user.id'], name=op.f('fk_concern_share_shared_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concern_share'))
    )
    with op.batch_alter_table('concern_share', schema=None) as batch_op:
        batch_op.create_index('ix_concern_share_active', ['recipient', 'ended_at', 'expires_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_concern_share_concern_id'), ['concern_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_concern_share_person_id'), ['person_id'], unique=False)

    op.create_table('concern_transition',
    sa.Column('concern_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('from_state', sa.String(length=20), nullable=False),
    sa.Column('to_state', sa.String(length=20), nullable=False),
    sa.Column('outcome', sa.String(length=30), nullable=True),
    sa.Column('note', sa.LargeBinary(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_concern_transition_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['concern_id'], ['concern.id'], name=op.f('fk_concern_transition_concern_id_concern'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_concern_transition_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concern_transition'))
    )
    with op.batch_alter_table('concern_transition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concern_transition_concern_id'), ['concern_id'], unique=False)

    op.create_table('concern_amendment',
    sa.Column('concern_id', sa.Uuid(), nullable=False),
    sa.Column('person_id', sa.Uuid(), nullable=False),
    sa.Column('field', sa.String(length=20), nullable=False),
    sa.Column('transition_id', sa.Uuid(), nullable=True),
    sa.Column('text', sa.LargeBinary(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_concern_amendment_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['concern_id'], ['concern.id'], name=op.f('fk_concern_amendment_concern_id_concern'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_concern_amendment_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['transition_id'], ['concern_transition.id'], name=op.f('fk_concern_amendment_transition_id_concern_transition'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_concern_amendment'))
    )
    with op.batch_alter_table('concern_amendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_concern_amendment_concern_id'), ['concern_id'], unique=False)



def downgrade():
    with op.batch_alter_table('concern_amendment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concern_amendment_concern_id'))

    op.drop_table('concern_amendment')
    with op.batch_alter_table('concern_transition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concern_transition_concern_id'))

    op.drop_table('concern_transition')
    with op.batch_alter_table('concern_share', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concern_share_person_id'))
        batch_op.drop_index(batch_op.f('ix_concern_share_concern_id'))
        batch_op.drop_index('ix_concern_share_active')

    op.drop_table('concern_share')
    with op.batch_alter_table('concern_notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concern_notification_duty_holder_id'))

    op.drop_table('concern_notification')
    with op.batch_alter_table('concern_involved', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concern_involved_person_id'))

    op.drop_table('concern_involved')
    with op.batch_alter_table('concern_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_concern_action_concern_id'))

    op.drop_table('concern_action')
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.drop_index('ix_concern_state_severity')
        batch_op.drop_index(batch_op.f('ix_concern_person_id'))
        batch_op.drop_index(batch_op.f('ix_concern_filed_by_id'))

    op.drop_table('concern')
