from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "sijill.intake"
    label = "intake"
    verbose_name = "intake"
