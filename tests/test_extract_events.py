"""The events step on sentences written for the tests (other people, places and events than the corpus):
the trigger table in three languages, parts of larger events, several meetings in one text."""

from __future__ import annotations

from kg.corpus import Record
from kg.namespaces import INSTANCE_BASE as ID
from kg.pipeline import Extraction, extract
from kg.pipeline.events.triggers import event_nouns, tables

ILO, ITUC, FES = ID + "org/ilo", ID + "org/ituc", ID + "org/fes"


def run(text: str, lang: str | None = None, published: str | None = "2022-05-10") -> Extraction:
    return extract(Record(id="t", text=text, lang=lang, published=published))


def kinds(x: Extraction) -> list[str]:
    return sorted(ev.types[0].rsplit("#", 1)[-1] for ev in x.events)


def test_the_trigger_table_covers_three_languages_and_feeds_the_organisation_patterns() -> None:
    assert set(tables()) == {"en", "ru", "kk"}
    assert {"seminar", "congress", "round table"} <= event_nouns("en")
    assert "meetings" not in event_nouns("en")  # a plural names several events, never one


def test_kazakh_event_nouns_match_with_their_case_endings() -> None:
    x = run("2022 жылы Павлодар қаласында еңбекті қорғау жөніндегі семинарда кәсіподақ белсенділері оқыды.", "kk")
    assert kinds(x) == ["Seminar"]
    assert x.events[0].location == ID + "city/1520240"


def test_a_visit_verb_needs_a_visitor_and_a_place() -> None:
    x = run("A delegation of the ITUC visited Karaganda on 4 April 2022.")
    (ev,) = x.events
    assert kinds(x) == ["Visit"] and ev.start == "2022-04-04" and ITUC in ev.attendees
    assert run("The price of bread visited new heights in Karaganda.").events == ()


def test_a_dialogue_is_an_event_only_when_it_says_with_whom() -> None:
    assert kinds(run("In Almaty on 3 March 2021 the ITUC held a dialogue with the ILO.")) == ["Meeting"]
    assert run("Social dialogue in Almaty matters to the ITUC, it said on 3 March 2021.").events == ()


def test_a_bare_meeting_on_the_margins_of_a_session_is_a_part_of_it() -> None:
    x = run(
        "The 110th session of the International Labour Conference opened in Geneva.\n\n"
        "Delegates of the ITUC joined a sitting of the employers' group on the sidelines of the International "
        "Labour Conference."
    )
    session = next(ev for ev in x.events if ev.session_number == 110)
    (meeting,) = [ev for ev in x.events if ev is not session]
    assert meeting.super_event == session.iri == ID + "ilc/110"
    assert ITUC in meeting.attendees and ITUC in session.attendees  # who took part in a part took part in the whole


def test_a_meeting_during_a_visit_in_russian_is_part_of_the_visit() -> None:
    x = run(
        "Делегация Международной организации труда посетила Караганду 4 апреля 2022 года. "
        "Визит прошёл в рамках Форума профсоюзов Центральной Азии.",
        "ru",
    )
    visit = next(ev for ev in x.events if ev.types[0].endswith("Visit"))
    forum = next(ev for ev in x.events if ev.types[0].endswith("Forum"))
    assert visit.super_event == forum.iri and ILO in forum.attendees


def test_distinct_events_of_one_text_never_share_an_iri() -> None:
    x = run(
        "On 2 June 2021 the ILO held a seminar «Wages» in Almaty. "
        "On 9 June 2021 the ITUC held a forum «Wages» in Bishkek."
    )
    assert len({ev.iri for ev in x.events}) == len(x.events) == 2


def test_meetings_with_different_partners_are_different_events() -> None:
    x = run(
        "On 5 June 2021 in Geneva the ITUC delegation held talks with the ILO. "
        "The ITUC delegation also held talks with the Friedrich Ebert Foundation on 5 June 2021."
    )
    assert kinds(x) == ["Meeting", "Meeting"] and len({ev.iri for ev in x.events}) == 2
    assert {frozenset(ev.attendees) for ev in x.events} == {frozenset({ITUC, ILO}), frozenset({ITUC, FES})}
