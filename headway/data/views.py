from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from uuid import UUID

import polars as pl
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from headway.audit.log import record
from headway.data import pipeline, storage
from headway.data.access import get_district_for_data, get_import_for_user, get_snapshot_for_user
from headway.data.core.mapping import Mapping, MappingError, check, from_yaml, propose, to_yaml
from headway.data.core.readers import ReadError
from headway.data.forms import MappingForm, UploadForm, YamlMappingForm
from headway.data.models import KIND_CHOICES, Coverage, Import, SavedMapping, Snapshot
from headway.data.schools import add_missing_schools
from headway.data.tasks import run_import
from headway.lib.sheets import safe_cell
from headway.orgs.access import get_org_for_user, signed_in
from headway.orgs.models import Organization
from headway.orgs.roles import Cap


# /o/<code>/data/
@login_required
def home(request: HttpRequest, code: UUID) -> HttpResponse:
    access = get_org_for_user(request, code)
    district = access.org.district()
    context = {"org": access.org, "caps": access.cap_names, "district": district}
    if district is not None and access.can(Cap.VIEW_INTERNAL):
        context["coverage"] = _coverage_grid(district.pk)
    if access.org.is_district and access.can(Cap.MANAGE_DATA):
        context["imports"] = access.org.imports.select_related("created_by")[:20]
        context["snapshots"] = _snapshot_rows(access.org.pk)
    return render(request, "data/home.html", context)


def _snapshot_rows(district_id: int) -> list[tuple[Snapshot, bool]]:
    """Every snapshot with whether it is current for at least one of its years."""
    current = set(
        Coverage.objects.filter(district_id=district_id).values_list("snapshot_id", flat=True)
    )
    snapshots = Snapshot.objects.filter(district_id=district_id).select_related("source")
    return [(s, s.pk in current) for s in snapshots[:50]]


@dataclass(frozen=True)
class CoverageGrid:
    """Tables down, school years across; each cell the current rows and where they came from."""

    years: list[Coverage]
    rows: list[tuple[str, list[Coverage | None]]]


def _coverage_grid(district_id: int) -> CoverageGrid:
    cells = list(
        Coverage.objects.filter(district_id=district_id).select_related("snapshot__source")
    )
    years = sorted({c.school_year for c in cells}, reverse=True)
    by_key = {(c.kind, c.school_year): c for c in cells}
    header = [next(c for c in cells if c.school_year == y) for y in years]
    rows = [
        (label, [by_key.get((kind, y)) for y in years])
        for kind, label in KIND_CHOICES
        if any((kind, y) in by_key for y in years)
    ]
    return CoverageGrid(header, rows)


# /o/<code>/data/imports/new/
@login_required
def import_new(request: HttpRequest, code: UUID) -> HttpResponse:
    district = get_district_for_data(request, code).org
    form = UploadForm(request.POST or None, request.FILES or None, district=district)
    if request.method == "POST" and form.is_valid():
        imp = _receive(request, form, district)
        if imp is not None:
            return redirect("data-import", code=district.code, icode=imp.code)
    return render(request, "data/import_new.html", {"org": district, "form": form})


def _store_upload(form: UploadForm, field: str) -> tuple[Path, str, int] | None:
    upload = form.cleaned_data[field]
    name = Path(upload.name).name
    limit = settings.UPLOAD_MAX_MB * 1024 * 1024
    try:
        suffix = "".join(Path(name).suffixes[-2:])
        return storage.save_stream(upload.chunks(), suffix, max_bytes=limit)
    except ValueError:
        message = _("%(name)s is larger than %(mb)s MB.")
        form.add_error(field, message % {"name": name, "mb": settings.UPLOAD_MAX_MB})
        return None


def _receive(request: HttpRequest, form: UploadForm, district: Organization) -> Import | None:
    """Store the upload, read it once to describe it and propose a mapping."""
    stored = _store_upload(form, "file")
    groups = _store_upload(form, "groups") if form.cleaned_data.get("groups") else None
    if stored is None or (form.cleaned_data.get("groups") and groups is None):
        return None
    imp = Import(
        district=district,
        file_name=Path(form.cleaned_data["file"].name).name,
        upload_path=str(stored[0]),
        groups_path=str(groups[0]) if groups else "",
        sha256=stored[1],
        size=stored[2],
        sheet=form.cleaned_data["sheet"],
        created_by=signed_in(request),
    )
    try:
        source = imp.source()
    except ReadError as error:
        for path in (imp.upload_path, imp.groups_path):
            if path:
                storage.remove_quietly(Path(path))
        form.add_error("file", str(error))
        return None
    mapping = _saved_or_proposed(request, form.cleaned_data["saved"], source.frame, imp.file_name)
    imp.detected, imp.mapping_yaml = source.detected, to_yaml(mapping)
    imp.save()
    record(request, "data.uploaded", org=district, obj=imp, detail={"sha256": imp.sha256})
    return imp


