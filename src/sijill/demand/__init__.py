"""The demand the forms ledger measures: deposits, backlog, delays and reasons for refusal,
live, per territory and period (the Ministry's "real statistics")."""
