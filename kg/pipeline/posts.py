"""Step: posts held by people ("FTURK Chairman Satybaldy Dauletalin", "Eduard Tumasyan, who chairs the
Confederation ...", "Nina Osmanova, Deputy Director of the Department ...", "Председатель ФПРК ...")."""

from __future__ import annotations

import re

from kg.namespaces import entity_iri
from kg.pipeline.context import Context
from kg.pipeline.coreference import names_a_group
from kg.pipeline.gazetteer import gazetteer
from kg.pipeline.lexicon import EN_POSTS, KK_POSTS, RU_POSTS
from kg.pipeline.model import ORG, PERSON, Post
from kg.pipeline.tokens import ru_lemma

_CHAIRS = re.compile(r"^,?\s*who\s+(?:chairs|heads|leads)\b", re.I)


def find_posts(ctx: Context) -> list[Post]:
    posts: dict[str, Post] = {}
    for a, b in ctx.sentences:
        persons = ctx.in_span(a, b, PERSON)
        orgs = [m for m in ctx.in_span(a, b, ORG) if not names_a_group(ctx, m)]  # a delegation holds no posts
        toks = ctx.tokens_in(a, b)
        for pm in persons:
            role, role_end, role_start = _role_near(ctx, toks, pm.start, pm.end)
            if _CHAIRS.match(ctx.text[pm.end : pm.end + 20]):
                role, role_end, role_start = "Chairman", pm.end + 20, pm.end
            if not role:
                continue
            org = _org_near(orgs, pm, role_start, role_end)
            if org is None:
                continue
            org_name = org.rsplit("/", 1)[-1]
            iri = entity_iri("post", f"{role} of {org_name}", ctx.base)
            known = [lab.text for lab in gazetteer().other_labels.get(iri, []) if lab.lang == "en"]
            label = known[0] if known else f"{role} of {_org_label(ctx, org)}"
            posts[pm.entity + iri] = Post(iri, label, role, pm.entity, org)
    return sorted(posts.values(), key=lambda p: (p.person, p.iri))


def _role_near(ctx: Context, toks, start: int, end: int) -> tuple[str, int, int]:
    lex = EN_POSTS if ctx.lang == "en" else RU_POSTS if ctx.lang == "ru" else KK_POSTS
    before = [t for t in toks if t.end <= start][-6:]
    after = [t for t in toks if t.start >= end][:4]
    for group in (list(reversed(before)), after):
        for t in group:
            key = t.key if ctx.lang == "en" else ru_lemma(t.text) if ctx.lang == "ru" else t.text.lower()
            role = lex.get(key)
            nxt_tok = next((x for x in toks if x.start > t.end), None)
            if (
                (role in ("Deputy", "") or key in ("deputy", "vice", "first"))
                and nxt_tok is not None
                and nxt_tok.start - t.end <= 2
            ):
                nkey = nxt_tok.key if ctx.lang == "en" else ru_lemma(nxt_tok.text)
                if lex.get(nkey):
                    base = lex[nkey]
                    role = base if base.startswith("Deputy") else f"Deputy {base}"
                    t = nxt_tok
            if role:
                prev = ctx.text[max(0, t.start - 20) : t.start].lower()
                if re.search(r"(deputy|vice|заместитель|орынбасары)[\s-]*$", prev) and not role.startswith("Deputy"):
                    role = "Deputy " + role
                nxt = ctx.text[t.end : t.end + 12].lower()
                if role == "Secretary" and re.match(r"\s*(general|генеральн)", prev[-12:] + nxt[:0]):
                    role = "General Secretary"
                if re.match(r"\s*general\b", nxt) and role in ("Secretary", "Director"):
                    role = "General Secretary" if role == "Secretary" else "Director-General"
                if "генеральн" in prev[-14:] and role == "Secretary":
                    role = "General Secretary"
                return role, t.end, t.start
    return "", 0, 0


def _org_near(orgs, pm, role_start: int, role_end: int) -> str | None:
    after = [m for m in orgs if m.start >= role_end and m.start - role_end < 40 and m.entity != pm.entity]
    if after and (role_start > pm.end or after[0].start < pm.start):
        return after[0].entity
    before = [m for m in orgs if m.end <= role_start and role_start - m.end < 4]
    if before:
        return before[-1].entity
    return after[0].entity if after else None


def _org_label(ctx: Context, org: str) -> str:
    labels = ctx.entities[org].labels
    short = [lab.text for lab in labels if lab.text.isupper() and len(lab.text) <= 8]
    return short[0] if short else labels[0].text
