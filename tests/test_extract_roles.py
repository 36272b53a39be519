"""Organisers and participants of events from the clauses that report them (sentences written for the
tests): passive agents, subjects, the event's own name, lists, speakers, Russian and Kazakh cues."""

from __future__ import annotations

from kg.corpus import Record
from kg.namespaces import INSTANCE_BASE as ID
from kg.pipeline import Extraction, extract
from kg.pipeline.context import Context
from kg.pipeline.events.roles import cues
from kg.pipeline.model import ORG, PERSON, Entity, Label, Mention

ILO, ITUC, FES = ID + "org/ilo", ID + "org/ituc", ID + "org/fes"


def run(text: str, lang: str | None = None) -> Extraction:
    return extract(Record(id="t", text=text, lang=lang, published="2022-05-10"))


def one(text: str, lang: str | None = None):  # noqa: ANN201 - a kg.pipeline.model.Event
    (ev,) = run(text, lang).events
    return ev


def test_the_cue_table_has_organiser_and_participant_cues_in_three_languages() -> None:
    for lang in ("en", "ru", "kk"):
        assert {c.role for c in cues()[lang]} == {"organizer", "participant"}


def test_a_passive_agent_organised_and_the_participation_clause_took_part() -> None:
    ev = one(
        "On 3 March 2021 a seminar on wage policy organised by the International Labour Organization was held in "
        "Karaganda with the participation of the International Trade Union Confederation."
    )
    assert ev.organizers == (ILO,) and ev.attendees == (ITUC,)


def test_the_subject_that_holds_an_event_organised_it_not_the_nearest_name() -> None:
    ev = one("On 5 May 2020 the ILO held a conference on pensions in Almaty attended by the ITUC.")
    assert ev.organizers == (ILO,) and ITUC in ev.attendees and ITUC not in ev.organizers


def test_a_partner_joined_to_the_subject_shares_the_role_of_the_verb_after_it() -> None:
    ev = one("The ILO, in cooperation with the ITUC, organised a seminar on pensions in Almaty on 5 May 2020.")
    assert set(ev.organizers) == {ILO, ITUC}
    ev = one("On 5 May 2020 the ILO together with the ITUC took part in a seminar on pensions in Almaty.")
    assert set(ev.attendees) >= {ILO, ITUC} and ITUC not in ev.organizers
    ev = one("5 мая 2020 года в Алматы МОТ совместно с МКП провела семинар по пенсиям.", "ru")
    assert set(ev.organizers) == {ILO, ITUC}
    ev = one("A seminar on pensions was held in Almaty on 5 May 2020 in cooperation with the ITUC.")
    assert ev.organizers == (ITUC,)  # with no verb after it, the partner phrase names an organiser


def test_both_sides_of_talks_took_part_and_nobody_organised_them() -> None:
    ev = one("On 2 June 2021 the ILO held talks with the ITUC in Geneva.")
    assert ev.organizers == () and set(ev.attendees) == {ILO, ITUC}


def test_organisations_in_the_events_name_organised_it() -> None:
    ev = one("The Conference of the ILO, the Friedrich Ebert Foundation on safety took place in Bishkek on 5 May 2020.")
    assert set(ev.organizers) == {ILO, FES}


def test_who_takes_part_in_a_listed_series_took_part_in_every_item() -> None:
    x = run(
        "In 2020 the ITUC took part in these events:\n"
        "– ILO seminar on wages (3-4 March, Almaty);\n"
        "– Conference of the Friedrich Ebert Foundation on safety (5-6 May, Bishkek);"
    )
    assert len(x.events) == 2 and all(ITUC in ev.attendees for ev in x.events)
    assert {ev.organizers for ev in x.events} == {(ILO,), (FES,)}


def test_who_speaks_after_an_event_is_told_spoke_at_it() -> None:
    ev = one(
        "On 3 March 2021 the ITUC held a forum on pensions in Almaty.\n"
        "Guy Ryder, Director-General of the ILO, said that pensions must grow."
    )
    assert ID + "person/guy-ryder" in ev.attendees and ILO in ev.attendees


def test_russian_participle_agent_and_participation() -> None:
    ev = one(
        "3 марта 2021 года в Караганде прошёл семинар, организованный Международной организацией труда, "
        "при участии Международной конфедерации профсоюзов.",
        "ru",
    )
    assert ev.organizers == (ILO,) and ITUC in ev.attendees


def test_kazakh_agent_stands_before_its_cue() -> None:
    ev = one(
        "2022 жылы Павлодар қаласында Халықаралық Еңбек Ұйымының ұйымдастыруымен еңбекті қорғау жөніндегі "
        "семинар өтті.",
        "kk",
    )
    assert ev.organizers == (ILO,)


def test_a_participation_sentence_after_the_event_names_who_took_part() -> None:
    ev = one(
        "On 3 March 2021 the ILO held a forum on pensions in Almaty. Taking part were delegates of the ITUC; "
        "members of the Friedrich-Ebert-Stiftung."
    )
    assert ITUC in ev.attendees and FES in ev.attendees
    ev = one("On 3 March 2021 the ILO held a forum on pensions in Almaty. The ITUC was the subject of a report.")
    assert ITUC not in ev.attendees  # no participation cue: named, not present
    ev = one("On 3 March 2021 the ILO held a forum in Almaty. Delegates of the ITUC were among the participants.")
    assert ITUC in ev.attendees


def test_a_person_named_inside_an_organisations_name_is_not_named_apart() -> None:
    text = "The Headquarters of Ivan Petrov met the ITUC."
    hq, person = ID + "org/hq", ID + "person/ivan-petrov"
    ctx = Context("t", text, "en")
    ctx.entities = {
        hq: Entity(hq, ORG, (), (Label("Headquarters of Ivan Petrov", "en"),)),
        person: Entity(person, PERSON, (), (Label("Ivan Petrov", "en"),)),
        ITUC: Entity(ITUC, ORG, (), (Label("ITUC", "en"),)),
    }
    ctx.add_mentions([Mention(4, 27, text[4:27], hq), Mention(20, 27, text[20:27], person)])
    ctx.add_mentions([Mention(36, 40, "ITUC", ITUC)])
    assert [m.entity for m in ctx.named(0, len(text))] == [hq, ITUC]


def test_who_signs_a_memorandum_at_a_meeting_took_part_in_the_meeting() -> None:
    x = run(
        "A joint meeting of transport unions took place in Pavlodar on 2 June 2021.\n\n"
        "The agreement was signed on behalf of the ITUC by its President Anna Lindqvist and on behalf of the "
        "Friedrich-Ebert-Stiftung by its director Omar Haddad."
    )
    (ev,) = x.events
    assert x.memoranda and {ITUC, FES} <= set(ev.attendees)
    assert any("lindqvist" in w for w in ev.attendees) and any("haddad" in w for w in ev.attendees)


def test_a_phrase_of_time_that_names_no_event_frames_nothing() -> None:
    ev = one(
        "110-я сессия Международной конференции труда открылась в Женеве. "
        "В ходе дискуссии с трибуны выступил Иван Сидоров — представитель МКП, делегат конференции.",
        "ru",
    )
    assert ITUC in ev.attendees  # "в ходе дискуссии" frames no event: the speaker is at the session
