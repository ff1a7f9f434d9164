from django.apps import AppConfig


class TerritoriesConfig(AppConfig):
    name = "sijill.territories"
    label = "territories"
    verbose_name = "territories"
