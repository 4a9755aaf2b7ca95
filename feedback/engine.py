"""The anonymous-feedback engine: every rule of anonymity lives here, and only here.

- **k**: a round shows results only with at least `k` answers. `k` is fixed when the round opens, from the
  organisation's `FeedbackSettings` (which may raise the minimum, never lower it: `PULSE_MIN_K`,
  `THREE_SIXTY_MIN_K`).
- **Close before show**: nothing of a round shows while it is open, so the order of answers identifies nobody.
- **Frozen**: `round_close` counts the answers into `Round.results` once and deletes the answers. Nothing ever
  recomputes a closed round, whoever joins or leaves a team afterwards. A round that closed below k keeps only
  that it did (`reached` false and how many answered).
- **No breakdowns**: results are the whole round's, per statement. There is no filter that could narrow them.
- **Comments** show only in rounds that reached k, in random order.
- **Once each**: a respondent answers once; `Respondent.answered` says so, and nothing says which answer.

The instruments (`feedback.pulse`, `feedback.threesixty`) open rounds and draw results through these functions.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from people.models import User
from people.selectors import active_members
from people.tokens import token_hash

from .models import PULSE_MIN_K, THREE_SIXTY_MIN_K, Answer, FeedbackSettings, Instrument, Respondent, Round

COMMENT_MAX = 1000


class FeedbackError(Exception):
    """A reason an answer cannot be taken, in words for the person answering."""


class RoundClosed(FeedbackError):
    pass


class AlreadyAnswered(FeedbackError):
    pass


@dataclass(frozen=True)
class Statement:
    key: str
    text: str
    reverse: bool = False  # agreeing is the unfavourable answer ("mistakes are held against you")
    group: str = ""  # a behaviour, for the 360

    def as_json(self) -> dict[str, Any]:
        return {"key": self.key, "text": self.text, "reverse": self.reverse, "group": self.group}


# --- settings


def feedback_settings() -> FeedbackSettings:
    settings, _ = FeedbackSettings.objects.get_or_create(singleton=1)
    return settings


def k_for(instrument: str) -> int:
    """The k a round of `instrument` opened now must reach: the organisation's, never below the minimum."""
    settings = FeedbackSettings.objects.filter(singleton=1).first()
    if instrument == Instrument.PULSE:
        return max(PULSE_MIN_K, settings.pulse_k if settings else PULSE_MIN_K)
    return max(THREE_SIXTY_MIN_K, settings.three_sixty_k if settings else THREE_SIXTY_MIN_K)


def feedback_settings_update(*, pulse_k: int, three_sixty_k: int) -> FeedbackSettings:
    if pulse_k < PULSE_MIN_K or three_sixty_k < THREE_SIXTY_MIN_K:
        raise FeedbackError(
            f"A pulse needs at least {PULSE_MIN_K} answers and a 360 at least {THREE_SIXTY_MIN_K}: "
            "you can raise these, never lower them."
        )
    settings = feedback_settings()
    settings.pulse_k, settings.three_sixty_k = pulse_k, three_sixty_k
    settings.save(update_fields=["pulse_k", "three_sixty_k", "updated_at"])
    return settings


# --- opening


def round_open(
    *, instrument: str, statements: Sequence[Statement], scale: int, closes_at: datetime,
    users: Iterable[User] = (), opened_at: datetime | None = None,
) -> Round:
    """A new round with its statements frozen, k fixed and a `Respondent` for each of `users`.

    Raters by email (the 360) are added with `respondent_add_by_email`. Call inside the instrument's transaction.
    """
    opened_at = opened_at or timezone.now()
    round_ = Round.objects.create(
        instrument=instrument, statements=[s.as_json() for s in statements], scale=scale,
        k=k_for(instrument), opened_at=opened_at, closes_at=closes_at,
    )
    Respondent.objects.bulk_create([Respondent(round=round_, user=user) for user in {u.pk: u for u in users}.values()])
    return round_


def respondent_add_by_email(*, round_: Round, email: str, token: str, expires_at: datetime) -> Respondent:
    """A rater without an account: they answer through a single-use link (`token`, stored only as a hash)."""
    return Respondent.objects.create(
        round=round_, email=email.strip(), token_hash=token_hash(token), expires_at=expires_at
    )


def respondent_link_renew(*, respondent: Respondent, token: str) -> bool:
    """A new single-use link for a rater by email (made when their email goes, since only hashes are kept); the
    link before it stops working. Only while they can still answer: never brings a used or closed link back."""
    return bool(
        Respondent.objects.filter(pk=respondent.pk, answered=False, round__closed_at__isnull=True)
        .exclude(email="").update(token_hash=token_hash(token))
    )


# --- answering


