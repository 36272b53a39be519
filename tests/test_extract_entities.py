"""Extraction on short texts written for the tests: gazetteer aliases in three languages, typos,
organisation and person patterns, memoranda, posts, conventions and events."""

from __future__ import annotations

import pickle

from kg.corpus import Record
from kg.namespaces import INSTANCE_BASE as ID
from kg.pipeline import Extraction, extract


def run(text: str, lang: str | None = None, published: str | None = "2019-03-01") -> Extraction:
    return extract(Record(id="t", text=text, lang=lang, published=published))


def mentioned(x: Extraction) -> set[str]:
    return {m.entity for m in x.mentions}


def test_inflected_russian_name_resolves_to_the_reference_organisation() -> None:
    x = run("Делегация Федерации профсоюзов Республики Казахстан прибыла в Женеву.")
    assert ID + "org/fturk" in mentioned(x)
    assert ID + "city/2660646" in mentioned(x)  # Geneva, from places.ttl


def test_acronyms_and_spellings_in_three_languages() -> None:
    assert ID + "org/fturk" in mentioned(run("The FPRK and the ITUC met."))
    assert ID + "org/ituc" in mentioned(run("The FPRK and the ITUC met."))
    assert ID + "org/ilo" in mentioned(run("Представители МОТ выступили."))
    assert ID + "org/fturk" in mentioned(run("ҚР Кәсіподақтар федерациясының өкілдері келді.", "kk"))


def test_acronyms_match_only_in_capitals() -> None:
    assert ID + "org/un" not in mentioned(run("They met un-officially."))


def test_misspelt_reference_person_resolves_by_fuzzy_matching() -> None:
    x = run("ILO Director-General Gilbert Hungboe said the conference was a success.")
    assert ID + "person/gilbert-f-houngbo" in mentioned(x)


def test_new_organisation_found_by_its_head_noun_with_country() -> None:
    x = run(
        "The Confederation of Trade Unions of Moldavia Example signed nothing. "
        "The Lebap Trade Union Association of Turkmenistan sent a message."
    )
    org = next(e for e in x.entities if e.iri == ID + "org/lebap-trade-union-association-of-turkmenistan")
    assert org.country == ID + "country/TM"
    assert org.labels[0].text == "Lebap Trade Union Association of Turkmenistan"


def test_new_russian_organisation_gets_a_nominative_label() -> None:
    x = run("Лидер Федерации независимых профсоюзов Таджикистана выступил с речью.")
    assert ID + "org/fnpt" in mentioned(x)
    x = run("Представители Гражданского альянса Казахстана выступили.")
    labels = [e.labels[0].text for e in x.entities if e.kind == "org"]
    assert "Гражданский альянс Казахстана" in labels


def test_person_with_post_and_organisation() -> None:
    x = run(
        "Nina Petrovna Exampleva, Deputy Director of the Federation of Trade Unions of Kazakhstan, opened the forum."
    )
    post = next(p for p in x.posts if p.person == ID + "person/nina-petrovna-exampleva")
    assert (post.role, post.organization) == ("Deputy Director", ID + "org/fturk")
    assert post.iri == ID + "post/deputy-director-of-fturk"


def test_memoranda_signed_with_unions_of_listed_countries_give_one_per_country() -> None:
    x = run(
        "The FTURK has signed memorandums of cooperation with trade union organisations of friendly countries, "
        "such as Armenia, Georgia and Mongolia."
    )
    parties = sorted(m.parties for m in x.memoranda)
    assert parties == [
        (ID + "org/fturk", ID + "org/trade-unions-of-armenia"),
        (ID + "org/fturk", ID + "org/trade-unions-of-georgia"),
        (ID + "org/fturk", ID + "org/trade-unions-of-mongolia"),
    ]
    armenia = next(e for e in x.entities if e.iri == ID + "org/trade-unions-of-armenia")
    assert armenia.labels[0].text == "Trade unions of Armenia" and armenia.country == ID + "country/AM"
    titles = sorted(m.names[0].text for m in x.memoranda)
    assert titles[0].endswith(" and Trade unions of Armenia"), titles


