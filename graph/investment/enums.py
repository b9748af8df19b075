"""GraphQL enums of the investment domain (member names as in the contract); `strawberry.enum`
registers the domain classes themselves, as graph/enums.py does."""

from __future__ import annotations

import strawberry

from domains.investment import rules

ApprovalDocument = rules.ApprovalDocument
strawberry.enum(rules.ApprovalDocument, description="The approval documents in procedure "
                "order: 项目建议书, 可行性研究报告, 初步设计及概算 (《政府投资条例》第九至十一条).")
ViolationKind = rules.ViolationKind
strawberry.enum(rules.ViolationKind, description="What a violation in a government investment "
                "project was: 滥用职权、玩忽职守、徇私舞弊、索贿受贿, false documents, "
                "unauthorised overruns (条例第三十二至三十五条), or another.")
