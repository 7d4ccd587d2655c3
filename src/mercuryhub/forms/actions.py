"""Every write of the forms app: projects, members and app users; XLSForms published as form
versions, media files, form states; submissions received (new, resent, edited) and reviewed."""

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from mercuryhub.accounts.models import User
from mercuryhub.forms import imports, queries, registry
from mercuryhub.forms.builtin_forms import BUILTIN_DIR
from mercuryhub.forms.conversion import XLSFormError, convert_xlsform, problem_of
from mercuryhub.forms.instances import parse_instance
from mercuryhub.forms.models import (
    AppUser,
    Form,
    FormMedia,
    FormVersion,
    Project,
    ProjectMembership,
    Submission,
    SubmissionAttachment,
)
from mercuryhub.lib.errors import InvalidInputError, StateError

Role = ProjectMembership.Role


class SubmissionConflictError(StateError):
    """An instanceID already received with other content, or an edit of an instance already
    replaced."""


class UnknownFormVersionError(StateError):
    """A submission for a version of the form the server does not have."""


def _require_manager(actor, project: Project) -> None:
    if actor is not None and not queries.can_manage_project(actor, project):
        raise PermissionDenied(_("Only the project's managers can do this."))


# Projects, members, app users --------------------------------------------------------------


@transaction.atomic
def do_create_project(actor, name: str, *, slug: str = "", description: str = "") -> Project:
    """A new project; its creator (an administrator or reviewer; nobody for the platform's own
    projects) becomes its first manager."""
    if actor is not None and not queries.can_create_project(actor):
        raise PermissionDenied(_("Only administrators and reviewers create projects."))
    name = name.strip()
    slug = slugify(slug or name)[:80]
    errors = {}
    if not name:
        errors["name"] = _("A project needs a name.")
    if not slug:
        errors["slug"] = _("A project needs a short name of letters, digits and hyphens.")
    elif slug == "new" or Project.objects.filter(slug=slug).exists():
        errors["slug"] = _("The short name '%(slug)s' is taken.") % {"slug": slug}
    if errors:
        raise InvalidInputError(errors)
    project = Project.objects.create(name=name, slug=slug, description=description.strip())
    if actor is not None:
        ProjectMembership.objects.create(project=project, user=actor, role=Role.MANAGER)
    return project


@transaction.atomic
def do_set_project_member(actor, project: Project, email: str, role: str) -> ProjectMembership:
    _require_manager(actor, project)
    if role not in Role.values:
        raise InvalidInputError({"role": _("Unknown role '%(role)s'.") % {"role": role}})
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        raise InvalidInputError(
            {"email": _("No account has the address '%(email)s'.") % {"email": email.strip()}}
        )
    membership, _created = ProjectMembership.objects.update_or_create(
        project=project, user=user, defaults={"role": role}
    )
    return membership


@transaction.atomic
def do_remove_project_member(actor, project: Project, user_id: int) -> None:
    _require_manager(actor, project)
    membership = project.memberships.filter(user_id=user_id).first()
    if membership is None:
        raise Http404(_("No such member."))
    others = project.memberships.filter(role=Role.MANAGER).exclude(pk=membership.pk)
    if membership.role == Role.MANAGER and not others.exists():
        raise StateError(_("A project keeps at least one manager."))
    membership.delete()


def do_create_app_user(actor, project: Project, display_name: str) -> AppUser:
    _require_manager(actor, project)
    display_name = display_name.strip()
    if not display_name:
        raise InvalidInputError({"display_name": _("An app user needs a name.")})
    return AppUser.objects.create(
        project=project,
        display_name=display_name[:100],
        token=secrets.token_urlsafe(48),
        created_by=actor,
    )


def do_revoke_app_user(actor, app_user: AppUser) -> AppUser:
    _require_manager(actor, app_user.project)
    if app_user.revoked_at is None:
        app_user.revoked_at = timezone.now()
        app_user.save(update_fields=["revoked_at"])
    return app_user


# Forms ----------------------------------------------------------------------------------


