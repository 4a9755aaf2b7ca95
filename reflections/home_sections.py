"""The home page sections `reflections` fills in (registered in `ReflectionsConfig.ready()`; see `people.home`):
what is new on your entries, what your leaders shared or said, and the prompts waiting for you."""

from __future__ import annotations

from django.utils import timezone

from people.home import HomeSection
from people.models import User
from people.selectors import current_mentees_of, current_mentors_of

from .models import PromptFrequency
from .rhythm import next_slot
from .selectors.news import News, news_for
from .selectors.prompts import prompt_cards_for, rhythm_for
from .selectors.visibility import own_entries

JOURNAL_NEWS_PRIORITY = 10
MENTORING_NEWS_PRIORITY = 20
PROMPTS_PRIORITY = 30


def _news(user: User) -> News:
    # Both news sections read the same two queries' worth; keep them on the person for this request.
    cached = getattr(user, "_home_news", None)
    if cached is None:
        cached = user._home_news = news_for(user)  # type: ignore[attr-defined]
    return cached


def journal_news_section(user: User) -> HomeSection | None:
    """Replies and acknowledgements on your own entries since you last looked."""
    news = _news(user)
    if not (user.is_leader or news.journal):
        return None
    context: dict[str, object] = {"items": news.journal, "count": news.journal_count}
    if not news.journal:
        context["has_entries"] = own_entries(user).filter(is_draft=False).exists()
        context["has_mentor"] = current_mentors_of(user).exists()
    return HomeSection(
        key="reflections.journal", title="On your entries", template="reflections/home/journal_news.html",
        context=context, empty=not news.journal,
    )


def mentoring_news_section(user: User) -> HomeSection | None:
    """Entries your leaders shared with you that you have not opened, and their new replies."""
    if not user.is_mentor:
        return None
    news = _news(user)
    context: dict[str, object] = {"items": news.mentoring, "count": news.mentoring_count}
    if not news.mentoring:
        context["has_mentees"] = current_mentees_of(user).exists()
    return HomeSection(
        key="reflections.mentoring", title="From your leaders", template="reflections/home/mentoring_news.html",
        context=context, empty=not news.mentoring,
    )


def prompts_section(user: User) -> HomeSection | None:
    """In-app prompts waiting; when there are none, when the next one comes."""
    if not user.is_leader:
        return None
    cards = list(prompt_cards_for(user))
    context: dict[str, object] = {"cards": cards}
    if not cards:
        rhythm = rhythm_for(user)
        context["prompts_off"] = rhythm.frequency == PromptFrequency.OFF
        context["next_prompt_at"] = next_slot(rhythm.as_rhythm(), timezone.now())
    return HomeSection(
        key="reflections.prompts",
        title="Reflection prompts" if not cards else "A question for you" if len(cards) == 1 else "Questions for you",
        template="reflections/home/prompts.html", context=context, empty=not cards,
    )
