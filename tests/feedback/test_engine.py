"""Every rule of `feedback.engine`, on its own, without either instrument: k fixed at opening from the
organisation's settings (raised, never lowered), close before show, results frozen at close and never recomputed,
answers deleted at close, a round below k keeping only that it did, once each, single-use expiring links, scores
and comments checked, reverse-scored statements read the right way round, comments shuffled and only where k was
reached, and the warning when a comment names someone."""

from __future__ import annotations

import copy
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import tenant_context

from feedback import engine
from feedback.engine import AlreadyAnswered, FeedbackError, RoundClosed, Statement
from feedback.models import PULSE_MIN_K, THREE_SIXTY_MIN_K, Answer, FeedbackSettings, Instrument, Respondent, Round
from people.tokens import token_new
from tests.conftest import make_person

pytestmark = pytest.mark.django_db

STATEMENTS = [
    Statement(key="held", text="Mistakes are held against you.", reverse=True),
    Statement(key="raise", text="You can bring up problems."),
    Statement(key="help", text="It is easy to ask for help.", group="helping"),
]


@pytest.fixture
def people(alpha):
    return [make_person(alpha, ["leader"], name=f"Person {n} Example") for n in range(8)]


def open_round(people, *, instrument: str = Instrument.PULSE, days: int = 7, scale: int = 7) -> Round:
    return engine.round_open(
        instrument=instrument, statements=STATEMENTS, scale=scale, closes_at=timezone.now() + timedelta(days=days),
        users=people,
    )


def respondents(round_: Round) -> list[Respondent]:
    return list(Respondent.objects.filter(round=round_).order_by("id"))


def answer_all(round_: Round, scores: list[list[int]], comments: list[str] | None = None) -> None:
    comments = comments or [""] * len(scores)
    for respondent, score, comment in zip(respondents(round_), scores, comments, strict=False):
        engine.answer_record(respondent=respondent, scores=score, comment=comment)


# --- k


def test_k_is_the_minimum_without_settings_and_the_organisations_when_raised(alpha):
    with tenant_context(alpha):
        FeedbackSettings.objects.all().delete()
        assert engine.k_for(Instrument.PULSE) == PULSE_MIN_K == 5
        assert engine.k_for(Instrument.THREE_SIXTY) == THREE_SIXTY_MIN_K == 3
        engine.feedback_settings_update(pulse_k=8, three_sixty_k=4)
        assert (engine.k_for(Instrument.PULSE), engine.k_for(Instrument.THREE_SIXTY)) == (8, 4)
        # Back down to the minimum is allowed; below it never, and nothing changes when refused.
        engine.feedback_settings_update(pulse_k=5, three_sixty_k=3)
        for pulse_k, three_sixty_k in ((4, 3), (5, 2), (0, 0)):
            with pytest.raises(FeedbackError):
                engine.feedback_settings_update(pulse_k=pulse_k, three_sixty_k=three_sixty_k)
        settings = FeedbackSettings.objects.get()
        assert (settings.pulse_k, settings.three_sixty_k) == (5, 3)


def test_k_is_fixed_when_a_round_opens(alpha, people):
    with tenant_context(alpha):
        engine.feedback_settings_update(pulse_k=6, three_sixty_k=4)
        pulse, three_sixty = open_round(people), open_round(people[:5], instrument=Instrument.THREE_SIXTY)
        assert (pulse.k, three_sixty.k) == (6, 4)
        engine.feedback_settings_update(pulse_k=5, three_sixty_k=7)
        pulse.refresh_from_db()
        three_sixty.refresh_from_db()
        assert (pulse.k, three_sixty.k) == (6, 4)  # lowering after opening does not lower an open round
        answer_all(pulse, [[4, 4, 4]] * 5)
        answer_all(three_sixty, [[4, 4, 4]] * 4)
        pulse, three_sixty = engine.round_close(round_=pulse), engine.round_close(round_=three_sixty)
        assert pulse.results == {"answers": 5, "k": 6, "reached": False}  # 5 answers < the k it opened with
        assert three_sixty.results["reached"] and three_sixty.results["k"] == 4  # raising later changes nothing


