"""Who may do what in a project, and the permission-scoped reads. Platform administrators and
the project's managers manage everything; data collectors submit and see their own submissions;
viewers read forms and submissions; everyone else is told a project does not exist. App users
(devices) reach their project only through their key, while it is not revoked."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from mercuryhub.accounts.queries import is_administrator, is_reviewer
from mercuryhub.forms.models import (
    AppUser,
    Form,
    FormMedia,
    FormVersion,
    Project,
    ProjectMembership,
    Submission,
)

Role = ProjectMembership.Role


def project_role(user, project: Project) -> str | None:
    """The person's role in the project; administrators count as managers."""
    if is_administrator(user):
        return Role.MANAGER
    if not user.is_authenticated:
        return None
    membership = ProjectMembership.objects.filter(project=project, user=user).first()
    return membership.role if membership else None


def can_create_project(user) -> bool:
    """Platform administrators and reviewers (the secretariat) create projects."""
    return is_reviewer(user)


def can_manage_project(user, project: Project) -> bool:
    return project_role(user, project) == Role.MANAGER


def can_submit(user, project: Project) -> bool:
    return project_role(user, project) in {Role.MANAGER, Role.DATA_COLLECTOR}


def projects_visible_to(user) -> QuerySet[Project]:
    if is_administrator(user):
        return Project.objects.all()
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(memberships__user=user)


def get_project_for_user(user, slug: str, *, manage: bool = False) -> Project:
    """The project, or 404 to whoever has no role in it; 403 when ``manage`` and the person
    only collects or views."""
    project = projects_visible_to(user).filter(slug=slug).first()
    if project is None:
        raise Http404("No such project")
    if manage and not can_manage_project(user, project):
        raise PermissionDenied("Only the project's managers can do this")
    return project


def forms_of(project: Project) -> QuerySet[Form]:
    return project.forms.select_related("current_version")


def get_form_for_user(user, slug: str, xml_form_id: str, *, manage: bool = False) -> Form:
    project = get_project_for_user(user, slug, manage=manage)
    form = forms_of(project).filter(xml_form_id=xml_form_id).first()
    if form is None:
        raise Http404("No such form")
    return form


def members_of(project: Project) -> QuerySet[ProjectMembership]:
    return project.memberships.select_related("user").order_by("role", "user__email")


def app_users_of(project: Project) -> QuerySet[AppUser]:
    return project.app_users.all()


def get_app_user_for_user(user, slug: str, app_user_id: int) -> AppUser:
    project = get_project_for_user(user, slug, manage=True)
    app_user = app_users_of(project).filter(pk=app_user_id).first()
    if app_user is None:
        raise Http404("No such app user")
    return app_user


def submissions_visible_to(user, form: Form) -> QuerySet[Submission]:
    """Current submissions of the form: all of them to managers and viewers, their own to data
    collectors."""
    submissions = form.submissions.filter(current=True).select_related("submitted_by_app_user")
    role = project_role(user, form.project)
    if role in {Role.MANAGER, Role.VIEWER}:
        return submissions
    if role == Role.DATA_COLLECTOR:
        return submissions.filter(submitted_by_user=user)
    return submissions.none()


# Devices: the app user's key -------------------------------------------------------------


def get_app_user_for_key(token: str, slug: str) -> AppUser:
    """The app user whose key this is, in this project, not revoked; 403 otherwise (a device
    cannot tell a wrong key from a revoked one, nor should anyone probing keys)."""
    # Every request of every device starts here (hundreds in a row from one phone): one
    # statement written out, with only what the OpenRosa views read, costs a fraction of the
    # ORM's compiling of the same join.
    found = AppUser.objects.raw(
        f"SELECT a.id, a.token, a.display_name, a.revoked_at, a.project_id, "  # noqa: S608
        f"p.slug AS project_slug FROM {AppUser._meta.db_table} a "
        f"JOIN {Project._meta.db_table} p ON p.id = a.project_id WHERE a.token = %s",
        [token],
    )
    app_user = next(iter(found), None)
    if app_user is None or app_user.project_slug != slug or not app_user.is_active:
        raise PermissionDenied(
            _(
                "This server address's key is unknown or has been revoked: ask the project's "
                "managers for a new one."
            )
        )
    app_user.project = _loaded(
        Project, found.db, {"id": app_user.project_id, "slug": app_user.project_slug}
    )
    return app_user


