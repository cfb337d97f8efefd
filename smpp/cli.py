"""The `smpp` command: create, advance and watch engagements, check a returned list, run the demo.

This module sits above the flows: commands that run a flow import it when called, so the quick
commands (check-list, template, status) never start Prefect. The rest of the package never
imports prefect.

Much of what is printed is outside text (names from engagement files and returned workbooks,
file names, flag values), so Rich markup is off on both consoles: a name like "Anna [/bold]" is
printed as written. Our own colours are applied with `Text` styles, never with markup.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from sqlalchemy.exc import OperationalError

from smpp.drive import DriveError, NotARegularFile, open_regular
from smpp.models import (
    FIRST_WORKSHOP_YEAR,
    LAST_WORKSHOP_YEAR,
    Engagement,
    EngagementError,
    engagement_to_yaml,
    load_engagement,
    parse_engagement,
    slugify,
)
from smpp.stages import stages
from smpp.stages.company_list.judge import judge_company_list
from smpp.stages.company_list.workbook import build_company_list_template
from smpp.state import State
from smpp.status import engagement_status, short
from smpp.store import Store
from smpp.timeline import KickoffTooLate, build_timeline, milestone_labels

app = typer.Typer(
    help="Runs a social media policy engagement end to end.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
template_app = typer.Typer(help="Write the blank forms people receive.", no_args_is_help=True)
app.add_typer(template_app, name="template")
console = Console(markup=False, highlight=False)
errors = Console(stderr=True, markup=False, highlight=False)

DEMO_MARKER = ".smpp-demo"
PREFECT_DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    # prefect.toml sets this too, but only when smpp runs from the repository root.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}


def _engagements_dir() -> Path:
    return Path(os.environ.get("SMPP_ENGAGEMENTS", "engagements"))


def _fail(message: str, code: int = 2) -> None:
    errors.print(Text.assemble(("error:", "red"), " ", message))
    raise typer.Exit(code)


DATABASE_BUSY = "the state database is busy (locked by another process); the next advance retries"


@contextmanager
def _said_in_words() -> Iterator[None]:
    """Faults of the machinery around an engagement, said as one clear line (exit 1) instead of
    a traceback: the drive folder unusable, the state database busy or unreachable."""
    try:
        yield
    except DriveError as exc:
        _fail(str(exc), code=1)
    except OperationalError as exc:
        if "locked" in str(exc.orig) or "busy" in str(exc.orig):
            _fail(DATABASE_BUSY, code=1)
        from smpp.failures import describe_failure, first_line
        from smpp.store import database_url

        _fail(first_line(describe_failure(exc, database=database_url())), code=1)


def _parse_moment(value: str | None, engagement: Engagement) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        _fail(f"--now {value!r} is not an ISO date-time like 2027-01-20T09:00")
        raise  # unreachable; _fail exits
    if not FIRST_WORKSHOP_YEAR <= moment.year <= LAST_WORKSHOP_YEAR:
        _fail(f"--now {value!r} is not a moment this engagement can be advanced to; check the year")
    return moment.replace(tzinfo=engagement.zone) if moment.tzinfo is None else moment


def _load(slug: str) -> Engagement:
    try:
        return load_engagement(_engagements_dir() / f"{slug}.yaml")
    except EngagementError as exc:
        _fail(str(exc))
        raise


def _prepare_prefect(verbose: bool) -> None:
    for name, value in PREFECT_DEFAULTS.items():
        os.environ.setdefault(name, value)
    if not verbose:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        # A failed run logs its traceback through Prefect's console handler before our one clean
        # `error:` line; the console is quiet (--verbose shows it), the API handler still sends
        # the run's logs to the Prefect UI.
        os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")


PERSON = re.compile(r"^\s*(?P<name>[^<>]+?)\s*<(?P<email>[^<>\s]+)>\s*$")


def _person(text: str, option: str) -> dict[str, Any]:
    head, *extra = [part.strip() for part in text.split(";")]
    match = PERSON.match(head)
    if match is None:
        _fail(f"{option} {text!r}: write it as 'Name <email>' (attendees: 'Name <email>; role')")
        raise AssertionError
    person: dict[str, Any] = {"name": match["name"], "email": match["email"]}
    if option == "--attendee":
        person["role"] = extra[0] if extra else ""
        person["attending"] = not any(e.lower() in ("absent", "not attending") for e in extra)
    return person


@app.command()
def new(
    client: Annotated[str, typer.Option(help="The client's name as it appears in emails.")],
    workshop: Annotated[str, typer.Option(help="Local date and time, e.g. 2027-03-10T09:30.")],
    lead: Annotated[str, typer.Option(help="Account lead: 'Name <email>'.")],
    contact: Annotated[list[str], typer.Option(help="Client contact: 'Name <email>'; repeat.")],
    drive: Annotated[Path, typer.Option(help="The client's folder on the shared drive.")],
    timezone: Annotated[str, typer.Option(help="IANA time zone of the client.")] = (
        "Europe/London"
    ),
    attendee: Annotated[
        list[str] | None,
        typer.Option(help="'Name <email>; role' or 'Name <email>; role; absent'; repeat."),
    ] = None,
    slug: Annotated[str | None, typer.Option(help="File name; default from the client.")] = None,
    compressed: Annotated[
        bool, typer.Option(help="Accept a compressed plan when the kickoff is too late.")
    ] = False,
    now: Annotated[str | None, typer.Option(help="Pretend the kickoff is at this time.")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing definition.")] = False,
) -> None:
    """Write engagements/<slug>.yaml from flags; refuses a kickoff too late for the 2-week rule."""
    data: dict[str, Any] = {
        "client": client,
        "slug": slug or slugify(client),
        "workshop": workshop,
        "timezone": timezone,
        "account_lead": _person(lead, "--lead"),
        "client_contacts": [_person(c, "--contact") for c in contact],
        "attendees": [_person(a, "--attendee") for a in attendee or []],
        "drive": str(drive.resolve()),
        "compressed": compressed,
    }
    slug = str(data["slug"])
    path = _engagements_dir() / f"{slug}.yaml"
    try:
        engagement = parse_engagement(data, "smpp new", Path.cwd())
    except EngagementError as exc:
        _fail(str(exc))
        raise
    try:
        timeline = build_timeline(engagement, _parse_moment(now, engagement))
    except KickoffTooLate as exc:
        _fail(str(exc))
        raise
    if path.exists() and not force:
        _fail(f"{path} exists already; use --force to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(engagement_to_yaml(engagement), encoding="utf-8")
    risk = ("(compressed plan: at risk)", "bold red") if timeline.at_risk else ""
    console.print(
        Text.assemble(f"Wrote {path}", " " if risk else "", risk, f". Next: smpp advance {slug}")
    )


@app.command("advance")
def advance_command(
    slug: str,
    now: Annotated[str | None, typer.Option(help="Advance as if it were this moment.")] = None,
    verbose: Annotated[bool, typer.Option(help="Show Prefect's own log lines.")] = False,
    start_over: Annotated[
        bool,
        typer.Option(
            "--start-over",
            help="Start on an empty record although the drive shows the engagement ran "
            "(the account lead is told).",
        ),
    ] = False,
) -> None:
    """Carry out whatever is due for one engagement, as a Prefect flow run."""
    engagement = _load(slug)
    moment = _parse_moment(now, engagement)
    _prepare_prefect(verbose)
    from prefect import tags

    from flows.advance import advance_engagement
    from flows.deployments import run_tags
    from smpp.engine import AdvanceFailed
    from smpp.failures import describe_failure
    from smpp.recovery import EmptyRecord

    try:
        # The same tags as the client's scheduled runs, so a filter by client finds this one too.
        with tags(*run_tags(slug)), _said_in_words():
            result = advance_engagement(slug, moment, str(_engagements_dir()), start_over)
    except typer.Exit:
        raise  # already said, in words
    except (KickoffTooLate, EmptyRecord) as exc:
        _fail(str(exc))
    except AdvanceFailed as exc:
        _fail(str(exc), code=1)
    except Exception as exc:  # the state database or the drive, before any action could run
        _fail(describe_failure(exc, engagement), code=1)
    for line in result["done"]:
        console.print(Text.assemble(("done", "green"), f"  {line}"))
    for line in result["skipped"]:
        console.print(Text.assemble(("skip", "yellow"), f"  {line} (already done elsewhere)"))
    if not result["done"] and not result["skipped"]:
        console.print("Nothing was due.")
    console.print(f"Next due: {result['next_due'] or 'nothing scheduled'}")


def _print_status(status: dict[str, Any]) -> None:
    console.print(Text.assemble((status["client"], "bold"), f" ({status['engagement']})"))
    _print_timeline(status["timeline"], status["at_risk"])
    for warning in status.get("warnings", []):
        console.print(f"Warning: {warning}", highlight=False, markup=False)
    for wait in status["awaited"]:
        late = (" OVERDUE", "bold red") if wait["overdue"] else ""
        console.print(
            Text.assemble(
                f"Awaited: {wait['what']} from {', '.join(wait['from'])} since "
                f"{short(wait['since'])}, due {short(wait['due'])}",
                late,
                f"; {wait['reminders_sent']} reminder(s) sent",
            )
        )
    if not status["awaited"]:
        console.print("Awaited: nothing from anyone.")
    closure = status.get("closure")
    if closure:
        console.print(
            f"Closed on {short(closure['at'])} by {closure['by']}: {closure['reason']}",
            highlight=False,
            markup=False,
        )
    for problem in status.get("problems", []):
        console.print(f"Problem: {problem['what']}", highlight=False, markup=False)
    for stage in stages():
        section = status.get(stage.status_key)
        if section:
            for line in stage.status_lines(section):
                console.print(line, highlight=False, markup=False)
    for decision in status.get("decisions", []):
        console.print(
            f"Decided {short(decision['at'])} by {decision['by']}: {decision['decision']}"
            + (f" ({decision['detail']})" if decision["detail"] else ""),
            highlight=False,
            markup=False,
        )
    for failing in status["failing"]:
        console.print(
            Text.assemble(
                ("Failing", "red"),
                f" {failing['key']} ({failing['attempts']} attempts): {failing['error']}",
            )
        )
    for held in status.get("in_doubt", []):
        console.print(
            f"In doubt: '{held['subject']}' to {', '.join(held['to'])}, attempted "
            f"{short(held['attempted_at'])}, may not have gone out; held until you decide: "
            f"smpp decide {status['engagement']} resend|delivered --key {held['key']}",
            highlight=False,
            markup=False,
        )
    action = status["next_action"]
    if action:
        console.print(f"Next action: {action['what']}, {short(action['when']) or 'now'}")
    else:
        console.print("Next action: none scheduled.")


@app.command()
def status(
    slug: str,
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
    now: Annotated[str | None, typer.Option(help="Judge the status at this moment.")] = None,
) -> None:
    """Timeline with planned and actual dates, what is awaited from whom, and the next action."""
    engagement = _load(slug)
    moment = _parse_moment(now, engagement)
    with _said_in_words():
        store = Store()
        try:
            state = State(engagement, tuple(store.events_for(slug)))
            failing, held = store.failed_effects(slug), store.in_doubt_effects(slug)
            result = engagement_status(state, moment, failing, in_doubt=held)
        finally:
            store.close()
    if as_json:
        print(json.dumps(result, indent=2))
    else:
        _print_status(result)


@app.command("check-list")
def check_list(
    file: Path,
    as_json: Annotated[bool, typer.Option("--json", help="Print the verdict as JSON.")] = False,
    min_companies: Annotated[int, typer.Option(help="Distinct companies needed.")] = 20,
) -> None:
    """Judge a returned company list (xlsx or csv) as the intake would. Exit 0 if it is accepted."""
    # The file named on our own command line: a link to it may be followed (the intake never
    # follows one), so the judge reads what the link points to.
    target = file.resolve()
    if not target.is_file():
        verdict: dict[str, Any] = {
            "ok": False,
            "companies": 0,
            "problems": [{"row": None, "column": None, "message": f"There is no file {file}."}],
            "notes": [],
        }
    else:
        verdict = judge_company_list(target, min_companies=min_companies).as_dict()
    if as_json:
        print(json.dumps(verdict, indent=2))
    else:
        verdict_word = ("accepted", "green") if verdict["ok"] else ("refused", "red")
        console.print(
            Text.assemble(
                f"{file.name}: ", verdict_word, f", {verdict['companies']} distinct companies"
            )
        )
        for problem in verdict["problems"]:
            where = " ".join(
                part
                for part in (
                    f"row {problem['row']}" if problem["row"] else "",
                    f"[{problem['column']}]" if problem["column"] else "",
                )
                if part
            )
            console.print(
                f"  - {where + ': ' if where else ''}{problem['message']}",
                highlight=False,
                markup=False,
            )
        for note in verdict["notes"]:  # left out of a company, which is kept all the same
            console.print(f"  note: {note}", highlight=False, markup=False)
    raise typer.Exit(0 if verdict["ok"] else 1)


@app.command()
def classify(
    files: Annotated[list[Path], typer.Argument(help="Policies as HTML, PDF or plain text.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as JSON.")] = False,
) -> None:
    """Taxonomise policies against the 25 elements: evidence sentences and red flags."""
    from smpp.classify import classify as classify_document
    from smpp.reading import ReadError, read_document
    from smpp.taxonomy import load_taxonomy

    names = {e.id: e.name for e in load_taxonomy()}
    results: list[dict[str, Any]] = []
    failed = False
    for file in files:
        entry: dict[str, Any] = {"file": str(file), "elements": [], "red_flags": []}
        try:
            with open_regular(file.resolve()) as handle:  # a pipe or device is refused, not read
                content = handle.read()
            document = read_document(content, None, file.name)
        except NotARegularFile:
            entry["error"] = f"could not read {file}: not a regular file"
            failed = True
            results.append(entry)
            continue
        except (OSError, ReadError) as exc:
            entry["error"] = f"could not read {file}: {exc}"
            failed = True
            results.append(entry)
            continue
        found = classify_document(document).as_dict()
        entry.update({k: v for k, v in found.items() if k not in ("file", "source")})
        results.append(entry)
    if as_json:
        print(json.dumps({"results": results}, indent=2, ensure_ascii=False))
    else:
        for entry in results:
            console.print(Text(entry["file"], style="bold"))
            if "error" in entry:
                console.print(Text(f"  {entry['error']}", style="red"))
                continue
            for element in entry["elements"]:
                console.print(
                    f"  {element['id']} {names.get(element['id'], '')}: {element['evidence'][0]}",
                    highlight=False,
                    markup=False,
                )
            for flag in entry["red_flags"]:
                console.print(
                    Text.assemble(
                        "  ", ("red flag", "red"), f" {flag['element']}: {flag['reason']}"
                    )
                )
    raise typer.Exit(1 if failed else 0)


@app.command()
def decide(
    slug: str,
    decision: Annotated[
        str,
        typer.Argument(
            help="What to decide: replace, confirm-gap, close, resend, delivered, hold, "
            "release, approve, accept-finding, item-done or topic."
        ),
    ],
    out: Annotated[str | None, typer.Option("--out", help="replace: company to take out.")] = None,
    into: Annotated[str | None, typer.Option("--in", help="replace: company to put in.")] = None,
    note: Annotated[
        str | None,
        typer.Option(
            help="confirm-gap: the gap the packet goes out with; hold: why it is held; "
            "accept-finding: why; item-done, topic: a note."
        ),
    ] = None,
    reason: Annotated[str | None, typer.Option(help="close: why the engagement ends.")] = None,
    key: Annotated[
        str | None,
        typer.Option(
            help="resend / delivered: the key of the message in doubt; accept-finding: the "
            "finding's key."
        ),
    ] = None,
    item: Annotated[
        str | None, typer.Option(help="item-done: the open item's topic, e.g. E06.")
    ] = None,
    topic: Annotated[
        str | None, typer.Option(help="topic: the drafting topic, E01 to E25.")
    ] = None,
    choice: Annotated[
        str | None,
        typer.Option(
            help="topic: a position as the consensus workbook lists it, 'Own wording' "
            "or 'Deferred'."
        ),
    ] = None,
    wording: Annotated[str | None, typer.Option(help="topic: the agreed wording.")] = None,
    follow_up: Annotated[
        str | None, typer.Option("--follow-up", help="topic: a follow-up agreed on it.")
    ] = None,
    owner: Annotated[str | None, typer.Option(help="topic: the follow-up's owner.")] = None,
    due: Annotated[str | None, typer.Option(help="topic: the follow-up's due date.")] = None,
    by: Annotated[str | None, typer.Option(help="Who decides (default: the lead).")] = None,
    now: Annotated[str | None, typer.Option(help="Record it as of this moment.")] = None,
) -> None:
    """Record an account lead's decision: replace one of the five companies reviewed, let the
    packet go out with a known gap, close the engagement (nothing more is sent), settle a
    message in doubt (resend it, or count it as delivered), hold, release or approve the
    workshop packet, accept a finding of the policy check with a note, mark an open item of
    the follow-up done (when all are, the engagement closes itself), or decide a drafting topic
    after the workshop (`topic --topic E06 --choice "..."`, instead of or after the consensus
    workbook)."""
    from pydantic import ValidationError

    from smpp.decisions import BY_NAME, REQUIRED, Decision, DecisionError, record
    from smpp.decisions import decide as take_decision

    engagement = _load(slug)
    kind = decision.replace("-", "_")
    flags = {
        "out": out,
        "into": into,
        "note": note,
        "reason": reason,
        "key": key,
        "item": item,
        "topic": topic,
        "choice": choice,
    }
    missing = [name for name in REQUIRED.get(kind, ()) if not (flags[name] or "").strip()]
    if missing:
        wanted = " and ".join(f"--{'in' if name == 'into' else name}" for name in missing)
        _fail(f"{decision} needs {wanted}")
    try:
        chosen = Decision.model_validate(
            {
                "kind": kind,
                "by": by or "",
                "out": out or "",
                "into": into or "",
                "note": note or "",
                "reason": reason or "",
                "key": key or "",
                "item": item or "",
                "topic": topic or "",
                "choice": choice or "",
                "wording": wording or "",
                "follow_up": follow_up or "",
                "owner": owner or "",
                "due": due or "",
            }
        )
    except ValidationError as exc:
        _fail("; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors()))
        raise  # unreachable; _fail exits
    moment = _parse_moment(now, engagement)
    with _said_in_words():
        store = Store()
        try:
            state = State(engagement, tuple(store.events_for(slug)))
            event = take_decision(state, chosen, moment)
            record(store, event)
        except DecisionError as exc:
            _fail(str(exc))
            raise  # unreachable; _fail exits
        finally:
            store.close()
    said = BY_NAME[kind].said.format_map(event.data)
    if kind == "topic":
        from smpp.stages.consensus.planner import missing_topics

        with _said_in_words():
            store = Store()
            try:
                missing = missing_topics(State(engagement, tuple(store.events_for(slug))))
            finally:
                store.close()
        said += (
            f" Still to decide before a consensus is recorded: {', '.join(missing)}."
            if missing
            else " The next advance records the consensus and writes the policy from it."
        )
    if kind == "close":
        from flows.deployments import retire_deployment

        said += " Its deployment is paused." if retire_deployment(slug) else ""
    console.print(said, highlight=False)


@app.command()
def deploy(
    slug: str,
    pool: Annotated[str, typer.Option(help="The process work pool that runs it.")] = "smpp",
    pause: Annotated[bool, typer.Option("--pause", help="Pause its schedule instead.")] = False,
    remove: Annotated[bool, typer.Option("--remove", help="Delete it instead.")] = False,
    cron: Annotated[
        str | None,
        typer.Option(help="A cron in the engagement's time zone instead of its working hours."),
    ] = None,
) -> None:
    """Give a client its own Prefect deployment: the advance, hourly in its working hours.

    Running it again updates the deployment (and resumes a paused one)."""
    if pause and remove:
        _fail("choose one of --pause and --remove")
    _prepare_prefect(verbose=False)
    from pydantic import ValidationError

    from flows.deployments import (
        DeploymentError,
        deploy_engagement,
        deployment_name,
        pause_deployment,
        remove_deployment,
        working_hours_cron,
    )

    name = deployment_name(slug)
    try:
        if pause:
            pause_deployment(slug)
            console.print(f"Paused {name}; `smpp deploy {slug}` resumes it.", highlight=False)
            return
        if remove:
            remove_deployment(slug)
            console.print(f"Removed {name}; its past runs stay on the server.", highlight=False)
            return
        engagement = _load(slug)
        deploy_engagement(engagement, pool, cron)
    except DeploymentError as exc:
        _fail(str(exc))
    except ValueError as exc:  # the cron did not parse
        detail = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc)
        _fail(f"--cron {cron!r} is not a cron schedule: {detail}")
    console.print(
        f"Deployed {name}: runs at '{cron or working_hours_cron(engagement.working_hours)}' "
        f"({engagement.timezone}) on work pool {pool}, one run at a time. A worker started "
        f"from the repository root with SMPP_REPO set runs it: prefect worker start --pool {pool}",
        highlight=False,
    )


@template_app.command("company-list")
def template_company_list(
    file: Path,
    client: Annotated[
        str | None, typer.Option(help="Client name shown in the form; none: a neutral form.")
    ] = None,
    due: Annotated[
        str | None, typer.Option(help="Due date, e.g. 2027-01-28; none: 'the date in our email'.")
    ] = None,
    min_companies: Annotated[int, typer.Option(help="Distinct companies asked for.")] = 20,
) -> None:
    """Write the blank company-list workbook a client receives."""
    try:
        due_date = date.fromisoformat(due) if due else None
    except ValueError:
        _fail(f"--due {due!r} is not a date like 2027-01-28")
        raise  # unreachable; _fail exits
    file.parent.mkdir(parents=True, exist_ok=True)
    content = build_company_list_template(
        client, due_date, min_companies=min_companies, saved_at=datetime.now(UTC)
    )
    file.write_bytes(content)
    console.print(f"Wrote {file}")


def _clear_demo_dir(root: Path) -> None:
    if root.exists() and any(root.iterdir()):
        if not (root / DEMO_MARKER).exists():
            _fail(f"{root} is not empty and holds no earlier demo; choose another --drive")
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / DEMO_MARKER).write_text("Written by `smpp demo`; rerunning the demo replaces it.\n")


@app.command()
def demo(
    drive: Annotated[Path, typer.Option(help="Where the deliverables and mail go.")] = Path(
        "demo-drive"
    ),
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
    verbose: Annotated[
        bool, typer.Option(help="List every email, and show Prefect's own log lines.")
    ] = False,
) -> None:
    """Run one engagement end to end on a simulated clock, under Prefect, with no mail server."""
    root = drive.resolve()
    _clear_demo_dir(root)
    _prepare_prefect(verbose)
    from flows import demo as demo_flow

    if as_json:
        result = demo_flow.run_demo(str(root))
        print(json.dumps(result, indent=2))
        return
    with console.status("Starting Prefect (embedded)...") as line:
        steps = 0

        def show(report: Any) -> None:
            nonlocal steps
            steps += 1
            when = report.now.strftime("%a %-d %b %Y %H:%M")
            line.update(f"Simulated {when}: advance {steps}, {len(report.done)} action(s) done")

        demo_flow.progress = show
        try:
            result = demo_flow.run_demo(str(root))
        finally:
            demo_flow.progress = None
    print_demo(result, root, verbose)


def print_demo(result: dict[str, Any], root: Path, verbose: bool = False) -> None:
    """The demo's outcome for a terminal of 80 columns: mails counted by kind, deliverables by
    name, the timeline; every mail with `verbose`."""
    mails = result["emails"]
    console.print(
        Text(f"{len(mails)} emails, as .eml files in ", style="bold").append(
            str(root / "Outbox"), style="default"
        ),
        highlight=False,
    )
    counts: dict[str, int] = {}
    for mail in mails:
        counts[mail["kind"]] = counts.get(mail["kind"], 0) + 1
    if verbose:  # one mail in two lines: when, what and to whom; then its subject
        for mail in mails:
            to = ", ".join(address.split(" <")[0] for address in mail["to"])
            console.print(
                f"  {short(mail['at'])}  {mail['kind']}, to {to}", highlight=False, markup=False
            )
            console.print(Padding(Text(mail["subject"]), (0, 0, 0, 6)), highlight=False)
    else:
        for kind, count in counts.items():
            console.print(f"  {count:>3}  {kind.replace('_', ' ')}", highlight=False, markup=False)
        console.print("  (every email with --verbose)", style="dim", highlight=False)
    folder = Path(result["drive"])  # the client's folder on the drive
    console.print(Text("Deliverables, in ", style="bold").append(str(folder), style="default"))
    for item in result["deliverables"]:
        path = Path(item["path"])
        shown = path.relative_to(folder) if path.is_relative_to(folder) else path
        console.print(f"  {shown}", highlight=False, markup=False)
    _print_timeline(result["timeline"], result["at_risk"])


def _print_timeline(rows: list[dict[str, Any]], at_risk: bool) -> None:
    title = Text("Timeline")
    if at_risk:
        title.append("  AT RISK: compressed plan", style="bold red")
    table = Table(title=title, title_justify="left")
    for column in ("Milestone", "Planned", "Actual"):
        table.add_column(column)
    for row in rows:
        label = milestone_labels().get(row["milestone"], row["milestone"])
        table.add_row(label, short(row["planned"]), short(row["actual"]) or "-")
    console.print(table)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
