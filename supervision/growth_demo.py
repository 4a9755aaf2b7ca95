"""Growth in the demo organisation (supervision/demo.py calls `seed`, after the supervision relationships exist).

- Larch House's people describe their strengths and show them to the team, so the team page has a strengths map
  and pairing suggestions (Amira's ideas and Femi's getting things done, and more).
- Sam's growth profile: strengths (through teams, the one list), hopes and growth edges in Sam's words, "curious"
  about leading and shown to the supervisor; the supervisor suggested one growth edge, which Sam accepted.
- Stretches: Sam, who leads Larch House, offered Amira a handover to lead three weeks ago; she said yes, it is done
  and she wrote a reflection about it. Sam's supervisor has offered Sam "Present at an action learning set", waiting
  for Sam's answer (without a supervisor, Sam has offered Femi a team meeting to chair instead, waiting for Femi).
Everyone is made up. Through the services, back-dated afterwards; runs once (when Sam has a growth profile, it
leaves everything as it is).
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from people.models import User
from reflections.about import about_for
from reflections.services.journal import entry_create
from teams.strength_services import strengths_save

from .growth_about import KIND
from .models import GrowthProfile, GrowthSuggestion, StretchOpportunity
from .selectors.growth import supervisors_of
from .services import growth

# (username, picks, own words): Larch House colleagues who show their strengths to the team.
COLLEAGUE_STRENGTHS = [
    ("amira", ["ideas", "families"], "Always thinking of something new for the residents to enjoy."),
    ("femi", ["done", "detail"], "If it's on the list, it gets done, and written up properly."),
    ("josie", ["calm", "noticing"], "Nights have taught me to stay steady when things go wrong."),
    ("kwame", ["teaching", "routines"], ""),
    ("lena", ["listening", "spirits"], "I can usually get a smile out of Mr Doyle."),
    ("rory", ["speaking_up", "done"], ""),
]
SAM_STRENGTHS = (["together", "calm"], "I can usually find the one thing that settles someone who's frightened.")
SAM_HOPES = "Lead the move to the new care-planning system\nBecome a registered manager one day"
SAM_EDGES = "Letting others lead, even when I could do it faster\nSaying no to extra shifts"


def _back_date(model: type, pk: int, **fields: object) -> None:
    model.objects.filter(pk=pk).update(**fields)


def seed(*, people: dict[str, User]) -> None:
    sam = people["leader"]
    if GrowthProfile.objects.filter(person=sam).exists():
        return
    now = timezone.now()
    colleagues = {user.username: user for user in User.objects.filter(username__in=[c[0] for c in
                                                                                    COLLEAGUE_STRENGTHS])}
    for username, picks, words in COLLEAGUE_STRENGTHS:
        if username in colleagues:
            strengths_save(user=colleagues[username], picks=picks, own_words=words, shown_to_team=True)
    strengths_save(user=sam, picks=SAM_STRENGTHS[0], own_words=SAM_STRENGTHS[1], shown_to_team=True)

    growth.growth_profile_save(person=sam, hopes=SAM_HOPES, growth_edges=SAM_EDGES)
    growth.leading_feeling_set(person=sam, feeling="curious", shown_to_supervisor=True)
    supervisor = supervisors_of(sam).first()
    if supervisor is not None:
        suggestion = growth.suggestion_make(
            person=sam, by=supervisor, area="edge", text="Asking the team for ideas before deciding",
        )
        growth.suggestion_answer(suggestion=suggestion, person=sam, accept=True)
        _back_date(GrowthSuggestion, suggestion.pk, created_at=now - timedelta(days=12),
                   answered_at=now - timedelta(days=11))

    # Sam offered Amira a handover to lead; she did it and reflected on it.
    amira = colleagues.get("amira")
    if amira is not None:
        handover = growth.stretch_offer(
            person=amira, by=sam, kind="handover",
            words="The Monday morning handover, with me beside you. You notice things about residents that the rest "
                  "of us miss, and the team listens to you.",
        )
        growth.stretch_answer(opportunity=handover, person=amira, accept=True)
        growth.stretch_done(opportunity=handover, by=amira)
        _back_date(StretchOpportunity, handover.pk, offered_at=now - timedelta(days=21),
                   answered_at=now - timedelta(days=20), done_at=now - timedelta(days=14))
        about = about_for(amira, f"{KIND}:{handover.pk}")
        entry_create(
            author=amira, title="Reflecting on: leading the Monday handover", template="free", about=about,
            behaviours=["attending"],
            fields={"body": "I was nervous and spoke too fast at first. Asking Josie to go over the night first "
                            "helped. Next time I'll keep the list shorter and leave room for questions."},
        )

    if supervisor is not None:
        waiting = growth.stretch_offer(
            person=sam, by=supervisor, kind="learning_set",
            words="Bring the rota problem to the next action learning set and present it. I'll help you prepare.",
        )
        _back_date(StretchOpportunity, waiting.pk, offered_at=now - timedelta(days=2))
    elif (femi := colleagues.get("femi")) is not None:
        waiting = growth.stretch_offer(person=femi, by=sam, kind="team_meeting",
                                       words="Chair next month's team meeting. I'll do the minutes.")
        _back_date(StretchOpportunity, waiting.pk, offered_at=now - timedelta(days=2))
