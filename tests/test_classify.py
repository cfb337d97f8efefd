"""The policy classifier: elements, evidence, red flags, stance and disclosure.

The sample policies in tests/policies/ are original texts written for these tests in the styles
real corporate policies use (US retailer, UK council, tech start-up, bank with FINRA/FCA rules,
hospital, university); each expected element set was decided by reading the text, and red flags
were planted on purpose. The lexicon was developed against these six policies and the sentence
tables below.

Held-out policies, written after that tuning and classified before any change made for them:
  round 1 (holdout_charity, holdout_manufacturer): recall 26/35 = 0.74, precision 26/26 = 1.00
      (misses: "who it's for", "share our appeals", "say that you volunteer", "keep to the
      facts", people who "criticise the charity" as something to escalate, a helpline as the
      customer channel, "the identity of co-workers", and a defined term "Personnel" taken for
      the company's name; two false red flags). These were then used to improve the lexicon in
      general ways, so they are no longer blind.
  round 2 (holdout_lawfirm, holdout_agency), written after round 1's fixes:
      recall 25/29 = 0.86, precision 25/26 = 0.96 (missed: "lawyers are free to", "share the
      firm's articles", "your profile should show that you work at"; extra: E12 from the grounds
      for removing the public's comments). Fixed afterwards, generally.
  All four now (no longer blind): recall 64/64, precision 64/64.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from smpp import classify as classifier
from smpp import cue_index
from smpp.classify import Classification, classify, classify_text
from smpp.document import Document, Sentence
from smpp.reading import read_document
from smpp.taxonomy import QUESTIONS, element, load_taxonomy

POLICIES = Path(__file__).parent / "policies"


def ids(text: str) -> set[str]:
    """Element ids from numbers: "1 7 25" -> {"E01", "E07", "E25"}."""
    return {f"E{int(n):02d}" for n in text.split()}


# Elements each policy covers, decided by reading it.
EXPECTED = {
    "retail.txt": ids("1 2 4 5 6 7 8 9 10 11 12 14 15 16 17 18 20 21 23 25"),
    "uk_council.txt": ids("1 2 3 4 6 7 8 9 11 12 13 14 18 19 20 21 22 23 24 25"),
    "startup.txt": ids("1 2 4 5 6 7 8 10 12 14 17 19 20 21"),
    "bank.txt": ids("1 2 3 4 6 7 8 9 11 12 13 18 19 20 21 23 24 25"),
    "hospital.txt": ids("1 2 3 4 6 7 8 9 11 12 14 15 16 18 20 21 25"),
    "university.txt": ids("1 2 3 5 6 7 8 9 10 11 12 13 14 17 18 19 20 22 23 24 25"),
}
HOLDOUT_EXPECTED = {
    "holdout_charity.txt": ids("1 2 5 6 7 11 13 14 16 17 18 19 20 21 22 25"),
    "holdout_manufacturer.txt": ids("1 2 3 4 6 7 8 9 10 11 12 15 16 18 19 20 23 24 25"),
    "holdout_lawfirm.txt": ids("1 2 5 6 7 8 9 11 12 16 17 18 19 20 25"),
    "holdout_agency.txt": ids("1 3 4 6 9 11 13 18 20 21 22 23 24 25"),
}
# The regression floor. Round 1's first run (recall 0.74) was below it; round 2's was above.
HOLDOUT_FLOOR = {"recall": 0.8, "precision": 0.9}

# Red flags planted in the policies: (element, words of the flagged sentence). No others may be
# raised.
EXPECTED_FLAGS = {
    "retail.txt": set(),
    # hospital: undefined confidentiality and non-disparagement, cured by its carve-out
    "hospital.txt": set(),
    "uk_council.txt": {
        ("E01", "whether you are on or off duty"),
        ("E12", "criticise the Council"),
        ("E12", "into disrepute"),
    },
    "startup.txt": {
        ("E06", "Every post that mentions Loopwise"),
        ("E05", "share the launch post"),
    },
    "bank.txt": {
        ("E23", "monitor employees' personal social media accounts"),
        ("E19", "provide Compliance with access to any personal account"),
        ("E06", "may not speak to journalists"),
    },
    "university.txt": {
        ("E17", "may not use the University name, seal or logos"),
        ("E08", "Do not post confidential or internal University information."),
        # no E05 flag: sharing the University's work is not endorsing something it sells
    },
    "holdout_charity.txt": set(),
    "holdout_manufacturer.txt": {("E06", "shall not speak to journalists")},
    "holdout_lawfirm.txt": set(),
    "holdout_agency.txt": set(),
}

EXPECTED_STANCE = {
    "retail.txt": {"encourage", "permit"},  # respects the right to post, and invites sharing
    "uk_council.txt": {"permit"},
    "startup.txt": {"encourage"},
    "bank.txt": {"restrict"},
    "hospital.txt": {"permit"},
    "university.txt": {"encourage"},
    "holdout_charity.txt": {"encourage"},
    "holdout_manufacturer.txt": {"permit"},
    "holdout_lawfirm.txt": {"permit"},
    "holdout_agency.txt": {"unclear"},
}

EXPECTED_DISCLOSURE = {
    "retail.txt": "hashtag (#BrightwayAssociate/#employee)",
    "hospital.txt": "disclaimer statement",
    "holdout_charity.txt": "self-identification in the post",
    "holdout_manufacturer.txt": "self-identification in the post",
    "holdout_lawfirm.txt": "profile bio",
    "uk_council.txt": None,
    "startup.txt": None,
    "bank.txt": None,
    "university.txt": None,
    "holdout_agency.txt": None,
}


def policy(name: str) -> str:
    return (POLICIES / name).read_text(encoding="utf-8")


def read(name: str) -> Document:
    """A sample policy read as `smpp classify` reads a text file."""
    return read_document((POLICIES / name).read_bytes(), "text/plain", name)


@pytest.fixture(scope="module")
def results() -> dict[str, Classification]:
    return {name: classify(read(name)) for name in [*EXPECTED, *HOLDOUT_EXPECTED]}


def scores(expected: dict[str, set[str]], results: dict[str, Classification]) -> dict[str, float]:
    wanted = sum(len(e) for e in expected.values())
    found = sum(len(results[name].present()) for name in expected)
    right = sum(len(results[name].present() & e) for name, e in expected.items())
    return {"recall": right / wanted, "precision": right / found}


# --- the taxonomy ------------------------------------------------------------------------------


def test_the_taxonomy_has_25_elements_each_answering_one_of_the_five_questions() -> None:
    elements = load_taxonomy()
    assert [e.id for e in elements] == [f"E{n:02d}" for n in range(1, 26)]
    assert all(e.question in QUESTIONS for e in elements)
    assert all(set(e.secondary_questions) <= set(QUESTIONS) for e in elements)
    assert all(e.definition and e.sources for e in elements)
    assert element("E07").key == "personal_voice_disclaimer"
    assert element("E02").red_flag is None  # empty in the file
    assert "Giant Food" in (element("E08").red_flag or "")
    with pytest.raises(KeyError):
        element("E99")


# --- whole policies ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted([*EXPECTED, *HOLDOUT_EXPECTED]))
def test_every_expected_element_is_found_and_nothing_else(
    name: str, results: dict[str, Classification]
) -> None:
    # The holdouts are checked exactly too, now that they are no longer blind (see the top).
    expected = {**EXPECTED, **HOLDOUT_EXPECTED}[name]
    found = results[name].present()
    assert expected - found == set(), "missed"
    assert found - expected == set(), "found but not in the policy"


def test_recall_and_precision_on_the_tuned_policies(results: dict[str, Classification]) -> None:
    assert scores(EXPECTED, results) == {"recall": 1.0, "precision": 1.0}


def test_holdout_policies_stay_above_their_first_run_floor(
    results: dict[str, Classification],
) -> None:
    measured = scores(HOLDOUT_EXPECTED, results)
    assert measured["recall"] >= HOLDOUT_FLOOR["recall"]
    assert measured["precision"] >= HOLDOUT_FLOOR["precision"]


@pytest.mark.parametrize("name", sorted([*EXPECTED, *HOLDOUT_EXPECTED]))
def test_evidence_is_quoted_from_the_policy_as_it_stands(
    name: str, results: dict[str, Classification]
) -> None:
    text = policy(name)
    result = results[name]
    quoted = [q for f in result.elements for q in f.evidence]
    quoted += [f.sentence for f in result.red_flags]
    quoted += [*result.stance_evidence, *result.disclosure_evidence]
    assert quoted
    for sentence in quoted:
        assert sentence in text
    for finding in result.elements:
        assert 1 <= len(finding.evidence) <= 5
    assert [f.id for f in result.elements] == sorted(f.id for f in result.elements)


@pytest.mark.parametrize("name", sorted(EXPECTED_FLAGS))
def test_planted_red_flags_are_raised_and_no_others(
    name: str, results: dict[str, Classification]
) -> None:
    flags = results[name].red_flags
    for element_id, words in EXPECTED_FLAGS[name]:
        assert any(f.element == element_id and words in f.sentence for f in flags), words
    unexpected = [
        (f.element, f.sentence)
        for f in flags
        if not any(f.element == e and words in f.sentence for e, words in EXPECTED_FLAGS[name])
    ]
    assert unexpected == []


@pytest.mark.parametrize("name", sorted(EXPECTED_STANCE))
def test_participation_stance(name: str, results: dict[str, Classification]) -> None:
    result = results[name]
    assert result.stance in EXPECTED_STANCE[name]
    assert bool(result.stance_evidence) == (result.stance != "unclear")
    assert ("E02" in result.present()) == (result.stance != "unclear")


@pytest.mark.parametrize("name", sorted(EXPECTED_DISCLOSURE))
def test_disclosure_mechanism(name: str, results: dict[str, Classification]) -> None:
    result = results[name]
    assert result.disclosure == EXPECTED_DISCLOSURE[name]
    assert bool(result.disclosure_evidence) == (result.disclosure is not None)


def test_red_flag_reasons_explain_the_risk_and_the_fix(results: dict[str, Classification]) -> None:
    flags = [f for name in EXPECTED for f in results[name].red_flags]
    assert len(flags) >= 10
    for flag in flags:
        assert "Fix:" in flag.reason
        if element(flag.element).red_flag:
            assert str(element(flag.element).red_flag) in flag.reason
    advocacy = next(f for f in results["startup.txt"].red_flags if f.element == "E05")
    assert "FTC" in advocacy.reason


def test_as_dict_is_plain_data(results: dict[str, Classification]) -> None:
    retail = results["retail.txt"]
    data = retail.as_dict()
    assert data["source"] == "retail.txt"
    assert {"id": "E16", "evidence": list(retail.evidence("E16"))} in data["elements"]
    assert data["stance"] in {"encourage", "permit"}
    assert data["disclosure"].startswith("hashtag")
    assert data["red_flags"] == []
    flags = results["startup.txt"].as_dict()["red_flags"]
    assert set(flags[0]) == {"element", "sentence", "reason", "jurisdiction", "law"}


def test_every_red_flag_names_the_law_it_rests_on(results: dict[str, Classification]) -> None:
    flags = [f for result in results.values() for f in result.red_flags]
    assert flags
    for flag in flags:
        assert flag.jurisdiction == "US"  # every rule here reads US law
        assert any(name in flag.law for name in ("NLRA", "FTC", "Labor Code")), flag.law
    advocacy = next(f for f in results["startup.txt"].red_flags if f.element == "E05")
    assert "Endorsement Guides" in advocacy.law
    media = next(f for f in results["bank.txt"].red_flags if f.element == "E06")
    assert media.law.startswith("NLRA Section 7")


def test_a_document_from_another_reader_is_classified_the_same_way() -> None:
    text = policy("hospital.txt")
    sentences = read("hospital.txt").sentences
    document = Document("https://example.org/policy", "Policy", text, sentences, "html")
    result = classify(document)
    assert result.source == "https://example.org/policy"
    assert result.present() == EXPECTED["hospital.txt"]
    # A reader that also emits each heading as a sentence of its own changes nothing.
    with_headings = [Sentence(s.heading, s.heading, 0) for s in sentences[:1] if s.heading]
    again = classify(Document("x", None, text, (*with_headings, *sentences), "html")).present()
    assert again == EXPECTED["hospital.txt"]


def test_an_empty_or_unrelated_text_finds_nothing() -> None:
    assert classify_text("").present() == set()
    unrelated = classify_text(UNRELATED)
    assert unrelated.present() == set()
    assert unrelated.red_flags == ()
    assert unrelated.stance == "unclear"
    assert unrelated.disclosure is None


def test_the_word_index_never_hides_a_match() -> None:
    # The index (word beginnings read from each pattern) only skips work: trying every cue on
    # every sentence must give the same scores. Alternatives split from one pattern count once.
    lexicon = classifier._lexicon()
    names = [*EXPECTED, *HOLDOUT_EXPECTED]
    texts = [s.text for name in names for s in read(name).sentences]
    texts += [sentence for sentence, _, _ in SENTENCES] + [text for text, _ in FLAG_CASES]
    for text in texts:
        view = classifier._view(*classifier._normalise(text, None))
        brute: dict[str, float] = {}
        counted: set[int] = set()
        for cue in lexicon.cues:
            target = view.original if cue.on_original else view.lowered
            if cue.group not in counted and all(p.search.search(target) for p in cue.parts):
                counted.add(cue.group)
                brute[cue.target] = brute.get(cue.target, 0.0) + cue.weight
        assert classifier._scores(lexicon, view) == brute, text


# --- single sentences ----------------------------------------------------------------------------

SENTENCES_TABLE = """
# E01 scope
1     | 6 18  | This policy applies to all employees, contractors and temporary staff of the company.
1     |       | These guidelines cover your personal use of social media as well as any official accounts you manage on our behalf.
1     | 19    | This Policy should be read in conjunction with the Code of Business Conduct and the Information Security Policy.
1     | 11    | Students who are not employed by the University are not covered by this policy.
# E02 stance
2     |       | We encourage all colleagues to share their experiences of working here on LinkedIn.
2     | 19 23 | Access to social networking sites is blocked on the corporate network.
2 4   |       | Staff may use social media for personal purposes during their lunch break.
# E03 training
3     |       | All account managers must complete the social media training module before they are given posting rights.
3     |       | Communications offers a short e-learning course on using LinkedIn professionally.
      | 3     | Training records are stored securely in the HR system.
