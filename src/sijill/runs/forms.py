"""Starting a run: the contract's parameters, and the four extracts when they are uploaded.

Uploads are bounded (settings.SIJILL_UPLOAD_MAX_BYTES, the four extracts together) and kept
private: owner-only files (FILE_UPLOAD_PERMISSIONS) in owner-only folders
(FILE_UPLOAD_DIRECTORY_PERMISSIONS), removed once the run is over (runs.lifecycle).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sijill.domain.contract import DEFAULT_CNSS_DAYS, DEFAULT_THRESHOLD, DEFAULT_VALIDATION_DAYS
from sijill.engine import Parameters
from sijill.runs.lifecycle import private_folder

EXTENSIONS = (".csv", ".parquet")


class RunForm(forms.Form):
    # A date input takes and gives ISO dates whatever the page's language; the browser
    # shows it in the reader's own way.
    as_of = forms.DateField(
        label=_("Reference day"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
    )
    # Shown and read as the reader writes numbers: 9,3264284 in French.
    threshold = forms.FloatField(
        label=_("Eligibility threshold"),
        initial=DEFAULT_THRESHOLD,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    validation_days = forms.IntegerField(
        label=_("Days to validate a file"), min_value=0, initial=DEFAULT_VALIDATION_DAYS
    )
    cnss_days = forms.IntegerField(
        label=_("Days for CNSS to decide"), min_value=0, initial=DEFAULT_CNSS_DAYS
    )
    with_links = forms.BooleanField(
        label=_("Look for link candidates"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["as_of"].initial = timezone.localdate()

    def clean_as_of(self) -> Any:
        as_of = self.cleaned_data["as_of"]
        if as_of > timezone.localdate():
            raise forms.ValidationError(
                _("The reference day cannot be after today: a run is made on what happened.")
            )
        return as_of

    def parameters(self) -> Parameters:
        data = self.cleaned_data
        return Parameters(
            data["as_of"], data["threshold"], data["validation_days"], data["cnss_days"]
        )


def _extract_field(label: Any) -> forms.FileField:
    return forms.FileField(label=label, help_text=_("CSV or Parquet, in the contract's format."))


class UploadForm(RunForm):
    territories = _extract_field(_("Territories"))
    rnp = _extract_field(_("RNP persons"))
    rsu = _extract_field(_("RSU members"))
    amo = _extract_field(_("AMO Tadamon beneficiaries"))

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        for name in ("territories", "rnp", "rsu", "amo"):
            upload = data.get(name)
            if upload is not None and Path(upload.name).suffix.lower() not in EXTENSIONS:
                self.add_error(name, _("Give a .csv or .parquet file."))
        return data

    def save_extracts(self, folder: Path) -> None:
        """Write the uploads as `folder/<extract>.<csv|parquet>`, readable by the server's
        account only: the folder, the run's folder and the runs' folder above it too."""
        private_folder(folder, levels=3)
        for name in ("territories", "rnp", "rsu", "amo"):
            upload: UploadedFile = self.cleaned_data[name]
            target = folder / f"{name}{Path(str(upload.name)).suffix.lower()}"
            flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
            with os.fdopen(os.open(target, flags, settings.FILE_UPLOAD_PERMISSIONS), "wb") as f:
                os.fchmod(f.fileno(), settings.FILE_UPLOAD_PERMISSIONS)  # whatever the umask
                for chunk in upload.chunks():
                    f.write(chunk)


def declared_size(request: HttpRequest) -> int:
    """The size of the request's body as its Content-Length says. Django reads no more
    than that (and nothing of a body that declares no length)."""
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0
