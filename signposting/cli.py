"""The one command line: ``python -m signposting <command>``.

Commands:
  crawl   crawl the site into the page store (incremental and resumable) and print a summary
  build   crawl the site (the demo snapshot by default), extract, chunk, embed and index it
  train   train the Rasa model and the safety classifier, each if its data or code changed
  vocabulary  write Rasa's lookup tables and synonyms (bot/data/nlu/vocabulary.yml) from vocabulary/
  serve   build and train when needed, then run every server until Ctrl-C (this is `make run`)
  ask     search the knowledge base from the terminal (for checking answers)
  staff   SENDIASS console accounts: create, disable, enable, reset, list
  retention  delete what is older than the retention limits (safe to run from cron)
  insights   Local Offer editors' insights: print the content-gap topics, or seed a synthetic month
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from demo_site.server import DemoSite
from settings import Settings, get_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m signposting",
        description="Gloucestershire SEND signposting assistant: build the knowledge base, train and run the bot.",
        epilog=(
            "examples:\n"
            "  python -m signposting serve                 what `make run` runs\n"
            "  python -m signposting build --site demo     rebuild from the demo snapshot\n"
            '  python -m signposting ask "what is a SENCO"\n'
            "settings come from SIGNPOST_* environment variables or .env (see README, Configuration)"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show debug logging")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    # Options shared by the commands that crawl.
    crawling = argparse.ArgumentParser(add_help=False)
    crawling.add_argument(
        "--site",
        choices=["demo", "live"],
        help="demo: our snapshot served on loopback (default); live: the county's sites (needs internet)",
    )
    crawling.add_argument("--no-progress", action="store_true", help="hide progress bars (for logs)")
    sub.add_parser("crawl", parents=[crawling], help="crawl a site into the page store (resumes an interrupted crawl)")
    sub.add_parser("build", parents=[crawling], help="crawl a site and build the knowledge base")

    train = sub.add_parser("train", help="train the Rasa model and the safety classifier when their data changed")
    train.add_argument(
        "model",
        nargs="?",
        choices=["rasa", "safety"],
        help="train only this one (rasa: bot/ and config.yml; safety: the safeguarding classifier)",
    )
    train.add_argument("--force", action="store_true", help="train even if nothing changed")

    vocabulary = sub.add_parser(
        "vocabulary",
        help="the words the assistant understands: write Rasa's lookup tables and synonyms from vocabulary/",
    )
    vocabulary_sub = vocabulary.add_subparsers(dest="vocabulary_command", required=True, metavar="ACTION")
    generate = vocabulary_sub.add_parser(
        "generate", help="write bot/data/nlu/vocabulary.yml (then run `train`: the training data changed)"
    )
    generate.add_argument(
        "--check", action="store_true", help="write nothing; fail when the file is not what vocabulary/ gives"
    )

    serve = sub.add_parser("serve", help="build, train and run all servers on 127.0.0.1 until Ctrl-C")
    serve.add_argument("--no-progress", action="store_true", help="hide progress bars (for logs)")
    serve.add_argument(
        "--no-build",
        action="store_true",
        help="serve the knowledge base and Rasa model as they are, without crawling, building or training "
        "(one node of several, or a container with the build mounted read-only); stop if either is missing",
    )

    ask = sub.add_parser("ask", help="search the knowledge base and print the best passages")
    ask.add_argument("question", help="the question, in quotes")
    ask.add_argument("-k", type=int, default=3, help="how many passages to show (default 3)")

    staff = sub.add_parser("staff", help="SENDIASS staff console accounts")
    staff_sub = staff.add_subparsers(dest="staff_command", required=True, metavar="ACTION")
    stdin_help = "read the password from the first line of standard input instead of asking (for scripts)"
    create = staff_sub.add_parser("create", help="create an account (asks for its password)")
    create.add_argument("username")
    create.add_argument(
        "--role",
        choices=["caseworker", "admin", "editor"],
        required=True,
        help="caseworker: SENDIASS casework; editor: Local Offer insights only; admin: everything",
    )
    create.add_argument("--name", default="", help="the name the console shows (default: the username)")
    create.add_argument("--password-stdin", action="store_true", help=stdin_help)
    for action, text in (("disable", "stop an account signing in (and sign it out)"), ("enable", "allow it again")):
        staff_sub.add_parser(action, help=text).add_argument("username")
    reset = staff_sub.add_parser(
        "reset", help="new password, unlock, remove the authenticator app (set up again at next sign-in)"
    )
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true", help=stdin_help)
    staff_sub.add_parser("list", help="list the accounts")

    sub.add_parser(
        "retention",
        help="delete closed escalations, Rasa conversations, audit entries, feedback and logged questions "
        "older than the limits",
    )

    insights = sub.add_parser(
        "insights",
        help="Local Offer editors' insights from the question log",
        description="What families ask that the Local Offer pages do not answer (the console's Content gaps page).",
    )
    insights_sub = insights.add_subparsers(dest="insights_command", required=True, metavar="ACTION")
    topics = insights_sub.add_parser(
        "topics", help="group the recent questions the pages did not answer well into topics, and print them"
    )
    topics.add_argument("--weeks", type=int, help="how many weeks back to look (default SIGNPOST_INSIGHTS_WEEKS, 8)")
    seed = insights_sub.add_parser(
        "seed",
        help="play a month of synthetic family conversations through a running assistant (for demos and tests)",
        description=(
            "Sends about 40 scripted conversations to the gateway's /api/chat, as the widget would, then spreads "
            "their logged questions over the last 30 days. Two subjects the demo snapshot has no page about "
            "(the dentist; eye tests and glasses) are planted, so they show up as content gaps. "
            "Start the assistant first (make run)."
        ),
    )
    seed.add_argument("--gateway", help="the gateway's address (default: this machine's, from the settings)")
    return parser


@contextlib.contextmanager
def _site_for_crawl(settings: Settings) -> Iterator[tuple[list[str], float]]:
    """Start URLs and politeness delay for the configured site; serves the demo snapshot if needed."""
    if settings.site == "live":
        yield settings.live_start_urls, settings.crawl_delay_seconds
        return
    try:
        site = DemoSite(settings.demo_site_host, settings.demo_site_port)
    except OSError as exc:
        raise SystemExit(
            f"Cannot serve the demo snapshot on {settings.demo_site_host}:{settings.demo_site_port} ({exc.strerror}). "
            "Is `make run` already running? Stop it, or set SIGNPOST_DEMO_SITE_PORT to a free port."
        ) from exc
    with site:
        # Our own loopback server: no need to pace requests.
        yield [site.start_url], 0.0


def _build(settings: Settings, show_progress: bool, start_urls: list[str], delay: float) -> None:
    from app_store import AppStore
    from glossary import load_glossary
    from knowledge_base.build import BuildError
    from knowledge_base.search import KnowledgeBaseError, check_current, current_build_id
    from knowledge_base.store import current_page_urls
    from signposting.knowledge_build import build_from_site

    started = time.monotonic()
    # Editors' content exclusions live in the app database; the build asks it which pages to leave out.
    with AppStore.from_settings(settings) as store:
        outcome = build_from_site(settings, start_urls, delay, show_progress=show_progress, excluded=store)
        if not outcome.built:
            # 'Unchanged' compares content with the manifest; the files themselves may since have been
            # truncated or deleted. Open the build whole before trusting it, and rebuild if it is damaged.
            try:
                check_current(settings.kb_dir)
            except (KnowledgeBaseError, ValueError, OSError) as exc:
                print(
                    f"The knowledge base build {current_build_id(settings.kb_dir)} is damaged ({exc}); rebuilding it."
                )
                outcome = build_from_site(
                    settings, start_urls, delay, show_progress=show_progress, excluded=store, force=True
                )
    try:
        check_current(settings.kb_dir)
    except (KnowledgeBaseError, ValueError, OSError) as exc:
        raise BuildError(f"The knowledge base build {current_build_id(settings.kb_dir)} cannot be used: {exc}") from exc
    m = outcome.manifest
    crawl, extraction = outcome.crawl, outcome.extraction
    print(f"Crawl{' (resumed)' if crawl.resumed else ''}:\n{crawl.table()}")
    print(f"Extraction: {extraction.extracted} pages extracted, {extraction.reused} unchanged and reused.")
    if extraction.excluded:
        print(f"Left out: {extraction.excluded} pages excluded by Local Offer editors.")
    print(
        f"Reports in {settings.reports_dir}: {len(outcome.broken_links)} broken links, "
        f"{len(outcome.stale_pages)} pages not reviewed for over a year."
    )
    # The glossary links each term to a page; a page this build lacks means a definition with no link.
    unlinked = load_glossary().unlinked(current_page_urls(settings.kb_dir) or ())
    if unlinked:
        print(f"Glossary: {len(unlinked)} terms link to pages not in this build: {', '.join(e.see for e in unlinked)}")
    verb = "Built" if outcome.built else "Knowledge base unchanged:"
    print(
        f"{verb} {m.build_id}: {m.documents} pages, {m.chunks} passages, {m.services} services "
        f"({time.monotonic() - started:.1f} s)"
    )


def _train(settings: Settings, force: bool = False, only: str | None = None) -> None:
    from signposting.training import TrainingOutcome, ensure_safety_trained, ensure_trained

    def report(name: str, outcome: TrainingOutcome) -> None:
        if outcome.trained:
            print(f"Trained {outcome.model_path} in {outcome.seconds:.0f} s", flush=True)
        else:
            print(f"{name} up to date: {outcome.model_path}", flush=True)

    if only in (None, "safety"):
        print("Checking the safety classifier...", flush=True)
        report("Safety classifier", ensure_safety_trained(settings.models_dir, force=force))
    if only in (None, "rasa"):
        print("Checking the Rasa model...", flush=True)
        report("Rasa model", ensure_trained(settings.models_dir, settings.run_dir / "logs" / "train.log", force=force))


def _vocabulary(check: bool) -> int:
    from signposting.bot_vocabulary import GENERATED_FILE, is_current, write

    shown = GENERATED_FILE.relative_to(GENERATED_FILE.parents[3])
    if check:
        if is_current():
            print(f"{shown} is up to date with vocabulary/.")
            return 0
        print(f"{shown} differs from vocabulary/: run `python -m signposting vocabulary generate`.", file=sys.stderr)
        return 1
    print(f"Wrote {shown}; run `python -m signposting train`." if write() else f"{shown} is already up to date.")
    return 0


class _Stop(Exception):
    pass


def _upgrade_app_database(settings: Settings) -> None:
    """Bring the app database to the newest migration before any server opens it."""
    from app_store.engine import make_engine
    from app_store.migrate import upgrade_to_head

    engine = make_engine(settings.app_db_url)
    try:
        revision = upgrade_to_head(engine)
    finally:
        engine.dispose()
    print(f"App database at migration {revision}.", flush=True)


STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def _install_stop_handlers() -> None:
    """Make Ctrl-C, SIGTERM and a closed terminal stop `serve`, however it was launched.

    Set explicitly: a shell script's background job starts with SIGINT ignored, and Python then
    never turns it into KeyboardInterrupt. The first signal raises :class:`_Stop`; later ones are
    ignored, so a second Ctrl-C cannot interrupt the stopping and leave servers behind.
    """

    def on_signal(signum: int, frame: FrameType | None) -> None:
        for other in STOP_SIGNALS:
            signal.signal(other, signal.SIG_IGN)
        raise _Stop()

    for signum in STOP_SIGNALS:
        signal.signal(signum, on_signal)


def _check_artefacts(settings: Settings, model: Path) -> None:
    """For `serve --no-build`: the knowledge base and the model must be there, whole, already."""
    from knowledge_base.build import BuildError
    from knowledge_base.search import KnowledgeBaseError, check_current, current_build_id
    from signposting.training import TrainingError

    try:
        check_current(settings.kb_dir)
    except (KnowledgeBaseError, ValueError, OSError) as exc:
        raise BuildError(
            f"there is no usable knowledge base build in {settings.kb_dir} ({exc}). "
            "Run `python -m signposting build` first, or serve without --no-build."
        ) from exc
    if not model.is_file():
        raise TrainingError(f"the Rasa model {model} is missing. Run `python -m signposting train` first.")
    print(f"Serving knowledge base build {current_build_id(settings.kb_dir)} and {model.name} as they are.")


def _serve(settings: Settings, show_progress: bool, build: bool = True) -> int:
    from signposting.stack import Stack
    from signposting.training import MODEL_NAME

    _install_stop_handlers()
    started = time.monotonic()
    stack: Stack | None = None
    model = settings.models_dir / f"{MODEL_NAME}.tar.gz"
    try:
        with contextlib.ExitStack() as site:
            if build:
                start_urls, delay = site.enter_context(_site_for_crawl(settings))
                _build(settings, show_progress, start_urls, delay)
                _train(settings)
                crawled = f"  Pages crawled from:        {start_urls[0]}\n"
            else:
                _check_artefacts(settings, model)
                crawled = ""
            _upgrade_app_database(settings)
            print("Starting Rasa, the action server and the gateway (Rasa takes about 30 s to load)...", flush=True)
            stack = Stack(settings, model)
            stack.start()
            print(
                f"\nReady in {time.monotonic() - started:.0f} s.\n"
                f"  Demo page (parents):       {settings.gateway_url}/\n"
                f"  Future Me (young people):  {settings.gateway_url}/future-me\n"
                f"  Health:                    {settings.gateway_url}/healthz\n"
                f"  API schema:                {settings.gateway_url}/openapi.json\n"
                f"{crawled}"
                f"Logs: {settings.run_dir / 'logs'}. Press Ctrl-C to stop.",
                flush=True,
            )
            while True:
                # A server that dies or hangs is restarted on its own; the others keep serving.
                stack.supervise(lambda text: print(text, flush=True))
                time.sleep(0.5)
    except (KeyboardInterrupt, _Stop):
        print("\nStopping...", flush=True)
        return 0
    finally:
        if stack is not None:
            stack.stop()
            print("All servers stopped.", flush=True)


def _ask(settings: Settings, question: str, k: int) -> int:
    from knowledge_base.search import KnowledgeBase, KnowledgeBaseError

    try:
        kb = KnowledgeBase.load(settings.kb_dir)
    except KnowledgeBaseError as exc:
        print(exc, file=sys.stderr)
        return 1
    result = kb.search(question, k=k)
    verdict = "confident" if result.confident else "NOT confident"
    print(f"{verdict} (estimated {result.confidence:.0%} that the first page answers)")
    if result.facts is not None and (result.facts.districts or result.facts.age is not None or result.facts.needs):
        print(f"read from the question: {result.filters}")
    for hit in result.hits:
        print(f"{hit.score:.3f}  {hit.title} [{hit.section}]\n       {hit.url}\n       {hit.text[:200]}\n")
    return 0


def _read_password(from_stdin: bool) -> str:
    import getpass

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("The same password again: ") != first:
        raise SystemExit("The two passwords were not the same; nothing was changed.")
    return first


def _staff(settings: Settings, args: argparse.Namespace) -> int:
    from app_store import AppStore, StaffUserExists
    from staff_console import accounts
    from staff_console.security import WeakPassword

    with AppStore.from_settings(settings) as store:
        try:
            if args.staff_command == "create":
                user = accounts.create_account(
                    store, args.username, args.name, args.role, _read_password(args.password_stdin)
                )
                extra = " They will set up an authenticator app at their first sign-in." if user.is_admin else ""
                print(f"Created {user.role} account {user.username!r}.{extra}")
            elif args.staff_command == "disable":
                accounts.disable_account(store, args.username)
                print(f"Disabled {args.username!r} and signed it out.")
            elif args.staff_command == "enable":
                accounts.enable_account(store, args.username)
                print(f"Enabled {args.username!r}.")
            elif args.staff_command == "reset":
                accounts.reset_account(store, args.username, _read_password(args.password_stdin))
                print(f"Reset {args.username!r}: new password, unlocked, authenticator app to set up at next sign-in.")
            else:
                print(accounts.account_table(store))
        except (accounts.AccountError, StaffUserExists, WeakPassword) as exc:
            print(exc, file=sys.stderr)
            return 1
    return 0


def _retention(settings: Settings) -> int:
    from app_store import AppStore
    from staff_console.accounts import cli_actor
    from staff_console.lifecycle import TrackerStoreUnavailable, run_retention

    with AppStore.from_settings(settings) as store:
        try:
            report = run_retention(settings, store, cli_actor())
        except TrackerStoreUnavailable as exc:
            print(f"{exc}: Rasa conversations were not deleted; the rest was (see the audit log)", file=sys.stderr)
            return 1
    print("\n".join(report.lines()))
    return 0


def _insights(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    import httpx

    from app_store import AppStore

    with AppStore.from_settings(settings) as store:
        if args.insights_command == "seed":
            from insights.seeding import play, scripts, spread_over_month

            url = args.gateway or settings.gateway_url
            plan = scripts()
            print(f"Playing {len(plan)} conversations through {url} ...", flush=True)
            try:
                played = list(play(url, plan))
            except (httpx.HTTPError, RuntimeError) as exc:
                print(f"Could not talk to the assistant at {url} ({exc}). Is `make run` running?", file=sys.stderr)
                return 1
            spread_over_month(store, played, datetime.now(UTC))
            print(f"Done: {len(played)} conversations spread over the last 30 days. See Content gaps in the console.")
            return 0
        from insights.content_gaps import gaps_report
        from knowledge_base.embedding import embed_texts

        if args.weeks:
            settings = settings.model_copy(update={"insights_weeks": args.weeks})
        report = gaps_report(store, settings, datetime.now(UTC), embed_texts)
    print(
        f"{report.questions} questions in {len(report.weeks)} weeks; {report.gaps} not answered well; "
        f"{len(report.topics)} topics ({report.single_questions} questions asked once, not shown)."
    )
    for number, topic in enumerate(report.topics, start=1):
        page = topic.nearest_page[1] if topic.nearest_page else "no page near it"
        print(f"\n{number:>2}. {topic.label}")
        print(f"    asked {topic.count} times; weekly {list(topic.weekly)}; nearest page: {page}")
        for example in topic.examples[1:]:
            print(f"      - {example}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run one command; known failures are reported in one plain message, not a traceback."""
    from knowledge_base.build import BuildError
    from signposting.environment import EnvironmentMissing
    from signposting.knowledge_build import CrawlIncomplete
    from signposting.stack import StackError
    from signposting.training import TrainingError

    try:
        return _run(argv)
    except (BuildError, CrawlIncomplete, TrainingError, EnvironmentMissing, StackError) as exc:
        print(f"Could not finish: {exc}", file=sys.stderr)
        return 1


def _run(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    settings = get_settings()
    if args.command in ("crawl", "build") and args.site:
        settings = settings.model_copy(update={"site": args.site})
    if args.command == "crawl":
        from signposting.knowledge_build import crawl_site

        with _site_for_crawl(settings) as (start_urls, delay):
            stats = crawl_site(settings, start_urls, delay, not args.no_progress)
        state = "complete" if stats.finished else "stopped early: run it again to resume"
        print(f"Crawl {state}{' (resumed)' if stats.resumed else ''}:\n{stats.table()}")
        return 0
    if args.command == "build":
        with _site_for_crawl(settings) as (start_urls, delay):
            _build(settings, not args.no_progress, start_urls, delay)
        return 0
    if args.command == "train":
        _train(settings, force=args.force, only=args.model)
        return 0
    if args.command == "vocabulary":
        return _vocabulary(check=args.check)
    if args.command == "serve":
        return _serve(settings, not args.no_progress, build=not args.no_build)
    if args.command == "ask":
        return _ask(settings, args.question, args.k)
    if args.command == "staff":
        return _staff(settings, args)
    if args.command == "retention":
        return _retention(settings)
    if args.command == "insights":
        return _insights(settings, args)
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main())
