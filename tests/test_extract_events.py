"""The events step on sentences written for the tests (other people, places and events than the corpus):
the trigger table in three languages, parts of larger events, several meetings in one text."""

from __future__ import annotations

from kg.corpus import Record
from kg.namespaces import INSTANCE_BASE as ID
from kg.namespaces import LKG
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


def test_a_meeting_dated_within_a_reported_session_and_held_where_it_is_held_is_one_of_its_parts() -> None:
    x = run(
        "The 111th Session of the International Labour Conference is held in Geneva from 5 to 16 June 2023.\n\n"
        "On 8 June, delegates of the ITUC took part in a sitting of the Committee on the Application of "
        "Standards. On 20 June, the ITUC held a meeting with the ILO in Geneva.",
        published="2023-06-21",
    )
    session = next(ev for ev in x.events if ev.session_number == 111)
    sitting = next(ev for ev in x.events if ev.start == "2023-06-08")
    later = next(ev for ev in x.events if ev.start == "2023-06-20")
    assert sitting.super_event == session.iri and later.super_event is None
    assert ITUC in session.attendees  # the delegates of the sitting were at the session
    committee = next(e.iri for e in x.entities if e.labels[0].text == "Committee on the Application of Standards")
    assert committee not in session.attendees  # a body of the Conference at its own sitting is no delegation


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


def test_a_verb_of_happening_makes_an_event_told_by_its_kind_alone_particular() -> None:
    x = run("The Coastal Fishers' Council has held its final meeting of the season. It thanked the ITUC.")
    assert kinds(x) == ["Meeting"]
    assert kinds(run("Сегодня в Караганде проходит семинар для профсоюзных активистов.", "ru")) == ["Seminar"]
    assert run("A meeting is a good way to talk, the ITUC said.").events == ()  # no happening: no event


def test_a_russian_event_noun_in_the_plural_is_several_events_not_one() -> None:
    assert run("В Караганде 3 марта 2022 года прошли интересные сессии на разные темы.", "ru").events == ()
    assert kinds(run("В Караганде 3 марта 2022 года прошли переговоры МКП и МОТ.", "ru")) == ["Negotiation"]


def test_a_kazakh_title_stands_before_its_event_noun_not_after_the_one_before() -> None:
    x = run(
        "Павлодарда кәсіподақ съезі өтті. Съезд аясында «Жастар және еңбек» тақырыбына арналған халықаралық "
        "конференция ұйымдастырылды.",
        "kk",
    )
    names = {ev.types[0].rsplit("#", 1)[-1]: [n.text for n in ev.names] for ev in x.events}
    assert names["Conference"][0] == "Жастар және еңбек"
    assert "Жастар және еңбек" not in names["Congress"]


def test_a_quoted_topic_in_the_next_sentence_titles_the_event() -> None:
    x = run(
        "Сегодня в Павлодаре проходит семинар для молодых профсоюзных лидеров. Участники обсудят тему, "
        "важную для всех, — «Цифровая экономика и права работников».",
        "ru",
    )
    (ev,) = x.events
    assert ev.names[0].text == "Цифровая экономика и права работников"


def test_a_lower_case_conference_after_a_session_is_that_session() -> None:
    x = run(
        "В Женеве работает 110-я сессия Международной конференции труда. Делегат МКП выступил на конференции "
        "работников Республики Казахстан.",
        "ru",
    )
    assert [ev.session_number for ev in x.events] == [110]


def test_a_modifier_that_tells_one_occurrence_apart_makes_a_bare_event_particular() -> None:
    x = run("After the plenary, the ITUC leader used a bilateral meeting to raise the pension question.")
    assert kinds(x) == ["Meeting"]
    x = run("Ақтөбе облыстық кәсіподақ ұйымы 2021 жылғы 9 наурызда төралқасының көшпелі отырысын өткізді.", "kk")
    (ev,) = x.events
    assert ev.start == "2021-03-09" and ev.names[0].text == "төралқасының көшпелі отырысын"


def test_a_visit_introduced_by_an_indefinite_article_after_a_lead_is_another_visit() -> None:
    x = run(
        "In May, a delegation of the ITUC came to Pavlodar on a first official visit.\n\n"
        "Earlier, a delegation of the ILO went on a working visit to Tbilisi, to the Friedrich-Ebert-Stiftung."
    )
    assert kinds(x) == ["Visit", "Visit"]


def test_the_place_named_as_where_wins_over_one_in_a_name_of_the_same_rank() -> None:
    x = run("Ақтөбе облысы кәсіподақ ұйымы 2021 жылғы 9 наурызда Мұғалжар ауданында көшпелі отырыс өткізді.", "kk")
    (ev,) = x.events
    place = next(e for e in x.entities if e.iri == ev.location)
    assert "Mugalzhar District" in [lab.text for lab in place.labels]  # the district, with its English name


def test_a_city_of_the_country_an_event_is_told_in_is_where_it_was_held() -> None:
    x = run(
        "Рабочий визит в Кыргызстан\n\n"
        "8 февраля 2024 года делегация ФПРК находилась с рабочим визитом в Бишкеке.",
        "ru",
    )
    (visit,) = x.events
    bishkek = next(e for e in x.entities if e.labels[0].text in ("Бишкек", "Bishkek"))
    assert visit.location == bishkek.iri


def test_a_russian_event_name_keeps_its_adjective_and_never_ends_with_a_preposition() -> None:
    x = run("8 февраля 2024 года делегация ФПРК совершила рабочий визит в Бишкек.", "ru")
    names = [n.text for n in x.events[0].names]
    assert names[0] == "рабочий визит" and not any(n.endswith(" в") for n in names)


