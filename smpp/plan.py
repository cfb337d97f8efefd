"""What is due: `plan(state, now)` reads the record and the clock and returns the actions to
carry out now and the moment the next one falls due. Pure: no I/O, no clock of its own.

Every action carries its idempotency key; an action whose key is already recorded as done is never
planned again, and one that failed is simply still due, so the next advance retries it. What each
stage plans is its own planner's (smpp/stages/<stage>/planner.py); this only gathers and orders.
"""

from __future__ import annotations

from datetime import datetime

from smpp.actions import Action, Plan, TakeInFile
from smpp.intake import inbox_actions
from smpp.stages import stages
from smpp.state import State


def plan(state: State, now: datetime) -> Plan:
    if state.kickoff is None:
        return Plan(due=(), next_due=None)
    if state.closed:
        return Plan(due=(), next_due=None)
    timeline = state.timeline
    actions: list[Action] = inbox_actions(state, now)
    for stage in stages():
        actions += stage.planner(state, timeline, now)
    due = sorted(
        (a for a in actions if a.due <= now),
        key=lambda a: (not isinstance(a, TakeInFile), a.due, a.key),
    )
    later = sorted((a for a in actions if a.due > now), key=lambda a: (a.due, a.key))
    intake = [a for a in due if isinstance(a, TakeInFile)]
    if intake:
        # Files waiting in the inbox are read before anything is sent: an answer dropped overnight
        # must stop that morning's reminder to its sender.
        return Plan(due=tuple(intake), next_due=now, upcoming=tuple(due[len(intake) :] + later))
    return Plan(
        due=tuple(due),
        next_due=later[0].due if later else None,
        upcoming=tuple(later),
    )
