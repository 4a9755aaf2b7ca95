from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .tokens import token_hash


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    LEADER = "leader", "Leader"
    MENTOR = "mentor", "Mentor"


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields: Any) -> User:
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> User:
        fields.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person in one organisation (or, in the public schema, a platform operator).

    Signs in by email, or, for someone added without an email address, by the username they chose with a join
    code (people.join_codes). Either may be empty, never both once the person has joined.
    """

    # Stored lower-case (the manager and services normalise), so a plain unique index is case-insensitive.
    # Empty (NULL, so the unique index allows many) for people who have no email address.
    email = models.EmailField("email address", unique=True, null=True, blank=True)
    # Lower-case too; only people without an email address have one.
    username = models.CharField("username", max_length=30, unique=True, null=True, blank=True)
    full_name = models.CharField("name", max_length=150, blank=True)
    roles = ArrayField(models.CharField(max_length=20, choices=Role.choices), default=list, blank=True)
    is_staff = models.BooleanField(default=False)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["full_name", "email"]
        constraints = [
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="people_user_email_lower_case"),
            models.CheckConstraint(
                condition=models.Q(username=Lower("username")), name="people_user_username_lower_case"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email or self.username or "Someone"

    def get_full_name(self) -> str:
        return str(self)

    def get_short_name(self) -> str:
        return (self.full_name.split() or [str(self)])[0]

    @property
    def has_email(self) -> bool:
        """False for people added without an email address: they sign in with a username, hear from Heartwood
        only inside Heartwood, and get a new join code from an admin when they forget their password."""
        return bool(self.email)

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in Role.values if role in self.roles]

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_org_admin(self) -> bool:
        return Role.ADMIN in self.roles

    @property
    def is_leader(self) -> bool:
        return Role.LEADER in self.roles

    @property
    def is_mentor(self) -> bool:
        return Role.MENTOR in self.roles


class MentorPairing(models.Model):
    """A leader paired with a mentor from `starts_on`, until `ends_on` (open-ended when empty).

    A leader may have several mentors. Everything a leader shared under a pairing is visible to that mentor
    only while the pairing is current (see `people.selectors.current_mentors_of`).
    """

    leader = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mentor_pairings")
    mentor = models.ForeignKey(User, on_delete=models.CASCADE, related_name="mentee_pairings")
    starts_on = models.DateField(default=timezone.localdate)
    ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(leader=models.F("mentor")), name="pairing_not_self"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="pairing_ends_after_start",
            ),
            # One open pairing per leader and mentor at a time.
            models.UniqueConstraint(
                fields=["leader", "mentor"], condition=models.Q(ends_on__isnull=True), name="pairing_one_open"
            ),
        ]
        indexes = [models.Index(fields=["mentor", "ends_on"]), models.Index(fields=["leader", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.leader} ← {self.mentor}"

    def is_current(self, on: date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on > on)


class Invitation(models.Model):
    """An invitation to join the organisation with some roles.

    Only a hash of the token is stored. The token itself is minted each time the email is sent (inside the
    Celery task), so it exists only in the email; resending makes the previous link stop working.
    """

    email = models.EmailField("email address")
    full_name = models.CharField("name", max_length=150, blank=True)
    roles = ArrayField(models.CharField(max_length=20, choices=Role.choices), default=list)
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    invited_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_sent"
    )
    created = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveIntegerField(default=0)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # What the apps above people asked for with the invitation (a team's id…): see people.invitation_extras.
    extras = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="invitation_email_lower_case"),
            # At most one invitation per address that is still waiting for an answer.
            models.UniqueConstraint(
                fields=["email"], condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation for {self.email}"

    @staticmethod
    def hash_token(token: str) -> str:
        return token_hash(token)

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in Role.values if role in self.roles]

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires <= timezone.now():
            return "expired"
        return "waiting"

    @property
    def is_open(self) -> bool:
        return self.status == "waiting"


class JoinCode(models.Model):
    """A one-time code that lets someone without an email address choose a username and password.

    Only the code's hash is stored (people.tokens); the code itself is shown once, on the printable slip. Issuing a
    new code for a person voids their earlier ones.
    """

    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="join_codes")
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One code that still works per person: issuing a new one voids the old in the same transaction.
            models.UniqueConstraint(
                fields=["person"], condition=models.Q(used_at__isnull=True, voided_at__isnull=True),
                name="join_code_one_open_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Join code for user {self.person_id}"

    @property
    def status(self) -> str:
        if self.used_at:
            return "used"
        if self.voided_at:
            return "replaced"
        if self.expires_at <= timezone.now():
            return "expired"
        return "waiting"


class OrganisationSettings(models.Model):
    """The organisation's own settings: one row per schema (the primary key is always 1)."""

    singleton = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    require_mfa_for_admins = models.BooleanField(
        "Require two-step sign-in for admins", default=False,
        help_text="Admins must set up an authenticator app before they can manage people.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "organisation settings"
        constraints = [models.CheckConstraint(condition=models.Q(singleton=1), name="organisation_settings_one_row")]

    def __str__(self) -> str:
        return "Organisation settings"
