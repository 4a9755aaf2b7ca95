"""The demo organisation's feedback (tenants.demo_seeding calls `seed`): the demo team's year of pulses, and the
demo leader's finished 360 when that instrument has its own demo. Each part runs once."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from people.models import User

from .pulse import demo as pulse_demo


def seed(*, people: dict[str, User]) -> None:
    pulse_demo.seed(people=people)
    if find_spec("feedback.threesixty.demo") is not None:
        import_module("feedback.threesixty.demo").seed(people=people)
