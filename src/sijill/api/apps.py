from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sijill.api"
    label = "api"
    verbose_name = "api"
