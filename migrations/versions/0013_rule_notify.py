"""Rule tables announce every change: `NOTIFY integrity_rules`.

Revision ID: 0013_rule_notify
Revises: 0012_memoranda

Why: the rule tables (measure rows, sanction periods, promotion values, procurement weights)
are kept per serving process (loaders.base.RuleTableCache) instead of being read on every
request. A change made by any path (a migration, psql, a future API) must reach every process
at once, so each table has a statement-level trigger that sends a notification on channel
integrity_rules; PostgreSQL delivers it at COMMIT and each process's listener empties its
cache. A rolled-back change sends nothing.
"""

from __future__ import annotations

from alembic import op

revision = "0013_rule_notify"
down_revision = "0012_memoranda"
branch_labels = None
depends_on = None

RULE_TABLES = ("restriction_measure_rule", "restriction_sanction_period",
               "restriction_promotion_rule", "procurement_weights")


def upgrade() -> None:
    op.execute("""
        CREATE FUNCTION integrity_rules_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('integrity_rules', TG_TABLE_NAME);
            RETURN NULL;
        END $$""")
    for table in RULE_TABLES:
        op.execute(f"""
            CREATE TRIGGER {table}_announce
            AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table}
            FOR EACH STATEMENT EXECUTE FUNCTION integrity_rules_changed()""")


def downgrade() -> None:
    for table in RULE_TABLES:
        op.execute(f"DROP TRIGGER {table}_announce ON {table}")
    op.execute("DROP FUNCTION integrity_rules_changed()")
