from django.apps import AppConfig


class WorklistsConfig(AppConfig):
    name = "sijill.worklists"
