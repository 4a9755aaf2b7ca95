from django.contrib import admin

from .models import Domain, Organisation


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "schema_name", "kind", "status", "created_at"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "domains__domain"]
    inlines = [DomainInline]
    readonly_fields = ["schema_name", "created_at", "updated_at"]
