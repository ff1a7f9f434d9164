"""Staff accounts: a role and a territory subtree per user, API tokens, rate-limited logins."""
