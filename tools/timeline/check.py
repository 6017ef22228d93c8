"""Checking a proposed timeline against its route's stages and the law.

Dates in papers are often ranges ("April 2018"), so each check asks two questions: is the rule broken on
every reading of the dates (an error), or only on some (a warning: state the dates exactly)? The checks
are: stages out of order or overlapping where they cannot, stages the route requires but the timeline
lacks, periods below their statutory minimum, standstills too short once weekends and bank holidays are
counted, a contract or service start before the standstill ends, notices after their deadline,
mobilisation short for the contract's size, and exact milestones on a weekend or bank holiday.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tools.formatting import long_date, pounds
from tools.regimes import CALENDARS, REGIMES
from tools.timeline.counting import deadline_limit, earliest_contract, standstill
from tools.timeline.fuzzydates import Span, When
from tools.timeline.rules import Route, Step, mobilisation_days
from tools.types import Finding, Severity


@dataclass(frozen=True)
class Entry:
    """A recognised stage of the proposed timeline."""

    name: str
    stage: str
    when: When
    row: int


def _rule_text(step: Step) -> str:
    return f"{step.rule.citation()} ({step.rule.source})"


def working_days_rule(route: Route) -> str:
    """The rule that says which days are working days on `route`, with its citation."""
    calendar = CALENDARS[REGIMES[route.regime].calendar]
    return f"Working days: {calendar.name} ({calendar.rule.citation()})"


def _finding(severity: Severity, entry: Entry | str | None, step: Step | str, message: str) -> Finding:
    """A finding about `entry` (or a missing stage, named), under `step`'s rule or a named one."""
    rule = step if isinstance(step, str) else _rule_text(step)
    stage = entry.name if isinstance(entry, Entry) else entry
    return Finding(severity=severity, stage=stage, rule=rule, message=message)


def _first_before(ends: list[date], day: date) -> int:
    """The position of the first of `ends` (never increasing) before `day`, or len(ends) if none is."""
    return bisect.bisect_left(range(len(ends)), True, key=lambda n: ends[n] < day)


