"""Red flags and carve-outs on wording real policies use, in sentences the project writes.

Each row of the tables is a short policy text and the red flag it must raise ("-": none). The
rules are the overbroad ones regulators have read as chilling protected activity: bans on
criticism (non-disparagement), bans on "confidential" information that say nothing of what it
covers, and bans on talking to the press; each flag names the law it rests on and where that law
applies. A carve-out for protected activity (Section 7, "nothing in this policy restricts ...")
is recognised wherever it stands in the document and limits the confidentiality and civility
rules it covers; a carve-out for whistleblowing alone does not.
"""

from __future__ import annotations

import pytest

from smpp.classify import classify_text

CONFIDENTIAL = "Do not disclose confidential information."
CRITICISM = "Never say anything negative about the company or its managers online."

FLAG_TABLE = """
# non-disparagement, in the many ways policies word it
E12 | Staff should avoid bringing the trust into disrepute through what they post online.
E12 | Team members must steer clear of anything that could tarnish the firm's image.
E12 | You must not post remarks that belittle the company or its leadership.
E12 | Do nothing online that would reflect poorly on the bank.
E12 | Never run down the company or its managers in public forums.
E12 | Refrain from ridiculing the organisation or its senior staff on social media.
E12 | Posts that portray the council in a negative light are not allowed.
E12 | Do not post anything that undercuts the company's reputation.
E12 | Under no circumstances should staff criticise the hospital or its management online.
-   | Avoid bringing your personal disputes into work channels.
-   | Do not post slurs, threats or harassment aimed at colleagues.
-   | We welcome feedback and criticism on our pages.
-   | If customers criticise us online, do not argue with them; pass the post to the social media team.
-   | Comments that run down other users will be deleted by our moderators.
# confidentiality without limiting language
E08 | Keep all internal matters to yourself.
E08 | Employees must not reveal any non-public company information online.
E08 | Do not discuss internal business matters with anyone outside the company.
E08 | Never post company information that has not been made public.
E08 | Staff must keep everything they learn at work strictly confidential.
E08 | Under no circumstances may you share internal documents.
-   | Never post unreleased product details, pricing or customer lists.
-   | Keep client files confidential, for example account numbers and contact details.
-   | This guide is internal and should not be forwarded.
# bans on talking to the press
E06 | Staff may not talk to journalists.
E06 | Do not give interviews to the press.
E06 | Never respond to a reporter's questions.
E06 | Employees are not permitted to contact the news media.
E06 | Under no circumstances should you speak to the press.
E06 | All contact with the media must be approved by the press office.
-   | Only the press office speaks to the media on the company's behalf.
-   | If a reporter asks for the company's view, refer them to Communications.
-   | Don't talk to journalists as if you were a company spokesperson.
-   | Do not give interviews to the press in your official capacity without clearance.
# advocacy without disclosure
E05 | Please share our latest offers and new products with your friends online.
E05 | Help spread the word about our new menu by posting it on your own channels.
E05 | Be an ambassador for our brand: like and share our product launches with your network.
-   | Please share our latest offers with your friends online, and let it be known that you work for us.
-   | When you talk about our products online, introduce yourself as an employee.
-   | Share our new products with your followers, and say in each post that you work here.
"""  # noqa: E501

CARVE_OUT_TABLE = """
# a carve-out anywhere in the document: same paragraph, a list item, its own section, a footnote
-   | {confidential} Nothing in this policy prevents you from talking with co-workers about your pay, schedules or other working conditions.
-   | {confidential}\\n\\nPlease remember:\\n\\n- be kind to each other\\n- nothing in this policy stops you from discussing your wages or hours with colleagues
-   | {confidential}\\n\\n## Your rights\\n\\nThese guidelines will not be read or applied to stop employees from discussing wages, hours or working conditions.
-   | {confidential}\\n\\nThis policy is not meant to limit anyone's rights under Section 7 of the National Labor Relations Act.
-   | {confidential}\\n\\nNothing in this policy restricts legally protected activity.
-   | {confidential}\\n\\nYou remain free to talk about your terms and conditions of employment with anyone.
-   | Keep internal information confidential (this does not cover your own salary or conditions of employment, which you are free to discuss).
-   | {criticism}\\n\\n## Questions\\n\\nAsk HR.\\n\\n## Footnote\\n\\nThis policy will not be construed to interfere with concerted activity among employees.
# a carve-out for whistleblowing alone does not limit a confidentiality or civility rule
E08 | {confidential}\\n\\nNothing in this policy prevents you from reporting suspected fraud to a regulator.
E08 | {confidential}\\n\\nNothing in this policy stops you from raising concerns with a regulator under our whistleblowing procedure.
E12 | {criticism}\\n\\nWe will not retaliate against anyone who makes a protected disclosure in good faith.
# without any carve-out, the same rules are flagged
E08 | {confidential}\\n\\n## Questions\\n\\nAsk HR.
E12 | {criticism}\\n\\n## Questions\\n\\nAsk HR.
"""  # noqa: E501


def parse(table: str) -> list[tuple[str, str]]:
    rows = []
    for line in table.strip().splitlines():
        if line.startswith("#"):
            continue
        flagged, text = (cell.strip() for cell in line.split("|", 1))
        text = text.replace("\\n", "\n").format(confidential=CONFIDENTIAL, criticism=CRITICISM)
        rows.append((text, "" if flagged == "-" else flagged))
    return rows


FLAGS = parse(FLAG_TABLE)
CARVE_OUTS = parse(CARVE_OUT_TABLE)


@pytest.mark.parametrize(("text", "flagged"), FLAGS)
def test_overbroad_rules_in_real_wording_raise_their_flag(text: str, flagged: str) -> None:
    result = classify_text(text)
    assert {f.element for f in result.red_flags} == ({flagged} if flagged else set())


@pytest.mark.parametrize(("text", "flagged"), CARVE_OUTS)
def test_a_carve_out_anywhere_limits_the_rules_it_covers(text: str, flagged: str) -> None:
    result = classify_text(text)
    assert {f.element for f in result.red_flags} == ({flagged} if flagged else set())
    if "nothing in this policy" in text.lower() or "not meant to limit" in text:
        assert "E15" in result.present()  # recognised, whether or not it cures


@pytest.mark.parametrize(
    ("text", "law"),
    [
        (CONFIDENTIAL, "OM 12-31"),
        (CRITICISM, "Stericycle"),
        ("Staff may not talk to journalists.", "OM 12-59"),
        ("Please share our latest offers and new products with your friends online.", "FTC"),
    ],
)
def test_each_flag_names_its_law_and_where_it_applies(text: str, law: str) -> None:
    (flag,) = classify_text(text).red_flags
    assert flag.jurisdiction == "US"
    assert law in flag.law
    assert flag.sentence == text
    assert "Fix:" in flag.reason


def test_the_tables_cover_each_kind_of_rule_both_ways() -> None:
    for element in ("E05", "E06", "E08", "E12"):
        assert sum(1 for _, flagged in FLAGS if flagged == element) >= 3
    assert sum(1 for _, flagged in FLAGS if not flagged) >= 12
    assert len(FLAGS) + len(CARVE_OUTS) >= 45
