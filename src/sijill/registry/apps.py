from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "sijill.registry"
    label = "registry"
    verbose_name = "registry"
