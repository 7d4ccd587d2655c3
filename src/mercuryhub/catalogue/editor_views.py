"""Partners' pages for editing the catalogue: their entries, the entry forms, submitting for
review, deleting drafts, nominating oneself as an expert and uploading a spreadsheet. Each view
parses the request, calls the catalogue's actions or queries and renders."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mercuryhub.accounts.forms import add_action_errors
from mercuryhub.accounts.queries import (
    is_reviewer,
    organizations_editable_by,
    organizations_visible_to,
)
from mercuryhub.catalogue import membership_requests
from mercuryhub.catalogue.editor_forms import (
    ENTRY_FORMS,
    KIND_LABELS,
    LinkRequestForm,
    NominationForm,
)
from mercuryhub.catalogue.fields import normalized
from mercuryhub.catalogue.spreadsheets.importing import submit_entries
from mercuryhub.catalogue.upload_forms import UploadConfirmForm, UploadForm
from mercuryhub.lib.errors import InvalidInputError
from mercuryhub.review import actions as review_actions
from mercuryhub.review import errors as review_errors
from mercuryhub.review import queries as review_queries
from mercuryhub.review import registry
from mercuryhub.review.models import ReviewState

# How My entries groups the entries, most urgent first.
GROUPS = [
    ("returned", (ReviewState.RETURNED,)),
    ("draft", (ReviewState.DRAFT,)),
    ("submitted", (ReviewState.SUBMITTED,)),
    ("published", (ReviewState.VALIDATED, ReviewState.IMPORTED)),
]


def _form_class(kind: str):
    if kind not in ENTRY_FORMS:
        raise Http404(f"No kind of entry {kind!r}")
    return ENTRY_FORMS[kind]


def _may_upload(user) -> bool:
    return is_reviewer(user) or organizations_editable_by(user).exists()


@login_required
def my_entries(request):
    entries = review_queries.entries_editable_by(request.user)
    groups = [
        (name, [(kind, entry) for kind, entry in entries if entry.review_state in states])
        for name, states in GROUPS
    ]
    return render(
        request,
        "catalogue/editor/my_entries.html",
        {
            "groups": [(name, items) for name, items in groups if items],
            "has_entries": bool(entries),
            "can_add": organizations_editable_by(request.user).exists(),
            "can_upload": _may_upload(request.user),
            "link_requests": membership_requests.link_requests_for_editor(request.user),
        },
    )


@login_required
def entry_create(request, kind):
    form_class = _form_class(kind)
    organizations = organizations_editable_by(request.user)
    if not (organizations.exists() or form_class.organization_optional):
        raise PermissionDenied("Only editors of an organization can add entries for it")
    initial = {}
    if organizations.exists() and not form_class.organization_optional:
        initial[form_class.organization_field] = organizations[0].slug
    form = form_class(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        organizations=organizations,
        organization_required=not form_class.organization_optional,
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = _save_with_files(
                form,
                request.user,
                lambda data: review_actions.do_create_draft(kind, request.user, data),
            )
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            if "submit_for_review" in request.POST:
                entry = review_actions.do_submit_entry(kind, request.user, entry)
            _say_saved(request, entry, submitted="submit_for_review" in request.POST)
            return redirect("catalogue-my-entries")
    return _render_form(request, kind, form)


@login_required
def entry_edit(request, kind, pk):
    form_class = _form_class(kind)
    entry = review_queries.get_entry_for_editor(request.user, kind, pk)
    if not review_queries.can_edit_entry(request.user, entry):
        raise PermissionDenied(f"Only the editors of this {kind} can change it")
    options = _organization_options(request.user, kind, entry)
    initial = form_class.initial_from(
        review_queries.latest_data(kind, entry), version=entry.version
    )
    form = form_class(request.POST or None, request.FILES or None, initial=initial, **options)
    form.fields["base_version"].required = True
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_with_files(
                form,
                request.user,
                lambda data: review_actions.do_edit_entry(
                    kind, request.user, entry, data, base_version=form.cleaned_data["base_version"]
                ),
            )
        except review_errors.ConflictError as conflict:
            return _render_conflict(request, kind, entry, form, options, conflict)
        except InvalidInputError as error:
            add_action_errors(form, error.errors)
        else:
            return _after_edit(request, kind, entry, saved)
    return _render_form(request, kind, form, entry=entry)


def _save_with_files(form, user, save):
    """Store the files the form received (``EntryForm.files_to_store``, such as a resource's
    document) and save the entry with what they add to its data, in one transaction: when the
    entry is not saved, the files are forgotten too."""
    try:
        with transaction.atomic():
            return save({**form.entry_data(), **form.files_to_store(user)})
    except BaseException:
        form.discard_stored_files()
        raise


def _organization_options(user, kind: str, entry) -> dict:
    """The organizations the form offers: those the user edits, and the entry's own."""
    organizations = list(organizations_editable_by(user))
    entry_kind = registry.get(kind)
    current = entry_kind.organization_of(entry) if entry is not None else None
    if current is not None and current not in organizations:
        organizations.append(current)
    # A person's own entry (an expert's profile) may stay without an organization.
    own = entry is not None and entry_kind.owner_field and entry_kind.owner_id_of(entry) == user.pk
    required = not (_form_class(kind).organization_optional or own)
    return {"organizations": organizations, "organization_required": required}


