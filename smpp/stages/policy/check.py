"""The policy check before delivery: the draft read by the same classifier that reviewed the five
companies, so the red flags of the taxonomy (overbroad confidentiality or non-disparagement,
bans on media contact or logo use, advocacy without disclosure, monitoring wording) are found in
the client's own clauses, each with the clause, why, the law and whether it applies to the
client's country, and a suggested rewording. A protected-activity carve-out anywhere in the
policy is read as the classifier reads it in any document. Pure.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from smpp.classify import classify_text
from smpp.models import PolicySettings
from smpp.positions import recommended
from smpp.stages.peer_review.workbook import (
    applicability,
    law_of,
    split_reason,
    with_jurisdiction,
)
from smpp.stages.policy.assembly import (
    Clause,
    Policy,
    _render,
    clause_template,
    context,
    policy_text,
)
from smpp.taxonomy import element


@dataclass(frozen=True)
class Finding:
    key: str  # stable across versions while the sentence stands: what the lead accepts
    clause: str  # "2.3" or the procedure's title
    element: str
    sentence: str
    why: str
    fix: str
    law: str  # led by its jurisdiction, "US: NLRA Section 7 ..."
    jurisdiction: str
    applies: str  # in words, for this client
    suggestion: str  # a rewording that does not raise the flag


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def _where(policy: Policy, sentence: str) -> Clause | str:
    wanted = _normal(sentence)
    for clause in policy.clauses():
        if wanted in _normal(clause.text):
            return clause
    for procedure in policy.procedures:
        if any(wanted in _normal(step) for step in procedure.steps):
            return procedure.title
    return "the policy's headings"


def finding_key(element_id: str, sentence: str) -> str:
    return f"{element_id}-{hashlib.sha256(_normal(sentence).encode()).hexdigest()[:10]}"


def _suggestion(
    element_id: str, found_in: Clause | str, client: str, settings: PolicySettings, fix: str
) -> str:
    """The recommended position's clause, unless that is the clause flagged: then the fix."""
    safe = recommended(element_id)
    if isinstance(found_in, Clause) and found_in.position == safe.id:
        return fix
    text = _render(clause_template(safe.id), context(client, settings))
    return text or fix


def check_policy(policy: Policy, settings: PolicySettings, country: str | None) -> list[Finding]:
    classification = classify_text(policy_text(policy), source="policy draft")
    findings: list[Finding] = []
    for flag in classification.red_flags:
        why, fix, basis = split_reason(flag.reason)
        fix = fix[:1].upper() + fix[1:]
        found_in = _where(policy, flag.sentence)
        law = law_of({"law": flag.law}, why, basis)
        findings.append(
            Finding(
                key=finding_key(flag.element, flag.sentence),
                clause=found_in.number if isinstance(found_in, Clause) else found_in,
                element=flag.element,
                sentence=flag.sentence,
                why=why or element(flag.element).red_flag or "",
                fix=fix,
                law=with_jurisdiction(law, flag.jurisdiction),
                jurisdiction=flag.jurisdiction,
                applies=applicability(flag.jurisdiction, policy.client, country),
                suggestion=_suggestion(flag.element, found_in, policy.client, settings, fix),
            )
        )
    findings += _structural(policy, settings, country, {f.element for f in findings})
    return findings


def _structural(
    policy: Policy, settings: PolicySettings, country: str | None, flagged: set[str]
) -> list[Finding]:
    """What the policy lacks rather than what a sentence says: advocacy invited with no
    disclosure rule anywhere."""
    present = {clause.element for clause in policy.clauses()}
    if "E05" in present and "E16" not in present and "E05" not in flagged:
        advocacy = next(c for c in policy.clauses() if c.element == "E05")
        if "work for" not in _normal(advocacy.text):
            text = element("E05").red_flag or ""
            return [
                Finding(
                    key=finding_key("E05", "no disclosure rule"),
                    clause=advocacy.number,
                    element="E05",
                    sentence=advocacy.text,
                    why="Employees are invited to promote the company, and nothing in the policy "
                    "asks them to say that they work for it.",
                    fix="Ask for the disclosure in each post that praises what the company sells.",
                    law=with_jurisdiction(
                        law_of({"law": ""}, text, text) or "FTC Endorsement Guides", "US"
                    ),
                    jurisdiction="US",
                    applies=applicability("US", policy.client, country),
                    suggestion=_render(
                        clause_template(recommended("E16").id), context(policy.client, settings)
                    ),
                )
            ]
    return []
