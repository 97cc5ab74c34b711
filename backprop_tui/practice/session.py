"""A practice session over one walkthrough: which steps ask, the answers given, hints taken, the score.

No textual here: the app keeps one Session per lesson and draws from it.

    session = Session(practice_for("graph", options, walk), "all")
    session.arrive(0)                    # the cursor reached step 0: it asks (all) or is shown (watch)
    session.asking(0)                    # True until every question of the step is answered or revealed
    verdict = session.answer(0, "0.1353")
    session.hint(0), session.reveal(0), session.score()

Levels: "watch" shows every step worked; "all" asks every question of every step;
"some" fades worked examples out (Renkl et al. 2004): a question of a kind
(Question.kind) not seen before is shown worked, later ones of that kind ask; a kind
answered right first time is mastered and always asked; a kind answered wrong first
time (or revealed) gets one more worked example before it asks again.

A step's plan (which of its questions ask) is made when the cursor first reaches
it at a practising level, in trace order, and kept; a step shown revealed once
(watched, answered or revealed) stays revealed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from ..lessons import Walkthrough
from .judge import CORRECT, INVALID, Verdict, judge
from .questions import Question, WalkPractice

WATCH, SOME, ALL = "watch", "some", "all"
LEVELS = (WATCH, SOME, ALL)
WORKED = 1  # worked examples of a kind shown before questions of that kind ask (level some)


@dataclass
class Record:
    """One question of a step and what happened to it."""

    question: Question
    given: bool = False  # shown worked (level some): not asked, not scored
    first: str | None = None  # the first answer that could be read
    first_verdict: str | None = None  # its verdict: correct or wrong
    first_message: str | None = None  # its diagnosis or message
    tries: int = 0  # answers that could be read
    hints: int = 0  # hints taken
    correct: bool = False  # answered right (at some try)
    revealed: bool = False  # shown at the student's request

    @property
    def done(self) -> bool:
        return self.given or self.correct or self.revealed

    @property
    def scored(self) -> bool:
        """Counts in the score: asked and answered at least once, or revealed."""
        return not self.given and (self.first_verdict is not None or self.revealed)

    @property
    def right_first_time(self) -> bool:
        return self.first_verdict == CORRECT


class Session:
    """What the student did in practice on one walkthrough."""

    def __init__(self, practice: WalkPractice, level: str = ALL, walk: Walkthrough | None = None):
        self.practice = practice
        self.walk = walk or practice.walk  # the app's own walk (the practice may hold an equal one built before)
        self.level = level
        self.plans: dict[int, list[Record]] = {}  # step index → its questions, in asking order
        self.revealed: set[int] = set()  # steps shown revealed
        self.worked: Counter[str] = Counter()  # worked examples shown, per kind
        self.mastered: set[str] = set()  # kinds answered right first time

    # --- where the cursor is ---

    def arrive(self, index: int) -> None:
        """The cursor reached step `index` (0-based): plan its questions, or reveal it when it asks none."""
        if index in self.revealed:
            return
        if self.level == WATCH:  # shown: what was asked and not answered counts as revealed
            if index in self.plans:
                self.reveal(index)
            self.revealed.add(index)
            return
        if index not in self.plans:
            self.plans[index] = self._plan(index)
        if all(r.done for r in self.plans[index]):
            self.revealed.add(index)

    def _plan(self, index: int) -> list[Record]:
        records = []
        for question in self.practice.step_questions(index):
            given = self.level == SOME and question.kind not in self.mastered and self.worked[question.kind] < WORKED
            if given:
                self.worked[question.kind] += 1
            records.append(Record(question, given=given))
        return records

    def set_level(self, level: str) -> None:
        """A new level; the plans of steps not yet answered are made again when the cursor reaches them."""
        self.level = level
        for index, records in list(self.plans.items()):
            if index not in self.revealed and not any(r.tries or r.hints or r.revealed for r in records):
                for r in records:
                    if r.given:
                        self.worked[r.question.kind] -= 1
                del self.plans[index]

    def asking(self, index: int) -> bool:
        """Whether step `index` still hides something the student is asked."""
        return index not in self.revealed and index in self.plans and self.level != WATCH

    def records(self, index: int) -> list[Record]:
        """The step's questions and what happened to them (none for a step never planned)."""
        return self.plans.get(index, [])

    def current(self, index: int) -> Record | None:
        """The question step `index` asks now, or None."""
        if not self.asking(index):
            return None
        return next((r for r in self.plans[index] if not r.done), None)

    # --- what the student does ---

    def answer(self, index: int, text: str) -> Verdict:
        """Judge a typed answer to the step's current question; invalid text changes nothing."""
        record = self.current(index)
        assert record is not None, "only a step that asks takes an answer"
        verdict = judge(record.question, text)
        if verdict.verdict == INVALID:
            return verdict
        record.tries += 1
        if record.first_verdict is None:
            record.first, record.first_verdict, record.first_message = text, verdict.verdict, verdict.message
            self._learned(record)
        if verdict.correct:
            record.correct = True
            self._finish(index)
        return verdict

    def hint(self, index: int) -> tuple[int, str] | None:
        """The next hint of the step's current question (its number from 1 and text), or None when none is left."""
        record = self.current(index)
        if record is None or record.hints >= len(record.question.hints):
            return None
        record.hints += 1
        return record.hints, record.question.hints[record.hints - 1]

    def reveal(self, index: int) -> None:
        """Show the whole step: every question not yet answered counts as revealed."""
        for record in self.plans.get(index, []):
            if not record.done:
                record.revealed = True
                if record.first_verdict is None:
                    self._learned(record)
        self._finish(index)

    def _learned(self, record: Record) -> None:
        """A kind answered right first time is mastered; wrong or revealed, its next question is shown worked."""
        kind = record.question.kind
        if record.first_verdict == CORRECT:
            self.mastered.add(kind)
        elif kind not in self.mastered:
            self.worked[kind] = min(self.worked[kind], WORKED - 1)

    def _finish(self, index: int) -> None:
        if all(r.done for r in self.plans.get(index, [])):
            self.revealed.add(index)

    # --- the score ---

    def score(self) -> tuple[int, int, int]:
        """(right first time, questions scored, hints taken) over every step."""
        scored = [r for records in self.plans.values() for r in records if r.scored]
        hints = sum(r.hints for records in self.plans.values() for r in records)
        return sum(r.right_first_time for r in scored), len(scored), hints

    def asked(self) -> list[tuple[int, list[Record]]]:
        """The steps that asked something, in trace order, with their questions."""
        return [(i, self.plans[i]) for i in sorted(self.plans) if any(not r.given for r in self.plans[i])]