# E04 work time and resources
4     |       | Please don't let social media get in the way of your work, and keep personal browsing to your breaks.
4     |       | Employees may not use company-issued laptops to access personal social media accounts during working hours.
      | 4     | Our products help businesses save time.
# E05 advocacy
5     |       | Join our brand ambassador programme and help us share good news stories from across the group.
5     |       | Feel free to repost job vacancies and company announcements from our official channels.
8     | 5     | Do not share internal announcements before they are published on the intranet.
# E06 spokespeople
6     |       | Only designated spokespeople may comment on behalf of the Trust.
6     |       | If you are contacted by a journalist, refer them to the press office.
6     |       | Media enquiries should be directed to Corporate Affairs.
      | 6     | Our marketing team works on behalf of many clients.
# E07 personal voice and disclaimer
7     |       | Views expressed are my own.
7     | 16    | Make it clear that you are posting in a personal capacity and not on behalf of the firm.
7     |       | Use a disclaimer such as 'Opinions are my own and do not reflect those of my employer'.
      | 7     | We value the views of our customers.
# E08 confidentiality
8     |       | Never disclose confidential information such as unreleased financial results or customer lists.
8     |       | Do not discuss trade secrets or upcoming product launches online.
      | 8     | This document is confidential.
      | 8     | Concerns can be reported confidentially to the Ethics Hotline.
