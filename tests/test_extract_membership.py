"""Membership of organisations in organisations and membership figures, from short texts written for the
tests, and their quads in the document graph (org:memberOf, lkg:memberCount)."""

from __future__ import annotations

from pyoxigraph import Literal, NamedNode

from kg.corpus import Record
from kg.docgraph import document_quads
from kg.namespaces import INSTANCE_BASE as ID
from kg.namespaces import LKG, ORG, XSD
from kg.pipeline import Extraction, extract


def run(text: str, lang: str | None = None) -> Extraction:
    return extract(Record(id="t", text=text, lang=lang, published="2021-05-04"))


def test_member_organisation_named_before_the_cue() -> None:
    x = run("The FTURK, a member organisation of the ITUC, sent a delegation to Brussels.")
    assert (ID + "org/fturk", ID + "org/ituc") in x.memberships
    x = run("The FTURK is affiliated to the ITUC and works with the ILO.")
    assert x.memberships == ((ID + "org/fturk", ID + "org/ituc"),)


def test_russian_membership_cues() -> None:
    x = run("ФПРК входит в состав МКП с 2010 года.", "ru")
    assert (ID + "org/fturk", ID + "org/ituc") in x.memberships


def test_a_person_is_the_member_after_a_post_and_a_comma() -> None:
    x = run("Сатыбалды Даулеталин, Председатель ФПРК, член Административного совета МОТ, выступил.", "ru")
    assert x.memberships == ()


def test_organisations_merely_named_together_are_not_members() -> None:
    assert run("The FTURK and the ITUC signed a memorandum.").memberships == ()


def test_membership_figures_in_both_languages() -> None:
    x = run("Today the FTURK unites 1.6 million trade union members in 20 sectoral unions.")
    assert x.member_counts == ((ID + "org/fturk", 1_600_000),)
    x = run("The FTURK brings together 2,130 primary organisations and 254,300 trade union members.")
    assert x.member_counts == ((ID + "org/fturk", 254_300),)
    x = run("ФПРК объединяет более 2 млн членов профсоюзов.", "ru")
    assert x.member_counts == ((ID + "org/fturk", 2_000_000),)


def test_a_number_of_members_without_a_verb_of_membership_is_not_a_figure() -> None:
    assert run("The FTURK met 40 members of parliament.").member_counts == ()


def test_memberships_and_figures_are_in_the_document_graph() -> None:
    record = Record(id="t", text="The FTURK, a member of the ITUC, unites 1.6 million members.", published="2021-05-04")
    quads = {(q.subject, q.predicate, q.object) for q in document_quads(record, extract(record))}
    fturk = NamedNode(ID + "org/fturk")
    assert (fturk, NamedNode(ORG + "memberOf"), NamedNode(ID + "org/ituc")) in quads
    assert (fturk, NamedNode(LKG + "memberCount"), Literal("1600000", datatype=NamedNode(XSD + "integer"))) in quads


def test_units_created_under_an_organisation() -> None:
    x = run("The Coordination Council, which was created under the FTURK, met in Astana.")
    assert (ID + "org/coordination-council", ID + "org/fturk") in x.units
    x = run("Совет молодёжи, созданный при ФПРК, провёл семинар.", "ru")
    assert any(parent == ID + "org/fturk" for _, parent in x.units)


def test_units_are_sub_organisations_in_the_document_graph() -> None:
    text = "The Coordination Council, which was created under the FTURK, met."
    record = Record(id="t", text=text, published="2021-05-04")
    quads = {(q.subject, q.predicate, q.object) for q in document_quads(record, extract(record))}
    unit = next(u for u, _ in extract(record).units)
    assert (NamedNode(unit), NamedNode(ORG + "subOrganizationOf"), NamedNode(ID + "org/fturk")) in quads
