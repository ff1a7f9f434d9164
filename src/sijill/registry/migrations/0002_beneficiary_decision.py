"""CNSS decides per beneficiary (contract v1.1): the decision and its reason move from the
AMO file to each of its beneficiaries.

A decided file's reason goes to every one of its beneficiaries, and each gets the
decision the import derives from a row (sijill.registry.imports): refused on a rejected
file, or on an accepted file when it carries a reason; accepted otherwise. Nothing is
lost: `sijill export` writes the same rows before and after.
"""

from typing import Any

from django.db import migrations, models

DECIDED = ("accepted", "rejected")


def _decision(status: str, reason: str | None) -> str | None:
    if status not in DECIDED:
        return None
    refused = status == "rejected" or bool((reason or "").strip())
    return "rejected" if refused else "accepted"


def forwards(apps: Any, schema_editor: Any) -> None:
    AmoFile = apps.get_model("registry", "AmoFile")
    Beneficiary = apps.get_model("registry", "Beneficiary")
    decided = models.Q(status__in=DECIDED) | models.Q(rejection_reason__isnull=False)
    files = AmoFile.objects.filter(decided)
    for amo_file in files.iterator():
        Beneficiary.objects.filter(file_id=amo_file.pk).update(
            rejection_reason=amo_file.rejection_reason,
            decision=_decision(amo_file.status, amo_file.rejection_reason),
        )


def backwards(apps: Any, schema_editor: Any) -> None:
    """A file takes the reason of its first refused beneficiary."""
    AmoFile = apps.get_model("registry", "AmoFile")
    Beneficiary = apps.get_model("registry", "Beneficiary")
    refused = Beneficiary.objects.exclude(rejection_reason=None).order_by("beneficiary_id")
    for beneficiary in refused.iterator():
        AmoFile.objects.filter(pk=beneficiary.file_id, rejection_reason=None).update(
            rejection_reason=beneficiary.rejection_reason
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="beneficiary",
            name="decision",
            field=models.CharField(
                blank=True,
                choices=[("accepted", "accepted"), ("rejected", "rejected")],
                db_index=True,
                max_length=16,
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="beneficiary",
            name="rejection_reason",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(model_name="amofile", name="rejection_reason"),
    ]
