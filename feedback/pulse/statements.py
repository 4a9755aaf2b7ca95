"""The words of the team psychological-safety pulse: seven statements, the scale and the conversation starters.

One statement for each dimension of Amy Edmondson's team psychological-safety measure, written for care teams:
mistakes held against you, raising problems and tough issues, rejecting people for being different, taking a
risk, asking for help, having your efforts undermined, your skills valued. Three are worded so that agreeing is
the worrying answer (`reverse=True`): the engine turns them round when it works out how safe a statement feels
(`favourable`), so "higher is safer" holds for all seven in the results.

The statements are frozen into each round when it opens (`engine.round_open`), so rewording one here never
changes what an earlier round asked.
"""

from __future__ import annotations

from feedback.engine import Statement

SCALE = 7
# Labels at each end and in the middle; the points between are numbers only.
SCALE_LABELS = {1: "Strongly disagree", 4: "Neither agree nor disagree", 7: "Strongly agree"}

STATEMENTS: tuple[Statement, ...] = (
    Statement("mistakes", "If I get something wrong on a shift here, it is held against me.", reverse=True),
    Statement("problems", "In this team we can bring up problems and difficult subjects, and people listen."),
    Statement("difference", "Some people in this team get left out for being different.", reverse=True),
    Statement("risk", "It feels safe to try something new here, even if it might not work."),
    Statement("help", "It is hard to ask someone in this team for help.", reverse=True),
    Statement("undermining", "Nobody in this team would knowingly make my work harder or go behind my back."),
    Statement("skills", "What I am good at is noticed and put to use in this team."),
)

# One or two questions per statement for the next team meeting, chosen from the weakest statements of a round.
CONVERSATION_STARTERS: dict[str, tuple[str, ...]] = {
    "mistakes": (
        "Think of a mistake that taught us something. How did we respond to the person, and how would we like "
        "to respond next time?",
        "What would make it easier to say \"I got that wrong\" at handover?",
    ),
    "problems": (
        "What is one problem we keep stepping around? What would make it easier to bring it up?",
        "When someone raises something hard in a meeting, what do they see and hear from the rest of us?",
    ),
    "difference": (
        "Who might feel on the edge of this team: new starters, night staff, agency colleagues, people whose first "
        "language is not English? What would help them feel part of it?",
    ),
    "risk": (
        "What is a small thing we could try differently for a month, knowing it might not work?",
        "When an idea did not work out here, what happened next for the person who suggested it?",
    ),
    "help": (
        "When did someone last ask for help on a shift? What made it easy, or hard?",
        "How can we tell each other \"I'm stretched\" without it sounding like a complaint?",
    ),
    "undermining": (
        "Are there times when our work gets undone or talked about behind someone's back? How would we like to "
        "handle disagreements instead?",
    ),
    "skills": (
        "What is one thing each of us is good at that the team does not use enough?",
        "Who has a skill or an interest we have never asked about?",
    ),
}

INTRO = (
    "This is your team's pulse, not your manager's report card. It asks how safe it feels to speak up, ask for "
    "help and try things in this team, so you can talk about it together."
)
