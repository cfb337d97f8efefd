"""The policy is written as soon as a consensus is recorded (and again for each new version of
it), checked, and sent to the account lead as a draft with the check's findings; it goes to the
client at the final-policy milestone, or a working day after the lead received a draft written
later, once every finding is accepted. A finding still open then holds it, and the lead is told."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from smpp.actions import (
    Action,
    DriveFile,
    SendMail,
    address,
    common_context,
    drive_place,
    key,
    lead_context,
)
from smpp.stages.consensus.records import consensus_versions
from smpp.stages.policy.records import NAME, accepted_findings, open_findings, policies
from smpp.state import State
from smpp.store import Event
from smpp.timeline import Timeline, last_business_day, next_working_moment, working_start

# How long the account lead has to read a draft written close to (or after) the milestone.
LEAD_REVIEW = timedelta(days=1)


@dataclass(frozen=True)
class WritePolicy:
    key: str
    due: datetime
    consensus_version: int
    version: int
    description: str = ""


def actions(state: State, timeline: Timeline, now: datetime) -> list[Action]:
    versions = consensus_versions(state)
    if not versions or state.closed:
        return []
    written = policies(state)
    written_from = {int(e.data["consensus_version"]) for e in written}
    latest = len(versions)
    if latest not in written_from:
        return [
            WritePolicy(
                key(state, NAME, "write", f"c{latest}"),
                versions[-1].at,
                consensus_version=latest,
                version=len(written) + 1,
                description=f"Write the policy (version {len(written) + 1}) from the consensus",
            )
        ]
    return [m for m in _mails(state, timeline, written) if state.done(m.key) is None]


def _finding_words(finding: dict[str, str]) -> dict[str, str]:
    return {
        k: finding[k]
        for k in ("key", "clause", "sentence", "why", "law", "applies", "suggestion", "fix")
    }


def _mails(state: State, timeline: Timeline, written: list[Event]) -> list[SendMail]:
    engagement = state.engagement
    lead = address(engagement.account_lead)
    common = common_context(state, timeline)
    accepted = accepted_findings(state)
    milestone_day = timeline.milestones["final_policy"].astimezone(engagement.zone).date()
    mails: list[SendMail] = []
    for policy in written:
        version = int(policy.data["version"])
        findings = policy.data.get("findings", [])
        still_open = open_findings(state, policy)
        context: dict[str, Any] = {
            **common,
            "slug": state.slug,
            "version": version,
            "document": drive_place(engagement, policy.data["path"]),
            "changes": policy.data.get("changes", []),
            "open_count": policy.data.get("open_count", 0),
            "findings": [_finding_words(f) for f in findings],
            "accepted": [
                {**_finding_words(f), "note": accepted[f["key"]].data.get("note", "")}
                for f in findings
                if f["key"] in accepted
            ],
            "still_open": [_finding_words(f) for f in still_open],
            "final_policy": timeline.milestones["final_policy"].isoformat(),
        }
        draft_at = next_working_moment(policy.at, engagement)
        mails.append(
            SendMail(
                key(state, NAME, "draft", f"v{version}"),
                draft_at,
                "policy_draft",
                (lead,),
                {**context, **lead_context(engagement)},
                description=f"Send the account lead the draft policy (version {version})",
            )
        )
        if policy is not written[-1]:
            continue  # only the latest version goes to the client
        deliver_at = max(
            # A milestone on a weekend is met on the working day before it.
            working_start(last_business_day(milestone_day, engagement), engagement),
            next_working_moment(draft_at + LEAD_REVIEW, engagement),
        )
        if still_open:
            mails.append(
                SendMail(
                    key(state, NAME, "held", f"v{version}"),
                    deliver_at,
                    "policy_held",
                    (lead,),
                    {**context, **lead_context(engagement)},
                    description=f"Tell the account lead the policy (version {version}) is held",
                )
            )
            continue
        mails.append(
            SendMail(
                key(state, NAME, "delivered", f"v{version}"),
                deliver_at,
                "policy_delivered",
                tuple(address(c) for c in engagement.client_contacts),
                context,
                cc=(lead,),
                attach=(DriveFile(policy.data["path"]),),
                description=f"Send the client the policy (version {version})",
            )
        )
    return mails
