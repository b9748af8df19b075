"""GraphQL enums of the procurement domain (member names as in the contract).

`strawberry.enum` registers the domain class itself (as graph/enums.py does), so types annotate
fields with the classes the rules use. `CreditGrade` is also what `AppliedMeasure.grade`
returns: import it from here.
"""

from __future__ import annotations

import strawberry

from domains.procurement import rules

BreachKind = rules.BreachKind
strawberry.enum(rules.BreachKind, description="How a purchaser breached a contract's "
                "acceptance or payment term (DOMAIN.md section 6).")
ContractMilestone = rules.ContractMilestone
strawberry.enum(rules.ContractMilestone, description="A step of a contract's performance: "
                "delivery, acceptance (验收), payment.")
CreditGrade = rules.CreditGrade
strawberry.enum(rules.CreditGrade, description="A purchaser's procurement credit grade: A ≥ 90, "
                "B ≥ 75, C ≥ 60, D below (thresholds from the rule table in force).")
