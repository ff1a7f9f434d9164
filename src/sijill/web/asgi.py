"""ASGI entry point: `uvicorn sijill.web.asgi:application` (or any ASGI server)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sijill.web.settings")
application = get_asgi_application()
