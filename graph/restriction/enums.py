"""GraphQL enums of the restriction domain (member names as in the contract).

`strawberry.enum` registers the domain classes themselves, so resolvers hand the domain values
straight through.
"""

from __future__ import annotations

import strawberry

from domains.restriction import rules

Scenario = rules.Scenario
strawberry.enum(rules.Scenario, description="Where a restriction or an incentive applies (the "
                "应用清单 scenarios of the plan).")
Decision = rules.Decision
strawberry.enum(rules.Decision, description="The overall answer for a scenario, most severe "
                "measure wins: DENY > REVIEW > ALLOW_WITH_PRIORITY > ALLOW.")
MeasureEffect = rules.MeasureEffect
strawberry.enum(rules.MeasureEffect, description="What a measure does: PRIORITY "
                "同等条件下优先, WRITTEN_EXPLANATION 书面说明, RECTIFICATION 限期整改, "
                "RESTRICT 限制, PROHIBIT 不得.")
CheckOutcomeKind = rules.CheckOutcomeKind
strawberry.enum(rules.CheckOutcomeKind, description="What the client did with a formal check's "
                "measures (反馈).")