def _loaded(model, db: str, values: dict):
    """An instance of ``model`` with only these fields loaded (the others deferred), as the
    ORM makes one from a row."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(db, names, [values[name] for name in names])


def form_version_named(project: Project, xml_form_id: str, version: str) -> FormVersion | None:
    """The version of the project's form an instance names, with its form (id, XForm id,
    state) loaded: one statement written out, as every submission looks it up (see
    get_app_user_for_key); None when there is none."""
    found = FormVersion.objects.raw(
        f"SELECT v.id, v.version, v.form_id, f.xml_form_id AS form_xml_form_id, "  # noqa: S608
        f"f.state AS form_state FROM {FormVersion._meta.db_table} v "
        f"JOIN {Form._meta.db_table} f ON f.id = v.form_id "
        f"WHERE f.project_id = %s AND f.xml_form_id = %s AND v.version = %s",
        [project.pk, xml_form_id, version],
    )
    found_version = next(iter(found), None)
    if found_version is not None:
        found_version.form = _loaded(
            Form,
            found.db,
            {
                "id": found_version.form_id,
                "xml_form_id": found_version.form_xml_form_id,
                "state": found_version.form_state,
                "project_id": project.pk,
            },
        )
    return found_version


def forms_listed_to(app_user: AppUser) -> QuerySet[Form]:
    """The form list: open forms with a version (closing and closed ones are left out)."""
    return (
        forms_of(app_user.project)
        .filter(state=Form.State.OPEN, current_version__isnull=False)
        .prefetch_related("current_version__media")
    )


def get_form_for_app_user(app_user: AppUser, xml_form_id: str) -> Form:
    """A form a device may download: open or closing, with a version."""
    form = (
        forms_of(app_user.project)
        .exclude(state=Form.State.CLOSED)
        .filter(xml_form_id=xml_form_id, current_version__isnull=False)
        .first()
    )
    if form is None:
        raise Http404(_("No form '%(form)s' in this project.") % {"form": xml_form_id})
    return form


def get_media_for_app_user(app_user: AppUser, xml_form_id: str, name: str) -> FormMedia:
    form = get_form_for_app_user(app_user, xml_form_id)
    media = form.current_version.media.filter(name=name).first()
    if media is None:
        raise Http404(
            _("No media file '%(name)s' for the form '%(form)s'.")
            % {"name": name, "form": xml_form_id}
        )
    return media


# Submissions: one, its history, the table's filters ----------------------------------------


def _submissions_for(user, form: Form) -> QuerySet[Submission]:
    """Every submission of the form the person may read, replaced ones included."""
    submissions = form.submissions.select_related(
        "submitted_by_app_user", "submitted_by_user", "reviewed_by", "form_version"
    )
    role = project_role(user, form.project)
    if role in {Role.MANAGER, Role.VIEWER}:
        return submissions
    if role == Role.DATA_COLLECTOR:
        return submissions.filter(submitted_by_user=user)
    return submissions.none()


def get_submission_for_user(user, form: Form, instance_id: str) -> Submission:
    """A submission of the form (current or replaced by an edit), or 404 to whoever may not
    read it (a data collector reads only their own)."""
    submission = _submissions_for(user, form).filter(instance_id=instance_id).first()
    if submission is None:
        raise Http404("No such submission")
    return submission


def submission_history(submission: Submission) -> list[Submission]:
    """The versions an edit replaced, newest first (each points to the one that replaced it)."""
    history = []
    older = submission.deprecates.select_related("submitted_by_user", "submitted_by_app_user")
    found = older.first()
    while found is not None and len(history) < 100:
        history.append(found)
        found = found.deprecates.select_related(
            "submitted_by_user", "submitted_by_app_user"
        ).first()
    return history


def submitters_of(form: Form) -> list[tuple[str, str]]:
    """The people and app users who sent the form's current submissions, as the table's filter
    offers them: ("user:<id>" or "app:<id>", their name)."""
    current = form.submissions.filter(current=True)
    people = (
        current.filter(submitted_by_user__isnull=False)
        .values_list("submitted_by_user", "submitted_by_user__email")
        .distinct()
        .order_by("submitted_by_user__email")
    )
    devices = (
        current.filter(submitted_by_app_user__isnull=False)
        .values_list("submitted_by_app_user", "submitted_by_app_user__display_name")
        .distinct()
        .order_by("submitted_by_app_user__display_name")
    )
    return [(f"user:{pk}", name) for pk, name in people] + [
        (f"app:{pk}", name) for pk, name in devices
    ]


def filter_submissions(
    submissions: QuerySet[Submission],
    *,
    review_state: str = "",
    submitted_by: str = "",
    received_from=None,
    received_to=None,
) -> QuerySet[Submission]:
    """The table's filters: review state, who sent it ("user:<id>" or "app:<id>"), and the
    days it was received (both days included, in the site's time zone)."""
    submissions = submissions.select_related("submitted_by_user")
    if review_state:
        submissions = submissions.filter(review_state=review_state)
    kind, _colon, pk = submitted_by.partition(":")
    if kind == "user" and pk.isdigit():
        submissions = submissions.filter(submitted_by_user_id=int(pk))
    elif kind == "app" and pk.isdigit():
        submissions = submissions.filter(submitted_by_app_user_id=int(pk))
    if received_from:
        submissions = submissions.filter(received_at__date__gte=received_from)
    if received_to:
        submissions = submissions.filter(received_at__date__lte=received_to)
    return submissions


def get_attachment_for_user(user, form: Form, instance_id: str, name: str):
    """A file of a submission the person may read, or 404."""
    submission = get_submission_for_user(user, form, instance_id)
    attachment = submission.attachments.filter(name=name).first()
    if attachment is None:
        raise Http404("No such attachment")
    return attachment


def takes_part_in_projects(user) -> bool:
    """Whether the site's navigation offers the person the projects: a role in one, or the
    right to create them."""
    if not user.is_authenticated:
        return False
    return can_create_project(user) or projects_visible_to(user).exists()