def _after_edit(request, kind, entry, saved):
    # Versions count from 1; an imported entry gets its first version when first edited.
    if saved.version <= max(entry.version, 1):
        messages.info(request, _("Nothing was changed."))
    elif saved.published:
        messages.success(
            request,
            _(
                "Your changes to “%(name)s” are saved as version %(version)s. The published "
                "version stays visible until the secretariat validates your changes."
            )
            % {"name": saved.name, "version": saved.version},
        )
    else:
        messages.success(
            request,
            _("Your changes to “%(name)s” are saved as version %(version)s.")
            % {"name": saved.name, "version": saved.version},
        )
    if "submit_for_review" in request.POST:
        return _submit(request, kind, saved)
    return redirect("catalogue-my-entries")


def _render_conflict(request, kind, entry, posted, options, conflict):
    """The form again, now based on the newest version: it holds the other person's changes and
    every field this person changed, so that saving again loses neither."""
    base = review_queries.version_data(kind, entry, conflict.base_version) or {}
    theirs = review_queries.latest_data(kind, entry)
    mine = normalized(kind, posted.entry_data())
    changed_by_me = {
        name for name, _, _ in review_queries.diff({n: base.get(n) for n in mine}, mine)
    }
    merged = {**theirs, **{name: mine[name] for name in changed_by_me}}
    form = type(posted)(
        initial=type(posted).initial_from(merged, version=conflict.current_version), **options
    )
    changes = [
        {
            "label": _label(form, name),
            "before": _readable(form, name, old),
            "theirs": _readable(form, name, new),
            "mine": _readable(form, name, mine[name]) if name in changed_by_me else None,
        }
        for name, old, new in conflict.their_changes
    ]
    return _render_form(
        request,
        kind,
        form,
        entry=entry,
        conflict={"version": conflict.current_version, "changes": changes},
        status=409,
    )


def _label(form, name: str) -> str:
    field = form.fields.get(name)
    return str(field.label) if field else name.replace("_", " ").capitalize()


def _readable(form, name: str, value) -> str:
    """A stored value as the form names it: labels for codes, lists joined."""
    field = form.fields.get(name)
    labels = {}
    for code, label in getattr(field, "choices", []):
        if isinstance(label, list | tuple):  # a group of choices
            labels.update({str(c): str(text) for c, text in label})
        else:
            labels[str(code)] = str(label)
    values = value if isinstance(value, list | tuple) else [value]
    shown = []
    for item in values:
        if item is None or item == "":
            continue
        if isinstance(item, bool):
            shown.append(_("Yes") if item else _("No"))
        else:
            shown.append(labels.get(str(item), str(item)))
    return "; ".join(shown) or "—"


