#!/usr/bin/env python
"""Build the multilingual retrieval evaluation set, tests/data/retrieval_eval.json.

    python scripts/make_retrieval_eval.py            # rewrites tests/data/retrieval_eval.json

Each topic is a theme that customers raise in several languages. Its relevant evidence is listed
as locators (file + respondent + question, file + lines, file + paragraphs; see
persona_agent/research/locate.py), never as evidence ids, so the set survives an id change.

knowledge/ (Fjordbrew; en/no/da/nl/ru): survey free-text answers are composed from per-language
fragment templates (scripts/make_knowledge.py, FRAGMENTS / CLOSING_REMARKS / SHORT_ANSWERS). A
topic names the templates that express it (by a distinctive piece of their text); every answer in
the CSV that contains one of them — slots filled with any of their values — is relevant, so the
judgements are complete for the survey. Interview turns, the sales-call notes and analytics
sections were read and judged by hand and are listed per topic.

The second folder (pet supplies; sv/de/nl/no/en/ru) is written by scripts/make_research_b.py, which
records the planted cross-language themes of every free-text answer and interview turn in
``.truth/truth.json``; its topics are those themes and their relevant evidence is what the truth
file says carries them (see ``pets_topics``).

Queries are written by hand, in the topic's languages and in others, as paraphrases (not copies of
a fragment), so that a query's own language has no verbatim advantage.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE = REPO / "knowledge"
OUT = REPO / "tests" / "data" / "retrieval_eval.json"
SURVEY = "survey/customer_survey_2026-09.csv"
FREE_TEXT_COLUMNS = range(20, 24)
SUMMARY = "analytics/monthly-summary-2026-09.md"
CHECKOUT_AND_SUPPORT = {"file": SUMMARY, "lines": [61, 73]}
BARRIER_SUMMARY = {"file": SURVEY, "question": "What is the main thing that stops you from buying more from Fjordbrew?"}
FEES_SUMMARY = {"file": SURVEY, "question": "How satisfied are you with our delivery fees? "
                                            "(1 = very dissatisfied, 5 = very satisfied)"}
AARHUS = "interviews/2026-01-20-best-gift-aarhus.txt"
TRONDHEIM = "interviews/2026-02-18-worst-bargain-trondheim.txt"
BERGEN = "interviews/2026-03-14-best-enthusiast-bergen.md"
OSLO = "interviews/2026-04-22-lost-gift-buyer-oslo.txt"
UTRECHT = "interviews/2026-05-20-best-office-utrecht.md"
ROTTERDAM = "interviews/2026-06-03-worst-bargain-rotterdam.md"
COPENHAGEN = "interviews/2026-07-01-lost-office-copenhagen.md"
TALLINN = "interviews/2026-08-20-lost-subscriber-tallinn.txt"
MOBILE = "interviews/2026-09-08-prospect-mobile-visitor.docx"
SALES = "interviews/2026-09-15-sales-call-notes.md"


def turn(file: str, first: int) -> dict[str, Any]:
    """An interview turn: the question line and the answer line after it."""
    key = "paragraphs" if file.endswith(".docx") else "lines"
    return {"file": file, key: [first, first + 1]}


def lines(file: str, first: int, last: int) -> dict[str, Any]:
    return {"file": file, "lines": [first, last]}


# ---------------------------------------------------------------------------------- knowledge/
# fragments: {language: [a distinctive piece of each template that expresses the topic]}
KNOWLEDGE_TOPICS: dict[str, dict[str, Any]] = {
    "shipping_cost": {
        "about": "shipping / delivery fees are too high; wants cheaper or free shipping, or to see the fee earlier",
        "fragments": {
            "en": ["the shipping is too expensive for a single bag", "Shipping is too expensive, {ship}",
                   "The free shipping threshold of €59", "when the delivery fee showed up",
                   "Shipping on top of a gift box", "Shipping on large orders should be free",
                   "Free shipping from {lower_threshold}", "Cheaper shipping, that's it.",
                   "Show the shipping cost on the product page"],
            "no": ["Frakten er altfor dyr", "i frakt på en liten bestilling", "Gratis frakt fra"],
            "da": ["Fragten er alt for dyr", "i fragt på en lille ordre", "Gratis fragt fra"],
            "nl": ["De verzendkosten zijn veel te hoog", "verzendkosten op een kleine bestelling",
                   "Gratis verzending vanaf"],
            "ru": ["Доставка слишком дорогая", "за доставку небольшого заказа", "Бесплатная доставка от"],
        },
        "other": [turn(TRONDHEIM, 22), turn(TRONDHEIM, 26), turn(ROTTERDAM, 16), turn(ROTTERDAM, 18),
                  turn(ROTTERDAM, 26), turn(ROTTERDAM, 34), turn(AARHUS, 22), turn(TALLINN, 24),
                  turn(MOBILE, 10), turn(MOBILE, 14), CHECKOUT_AND_SUPPORT, BARRIER_SUMMARY, FEES_SUMMARY],
        "queries": {"en": ["shipping is too expensive"], "no": ["frakten koster for mye"],
                    "nl": ["verzendkosten te hoog voor een kleine bestelling"], "ru": ["слишком дорогая доставка"]},
    },
    "damaged_on_arrival": {
        "about": "the grinder (or another product) arrived broken or damaged; the refund or claim was slow",
        "fragments": {
            "en": ["The grinder arrived broken and getting my money back",
                   "The grinder arrived broken, the burr carrier was cracked"],
            "no": ["Kvernen kom i stykker i posten"], "da": ["Kværnen kom i stykker"],
            "nl": ["De molen kwam kapot aan"], "ru": ["Кофемолка пришла сломанной"],
        },
        "other": [turn(TRONDHEIM, 14), turn(TRONDHEIM, 16), turn(TRONDHEIM, 18), turn(ROTTERDAM, 20),
                  turn(ROTTERDAM, 24), CHECKOUT_AND_SUPPORT],
        "queries": {"en": ["the grinder arrived broken"], "da": ["kværnen var i stykker da den kom"],
                    "ru": ["товар пришёл повреждённым, долго возвращали деньги"]},
    },
    "pause_subscription": {
        "about": "wants to pause or skip the subscription (travel, summer) instead of cancelling",
        "fragments": {
            "en": ["pause the subscription for a month", "add a pause button for the subscription"],
            "no": ["sette abonnementet på pause"], "da": ["sætte abonnementet på pause"],
            "nl": ["het abonnement pauzeren"], "ru": ["поставить подписку на паузу"],
        },
        "other": [turn(BERGEN, 32), turn(BERGEN, 34), turn(TALLINN, 16), turn(TALLINN, 18), turn(TALLINN, 22),
                  turn(TALLINN, 30), turn(MOBILE, 20), CHECKOUT_AND_SUPPORT],
        "queries": {"en": ["I want to pause my subscription"], "no": ["pause i abonnementet når jeg er bortreist"],
                    "nl": ["abonnement tijdelijk stopzetten tijdens de vakantie"]},
    },
    "invoice_payment": {
        "about": "business customers need to pay by invoice (EHF/EAN/PEPPOL, 30-day terms) instead of by card",
        "fragments": {
            "en": ["No invoice payment. Our finance team", "pay by invoice with 30-day terms",
                   "Invoice payment (EHF/PEPPOL)", "A business account with several users and one invoice",
                   "Send the invoice to our accounts payable"],
            "no": ["Vi kan ikke betale med faktura", "Faktura med EHF"],
            "da": ["Vi kan ikke betale på faktura", "Faktura med EAN-nummer"],
            "nl": ["Geen betaling op factuur", "Betalen op factuur met 30 dagen"],
            "ru": ["Нельзя оплатить по счёту", "Оплата по счёту для юрлиц"],
        },
        "other": [turn(UTRECHT, 20), turn(UTRECHT, 22), turn(UTRECHT, 32), turn(UTRECHT, 34), turn(COPENHAGEN, 16),
                  turn(COPENHAGEN, 18), turn(COPENHAGEN, 20), turn(COPENHAGEN, 26), turn(COPENHAGEN, 30),
                  lines(SALES, 15, 15), lines(SALES, 17, 19), lines(SALES, 21, 21), CHECKOUT_AND_SUPPORT,
                  BARRIER_SUMMARY],
        "queries": {"en": ["invoice payment for business customers"], "da": ["betaling på faktura for virksomheder"],
                    "ru": ["оплата по счёту для компаний"],
                    "nl": ["bedrijven willen achteraf op factuur betalen"]},
    },
    "out_of_stock": {
        "about": "beans / lots / the espresso blend sold out or out of stock",
        "fragments": {
            "en": ["Stock-outs. The {origin} sold out", "When a lot is out of stock the subscription",
                   "Hard to see what is actually in stock", "Limited releases are gone",
                   "Once the espresso blend was out of stock", "Tell me before a bean sells out"],
            "no": ["Utsolgte bønner", "Når noe er utsolgt", "Vanskelig å se hva som faktisk er på lager",
                   "Espressoblandingen var utsolgt", "Gi beskjed før en kaffe blir utsolgt"],
            "da": ["Udsolgte varer", "når noget er udsolgt", "Begrænsede partier er væk"],
            "nl": ["Uitverkochte bonen", "als iets op is", "Beperkte partijen zijn al weg",
                   "De espressoblend was een keer uitverkocht"],
            "ru": ["Сорта быстро заканчиваются", "Когда сорта нет в наличии", "Лимитированные лоты раскупают",
                   "Эспрессо-смесь однажды закончилась"],
        },
        "other": [turn(BERGEN, 20), turn(BERGEN, 22), turn(BERGEN, 30), turn(BERGEN, 32), turn(TALLINN, 16),
                  turn(TALLINN, 22), turn(COPENHAGEN, 22), turn(UTRECHT, 24), turn(UTRECHT, 36),
                  CHECKOUT_AND_SUPPORT, BARRIER_SUMMARY],
        "queries": {"en": ["my favourite beans were sold out"], "no": ["kaffen var utsolgt"],
                    "nl": ["bonen niet meer op voorraad"]},
    },
    "late_delivery": {
        "about": "delivery too slow or unpredictable, tracking not updating, gift late for the occasion",
        "fragments": {
            "en": ["I was nervous it wouldn't arrive", "Delivery time is too unpredictable",
                   "The tracking link didn't update", "Guaranteed delivery before Christmas"],
            "no": ["Jeg var redd den ikke skulle komme", "Sporingen ble ikke oppdatert", "Garantert levering før jul"],
            "da": ["Jeg var nervøs for", "Leveringstiden i december", "Garanteret levering før jul"],
            "nl": ["Ik was bang dat het niet", "De track-and-trace werd", "Gegarandeerde levering vóór"],
            "ru": ["Переживала, что не успеет", "Трекинг не обновлялся", "Гарантированная доставка до Рождества"],
        },
        "other": [turn(AARHUS, 18), turn(AARHUS, 20), turn(AARHUS, 24), turn(OSLO, 16), turn(OSLO, 18),
                  turn(OSLO, 20), turn(OSLO, 24), turn(OSLO, 30), turn(TALLINN, 22), CHECKOUT_AND_SUPPORT,
                  BARRIER_SUMMARY],
        "queries": {"en": ["the coffee arrived late"], "da": ["gaven kom for sent frem"],
                    "ru": ["посылка шла слишком долго"]},
    },
    "price_on_packing_slip": {
        "about": "the price was printed on the packing slip inside a gift sent to someone else",
        "fragments": {
            "en": ["The price was printed on the packing slip", "Hide the price on the packing slip"],
            "no": ["Prisen stod på pakkseddelen"], "da": ["Prisen stod på følgesedlen"],
            "nl": ["De prijs stond op de pakbon"], "ru": ["В подарочной коробке лежала накладная"],
        },
        "other": [turn(AARHUS, 22), turn(OSLO, 30)],
        "queries": {"en": ["the recipient could see what the gift cost"], "no": ["prislappen lå i gavepakken"],
                    "nl": ["de prijs was zichtbaar in het cadeau"]},
    },
    "fixed_delivery_day": {
        "about": "offices want a fixed delivery day (parcels arriving when nobody is in)",
        "fragments": {
            "en": ["There is no way to set a fixed delivery day", "A fixed delivery day, we are only"],
            "no": ["Fast leveringsdag og automatisk bestilling"], "da": ["Der er ingen fast leveringsdag"],
            "nl": ["Een vaste bezorgdag"],
        },
        "other": [turn(COPENHAGEN, 22), turn(UTRECHT, 24)],
        "queries": {"en": ["deliveries to the office on a fixed weekday"],
                    "ru": ["фиксированный день доставки в офис"], "da": ["levering på en bestemt ugedag"]},
    },
    "student_discount": {
        "about": "students want a discount; prices are high for a student budget",
        "fragments": {
            "en": ["Prices outside of sales are a bit steep when you're a student", "A student discount all year"],
            "no": ["Studentrabatt hele året", "Utenom salg er prisene litt høye for en student"],
            "da": ["Studierabat hele året"], "nl": ["Het hele jaar studentenkorting"],
            "ru": ["Скидка для студентов круглый год"],
        },
        "other": [turn(TRONDHEIM, 26), turn(ROTTERDAM, 26), turn(MOBILE, 14)],
        "queries": {"en": ["a discount for students"], "no": ["rabatt for studenter"], "ru": ["студенческая скидка"]},
    },
    "roast_date_freshness": {
        "about": "the roast date on the bag and how fresh the beans are when they arrive",
        "fragments": {
            "en": ["Roast date on every bag", "roasted almost two weeks before shipping",
                   "Put the roast date on the product page", "Fresh beans"],
            "no": ["Brennedato på hver pose"], "da": ["Ristedato på hver pose"], "nl": ["Branddatum op elke zak"],
            "ru": ["Дата обжарки на каждой пачке"],
        },
        "other": [turn(BERGEN, 14), turn(BERGEN, 16), turn(BERGEN, 40), turn(TALLINN, 22)],
        "queries": {"en": ["freshly roasted beans, roast date on the bag"], "da": ["friskristet kaffe med dato"],
                    "ru": ["свежая обжарка зёрен"]},
    },
    "gift_boxes_look": {
        "about": "the gift boxes / packaging look beautiful",
        "fragments": {
            "en": ["Beautiful gift boxes", "the box does the talking"],
            "no": ["Veldig fine gaveesker"], "da": ["Flotte gaveæsker"], "nl": ["Prachtige cadeaudozen"],
            "ru": ["Очень красивые подарочные коробки"],
        },
        "other": [turn(AARHUS, 12), turn(AARHUS, 16), turn(OSLO, 20), turn(MOBILE, 22)],
        "queries": {"en": ["beautiful gift packaging"], "nl": ["mooie verpakking voor een cadeau"],
                    "no": ["pen gaveinnpakning"]},
    },
    "volume_discount": {
        "about": "volume / bulk pricing for large office orders, price per kilo",
        "fragments": {
            "en": ["Volume pricing from 10 kg"], "no": ["Mengderabatt fra 10 kg"], "da": ["Mængderabat fra 10 kg"],
            "nl": ["Staffelkorting vanaf 10 kg"], "ru": ["Оптовая скидка от 10 кг"],
        },
        "other": [turn(UTRECHT, 28), lines(SALES, 15, 15)],
        "queries": {"en": ["bulk discount for large orders"], "nl": ["korting bij grote hoeveelheden"],
                    "da": ["rabat når man køber mange kilo"]},
    },
    "decaf": {
        "about": "wants more decaf options",
        "fragments": {
            "en": ["More decaf options"], "no": ["Flere koffeinfrie"], "da": ["Flere koffeinfri"],
            "nl": ["Meer cafeïnevrije"], "ru": ["Больше кофе без кофеина"],
        },
        "other": [],
        "queries": {"en": ["decaffeinated coffee"], "no": ["kaffe uten koffein"], "nl": ["meer decaf koffie"]},
    },
    "automatic_reorder": {
        "about": "automatic repeat orders every few weeks for the office",
        "fragments": {
            "en": ["Automatic reorder every"], "no": ["automatisk bestilling hver"],
            "da": ["Automatisk genbestilling"], "ru": ["Автоматический повтор заказа"],
        },
        "other": [turn(UTRECHT, 32), turn(COPENHAGEN, 26)],
        "queries": {"en": ["automatic repeat orders for the office"], "da": ["automatisk bestilling hver måned"],
                    "nl": ["automatisch opnieuw bestellen"]},
    },
    "mobile_payment": {
        "about": "paying easily on the phone (Vipps, MobilePay, iDEAL, Apple Pay)",
        "fragments": {
            "en": ["Easy checkout with {pay}"], "no": ["Lett å betale med Vipps"],
            "da": ["Nemt at betale med MobilePay"], "nl": ["Makkelijk betalen met iDEAL"],
            "ru": ["Удобно оплачивать с телефона"],
        },
        "other": [turn(TRONDHEIM, 24), turn(MOBILE, 14), turn(MOBILE, 16)],
        "queries": {"en": ["paying with a phone app at checkout"], "no": ["betale med mobilen"],
                    "da": ["mobilbetaling ved kassen"]},
    },
    "sale_alert": {
        "about": "wants a notification when their usual beans are on sale",
        "fragments": {
            "en": ["Send me an alert when my usual beans"], "no": ["Varsle meg når favorittbønnene"],
            "da": ["Giv besked, når mine yndlingsbønner"], "nl": ["Een melding als mijn vaste bonen"],
            "ru": ["Уведомление, когда мой любимый кофе"],
        },
        "other": [],
        "queries": {"en": ["notify me when my coffee is discounted"],
                    "ru": ["сообщите, когда мой кофе будет со скидкой"],
                    "no": ["varsel om tilbud på kaffen jeg pleier å kjøpe"]},
    },
    "subscription_swap": {
        "about": "a different coffee was sent instead of a sold-out one without asking",
        "fragments": {
            "en": ["When a lot is out of stock the subscription just swaps"],
            "no": ["bytter abonnementet til en annen kaffe"], "da": ["Abonnementet skifter til en anden kaffe"],
            "nl": ["Het abonnement wisselt zonder te vragen"], "ru": ["подписка меняет его на другой без спроса"],
        },
        "other": [turn(BERGEN, 20), turn(BERGEN, 22), turn(TALLINN, 16), turn(TALLINN, 22), turn(COPENHAGEN, 22),
                  turn(UTRECHT, 24), CHECKOUT_AND_SUPPORT],
        "queries": {"en": ["they sent a different coffee without asking me"],
                    "nl": ["andere koffie gestuurd zonder overleg"], "ru": ["заменили кофе без моего согласия"]},
    },
    "gift_for_family": {
        "about": "buys the coffee as a present for family, friends or colleagues",
        "fragments": {
            "en": ["I buy it as a gift for {recipient}", "I buy it as a gift, and the box"],
            "no": ["Jeg kjøper det som gave til"], "da": ["Jeg køber det som gave til"],
            "nl": ["Ik koop het als cadeau voor"], "ru": ["Покупаю в подарок"],
        },
        "other": [turn(AARHUS, 10), turn(AARHUS, 12), turn(AARHUS, 14), turn(OSLO, 12), turn(MOBILE, 22)],
        "queries": {"en": ["coffee as a present for my father-in-law"], "da": ["kaffe som gave til familien"],
                    "ru": ["кофе в подарок родственникам"]},
    },
    "vat_receipt": {
        "about": "the VAT receipt / invoice is hard to find for the accounts",
        "fragments": {
            "en": ["The VAT receipt is hard to find"], "no": ["Vanskelig å finne kvitteringen med mva"],
            "da": ["Svært at finde kvitteringen med moms"], "nl": ["De btw-factuur is lastig te vinden"],
            "ru": ["Сложно найти чек с НДС"],
        },
        "other": [turn(UTRECHT, 20)],
        "queries": {"en": ["I cannot find the VAT receipt"], "no": ["finner ikke kvittering med moms"],
                    "nl": ["btw-bon voor de administratie"]},
    },
    "origin_details": {
        "about": "detailed origin information: farm, altitude, process",
        "fragments": {
            "en": ["Detailed origin info: farm, altitude"], "no": ["Detaljert info om gård"],
            "da": ["Gode oplysninger om gård"], "nl": ["Uitgebreide info over boerderij"],
            "ru": ["Подробная информация о ферме"],
        },
        "other": [turn(BERGEN, 16), turn(TALLINN, 12), lines(SALES, 13, 13)],
        "queries": {"en": ["information about the farm and how the beans were processed"],
                    "ru": ["информация о ферме и способе обработки"], "no": ["opprinnelse, gård og høyde på posen"]},
    },
}


def _load_generator() -> Any:
    spec = importlib.util.spec_from_file_location("make_knowledge", REPO / "scripts" / "make_knowledge.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def _templates(generator: Any, language: str) -> list[str]:
    found: list[str] = []
    for by_part in generator.FRAGMENTS[language].values():
        for pool in by_part.values():
            found += pool
    found += generator.CLOSING_REMARKS[language]
    for pool in generator.SHORT_ANSWERS[language].values():
        found += pool
    return list(dict.fromkeys(found))


def _pattern(generator: Any, template: str, language: str) -> re.Pattern[str]:
    """The template with each {slot} replaced by its possible values; case and final dot optional."""
    parts = re.split(r"\{(\w+)\}", template.rstrip("."))
    regex = ""
    for i, part in enumerate(parts):
        if i % 2 == 0:
            regex += re.escape(part)
        else:
            values = generator.SLOT_VALUES[language].get(part) or generator.SLOT_VALUES["*"][part]
            regex += "(?:" + "|".join(re.escape(v) for v in values) + ")"
    if template.endswith("."):
        regex += r"\.?"
    return re.compile(r"(?:^|(?<=\s))" + regex, re.IGNORECASE)


def knowledge_topics(folder: Path) -> list[dict[str, Any]]:
    generator = _load_generator()
    with (folder / SURVEY).open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    topics = []
    for name, spec in KNOWLEDGE_TOPICS.items():
        patterns = []
        for language, pieces in spec["fragments"].items():
            templates = _templates(generator, language)
            for piece in pieces:
                matching = [t for t in templates if piece in t]
                if len(matching) != 1:
                    raise SystemExit(f"{name}: {piece!r} matches {len(matching)} {language} templates: {matching}")
                patterns.append((language, _pattern(generator, matching[0], language)))
        relevant: list[dict[str, Any]] = []
        for row in rows:
            for column in FREE_TEXT_COLUMNS:
                hit = next((lang for lang, p in patterns if row[column] and p.search(row[column])), None)
                if hit:
                    relevant.append({"file": SURVEY, "respondent": row[1], "question": header[column],
                                     "language": hit, "quote": row[column][:90]})
        relevant += spec["other"]
        topics.append({"id": f"knowledge/{name}", "folder": "knowledge", "about": spec["about"],
                       "relevant": relevant})
    return topics


def knowledge_queries() -> list[dict[str, Any]]:
    return [{"topic": f"knowledge/{name}", "folder": "knowledge", "language": language, "text": text}
            for name, spec in KNOWLEDGE_TOPICS.items()
            for language, texts in spec["queries"].items() for text in texts]


# ---------------------------------------------------------------------------------- second folder
# Hyggehund (pet supplies): the planted themes of .truth/truth.json, queried in sv/de and others.
PETS_QUERIES: dict[str, dict[str, list[str]]] = {
    "torn_bag": {"sv": ["påsen med hundmat var trasig när den kom"], "de": ["der Futtersack kam kaputt an"],
                 "en": ["the food bag was ripped open in the parcel"]},
    "slow_delivery": {"de": ["die Lieferung hat über eine Woche gedauert"], "sv": ["leveransen tog mer än en vecka"],
                      "ru": ["доставка заняла больше недели"]},
    "pause_subscription": {"sv": ["pausa prenumerationen på foder"], "de": ["Futterabo pausieren statt kündigen"],
                           "nl": ["abonnement een maand overslaan"]},
    "vetdiet_stockout": {"en": ["prescription diet food out of stock"], "sv": ["veterinärfodret var slut i lager"],
                         "de": ["Diätfutter vom Tierarzt nicht lieferbar"]},
    "heavy_shipping": {"de": ["Versandkosten für schwere Säcke zu hoch"], "sv": ["frakten är för dyr för tunga säckar"],
                       "no": ["frakt på tunge sekker koster for mye"]},
    "refused_recipe": {"en": ["my dog won't eat the new recipe"], "sv": ["katten vägrar äta det nya receptet"],
                       "de": ["Hund frisst das neue Rezept nicht"]},
    "invoice_payment": {"sv": ["betala mot faktura för företag"], "de": ["Kauf auf Rechnung für meinen Hundesalon"],
                        "en": ["our kennel needs to pay by invoice"]},
    "unclear_ingredients": {"de": ["Zutatenliste unklar, Allergene fehlen"],
                            "sv": ["otydlig ingrediensförteckning och allergener"],
                            "ru": ["непонятный состав корма и аллергены"]},
    "helpful_advice": {"sv": ["kundtjänst gav bra råd om utfodring"], "de": ["hilfreiche Beratung zur Fütterung"],
                       "en": ["customer service gave good advice on portions"]},
    "never_run_out": {"de": ["wir haben nie mehr kein Futter zu Hause"],
                      "sv": ["regelbundna leveranser så att fodret aldrig tar slut"],
                      "nl": ["we hebben nooit meer te weinig voer in huis"]},
}


REPORT = "analytics/manadsrapport-2026-10.md"  # read and judged by hand, like knowledge/'s summary
PETS_OTHER: dict[str, list[dict[str, Any]]] = {
    "pause_subscription": [lines(REPORT, 60, 70)], "slow_delivery": [lines(REPORT, 60, 70)],
    "torn_bag": [lines(REPORT, 60, 70)], "unclear_ingredients": [lines(REPORT, 60, 70)],
    "heavy_shipping": [lines(REPORT, 60, 70), lines(REPORT, 58, 58)], "vetdiet_stockout": [lines(REPORT, 72, 76)],
}


def pets_topics(folder: Path) -> list[dict[str, Any]]:
    truth = json.loads((folder / ".truth" / "truth.json").read_text(encoding="utf-8"))
    survey = truth["files"]["survey"]
    with (folder / survey).open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    respondent_column = header.index("Respondent ID")
    text = {(row[respondent_column], header[i]): row[i] for row in rows for i in range(len(header))}
    topics = []
    for theme in truth["themes"]:
        relevant: list[dict[str, Any]] = [
            {"file": survey, "respondent": answer["respondent_id"], "question": answer["column"],
             "language": answer["language"], "quote": text[(answer["respondent_id"], answer["column"])][:90]}
            for answer in truth["free_text_answers"] if theme["id"] in answer["themes"]]
        for interview in truth["interviews"]:
            unit = "paragraphs" if interview["unit"] == "paragraph" else "lines"
            relevant += [{"file": interview["file"], unit: [pair["start"], pair["end"]],
                          "language": interview["language"]}
                         for pair in interview["pairs"] if theme["id"] in pair["themes"]]
        relevant += PETS_OTHER.get(theme["id"], [])
        tickets = json.loads((folder / truth["files"]["support_tickets"]).read_text(encoding="utf-8"))
        relevant += [{"file": truth["files"]["support_tickets"], "pointer": f"/by_reason/{i}"}
                     for i, reason in enumerate(tickets["by_reason"])
                     if truth["support_ticket_themes"].get(reason["reason"]) == theme["id"]]
        topics.append({"id": f"pets/{theme['id']}", "folder": "pets", "about": theme["gloss"],
                       "relevant": relevant})
    return topics


def pets_queries() -> list[dict[str, Any]]:
    return [{"topic": f"pets/{theme}", "folder": "pets", "language": language, "text": text}
            for theme, by_language in PETS_QUERIES.items()
            for language, texts in by_language.items() for text in texts]


def generator_hash() -> str:
    """The second folder's judgements hold for this version of its generator (and its text module)."""
    digest = hashlib.sha256()
    for name in ("make_research_b.py", "research_b_text.py"):
        digest.update((REPO / "scripts" / name).read_bytes())
    return digest.hexdigest()[:16]


