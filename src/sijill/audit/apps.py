from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sijill.audit"
    label = "audit"
    verbose_name = "audit"