# E09 law and regulation
9     |       | Posts about our shares may breach securities laws and insider trading rules.
9     |       | Employees must comply with FINRA rules and the firm's supervisory procedures.
9 11  |       | Patient information is protected under HIPAA.
      | 9     | Please follow the steps in this guide.
# E10 copyright and attribution
10    | 12    | Respect copyright: ask permission before using someone else's images and always credit the photographer.
10    |       | Do not post music or video that you do not have the rights to use.
      | 10    | You have the right to use social media in your personal life.
# E11 privacy of others and boundaries
11    |       | Never post photos of patients or share any information that could identify them.
11    |       | Do not accept friend requests from students on your personal accounts.
11    |       | Get written consent before posting pictures of colleagues or customers.
11    |       | Don't name clients in posts without their approval.
# E12 respect
12    |       | Harassment, bullying and discriminatory remarks are not tolerated online or offline.
12    |       | Be respectful and courteous, even when you disagree.
10    | 12    | Respect copyright and trademark law.
# E13 politics and impartiality
13    |       | Avoid commenting on party politics or endorsing candidates in elections.
13    | 16    | Be mindful that likes and retweets may be seen as endorsements of a political position.
13    |       | Civil servants must maintain political impartiality online.
      | 13    | Our privacy policy explains how we use cookies.
