"""The headings and labels of a persona's Markdown, in the persona's language.

A persona written with ``--language no`` read "## What drives them", "**Goals**", "**Challenges**" above its
Norwegian sentences. The labels follow the persona's language (``provenance.language``) where it is listed
here — the languages `personas.wording` words the code's claims in — and stay English elsewhere; so do the
buyer types' names (`buyer_type_name`). Evidence ids, figures and the journey's stage names (the model's) are
not translated.
"""

from __future__ import annotations

from typing import get_args

from persona_agent.personas.schema import BuyerType

_KEYS = ("in_their_words", "who_they_are", "situation", "what_drives_them", "goals", "values", "challenges", "fears",
         "how_they_buy", "decision_criteria", "channels", "triggers", "research_habits", "rhythm", "spend",
         "objections", "objection", "response", "journey", "stage", "thinking", "feeling", "doing", "win", "why_us",
         "marketing_message", "tone", "themes", "theme", "people", "share", "lift", "buyer_type", "segment",
         "of_respondents", "of_revenue", "left_empty", "provenance", "generated", "open_issues", "inference",
         "buyer_type_reason", "age_band", "gender", "location", "income_band", "education", "family", "occupation",
         "company_size", "industry", "role", "team_size", "selling_points", "quotes", "work", "objections_short")