@transaction.atomic
def do_publish_xlsform(
    actor, project: Project, name: str, content: bytes, *, form: Form | None = None
) -> FormVersion:
    """Convert an XLSForm and keep it as a new version of its form (created on its first
    version). Given ``form``, the XLSForm must be of that form. The same version with the same
    XForm is kept as it is; the same version with other content is refused."""
    _require_manager(actor, project)
    if len(content) > settings.FORMS_MAX_XLSFORM_BYTES:
        limit = filesizeformat(settings.FORMS_MAX_XLSFORM_BYTES)
        raise XLSFormError(
            [problem_of(_("The XLSForm is larger than %(limit)s.") % {"limit": limit})]
        )
    conversion = convert_xlsform(content)
    if form is not None and conversion.xml_form_id != form.xml_form_id:
        raise XLSFormError(
            [
                problem_of(
                    _(
                        "This XLSForm's form_id is '%(found)s', not '%(expected)s': upload it "
                        "as a new form."
                    )
                    % {"found": conversion.xml_form_id, "expected": form.xml_form_id},
                    sheet="settings",
                )
            ]
        )
    form = Form.objects.filter(project=project, xml_form_id=conversion.xml_form_id).first()
    if form is None:
        form = Form.objects.create(
            project=project, xml_form_id=conversion.xml_form_id, title=conversion.title
        )
    existing = form.versions.filter(version=conversion.version).first()
    if existing is not None:
        if existing.hash == conversion.hash:
            return existing
        raise XLSFormError(
            [
                problem_of(
                    _(
                        "Version '%(version)s' of '%(form)s' exists already with other content: "
                        "change the version in the settings sheet."
                    )
                    % {"version": conversion.version, "form": form.xml_form_id},
                    sheet="settings",
                )
            ]
        )
    previous = form.current_version
    version = FormVersion(
        form=form,
        version=conversion.version,
        xlsform_name=name[:255],
        xlsform_sha256=hashlib.sha256(content).hexdigest(),
        xml=conversion.xml,
        hash=conversion.hash,
        survey_json=conversion.survey_json,
        warnings=conversion.warnings,
        created_by=actor,
    )
    version.xlsform.save(f"{form.xml_form_id}.xlsx", ContentFile(content), save=False)
    version.save()
    if previous is not None:  # the media files carry over to the new version
        for media in previous.media.all():
            FormMedia.objects.create(
                form_version=version,
                name=media.name,
                file=media.file.name,
                content_type=media.content_type,
                md5=media.md5,
            )
    form.current_version = version
    form.title = conversion.title
    form.save(update_fields=["current_version", "title"])
    return version


# What ODK Collect shows or reads of a form's media: images, sounds, videos, and the data files
# of choice lists and maps.
MEDIA_EXTENSIONS = (
    ".png", ".jpg", ".jpeg", ".gif", ".mp3", ".m4a", ".wav", ".ogg", ".amr",
    ".mp4", ".3gp", ".webm", ".csv", ".geojson", ".xml", ".txt",
)  # fmt: skip


@transaction.atomic
def do_add_form_media(actor, form: Form, upload) -> FormMedia:
    """Add (or replace) a media file of the form's current version."""
    _require_manager(actor, form.project)
    if form.current_version is None:
        raise StateError(_("The form has no version yet."))
    name = (upload.name or "").rsplit("/", 1)[-1].strip()
    if not name:
        raise InvalidInputError({"file": _("The file has no name.")})
    if not name.lower().endswith(MEDIA_EXTENSIONS):
        raise InvalidInputError(
            {
                "file": _(
                    "A form's media file is an image, a sound, a video or a data file: %(types)s."
                )
                % {"types": ", ".join(MEDIA_EXTENSIONS)}
            }
        )
    if upload.size > settings.FORMS_MAX_MEDIA_BYTES:
        limit = filesizeformat(settings.FORMS_MAX_MEDIA_BYTES)
        raise InvalidInputError(
            {"file": _("The file is larger than %(limit)s.") % {"limit": limit}}
        )
    content = upload.read()
    form.current_version.media.filter(name=name).delete()
    media = FormMedia(
        form_version=form.current_version,
        name=name,
        content_type=upload.content_type or "application/octet-stream",
        md5=hashlib.md5(content).hexdigest(),  # noqa: S324 - the manifest's hash
    )
    media.file.save(name, ContentFile(content), save=False)
    media.save()
    return media


def do_set_form_state(actor, form: Form, state: str) -> Form:
    _require_manager(actor, form.project)
    if state not in Form.State.values:
        raise InvalidInputError({"state": _("Unknown state '%(state)s'.") % {"state": state}})
    form.state = state
    form.save(update_fields=["state"])
    return form


# Submissions ----------------------------------------------------------------------------