def respondent_for_token(token: str) -> Respondent | None:
    """The rater a single-use link belongs to, while it may still be used; None for any other link."""
    if not token:
        return None
    respondent = Respondent.objects.select_related("round").filter(token_hash=token_hash(token)).first()
    if respondent is None or respondent.answered or respondent.round.closed_at is not None:
        return None
    if respondent.expires_at is not None and respondent.expires_at <= timezone.now():
        return None
    return respondent


def scores_check(round_: Round, scores: Sequence[int]) -> list[int]:
    try:
        # Whole numbers only (form text "4" is one); int() would quietly take 3.5 as 3, and "" or None as a crash.
        values = [s if isinstance(s, int) and not isinstance(s, bool) else int(str(s).strip()) for s in scores]
    except (TypeError, ValueError):
        raise FeedbackError("Please answer every statement.") from None
    if len(values) != len(round_.statements) or any(not 1 <= v <= round_.scale for v in values):
        raise FeedbackError("Please answer every statement.")
    return values


@transaction.atomic
def answer_record(*, respondent: Respondent, scores: Sequence[int], comment: str = "") -> None:
    """Take one answer: the ratings and comment go into an `Answer` with no link to anyone, and the respondent
    is marked as having answered. The two happen together or not at all."""
    respondent = Respondent.objects.select_for_update().select_related("round").get(pk=respondent.pk)
    round_ = respondent.round
    if respondent.answered:
        raise AlreadyAnswered("You have already answered this one. Thank you.")
    if round_.closed_at is not None or round_.closes_at <= timezone.now():
        raise RoundClosed("This has closed, so it no longer takes answers.")
    if respondent.expires_at is not None and respondent.expires_at <= timezone.now():
        raise RoundClosed("This link has expired.")
    values = scores_check(round_, scores)
    comment = (comment or "").replace("\x00", "").strip()[:COMMENT_MAX]  # PostgreSQL text cannot hold NUL
    Answer.objects.create(round=round_, scores=values, comment=comment)
    Respondent.objects.filter(pk=respondent.pk).update(answered=True, token_hash=None)
    Round.objects.filter(pk=round_.pk).update(answer_count=F("answer_count") + 1)


def comment_mentions(text: str) -> list[str]:
    """Names of people in the organisation that a comment seems to mention (full names, or first names of three
    letters or more), so the writer can be warned before sending. The writer decides."""
    if not text.strip():
        return []
    found: list[str] = []
    for full_name in active_members().exclude(full_name="").values_list("full_name", flat=True):
        first = full_name.split()[0]
        for candidate in (full_name, first):
            if len(candidate) >= 3 and re.search(rf"(?<!\w){re.escape(candidate)}(?!\w)", text, re.IGNORECASE):
                if full_name not in found:
                    found.append(full_name)
                break
    return found


# --- closing


def _tally(round_: Round, answers: list[Answer]) -> dict[str, Any]:
    count = len(answers)
    if count < round_.k:
        return {"answers": count, "k": round_.k, "reached": False}
    items = []
    for index, statement in enumerate(round_.statements):
        counts = [0] * round_.scale
        for answer in answers:
            counts[answer.scores[index] - 1] += 1
        mean = sum((point + 1) * n for point, n in enumerate(counts)) / count
        favourable = (round_.scale + 1 - mean) if statement.get("reverse") else mean
        items.append({**statement, "counts": counts, "mean": round(mean, 2), "favourable": round(favourable, 2)})
    comments = [answer.comment for answer in answers if answer.comment]
    random.SystemRandom().shuffle(comments)
    return {"answers": count, "k": round_.k, "reached": True, "items": items, "comments": comments}


@transaction.atomic
def round_close(*, round_: Round, at: datetime | None = None) -> Round:
    """Close a round: count its answers into frozen results and delete the answers. Closing twice changes
    nothing."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.closed_at is not None:
        return round_
    answers = list(round_.answers.all())
    round_.results = _tally(round_, answers)
    round_.closed_at = at or timezone.now()
    round_.save(update_fields=["results", "closed_at"])
    Answer.objects.filter(round=round_).delete()
    Respondent.objects.filter(round=round_).update(token_hash=None)
    return round_


def rounds_due_to_close(now: datetime | None = None):
    return Round.objects.filter(closed_at__isnull=True, closes_at__lte=now or timezone.now())


# --- reading


def results_visible(round_: Round) -> bool:
    """Whether a round's results may be shown at all: closed, and reached k."""
    return round_.closed_at is not None and bool(round_.results) and bool(round_.results.get("reached"))


def results_of(round_: Round) -> dict[str, Any] | None:
    """The frozen results of a round, or None while it is open or when it closed below k."""
    return round_.results if results_visible(round_) else None