class Checker:
    """The checks for one route over the entries read from one timeline."""

    def __init__(self, route: Route, entries: list[Entry], value: Decimal | None) -> None:
        self.route = route
        self.entries = entries
        self.value = value
        self.by_stage: dict[str, Entry] = {}
        for entry in entries:
            self.by_stage.setdefault(entry.stage, entry)
        self.findings: list[Finding] = []
        self.measured_across: set[str] = set()  # missing periods already checked between their neighbours

    def run(self) -> list[Finding]:
        for check in (
            self.periods,
            self.missing,
            self.sequence,
            self.standstill,
            self.deadlines,
            self.mobilisation,
            self.working_days,
        ):
            check()
        return self.findings

    def add(self, severity: Severity, entry: Entry | str | None, step: Step | str, message: str) -> None:
        self.findings.append(_finding(severity, entry, step, message))

    def present(self, stage: str | None) -> Entry | None:
        return self.by_stage.get(stage or "")

    def missing(self) -> None:
        for number, step in enumerate(self.route.steps):
            if step.stage in self.by_stage or step.missing is None or step.stage in self.measured_across:
                continue
            where = self._between(number)
            need = {"error": "requires", "warning": "normally has", "info": "usually has"}[step.missing]
            self.add(
                step.missing,
                step.name,
                step,
                f"The timeline shows no '{step.name}', which the "
                f"{self.route.name} {need}. {step.rule.summary} Fix: add a row for '{step.name}'{where}.",
            )

    def _between(self, number: int) -> str:
        """Where a missing stage goes: between the stages the timeline has either side of it."""
        before = next((s.name for s in reversed(self.route.steps[:number]) if s.stage in self.by_stage), None)
        after = next(
            (
                s.name
                for s in self.route.steps[number + 1 :]
                if s.kind != "deadline" and s.stage in self.by_stage
            ),
            None,
        )
        if before and after:
            return f" between '{before}' and '{after}'"
        return f" after '{before}'" if before else f" before '{after}'" if after else ""

    def periods(self) -> None:
        for number, step in enumerate(self.route.steps):
            if step.kind != "minimum":
                continue
            entry, anchor = self.present(step.stage), self.present(step.measured_from)
            if entry:
                opens = anchor.when.first if anchor else entry.when.first
                if not anchor and entry.when.first == entry.when.last:
                    continue  # a single date with nothing to count from: no length to check
                self._minimum(step, entry, opens, entry.when.last, f"'{entry.name}'")
            elif anchor:
                following = next(
                    (
                        self.present(s.stage)
                        for s in self.route.steps[number + 1 :]
                        if s.kind != "deadline" and self.present(s.stage)
                    ),
                    None,
                )
                if following:
                    self.measured_across.add(step.stage)
                    self._minimum(
                        step,
                        following,
                        anchor.when.first,
                        following.when.first,
                        f"The timeline shows no '{step.name}'; '{anchor.name}' to '{following.name}'",
                    )

    def _minimum(self, step: Step, entry: Entry, opens: Span, closes: Span, what: str) -> None:
        shortest, longest = (
            self._length(step, opens.end, closes.start),
            self._length(step, opens.start, closes.end),
        )
        unit = "working days" if step.working else "days"
        fix = f"Fix: allow at least {step.days} {unit}."
        if longest < step.days:
            self.add(
                "error",
                entry,
                step,
                f"{what} allows at most {longest} {unit}; the minimum is {step.days}. {fix}",
            )
        elif shortest < step.days:
            self.add(
                "warning",
                entry,
                step,
                f"{what} may allow as few as {max(shortest, 0)} {unit} on the dates "
                f"as written; the minimum is {step.days}. {fix} Give exact dates to confirm it.",
            )

    def _length(self, step: Step, start: date, end: date) -> int:
        return self.route.calendar.working_days_between(start, end) if step.working else (end - start).days

    def sequence(self) -> None:
        """Stages that start before a stage they depend on has ended, or in the wrong order for the route."""
        placed = [(entry, step) for entry in self.entries if (step := self.route.step(entry.stage))]
        reported: set[tuple[str, str]] = set()
        for entry, step in placed:
            for before in filter(None, map(self.present, step.after)):
                if entry.when.first.end < before.when.last.start:
                    reported.add((before.stage, entry.stage))
                    self.add(
                        "error",
                        entry,
                        step,
                        f"'{entry.name}' ({entry.when.describe()}) starts before "
                        f"'{before.name}' ends ({before.when.describe()}). Fix: move it after that stage.",
                    )
        # Each pair of stages is reported once, for the first rows found out of order: per row, one
        # search per later stage of the route, not a scan of every other row.
        ordered = [(entry, step) for entry, step in placed if step.kind != "deadline"]
        rows: dict[str, list[tuple[int, Entry, Step]]] = {}
        for position, (entry, step) in enumerate(ordered):
            rows.setdefault(entry.stage, []).append((position, entry, step))
        earliest_end = {
            stage: list(itertools.accumulate((entry.when.first.end for _, entry, _ in found), min))
            for stage, found in rows.items()
        }
        for first, _ in ordered:
            out_of_order = [
                rows[stage][at]
                for stage, ends in earliest_end.items()
                if self.route.index(first.stage) < self.route.index(stage)
                and (first.stage, stage) not in reported
                and (at := _first_before(ends, first.when.first.start)) < len(ends)
            ]
            for _, second, step in sorted(out_of_order, key=lambda row: row[0]):
                reported.add((first.stage, second.stage))
                self.add(
                    "error",
                    second,
                    step,
                    f"'{second.name}' comes before '{first.name}', but the "
                    f"{self.route.name} has them the other way round. Fix: reorder the stages.",
                )

    def _standstill_notice(self) -> tuple[Step, Span] | None:
        """The standstill step and the days its notice may go out on (from the notice or the standstill)."""
        step = next((s for s in self.route.steps if s.kind == "standstill"), None)
        if step is None:
            return None
        notice, stand = self.present(step.measured_from), self.present("standstill")
        if notice:
            return step, notice.when.first
        if stand:
            shift = timedelta(days=1 if step.begins == "day-after-notice" else 0)
            return step, Span(stand.when.first.start - shift, stand.when.first.end - shift)
        return None

    def standstill(self) -> None:
        found = self._standstill_notice()
        if found is None:
            return
        step, sent = found
        calendar = self.route.calendar
        earliest_end = standstill(self.route, step, sent.start)[1]
        latest_end = standstill(self.route, step, sent.end)[1]
        # A voluntary standstill binds only once announced; falling short of it is a warning, not a breach.
        breach: Severity = "warning" if step.voluntary else "error"
        what = "voluntary standstill" if step.voluntary else "standstill"
        stand = self.present("standstill")
        if stand and stand.when.last.end < earliest_end:
            closed = [
                f"{name} ({long_date(day)})"
                for day, name in calendar.holidays_between(sent.start, earliest_end)
            ]
            counted = f", counting past {', '.join(closed)}" if closed else ""
            if step.working:
                counted += " (weekends and bank holidays are not working days)"
            self.add(
                breach,
                stand,
                step,
                f"The {what} ends {long_date(stand.when.last.end)}, but after a "
                f"notice on {long_date(sent.start)} it runs to the end of {long_date(earliest_end)}"
                f"{counted}. Fix: end it on {long_date(earliest_end)} or later.",
            )
        if stand:
            earliest_end = max(earliest_end, stand.when.last.start)
            latest_end = max(latest_end, stand.when.last.end)
        elif step.voluntary:
            return  # no voluntary standstill announced: nothing binds the signing date
        for stage in ("contract-signature", "service-start"):
            entry = self.present(stage)
            if entry is None:
                continue
            allowed = earliest_contract(self.route, step, sent.start)
            if entry.when.first.end <= earliest_end:
                self.add(
                    breach,
                    entry,
                    step,
                    f"'{entry.name}' ({entry.when.describe()}) is before the {what} "
                    f"ends ({long_date(earliest_end)}). Fix: move it to {long_date(allowed)} or later.",
                )
            elif entry.when.first.start <= latest_end:
                self.add(
                    "warning",
                    entry,
                    step,
                    f"'{entry.name}' ({entry.when.describe()}) may fall before the "
                    f"{what} ends (as late as {long_date(latest_end)} on the dates as written). "
                    "Fix: give exact dates and keep it after the standstill.",
                )

    def deadlines(self) -> None:
        for step in self.route.steps:
            entry, anchor = self.present(step.stage), self.present(step.measured_from)
            if step.kind != "deadline" or not entry or not anchor:
                continue
            limit = deadline_limit(step, anchor.when.last.end)
            if entry.when.last.end < anchor.when.first.start:
                self.add(
                    "error", entry, step, f"'{entry.name}' is before '{anchor.name}'. Fix: publish it after."
                )
            elif entry.when.first.start > limit:
                late_by = (entry.when.first.start - limit).days
                self.add(
                    "error",
                    entry,
                    step,
                    f"'{entry.name}' ({entry.when.describe()}) is {late_by} days after the last day "
                    f"allowed, {long_date(limit)}: within {step.days} days of '{anchor.name}'. "
                    f"Fix: publish it by {long_date(limit)}.",
                )

    def mobilisation(self) -> None:
        step = self.route.step("mobilisation")
        if step is None:
            return
        needed = mobilisation_days(self.value) if self.value is not None else mobilisation_days(Decimal(0))
        entry = self.present("mobilisation")
        contract, start = self.present("contract-signature"), self.present("service-start")
        if entry:
            longest = (entry.when.last.end - entry.when.first.start).days + 1
        elif contract and start:
            entry, longest = start, (start.when.last.end - contract.when.first.start).days
        else:
            return
        size = f"a contract of {pounds(self.value)}" if self.value is not None else "even a small contract"
        if longest < needed:
            self.add(
                "warning",
                entry,
                step,
                f"Mobilisation of at most {longest} days is short for {size} "
                f"(about {needed} days is typical, more with TUPE). Fix: allow more time or explain why "
                "it is enough.",
            )

    def working_days(self) -> None:
        seen: set[tuple[int, date]] = set()
        for entry in self.entries:
            # The PSR standstill begins the day after the notice, whatever day that is.
            standstill_step = self.route.step("standstill")
            legal_start = (
                entry.stage == "standstill"
                and standstill_step is not None
                and standstill_step.begins == "day-after-notice"
            )
            spans = (entry.when.last,) if legal_start else (entry.when.first, entry.when.last)
            for day in {span.start for span in spans if span.exact}:
                reason = self.route.calendar.why_not_working(day)
                if reason and (entry.row, day) not in seen:
                    seen.add((entry.row, day))
                    self.add(
                        "info",
                        entry,
                        working_days_rule(self.route),
                        f"'{entry.name}' falls on {long_date(day)}, a {reason}. Fix: "
                        "move it to a working day if anyone must act on it.",
                    )