# E14 responsibility, permanence, accuracy
14    | 24    | Remember that the internet is forever: screenshots can resurface years later.
14    |       | You are personally responsible for the content you publish.
14    |       | If you make an error, correct it quickly and transparently.
14    |       | Think before you post.
# E15 protected-activity carve-out
15    |       | Nothing in this policy prevents you from discussing your terms and conditions of employment.
15    |       | This policy is not intended to restrict employees' rights under Section 7 of the National Labor Relations Act.
15    |       | Employees may discuss wages and working conditions with coworkers without fear of retaliation.
      | 15    | Working hours are 9am to 5pm.
# E16 disclosure of affiliation
16    |       | When you post about our products, identify yourself as an employee.
16    |       | Disclose your material connection to the company with #ad or #employee.
16    |       | Never create fake accounts or post anonymously to promote the brand.
7     | 16    | If you identify yourself as an employee, make clear your views are your own.
# E17 personal account naming and profiles
17    |       | Do not include the company name in your Twitter handle or username.
17    |       | Update your LinkedIn profile within 30 days of leaving the company.
17    |       | Don't use your work email address to register personal social media accounts.
# E18 official accounts
18    |       | New official accounts must be approved by the Digital Team and added to the register of corporate channels.
18    |       | All branded pages must follow the brand guidelines.
      | 18    | Follow us on our official Instagram account for updates.
# E19 account security
19    |       | Please use strong passwords.
19    |       | Enable two-factor authentication and watch out for phishing messages.
19    |       | Check your privacy settings and avoid sharing your home address.
      | 19    | The security team is located on the third floor.
# E20 escalation and crisis
20    |       | If you see negative comments about the company, don't respond; alert the communications team instead.
20    |       | In a crisis, all posts on corporate channels will be coordinated by the Incident Management Team.
      | 20 21 | Our customer service team won an award.
# E21 customer-service routing
21    |       | Direct customers with complaints to our Customer Care team via the official support channel.
21    |       | If a customer asks a question about their order, send them the link to our help centre.
# E22 engagement and moderation
22    |       | We reserve the right to remove comments that are abusive, off-topic or spam from our pages.
22    |       | Respond to enquiries within 24 hours and keep a friendly, professional tone.
22    |       | Don't feed the trolls; if a conversation turns hostile, disengage politely.
# E23 monitoring and measurement
23    |       | We use social listening tools to monitor mentions of our brand.
23    |       | Each quarter the team reports engagement metrics to the board.
      | 23    | Please monitor your inbox for updates on the new office.
# E24 records and retention
24    |       | Posts on official accounts are public records and must be retained in line with the records retention schedule.
24    |       | Business communications on social media are archived for seven years.
      | 24    | Keep a record of your achievements for your annual review.
# E25 enforcement
25    |       | Breaches of this policy may result in disciplinary action, up to and including dismissal.
25    |       | Violations could lead to termination of employment.
      | 25    | The contract term is twelve months.