_TABLE: dict[str, tuple[str, ...]] = {
    "en": ("In their words", "Who they are", "situation", "What drives them", "Goals", "Values", "Challenges", "Fears",
           "How they buy", "Decision criteria", "Channels", "Triggers", "How they research", "Buying rhythm", "Spend",
           "Objections and how to answer them", "objection", "response", "Journey", "stage", "thinking", "feeling",
           "doing", "How to win them", "Why us", "Marketing message", "Tone", "Themes behind this persona", "theme",
           "people", "share", "lift", "Buyer type", "Segment", "{share} % of survey respondents",
           "{share} % of linked revenue",
           "Left empty (nothing written for these passed the checks — see the open issues — or the research has "
           "nothing)", "Provenance",
           "Generated {at} by `{model}`; {rounds} critique round(s); {calls} LLM calls; {cited} evidence items cited; "
           "{removed} claims removed by the checks. Confidence: ●●● 5+ people or sources, ●●○ 2–4, ●○○ 1.",
           "Open issues", "inference", "buyer type reason", "age band", "gender", "location", "income band",
           "education", "family", "occupation", "company size", "industry", "role", "team size", "selling points",
           "quotes", "work", "objections"),
    "no": ("Med deres egne ord", "Hvem de er", "situasjon", "Hva som driver dem", "Mål", "Verdier", "Utfordringer",
           "Frykt", "Slik kjøper de", "Beslutningskriterier", "Kanaler", "Utløsere", "Slik undersøker de",
           "Kjøpsrytme", "Forbruk", "Innvendinger og hvordan svare på dem", "innvending", "svar", "Kundereise",
           "fase", "tenker", "føler", "gjør", "Slik vinner du dem", "Hvorfor oss", "Markedsbudskap", "Tone",
           "Temaene bak denne personaen", "tema", "personer", "andel", "løft", "Kjøpertype", "Segment",
           "{share} % av respondentene", "{share} % av koblet omsetning",
           "Tomt (ingenting skrevet her besto kontrollene — se de åpne punktene — eller forskningen har ingenting)",
           "Opphav",
           "Generert {at} av `{model}`; {rounds} kritikkrunde(r); {calls} LLM-kall; {cited} kilder sitert; "
           "{removed} påstander fjernet av kontrollene. Sikkerhet: ●●● 5+ personer eller kilder, ●●○ 2–4, ●○○ 1.",
           "Åpne punkter", "slutning", "begrunnelse for kjøpertype", "aldersgruppe", "kjønn", "bosted",
           "inntektsnivå", "utdanning", "familie", "yrke", "bedriftsstørrelse", "bransje", "rolle", "teamstørrelse",
           "salgsargumenter", "sitater", "arbeid", "innvendinger"),
    "da": ("Med deres egne ord", "Hvem de er", "situation", "Hvad der driver dem", "Mål", "Værdier", "Udfordringer",
           "Frygt", "Sådan køber de", "Beslutningskriterier", "Kanaler", "Udløsere", "Sådan undersøger de",
           "Købsrytme", "Forbrug", "Indvendinger og hvordan man svarer på dem", "indvending", "svar", "Kunderejse",
           "fase", "tænker", "føler", "gør", "Sådan vinder du dem", "Hvorfor os", "Markedsføringsbudskab", "Tone",
           "Temaerne bag denne persona", "tema", "personer", "andel", "løft", "Købertype", "Segment",
           "{share} % af respondenterne", "{share} % af koblet omsætning",
           "Tomt (intet skrevet her bestod kontrollerne — se de åbne punkter — eller undersøgelsen har intet)",
           "Oprindelse",
           "Genereret {at} af `{model}`; {rounds} kritikrunde(r); {calls} LLM-kald; {cited} kilder citeret; "
           "{removed} påstande fjernet af kontrollerne. Sikkerhed: ●●● 5+ personer eller kilder, ●●○ 2–4, ●○○ 1.",
           "Åbne punkter", "slutning", "begrundelse for købertype", "aldersgruppe", "køn", "bopæl", "indkomstniveau",
           "uddannelse", "familie", "beskæftigelse", "virksomhedsstørrelse", "branche", "rolle", "teamstørrelse",
           "salgsargumenter", "citater", "arbejde", "indvendinger"),
    "sv": ("Med egna ord", "Vilka de är", "situation", "Vad som driver dem", "Mål", "Värderingar", "Utmaningar",
           "Farhågor", "Så här köper de", "Beslutskriterier", "Kanaler", "Utlösare", "Så här söker de information",
           "Köprytm", "Utgifter", "Invändningar och hur man bemöter dem", "invändning", "svar", "Kundresa", "fas",
           "tänker", "känner", "gör", "Så vinner du dem", "Varför oss", "Marknadsbudskap", "Ton",
           "Teman bakom denna persona", "tema", "personer", "andel", "lyft", "Köpartyp", "Segment",
           "{share} % av respondenterna", "{share} % av kopplad omsättning",
           "Tomt (inget som skrevs här klarade kontrollerna — se de öppna punkterna — eller undersökningen har "
           "inget)", "Ursprung",
           "Genererad {at} av `{model}`; {rounds} kritikrunda/-or; {calls} LLM-anrop; {cited} källor citerade; "
           "{removed} påståenden borttagna av kontrollerna. Säkerhet: ●●● 5+ personer eller källor, ●●○ 2–4, ●○○ 1.",
           "Öppna punkter", "slutsats", "motivering av köpartyp", "åldersgrupp", "kön", "bostadsort", "inkomstnivå",
           "utbildning", "familj", "sysselsättning", "företagsstorlek", "bransch", "roll", "teamstorlek",
           "säljargument", "citat", "arbete", "invändningar"),
    "nl": ("In hun eigen woorden", "Wie ze zijn", "situatie", "Wat hen drijft", "Doelen", "Waarden", "Uitdagingen",
           "Angsten", "Zo kopen ze", "Beslissingscriteria", "Kanalen", "Aanleidingen", "Zo zoeken ze informatie",
           "Koopritme", "Besteding", "Bezwaren en hoe je ze beantwoordt", "bezwaar", "antwoord", "Klantreis", "fase",
           "denkt", "voelt", "doet", "Zo win je ze", "Waarom wij", "Marketingboodschap", "Toon",
           "Thema's achter deze persona", "thema", "mensen", "aandeel", "lift", "Kopertype", "Segment",
           "{share} % van de respondenten", "{share} % van de gekoppelde omzet",
           "Leeg (niets wat hier geschreven werd doorstond de controles — zie de open punten — of het onderzoek "
           "zegt er niets over)", "Herkomst",
           "Gegenereerd {at} door `{model}`; {rounds} kritiekronde(s); {calls} LLM-aanroepen; {cited} bronnen "
           "geciteerd; {removed} uitspraken verwijderd door de controles. Zekerheid: ●●● 5+ mensen of bronnen, "
           "●●○ 2–4, ●○○ 1.",
           "Open punten", "afleiding", "reden voor kopertype", "leeftijdsgroep", "geslacht", "woonplaats",
           "inkomensniveau", "opleiding", "gezin", "beroep", "bedrijfsgrootte", "branche", "rol", "teamgrootte",
           "verkoopargumenten", "citaten", "werk", "bezwaren"),
    "de": ("In ihren eigenen Worten", "Wer sie sind", "Situation", "Was sie antreibt", "Ziele", "Werte",
           "Herausforderungen", "Befürchtungen", "So kaufen sie", "Entscheidungskriterien", "Kanäle", "Auslöser",
           "So informieren sie sich", "Kaufrhythmus", "Ausgaben", "Einwände und wie man sie beantwortet", "Einwand",
           "Antwort", "Customer Journey", "Phase", "denkt", "fühlt", "tut", "So gewinnen Sie sie", "Warum wir",
           "Werbebotschaft", "Tonalität", "Themen hinter dieser Persona", "Thema", "Personen", "Anteil", "Lift",
           "Käufertyp", "Segment", "{share} % der Befragten", "{share} % des verknüpften Umsatzes",
           "Leer (nichts, was hier geschrieben wurde, hat die Prüfungen bestanden — siehe die offenen Punkte — oder "
           "die Forschung sagt nichts dazu)", "Herkunft",
           "Erzeugt {at} von `{model}`; {rounds} Kritikrunde(n); {calls} LLM-Aufrufe; {cited} Belege zitiert; "
           "{removed} Aussagen durch die Prüfungen entfernt. Sicherheit: ●●● 5+ Personen oder Quellen, ●●○ 2–4, "
           "●○○ 1.",
           "Offene Punkte", "Schlussfolgerung", "Begründung des Käufertyps", "Altersgruppe", "Geschlecht", "Wohnort",
           "Einkommensgruppe", "Bildung", "Familie", "Beruf", "Unternehmensgröße", "Branche", "Rolle", "Teamgröße",
           "Verkaufsargumente", "Zitate", "Arbeit", "Einwände"),
    "ru": ("Их собственными словами", "Кто они", "ситуация", "Что ими движет", "Цели", "Ценности", "Трудности",
           "Опасения", "Как они покупают", "Критерии выбора", "Каналы", "Поводы", "Как они ищут информацию",
           "Ритм покупок", "Расходы", "Возражения и как на них отвечать", "возражение", "ответ", "Путь клиента",
           "этап", "думает", "чувствует", "делает", "Как их завоевать", "Почему мы", "Рекламное сообщение", "Тон",
           "Темы, на которых основана персона", "тема", "человек", "доля", "лифт", "Тип покупателя", "Сегмент",
           "{share} % респондентов", "{share} % связанной выручки",
           "Пусто (ничего из написанного здесь не прошло проверки — см. открытые вопросы — или в исследовании "
           "ничего нет)", "Происхождение",
           "Создано {at} моделью `{model}`; раундов критики: {rounds}; вызовов LLM: {calls}; цитируемых источников: "
           "{cited}; утверждений удалено проверками: {removed}. Уверенность: ●●● 5+ человек или источников, "
           "●●○ 2–4, ●○○ 1.",
           "Открытые вопросы", "вывод", "обоснование типа покупателя", "возрастная группа", "пол", "место жительства",
           "уровень дохода", "образование", "семья", "занятость", "размер компании", "отрасль", "роль",
           "размер команды", "аргументы продажи", "цитаты", "работа", "возражения"),
}
# the one-pager's own labels (`personas.onepager`)
_PAGE_KEYS = ("no_evidence_here", "this_segment", "all_respondents", "legend", "counts", "full_persona", "evidence",
              "gone", "inferred", "pains_and_fears", "objection_cards", "price_sensitivity", "age", "income",
              "value_chart", "generated_short", "respondents_fact")
