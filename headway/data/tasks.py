from __future__ import annotations

from django.conf import settings
from django.tasks import task
from django.tasks.base import TaskContext

from headway.data import pipeline, storage
from headway.data.models import Import


@task(takes_context=True)
def run_import(context: TaskContext[[str], str], code: str) -> str:
    """Run a queued import; a second delivery of the same task does nothing."""
    pipeline.fail_abandoned()
    storage.prune_uploads(settings.UPLOAD_RETENTION_DAYS)
    imp = Import.objects.select_related("district").get(code=code)
    if imp.status != Import.Status.QUEUED:
        return imp.status
    worker_ids = context.task_result.worker_ids
    Import.objects.filter(pk=imp.pk).update(worker_id=worker_ids[-1] if worker_ids else "")
    pipeline.run(imp)
    return Import.objects.values_list("status", flat=True).get(pk=imp.pk)
