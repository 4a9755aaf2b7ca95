"""Supervision's writes, one module per area: `sessions` (relationships, sessions, agenda, check-in, the record's
versions and agreement, actions) and `growth` (the growth profile, stretch opportunities, how people feel about
leading)."""
