"""The client operations the benchmark drives: a fixed document each, its client's audience,
and how a request's variables are made from a subject (issue 13, deliverable 2): five reads,
driven by wrk, and two batch writes, driven by `graph.cli.bench.writes` (a batch of 1,000
fresh rows per request is more than wrk's Lua can build cheaply)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class SubjectKind(Enum):
    """What an operation's variables name: a unit (its USCC) or a civil servant (global id)."""

    UNIT = "unit"
    CIVIL_SERVANT = "civil servant"


@dataclass(frozen=True)
class Operation:
    """One row of the benchmark's table."""

    key: str  # on the command line (--operations) and in the table
    audience: str  # the client that calls it
    name: str  # the GraphQL operation name: how the service's log lines are matched to it
    document: str
    subject: SubjectKind
    variable: str  # the variable that names the subject
    # checkRestrictions: a businessRef of its own per request, made by the Lua script
    unique_ref: bool = False
    # a batch write: the kind of rows the writes driver builds (`variable` holds the list)
    rows: str | None = None

    @property
    def is_write(self) -> bool:
        return self.rows is not None


PROCUREMENT = Operation("procurement", "PROCUREMENT", "BenchProcurement", """\
query BenchProcurement($uscc: String!) {
  unit(uscc: $uscc) {
    name
    procurementCredit {
      score grade
      breaches { kind dueOn resolvedOn daysLate lateInterest contract { code } }
    }
    creditFile { records(first: 20) { totalCount edges { node {
      id nature category severity status decidedOn validUntil title } } } }
  }
}""", SubjectKind.UNIT, "uscc")

PROJECT_APPROVAL = Operation("project-approval", "PROJECT_APPROVAL", "BenchProjectApproval", """\
query BenchProjectApproval($uscc: String!) {
  unit(uscc: $uscc) {
    restrictions(scenario: INVESTMENT_APPROVAL) {
      decision
      measures { code name effect legalBasis until basis { id category severity decidedOn } }
    }
  }
}""", SubjectKind.UNIT, "uscc")

PERSONNEL = Operation("personnel", "PERSONNEL", "BenchPersonnel", """\
query BenchPersonnel($id: ID!) {
  node(id: $id) {
    ... on CivilServant {
      displayName
      promotionEligibility {
        decision eligibleFrom
        blockers { code until legalBasis basis { id category severity decidedOn } }
        cautions { code until legalBasis basis { id category severity decidedOn } }
        incentives { code until basis { id } }
      }
    }
  }
}""", SubjectKind.CIVIL_SERVANT, "id")

CHECK = Operation("check", "PROJECT_APPROVAL", "BenchCheckRestrictions", """\
mutation BenchCheckRestrictions($uscc: String!, $ref: String!) {
  checkRestrictions(input: {subject: {uscc: $uscc}, scenario: INVESTMENT_APPROVAL,
                            businessRef: $ref}) {
    check { id businessRef assessment { decision measures { code effect until } } }
    errors { code message }
  }
}""", SubjectKind.UNIT, "uscc", unique_ref=True)

CREDIT_FILE = Operation("credit-file", "CREDIT_OFFICE", "BenchCreditFile", """\
query BenchCreditFile($uscc: String!) {
  unit(uscc: $uscc) {
    creditFile {
      activeDishonestCount trustworthyCount
      records(first: 50) { totalCount pageInfo { hasNextPage endCursor } edges { node {
        id nature category severity sanction status domain title decidedOn validFrom
        validUntil disclosure shareScope sourceSystem sourceRef decidedBy { name }
      } } }
    }
  }
}""", SubjectKind.UNIT, "uscc")

REPORT = Operation("report", "PROCUREMENT", "BenchReport", """\
mutation BenchReport($records: [CreditRecordInput!]!) {
  reportCreditRecords(records: $records) { accepted ids errors { index field code message } }
}""", SubjectKind.UNIT, "records", rows="credit records")

REGISTER = Operation("register", "PROCUREMENT", "BenchRegister", """\
mutation BenchRegister($contracts: [ProcurementContractInput!]!) {
  registerProcurementContracts(contracts: $contracts) {
    accepted ids errors { index field code message }
  }
}""", SubjectKind.UNIT, "contracts", rows="procurement contracts")

READS = (PROCUREMENT, PROJECT_APPROVAL, PERSONNEL, CHECK, CREDIT_FILE)
WRITES = (REPORT, REGISTER)
OPERATIONS = (*READS, *WRITES)
BY_KEY = {operation.key: operation for operation in OPERATIONS}
