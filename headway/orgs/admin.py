from django.contrib import admin

from headway.orgs.models import Invitation, Membership, Organization, SchoolYear


class SchoolYearInline(admin.TabularInline[SchoolYear, Organization]):
    model = SchoolYear
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin[Organization]):
    list_display = ["name", "kind", "parent", "level", "designation", "enrollment"]
    list_filter = ["kind", "level", "designation", "locale"]
    search_fields = ["name", "local_id"]
    filter_horizontal = ["members"]
    inlines = [SchoolYearInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "role", "org", "expires_on"]
    list_filter = ["role", "org__kind"]
    search_fields = ["user__email", "org__name"]
    autocomplete_fields = ["user", "org"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = ["email", "role", "org", "created_at", "expires_at", "accepted_at"]
    readonly_fields = ["token_hash", "accepted_at"]