# paraphrases in other wordings
1     |       | These guidelines apply to all Acme employees and contractors who participate in social media.
1     |       | This policy covers all forms of social media, including but not limited to blogs, wikis, social networks, video sharing sites and message boards.
1     |       | The principles in this policy apply whether you are posting on a company-owned site or a personal site.
1     |       | This guidance is intended for all staff, including bank and agency workers.
1     |       | This policy does not apply to Company-sponsored sites that are governed by separate terms.
1     |       | For the purposes of this policy, 'social media' refers to online platforms that allow users to create and share content.
2     |       | Acme supports its employees' participation in social media.
2 5   |       | We believe our people are our best ambassadors and we want you to join the conversation.
2 4   |       | Employees are permitted to access social media during breaks.
2 4   |       | Use of social media on Company computers is prohibited.
2     |       | You are welcome to talk about your work on your personal channels.
3 6   |       | Before you start posting on behalf of Acme, you must complete the Social Media Certification.
3     |       | Training on using social media safely is available on the Learning Hub.
3 5   |       | Register for the Digital Ambassador training programme to learn how to share content effectively.
4     |       | Your use of social media should not interfere with your job responsibilities.
4 2   |       | Limited personal use of social media on work devices is acceptable provided it does not affect productivity.
4 2   |       | Reasonable use of the internet during your own break time is allowed.
4     |       | Unless it is part of your role, do not post on social media during working hours.
5 2   |       | We encourage you to like, share and comment on content from our official channels.
5     |       | Help us spread the word about our latest products by sharing our posts.
5     |       | Our employee advocacy platform makes it easy to share pre-approved content.
5     |       | Feel free to share our job postings with your network.
5     |       | Be an ambassador for our brand.
6     |       | Unless you are an authorised spokesperson, you must not speak on behalf of the company.
6     |       | Don't post as if you are representing Acme unless you have been given permission.
6     |       | All requests from the press must be sent to the Media Relations team.
6     |       | If a reporter contacts you, do not respond; forward the inquiry to PR.
6     |       | Only authorized individuals may post official statements.
7     |       | Write in the first person and make it clear that you are speaking for yourself.
7     |       | If you blog about work, include a disclaimer like: 'The postings on this site are my own and don't necessarily represent Acme's positions.'
7     |       | Speak in your own voice.
7     |       | Make sure it is clear that the views expressed are yours alone.
8     |       | Protect the company's confidential and proprietary information.
8     |       | Don't reveal non-public company information, such as financial data, product plans or customer information.
8     |       | Never share information about unannounced products.
8     |       | Material non-public information must never be shared.
9     |       | Comply with all applicable laws, including those relating to privacy, defamation and intellectual property.
9 16  |       | The FTC requires that endorsements disclose any material connection.
9     |       | Regulation FD prohibits selective disclosure of material information.
9     |       | Do not make claims about our products that have not been substantiated.
9     |       | Posts could expose you and the company to legal liability.
9     |       | You must follow the terms of service of each platform.
9     |       | Communications with the public are subject to FCA and PRA rules.
10    |       | Always give credit where credit is due and link to your sources.
10    |       | Don't use copyrighted material without permission.
10    |       | Respect the intellectual property rights of others.
10    |       | Do not use third-party logos or trademarks without permission.
11    |       | Do not share customers' personal data.
11    |       | Never discuss patients, even without using their names.
11    |       | Refrain from posting photos of co-workers without their permission.
11    |       | Think carefully before accepting connection requests from clients.
11    |       | Don't give LinkedIn recommendations for current or former employees without HR approval.
11    |       | Respect the privacy of your colleagues.
12    |       | Don't post anything obscene, threatening or discriminatory.
12    |       | Be polite and avoid personal attacks.
12    |       | Treat others as you would like to be treated.
12    |       | Use of ethnic slurs, profanity or personal insults is prohibited.
13    |       | Be careful when discussing sensitive topics such as religion or politics.
13    |       | Employees should not use company channels to express political opinions.
13    |       | Our journalists must remain impartial on matters of public policy.
13 12 |       | Avoid topics that may be considered objectionable or inflammatory, such as politics and religion.
14    |       | What you publish will be public for a long time, so be mindful.
14    |       | Get your facts straight before posting.
14    |       | If you make a mistake, admit it and correct it promptly.
14    |       | You are legally liable for anything you write or present online.
14    |       | Remember that nothing on the internet is truly private.
15    |       | This policy will not be applied to prohibit employees from engaging in concerted activity.
15    |       | You have the right to discuss your pay and conditions with colleagues.
15    |       | Nothing in these guidelines is intended to limit your rights under applicable labor laws.
15    |       | Employees will not be disciplined for engaging in legally protected activity.
15    |       | Nothing in this policy prevents you from making a protected disclosure under the whistleblowing policy.
16    |       | If you comment on our products, disclose that you work for Acme.
16    |       | Be transparent about who you are and who you work for.
16    |       | Use your real name and identify your employer when discussing company business.
16    |       | Never post anonymously about the company or its competitors.
16    |       | Employees who endorse our products must include #ad in their posts.
17    |       | Do not use the company name or logo in your username or profile picture.
17    |       | Use your personal email address, not your work one, for personal accounts.
17    |       | When you leave Acme, update your profiles to show that you no longer work here.
17    |       | You may identify Acme as your employer on LinkedIn.
18    |       | Requests to create a new social media account must be submitted to the Social Media Center of Excellence.
18    |       | The Communications team maintains a directory of all official channels.
18    |       | Official pages must use approved logos and naming conventions.
18    |       | No employee may set up a page or account representing the company without authorization.
19    |       | Use a strong, unique password for each account and never share it.
19    |       | Be alert to scams and suspicious links.
19    |       | Be cautious about sharing personal details such as your address or phone number.
19    |       | Report any suspected account compromise to IT Security immediately.
20    |       | If you find something negative or incorrect about the company online, notify Corporate Communications.
20    |       | Do not respond to criticism yourself; pass it to the social media team.
20    |       | In the event of a crisis, only the crisis team will post on our channels.
20    |       | Escalate any potential issues to your manager and the Legal department.
21    |       | If customers raise complaints on social media, direct them to our Customer Service team.
21    |       | Customer questions should be answered through official support channels.
21    |       | Share product issues you see online with the Quality team so they can be tracked and resolved.
22    |       | Comments that violate our community guidelines will be removed.
22    |       | When responding, be professional, stick to the facts and correct errors politely.
22    |       | Never argue with trolls.
22    |       | We aim to reply to messages within one business day.
22    |       | Moderators may block users who repeatedly post abusive content.
23    |       | The company reserves the right to monitor social media activity that relates to the business.
23    |       | We track the performance of our channels using analytics.
23    |       | Comms reports monthly on follower growth and engagement.
23    |       | Employees should have no expectation of privacy when using company systems.
24    |       | Social media content may be subject to retention requirements and e-discovery.
24    |       | Keep copies of all posts in accordance with the records management policy.
24    |       | Official accounts that are no longer used must be closed and their content archived.
24    |       | Posts may be subject to Freedom of Information requests.
25    |       | Failure to comply with this policy may result in disciplinary action.
25    |       | Anyone who breaches these rules may face disciplinary proceedings.
25    |       | Inappropriate posts may be removed and access to social media revoked.
25    |       | Serious breaches may be treated as gross misconduct.
# real-policy wordings, written by the project (issue 15): modals, "only ... authorised"...
6     | 2     | Nobody may post as the Trust's representative until they have been authorised.
6     |       | Please do not hold yourself out as speaking for the council.
18    |       | The group's own social media channels are set up and run by the Communications team alone.
18    |       | Our official pages are managed by the digital office and follow its editorial oversight.
8     |       | When you mention the firm, only post facts that are already publicly available.
8     |       | Never make an unauthorised disclosure about the business.
10    | 17    | Artwork you upload must be licensed to you or be your own work, not someone else's.
10    |       | Never post another organisation's logo without its permission.
17    | 10    | Keep the accounts you run for work separate from your private profiles.
17    |       | Your profile picture should be a recent photo of your face.
12    |       | Keep your posts free of profanity and libel.
12    |       | Never use your accounts to undermine the good name of the university.
14    |       | Treat your blog as a public space where anyone may be listening.
14    |       | A message you believe is private may end up anywhere.
14    |       | If we get something wrong, we will correct it and say so.
13    |       | Topics that stir strong feelings, such as religion or elections, need extra care.
19    | 11    | Do not give out your own personal information on public pages.
19    |       | Review the security options of each platform you use.
20    |       | If you become aware that someone has broken this policy, let your line manager know.
20    |       | Lost devices and suspected phishing must be reported to the IT service desk immediately.
21    | 6     | Any question we are unable to answer here is passed on to the right department.
22    |       | Do not reply to hostile comments from customers; leave it to the moderators.
22    |       | Never answer a hostile post while you are angry yourself; wait and reply calmly.
24    | 25    | The council can close or delete its accounts whenever it decides to.
25    |       | Breaches can count against you, and may be noted in your performance review.
25    |       | Posts that break our house rules may be hidden or removed, and their authors blocked.
25    |       | Non-compliance with these rules could lead to corrective action or dismissal.
2     | 15    | This guidance is not meant to stop anyone using social media.
2     |       | We do not discourage colleagues from joining online networks.
1     |       | This guidance sets out rules for all staff who comment online in a private capacity.
      | 3     | Of course, you may share our news.
      | 14    | Posts on official accounts are public records.
      | 21    | Follow us on social media for updates.
      | 13    | The price is neutral for most customers.
      | 12    | What kind of content works best on each platform?
