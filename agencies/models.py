"""Agencies of the task force, the people who work for them, and their roles."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from agencies.limits import ADDRESS, limited_text, validate_event_time

# The access policy that narrows every queryset to a user: `scope(queryset, user)`. It lives
# in cases (cases/access/), which depends on this app, so cases installs it when it is ready
# (cases.apps) rather than this app importing it.
_policy: dict = {}


def install_policy(scope) -> None:
    _policy["scope"] = scope


def policy_scope(qs, user):
    if "scope" not in _policy:
        raise ImproperlyConfigured("No access policy is installed; the cases app installs it in its ready().")
    return _policy["scope"](qs, user)


class UserQuerySet(models.QuerySet):
    def visible_to(self, user) -> UserQuerySet:
        return policy_scope(self, user)


class TaskForceUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A staff member. Demo accounts can only sign in while the demo mode is on."""

    is_demo = models.BooleanField(
        default=False, help_text="Demonstration account: refused unless the server runs in demo mode."
    )

    objects = TaskForceUserManager()

    class Meta:
        ordering = ["username"]


class AgencyKind(models.TextChoices):
    TASK_FORCE = "task_force", "Task force"
    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
    PROSECUTOR = "prosecutor", "Prosecutor"
    VICTIM_SERVICES = "victim_services", "Victim services"
    CHILD_WELFARE = "child_welfare", "Child welfare"
    HEALTH = "health", "Health"
    LEGAL_AID = "legal_aid", "Legal aid"
    OTHER = "other", "Other"


class AgencyLevel(models.TextChoices):
    LOCAL = "local", "Local"
    COUNTY = "county", "County"
    STATE = "state", "State"
    FEDERAL = "federal", "Federal"
    NON_PROFIT = "non_profit", "Non-profit"


class AgencyQuerySet(models.QuerySet):
    def visible_to(self, user) -> AgencyQuerySet:
        return policy_scope(self, user)


class Agency(models.Model):
    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=40, unique=True, help_text="Abbreviation shown in lists, e.g. SJPD.")
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    level = models.CharField(max_length=20, choices=AgencyLevel.choices)
    jurisdiction = models.CharField(max_length=200, blank=True)
    address = limited_text(ADDRESS, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    services = models.ManyToManyField(
        "cases.ServiceType", blank=True, related_name="providers", help_text="Services this agency provides."
    )
    active = models.BooleanField(default=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name

    @property
    def is_task_force(self) -> bool:
        return self.kind == AgencyKind.TASK_FORCE

    @property
    def is_law_enforcement(self) -> bool:
        return self.kind in (AgencyKind.LAW_ENFORCEMENT, AgencyKind.PROSECUTOR)


class Role(models.TextChoices):
    COORDINATOR = "coordinator", "Coordinator"
    SUPERVISOR = "supervisor", "Supervisor"
    OFFICER = "officer", "Officer"
    ADVOCATE = "advocate", "Advocate"
    CASEWORKER = "caseworker", "Caseworker"
    ANALYST = "analyst", "Analyst"
    AUDITOR = "auditor", "Auditor"


# Which kinds of agency each working role belongs to. Supervisors, analysts and
# auditors exist in any agency; the coordinator only in the task force.
ROLE_AGENCY_KINDS: dict[str, set[str]] = {
    Role.COORDINATOR: {AgencyKind.TASK_FORCE},
    Role.OFFICER: {AgencyKind.LAW_ENFORCEMENT, AgencyKind.PROSECUTOR, AgencyKind.TASK_FORCE},
    Role.ADVOCATE: {AgencyKind.VICTIM_SERVICES, AgencyKind.HEALTH, AgencyKind.LEGAL_AID, AgencyKind.OTHER},
    Role.CASEWORKER: {AgencyKind.CHILD_WELFARE},
}


class MembershipQuerySet(models.QuerySet):
    def current(self, on: date | None = None) -> MembershipQuerySet:
        on = on or timezone.localdate()
        return self.filter(
            Q(active=True),
            Q(user__is_active=True),
            Q(agency__active=True),
            Q(start_date__lte=on),
            Q(end_date__isnull=True) | Q(end_date__gte=on),
        )

    def visible_to(self, user) -> MembershipQuerySet:
        return policy_scope(self, user)


class Membership(models.Model):
    """A user's place in an agency. A user holds at most one active membership."""

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    active = models.BooleanField(default=True)
    start_date = models.DateField(default=date.today, validators=[validate_event_time])
    end_date = models.DateField(
        null=True, blank=True, help_text="Access ends after this day.", validators=[validate_event_time]
    )
    can_override_consent = models.BooleanField(
        default=False,
        help_text="May send a referral without the person's consent, giving a reason. "
        "Supervisors and the coordinator always may.",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(active=True),
                name="one_active_membership_per_user",
                violation_error_message="This user already has an active membership; end it before adding another.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
                violation_error_message="A membership cannot end before it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.agency.short_name}"

    def clean(self) -> None:
        kinds = ROLE_AGENCY_KINDS.get(self.role)
        if kinds and self.agency_id and self.agency.kind not in kinds:
            allowed = ", ".join(sorted(AgencyKind(k).label.lower() for k in kinds))
            raise ValidationError(
                {"role": f"A {self.get_role_display().lower()} must belong to an agency of kind: {allowed}."}
            )
        if self.active and self.user_id:
            others = Membership.objects.filter(user_id=self.user_id, active=True).exclude(pk=self.pk)
            if others.exists():
                raise ValidationError(
                    {"active": "This user already has an active membership; end it before adding another."}
                )


class EnrolmentCodeQuerySet(models.QuerySet):
    def open(self) -> EnrolmentCodeQuerySet:
        """Codes that may still be used: not used, not withdrawn, not expired."""
        return self.filter(used_at__isnull=True, withdrawn_at__isnull=True, expires_at__gt=timezone.now())

    def visible_to(self, user) -> EnrolmentCodeQuerySet:
        # A code is seen by whoever may see its user.
        return self.filter(user__in=User.objects.visible_to(user))


class EnrolmentCode(models.Model):
    """A one-time code that lets a user enrol a two-step sign-in device.

    The password alone must not be enough to enrol an authenticator on an account that
    has none, so an administrator or the user's supervisor issues one of these; only a
    hash is stored, the code itself is shown once to its issuer (audit.enrolment).
    """

    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="enrolment_codes")
    code_hash = models.CharField(max_length=128, editable=False)
    # Empty when issued on the server with `manage.py issue_enrolment_code` (the first administrator).
    issued_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    issued_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(editable=False)
    used_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Replaced by a newer code before it was used."
    )

    objects = EnrolmentCodeQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = "two-step enrolment code"

    def __str__(self) -> str:
        return f"Enrolment code for {self.user}, issued {self.issued_at:%Y-%m-%d %H:%M}"

    @property
    def state(self) -> str:
        if self.used_at:
            return "Used"
        if self.withdrawn_at:
            return "Replaced"
        if self.expires_at <= timezone.now():
            return "Expired"
        return "Open"