def test_memorandum_between_two_named_organisations() -> None:
    x = run(
        "On 4 March 2019 in Astana the FTURK and the Federation of Trade Unions of Uzbekistan signed a "
        "memorandum of cooperation."
    )
    (memo,) = x.memoranda
    assert set(memo.parties) == {ID + "org/fturk", ID + "org/ftuu"}
    assert memo.date == "2019-03-04" and memo.location == ID + "city/1526273"


def test_conventions_by_number_and_calls_to_ratify() -> None:
    x = run(
        "The ITUC urged the government to ratify ILO Convention No. 190 and Conventions Nos. 81, 129 and 133. "
        "Конвенция МОТ № 87 также обсуждалась."
    )
    numbers = sorted(e.number for e in x.entities if e.kind == "convention")
    assert numbers == [81, 87, 129, 133, 190]
    calls = {(link.agent, link.instrument) for link in x.instrument_links if link.kind == "call"}
    assert (ID + "org/ituc", ID + "convention/C190") in calls


def test_event_with_date_range_place_and_organiser() -> None:
    x = run("The ILO seminar on youth employment was held on 13-16 February 2018 in Turin.")
    (ev,) = x.events
    assert (ev.start, ev.end, ev.location) == ("2018-02-13", "2018-02-16", ID + "city/3165524")
    assert ID + "org/ilo" in ev.organizers
    assert any(n.text == "ILO seminar" for n in ev.names)


def test_ilc_session_gets_its_reference_iri_and_year() -> None:
    x = run(
        "The delegation attended the 111th session of the International Labour Conference in Geneva.", published=None
    )
    (ev,) = x.events
    assert ev.iri == ID + "ilc/111" and ev.session_number == 111 and ev.start.startswith("2023")


def test_extraction_pickles_and_is_deterministic() -> None:
    text = "The FTURK delegation met ITUC General Secretary Sharan Burrow in Brussels on 5 June 2019."
    a, b = run(text), run(text)
    assert a == b
    assert pickle.loads(pickle.dumps(a)) == a


def test_russian_region_gets_the_english_name_of_its_city() -> None:
    x = run("Семинар прошёл в Костанайской области.")
    region = next(e for e in x.entities if e.kind == "place")
    assert region.labels[0].text == "Kostanay Region"
    assert "Костанайская область" in [lab.text for lab in region.labels]


def test_names_with_initials_are_people() -> None:
    x = run("The statement was read by V.V. Examplov and later by Ivanova T.T. at the plenary.")
    people = sorted(e.labels[0].text for e in x.entities if e.kind == "person")
    assert people == ["Ivanova T.T", "V.V. Examplov"]


def test_tripartite_agreement_parties_are_the_social_partners() -> None:
    x = run(
        "In Astana the Government of the Republic of Kazakhstan signed a new General Agreement with the "
        "national associations of trade unions and the regional associations of employers."
    )
    (memo,) = x.memoranda
    assert set(memo.parties) == {
        ID + "org/regional-associations-of-employers",
        ID + "org/national-associations-of-trade-unions",
        ID + "org/government-kz",
    }


def test_country_codes_in_capitals_and_common_spellings_are_places() -> None:
    x = run("Delegates came from Poland, the UK and Ukraina; nobody from the uk office.")
    assert {ID + "country/GB", ID + "country/UA"} <= mentioned(x)
    assert sum(m.entity == ID + "country/GB" for m in x.mentions) == 1


def test_region_inside_an_organisation_name_is_a_place_and_the_event_location() -> None:
    x = run("On 2 March 2022 the Trade Union Centre of the Kyzylorda region convened a plenary meeting.")
    (ev,) = x.events
    assert ev.location == ID + "region/KZ-43"
    assert ID + "region/KZ-43" in mentioned(x)


def test_quoted_venue_gives_way_to_the_region_it_is_in() -> None:
    x = run("Young teachers gathered for a seminar at the resort “Merke” in Zhambyl region on 3 May.")
    (ev,) = x.events
    assert ev.location == ID + "region/KZ-31"


