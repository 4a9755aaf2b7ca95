"""django-tenants' PostgreSQL backend, without needless `SET search_path` round trips.

Stock django-tenants forgets the search path every time a tenant is set, so each request pays for a
`SET search_path` even when the connection is already on that schema. Here the connection remembers what it
really has set (django-tenants still clears that on rollback and close), and a request only pays for the
`SET` when the schema actually changes.
"""

from __future__ import annotations

from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper


class DatabaseWrapper(TenantDatabaseWrapper):
    def set_tenant(self, tenant, include_public: bool = True) -> None:
        already_set = self.search_path_set_schemas
        super().set_tenant(tenant, include_public)
        if already_set and already_set == self._get_cursor_search_paths():
            self.search_path_set_schemas = already_set