def build(pets_folder: Path | None) -> dict[str, Any]:
    topics = knowledge_topics(KNOWLEDGE)
    queries = knowledge_queries()
    if pets_folder is not None:
        topics += pets_topics(pets_folder)
        queries += pets_queries()
    for number, query in enumerate(queries, 1):
        query["id"] = f"q{number:03d}"
    return {
        "about": "Multilingual retrieval evaluation set; built by scripts/make_retrieval_eval.py, run by "
                 "benchmarks/retrieval.py. Relevant evidence is keyed by locators (persona_agent/research/"
                 "locate.py); `language` and `quote` on survey answers are for reading, not for matching.",
        "folders": {"knowledge": {"path": "knowledge/"},
                    "pets": {"generate": "python scripts/make_research_b.py --out DIR",
                             "generator_sha256": generator_hash()}},
        "topics": topics,
        "queries": [{k: q[k] for k in ("id", "folder", "topic", "language", "text")} for q in queries],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    generator = REPO / "scripts" / "make_research_b.py"
    with tempfile.TemporaryDirectory() as temp:
        pets = None
        if generator.exists():
            pets = Path(temp) / "pets"
            subprocess.run([sys.executable, str(generator), "--out", str(pets)], check=True)
        data = build(pets)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{args.out}: {len(data['topics'])} topics, {len(data['queries'])} queries, "
          f"{sum(len(t['relevant']) for t in data['topics'])} relevant items")


if __name__ == "__main__":
    main()
