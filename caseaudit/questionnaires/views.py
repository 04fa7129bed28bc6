"""The template builder: list, build, reorder, preview and version audit templates.

Every page needs Permission.MANAGE_TEMPLATES and reaches templates through caseaudit.access, so
another partnership's template answers 404. Every change goes through builder.py, which refuses
a frozen version; the pages then offer "Make a new version" instead."""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from caseaudit import access
from caseaudit.accounts.roles import Permission
from caseaudit.forms import apply_errors
from caseaudit.questionnaires import builder, library
from caseaudit.questionnaires.builder import VersionFrozenError
from caseaudit.questionnaires.forms import (
    ConditionOptionsForm,
    ConditionQuestionForm,
    GradeScaleForm,
    ImportForm,
    LibraryForm,
    QuestionForm,
    SectionForm,
    TemplateForm,
    rows_posted,
)
from caseaudit.questionnaires.models import CHOICE_TYPES, Meaning, Question, TemplateVersion
from caseaudit.questionnaires.services import template_create, version_spec
from caseaudit.questionnaires.templatefile import (
    TemplateFileError,
    dump_template,
    load_template_file,
)
from caseaudit.returns.forms import section_form

manage_templates = access.membership_required(Permission.MANAGE_TEMPLATES)
FILE_FORMATS = {"yaml": "application/yaml", "json": "application/json"}


def _posted(request: HttpRequest, files: bool = False):
    """The submitted data, so that a form is bound on POST even when it posted nothing."""
    if request.method != "POST":
        return (None, None) if files else None
    return (request.POST, request.FILES) if files else request.POST


def _version(request: HttpRequest, pk: int, number: int) -> TemplateVersion:
    return access.get_template_version_for_user(
        request.membership, pk, number, Permission.MANAGE_TEMPLATES
    )


def _section(version: TemplateVersion, section_pk: int):
    return get_object_or_404(version.sections.select_related("version__template"), pk=section_pk)


def _question(version: TemplateVersion, question_pk: int) -> Question:
    questions = (
        Question.objects.filter(version=version)
        .select_related("section", "version__template", "show_if_question")
        .prefetch_related("options")
    )
    return get_object_or_404(questions, pk=question_pk)


def _version_url(version: TemplateVersion, anchor: str = "") -> str:
    url = reverse("template_version", args=[version.template_id, version.number])
    return f"{url}#{anchor}" if anchor else url


def _frozen(request: HttpRequest, version: TemplateVersion) -> HttpResponse:
    """Where a change to a frozen version ends: its page, saying why and offering a new one."""
    messages.error(
        request,
        f"Version {version.number} has been sent to agencies, so it cannot change. "
        "Make a new version to edit it",
    )
    return redirect(_version_url(version))


# Templates --------------------------------------------------------------------------------------


@require_GET
@manage_templates
def template_list(request: HttpRequest) -> HttpResponse:
    latest = TemplateVersion.objects.filter(template=OuterRef("pk")).order_by("-number")
    templates = access.templates_for_user(request.membership, Permission.MANAGE_TEMPLATES).annotate(
        latest_number=Max("versions__number"),
        latest_frozen_at=Subquery(latest.values("frozen_at")[:1]),
        audit_count=Count("versions__audits", distinct=True),
    )
    return render(request, "questionnaires/template_list.html", {"templates": templates})


