"""Projects, their members and app users (ODK Collect's devices), forms and their versions, the
media files a form uses, and the submissions received with their attachments and history."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mercuryhub.accounts.models import User


class Project(models.Model):
    """A field-data project: its forms, its members with their roles, and the app users whose
    devices submit to it."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Public pages show the places its submissions describe (mining sites) rounded to 0.1°,
    # unless the project decides to publish them exactly.
    publishes_exact_locations = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forms-project-detail", args=[self.slug])


class ProjectMembership(models.Model):
    class Role(models.TextChoices):
        MANAGER = "manager", _("Manager")
        DATA_COLLECTOR = "data_collector", _("Data collector")
        VIEWER = "viewer", _("Viewer")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="project_memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "user"]
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="unique_project_membership")
        ]

    def __str__(self):
        return f"{self.user} ({self.role}) in {self.project}"


class AppUser(models.Model):
    """A device's account in one project, as ODK Central's app users: its token, embedded in the
    server address ODK Collect is given, is its only credential (shown to the project's managers,
    as Central shows it, so that the QR code can be shown again)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="app_users")
    display_name = models.CharField(max_length=100)
    token = models.CharField(max_length=80, unique=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "display_name", "pk"]

    def __str__(self):
        return self.display_name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Form(models.Model):
    """A form of a project, named by its XForm id (the XLSForm's settings ``form_id``); open
    forms are listed to devices and take submissions, closing ones take submissions but are no
    longer listed, closed ones take none."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSING = "closing", _("Closing")
        CLOSED = "closed", _("Closed")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="forms")
    xml_form_id = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    current_version = models.ForeignKey(
        "FormVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["project", "title"]
        constraints = [
            models.UniqueConstraint(fields=["project", "xml_form_id"], name="unique_form_id")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forms-form-detail", args=[self.project.slug, self.xml_form_id])


class FormVersion(models.Model):
    """One version of a form: the XLSForm uploaded, the XForm pyxform made of it, and pyxform's
    survey as JSON (what the web-form renderer reads). Never changed once stored."""

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(max_length=100, blank=True)
    xlsform = models.FileField(upload_to="forms/xlsforms/%Y/%m/", max_length=300)
    xlsform_name = models.CharField(max_length=255)
    xlsform_sha256 = models.CharField(max_length=64)
    xml = models.TextField()
    # md5 of the XForm, written "md5:<hex>" as the OpenRosa form list gives it.
    hash = models.CharField(max_length=40)
    survey_json = models.JSONField()
    # pyxform's and ODK Validate's warnings: [{"sheet", "row", "message"}]
    warnings = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["form", "-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "version"], name="unique_form_version")
        ]

    def __str__(self):
        return f"{self.form.xml_form_id} {self.version}"


class FormMedia(models.Model):
    """A media file a form version uses (an image, audio, a CSV of choices), served to devices
    through the version's manifest."""

    form_version = models.ForeignKey(FormVersion, on_delete=models.CASCADE, related_name="media")
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to="forms/media/%Y/%m/", max_length=300)
    content_type = models.CharField(max_length=100)
    md5 = models.CharField(max_length=32)

    class Meta:
        ordering = ["form_version", "name"]
        constraints = [
            models.UniqueConstraint(fields=["form_version", "name"], name="unique_form_media")
        ]

    def __str__(self):
        return self.name


class Submission(models.Model):
    """One instance of a form as received. An edit (a new instance naming the old one in
    ``deprecatedID``) becomes the current one; the old one stays, not current, pointing to it."""

    class ReviewState(models.TextChoices):
        RECEIVED = "received", _("Received")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    form = models.ForeignKey(Form, on_delete=models.CASCADE, related_name="submissions")
    form_version = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="submissions"
    )
    instance_id = models.CharField(max_length=100)
    xml = models.TextField()
    xml_sha256 = models.CharField(max_length=64)
    # The answers, by path without the root: {"site/name": "Kamituga", "miners": "120"}.
    data = models.JSONField(default=dict)
    submitted_by_app_user = models.ForeignKey(
        AppUser, null=True, blank=True, on_delete=models.SET_NULL, related_name="submissions"
    )
    submitted_by_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    device_id = models.CharField(max_length=200, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    review_state = models.CharField(
        max_length=10, choices=ReviewState.choices, default=ReviewState.RECEIVED
    )
    review_comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    current = models.BooleanField(default=True)
    deprecated_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="deprecates"
    )

    class Meta:
        ordering = ["form", "-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["form", "instance_id"], name="unique_instance_id")
        ]

    def __str__(self):
        return self.instance_id


class SubmissionAttachment(models.Model):
    """A file sent with a submission (a photo, a signature), named as the instance names it."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(max_length=255)
    file = models.FileField(upload_to="forms/attachments/%Y/%m/", max_length=300)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["submission", "name"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "name"], name="unique_attachment")
        ]

    def __str__(self):
        return self.name
