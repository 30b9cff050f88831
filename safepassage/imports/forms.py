"""Forms of the upload pages: the file and its mapping; a mapping of columns to fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from safepassage.imports.models import DateOrder
from safepassage.imports.parsing import ALL_FIELDS, CONTRACT_FIELDS
from safepassage.imports.reading import DEFAULT_SOURCE
from safepassage.web.uploads import UploadField

ENCODINGS = [
    ("", _("Detect it")),
    ("utf-8", "UTF-8"),
    ("utf-16", "UTF-16"),
    ("cp949", _("CP949 / EUC-KR (Korean)")),
    ("cp1251", _("CP1251 (Cyrillic)")),
    ("cp1252", _("CP1252 (Western European)")),
]

FIELD_LABELS = {
    "id": _("Id in the source"),
    "family_name": _("Family name"),
    "given_name": _("Given name"),
    "full_name": _("Full name (family name first)"),
    "birth_date": _("Date of birth"),
    "birth_place": _("Place of birth"),
    "nationality": _("Nationality"),
    "unit": _("Unit"),
    "service_number": _("Service number"),
    "patronymic": _("Patronymic"),
    "sex": _("Sex"),
    "rank": _("Rank"),
    "capture_date": _("Date of capture"),
    "capture_place": _("Place of capture"),
    "internment_place": _("Place of internment"),
}


class UploadForm(forms.Form):
    file = UploadField(
        allow_empty_file=True,  # reported by the check like any other unreadable file
        label=_("List of persons"),
        help_text=_("CSV (any usual encoding and delimiter) or XLSX (the first sheet)."),
    )
    mapping = forms.ChoiceField(label=_("Column mapping (source)"))
    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODINGS, required=False)

    def __init__(self, *args, mappings=(), **kwargs):
        super().__init__(*args, **kwargs)
        contract = ",".join(CONTRACT_FIELDS)
        self.fields["mapping"].choices = [
            (DEFAULT_SOURCE, _("default: the linkage CSV contract (%(c)s)") % {"c": contract}),
            *[(m.name, m.name) for m in mappings if m.name != DEFAULT_SOURCE],
        ]


class MappingForm(forms.Form):
    """Source name, date order, and one column per field: chosen among the uploaded file's
    headings when there is a file, typed otherwise."""

    name = forms.SlugField(
        label=_("Source"),
        max_length=64,
        help_text=_("A short name for where these lists come from, e.g. camp-west-3."),
    )
    date_order = forms.ChoiceField(label=_("Dates like 03/04/1999 are"), choices=DateOrder.choices)

    def __init__(self, *args, header=(), **kwargs):
        super().__init__(*args, **kwargs)
        options = [("", _("— not in this file —"))] + [(h, h) for h in header if h]
        for name in ALL_FIELDS:
            label = FIELD_LABELS[name]
            if header:
                self.fields[f"column_{name}"] = forms.ChoiceField(
                    label=label, choices=options, required=False
                )
            else:
                self.fields[f"column_{name}"] = forms.CharField(
                    label=label, max_length=200, required=False
                )

    def columns(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"column_{name}"]
            for name in ALL_FIELDS
            if self.cleaned_data.get(f"column_{name}")
        }
