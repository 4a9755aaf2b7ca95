"""Supervision's reads that carry a rule, one module per area: `sessions` (relationships, sessions and all that
is said in them; who may see what) and `growth` (the growth profile, stretch opportunities, how people feel about
leading)."""
