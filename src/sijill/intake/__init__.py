"""The forms ledger: a receipt at the counter, then capture, validation, CNSS, decision."""