def _store_attachments(submission: Submission, files) -> int:
    """Keep the files not kept yet (a device resends in batches); the number added."""
    if not files:  # most submissions: nothing to look up
        return 0
    kept = set(submission.attachments.values_list("name", flat=True))
    added = 0
    for upload in files:
        name = (upload.name or "").rsplit("/", 1)[-1]
        if not name or name in kept:
            continue
        attachment = SubmissionAttachment(
            submission=submission,
            name=name,
            content_type=upload.content_type or "application/octet-stream",
            size=upload.size,
        )
        attachment.file.save(name, upload, save=False)
        attachment.save()
        kept.add(name)
        added += 1
    return added


def _form_for_instance(project: Project, instance) -> tuple[Form, FormVersion]:
    """The open form and the version an instance names (queries.form_version_named); when
    there is none, the lookups that say why."""
    version = queries.form_version_named(project, instance.xml_form_id, instance.version)
    form = version.form if version else None
    if form is None:
        form = project.forms.filter(xml_form_id=instance.xml_form_id).order_by().first()
    if form is None:
        raise Http404(_("No form '%(form)s' in this project.") % {"form": instance.xml_form_id})
    if form.state == Form.State.CLOSED:
        raise PermissionDenied(
            _("The form '%(form)s' is closed to submissions.") % {"form": form.xml_form_id}
        )
    if version is None:
        raise UnknownFormVersionError(
            _(
                "Version '%(version)s' of the form '%(form)s' is not known to the server: get "
                "the form's current version and fill it in again."
            )
            % {"version": instance.version, "form": form.xml_form_id}
        )
    return form, version


def do_receive_submission(
    project: Project,
    xml: bytes,
    files=(),
    *,
    app_user: AppUser | None = None,
    user=None,
    device_id: str = "",
) -> tuple[Submission, bool]:
    """Receive an instance with its attachments, from a device (``app_user``) or a person
    (``user``, who must be allowed to submit). Returns the submission and whether it is new: an
    identical resend is not stored twice (attachments missing before are added); the same
    instanceID with other content is a ``SubmissionConflictError``; an edit (``deprecatedID``)
    replaces the instance it names, which stays in its history."""
    if user is not None and not queries.can_submit(user, project):
        raise PermissionDenied(_("Only the project's managers and data collectors submit."))
    # Read and checked before the write lock is taken: SQLite has one writer at a time.
    instance = parse_instance(xml)
    form, version = _form_for_instance(project, instance)
    return _store_submission(form, version, instance, files, app_user, user, device_id)


def _existing_submission(form, instance) -> Submission | None:
    return (
        form.submissions.select_for_update()
        .filter(instance_id=instance.instance_id)
        .order_by()
        .first()
    )


def _resent(existing: Submission, instance, files) -> tuple[Submission, bool]:
    """A resend of a stored instance: the attachments missing before are kept, nothing else;
    other content under the same instanceID is a conflict."""
    if existing.xml_sha256 != instance.sha256:
        raise SubmissionConflictError(
            _("A submission with the instanceID '%(id)s' was received already, with other content.")
            % {"id": instance.instance_id}
        )
    _store_attachments(existing, files)
    return existing, False


def _replaced_submission(form, instance) -> Submission:
    """The current submission an edit (``deprecatedID``) replaces."""
    deprecated = (
        form.submissions.select_for_update().filter(instance_id=instance.deprecated_id).first()
    )
    if deprecated is None:
        raise Http404(
            _("No submission '%(id)s' to replace (deprecatedID).") % {"id": instance.deprecated_id}
        )
    if not deprecated.current:
        raise SubmissionConflictError(
            _("The submission '%(id)s' was replaced by another edit already.")
            % {"id": instance.deprecated_id}
        )
    return deprecated


@transaction.atomic
def _store_submission(form, version, instance, files, app_user, user, device_id):
    if instance.deprecated_id:
        # An edit: a resend of it is told apart before the instance it replaced is looked at.
        existing = _existing_submission(form, instance)
        if existing is not None:
            return _resent(existing, instance, files)
        deprecated = _replaced_submission(form, instance)
        # An edit stays the work of the one who collected the answers: they keep seeing it.
        sender = {
            "submitted_by_app_user": deprecated.submitted_by_app_user,
            "submitted_by_user": deprecated.submitted_by_user,
        }
    else:
        deprecated = None
        sender = {
            "submitted_by_app_user": app_user,
            "submitted_by_user": user if getattr(user, "is_authenticated", False) else None,
        }
    # Most instances are new: stored straight away, the unique instanceID telling a resend.
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                form=form,
                form_version=version,
                instance_id=instance.instance_id,
                xml=instance.xml,
                xml_sha256=instance.sha256,
                data=instance.data,
                device_id=device_id[:200],
                **sender,
            )
    except IntegrityError as error:
        existing = _existing_submission(form, instance)
        if existing is None:  # the same instance, received at the same moment
            raise SubmissionConflictError(
                _("The submission '%(id)s' is being received already.")
                % {"id": instance.instance_id}
            ) from error
        return _resent(existing, instance, files)
    _store_attachments(submission, files)
    if deprecated is not None:
        deprecated.current = False
        deprecated.deprecated_by = submission
        deprecated.save(update_fields=["current", "deprecated_by"])
    return submission, True


