"""The demo organisation's journals (tenants.demo_seeding calls `seed`).

Sam, a team leader at Larch House (a fictional residential home run by the demo organisation), has kept a
journal for a few weeks: free writing, Gibbs' cycle, What? So what? Now what? and the Five whys (tracing why the
morning medication round keeps running late, before taking it to the team), one entry written from a
prompt, one shared with Morgan (their mentor) with a short conversation and an acknowledgement, another shared
this week with a reply from Morgan that Sam has not read yet (the home page's news), and a draft for the next
supervision. Morgan has chosen a weekly digest. Everything is written through the services, so sharing,
visibility and notifications obey the product's rules; only the dates are moved back afterwards. Runs once:
when Sam has any entry it leaves everything as it is. Every person and place here is made up.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from courses.models import Lesson
from people.models import User

from .models import (
    Acknowledgement,
    Comment,
    DigestFrequency,
    EntryRead,
    EntryShare,
    EntryTemplate,
    JournalEntry,
    Notification,
    PromptChannel,
    PromptDelivery,
    PromptFrequency,
)
from .prompt_delivery import deliveries_record, prompts_choose
from .rhythm import Rhythm, slot_at
from .selectors.prompts import organisation_time_zone
from .services import conversations, journal, prompts, sharing

THURSDAY = 3
PROMPT_TIME = time(19, 30)

TWO_MINUTES = """I tried the two-minute check-in from the Attending lesson today. Five people on the late shift, \
two minutes each, before I touched the handover sheet.

It felt awkward with the first two. I could feel myself wanting to get on with the rota. By the third person I had \
stopped looking at the clock.

Kez told me her dad has been unwell and she has been driving over to see him after every shift. I had no idea. She \
has been quieter than usual and I had put it down to her being tired of lates.

I don't want to make a big thing of it, but I'll ask her next week how he is. And I want to keep the two minutes \
going, even on short-staffed days. Maybe especially on those."""

HANDOVER = {
    "gibbs_description": "Tuesday's morning handover ran twenty minutes over. The night team were tired and wanted "
    "to get home; the day team were already behind. Halfway through, Jo from nights said, quite sharply, that nobody "
    "ever reads the notes they leave. I said we'd talk about it later and carried on.",
    "gibbs_feelings": "Embarrassed, mostly, and a bit defensive. I do read the notes, but I know not everyone does. "
    "I felt the room go tense, and I wanted the tension to stop more than I wanted to understand it.",
    "gibbs_evaluation": "We got through the handover and nothing important was missed. But 'later' never came: Jo "
    "had gone home by the time I looked up, and I didn't follow it up that day.",
    "gibbs_analysis": "I think Jo was saying something true. The notes from nights get skimmed because the morning "
    "starts in a rush, with handover done standing in the corridor while call bells go. That isn't one careless "
    "person; it's how the morning is set up. Telling everyone to read the notes would be lopping off a branch.",
    "gibbs_conclusion": "I could have said 'You're right, tell me more' instead of parking it. It would have cost two "
    "minutes and shown the night team that speaking up lands somewhere.",
    "gibbs_action_plan": "Ring Jo before her next shift and thank her for saying it. Ask nights and days together "
    "what would make the notes worth reading. Try handover sitting down in the quiet lounge for two weeks.",
}

CONVERSATION = [
    ("mentor", "Thank you for sharing this, Sam. I noticed how honestly you wrote about wanting the tension to stop "
     "more than wanting to understand it. That's a very human pull, and you caught it. When you ring Jo, what do you "
     "most want her to hear from you?"),
    ("leader", "That I heard her, and that she was right to say it, even in front of everyone. I rang her yesterday. "
     "She was surprised I called. She said the night team often feel like an afterthought."),
    ("mentor", "'An afterthought' is worth staying with. Asking her was a good start. Bring the sitting-down "
     "handover to our next session, and let's think about how the night team could shape it rather than hear about "
     "it afterwards."),
    ("leader", "Will do. Jo has offered to come in ten minutes early on Thursday so we can try it together."),
]

EXTRA_SHIFTS = {
    "what": "The same three people have picked up nearly every extra shift this month. When the rota has a gap I "
    "message the group, and it's always Dee, Kwame or Lou who answer first. I've been grateful and left it there.",
    "so_what": "Grateful isn't enough if it's wearing them down. Kwame looked done in on Sunday. And the rest of the "
    "team never gets asked directly, so they may think it's covered. The gap keeps coming back because we fill it "
    "each time without asking why it's there.",
    "now_what": "Ask Dee, Kwame and Lou, one at a time, how they're really finding it and whether they'd like me to "
    "stop asking them first. Take the pattern of gaps to the registered manager with the dates, not just a feeling. "
    "Ask people by name, fairly, instead of the group chat.",
}

CAR_PARK = """Mrs A's daughter sat in her car in the car park for a long time before she came in today. When she \
did, she apologised for being "a state".