def test_location_from_the_next_sentence_that_says_where_it_took_place() -> None:
    x = run(
        "On 8 October 2019 the FTURK held an international roundtable on education. "
        "It took place in Astana one day ahead of the congress."
    )
    ev = next(e for e in x.events if any("roundtable" in n.text for n in e.names))
    assert ev.location == ID + "city/1526273"


def test_undated_event_takes_the_year_of_the_first_full_date_without_a_document_date() -> None:
    x = run(
        "Round table on the draft law. The bill was discussed on 11 December 2013 by experts.",
        published=None,
    )
    assert all(e.start == "2013" for e in x.events if e.start and len(e.start) == 4)


def test_meeting_verb_gives_descriptions_with_names_as_written() -> None:
    x = run("In Geneva B. Abdirayym, the head of FTURK, met Guy Rayderem of the ILO.")
    (ev,) = x.events
    texts = [n.text for n in ev.names]
    assert "Talks of B. Abdirayym with Guy Rayderem" in texts
    assert texts[0] != "met"


def test_lower_case_noun_after_an_article_is_part_of_the_event_name() -> None:
    x = run("During a solidarity meeting on 2 March, the ITUC promised help to the miners.")
    (ev,) = x.events
    assert any(n.text == "solidarity meeting" for n in ev.names)


def test_gerund_before_an_event_noun_is_a_verb_not_a_name() -> None:
    x = run("All week the FTURK team kept holding negotiations with employers.")
    assert all("holding" not in n.text for e in x.events for n in e.names)


def test_dated_ilc_without_a_number_is_that_years_session() -> None:
    x = run("Председатель ФПРК принял участие в Международной конференции труда (5-16 июня, г. Женева).", "ru")
    (ev,) = x.events
    assert ev.iri == ID + "ilc/108" and ev.location == ID + "city/2660646"


def test_each_event_of_a_list_takes_the_place_in_its_own_brackets() -> None:
    x = run(
        "The delegation took part in the following events: the ETUC Congress (21-24 May 2019, Vienna, Austria); "
        "the 108th session of the ILC (10-21 June, Geneva)."
    )
    where = {e.start: e.location for e in x.events}
    assert where == {"2019-05-21": ID + "city/2761369", "2019-06-10": ID + "city/2660646"}


def test_a_meeting_verb_is_never_the_events_name() -> None:
    x = run("On the margins of the conference, the FTURK delegation met with the leaders of the ITUC.")
    ev = next(e for e in x.events if e.types[0].endswith("Meeting"))
    assert not ev.names[0].text.startswith("met")


def test_acronym_before_a_committee_names_a_unit_of_that_organisation() -> None:
    x = run("Delegates from the PERC Youth Committee wrote to the ETUC Youth Committee and the ITUC.")
    parents = {e.labels[0].text: e.parent for e in x.entities if e.kind == "org"}
    assert parents["PERC Youth Committee"] == ID + "org/perc"
    assert parents["ETUC Youth Committee"] == ID + "org/etuc"
    x = run("Delegates sat on the FPRK Commission on Working Women.")
    assert "Commission on Working Women" in {e.labels[0].text for e in x.entities}


def test_a_name_short_for_a_shorter_name_goes_to_the_full_name() -> None:
    from kg.pipeline.model import Entity, Label
    from kg.pipeline.resolve import _shortened_names

    def org(slug: str, label: str) -> Entity:
        return Entity(ID + "org/" + slug, "org", (), (Label(label, "en"),))

    names = [
        org("a", "Youth Council"),
        org("b", "Youth Council of Unions"),
        org("c", "KELESHEK Youth Council of Unions of Kazakhstan"),
    ]
    entities = {e.iri: e for e in names}
    assert _shortened_names(entities, set(entities)) == {ID + "org/a": ID + "org/c", ID + "org/b": ID + "org/c"}


