from django.apps import AppConfig


class LinkreviewConfig(AppConfig):
    name = "sijill.linkreview"