@transaction.atomic
def do_review_submission(actor, submission: Submission, state: str, comment: str = ""):
    """Approve or reject a submission; an approval is announced to the apps that registered
    for its form (``registry.on_submission_approved``)."""
    _require_manager(actor, submission.form.project)
    if state not in {Submission.ReviewState.APPROVED, Submission.ReviewState.REJECTED}:
        raise InvalidInputError(
            {"review_state": _("Unknown review state '%(state)s'.") % {"state": state}}
        )
    if state == Submission.ReviewState.REJECTED and not comment.strip():
        raise InvalidInputError(
            {"review_comment": _("Say why the submission is rejected: its sender reads it.")}
        )
    if not submission.current:
        raise StateError(_("This submission was replaced by an edit: review the current one."))
    submission.review_state = state
    submission.review_comment = comment.strip()
    submission.reviewed_by = actor
    submission.reviewed_at = timezone.now()
    submission.save(update_fields=["review_state", "review_comment", "reviewed_by", "reviewed_at"])
    if state == Submission.ReviewState.APPROVED:
        registry.announce_submission_approved(submission)
    return submission


# Imports --------------------------------------------------------------------------------


def do_import_submissions(
    actor, form: Form, content: bytes, filename: str, *, dry_run: bool = False, progress=None
) -> imports.ImportReport:
    """Import a KoBoToolbox or ODK Central export of ``form`` (``forms.imports``): each new
    instanceID stored as the instance ODK Collect would have sent, through
    ``do_receive_submission``; one stored already with the same answers is skipped, with other
    answers a conflict. All or nothing: a file with an error or a conflict stores nothing. A
    dry run reports what would happen and stores nothing. ``progress(done, total, stage)`` is
    told along."""
    _require_manager(actor, form.project)
    if form.current_version is None:
        raise StateError(_("The form has no version yet."))
    try:
        header, rows = imports.read_table(content, filename)
        repeat_tables = imports.read_repeat_tables(content)
    except imports.ExportError as error:
        raise InvalidInputError({"file": str(error)}) from error
    existing = dict(form.submissions.values_list("instance_id", "data"))
    report = imports.plan_rows(form, header, rows, existing, progress, repeat_tables)
    report.dry_run = dry_run
    if dry_run or not report.acceptable:
        return report
    with transaction.atomic():
        for count, planned in enumerate(report.to_create, start=1):
            submission, _new = do_receive_submission(
                form.project, planned.xml.encode("utf-8"), user=actor, device_id=planned.device_id
            )
            if planned.submitted_at is not None:  # when it reached the other server
                Submission.objects.filter(pk=submission.pk).update(received_at=planned.submitted_at)
            if progress and count % 500 == 0:
                progress(count, len(report.to_create), "stored")
        report.created = len(report.to_create)
    return report


# The built-in forms -----------------------------------------------------------------------

DEMO_PROJECT = "demo"


@transaction.atomic
def do_deploy_builtin_forms() -> list[tuple[FormVersion, bool]]:
    """Publish the built-in XLSForms (``forms/data/builtin/*.xlsx``) into the project ``demo``
    (created the first time): each version once; a built-in form whose version changed becomes
    a new version. Returns each form's version and whether it is new."""
    project = Project.objects.filter(slug=DEMO_PROJECT).first() or do_create_project(
        None,
        "Demo",
        slug=DEMO_PROJECT,
        description="The platform's built-in forms: the WMA needs questionnaire and the ASGM "
        "mining-site baseline.",
    )
    known = set(FormVersion.objects.filter(form__project=project).values_list("pk", flat=True))
    deployed = []
    for path in sorted(BUILTIN_DIR.glob("*.xlsx")):
        version = do_publish_xlsform(None, project, path.name, path.read_bytes())
        deployed.append((version, version.pk not in known))
    return deployed
