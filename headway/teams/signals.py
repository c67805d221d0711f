"""Link team members added by email to the account that person signs up with."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from headway.accounts.models import User
from headway.teams.models import TeamMember


@receiver(post_save, sender=User)
def _link_contacts(sender: Any, instance: User, created: bool, **kwargs: Any) -> None:
    if not created or not instance.email:
        return
    on_teams = TeamMember.objects.filter(user=instance).values("team_id")
    TeamMember.objects.filter(user=None, email__iexact=instance.email).exclude(
        team_id__in=on_teams
    ).update(user=instance)