_PAGE: dict[str, tuple[str, ...]] = {
    "en": ("No evidence in the research.", "this segment", "all respondents",
           "Confidence: ●●● 5+ people or sources · ●●○ 2–4 · ●○○ 1. Numbers link to the evidence.",
           "{claims} claims · {evidence} evidence items", "{name}: the full persona", "Evidence",
           "Not in the evidence store any more.", "inferred", "Pains and fears", "Objections → answers",
           "Price sensitivity", "Age", "Income", "Value (RFM mix)",
           "Generated {at} by {model}; {rounds} critique round(s); {cited} evidence items cited; {removed} claims "
           "removed by the checks.", "{people} respondents, {share} % of all"),
    "no": ("Ingen belegg i forskningen.", "dette segmentet", "alle respondenter",
           "Sikkerhet: ●●● 5+ personer eller kilder · ●●○ 2–4 · ●○○ 1. Tallene lenker til belegget.",
           "{claims} påstander · {evidence} kilder", "{name}: hele personaen", "Belegg",
           "Ikke lenger i kildelageret.", "slutning", "Smerter og frykt", "Innvendinger → svar", "Prisfølsomhet",
           "Alder", "Inntekt", "Verdi (RFM-fordeling)",
           "Generert {at} av {model}; {rounds} kritikkrunde(r); {cited} kilder sitert; {removed} påstander fjernet av "
           "kontrollene.", "{people} respondenter, {share} % av alle"),
    "da": ("Ingen belæg i undersøgelsen.", "dette segment", "alle respondenter",
           "Sikkerhed: ●●● 5+ personer eller kilder · ●●○ 2–4 · ●○○ 1. Tallene linker til belægget.",
           "{claims} påstande · {evidence} kilder", "{name}: hele personaen", "Belæg",
           "Ikke længere i kildelageret.", "slutning", "Smerter og frygt", "Indvendinger → svar", "Prisfølsomhed",
           "Alder", "Indkomst", "Værdi (RFM-fordeling)",
           "Genereret {at} af {model}; {rounds} kritikrunde(r); {cited} kilder citeret; {removed} påstande fjernet af "
           "kontrollerne.", "{people} respondenter, {share} % af alle"),
    "sv": ("Inget underlag i undersökningen.", "detta segment", "alla respondenter",
           "Säkerhet: ●●● 5+ personer eller källor · ●●○ 2–4 · ●○○ 1. Siffrorna länkar till underlaget.",
           "{claims} påståenden · {evidence} källor", "{name}: hela personan", "Underlag",
           "Finns inte längre i källarkivet.", "slutsats", "Problem och farhågor", "Invändningar → svar",
           "Priskänslighet", "Ålder", "Inkomst", "Värde (RFM-fördelning)",
           "Genererad {at} av {model}; {rounds} kritikrunda/-or; {cited} källor citerade; {removed} påståenden "
           "borttagna av kontrollerna.", "{people} respondenter, {share} % av alla"),
    "nl": ("Geen onderbouwing in het onderzoek.", "dit segment", "alle respondenten",
           "Zekerheid: ●●● 5+ mensen of bronnen · ●●○ 2–4 · ●○○ 1. De nummers linken naar de onderbouwing.",
           "{claims} uitspraken · {evidence} bronnen", "{name}: de volledige persona", "Onderbouwing",
           "Niet meer in de bronnenopslag.", "afgeleid", "Pijnpunten en angsten", "Bezwaren → antwoorden",
           "Prijsgevoeligheid", "Leeftijd", "Inkomen", "Waarde (RFM-verdeling)",
           "Gegenereerd {at} door {model}; {rounds} kritiekronde(s); {cited} bronnen geciteerd; {removed} uitspraken "
           "verwijderd door de controles.", "{people} respondenten, {share} % van allen"),
    "de": ("Keine Belege in der Forschung.", "dieses Segment", "alle Befragten",
           "Sicherheit: ●●● 5+ Personen oder Quellen · ●●○ 2–4 · ●○○ 1. Die Zahlen verweisen auf die Belege.",
           "{claims} Aussagen · {evidence} Belege", "{name}: die vollständige Persona", "Belege",
           "Nicht mehr im Belegspeicher.", "gefolgert", "Probleme und Befürchtungen", "Einwände → Antworten",
           "Preissensibilität", "Alter", "Einkommen", "Wert (RFM-Mix)",
           "Erzeugt {at} von {model}; {rounds} Kritikrunde(n); {cited} Belege zitiert; {removed} Aussagen durch die "
           "Prüfungen entfernt.", "{people} Befragte, {share} % aller"),
    "ru": ("В исследовании нет подтверждений.", "этот сегмент", "все респонденты",
           "Уверенность: ●●● 5+ человек или источников · ●●○ 2–4 · ●○○ 1. Номера ведут к источникам.",
           "утверждений: {claims} · источников: {evidence}", "{name}: полная персона", "Источники",
           "Больше нет в хранилище источников.", "вывод", "Боли и опасения", "Возражения → ответы",
           "Чувствительность к цене", "Возраст", "Доход", "Ценность (распределение RFM)",
           "Создано {at} моделью {model}; раундов критики: {rounds}; цитируемых источников: {cited}; утверждений "
           "удалено проверками: {removed}.", "{people} респондентов, {share} % от всех"),
}


