"""Many real organisations for the benchmarks: a row, a domain and a full copy of the template each.

Call from a process where Django is set up, in the public schema, after `migrate_schemas` and
`tenants.services.template_ensure()`. Each organisation is made by `tenants.services.organisation_create`, the
service the product uses (Heartwood's one-batch copier, about 0.1–0.5 s each as the catalogue grows), so the
catalogue PostgreSQL searches is as large as with real tenants.
"""

from __future__ import annotations

import sys
import time


def organisations_add(count: int, *, prefix: str = "org", start: int = 0, progress: bool = True) -> list:
    """Make `count` organisations at `<prefix>-<n>.<BASE_DOMAIN>` (n from `start`); answers them in order."""
    from tenants.services import organisation_create

    made = []
    started = time.perf_counter()
    for n in range(start, start + count):
        made.append(organisation_create(name=f"{prefix.title()} {n}", subdomain=f"{prefix}-{n}"))
        if progress and (len(made) % 100 == 0 or len(made) == count):
            print(f"  {len(made)}/{count} organisations ({time.perf_counter() - started:.0f} s)",
                  file=sys.stderr, flush=True)
    return made
