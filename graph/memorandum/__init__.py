"""The GraphQL side of joint-punishment memoranda (联合惩戒备忘录)."""
