"""Reads of imports: upload jobs and saved mappings, only within the reader's organisation and
only for those who may import (others get 403 from the policy; other organisations' jobs 404)."""

from django.db.models import QuerySet
from django.http import Http404

from safepassage.access.policy import Action, require
from safepassage.imports.models import ImportJob, ImportMapping


def import_job_list(*, actor, limit: int = 50) -> list[ImportJob]:
    require(actor, Action.PERSON_REGISTER)
    jobs = ImportJob.objects.filter(organisation=actor.organisation).select_related(
        "created_by", "batch"
    )
    return list(jobs[:limit])


def import_job_for(actor, pk: int) -> ImportJob:
    require(actor, Action.PERSON_REGISTER)
    job = (
        ImportJob.objects.filter(organisation=actor.organisation, pk=pk)
        .select_related("created_by", "batch")
        .first()
    )
    if job is None:
        raise Http404
    return job


def import_mapping_list(*, actor) -> QuerySet[ImportMapping]:
    require(actor, Action.PERSON_REGISTER)
    return ImportMapping.objects.filter(organisation=actor.organisation)
