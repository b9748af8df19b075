"""GraphQL enums of the PPP domain (member names as in the contract); `strawberry.enum`
registers the domain classes themselves, as graph/enums.py does."""

from __future__ import annotations

import strawberry

from domains.ppp import rules

PppStage = rules.PppStage
strawberry.enum(rules.PppStage, description="The stages of a PPP project in the plan's order: "
                "项目筹备, 招标投标, 政府采购, 融资, 实施.")
PppEventKind = rules.PppEventKind
strawberry.enum(rules.PppEventKind, description="A commitment of the government side kept "
                "(a TRUSTWORTHY record) or broken (a DISHONEST one).")