def _saved_or_proposed(
    request: HttpRequest, saved: SavedMapping | None, frame: pl.DataFrame, name: str
) -> Mapping:
    """The chosen saved mapping, or a fresh proposal when none was chosen or it no longer reads."""
    if saved is not None:
        try:
            return from_yaml(saved.yaml, source=f"the saved mapping “{saved.name}”")
        except MappingError as error:
            messages.warning(
                request,
                _("%(error)s. A new mapping was proposed.") % {"error": str(error).rstrip(".")},
            )
    return propose(frame, name=name)


def _frame(imp: Import) -> pl.DataFrame:
    return imp.source().frame


# /o/<code>/data/imports/<icode>/
@never_cache
@login_required
def import_detail(request: HttpRequest, code: UUID, icode: UUID) -> HttpResponse:
    imp = get_import_for_user(request, code, icode)
    pipeline.fail_abandoned()
    imp.refresh_from_db()
    if imp.status != Import.Status.UPLOADED:
        partial = request.headers.get("HX-Request") == "true"
        template = "data/import_status_panel.html" if partial else "data/import_status.html"
        return render(request, template, {"org": imp.district, "imp": imp})
    try:
        frame = _frame(imp)
    except ReadError as error:
        return _unreadable(request, imp, str(error))
    try:
        mapping = from_yaml(imp.mapping_yaml, source="the mapping")
    except MappingError as error:
        messages.error(request, str(error))
        return redirect("data-import-yaml", code=imp.district.code, icode=imp.code)
    form = MappingForm(request.POST or None, mapping=mapping, frame=frame)
    if request.method == "POST" and "start" in request.POST and form.is_valid():
        return _start(request, imp, form.to_mapping(), form.cleaned_data["save_as"], frame)
    return _mapping_page(request, imp, form, frame)


def _mapping_page(
    request: HttpRequest, imp: Import, form: MappingForm, frame: pl.DataFrame, problems: object = ()
) -> HttpResponse:
    context = {
        "org": imp.district,
        "imp": imp,
        "form": form,
        "problems": problems,
        "columns": frame.columns,
        "rows": frame.height,
    }
    status = 400 if (form.is_bound and form.errors) or problems else 200
    return render(request, "data/import_mapping.html", context, status=status)


def _unreadable(request: HttpRequest, imp: Import, message: str) -> HttpResponse:
    context = {"org": imp.district, "imp": imp, "message": message}
    return render(request, "data/import_unreadable.html", context, status=410)


def _start(
    request: HttpRequest, imp: Import, mapping: Mapping, save_as: str, frame: pl.DataFrame
) -> HttpResponse:
    report = check(mapping, frame)
    if not report.ok:
        form = MappingForm(request.POST, mapping=mapping, frame=frame)
        form.is_valid()
        return _mapping_page(request, imp, form, frame, report.detail)
    imp.mapping_yaml = to_yaml(mapping)
    imp.status = Import.Status.QUEUED
    imp.save(update_fields=["mapping_yaml", "status"])
    if save_as:
        _save_mapping(request, imp, save_as)
    record(request, "data.import_started", org=imp.district, obj=imp)
    run_import.enqueue(str(imp.code))
    return redirect("data-import", code=imp.district.code, icode=imp.code)


def _save_mapping(request: HttpRequest, imp: Import, name: str) -> None:
    try:
        SavedMapping.objects.update_or_create(
            district=imp.district,
            name=name,
            defaults={"yaml": imp.mapping_yaml, "created_by": signed_in(request)},
        )
    except IntegrityError:
        return
    messages.success(request, _("The mapping was saved as “%(name)s”.") % {"name": name})


# /o/<code>/data/imports/<icode>/yaml/
@login_required
def import_yaml(request: HttpRequest, code: UUID, icode: UUID) -> HttpResponse:
    imp = get_import_for_user(request, code, icode)
    form = YamlMappingForm(request.POST or None, initial={"yaml": imp.mapping_yaml})
    if request.method == "POST" and imp.status == Import.Status.UPLOADED and form.is_valid():
        imp.mapping_yaml = form.cleaned_data["yaml"]
        imp.save(update_fields=["mapping_yaml"])
        messages.success(request, _("The mapping was updated."))
        return redirect("data-import", code=imp.district.code, icode=imp.code)
    status = 400 if form.errors else 200
    return render(
        request,
        "data/import_yaml.html",
        {"org": imp.district, "imp": imp, "form": form},
        status=status,
    )