def test_a_round_asks_each_person_once(alpha, people):
    with tenant_context(alpha):
        round_ = engine.round_open(
            instrument=Instrument.PULSE, statements=STATEMENTS, scale=7,
            closes_at=timezone.now() + timedelta(days=1), users=[*people, people[0], people[1]],
        )
        assert Respondent.objects.filter(round=round_).count() == len(people)
        assert round_.statements == [s.as_json() for s in STATEMENTS]


# --- close before show, frozen


def test_nothing_shows_while_open_however_many_answered(alpha, people):
    with tenant_context(alpha):
        round_ = open_round(people)
        answer_all(round_, [[5, 5, 5]] * 8)
        round_.refresh_from_db()
        assert round_.answer_count == 8 and round_.results is None
        assert not engine.results_visible(round_) and engine.results_of(round_) is None
        closed = engine.round_close(round_=round_)
        assert engine.results_visible(closed) and engine.results_of(closed)["answers"] == 8


def test_close_counts_deletes_the_answers_and_the_links(alpha, people):
    with tenant_context(alpha):
        round_ = open_round(people[:3], instrument=Instrument.THREE_SIXTY)
        engine.respondent_add_by_email(round_=round_, email="rater@example.org", token=token_new()[0],
                                       expires_at=timezone.now() + timedelta(days=7))
        answer_all(round_, [[1, 4, 7], [2, 4, 6], [3, 4, 5]])
        assert Answer.objects.filter(round=round_).count() == 3
        closed = engine.round_close(round_=round_)
        assert not Answer.objects.filter(round=round_).exists()
        assert not Respondent.objects.filter(round=round_, token_hash__isnull=False).exists()
        items = closed.results["items"]
        assert [item["key"] for item in items] == ["held", "raise", "help"]
        assert items[0]["counts"] == [1, 1, 1, 0, 0, 0, 0] and items[0]["mean"] == 2.0
        assert items[1]["counts"] == [0, 0, 0, 3, 0, 0, 0]
        assert items[2]["counts"] == [0, 0, 0, 0, 1, 1, 1] and items[2]["group"] == "helping"


def test_results_are_frozen_whatever_changes_later(alpha, people):
    with tenant_context(alpha):
        round_ = open_round(people[:6])
        answer_all(round_, [[2, 6, 6], [3, 5, 6], [1, 7, 5], [2, 6, 6], [4, 4, 4]], ["One.", "", "Two.", "", ""])
        closed = engine.round_close(round_=round_, at=timezone.now())
        frozen = copy.deepcopy(closed.results)
        late = respondents(round_)[5]
        # Everything that could change afterwards: settings, the people, a late answer, closing again, the clock.
        engine.feedback_settings_update(pulse_k=9, three_sixty_k=9)
        people[0].delete()
        with pytest.raises(RoundClosed):
            engine.answer_record(respondent=late, scores=[7, 7, 7])
        again = engine.round_close(round_=round_, at=timezone.now() + timedelta(days=3))
        Respondent.objects.filter(round=round_).update(answered=True)
        round_.refresh_from_db()
        assert again.results == round_.results == frozen
        assert again.closed_at == closed.closed_at
        assert not Answer.objects.filter(round=round_).exists()


def test_a_round_below_k_keeps_only_that_it_did(alpha, people):
    with tenant_context(alpha):
        round_ = open_round(people)
        answer_all(round_, [[7, 7, 7]] * 4, ["A comment that must not survive."] * 4)
        closed = engine.round_close(round_=round_)
        assert closed.results == {"answers": 4, "k": 5, "reached": False}
        assert "must not survive" not in str(closed.results)
        assert not engine.results_visible(closed) and engine.results_of(closed) is None
        assert not Answer.objects.filter(round=round_).exists()


def test_an_empty_round_closes_below_k(alpha, people):
    with tenant_context(alpha):
        closed = engine.round_close(round_=open_round(people))
        assert closed.results == {"answers": 0, "k": 5, "reached": False}


# --- answering