@require_http_methods(["GET", "POST"])
@manage_templates
def template_new(request: HttpRequest) -> HttpResponse:
    form = TemplateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            template, version = builder.template_new(
                partnership=request.membership.partnership,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                user=request.user,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Template created: {template.name}. Add its first section")
            return redirect(_version_url(version))
    return render(request, "questionnaires/template_form.html", {"form": form, "template": None})


@require_http_methods(["GET", "POST"])
@manage_templates
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = access.get_template_for_user(request.membership, pk, Permission.MANAGE_TEMPLATES)
    initial = {"name": template.name, "description": template.description}
    form = TemplateForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            builder.template_update(
                template=template,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            template.refresh_from_db()
            apply_errors(form, error)
        else:
            messages.success(request, "Template name and description saved")
            return redirect("template_detail", pk=template.pk)
    return render(
        request, "questionnaires/template_form.html", {"form": form, "template": template}
    )


@require_GET
@manage_templates
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    template = access.get_template_for_user(request.membership, pk, Permission.MANAGE_TEMPLATES)
    versions = (
        template.versions.select_related("created_by")
        .annotate(
            question_count=Count("questions", distinct=True),
            audit_count=Count("audits", distinct=True),
        )
        .order_by("-number")
    )
    return render(
        request, "questionnaires/template_detail.html", {"template": template, "versions": versions}
    )


@require_http_methods(["GET", "POST"])
@manage_templates
def template_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(*_posted(request, files=True))
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            spec = load_template_file(upload, upload.name)
        except TemplateFileError as error:
            form.add_error("file", str(error))
        else:
            return _created(request, spec, source=upload.name[:200])
    return render(request, "questionnaires/import.html", {"form": form})


def _created(request: HttpRequest, spec: dict, source: str) -> HttpResponse:
    """Stores a spec from a file or the library. A template of the same name gets it as its
    next version, as services.template_create does for files imported again."""
    template, version = template_create(
        partnership=request.membership.partnership, spec=spec, user=request.user, source=source
    )
    if version.number == 1:
        messages.success(request, f"Template created: {template.name}")
    else:
        messages.success(
            request,
            f"You already had a template called {template.name}: "
            f"this is its version {version.number}",
        )
    return redirect(_version_url(version))


@require_http_methods(["GET", "POST"])
@manage_templates
def template_library(request: HttpRequest) -> HttpResponse:
    entries = library.available()
    form = LibraryForm(_posted(request), templates=entries)
    if request.method == "POST" and form.is_valid():
        slug = form.cleaned_data["slug"]
        return _created(request, library.load(slug), source=library.source_of(slug))
    return render(request, "questionnaires/library.html", {"form": form, "entries": entries})


# One version ------------------------------------------------------------------------------------


def _condition_text(question: Question, by_pk: dict[int, Question]) -> str:
    on = by_pk.get(question.show_if_question_id)
    if on is None:
        return ""
    labels = [o.label for o in on.options.all() if o.key in question.show_if_options]
    return f"“{on.text}” ({on.key}) is " + " or ".join(labels)


def _sections_with_questions(version: TemplateVersion) -> list:
    """The version's sections, each with `.question_list`, each question with `.number`
    ("2.3") and `.condition` (in words)."""
    sections = list(version.sections.order_by("order", "id"))
    questions = list(
        Question.objects.filter(version=version).prefetch_related("options").order_by("order", "id")
    )
    by_pk = {question.pk: question for question in questions}
    by_section = defaultdict(list)
    for question in questions:
        by_section[question.section_id].append(question)
    for section_number, section in enumerate(sections, start=1):
        section.number = section_number
        section.question_list = by_section[section.pk]
        for question_number, question in enumerate(section.question_list, start=1):
            question.number = f"{section_number}.{question_number}"
            question.condition = _condition_text(question, by_pk)
    return sections


@require_GET
@manage_templates
def template_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = _version(request, pk, number)
    latest = version.template.latest_version()
    return render(
        request,
        "questionnaires/version.html",
        {
            "version": version,
            "template": version.template,
            "sections": _sections_with_questions(version),
            "latest": latest,
            "audit_count": version.audits.count(),
            "editable": not version.is_frozen,
            "meanings": dict(Meaning.choices),
        },
    )


@require_POST
@manage_templates
def template_version_new(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The 'Make a new version' button: the template's draft, copied from this version when
    there is none."""
    version = _version(request, pk, number)
    newest = version.template.latest_version()
    draft = builder.version_draft(version=version, user=request.user)
    if draft.pk == version.pk:
        messages.success(request, f"Version {version.number} is a draft: you can change it")
    elif draft.number > newest.number:
        messages.success(
            request, f"Version {draft.number} made as a copy of version {version.number}"
        )
    else:
        messages.success(request, f"Version {draft.number} is the draft: change that one")
    return redirect(_version_url(draft))


@require_GET
@manage_templates
def template_download(request: HttpRequest, pk: int, number: int, file_format: str):
    if file_format not in FILE_FORMATS:
        raise Http404("Page not found")
    version = _version(request, pk, number)
    content = dump_template(version_spec(version), file_format)
    name = slugify(version.template.name) or "template"
    response = HttpResponse(content, content_type=f"{FILE_FORMATS[file_format]}; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-version-{version.number}.{file_format}"'
    )
    return response


@require_http_methods(["GET", "POST"])
@manage_templates
def template_grade_scale(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = _version(request, pk, number)
    if version.is_frozen:
        return _frozen(request, version)
    scale = version.grade_scale
    if request.method == "POST":
        form = GradeScaleForm(request.POST, scale=scale, rows=rows_posted(request.POST))
    else:
        form = GradeScaleForm(initial=GradeScaleForm.initial_for(scale), scale=scale)
    if request.method == "POST" and form.is_valid():
        try:
            builder.grade_scale_set(version=version, scale=form.cleaned_data["scale"])
        except VersionFrozenError:
            return _frozen(request, version)
        except ValidationError as error:
            version.refresh_from_db()
            form.add_error(form.first_row_field(), error.message_dict.get("scale", error.messages))
        else:
            messages.success(request, "Grade scale saved")
            if request.POST.get("then") == "more":
                return redirect("template_grade_scale", pk=pk, number=number)
            return redirect(_version_url(version, "grade-scale"))
    return render(
        request,
        "questionnaires/grade_scale.html",
        {"form": form, "version": version, "template": version.template},
    )


# Sections ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@manage_templates
def template_section_add(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = _version(request, pk, number)
    if version.is_frozen:
        return _frozen(request, version)
    form = SectionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            section = builder.section_add(version=version, **form.cleaned_data)
        except VersionFrozenError:
            return _frozen(request, version)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Section added: {section.title}")
            return redirect(_version_url(version, f"section-{section.pk}"))
    return render(
        request,
        "questionnaires/section_form.html",
        {"form": form, "version": version, "template": version.template, "section": None},
    )


@require_http_methods(["GET", "POST"])
@manage_templates
def template_section_edit(
    request: HttpRequest, pk: int, number: int, section_pk: int
) -> HttpResponse:
    version = _version(request, pk, number)
    section = _section(version, section_pk)
    if version.is_frozen:
        return _frozen(request, version)
    initial = {"title": section.title, "description": section.description}
    form = SectionForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            builder.section_update(section=section, **form.cleaned_data)
        except VersionFrozenError:
            return _frozen(request, version)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Section saved: {section.title}")
            return redirect(_version_url(version, f"section-{section.pk}"))
    return render(
        request,
        "questionnaires/section_form.html",
        {"form": form, "version": version, "template": version.template, "section": section},
    )


@require_POST
@manage_templates
def template_section_move(
    request: HttpRequest, pk: int, number: int, section_pk: int
) -> HttpResponse:
    version = _version(request, pk, number)
    section = _section(version, section_pk)
    direction = request.POST.get("direction", "")
    try:
        moved = builder.section_move(section=section, direction=direction)
    except VersionFrozenError:
        return _frozen(request, version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if moved:
            messages.success(request, f"Section moved {direction}: {section.title}")
    return redirect(_version_url(version, f"section-{section.pk}"))


@require_http_methods(["GET", "POST"])
@manage_templates
def template_section_delete(
    request: HttpRequest, pk: int, number: int, section_pk: int
) -> HttpResponse:
    version = _version(request, pk, number)
    section = _section(version, section_pk)
    if version.is_frozen:
        return _frozen(request, version)
    if request.method == "POST":
        try:
            builder.section_delete(section=section)
        except VersionFrozenError:
            return _frozen(request, version)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_version_url(version, f"section-{section.pk}"))
        messages.success(request, f"Section deleted: {section.title}")
        return redirect(_version_url(version))
    count = section.questions.count()
    return render(
        request,
        "questionnaires/confirm_delete.html",
        {
            "version": version,
            "template": version.template,
            "heading": f"Are you sure you want to delete the section “{section.title}”?",
            "warning": (
                f"Its {count} question{'s' if count != 1 else ''} will be deleted too."
                if count
                else ""
            ),
            "button": "Delete the section",
            "back": _version_url(version, f"section-{section.pk}"),
        },
    )


# Questions --------------------------------------------------------------------------------------


def _apply_question_errors(form: QuestionForm, error: ValidationError) -> None:
    """Errors about the list of options as a whole go beside its first row."""
    errors = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for name, problems in errors.items():
        if name == "options":
            form.add_error(form.first_row_field(), problems)
        else:
            form.add_error(name if name in form.fields else None, problems)


def _question_page(request, version, form, question=None, section=None) -> HttpResponse:
    return render(
        request,
        "questionnaires/question_form.html",
        {
            "form": form,
            "version": version,
            "template": version.template,
            "question": question,
            "section": section or question.section,
            "rows": form.bound_rows(),
        },
    )


@require_http_methods(["GET", "POST"])
@manage_templates
def template_question_add(
    request: HttpRequest, pk: int, number: int, section_pk: int
) -> HttpResponse:
    version = _version(request, pk, number)
    section = _section(version, section_pk)
    if version.is_frozen:
        return _frozen(request, version)
    if request.method == "POST":
        form = QuestionForm(request.POST, rows=rows_posted(request.POST))
    else:
        form = QuestionForm(initial={"required": True})
    if request.method == "POST" and form.is_valid():
        try:
            question = builder.question_add(section=section, data=form.question_data())
        except VersionFrozenError:
            return _frozen(request, version)
        except ValidationError as error:
            _apply_question_errors(form, error)
        else:
            return _question_saved(request, version, question, "Question added")
    return _question_page(request, version, form, section=section)


def _question_saved(request, version, question, message: str) -> HttpResponse:
    messages.success(request, f"{message}: {question.key}")
    if request.POST.get("then") == "more":
        return redirect(
            "template_question_edit",
            pk=version.template_id,
            number=version.number,
            question_pk=question.pk,
        )
    return redirect(_version_url(version, f"question-{question.pk}"))


@require_http_methods(["GET", "POST"])
@manage_templates
def template_question_edit(
    request: HttpRequest, pk: int, number: int, question_pk: int
) -> HttpResponse:
    version = _version(request, pk, number)
    question = _question(version, question_pk)
    if version.is_frozen:
        return _frozen(request, version)
    sections = version.sections.order_by("order", "id")
    if request.method == "POST":
        form = QuestionForm(
            request.POST, question=question, sections=sections, rows=rows_posted(request.POST)
        )
    else:
        form = QuestionForm(
            initial=QuestionForm.initial_for(question), question=question, sections=sections
        )
    if request.method == "POST" and form.is_valid():
        try:
            builder.question_update(question=question, data=form.question_data())
        except VersionFrozenError:
            return _frozen(request, version)
        except ValidationError as error:
            question = _question(version, question_pk)
            _apply_question_errors(form, error)
        else:
            return _question_saved(request, version, question, "Question saved")
    return _question_page(request, version, form, question=question)


@require_POST
@manage_templates
def template_question_move(
    request: HttpRequest, pk: int, number: int, question_pk: int
) -> HttpResponse:
    version = _version(request, pk, number)
    question = _question(version, question_pk)
    direction = request.POST.get("direction", "")
    try:
        moved = builder.question_move(question=question, direction=direction)
    except VersionFrozenError:
        return _frozen(request, version)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if moved:
            messages.success(request, f"Question moved {direction}: {question.key}")
    return redirect(_version_url(version, f"question-{question.pk}"))


@require_http_methods(["GET", "POST"])
@manage_templates
def template_question_delete(
    request: HttpRequest, pk: int, number: int, question_pk: int
) -> HttpResponse:
    version = _version(request, pk, number)
    question = _question(version, question_pk)
    if version.is_frozen:
        return _frozen(request, version)
    if request.method == "POST":
        try:
            builder.question_delete(question=question)
        except VersionFrozenError:
            return _frozen(request, version)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(_version_url(version, f"question-{question.pk}"))
        messages.success(request, f"Question deleted: {question.key}")
        return redirect(_version_url(version, f"section-{question.section_id}"))
    return render(
        request,
        "questionnaires/confirm_delete.html",
        {
            "version": version,
            "template": version.template,
            "heading": "Are you sure you want to delete this question?",
            "quote": question.text,
            "button": "Delete the question",
            "back": _version_url(version, f"question-{question.pk}"),
        },
    )


@require_http_methods(["GET", "POST"])
@manage_templates
def template_question_condition(
    request: HttpRequest, pk: int, number: int, question_pk: int
) -> HttpResponse:
    """A condition in two steps that work without scripts: which earlier question (a GET form,
    so the choice needs no saving), then which of its answers show this one."""
    version = _version(request, pk, number)
    question = _question(version, question_pk)
    if version.is_frozen:
        return _frozen(request, version)
    places = builder.question_positions(version)
    earlier = [
        candidate
        for candidate in Question.objects.filter(version=version, type__in=CHOICE_TYPES)
        .prefetch_related("options")
        .order_by("section__order", "section_id", "order", "id")
        if places[candidate.pk] < places[question.pk]
    ]
    context = {"version": version, "template": version.template, "question": question}
    if request.method == "POST" and "remove" in request.POST:
        try:
            builder.question_condition_set(question=question, on=None)
        except VersionFrozenError:
            return _frozen(request, version)
        messages.success(request, f"Question {question.key} now always shows")
        return redirect(_version_url(version, f"question-{question.pk}"))
    if request.method == "POST":
        on = get_object_or_404(
            Question.objects.filter(pk__in=[q.pk for q in earlier]),
            pk=request.POST.get("on") if str(request.POST.get("on", "")).isdigit() else None,
        )
        form = ConditionOptionsForm(request.POST, on=on)
        if form.is_valid():
            try:
                builder.question_condition_set(
                    question=question, on=on, options=form.cleaned_data["options"]
                )
            except VersionFrozenError:
                return _frozen(request, version)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, f"Condition saved for question {question.key}")
                return redirect(_version_url(version, f"question-{question.pk}"))
        return render(request, "questionnaires/condition.html", context | {"form": form, "on": on})
    if "on" in request.GET:
        choose = ConditionQuestionForm(request.GET, earlier=earlier)
        if choose.is_valid():
            on = choose.cleaned_data["on"]
            initial = (
                {"options": question.show_if_options} if on == question.show_if_question else {}
            )
            form = ConditionOptionsForm(initial=initial, on=on)
            return render(
                request, "questionnaires/condition.html", context | {"form": form, "on": on}
            )
    else:
        initial = {"on": str(question.show_if_question_id or "")}
        choose = ConditionQuestionForm(initial=initial, earlier=earlier)
    return render(
        request,
        "questionnaires/condition.html",
        context | {"form": choose, "earlier": earlier, "choosing": True},
    )


# Preview ---------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@manage_templates
def template_preview(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One section at a time, drawn by the return form itself (returns.forms.section_form and
    returns/_section_fields.html), so it is exactly what auditors see. "Check this page" runs
    the return form's checks and saves nothing."""
    version = _version(request, pk, number)
    sections = list(version.sections.order_by("order", "id"))
    context = {"version": version, "template": version.template, "sections": sections}
    if not sections:
        return render(request, "questionnaires/preview.html", context)
    place = request.GET.get("section", "1")
    place = int(place) if place.isdigit() and 1 <= int(place) <= len(sections) else 1
    section = sections[place - 1]
    all_questions = list(
        Question.objects.filter(version=version)
        .prefetch_related("options")
        .order_by("section__order", "section_id", "order", "id")
    )
    form = section_form(section, _posted(request), all_questions=all_questions, preview=True)
    checked = request.method == "POST" and form.is_valid() and form.require_answers()
    return render(
        request,
        "questionnaires/preview.html",
        context
        | {
            "form": form,
            "section": section,
            "place": place,
            "previous": place - 1 if place > 1 else None,
            "next": place + 1 if place < len(sections) else None,
            "checked": checked,
        },
    )
