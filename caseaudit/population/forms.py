"""Forms for the population pages: uploading an extract, mapping its columns, benchmarks."""

import re

from django import forms

from caseaudit.forms import GovukForm
from caseaudit.population.models import Benchmark, BenchmarkKind, ColumnMapping
from caseaudit.population.parsing import COLUMNS, DEFAULT_MAX_BYTES, REQUIRED_COLUMNS

MAX_MEGABYTES = DEFAULT_MAX_BYTES // (1024 * 1024)

# What each of our columns holds, shown as the hint on the mapping page.
COLUMN_HINTS = {
    "child_id": "The case system's id for the child. Required, once per child.",
    "date_of_birth": "A date like 27/03/2019 or 2019-03-27.",
    "gender": "",
    "ethnicity": "",
    "team": "The social work team holding the case.",
    "worker_id": "",
    "sibling_group": "The same value for brothers and sisters.",
    "plan_category": "Neglect, emotional abuse, physical abuse, sexual abuse or multiple. "
    "Required.",
    "plan_start": "The date the current plan started.",
    "previous_plan_end": "Blank when there was no previous plan.",
    "previous_plans": "How many plans the child had before this one.",
    "agencies": "Agencies that know the child, separated by ;",
    "characteristics": "For example domestic abuse; parental mental health",
    "name": "The child's name (optional).",
}


def _normalise(header: str) -> str:
    """ "Child ID", "child_id" and " CHILD-ID " are the same column."""
    return re.sub(r"[\s_-]+", "_", header.strip().casefold()).strip("_")


class _ExtractFileForm(GovukForm):
    file = forms.FileField(
        label="Upload a file",
        help_text=f"A CSV or Excel (.xlsx) file, smaller than {MAX_MEGABYTES}MB.",
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be read. Upload a CSV or Excel (.xlsx) file",
            "missing": "Select a CSV or Excel (.xlsx) file",
        },
    )
    required_messages = {"file": "Select a CSV or Excel (.xlsx) file"}

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before it is read into memory; the parser checks the same limit again.
        if upload.size > DEFAULT_MAX_BYTES:
            raise forms.ValidationError(f"The selected file must be smaller than {MAX_MEGABYTES}MB")
        return upload


class ImportForm(_ExtractFileForm):
    mapping = forms.ChoiceField(
        label="Column names",
        required=False,
        help_text="Choose a saved mapping if the file does not use our column names.",
    )

    def __init__(self, *args, mappings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mapping"].choices = [
            ("", "Our column names (child_id, date_of_birth, ...)"),
            *((name, name) for name in mappings),
        ]
        self.fields["mapping"].error_messages["invalid_choice"] = "Select a saved mapping"
        if not mappings:
            del self.fields["mapping"]


class MappingUploadForm(_ExtractFileForm):
    pass


class MappingColumnsForm(GovukForm):
    """One select per column of ours, offering the file's headers."""

    mapping_name = forms.CharField(
        label="Name for this mapping",
        max_length=100,
        help_text="For example Annex A or Case system weekly report.",
    )
    required_messages = {"mapping_name": "Enter a name for this mapping"}

    def __init__(self, *args, partnership, headers: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        choices = [("", "Not in this file"), *((header, header) for header in headers)]
        by_name = {_normalise(header): header for header in headers}
        for column in COLUMNS:
            required = column in REQUIRED_COLUMNS
            field = forms.ChoiceField(
                label=column,
                choices=choices,
                required=required,
                initial=by_name.get(_normalise(column), ""),
                help_text=COLUMN_HINTS[column],
                error_messages={
                    "required": f"Select the column that holds {column}",
                    "invalid_choice": f"Select one of the file's columns for {column}",
                },
            )
            self.fields[column] = field
        # The name last: people match columns first, then name what they made.
        self.order_fields([*COLUMNS, "mapping_name"])

    def clean_mapping_name(self):
        name = self.cleaned_data["mapping_name"].strip()
        if ColumnMapping.objects.filter(partnership=self.partnership, name__iexact=name).exists():
            raise forms.ValidationError(
                f"A mapping called {name} already exists. Enter a different name"
            )
        return name

    def columns(self) -> dict[str, str]:
        return {column: self.cleaned_data[column] for column in COLUMNS}


class BenchmarkForm(GovukForm):
    measure = forms.ChoiceField(
        label="Measure", choices=Benchmark.Measure.choices, widget=forms.RadioSelect
    )
    kind = forms.ChoiceField(
        label="Kind of comparison", choices=BenchmarkKind.choices, widget=forms.RadioSelect
    )
    label = forms.CharField(
        label="Name", max_length=100, help_text="For example England, North East or Northshire."
    )
    value = forms.DecimalField(
        label="Value",
        max_digits=7,
        decimal_places=2,
        min_value=0,
        max_value=100,
        help_text="A percentage, like 16.5",
        error_messages={
            "invalid": "Enter the value as a number, like 16.5",
            "max_decimal_places": "Enter the value with no more than 2 decimal places, like 16.5",
            "max_digits": "Enter the value as a number, like 16.5",
            "max_whole_digits": "Enter the value as a number, like 16.5",
            "min_value": "The value must be 0 or more",
            "max_value": "The value must be 100 or less",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    period = forms.CharField(
        label="Period (optional)",
        max_length=20,
        required=False,
        help_text="For example 2023 to 2024.",
    )
    required_messages = {
        "measure": "Select the measure",
        "kind": "Select the kind of comparison",
        "label": "Enter a name, like England",
        "value": "Enter the value as a number, like 16.5",
    }
