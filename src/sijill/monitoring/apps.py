from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "sijill.monitoring"
    label = "monitoring"
    verbose_name = "Reconciliation runs"
    default_auto_field = "django.db.models.BigAutoField"