def _labels(language: str, words: tuple[str, ...]) -> dict[str, str]:
    """One language's labels; "Left empty (why)" as the label and its reason (``left_empty_why``)."""
    labels = dict(zip(_KEYS, words, strict=True)) | dict(zip(_PAGE_KEYS, _PAGE[language], strict=True))
    label, why = labels["left_empty"].split(" (", 1)
    return labels | {"left_empty": label, "left_empty_why": why.removesuffix(")")}


HEADINGS: dict[str, dict[str, str]] = {language: _labels(language, words) for language, words in _TABLE.items()}


# The schema's buyer types (`schema.BuyerType`), as the reference articles name them in their languages ("Den
# gjennomtenkte kjøperen", "Kuppjegere", "Merkeentusiasten"); the persona JSON keeps the schema's English value
_BUYER_TYPES: dict[str, tuple[str, ...]] = {
    "no": ("gjennomtenkt kjøper", "spontan kjøper", "kuppjeger", "merkeentusiast", "vindusshopper", "B2B-kjøper"),
    "da": ("eftertænksom køber", "spontan køber", "tilbudsjæger", "mærkeentusiast", "vinduesshopper", "B2B-køber"),
    "sv": ("eftertänksam köpare", "spontanköpare", "fyndjägare", "varumärkesentusiast", "fönstershoppare",
           "B2B-köpare"),
    "nl": ("weloverwogen koper", "spontane koper", "koopjesjager", "merkliefhebber", "etalageshopper", "B2B-koper"),
    "de": ("überlegter Käufer", "Spontankäufer", "Schnäppchenjäger", "Markenfan", "Schaufensterbummler",
           "B2B-Käufer"),
    "ru": ("вдумчивый покупатель", "спонтанный покупатель", "охотник за скидками", "поклонник бренда",
           "любитель витрин", "B2B-покупатель"),
}


def buyer_type_name(buyer_type: str, language: str | None) -> str:
    """The schema's buyer type ("bargain hunter") in ``language`` ("kuppjeger"); English where it is not listed."""
    names = _BUYER_TYPES.get(language or "en")
    types = get_args(BuyerType)
    return names[types.index(buyer_type)] if names and buyer_type in types else buyer_type


def headings(language: str | None) -> dict[str, str]:
    """The Markdown's labels in ``language`` (English where it is not listed)."""
    return HEADINGS.get(language or "en", HEADINGS["en"])


def section_name(name: str, language: str | None) -> str:
    """A template section the persona leaves empty ("marketing message", "buyer type reason"), in its language."""
    if (language or "en") not in HEADINGS or language == "en":
        return name
    label = HEADINGS[str(language)].get({"objections": "objections_short"}.get(name, name.replace(" ", "_")), name)
    return label if language == "de" else label[:1].lower() + label[1:]