def _render_form(request, kind, form, *, entry=None, conflict=None, status=200):
    return render(
        request,
        "catalogue/editor/entry_form.html",
        {
            "kind": kind,
            "kind_label": KIND_LABELS[kind],
            "form": form,
            "entry": entry,
            "conflict": conflict,
        },
        status=status,
    )


def _say_saved(request, entry, *, submitted: bool) -> None:
    if submitted and entry.review_state == ReviewState.VALIDATED:
        # Kinds whose submissions need no reviewer (review.registry.publishes_on_submission).
        messages.success(request, _("“%(name)s” is saved and published.") % {"name": entry.name})
    elif submitted:
        messages.success(
            request,
            _("“%(name)s” is saved and submitted for review.") % {"name": entry.name},
        )
    else:
        messages.success(
            request,
            _("“%(name)s” is saved as a draft. Submit it for review when it is ready.")
            % {"name": entry.name},
        )


@login_required
@require_POST
def entry_submit(request, kind, pk):
    _form_class(kind)
    entry = review_queries.get_entry_for_editor(request.user, kind, pk)
    return _submit(request, kind, entry)


def _submit(request, kind, entry):
    try:
        entry = review_actions.do_submit_entry(kind, request.user, entry)
    except review_errors.WorkflowError as error:
        messages.error(
            request, _("“%(name)s”: %(problem)s") % {"name": entry.name, "problem": error}
        )
    else:
        if entry.review_state == ReviewState.VALIDATED:
            messages.success(request, _("“%(name)s” is published.") % {"name": entry.name})
            return redirect("catalogue-my-entries")
        messages.success(
            request,
            _(
                "“%(name)s” is submitted for review. The secretariat will validate it or "
                "return it to you with its reasons."
            )
            % {"name": entry.name},
        )
    return redirect("catalogue-my-entries")


@login_required
def entry_delete(request, kind, pk):
    _form_class(kind)
    entry = review_queries.get_entry_for_editor(request.user, kind, pk)
    if not review_queries.can_edit_entry(request.user, entry):
        raise PermissionDenied(f"Only the editors of this {kind} can delete it")
    if request.method == "POST":
        review_actions.do_remove_entry(kind, request.user, entry)
        messages.success(request, _("“%(name)s” is deleted.") % {"name": entry.name})
        return redirect("catalogue-my-entries")
    return render(
        request,
        "catalogue/editor/entry_delete.html",
        {"kind": kind, "kind_label": KIND_LABELS[kind], "entry": entry},
    )


# Nominating oneself as an expert --------------------------------------------------------------


@login_required
def expert_nominate(request):
    user = request.user
    posted = request.POST.get("form") if request.method == "POST" else None
    member_of = [m.organization for m in user.memberships.select_related("organization")]
    nomination = NominationForm(
        request.POST if posted == "nominate" else None,
        initial={"email": user.email, "name": user.name},
        organizations=member_of,
    )
    own_profiles = [
        entry
        for kind, entry in review_queries.entries_editable_by(user)
        if kind == "expert" and entry.user_id == user.pk
    ]
    link_request = LinkRequestForm(
        request.POST if posted == "link" else None,
        prefix="link",
        experts=own_profiles,
        organizations=organizations_visible_to(user).exclude(memberships__user=user),
    )
    if posted == "nominate" and nomination.is_valid():
        try:
            expert, asked = membership_requests.do_nominate_expert(user, nomination.entry_data())
        except InvalidInputError as error:
            add_action_errors(nomination, error.errors)
        else:
            return _after_nomination(request, expert, asked)
    if posted == "link" and link_request.is_valid():
        sent = _request_link(request, link_request, own_profiles)
        if sent:
            return redirect("catalogue-my-entries")
    return render(
        request,
        "catalogue/editor/expert_nominate.html",
        {"form": nomination, "link_form": link_request if own_profiles else None},
    )