We sat in the conservatory for ten minutes. I didn't try to fix anything. Mostly she talked about how strange it is \
to visit her mum in a place that isn't home.

I noticed I wanted to reassure her straight away ("she's settling in really well") and I held it back. I think she \
needed someone to hear that it's hard before she could hear anything else.

Feeling with, not for. I understand that a bit more now."""

CAR_PARK_REPLY = ("Holding back the reassurance is hard, Sam, and you did it. \"Feeling with, not for\" is exactly it. "
                  "I wonder what you noticed in yourself while she talked, and what helped you stay with it.")

SUPERVISION_DRAFT = """- The sitting-down handover: two weeks in, what has changed?
- The rota gaps, and asking for help with the pattern
- How do I keep checking in with people without it turning into another task?"""


def _ago(days: int, hour: int, minute: int = 0) -> Any:
    """`days` ago at a plausible local time (after a shift, not at four in the morning)."""
    local = timezone.localtime(timezone.now(), ZoneInfo(organisation_time_zone())) - timedelta(days=days)
    return local.replace(hour=hour, minute=minute, second=0, microsecond=0)


def _entry(author: User, when: Any, **kwargs: Any) -> JournalEntry:
    entry = journal.entry_create(author=author, **kwargs)
    JournalEntry.objects.filter(pk=entry.pk).update(created_at=when, updated_at=when)
    return entry


def _notified(entry: JournalEntry, when: Any, *, read: bool) -> None:
    """Date the notice the last step made: sent (emailed, where it emails) then, and read or not yet."""
    notice = Notification.objects.filter(entry=entry).latest("id")
    Notification.objects.filter(pk=notice.pk).update(
        created_at=when, emailed_at=when if notice.email_due else None,
        read_at=when + timedelta(hours=2) if read else None,
    )


def _past_thursdays(count: int, time_zone: str) -> list[Any]:
    """The moments of the last `count` weekly prompt slots before today, oldest first."""
    rhythm = Rhythm(PromptFrequency.WEEKLY, THURSDAY, PROMPT_TIME, time_zone, anchor=date.today())
    today = timezone.localdate()
    last = today - timedelta(days=(today.weekday() - THURSDAY - 1) % 7 + 1)
    return [slot_at(rhythm, last - timedelta(weeks=n)) for n in reversed(range(count))]


def _prompts_received(leader: User) -> list[PromptDelivery]:
    """Three weekly prompts, recorded by the dispatcher's own statement at the moment each was due (anyone else
    whose prompt was due then gets theirs too, as the dispatcher would have done)."""
    prompts.rhythm_update(
        user=leader, frequency=PromptFrequency.WEEKLY, weekday=THURSDAY, local_time=PROMPT_TIME, time_zone="",
        channel=PromptChannel.BOTH,
    )
    recorded: list[int] = []
    for slot in _past_thursdays(3, organisation_time_zone()):
        new = deliveries_record(now=slot + timedelta(minutes=1))
        prompts_choose(new)
        recorded += [delivery_id for delivery_id, _ in new]
    # Emailed at the time, weeks ago: nothing is left for the relay to send now.
    for delivery in PromptDelivery.objects.filter(pk__in=recorded):
        PromptDelivery.objects.filter(pk=delivery.pk, email_status=PromptDelivery.EmailStatus.PENDING).update(
            email_status=PromptDelivery.EmailStatus.SENT, emailed_at=delivery.slot, email_attempts=1,
            created_at=delivery.slot,
        )
    return list(PromptDelivery.objects.filter(user=leader).order_by("slot"))


FIVE_WHYS_ROUND = {
    "fw_problem": "The morning medication round has started late four times in the last fortnight. People who need "
                  "their tablets with breakfast are waiting, and the senior on shift ends up rushing.",
    "fw_why1": "Because the senior doing the round is still in handover at eight, when the round should start.",
    "fw_why2": "Because handover keeps overrunning: nights go through every resident out loud, even the ones with "
               "nothing new.",
    "fw_why3": "Because they don't trust that the notes get read. And honestly, on busy mornings, they don't.",
    "fw_why4": "Because days come in at five to eight with no time set aside to read anything before handover.",
    "fw_root": "We never planned time to read the notes, so handover has quietly become the way everything gets "
               "passed on. The late round is a branch; the missing reading time is the root.",
    "fw_action": "Take it to Thursday's team meeting rather than decide it myself: ask what they think of starting "
                 "at quarter to eight with ten quiet minutes to read the night notes. Look again in a month.",
}


def _five_whys(leader: User) -> None:
    """Sam traced the late medication round in the journal before taking it to the team (learningsets' demo
    keeps the team's version). Added on its own, once, so a demo made before the template gets it too."""
    if JournalEntry.objects.filter(author=leader, template=EntryTemplate.FIVE_WHYS).exists():
        return
    _entry(
        leader, _ago(12, 21, 40), title="Why the medication round keeps running late",
        template=EntryTemplate.FIVE_WHYS, fields=FIVE_WHYS_ROUND, behaviours=["understanding"],
    )


def seed(*, people: dict[str, User]) -> None:
    leader, mentor = people["leader"], people["mentor"]
    if JournalEntry.objects.filter(author=leader).exists():
        _five_whys(leader)
        return
    _five_whys(leader)

    attending = (
        Lesson.objects.filter(module__behaviour="attending", module__is_hidden=False)
        .order_by("module__order", "order", "id").first()
    )
    _entry(
        leader, _ago(22, 22, 35), title="Two minutes with each person at the start of the late shift",
        template=EntryTemplate.FREE, fields={"body": TWO_MINUTES}, behaviours=["attending"], lesson=attending,
    )

    handover = _entry(
        leader, _ago(17, 15, 10), title="A handover that ran twenty minutes over", template=EntryTemplate.GIBBS,
        fields=HANDOVER, behaviours=["attending", "understanding"],
    )
    sharing.entry_share(entry=handover, author=leader, mentor=mentor)
    EntryShare.objects.filter(entry=handover, mentor=mentor).update(shared_at=_ago(17, 15, 30))
    _notified(handover, _ago(17, 15, 30), read=True)
    sharing.entry_read_record(entry=handover, reader=mentor)
    EntryRead.objects.filter(entry=handover, reader=mentor).update(read_at=_ago(16, 9, 5))
    last = len(CONVERSATION) - 1
    times = [_ago(16, 9, 20), _ago(15, 19, 45), _ago(14, 12, 30), _ago(13, 20, 10)]
    for n, (who, body) in enumerate(CONVERSATION):
        when = times[n]
        if who == "mentor":
            comment = conversations.comment_create(entry=handover, author=mentor, body=body)
        else:
            comment = conversations.comment_create(entry=handover, author=leader, body=body, mentor=mentor)
        Comment.objects.filter(pk=comment.pk).update(created_at=when)
        # Sam's last word is new to Morgan: something waiting on the mentoring page.
        _notified(handover, when, read=n < last)
        if n == last - 1:
            conversations.entry_acknowledge(entry=handover, mentor=mentor)
            Acknowledgement.objects.filter(entry=handover, mentor=mentor).update(created_at=when + timedelta(minutes=1))
            _notified(handover, when + timedelta(minutes=1), read=True)

    deliveries = _prompts_received(leader)
    if len(deliveries) >= 2:
        oldest, answered = deliveries[0], deliveries[-2]
        prompts.delivery_dismiss(user=leader, delivery_id=oldest.pk)  # "Not now"
        PromptDelivery.objects.filter(pk=oldest.pk).update(dismissed_at=oldest.slot + timedelta(hours=14))
        # "Write about this": the delivery is used, and the entry carries its prompt.
        prompts.delivery_dismiss(user=leader, delivery_id=answered.pk)
        PromptDelivery.objects.filter(pk=answered.pk).update(dismissed_at=answered.slot + timedelta(minutes=40))
        _entry(
            leader, answered.slot + timedelta(minutes=40), title="Who keeps saying yes to extra shifts",
            template=EntryTemplate.WHAT, fields=EXTRA_SHIFTS, behaviours=["understanding", "helping"],
            prompt=answered.prompt,
        )

    car_park = _entry(
        leader, _ago(4, 16, 20), title="A daughter in the car park", template=EntryTemplate.FREE,
        fields={"body": CAR_PARK}, behaviours=["empathising"],
    )
    # Shared two days ago; Morgan read it and replied last night, and Sam has not looked yet: something new on
    # Sam's home page and beside "Journal".
    sharing.entry_share(entry=car_park, author=leader, mentor=mentor)
    EntryShare.objects.filter(entry=car_park, mentor=mentor).update(shared_at=_ago(2, 18, 40))
    _notified(car_park, _ago(2, 18, 40), read=True)
    sharing.entry_read_record(entry=car_park, reader=mentor)
    EntryRead.objects.filter(entry=car_park, reader=mentor).update(read_at=_ago(1, 20, 15))
    reply = conversations.comment_create(entry=car_park, author=mentor, body=CAR_PARK_REPLY)
    Comment.objects.filter(pk=reply.pk).update(created_at=_ago(1, 20, 25))
    _notified(car_park, _ago(1, 20, 25), read=False)
    _entry(
        leader, _ago(1, 21, 5), title="Things to bring to supervision", template=EntryTemplate.FREE,
        fields={"body": SUPERVISION_DRAFT}, is_draft=True,
    )
    prompts.digest_update(mentor=mentor, frequency=DigestFrequency.WEEKLY)