# /o/<code>/data/imports/<icode>/mapping.yaml
@login_required
def import_mapping_download(request: HttpRequest, code: UUID, icode: UUID) -> HttpResponse:
    imp = get_import_for_user(request, code, icode)
    response = HttpResponse(imp.mapping_yaml, content_type="application/yaml; charset=utf-8")
    stem = Path(imp.file_name).name.split(".")[0] or "mapping"
    response["Content-Disposition"] = f'attachment; filename="{stem}-mapping.yaml"'
    return response


# /o/<code>/data/imports/<icode>/report.csv
@never_cache
@login_required
def import_report_csv(request: HttpRequest, code: UUID, icode: UUID) -> HttpResponse:
    imp = get_import_for_user(request, code, icode)
    rows = len(imp.report.get("detail", []))
    record(request, "data.report_downloaded", org=imp.district, obj=imp, detail={"rows": rows})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{imp.code}-problems.csv"'
    writer = csv.writer(response)
    writer.writerow(["severity", "kind", "file", "row", "column", "value", "message"])
    for p in imp.report.get("detail", []):
        cells = [
            p["severity"],
            p["kind"],
            p["file"],
            p["row"] or "",
            p["column"],
            p["value"],
            p["message"],
        ]
        writer.writerow([safe_cell(str(c)) for c in cells])
    return response


# /o/<code>/data/imports/<icode>/cancel/
@require_POST
@login_required
def import_cancel(request: HttpRequest, code: UUID, icode: UUID) -> HttpResponse:
    imp = get_import_for_user(request, code, icode)
    queued = Import.objects.filter(
        pk=imp.pk, status__in=[Import.Status.QUEUED, Import.Status.UPLOADED]
    )
    if not queued.update(status=Import.Status.CANCELLED):
        Import.objects.filter(pk=imp.pk, status=Import.Status.RUNNING).update(cancel_requested=True)
    record(request, "data.import_cancelled", org=imp.district, obj=imp)
    return redirect("data-import", code=imp.district.code, icode=imp.code)


# /o/<code>/data/imports/<icode>/add-schools/
@require_POST
@login_required
def import_add_schools(request: HttpRequest, code: UUID, icode: UUID) -> HttpResponse:
    """Add the schools a refused file names but Headway lacks, then check the file again."""
    imp = get_import_for_user(request, code, icode)
    if imp.status != Import.Status.REFUSED:
        return redirect("data-import", code=imp.district.code, icode=imp.code)
    try:
        added = add_missing_schools(imp)
    except (ReadError, MappingError) as error:
        return _unreadable(request, imp, str(error))
    record(
        request,
        "org.schools_added_from_import",
        org=imp.district,
        obj=imp,
        detail={"codes": [school.local_id for school in added]},
    )
    messages.success(request, _("%(n)s schools were added.") % {"n": len(added)})
    _requeue(imp)
    return redirect("data-import", code=imp.district.code, icode=imp.code)


def _requeue(imp: Import) -> None:
    imp.reset(Import.Status.QUEUED)
    run_import.enqueue(str(imp.code))


# /o/<code>/data/imports/<icode>/retry/
@require_POST
@login_required
def import_retry(request: HttpRequest, code: UUID, icode: UUID) -> HttpResponse:
    imp = get_import_for_user(request, code, icode)
    if imp.status in (Import.Status.REFUSED, Import.Status.FAILED, Import.Status.CANCELLED):
        imp.reset(Import.Status.UPLOADED)
    return redirect("data-import", code=imp.district.code, icode=imp.code)


# /o/<code>/data/snapshots/<scode>/rollback/
@login_required
def snapshot_rollback(request: HttpRequest, code: UUID, scode: UUID) -> HttpResponse:
    snapshot = get_snapshot_for_user(request, code, scode)
    if request.method == "POST":
        years = pipeline.rollback(snapshot)
        record(
            request,
            "data.rolled_back",
            org=snapshot.district,
            obj=snapshot,
            detail={"years": years, "kind": snapshot.kind},
        )
        messages.success(request, _("The data from this snapshot is current again."))
        return redirect("data-home", code=snapshot.district.code)
    context = {"org": snapshot.district, "snapshot": snapshot}
    return render(request, "data/snapshot_rollback.html", context)