def test_a_bare_conference_framing_a_meeting_in_a_session_report_is_the_session() -> None:
    x = run(
        "С 10 по 21 июня 2019 года в Женеве проходила 108-я сессия Международной конференции труда. "
        "В работе Конференции приняли участие представители ФПРК. "
        "В рамках Конференции состоялась встреча с Генеральным секретарём Международной конфедерации профсоюзов.",
        "ru",
    )
    (session,) = [ev for ev in x.events if ev.session_number == 108]
    (meeting,) = [ev for ev in x.events if ev is not session]
    assert meeting.super_event == session.iri and ITUC in meeting.attendees
    assert ID + "org/ilc" not in session.attendees  # the Conference is the session, not one of its participants


def test_the_delegation_alone_stands_for_the_organisation_it_was_introduced_with() -> None:
    x = run("The ITUC delegation came on 3 May 2023. On 4 May 2023 the delegation held talks with the ILO in Almaty.")
    (talks,) = x.events
    assert {ITUC, ILO} <= set(talks.attendees)
    assert not any("delegation" in n.text for n in talks.names)  # no event is named after a group word


def test_the_russian_delegation_alone_stands_for_its_organisation_and_an_unowned_one_for_nobody() -> None:
    x = run(
        "3 мая 2023 года делегация МКП прибыла в Алматы. Делегация провела переговоры с представителями МОТ.",
        "ru",
    )
    (talks,) = [ev for ev in x.events if ev.types[0].endswith("Negotiation")]
    assert {ITUC, ILO} <= set(talks.attendees)
    x = run("3 мая 2023 года делегация прибыла в Алматы. Делегация провела переговоры с представителями МОТ.", "ru")
    assert all(set(ev.attendees) <= {ILO} for ev in x.events)


def test_a_body_that_meets_is_a_meeting_of_that_body_and_its_parent_is_no_second_party() -> None:
    (ev,) = run("The ITUC General Council met online on 28-29 September 2021.").events
    council = ID + "org/ituc-general-council"
    assert ev.attendees == (council,) and ev.names[0].text == "Meeting of ITUC General Council"
    assert run("The ITUC met online on 28 September 2021.").events == ()  # an organisation alone meets no one


def test_the_headline_meeting_is_the_one_with_its_partner_or_a_unit_of_it_not_a_bodys_own_meeting() -> None:
    x = run(
        "Meeting with the ILO\n\n"
        "On 26 February 2019 the FTURK met with the ILO Decent Work Technical Support Team and Country Office "
        "for Eastern Europe and Central Asia in Astana. On 28 February the FTURK Council meeting took place in Astana.",
        published="2019-03-01",
    )
    council = ID + "org/fturk-council"
    with_ilo = next(ev for ev in x.events if ev.start == "2019-02-26")
    assert ILO in with_ilo.attendees and council not in with_ilo.attendees + with_ilo.organizers
    assert any(council in ev.organizers and ev.start == "2019-02-28" for ev in x.events)


def test_a_kazakh_session_numbered_with_a_hyphen_is_that_ilc_session() -> None:
    x = run(
        "2022 жылғы 27 мамыр мен 11 маусым аралығында Женева қаласында Халықаралық еңбек конференциясының "
        "110-сессиясы өтті.",
        "kk",
    )
    assert [ev.session_number for ev in x.events] == [110]


def test_an_event_told_with_a_year_alone_is_placed_in_that_year_not_the_documents() -> None:
    x = run("The ITUC General Council met online on 28 September 2021. It prepared the ITUC World Congress, which "
            "will take place in 2022.", published="2021-09-30")
    congress = next(ev for ev in x.events if ev.types[0].endswith("Congress"))
    assert congress.start == "2022"
    x = run("В 2019 году в Алматы Федерация провела семинар по охране труда.", "ru", published="2021-09-30")
    assert x.events[0].start == "2019"


def test_celebrations_of_an_anniversary_are_one_event_named_after_what_they_mark() -> None:
    x = run("On 19 April 2019, celebrations marking the 100th anniversary of the ILO took place in Almaty. "
            "The event was organised by the ITUC.", published="2019-04-20")
    (ev,) = x.events
    assert ev.types[0] == LKG + "Celebration" and ev.start == "2019-04-19"
    assert ev.names[0].text == "celebrations marking the 100th anniversary of the ILO"
    assert ITUC in ev.organizers  # a passive agent in the next sentence organised the event told before
    (ev,) = run("4 июня 2016 года в Алматы прошли торжественные мероприятия, посвящённые 25-летию МКП.", "ru").events
    assert ev.types[0] == LKG + "Celebration"  # a plural that names one event


def test_a_declared_year_is_a_programme_through_that_year_organised_by_who_declared_it() -> None:
    (ev,) = run("The ITUC declared 2021 the Year of Decent Work.", published="2021-01-15").events
    assert ev.types[0] == LKG + "Programme" and ev.start == "2021" and ev.end == "2021"
    assert ev.names[0].text == "Year of Decent Work" and ev.organizers == (ITUC,)
    (ev,) = run("Решением МКП 2022 год объявлен Годом охраны труда.", "ru", published="2022-01-20").events
    assert ev.names[0].text == "Год охраны труда" and ev.start == "2022" and ev.organizers == (ITUC,)
    assert run("The ITUC declared the 2021 report a success.", published="2021-01-15").events == ()
