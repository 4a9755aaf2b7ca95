import pytest

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_pages_render_for_author_and_mentor(journal, alpha):
    author = client_for(alpha, journal.author)
    for url in ["/journal/", "/journal/new/", f"/journal/{journal.entry.pk}/", f"/journal/{journal.entry.pk}/edit/",
                f"/journal/{journal.entry.pk}/share/", f"/journal/{journal.entry.pk}/delete/", "/notifications/",
                "/journal/account/", "/journal/prompts/", "/journal/account/delete/", "/mentoring/"]:
        r = author.get(url)
        assert r.status_code == 200, url
    mentor = client_for(alpha, journal.mentor_shared)
    for url in ["/mentoring/", f"/journal/{journal.entry.pk}/", "/notifications/"]:
        r = mentor.get(url)
        assert r.status_code == 200, url
        print(r.content.decode()[:0])