def _after_nomination(request, expert, asked):
    if "submit_for_review" in request.POST:
        review_actions.do_submit_entry("expert", request.user, expert)
    _say_saved(request, expert, submitted="submit_for_review" in request.POST)
    if asked is not None:
        messages.info(
            request,
            _("We asked the editors of %(organization)s to confirm that you work for them.")
            % {"organization": asked.name},
        )
    return redirect("catalogue-my-entries")


def _request_link(request, form, own_profiles) -> bool:
    expert = next(e for e in own_profiles if str(e.pk) == form.cleaned_data["expert"])
    organization = (
        organizations_visible_to(request.user).filter(slug=form.cleaned_data["organization"]).get()
    )
    try:
        membership_requests.do_request_expert_link(
            request.user, expert, organization, form.cleaned_data["message"]
        )
    except InvalidInputError as error:
        add_action_errors(form, error.errors)
        return False
    messages.success(
        request,
        _("We e-mailed the editors of %(organization)s; they will reply to you.")
        % {"organization": organization.name},
    )
    return True


# Uploading a spreadsheet for review -----------------------------------------------------------


@login_required
def bulk_upload(request):
    if not _may_upload(request.user):
        raise PermissionDenied("Only editors of an organization and the secretariat upload entries")
    if request.method == "POST" and "upload" in request.POST:
        return _confirm_upload(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.upload()
        context["report"] = _submit_upload(request.user, upload, dry_run=True)
        context["upload"] = upload
        context["confirm_form"] = UploadConfirmForm(
            initial={"upload": upload.token(request.user)}, user=request.user
        )
        context["form"] = UploadForm(initial={"kind": upload.kind})
    return render(request, "catalogue/editor/bulk_upload.html", context)


def _confirm_upload(request):
    confirm = UploadConfirmForm(request.POST, user=request.user)
    if not confirm.is_valid():
        return render(
            request,
            "catalogue/editor/bulk_upload.html",
            {"form": UploadForm(), "expired": confirm.errors["upload"]},
            status=400,
        )
    upload = confirm.cleaned_data["upload"]
    report = _submit_upload(request.user, upload, dry_run=False)
    if report.saved:
        messages.success(
            request,
            _(
                "%(created)s new entries and %(updated)s changed entries are submitted for "
                "review; %(unchanged)s rows changed nothing."
            )
            % {"created": report.created, "updated": report.updated, "unchanged": report.unchanged},
        )
        return redirect("catalogue-my-entries")
    return render(
        request,
        "catalogue/editor/bulk_upload.html",
        {"form": UploadForm(initial={"kind": upload.kind}), "report": report, "upload": upload},
    )


def _submit_upload(user, upload, *, dry_run: bool):
    return submit_entries(
        upload.kind,
        io.BytesIO(upload.content),
        user=user,
        file_format=upload.file_format,
        dry_run=dry_run,
    )


@login_required
def expert_link(request, pk, slug):
    """An editor of the organization accepts or declines an expert's request to be linked to
    it. Without such a request the page is not found."""
    link_request = membership_requests.get_link_request_for_user(request.user, pk, slug)
    expert, organization = link_request.expert, link_request.organization
    if request.method == "POST":
        names = {"expert": expert.name, "organization": organization.name}
        try:
            if request.POST.get("answer") == "decline":
                membership_requests.do_decline_expert_link(request.user, link_request)
                declined = _("You declined %(expert)s's request to join %(organization)s.")
                messages.success(request, declined % names)
            else:
                membership_requests.do_accept_expert_link(request.user, link_request)
                messages.success(
                    request, _("%(expert)s is now linked to %(organization)s.") % names
                )
        except review_errors.WorkflowError as error:
            messages.error(request, str(error))
        return redirect("catalogue-my-entries")
    return render(
        request,
        "catalogue/editor/expert_link.html",
        {"link_request": link_request, "expert": expert, "organization": organization},
    )
