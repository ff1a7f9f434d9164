from django.apps import AppConfig


class DemandConfig(AppConfig):
    name = "sijill.demand"
