"""The REST API (django-ninja) at /api/v1: forms, registers and the public status look-up."""
