"""The audit chain is keyed from now on (sijill.audit.chain): a log that ends with entries
hashed with plain SHA-256, written before, gets a keyed entry after them, `audit.seal`.

It covers their head, so that none of them can be recomputed any more without the chain's
key; `sijill audit verify` accepts plain entries at the beginning of the log only, before a
keyed one. Nothing is rewritten: the log stays append-only.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps
from django.utils import timezone


def forwards(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from sijill.audit.chain import seal_unkeyed

    seal_unkeyed(apps.get_model("audit", "Entry"), timezone.now(), "sijill migrate")


class Migration(migrations.Migration):
    dependencies = (("audit", "0002_append_only"),)

    operations = (migrations.RunPython(forwards, migrations.RunPython.noop),)
