"""Imports of person lists: saved column mappings, committed batches, and the upload jobs.

A batch exists only once committed: it is written in the same transaction as the persons it
created, so an import killed half-way leaves neither persons nor a batch. A job is the web
upload's progress; it lives outside that transaction so the page can show it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safepassage.crypto.fields import EncryptedTextField
from safepassage.lib.labels import ChoiceLabels


class DateOrder(models.TextChoices):
    DAY_FIRST = "dmy", _("Day first (31.12.1999, 31/12/1999)")
    MONTH_FIRST = "mdy", _("Month first (12/31/1999)")


class ImportMapping(ChoiceLabels, models.Model):
    """How the columns of one source's files map to registry fields; the source's name is the
    mapping's name, and its external ids are unique within it."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="import_mappings"
    )
    name = models.SlugField(_("source"), max_length=64)
    columns = models.JSONField(_("columns"), default=dict, help_text=_("field → column heading"))
    date_order = models.CharField(
        _("date order"), max_length=3, choices=DateOrder.choices, default=DateOrder.DAY_FIRST
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="import_mapping_unique_per_organisation"
            )
        ]

    def __str__(self) -> str:
        return self.name


class ImportBatch(models.Model):
    """One committed import of a file: what came in, what was created, which numbers."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="import_batches"
    )
    source = models.CharField(_("source"), max_length=64)
    file_name = models.CharField(_("file"), max_length=255)
    fingerprint = models.CharField(_("SHA-256 of the file"), max_length=64)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("persons created"), default=0)
    skipped_count = models.PositiveIntegerField(_("rows already imported"), default=0)
    first_registry_number = models.CharField(max_length=32, blank=True)
    last_registry_number = models.CharField(max_length=32, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # The same file from the same source twice creates nothing new.
            models.UniqueConstraint(
                fields=["organisation", "source", "fingerprint"], name="import_batch_file_once"
            )
        ]

    def __str__(self) -> str:
        return f"import #{self.pk} ({self.source})"


class ImportedRecord(models.Model):
    """The external id a source gave a person: one person per id and source, ever."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    source = models.CharField(max_length=64)
    external_id = models.CharField(max_length=128)
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="records")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="imported_records"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "source", "external_id"],
                name="imported_record_external_id_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_id}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    VALIDATING = "validating", _("Checking the file")
    VALID = "valid", _("Checked: ready to import")
    INVALID = "invalid", _("Refused: see the report")
    COMMITTING = "committing", _("Importing")
    COMMITTED = "committed", _("Imported")
    FAILED = "failed", _("Failed")
    DISCARDED = "discarded", _("Discarded")


class ImportJob(ChoiceLabels, models.Model):
    """An upload from the web: checked first (a dry run), imported when its owner confirms."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    source = models.CharField(_("source"), max_length=64)
    file_name = models.CharField(_("file"), max_length=255)
    encoding = models.CharField(_("encoding"), max_length=32, blank=True)  # empty: detected
    fingerprint = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    error = models.TextField(blank=True)  # why it failed, in words for the uploader
    rows_done = models.PositiveIntegerField(default=0)
    bytes_done = models.PositiveBigIntegerField(default=0)
    bytes_total = models.PositiveBigIntegerField(default=0)
    summary = models.JSONField(default=dict)  # counts, encoding, delimiter, preview rows
    problems = models.JSONField(default=list)  # [{row, field, problem, fix}], capped
    batch = models.ForeignKey(ImportBatch, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"upload {self.pk} ({self.file_name})"

    @property
    def is_running(self) -> bool:
        return self.status in {JobStatus.QUEUED, JobStatus.VALIDATING, JobStatus.COMMITTING}

    @property
    def percent(self) -> int:
        if not self.bytes_total:
            return 0
        return min(100, int(100 * self.bytes_done / self.bytes_total))

    @property
    def may_commit(self) -> bool:
        return (
            self.status == JobStatus.VALID
            and not self.summary.get("already_imported")
            and self.summary.get("rows_valid", 0) > 0
        )


class ImportUploadPart(models.Model):
    """A piece of an uploaded file, sealed with the field keys, until the job is done with it.

    The upload waits here between its check and its import, where any worker can read it: never
    in a plain file, never in the task's arguments (docs/adr/0002). Removed once imported,
    refused or discarded, and after a day in any case.
    """

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="parts")
    number = models.PositiveIntegerField()
    data = EncryptedTextField()  # base64 of the bytes

    class Meta:
        ordering = ["job", "number"]
        constraints = [
            models.UniqueConstraint(fields=["job", "number"], name="import_upload_part_once")
        ]

    def __str__(self) -> str:
        return f"upload {self.job_id} part {self.number}"
