"""The forms of documents: add one, add a version, remove one. The file checks are the
service's (`documents.checks`); the forms only take the input."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepassage.documents.checks import allowed_names
from safepassage.documents.models import DocumentKind
from safepassage.web.uploads import UploadField, upload_max_bytes


def too_large_message() -> str:
    return _(
        "The file is larger than %(mb)s MB. Scan it at a lower resolution, or split it, and "
        "upload it again."
    ) % {"mb": settings.UPLOAD_MAX_MB}


class DocumentFileField(UploadField):
    """A file up to `UPLOAD_MAX_MB`, refused past it with a message for a document."""

    def validate(self, value) -> None:
        forms.FileField.validate(self, value)
        if value and (getattr(value, "too_large", False) or value.size > upload_max_bytes()):
            raise forms.ValidationError(too_large_message(), code="too_large")


def _file_field() -> DocumentFileField:
    return DocumentFileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy(
            "Its type is read from the file itself. Images are stored without their metadata "
            "(camera, date, GPS position)."
        ),
    )


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    dated = forms.DateField(
        label=gettext_lazy("Date of the document"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    language = forms.CharField(label=gettext_lazy("Language"), max_length=64, required=False)
    file = _file_field()

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(DocumentKind.choices)
        self.fields["kind"].choices = [("", "—"), *((k, labels[k]) for k in kinds)]
        self.fields["kind"].help_text = "; ".join(f"{labels[k]}: {allowed_names(k)}" for k in kinds)


class DocumentVersionForm(forms.Form):
    file = _file_field()
    version = forms.IntegerField(widget=forms.HiddenInput)


class DocumentRemoveForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is it removed?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