def test_a_second_answer_is_refused_and_writes_nothing(alpha, people):
    with tenant_context(alpha):
        round_ = open_round(people)
        respondent = respondents(round_)[0]
        engine.answer_record(respondent=respondent, scores=[3, 3, 3])
        with pytest.raises(AlreadyAnswered):
            engine.answer_record(respondent=respondent, scores=[4, 4, 4])
        stale = Respondent.objects.get(pk=respondent.pk)
        stale.answered = False  # an old copy in memory does not fool it: the row is read again, locked
        with pytest.raises(AlreadyAnswered):
            engine.answer_record(respondent=stale, scores=[4, 4, 4])
        round_.refresh_from_db()
        assert Answer.objects.filter(round=round_).count() == round_.answer_count == 1


def test_a_round_past_its_closing_time_takes_no_answer_before_the_beat_closes_it(alpha, people):
    with tenant_context(alpha):
        round_ = open_round(people)
        Round.objects.filter(pk=round_.pk).update(
            opened_at=timezone.now() - timedelta(days=7), closes_at=timezone.now() - timedelta(seconds=1)
        )
        with pytest.raises(RoundClosed):
            engine.answer_record(respondent=respondents(round_)[0], scores=[3, 3, 3])
        assert list(engine.rounds_due_to_close()) == [Round.objects.get(pk=round_.pk)]
        assert not Answer.objects.filter(round=round_).exists()


