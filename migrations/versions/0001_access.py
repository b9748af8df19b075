"""Clients and the append-only audit trail of credit reads.

Revision ID: 0001_access
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001_access"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "access_client",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False, unique=True),
        sa.Column("audience", sa.String(32), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.CheckConstraint("audience IN ('PROCUREMENT','PROJECT_APPROVAL','PERSONNEL',"
                           "'SUPERVISION','CREDIT_OFFICE')", name="audience"),
    )
    op.create_table(
        "access_audit_entry",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False, index=True),
        sa.Column("client_name", sa.String(100), nullable=False, index=True),
        sa.Column("operation", sa.Text()),
        sa.Column("field", sa.Text(), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("subject_ids", postgresql.ARRAY(sa.Text()), nullable=False),
    )
    op.create_index("ix_access_audit_entry_subject_ids", "access_audit_entry", ["subject_ids"],
                    postgresql_using="gin")
    # The audit trail is append-only: the database itself refuses to change or drop a row.
    op.execute("""
        CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '% on % is not allowed: rows are never changed or deleted',
                TG_OP, TG_TABLE_NAME;
        END $$;
    """)
    op.execute("""
        CREATE TRIGGER access_audit_entry_append_only
        BEFORE UPDATE OR DELETE ON access_audit_entry
        FOR EACH ROW EXECUTE FUNCTION refuse_change();
    """)


def downgrade() -> None:
    op.drop_table("access_audit_entry")
    op.execute("DROP FUNCTION refuse_change()")
    op.drop_table("access_client")
