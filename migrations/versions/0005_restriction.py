"""The measure list (应用清单), the promotion rule tables and the formal checks.

Revision ID: 0005_restriction
Revises: 0004_procurement

The rule values are written out here as literals (DOMAIN.md sections 4 and 5, the version
valid from 1900-01-01): a migration must never change when code changes later. A later law is
a new row from its own date. Checks are never deleted; their assessment never changes, and the
outcome is written once (trigger).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005_restriction"
down_revision = "0004_procurement"
branch_labels = None
depends_on = None

EPOCH = date(1900, 1, 1)

PUNISH = (
    "金府发〔2018〕12号《金山区加强政务诚信建设的实施方案》二.2（对存在政务失信记录的单位及其"
    "公务员，要求书面说明、限期整改，并在相应环节采取限制措施）；《上海市社会信用条例》第三十"
    "条（与失信行为相关联、相适应）；《上海市社会信用条例》第二十二条、第三十二条（应用清单公"
    "布后方可实施）；条件与措施为平台默认"
)
REWARD = (
    "金府发〔2018〕12号《金山区加强政务诚信建设的实施方案》二.2（对诚实守信的单位及其公务员，"
    "在评优评先、职务晋升等环节同等条件下予以优先考虑）；《上海市社会信用条例》第二十二条、第"
    "三十二条（应用清单公布后方可实施）；平台默认"
)
GRADE = (
    "金府发〔2018〕12号《金山区加强政务诚信建设的实施方案》二.2、三.1（加强对采购人履约验收环"
    "节信用情况的监督）；《上海市社会信用条例》第三十条；《上海市社会信用条例》第二十二条、第"
    "三十二条（应用清单公布后方可实施）；评分与等级为平台默认"
)
PROMOTION = (
    "金府发〔2018〕12号《金山区加强政务诚信建设的实施方案》二.2（职级晋升）；按晋升考量因素逐"
    "项适用，各因素另列其法律依据；《上海市社会信用条例》第二十二条、第三十二条（应用清单公布"
    "后方可实施）"
)
MEASURES = [  # code, subject kind, condition, effect, legal basis, name
    ("GOVERNMENT_PROCUREMENT.GENERAL.WRITTEN_EXPLANATION", "UNIT", "GENERAL", "WRITTEN_EXPLANATION",
     PUNISH,
     "政府采购：一般失信，书面说明 / "
     "Government procurement: general dishonesty, written explanation"),
    ("PPP.GENERAL.WRITTEN_EXPLANATION", "UNIT", "GENERAL", "WRITTEN_EXPLANATION", PUNISH,
     "政府与社会资本合作：一般失信，书面说明 / "
     "PPP: general dishonesty, written explanation"),
    ("BOND_ISSUANCE.GENERAL.WRITTEN_EXPLANATION", "UNIT", "GENERAL", "WRITTEN_EXPLANATION", PUNISH,
     "政府发债：一般失信，书面说明 / "
     "Bond issuance: general dishonesty, written explanation"),
    ("INVESTMENT_APPROVAL.GENERAL.WRITTEN_EXPLANATION", "UNIT", "GENERAL", "WRITTEN_EXPLANATION",
     PUNISH,
     "投资项目审批：一般失信，书面说明 / "
     "Investment project approval: general dishonesty, written explanation"),
    ("GOVERNMENT_PROCUREMENT.SERIOUS.RESTRICT", "UNIT", "SERIOUS", "RESTRICT", PUNISH,
     "政府采购：严重失信，限制 / "
     "Government procurement: serious dishonesty, restriction"),
    ("GOVERNMENT_PROCUREMENT.SERIOUS.RECTIFICATION", "UNIT", "SERIOUS", "RECTIFICATION", PUNISH,
     "政府采购：严重失信，限期整改 / "
     "Government procurement: serious dishonesty, rectification within a time limit"),
    ("PPP.SERIOUS.RESTRICT", "UNIT", "SERIOUS", "RESTRICT", PUNISH,
     "政府与社会资本合作：严重失信，限制 / "
     "PPP: serious dishonesty, restriction"),
    ("PPP.SERIOUS.RECTIFICATION", "UNIT", "SERIOUS", "RECTIFICATION", PUNISH,
     "政府与社会资本合作：严重失信，限期整改 / "
     "PPP: serious dishonesty, rectification within a time limit"),
    ("BOND_ISSUANCE.SERIOUS.RESTRICT", "UNIT", "SERIOUS", "RESTRICT", PUNISH,
     "政府发债：严重失信，限制 / "
     "Bond issuance: serious dishonesty, restriction"),
    ("BOND_ISSUANCE.SERIOUS.RECTIFICATION", "UNIT", "SERIOUS", "RECTIFICATION", PUNISH,
     "政府发债：严重失信，限期整改 / "
     "Bond issuance: serious dishonesty, rectification within a time limit"),
    ("INVESTMENT_APPROVAL.SERIOUS.RESTRICT", "UNIT", "SERIOUS", "RESTRICT", PUNISH,
     "投资项目审批：严重失信，限制 / "
     "Investment project approval: serious dishonesty, restriction"),
    ("INVESTMENT_APPROVAL.SERIOUS.RECTIFICATION", "UNIT", "SERIOUS", "RECTIFICATION", PUNISH,
     "投资项目审批：严重失信，限期整改 / "
     "Investment project approval: serious dishonesty, rectification within a time limit"),
    ("PILOT_APPLICATION.GENERAL.RESTRICT", "UNIT", "GENERAL", "RESTRICT", PUNISH,
     "试点申请：一般失信，限制 / "
     "Pilot application: general dishonesty, restriction"),
    ("SUBSIDY_APPLICATION.GENERAL.RESTRICT", "UNIT", "GENERAL", "RESTRICT", PUNISH,
     "政府补贴补助资金申请：一般失信，限制 / "
     "Subsidy application: general dishonesty, restriction"),
    ("PILOT_APPLICATION.SERIOUS.PROHIBIT", "UNIT", "SERIOUS", "PROHIBIT", PUNISH,
     "试点申请：严重失信，不得 / "
     "Pilot application: serious dishonesty, prohibition"),
    ("SUBSIDY_APPLICATION.SERIOUS.PROHIBIT", "UNIT", "SERIOUS", "PROHIBIT", PUNISH,
     "政府补贴补助资金申请：严重失信，不得 / "
     "Subsidy application: serious dishonesty, prohibition"),
    ("AWARDS.DISHONEST.PROHIBIT", "UNIT", "DISHONEST", "PROHIBIT", PUNISH,
     "评先评优、表彰评优：失信，不得 / "
     "Awards: dishonesty, prohibition"),
    ("AWARDS.DISHONEST.PROHIBIT", "PERSON", "DISHONEST", "PROHIBIT", PUNISH,
     "评先评优、表彰评优：失信，不得 / "
     "Awards: dishonesty, prohibition"),
    ("PERFORMANCE_ASSESSMENT.DISHONEST.RESTRICT", "UNIT", "DISHONEST", "RESTRICT", PUNISH,
     "绩效考核：失信，限制 / "
     "Performance assessment: dishonesty, restriction"),
    ("PERFORMANCE_ASSESSMENT.DISHONEST.RESTRICT", "PERSON", "DISHONEST", "RESTRICT", PUNISH,
     "绩效考核：失信，限制 / "
     "Performance assessment: dishonesty, restriction"),
    ("HIRING.GENERAL.RESTRICT", "PERSON", "GENERAL", "RESTRICT", PUNISH,
     "人员录用：一般失信，限制 / "
     "Hiring: general dishonesty, restriction"),
    ("HIRING.SERIOUS.PROHIBIT", "PERSON", "SERIOUS", "PROHIBIT", PUNISH,
     "人员录用：严重失信，不得 / "
     "Hiring: serious dishonesty, prohibition"),
    ("AWARDS.TRUSTWORTHY.PRIORITY", "UNIT", "TRUSTWORTHY", "PRIORITY", REWARD,
     "评先评优、表彰评优：守信，同等条件下优先 / "
     "Awards: trustworthiness, priority on equal terms"),
    ("AWARDS.TRUSTWORTHY.PRIORITY", "PERSON", "TRUSTWORTHY", "PRIORITY", REWARD,
     "评先评优、表彰评优：守信，同等条件下优先 / "
     "Awards: trustworthiness, priority on equal terms"),
    ("GOVERNMENT_PROCUREMENT.GRADE_C.WRITTEN_EXPLANATION", "UNIT", "GRADE_C", "WRITTEN_EXPLANATION",
     GRADE,
     "政府采购：采购人履约验收信用C级，书面说明 / "
     "Government procurement: procurement grade C, written explanation"),
    ("GOVERNMENT_PROCUREMENT.GRADE_D.RESTRICT", "UNIT", "GRADE_D", "RESTRICT", GRADE,
     "政府采购：采购人履约验收信用D级，限制 / "
     "Government procurement: procurement grade D, restriction"),
    ("GOVERNMENT_PROCUREMENT.GRADE_D.RECTIFICATION", "UNIT", "GRADE_D", "RECTIFICATION", GRADE,
     "政府采购：采购人履约验收信用D级，限期整改 / "
     "Government procurement: procurement grade D, rectification within a time limit"),
    ("PROMOTION.PROMOTION_FACTOR.PROHIBIT", "PERSON", "PROMOTION_FACTOR", "PROHIBIT", PROMOTION,
     "职务职级晋升：晋升考量因素，不得 / "
     "Promotion: promotion factor, prohibition"),
    ("PROMOTION.PROMOTION_FACTOR.RESTRICT", "PERSON", "PROMOTION_FACTOR", "RESTRICT", PROMOTION,
     "职务职级晋升：晋升考量因素，限制 / "
     "Promotion: promotion factor, restriction"),
    ("PROMOTION.PROMOTION_FACTOR.PRIORITY", "PERSON", "PROMOTION_FACTOR", "PRIORITY", PROMOTION,
     "职务职级晋升：晋升考量因素，同等条件下优先 / "
     "Promotion: promotion factor, priority on equal terms"),
]
SANCTION_PERIODS = [  # sanction, months (None: open-ended), chain group
    ("WARNING", 6, "ADMINISTRATIVE"),
    ("DEMERIT", 12, "ADMINISTRATIVE"),
    ("MAJOR_DEMERIT", 18, "ADMINISTRATIVE"),
    ("DEMOTION", 24, "ADMINISTRATIVE"),
    ("REMOVAL", 24, "ADMINISTRATIVE"),
    ("DISMISSAL", None, None),
    ("PARTY_WARNING", 12, "PARTY"),
    ("PARTY_SERIOUS_WARNING", 18, "PARTY"),
    ("PARTY_POST_REVOCATION", 24, "PARTY"),
    ("ADMONISHMENT", 6, None),
    ("POST_ADJUSTMENT", 12, None),
    ("RANK_REDUCTION", 24, None),
    ("UNDER_INVESTIGATION", None, None),
]


ADMINISTRATIVE_PERIODS = (
    "《公职人员政务处分法》第八条；《公务员法》第六十四条；《行政机关公务员处分条例》第十条"
)
PARTY_PERIODS = "《中国共产党纪律处分条例》；影响期内再受处分的合并计算（平台规则）"
ORGANISATIONAL_PERIODS = "诫勉、组织处理的有关规定（诫勉六个月，调整职务一年，降职二年）"
INVESTIGATION = "《党政领导干部选拔任用工作条例》（正在接受审查调查的，不得列为考察对象）"
PROMOTION_SOURCE = (
    "《行政机关公务员处分条例》第十条（合并处分期最长48个月）；"
    "《公务员考核规定》（不称职、基本称职：平台默认12个月）"
)


def _period_source(sanction: str, group: str | None) -> str:
    if group == "ADMINISTRATIVE" or sanction == "DISMISSAL":
        return ADMINISTRATIVE_PERIODS
    if group == "PARTY":
        return PARTY_PERIODS
    if sanction == "UNDER_INVESTIGATION":
        return INVESTIGATION
    return ORGANISATIONAL_PERIODS


def upgrade() -> None:
    _rule_tables()
    _check_table()
    _protect()


def _rule_tables() -> None:
    measures = op.create_table(
        "restriction_measure_rule",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code", sa.String(120), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("scenario", sa.String(40), nullable=False),
        sa.Column("subject_kind", sa.String(8), nullable=False),
        sa.Column("condition", sa.String(24), nullable=False),
        sa.Column("effect", sa.String(24), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date()),
        sa.Column("domains", postgresql.ARRAY(sa.String(40)), nullable=False,
                  server_default="{}"),
        sa.UniqueConstraint("code", "subject_kind", "valid_from"),
        sa.CheckConstraint("subject_kind IN ('UNIT','PERSON')", name="subject_kind"),
        sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="period"),
    )
    periods = op.create_table(
        "restriction_sanction_period",
        sa.Column("valid_from", sa.Date(), primary_key=True),
        sa.Column("sanction", sa.String(40), primary_key=True),
        sa.Column("months", sa.Integer()),
        sa.Column("chain_group", sa.String(24)),
        sa.Column("source", sa.Text(), nullable=False),
    )
    promotion = op.create_table(
        "restriction_promotion_rule",
        sa.Column("valid_from", sa.Date(), primary_key=True),
        sa.Column("chain_cap_months", sa.Integer(), nullable=False),
        sa.Column("incompetent_months", sa.Integer(), nullable=False),
        sa.Column("basic_months", sa.Integer(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
    )
    op.bulk_insert(measures, [
        {"code": code, "name": name, "scenario": code.split(".")[0], "subject_kind": kind,
         "condition": condition, "effect": effect, "legal_basis": basis, "valid_from": EPOCH,
         "valid_to": None, "domains": []}
        for code, kind, condition, effect, basis, name in MEASURES])
    op.bulk_insert(periods, [
        {"valid_from": EPOCH, "sanction": sanction, "months": months, "chain_group": group,
         "source": _period_source(sanction, group)}
        for sanction, months, group in SANCTION_PERIODS])
    op.bulk_insert(promotion, [
        {"valid_from": EPOCH, "chain_cap_months": 48, "incompetent_months": 12,
         "basic_months": 12, "source": PROMOTION_SOURCE}])


def _check_table() -> None:
    op.create_table(
        "restriction_check",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("client_name", sa.String(100), nullable=False),
        sa.Column("business_ref", sa.String(200), nullable=False),
        sa.Column("unit_id", sa.Uuid(), sa.ForeignKey("subject_unit.id")),
        sa.Column("civil_servant_id", sa.Uuid(), sa.ForeignKey("subject_civil_servant.id")),
        sa.Column("subject_id", sa.Uuid(),
                  sa.Computed("coalesce(unit_id, civil_servant_id)", persisted=True),
                  nullable=False),
        sa.Column("scenario", sa.String(40), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("decision", sa.String(24), nullable=False),
        sa.Column("measures", postgresql.JSONB(), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome_kind", sa.String(24)),
        sa.Column("outcome_codes", postgresql.ARRAY(sa.String(120))),
        sa.Column("outcome_reason", sa.Text()),
        sa.Column("outcome_reported_at", sa.DateTime(timezone=True)),
        sa.UniqueConstraint("client_name", "business_ref", "subject_id", "scenario", "as_of",
                            name="uq_restriction_check_key"),
        sa.CheckConstraint("(unit_id IS NULL) <> (civil_servant_id IS NULL)",
                           name="one_subject"),
        sa.CheckConstraint("(outcome_kind IS NULL) = (outcome_reported_at IS NULL)",
                           name="outcome_complete"),
    )
    op.create_index("ix_restriction_check_subject_id", "restriction_check", ["subject_id"])
    op.create_index("ix_restriction_check_pending", "restriction_check", ["checked_at", "id"],
                    postgresql_where=sa.text("outcome_kind IS NULL"))


def _protect() -> None:
    """A check is what the client was told: never deleted, its assessment never changed.

    The only update allowed sets the outcome of a check that has none yet.
    """
    op.execute("""
        CREATE FUNCTION restriction_check_outcome_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF (NEW.id, NEW.client_name, NEW.business_ref, NEW.unit_id, NEW.civil_servant_id,
                NEW.scenario, NEW.as_of, NEW.decision, NEW.measures, NEW.checked_at)
               IS DISTINCT FROM
               (OLD.id, OLD.client_name, OLD.business_ref, OLD.unit_id, OLD.civil_servant_id,
                OLD.scenario, OLD.as_of, OLD.decision, OLD.measures, OLD.checked_at) THEN
                RAISE EXCEPTION 'the assessment of a restriction check is never changed';
            END IF;
            IF OLD.outcome_kind IS NOT NULL THEN
                RAISE EXCEPTION 'the outcome of a restriction check is reported once';
            END IF;
            RETURN NEW;
        END $$;
    """)
    op.execute("""
        CREATE TRIGGER restriction_check_assessment_fixed BEFORE UPDATE ON restriction_check
        FOR EACH ROW EXECUTE FUNCTION restriction_check_outcome_only();
    """)
    op.execute("""
        CREATE TRIGGER restriction_check_never_deleted BEFORE DELETE ON restriction_check
        FOR EACH ROW EXECUTE FUNCTION refuse_change();
    """)


def downgrade() -> None:
    op.drop_table("restriction_check")
    op.execute("DROP FUNCTION restriction_check_outcome_only()")
    op.drop_table("restriction_promotion_rule")
    op.drop_table("restriction_sanction_period")
    op.drop_table("restriction_measure_rule")