"""  # noqa: E501

FLAG_TABLE = """
-    | We encourage staff to share our research news and event photos with their networks.
E05  | Help us spread the word: share our new product range with your followers.
E12  | Never disparage the company online or post anything that embarrasses it.
E12  | Staff may not undermine the organisation's goodwill on social media.
E12  | Never slander the college or harm its reputation.
E08  | Never make an unauthorised disclosure of any kind.
-    | Check your own page now and then, and delete anything others post there that breaks our rules.
-    | Our other policies continue to apply at all times.
E06  | Employees may not speak to the media.
-    | Employees may not speak to the media on behalf of the company.
E08  | Do not disclose confidential information.
-    | Do not disclose confidential information. {carve-out}
-    | Do not disclose confidential information, such as trade secrets and unreleased results.
E08  | Do not share confidential information about employees.
E12  | You must never say anything negative about the company or its management.
-    | You must never say anything negative about the company or its management. {carve-out}
-    | Be respectful to colleagues and customers.
E17  | Employees must not use the company logo on personal social media accounts.
-    | Do not use our logo in a way that suggests an official account.
E23  | The company may monitor employees' personal social media accounts.
-    | We do not monitor employees' personal social media accounts.
-    | We monitor public mentions of our brand.
E19  | Employees must provide their manager with the password to any personal account used for work.
E06  | All posts that mention the company must be approved by Communications before publication.
-    | All posts on official company accounts must be approved by Communications.
E01  | This policy applies to your conduct on and off duty, whenever it relates to the company.
-    | This policy applies to all employees.
E04  | Employees may not use social media on company premises, including during breaks.
-    | Personal use of social media is not permitted during working time, except during breaks.
E20  | Employees must report colleagues' posts about the company to their manager.
-    | Report threats of violence you see online to Security.
E09  | Do not comment on legal matters involving the company.
E05  | We'd love you to share our product launches with your followers.
-    | We'd love you to share our product launches; add #employee to each post so people know you work here.
E12  | Employees are prohibited from making disparaging or defamatory comments about the Company, its employees, officers, products or services.
E12  | Don't criticise the company online.
E12  | Never post anything that could damage the Company's reputation.
E12  | You may not post content that is embarrassing to the company.
E06  | Employees must not contact the media about company matters without approval from Communications.
E06  | Do not speak with reporters.
E17  | Employees may not use the Company's logo, trademarks or name in any posts.
E19  | We may request access to your personal social media accounts as part of an investigation.
E19  | Employees must accept friend requests from their supervisors.
E23  | The Company may monitor the social media activity of its employees, whether on or off duty.
E06  | Any post that references the Company requires prior approval from your manager.
E01  | This policy applies to employees' conduct outside of work.
E20  | Employees are expected to report any social media posts by co-workers that violate this policy.
E09  | Do not comment on any litigation involving the company.
E08  | Never share internal information on social media.
E08  | Employees must not post non-public information.
-    | Only authorized spokespeople may speak to the media on behalf of the company.
-    | If a journalist contacts you, don't respond; refer them to Communications.
-    | We do not require you to share your passwords.
-    | Do not share your password with anyone.
-    | Do not disclose confidential information, including trade secrets and financial data.
-    | Don't make discriminatory or harassing comments about colleagues.
-    | Avoid posting negative reviews of competitors.
-    | Comments that disparage others will be removed from our page.
-    | Do not use the company logo in a way that suggests the company endorses your views.
-    | Don't post on behalf of the company without approval.
-    | Please keep personal social media activity to your breaks.
-    | We monitor public conversations about our brand.
-    | Report any threats of violence you see online to Security.
-    | Posts on official accounts must be approved by the Digital Team.
-    | Never disclose patient information.
-    | You are responsible for what you post, on or off duty.
"""  # noqa: E501


UNRELATED = """
Social media is a powerful tool for building relationships.
This policy was last updated in March 2024.
Please contact HR if you have questions about this policy.
Our company values include integrity, respect and teamwork.
We are committed to protecting the environment.
Employees should read this policy carefully.
Managers are responsible for ensuring their teams comply with this policy.
This policy is owned by the Chief Communications Officer.
Social networks such as Facebook and LinkedIn have millions of users.
Customers can reach us through our website.
We report our financial results every quarter.
Our mission is to serve our communities.
Employees must wear their ID badges at all times.
The annual staff survey is anonymous.
We will respond to your request within five working days.
Employees are encouraged to take their annual leave.
We encourage you to use good judgment.
We want to hear your ideas.
If you have questions, contact the Social Media Team.
For advice on using social media, contact the Digital Team.
Our products are sold in more than 40 countries.
The Trust is committed to equality and diversity.
The Company will review this policy annually.
We may amend this policy at any time.
This policy does not form part of any employee's contract of employment.
The policy will be reviewed every two years by the Head of Communications.
Social media has changed how people find jobs.
Many of our customers follow us on Instagram.
Questions about this policy can be sent to your manager or to Corporate Communications.
The Communications Team is responsible for the corporate website.
Our people make us who we are.
We are proud of our history.
This document sets out our approach.
Employees can find the latest version on the intranet.
The policy takes effect on 1 January.
Our brand is one of our most valuable assets.
Technology changes quickly.
We value open and honest communication.
The Board approved this policy in 2023.
Information about benefits is available from HR.
The Company reserves the right to amend this policy.
Working from home is allowed two days a week.
Staff should report sickness absence to their line manager.
The office is closed on public holidays.
Employees receive a discount on our products.
Our annual report is published in April.
Please recycle paper wherever possible.
Visitors must sign in at reception.
"""


def parse_sentences(table: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in table.strip().splitlines():
        if line.startswith("#"):
            continue
        must, must_not, sentence = (cell.strip() for cell in line.split("|", 2))
        rows.append((sentence, must, must_not))
    return rows


SENTENCES = parse_sentences(SENTENCES_TABLE)


@pytest.mark.parametrize(("sentence", "must", "must_not"), SENTENCES)
def test_single_sentences(sentence: str, must: str, must_not: str) -> None:
    found = classify_text(sentence).present()
    assert ids(must) <= found
    assert not ids(must_not) & found


def test_the_sentence_table_covers_every_element() -> None:
    covered = {e for _, must, _ in SENTENCES for e in ids(must)}
    refused = {e for _, _, must_not in SENTENCES for e in ids(must_not)}
    assert covered == {e.id for e in load_taxonomy()}
    assert len(SENTENCES) >= 60 and len(refused) >= 15


# --- red flags on short texts ------------------------------------------------------------------

CARVE_OUT = (
    "Nothing in this policy restricts your right to discuss wages, hours or other terms and "
    "conditions of employment."
)


def parse_flags(table: str) -> list[tuple[str, str]]:
    rows = []
    for line in table.strip().splitlines():
        flagged, text = (cell.strip() for cell in line.split("|", 1))
        rows.append((text.replace("{carve-out}", CARVE_OUT), "" if flagged == "-" else flagged))
    return rows


FLAG_CASES = parse_flags(FLAG_TABLE)


@pytest.mark.parametrize(("text", "flagged"), FLAG_CASES)
def test_red_flags_on_short_texts(text: str, flagged: str) -> None:
    result = classify_text(text)
    assert {f.element for f in result.red_flags} == ({flagged} if flagged else set())


# --- the word index's own pattern reader ---------------------------------------------------------


def test_every_cue_pattern_is_read_by_the_index() -> None:
    # A pattern the reader cannot parse would silently be tried on every sentence (slow).
    lexicon = classifier._lexicon()
    for cue in lexicon.cues:
        for part in cue.parts:
            cue_index.parse(part.at_word.pattern)
    assert len(lexicon.unanchored) <= 5


@pytest.mark.parametrize(
    ("pattern", "anchors", "needs"),
    [
        # the rarest word any match contains comes first: "news", not "share"
        (r"(?:share|sharing) (?:our )?news", {"share", "sharin"}, [{"news"}]),
        (r"[^.]{0,40}\bon behalf of", None, [{"behalf"}]),
        (r"trade secrets?", {"trade"}, [{"secret"}, {"trade"}]),
        (r"#(?:ad|employee)\b", None, [{"ad", "employ"}]),
        (r"e-?mail", {"e", "emai"}, [{"e", "emai"}]),  # "e-mail" or "email"
        (r"(?:do not|don't) (?:\w+ ){0,2}(?:name|cite) clients", {"do", "don"}, [{"client"}]),
    ],
)
def test_the_index_reads_the_words_a_pattern_needs(
    pattern: str, anchors: set[str] | None, needs: list[set[str]]
) -> None:
    assert cue_index.anchors(pattern) == (None if anchors is None else frozenset(anchors))
    assert [set(n) for n in cue_index.needs(pattern)][: len(needs)] == needs


@pytest.mark.parametrize("pattern", [r"(?:a", r"a)", r"*a", r"[a-", r"\p{L}"])
def test_the_index_reader_refuses_what_it_cannot_read(pattern: str) -> None:
    with pytest.raises(cue_index.PatternError):
        cue_index.parse(pattern)


# --- the project's labelled sentences, in many styles ------------------------------------------

SENTENCE_FILES = Path(__file__).parent / "sentences"


def labelled_sentences() -> list[tuple[str, set[str]]]:
    """tests/sentences/*.txt: `E06 E20 | sentence` or `- | sentence` (see its README)."""
    rows = []
    for path in sorted(SENTENCE_FILES.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                labels, _, sentence = line.partition("|")
                rows.append(
                    (sentence.strip(), set() if labels.strip() == "-" else set(labels.split()))
                )
    return rows


def test_labelled_sentences_in_many_styles_stay_above_their_floor() -> None:
    # Written after the lexicon's first round and used to broaden it: a regression floor, not a
    # blind measure. Each sentence alone must give its elements (one sentence must be strong).
    rows = labelled_sentences()
    assert len(rows) >= 400
    wanted = found = 0
    for sentence, ids in rows:
        present = classify_text(sentence).present()
        wanted += len(ids)
        found += len(present & ids)
        if not ids:
            assert present == set(), sentence
    assert found / wanted >= 0.9
    covered = {e for _, ids in rows for e in ids}
    assert covered == {e.id for e in load_taxonomy()}


def test_a_carve_out_anywhere_in_the_policy_cures_the_rules_it_covers() -> None:
    rules = (
        "# Conduct\n\nEmployees must not say anything negative about the company or its managers."
        "\n\nDo not disclose confidential information.\n\n"
    )
    filler = "".join(
        f"## Section {n}\n\nKeep your password safe and change it often.\n\n" for n in range(8)
    )
    closing = (
        "## Your rights\n\nNothing in this policy restricts your right to discuss pay or working "
        "conditions."
    )
    flagged = classify_text(rules + filler)
    assert {f.element for f in flagged.red_flags} == {"E08", "E12"}
    cured = classify_text(rules + filler + closing)
    assert "E15" in cured.present()
    assert {f.element for f in cured.red_flags} == set()