def test_a_single_use_link_works_once_and_not_after_it_expires_or_the_round_closes(alpha, people):
    with tenant_context(alpha):
        round_ = open_round(people[:3], instrument=Instrument.THREE_SIXTY)
        soon = timezone.now() + timedelta(days=7)
        tokens = [token_new()[0] for _ in range(4)]
        raters = [
            engine.respondent_add_by_email(round_=round_, email=f"rater{n}@example.org", token=token, expires_at=soon)
            for n, token in enumerate(tokens)
        ]
        assert raters[0].token_hash != tokens[0]  # only the hash is kept
        assert engine.respondent_for_token(tokens[0]) == raters[0]
        assert engine.respondent_for_token("") is None and engine.respondent_for_token("made-up") is None

        engine.answer_record(respondent=engine.respondent_for_token(tokens[0]), scores=[2, 2, 2])
        assert engine.respondent_for_token(tokens[0]) is None  # used
        with pytest.raises(AlreadyAnswered):
            engine.answer_record(respondent=raters[0], scores=[2, 2, 2])

        Respondent.objects.filter(pk=raters[1].pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        assert engine.respondent_for_token(tokens[1]) is None  # expired
        with pytest.raises(RoundClosed):
            engine.answer_record(respondent=raters[1], scores=[2, 2, 2])

        assert engine.respondent_for_token(tokens[2]) == raters[2]
        engine.round_close(round_=round_)
        assert engine.respondent_for_token(tokens[2]) is None  # closed
        assert Round.objects.get(pk=round_.pk).results["answers"] == 1


@pytest.mark.parametrize("scores", [
    [], [3, 3], [3, 3, 3, 3], [0, 3, 3], [3, 8, 3], [-1, 3, 3], [3, 3, None], ["a", 3, 3], [3.5, 3, 3],
    ["", 3, 3], [10**30, 3, 3],
])
def test_scores_are_checked_and_a_bad_answer_writes_nothing(alpha, people, scores):
    with tenant_context(alpha):
        round_ = open_round(people)
        respondent = respondents(round_)[0]
        with pytest.raises(FeedbackError):
            engine.answer_record(respondent=respondent, scores=scores)
        respondent.refresh_from_db()
        round_.refresh_from_db()
        assert not respondent.answered and round_.answer_count == 0
        assert not Answer.objects.filter(round=round_).exists()
        engine.answer_record(respondent=respondent, scores=["1", 7, 4])  # numbers sent as form text are fine
        assert Answer.objects.get(round=round_).scores == [1, 7, 4]


def test_a_comment_is_trimmed_and_capped(alpha, people):
    with tenant_context(alpha):
        round_ = open_round(people)
        rows = respondents(round_)
        engine.answer_record(respondent=rows[0], scores=[4, 4, 4], comment="   Kind words.  \n")
        engine.answer_record(respondent=rows[1], scores=[4, 4, 4], comment="x" * 5000)
        engine.answer_record(respondent=rows[2], scores=[4, 4, 4], comment="   \n ")
        engine.answer_record(respondent=rows[3], scores=[4, 4, 4], comment="Before\x00after")
        comments = sorted(Answer.objects.filter(round=round_).values_list("comment", flat=True))
        assert comments == ["", "Beforeafter", "Kind words.", "x" * engine.COMMENT_MAX]


def test_an_answer_row_holds_only_the_round_the_scores_and_the_comment(alpha, people):
    with tenant_context(alpha):
        round_ = open_round(people)
        respondent = respondents(round_)[0]
        with CaptureQueriesContext(connection) as ctx:
            engine.answer_record(respondent=respondent, scores=[1, 2, 3], comment="Hello")
        insert = next(q["sql"] for q in ctx.captured_queries if q["sql"].startswith('INSERT INTO "feedback_answer"'))
        columns = insert.split("(", 1)[1].split(")", 1)[0].replace('"', "").split(", ")
        assert sorted(columns) == ["comment", "id", "round_id", "scores"]
        answer = Answer.objects.get(round=round_)
        assert answer.id.version == 4  # random: it says nothing about when or in what order
        respondent.refresh_from_db()
        assert respondent.answered and respondent.token_hash is None


# --- reading results


def test_reverse_scored_statements_are_read_the_right_way_round(alpha, people):
    with tenant_context(alpha):
        round_ = open_round(people)
        # Everyone strongly agrees that mistakes are held against them (bad) and that they can raise problems (good).
        answer_all(round_, [[7, 7, 1]] * 4 + [[6, 6, 2]])
        items = engine.round_close(round_=round_).results["items"]
        held, raise_, help_ = items
        assert held["reverse"] and held["mean"] == 6.8 and held["favourable"] == 1.2
        assert not raise_["reverse"] and raise_["mean"] == raise_["favourable"] == 6.8
        assert help_["mean"] == help_["favourable"] == 1.2
        # On a 5-point scale the mirror is 6 - mean.
        small = open_round(people, scale=5)
        answer_all(small, [[5, 1, 3]] * 5)
        held = engine.round_close(round_=small).results["items"][0]
        assert (held["mean"], held["favourable"]) == (5.0, 1.0)


def test_comments_are_shuffled_and_kept_only_where_k_was_reached(alpha, people):
    with tenant_context(alpha):
        written = [f"Comment {n}" for n in range(8)]
        orders = set()
        for _ in range(6):
            round_ = open_round(people)
            answer_all(round_, [[4, 4, 4]] * 8, written)
            comments = engine.round_close(round_=round_).results["comments"]
            assert sorted(comments) == sorted(written)
            orders.add(tuple(comments))
        # Six rounds of the same eight comments in one order every time: a chance of 1 in (8!)^5.
        assert len(orders) > 1

        # Without a comment nothing is added; below k no comment at all.
        round_ = open_round(people)
        answer_all(round_, [[4, 4, 4]] * 5, ["Only one.", "", "", "", ""])
        assert engine.round_close(round_=round_).results["comments"] == ["Only one."]
        round_ = open_round(people)
        answer_all(round_, [[4, 4, 4]] * 4, ["Below k."] * 4)
        assert "comments" not in engine.round_close(round_=round_).results


def test_comment_mentions_names_people_of_the_organisation(alpha, people):
    with tenant_context(alpha):
        make_person(alpha, ["leader"], name="Priya Shah")
        make_person(alpha, ["leader"], name="Al Brown")  # a first name under three letters is not looked for
        make_person(alpha, ["leader"], name="Jo-Anne O'Neill")
        gone = make_person(alpha, ["leader"], name="Xavier Gone")
        gone.is_active = False
        gone.save()
        assert engine.comment_mentions("") == engine.comment_mentions("   ") == []
        assert engine.comment_mentions("Priya really listens.") == ["Priya Shah"]
        assert engine.comment_mentions("priya shah was kind") == ["Priya Shah"]
        assert engine.comment_mentions("Speak to Jo-Anne O'Neill about nights.") == ["Jo-Anne O'Neill"]
        assert engine.comment_mentions("Al said it was fine") == []
        assert engine.comment_mentions("Al Brown said so") == ["Al Brown"]
        assert engine.comment_mentions("Priyanka and the Shah family") == []  # whole words only
        assert engine.comment_mentions("Xavier was here") == []  # people who have left are not warned about
        assert sorted(engine.comment_mentions("Al Brown and Priya")) == ["Al Brown", "Priya Shah"]
