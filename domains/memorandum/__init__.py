"""Joint-punishment memoranda (联合惩戒备忘录): versions, joint actions, responses."""
