"""The back office: a Django project over the registers and the forms ledger."""
