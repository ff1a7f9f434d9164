"""The administrative hierarchy in the database, and the subtree every query is scoped to."""
