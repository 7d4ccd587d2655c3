"""People, their roles, the organizations they belong to, and their API tokens."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mercuryhub.lib.history import History
from mercuryhub.taxonomy.models import Country, Term


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        """An administrator (``mercuryhub createsuperuser``) whose address is taken as verified:
        whoever runs the command vouches for it, and no confirmation e-mail is sent."""
        from mercuryhub.accounts.actions import do_record_verified_email  # actions import models

        extra_fields.update(is_staff=True, is_superuser=True, role=User.Role.ADMINISTRATOR)
        user = self._create_user(email, password, **extra_fields)
        do_record_verified_email(user)
        return user


class User(AbstractUser):
    """A person with an account; the e-mail address is the login."""

    class Role(models.TextChoices):
        USER = "user", _("Registered user")
        REVIEWER = "reviewer", _("Reviewer (secretariat)")
        ADMINISTRATOR = "administrator", _("Administrator")

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.USER)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()
    history = History(excluded_fields=["password", "last_login"])

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.name or self.email


class Organization(models.Model):
    """A company, NGO, university, agency or government body; partners of the Global Mercury
    Partnership carry the Partnership areas they belong to."""

    name = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True)
    stakeholder_type = models.ForeignKey(
        Term,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"vocabulary__name": "stakeholder_types"},
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="organizations")
    website = models.URLField(blank=True)
    description = models.TextField(blank=True)
    is_partner = models.BooleanField(_("Partner of the Global Mercury Partnership"), default=False)
    partnership_areas = models.ManyToManyField(
        Term,
        blank=True,
        related_name="partner_organizations",
        limit_choices_to={"vocabulary__name": "partnership_areas"},
    )
    # When the organization joined the Partnership (partners only).
    joined_partnership_on = models.DateField(_("joined the Partnership on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = History(m2m_fields=[partnership_areas])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("accounts-organization-detail", args=[self.slug])


class Membership(models.Model):
    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        EDITOR = "editor", _("Editor")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    history = History()

    class Meta:
        ordering = ["organization", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="unique_membership"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}) at {self.organization}"


class ApiToken(models.Model):
    """A bearer token for the API. Only a hash is stored; the token is shown once, at creation."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    history = History(excluded_fields=["last_used_at"])

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class QueuedEmail(models.Model):
    """An e-mail the mail server did not take when it was sent (accounts/mail.py), kept to be
    sent again by ``mercuryhub send_queued_mail`` until it goes or the attempts run out."""

    created_at = models.DateTimeField(auto_now_add=True)
    subject = models.CharField(max_length=998)
    recipients = models.JSONField(default=list)
    # What rebuilds the message: sender, body, alternatives, headers and the address lists.
    message = models.JSONField()
    attempts = models.PositiveIntegerField(default=1)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(db_index=True)
    # Set when the attempts ran out: the message stays for an administrator to see, unsent.
    given_up_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["next_attempt_at", "pk"]
        verbose_name = _("queued e-mail")
        verbose_name_plural = _("queued e-mails")

    def __str__(self):
        return f"{self.subject} → {', '.join(self.recipients)}"
