"""GraphQL operations shared by the restriction tests."""

from __future__ import annotations

from typing import Any

from domains.core.ids import to_global_id

RULES = """
query Rules($asOf: Date) {
  measureRules(asOf: $asOf) {
    code name scenario subjectKind condition effect legalBasis validFrom validTo
  }
}"""
UNIT_RESTRICTIONS = """
query Unit($uscc: String!, $scenario: Scenario!, $asOf: Date) {
  unit(uscc: $uscc) {
    restrictions(scenario: $scenario, asOf: $asOf) {
      subject { __typename id } scenario asOf decision
      measures { code effect grade until basis { id category severity decidedOn record { title } } }
    }
  }
}"""
PERSON_RESTRICTIONS = """
query Person($idNumber: String!, $scenario: Scenario!, $asOf: Date) {
  civilServant(idNumber: $idNumber) {
    restrictions(scenario: $scenario, asOf: $asOf) {
      subject { __typename id } decision measures { code effect until basis { id } }
    }
  }
}"""
PROMOTION = """
query Promotion($idNumber: String!, $asOf: Date) {
  civilServant(idNumber: $idNumber) {
    promotionEligibility(asOf: $asOf) {
      asOf decision eligibleFrom
      blockers { code until basis { id } }
      cautions { code until basis { id } }
      incentives { code until basis { id } }
    }
  }
}"""
ALL_UNITS = """
query All($scenario: Scenario!) {
  units(first: 100) {
    edges { node { restrictions(scenario: $scenario) {
      decision measures { code basis { id record { title } } } } } }
  }
}"""
SANCTION_ENDS = """
query Ends($ref: String!) { creditRecord(sourceSystem: "TEST", sourceRef: $ref) {
  sanctionEndsOn } }"""


def gid(kind: str, row: Any) -> str:
    return to_global_id(kind, row.id)
