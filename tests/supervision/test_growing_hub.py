"""/growing/ is where people find growing with others (supervision, 360 feedback, learning sets), and supervision
leads each person to the growth profile they may read: their own, or their current supervisee's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from supervision.services.sessions import relationship_create, relationship_end, session_schedule
from tests.conftest import client_for, make_person

pytestmark = pytest.mark.django_db


def test_growing_leads_to_supervision_360_feedback_and_learning_sets(alpha):
    html = client_for(alpha, make_person(alpha, ["leader"])).get("/growing/").content.decode()
    top = html.split('class="card-grid growing-links"', 1)[1].split("</div>", 1)[0]
    for href, title in (("/supervision/", "Supervision"), ("/feedback/360/", "360 feedback"),
                        ("/sets/", "Learning sets")):
        assert f'href="{href}"><h2 class="card-title">{title}</h2>' in top
    # The cards come first, then what the page already shows.
    assert html.index("growing-links") < html.index("Offered to you")


def test_supervision_pages_link_to_the_growth_profile_each_person_may_read(alpha):
    supervisee, supervisor = make_person(alpha, ["leader"]), make_person(alpha, ["leader"])
    with tenant_context(alpha):
        relationship = relationship_create(supervisor=supervisor, supervisee=supervisee)
        session = session_schedule(relationship=relationship, by=supervisor,
                                   starts_at=timezone.now() + timedelta(days=3))
    pages = (f"/supervision/with/{relationship.pk}/", f"/supervision/sessions/{session.pk}/")
    own, theirs = 'href="/growing/profile/"', f'href="/growing/people/{supervisee.pk}/"'
    for url in pages:
        html = client_for(alpha, supervisee).get(url).content.decode()
        assert own in html and theirs not in html
        html = client_for(alpha, supervisor).get(url).content.decode()
        assert theirs in html and own not in html
        assert client_for(alpha, supervisor).get(f"/growing/people/{supervisee.pk}/").status_code == 200
    # Once the supervision has ended, the supervisee still finds their own profile from it.
    with tenant_context(alpha):
        relationship_end(relationship=relationship, on=timezone.localdate())
    for url in pages:
        assert own in client_for(alpha, supervisee).get(url).content.decode()