def test_every_mention_points_to_an_extracted_entity_when_short_names_nest() -> None:
    text = (
        "НА IV ЗАСЕДАНИИ СПСЦА ПРОФСОЮЗЫ ЦЕНТРАЛЬНОЙ АЗИИ ПОДПИСАЛИ СОГЛАШЕНИЕ О ТРУДОВОЙ МИГРАЦИИ\n"
        "ИТОГИ КОНКУРСА «ЛУЧШИЙ КОЛЛЕКТИВНЫЙ ДОГОВОР ПРОФСОЮЗОВ СТРАН ЦЕНТРАЛЬНОЙ АЗИИ 2023 ГОДА»."
    )
    x = run(text, "ru")
    assert {m.entity for m in x.mentions} <= {e.iri for e in x.entities}


CENTRAL_ASIA = ID + "region/central-asia"


def test_parts_of_the_world_are_places_in_three_languages() -> None:
    assert CENTRAL_ASIA in mentioned(run("Unions across the Central Asian region face the same problems."))
    assert CENTRAL_ASIA in mentioned(run("Обсудили трудовую миграцию в государствах Центральной Азии.", "ru"))
    assert ID + "region/europe-and-central-asia" in mentioned(
        run("Beata Andrees, Regional Director of the ILO for Europe and Central Asia, spoke."))


def test_a_part_of_the_world_is_never_where_an_event_was_held() -> None:
    x = run("On 5 May 2023 the trade unions of Central Asia held a regional conference in Astana.")
    (ev,) = x.events
    assert ev.location == ID + "city/1526273"
    alone = run("On 5 May 2023 the trade unions of Central Asia held a regional conference.")
    assert all(ev.location != CENTRAL_ASIA for ev in alone.events)


def test_a_part_of_the_world_that_a_unit_or_a_title_covers_is_no_place() -> None:
    unit = run("Sergejus Glovackas, Head of Central Asia and Eastern Europe Section of ACTRAV, spoke.")
    assert not {CENTRAL_ASIA, ID + "region/eastern-europe"} & mentioned(unit)
    russian = run("Сергеюс Гловацкас, руководитель отдела Европы и Центральной Азии АCTRAV/МОТ, выступил.", "ru")
    assert CENTRAL_ASIA not in mentioned(russian)
    title = run("– the seminar “Youth in the trade union movement of Central Asia” (11-12 July, Cholpon-Ata);")
    assert CENTRAL_ASIA not in mentioned(title)


def test_a_part_of_the_world_inside_an_organisations_name_is_no_place() -> None:
    x = run("The Trade Union Centre of the Central Asian region met in Bishkek on 3 May 2023.")
    assert CENTRAL_ASIA not in mentioned(x)
    assert ID + "city/1528675" in mentioned(x)


def test_a_quoted_name_between_mismatched_quotation_marks_is_the_same_organisation_in_full() -> None:
    x = run(
        "The Public Fund “Steppe chess club of the Trade union” signed a memorandum with the ITUC.\n\n"
        "Public Fund ” Steppe chess and draughts club of trade unions»"
    )
    orgs = {e.iri: e for e in x.entities if e.kind == "org"}
    (club,) = [e for e in orgs.values() if "chess" in e.labels[0].text]
    assert "draughts" in club.labels[0].text  # the shorter form is the fuller one's, whose plural it ignores
    assert sum(1 for m in x.mentions if m.entity == club.iri) == 2


def test_a_kazakh_name_starts_at_its_place_or_at_its_capitalised_words_but_not_at_the_sentence_opening() -> None:
    def orgs(text: str) -> list[str]:
        x = extract(Record(id="t", text=text, lang="kk", published="2021-11-25"))
        return [e.labels[0].text for e in x.entities if e.kind == "org"]

    assert "Қырғызстан кәсіподақтары федерациясы" in orgs(
        "2019 жылғы 4 қазанда Қырғызстан кәсіподақтары федерациясы келісімге қол қойды."
    )
    assert "Фридрих Эберт қоры" in orgs("Семинар Фридрих Эберт қорының қолдауымен өтті.")
    assert not any(o.startswith("Отырыс") for o in orgs("Отырыс Федоров ауданы кәсіподақ ұйымында өтті."))


def test_a_kazakh_regional_adjective_names_no_region() -> None:
    x = extract(Record(id="t", text="Семинарға облыстық кәсіподақ бірлестіктерінің өкілдері қатысты.", lang="kk"))
    assert not any(e.kind == "place" for e in x.entities)
