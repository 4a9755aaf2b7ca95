"""Action learning sets' models, by area: `sets` (sets, members and their agreement, meetings, presenters, briefs,
questions, actions, attendance) and `problems` (a team's shared list of recurring problems and the whys explored)."""

from .problems import *  # noqa: F403
from .sets import *  # noqa: F403
