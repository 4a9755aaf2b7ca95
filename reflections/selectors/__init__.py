"""The only way to read journal content, one module per area: `visibility` holds the rule (who may read which
entry) and the access helpers that answer 404 for missing and forbidden alike; the others build on it. Run inside
the organisation's schema."""
