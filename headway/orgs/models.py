from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from headway.orgs.roles import Role

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from headway.accounts.models import User

GRADES = [
    ("PK", _("Pre-K")),
    ("KG", _("Kindergarten")),
    *[(f"{g:02d}", _("Grade %(g)s") % {"g": g}) for g in range(1, 13)],
]
GRADE_ORDER = [code for code, _label in GRADES]
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def _percent(label: _StrPromise) -> models.DecimalField[Decimal | None, Decimal | None]:
    """A share of a school's students, 0–100 with one decimal, optional."""
    return models.DecimalField(
        label, max_digits=4, decimal_places=1, null=True, blank=True, validators=PERCENT
    )


class Organization(models.Model):
    """A network, district or school (one table, as in OneRoster's orgs)."""

    class Kind(models.TextChoices):
        NETWORK = "network", _("Network")
        DISTRICT = "district", _("District")
        SCHOOL = "school", _("School")

    class Level(models.TextChoices):
        ELEMENTARY = "elementary", _("Elementary")
        MIDDLE = "middle", _("Middle")
        HIGH = "high", _("High")
        K8 = "k8", _("K–8")
        K12 = "k12", _("K–12")
        OTHER = "other", _("Other")

    class Locale(models.TextChoices):
        CITY = "city", _("City")
        SUBURB = "suburb", _("Suburb")
        TOWN = "town", _("Town")
        RURAL = "rural", _("Rural")

    class Designation(models.TextChoices):
        NONE = "none", _("None")
        TSI = "tsi", _("Targeted support (TSI)")
        ATSI = "atsi", _("Additional targeted support (ATSI)")
        CSI = "csi", _("Comprehensive support (CSI)")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    local_id = models.CharField(
        _("code"), max_length=40, blank=True, help_text=_("The state or district code.")
    )
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_("The district a school belongs to."),
    )
    members = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="networks",
        help_text=_("The districts or schools a network groups together."),
    )
    state = models.CharField(_("state"), max_length=2, blank=True)
    # School profile; empty for networks and districts.
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, blank=True)
    grade_low = models.CharField(_("lowest grade"), max_length=2, choices=GRADES, blank=True)
    grade_high = models.CharField(_("highest grade"), max_length=2, choices=GRADES, blank=True)
    enrollment = models.PositiveIntegerField(_("enrollment"), null=True, blank=True)
    pct_econ_disadvantaged = _percent(_("economically disadvantaged (%)"))
    pct_english_learners = _percent(_("English learners (%)"))
    pct_disabilities = _percent(_("students with disabilities (%)"))
    locale = models.CharField(_("locale"), max_length=10, choices=Locale.choices, blank=True)
    designation = models.CharField(
        _("ESSA designation"), max_length=4, choices=Designation.choices, default=Designation.NONE
    )
    designation_year = models.PositiveSmallIntegerField(
        _("designated in school year starting"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="school", parent__isnull=False) | ~Q(kind="school"),
                name="school_has_district",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs-detail", args=[self.code])

    @property
    def is_school(self) -> bool:
        return self.kind == self.Kind.SCHOOL

    @property
    def is_district(self) -> bool:
        return self.kind == self.Kind.DISTRICT

    @property
    def is_network(self) -> bool:
        return self.kind == self.Kind.NETWORK

    @property
    def grades_served(self) -> str:
        if not (self.grade_low and self.grade_high):
            return ""
        labels = dict(GRADES)
        return f"{labels[self.grade_low]} – {labels[self.grade_high]}"

    def district(self) -> Organization | None:
        """The district whose settings and school years apply here."""
        if self.is_district:
            return self
        return self.parent if self.is_school else None


class SchoolYear(models.Model):
    """A district's school year, named by the calendar year it starts in (2024 → 2024–25)."""

    district = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="school_years"
    )
    start_year = models.PositiveSmallIntegerField(
        _("starts in"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    start_date = models.DateField(_("first day"), null=True, blank=True)
    end_date = models.DateField(_("last day"), null=True, blank=True)

    class Meta:
        ordering = ["district", "-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["district", "start_year"], name="unique_school_year"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return school_year_label(self.start_year)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def active(self) -> MembershipQuerySet:
        return self.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=timezone.localdate()))


class Membership(models.Model):
    """A role granted to a person on a network, district or school."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    expires_on = models.DateField(
        _("access ends"), null=True, blank=True, help_text=_("Leave empty for no end date.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects: ClassVar[MembershipQuerySet] = MembershipQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["org__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "role"], name="unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.org}"

    @property
    def is_active(self) -> bool:
        return self.expires_on is None or self.expires_on >= timezone.localdate()


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet["Invitation"]):
    def pending(self) -> InvitationQuerySet:
        return self.filter(accepted_at__isnull=True, expires_at__gt=timezone.now())

    def by_token(self, token: str) -> Invitation | None:
        return self.pending().filter(token_hash=_hash_token(token)).first()


class Invitation(models.Model):
    """An emailed invitation to take a role; only the token's hash is stored."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"))
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="invitations")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    access_expires_on = models.DateField(_("access ends"), null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[InvitationQuerySet] = InvitationQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.get_role_display()} at {self.org}"

    def issue_token(self) -> str:
        """Give the invitation a fresh secret token and return it (shown once, in the email)."""
        token = secrets.token_urlsafe(32)
        self.token_hash = _hash_token(token)
        self.expires_at = timezone.now() + timedelta(days=settings.INVITATION_DAYS)
        return token

    def accept(self, user: User) -> Membership:
        membership, _created = Membership.objects.update_or_create(
            user=user,
            org=self.org,
            role=self.role,
            defaults={"expires_on": self.access_expires_on, "created_by": self.invited_by},
        )
        self.accepted_at = timezone.now()
        self.save(update_fields=["accepted_at"])
        return membership


def school_year_label(start_year: int) -> str:
    return f"{start_year}–{(start_year + 1) % 100:02d}"


def current_start_year(today: date | None = None) -> int:
    """School years start on 1 July in Headway's reckoning (the federal fiscal convention)."""
    today = today or timezone.localdate()
    return today.year if today.month >= 7 else today.year - 1
