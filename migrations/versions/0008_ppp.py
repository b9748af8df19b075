"""PPP projects, responsibilities per stage, events and their frozen traces (DOMAIN.md section 7).

Revision ID: 0008_ppp
Revises: 0006_truncate_guard

Evidence is never deleted or truncated: projects and responsibilities are updated in place
(re-sent projects; a re-sent assignment changes role and endedOn), events and traces are
append-only (the trace is frozen when the event is recorded). A credit record's link to the
event that wrote it (credit_record.ppp_event_id) is set once and never changed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008_ppp"
down_revision = "0007_investment"
branch_labels = None
depends_on = None

CREDIT_RECORD_FK = "fk_credit_record_ppp_event_id_ppp_event"
STAGES = "('PREPARATION','TENDERING','PROCUREMENT','FINANCING','IMPLEMENTATION')"
GUARDS = (("ppp_project", "DELETE"), ("ppp_responsibility", "DELETE"),
          ("ppp_event", "UPDATE OR DELETE"), ("ppp_trace", "UPDATE OR DELETE"))


def _stamps() -> list[sa.Column[object]]:
    return [sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                      nullable=False),
            sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                      nullable=False)]


def _projects() -> None:
    op.create_table(
        "ppp_project",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("code", sa.String(100), nullable=False, unique=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("implementing_agency_id", sa.Uuid(), sa.ForeignKey("subject_unit.id"),
                  nullable=False, index=True),
        sa.Column("current_stage", sa.String(16), nullable=False),
        sa.Column("social_capital_parties", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("consultants", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("contracts", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("reported_by", sa.String(100), nullable=False),
        *_stamps(),
        sa.CheckConstraint(f"current_stage IN {STAGES}", name="stage_known"),
    )
    op.create_table(
        "ppp_responsibility",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("project_id", sa.Uuid(), sa.ForeignKey("ppp_project.id"), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("civil_servant_id", sa.Uuid(), sa.ForeignKey("subject_civil_servant.id"),
                  nullable=False, index=True),
        sa.Column("role", sa.String(200), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date()),
        sa.Column("assigned_by", sa.String(100), nullable=False),
        *_stamps(),
        sa.UniqueConstraint("project_id", "stage", "civil_servant_id", "started_on"),
        sa.CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="period_order"),
        sa.CheckConstraint(f"stage IN {STAGES}", name="stage_known"),
    )


def _events() -> None:
    op.create_table(
        "ppp_event",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("project_id", sa.Uuid(), sa.ForeignKey("ppp_project.id"), nullable=False),
        sa.Column("stage", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("severity", sa.String(16)),
        sa.Column("source_ref", sa.String(120), nullable=False),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.UniqueConstraint("project_id", "source_ref"),
        sa.CheckConstraint(f"stage IN {STAGES}", name="stage_known"),
        sa.CheckConstraint("(kind = 'COMMITMENT_BROKEN') = (severity IS NOT NULL)",
                           name="severity_with_broken"),
    )
    op.create_table(
        "ppp_trace",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("event_id", sa.Uuid(), sa.ForeignKey("ppp_event.id"), nullable=False,
                  index=True),
        sa.Column("responsibility_id", sa.Uuid(), sa.ForeignKey("ppp_responsibility.id"),
                  nullable=False),
        sa.Column("civil_servant_id", sa.Uuid(), sa.ForeignKey("subject_civil_servant.id"),
                  nullable=False),
        sa.Column("role", sa.String(200), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date()),
        sa.UniqueConstraint("event_id", "responsibility_id"),
    )


def _protect() -> None:
    for table, operations in GUARDS:
        op.execute(f"""
            CREATE TRIGGER {table}_protected BEFORE {operations} ON {table}
            FOR EACH ROW EXECUTE FUNCTION refuse_change();
        """)
        op.execute(f"""
            CREATE TRIGGER {table}_never_truncated BEFORE TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
        """)
    # The records an event wrote stay its records: the link is set on insert, never changed.
    op.execute("""
        CREATE TRIGGER credit_record_ppp_event_frozen BEFORE UPDATE OF ppp_event_id
        ON credit_record FOR EACH ROW
        WHEN (OLD.ppp_event_id IS DISTINCT FROM NEW.ppp_event_id)
        EXECUTE FUNCTION refuse_change();
    """)


def upgrade() -> None:
    _projects()
    _events()
    op.create_foreign_key(CREDIT_RECORD_FK, "credit_record", "ppp_event", ["ppp_event_id"],
                          ["id"])
    _protect()


def downgrade() -> None:
    op.execute("DROP TRIGGER credit_record_ppp_event_frozen ON credit_record")
    op.drop_constraint(CREDIT_RECORD_FK, "credit_record", type_="foreignkey")
    for table in ("ppp_trace", "ppp_event", "ppp_responsibility", "ppp_project"):
        op.drop_table(table)
