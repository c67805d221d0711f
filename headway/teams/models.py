"""The partnership, its charter, improvement teams and what their members agree and answer.

Editable records carry a ``revision`` number: a form sends the revision it was opened at,
and a save that finds another number refuses instead of overwriting (headway.lib.revisions).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from headway.orgs.models import Organization

if TYPE_CHECKING:
    from headway.accounts.models import User


class Partnership(models.Model):
    """A district's labor–management–community partnership; one per district."""

    district = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="partnership"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"partnership of {self.district}"

    def current_charter(self) -> Charter | None:
        """The newest version of the charter (a draft or an acknowledged one)."""
        return self.charters.order_by("-number").first()

    def adopted_charter(self) -> Charter | None:
        """The newest version every partner has acknowledged."""
        for charter in self.charters.order_by("-number").prefetch_related("acknowledgements"):
            if charter.is_adopted:
                return charter
        return None


class Partner(models.Model):
    """The district, the teachers' union or a community organization, with its representative."""

    class Kind(models.TextChoices):
        DISTRICT = "district", _("School district")
        UNION = "union", _("Teachers' union")
        COMMUNITY = "community", _("Community organization")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="partners")
    kind = models.CharField(_("kind of partner"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("organization"), max_length=200)
    representative = models.CharField(_("representative"), max_length=200)
    email = models.EmailField(
        _("representative's email"),
        blank=True,
        help_text=_("With a Headway account under this address, they acknowledge the charter."),
    )
    title = models.CharField(_("representative's title"), max_length=200, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def is_represented_by(self, user: User) -> bool:
        return bool(self.email) and self.email.lower() == user.email.lower()


class Charter(models.Model):
    """One version of the partnership's charter. Acknowledged versions are never edited."""

    class DecisionRule(models.TextChoices):
        CONSENSUS = "consensus", _("Consensus")
        FIST_TO_FIVE = "fist_to_five", _("Fist-to-five")
        VOTE = "vote", _("Majority vote")

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="charters")
    number = models.PositiveIntegerField(_("version"))
    mission = models.TextField(_("shared mission"))
    vision = models.TextField(_("shared vision"))
    values = models.TextField(_("shared values"), help_text=_("One value per line."))
    decision_rule = models.CharField(
        _("how decisions are made"),
        max_length=20,
        choices=DecisionRule.choices,
        default=DecisionRule.CONSENSUS,
    )
    decision_notes = models.TextField(
        _("more on decisions"),
        blank=True,
        help_text=_("For example: what happens when consensus is not reached."),
    )
    meeting_cadence = models.CharField(
        _("how often the partners meet"), max_length=200, default=_("Monthly")
    )
    data_use = models.TextField(
        _("data-use agreement"),
        help_text=_("What the partners' data may and may not be used for."),
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partnership", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "number"], name="unique_charter_number")
        ]

    def __str__(self) -> str:
        return f"charter v{self.number} of {self.partnership.district}"

    def get_absolute_url(self) -> str:
        return reverse("teams-charter", args=[self.partnership.district.code, self.number])

    @property
    def is_locked(self) -> bool:
        """Once anyone has acknowledged this text, it stays as they read it."""
        return self.acknowledgements.exists()

    @property
    def is_adopted(self) -> bool:
        partners = set(self.partnership.partners.values_list("pk", flat=True))
        signed = {ack.partner_id for ack in self.acknowledgements.all()}
        return bool(partners) and partners <= signed

    def value_list(self) -> list[str]:
        return [line.strip() for line in self.values.splitlines() if line.strip()]


class Acknowledgement(models.Model):
    """A partner's representative acknowledging one version of the charter."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="acknowledgements")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="acknowledgements")
    name = models.CharField(_("name"), max_length=200)
    acknowledged_on = models.DateField(_("date"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["charter", "partner"]
        constraints = [
            models.UniqueConstraint(fields=["charter", "partner"], name="one_ack_per_partner")
        ]

    def __str__(self) -> str:
        return f"{self.name} for {self.partner} on {self.acknowledged_on}"


class Team(models.Model):
    """An improvement team of a school or of the district."""

    class Kind(models.TextChoices):
        IMPROVEMENT = "improvement", _("School improvement team")
        INSTRUCTIONAL = "instructional", _("Instructional leadership team")
        DISTRICT = "district", _("District improvement team")

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind of team"), max_length=20, choices=Kind.choices, default=Kind.IMPROVEMENT
    )
    vision = models.TextField(_("our vision"), blank=True)
    alignment = models.TextField(
        _("how our vision serves the partnership's"),
        blank=True,
        help_text=_("Say which parts of the district's mission and vision this team carries."),
    )
    published = models.BooleanField(
        _("publish to the school community"),
        default=False,
        help_text=_(
            "Community viewers then see the roster, the vision and the working agreements. "
            "Self-assessment answers are never published."
        ),
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["org__name", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams-detail", args=[self.org.code, self.code])

    def current_agreements(self) -> AgreementSet | None:
        return self.agreement_sets.order_by("-number").first()


class Category(models.TextChoices):
    """The stakeholder group a team member speaks for."""

    PRINCIPAL = "principal", _("Principal")
    ASSISTANT_PRINCIPAL = "assistant_principal", _("Assistant principal")
    TEACHER = "teacher", _("Teacher")
    PARAPROFESSIONAL = "paraprofessional", _("Paraprofessional")
    UNION_REP = "union_rep", _("Union representative")
    PARENT = "parent", _("Parent or family leader")
    STUDENT = "student", _("Student leader")
    DISTRICT_STAFF = "district_staff", _("District staff")
    COMMUNITY = "community", _("Community partner")
    ELECTED = "elected", _("Elected official")
    BOARD = "board", _("School board member")
    COACH = "coach", _("Instructional coach")
    OTHER = "other", _("Other")


class TeamRole(models.TextChoices):
    CO_CHAIR = "co_chair", _("Co-chair")
    FACILITATOR = "facilitator", _("Facilitator")
    VISIONARY = "visionary", _("Visionary")
    INTEGRATOR = "integrator", _("Integrator")
    NOTE_TAKER = "note_taker", _("Note-taker")
    MEMBER = "member", _("Member")


class TeamMember(models.Model):
    """A person on a team: a Headway user, or a contact who has no account yet."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_memberships",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(
        _("email"),
        blank=True,
        help_text=_("Links the member to their Headway account, now or once they have one."),
    )
    category = models.CharField(_("speaks for"), max_length=20, choices=Category.choices)
    roles: models.JSONField[Any, Any] = models.JSONField(
        _("roles on the team"), default=list, blank=True
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=models.Q(user__isnull=False),
                name="one_membership_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_category_display()})"

    def role_labels(self) -> list[str]:
        labels = dict(TeamRole.choices)
        return [str(labels[role]) for role in self.roles if role in labels]

    def has_role(self, role: TeamRole) -> bool:
        return role.value in self.roles


class CompositionSettings(models.Model):
    """A district's choice of composition rules: built-in ones switched off, and its own."""

    district = models.OneToOneField(
        Organization, on_delete=models.CASCADE, related_name="composition"
    )
    disabled: models.JSONField[Any, Any] = models.JSONField(default=list, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)

    def __str__(self) -> str:
        return f"composition rules of {self.district}"


class CustomRule(models.Model):
    """A district's own rule: at least so many members who speak for a group (or hold a role)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    district = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="composition_rules"
    )
    title = models.CharField(_("what the team needs"), max_length=200)
    reason = models.TextField(_("why"), blank=True)
    category = models.CharField(
        _("members who speak for"), max_length=20, choices=Category.choices, blank=True
    )
    role = models.CharField(_("or who hold"), max_length=20, choices=TeamRole.choices, blank=True)
    minimum = models.PositiveSmallIntegerField(
        _("at least"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    team_kinds: models.JSONField[Any, Any] = models.JSONField(
        _("for these teams"), default=list, blank=True
    )

    class Meta:
        ordering = ["district", "title"]

    def __str__(self) -> str:
        return self.title


class AgreementSet(models.Model):
    """One version of a team's working agreements; changing them asks everyone again."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="agreement_sets")
    number = models.PositiveIntegerField()
    items: models.JSONField[Any, Any] = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["team", "number"], name="unique_agreement_number")
        ]

    def __str__(self) -> str:
        return f"agreements v{self.number} of {self.team}"


class Acceptance(models.Model):
    """A member accepting one version of the working agreements."""

    agreement_set = models.ForeignKey(
        AgreementSet, on_delete=models.CASCADE, related_name="acceptances"
    )
    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="acceptances")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement_set", "member"], name="one_acceptance")
        ]

    def __str__(self) -> str:
        return f"{self.member} accepted {self.agreement_set}"


class Round(models.Model):
    """A round of the team-effectiveness self-assessment."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="rounds")
    title = models.CharField(_("title"), max_length=200)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["team", "-opened_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("teams-round", args=[self.team.org.code, self.team.code, self.code])

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Participation(models.Model):
    """That a member answered a round, kept apart from the answers so these stay anonymous."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="participations")
    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="participations")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="one_answer_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} answered {self.round}"


class Response(models.Model):
    """One anonymous set of answers: no member, no time, and a random key."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    ratings: models.JSONField[Any, Any] = models.JSONField()  # characteristic slug → 1..5
    comments: models.JSONField[Any, Any] = models.JSONField(default=dict)  # slug → text

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"an answer to {self.round}"
