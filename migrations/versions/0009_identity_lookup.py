"""Identity-number look-ups: an append-only audit and a per-client hourly budget.

A look-up by identity number is itself processing of personal data and an oracle (DOMAIN.md
section 1): every look-up, found or not, admitted or refused, is one row here, never changed
or deleted. `access_client.id_lookups_per_hour` is a client's own budget of distinct numbers
per hour (null: the server default). `identity_lookup_window` takes the client's lock and then
reads its window in one call, so that the count sees every look-up committed before the lock
(a statement's snapshot is taken when it starts; inside the function each query takes its own).
The masked form keeps less from now on: the stored masks are cut to their last 2 characters.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_identity_lookup"
down_revision = "0008_ppp"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("access_client", sa.Column("id_lookups_per_hour", sa.Integer()))
    op.create_check_constraint("id_lookups_per_hour", "access_client",
                               "id_lookups_per_hour IS NULL OR id_lookups_per_hour > 0")
    op.create_table(
        "access_identity_lookup",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.func.now(),
                  nullable=False),
        sa.Column("client_name", sa.String(100), nullable=False),
        sa.Column("request_id", sa.String(64), nullable=False),
        sa.Column("id_hash", sa.String(64), nullable=False),
        sa.Column("found", sa.Boolean()),
        sa.Column("refused", sa.String(32)),
        sa.CheckConstraint("refused IS NULL OR refused IN ('HOURLY_BUDGET', 'PER_REQUEST')",
                           name="refused"),
        sa.CheckConstraint("(refused IS NULL) = (found IS NOT NULL)", name="found_when_admitted"),
    )
    op.create_index("ix_access_identity_lookup_client_at", "access_identity_lookup",
                    ["client_name", "at"])
    op.execute("""
        CREATE TRIGGER access_identity_lookup_append_only
        BEFORE UPDATE OR DELETE ON access_identity_lookup
        FOR EACH ROW EXECUTE FUNCTION refuse_change();
    """)
    op.execute("""
        CREATE TRIGGER access_identity_lookup_never_truncated
        BEFORE TRUNCATE ON access_identity_lookup
        FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
    """)
    op.execute("""
        CREATE FUNCTION identity_lookup_window(client text, since timestamptz)
        RETURNS TABLE (id_hash varchar, first_at timestamptz) LANGUAGE plpgsql VOLATILE AS $$
        BEGIN
            PERFORM pg_advisory_xact_lock(hashtextextended('identity_lookup:' || client, 0));
            RETURN QUERY
                SELECT l.id_hash, min(l.at) FROM access_identity_lookup l
                WHERE l.client_name = client AND l.at > since AND l.refused IS NULL
                GROUP BY l.id_hash ORDER BY min(l.at);
        END $$;
    """)
    op.execute("UPDATE subject_civil_servant SET masked_id_number = "
               "repeat('*', 16) || right(masked_id_number, 2)")


def downgrade() -> None:
    op.execute("DROP FUNCTION identity_lookup_window(text, timestamptz)")
    op.drop_table("access_identity_lookup")
    op.drop_constraint("ck_access_client_id_lookups_per_hour", "access_client")
    op.drop_column("access_client", "id_lookups_per_hour")
