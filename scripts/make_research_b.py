#!/usr/bin/env python
"""Generate a second, independent sample research folder: "Hyggehund", a fictional pet-supplies shop.

Fjordbrew (scripts/make_knowledge.py → knowledge/) is the fixture persona-agent is developed
against. This script writes research the code was never tuned on, to check persona quality and
multilingual retrieval: a different shop (dog & cat food, vet-diet food, a food subscription, B2B
sales to groomers and kennels; SE, DE, NL, NO, FI; prices in SEK), different languages (Swedish,
German, Dutch, English, some Norwegian and Russian) and five different planted segments — with the
same file types and structure, so ingest and analysis read it the same way.

Planted, and recorded in a machine-readable ground truth that the product never reads
(``<out>/.truth/truth.json``; ingest skips dot-folders):

* five segments in the survey's closed answers and in the order history (respondent → segment,
  customer → segment);
* ten recurring themes (torn bags, slow delivery, no subscription pause, vet-diet stock-outs, …),
  each written in all six languages with several paraphrases; every free-text answer and every
  interviewer/customer turn pair is tagged with the themes it expresses;
* interviews in sv/de/nl/no/en/ru (two with no customer id, one .docx without front matter),
  personal data written in ways redaction has to catch, one prompt-injection line, and a
  survey-vs-analytics disagreement on country (Germany).

Deterministic: one seed, one numpy Generator per artefact, no clock, .docx re-zipped with fixed
timestamps; the same seed gives byte-identical output. Runs in a few seconds.

    python scripts/make_research_b.py --out /tmp/research_b
"""

# ruff: noqa: E501  (README prose and table rows are kept one paragraph / row per line)
from __future__ import annotations

import argparse
import importlib.util
import io
import json
import sys
import zipfile
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd


def _load_text_module():
    """research_b_text.py sits next to this script; load it by path so imports work from anywhere."""
    path = Path(__file__).resolve().with_name("research_b_text.py")
    spec = importlib.util.spec_from_file_location("research_b_text", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("research_b_text", module)
    spec.loader.exec_module(module)
    return module


T = _load_text_module()

SEED = 20261031
FIRST_DAY = date(2025, 1, 1)
LAST_DAY = date(2026, 10, 31)
AT_RISK_CUTOFF = date(2026, 5, 1)  # no order since this day = "not bought for six months"
DEFAULT_OUT = Path("research_b")
SHOP = "Hyggehund"

SEGMENTS = ("puppy", "senior", "budget", "natural", "b2b")
SEGMENT_NAMES = {
    "puppy": "New-puppy owners",
    "senior": "Senior-pet carers",
    "budget": "Multi-pet budget households",
    "natural": "Premium/natural-food devotees",
    "b2b": "B2B groomers and kennels",
}
CUSTOMERS_PER_SEGMENT = {"puppy": 110, "senior": 80, "budget": 130, "natural": 80, "b2b": 50}
AT_RISK_PER_SEGMENT = {"senior": 15, "natural": 15, "b2b": 8}
STOCKOUT_LOSSES = 9  # of the at-risk seniors, these leave at the vet-diet stock-out
RESPONDENTS_PER_SEGMENT = {"puppy": 70, "senior": 56, "budget": 70, "natural": 50, "b2b": 34}
LINKED_SHARE = 0.6  # share of respondents with a Customer ID

SURVEY_FILE = "survey/kundenkaet_2026-10.csv"
ORDERS_FILE = "transactions/orders_2025-2026.csv"
GA_FILE = "analytics/ga4_audience_2026-08_2026-10.csv"
TICKETS_FILE = "analytics/support_tickets_2026-10.json"
SUMMARY_FILE = "analytics/manadsrapport-2026-10.md"
TRUTH_FILE = ".truth/truth.json"

PII_EMAIL = "anna.lindqvist(at)example.se"
PII_PHONE = "070-123 45 67"
PII_ADDRESS = "Hauptstraße 5, 10115 Berlin"

RECIPE_CHANGE = date(2025, 11, 3)  # Natur Lax reformulated
STOCKOUT = (date(2026, 2, 9), date(2026, 3, 6))  # VetLine vet-diet food out of stock
PRICE_RISES = (date(2026, 1, 1), date(2026, 6, 1))  # Natur subscription prices
GERMAN_CAMPAIGN_START = date(2026, 8, 3)  # idealo / Google Shopping campaign in Germany


def rng_for(artefact: str) -> np.random.Generator:
    """One generator per artefact, seeded from the artefact name."""
    return np.random.default_rng([SEED, zlib.crc32(artefact.encode())])


def pick(rng: np.random.Generator, options: Sequence):
    return options[int(rng.integers(len(options)))]


def pick_weighted(rng: np.random.Generator, weights: dict, noise: float = 0.0):
    """Draw a key of ``weights``; ``noise`` mixes in a uniform share over all keys."""
    keys = list(weights)
    probs = np.array([weights[k] for k in keys], dtype=float)
    probs = probs / probs.sum()
    if noise:
        probs = (1 - noise) * probs + noise / len(keys)
    return keys[int(rng.choice(len(keys), p=probs))]


def day_between(rng: np.random.Generator, first: date, last: date) -> date:
    return first + timedelta(days=int(rng.integers(0, (last - first).days + 1)))


def early_day(rng: np.random.Generator, first: date, last: date) -> date:
    """A day in [first, last], skewed towards the start (long-standing customers are common)."""
    return first + timedelta(days=int(rng.beta(1.2, 2.2) * (last - first).days))


def money(value: float) -> float:
    return float(round(value + 1e-9, 2))


def add_months(year: int, month: int, count: int = 1) -> tuple[int, int]:
    index = year * 12 + month - 1 + count
    return index // 12, index % 12 + 1


# --------------------------------------------------------------------------------------------
# Transactions (SEK)
# --------------------------------------------------------------------------------------------

SALE_WINDOWS = (  # (name, first day, last day, weight): budget households buy inside these
    ("winter sale", date(2025, 2, 3), date(2025, 2, 9), 1.0),
    ("Easter campaign", date(2025, 4, 14), date(2025, 4, 21), 1.0),
    ("summer sale", date(2025, 6, 23), date(2025, 7, 6), 1.2),
    ("autumn campaign", date(2025, 9, 22), date(2025, 9, 28), 1.0),
    ("Black Week", date(2025, 11, 24), date(2025, 12, 1), 2.5),
    ("Boxing Day sale", date(2025, 12, 27), date(2026, 1, 6), 1.5),
    ("winter sale", date(2026, 2, 2), date(2026, 2, 8), 1.0),
    ("Easter campaign", date(2026, 3, 30), date(2026, 4, 6), 1.0),
    ("summer sale", date(2026, 6, 22), date(2026, 7, 5), 1.2),
    ("autumn campaign", date(2026, 9, 21), date(2026, 9, 27), 1.2),
)
BUDGET_ITEMS = {  # (category, regular price): weight
    ("dog food", 649.0): 30, ("dog food", 599.0): 20, ("cat food", 479.0): 25, ("cat food", 389.0): 15,
    ("cat litter", 199.0): 20,
}
NATURAL_PRICES = {699.0: (719.0, 739.0), 849.0: (879.0, 899.0), 999.0: (1029.0, 1059.0)}
PUPPY_MONTH_WEIGHT = {1: 0.6, 2: 0.6, 3: 1.0, 4: 1.3, 5: 1.5, 6: 1.4, 7: 1.1, 8: 1.2, 9: 1.0, 10: 0.8, 11: 0.6, 12: 0.9}

Order = tuple[date, float, str]


def sale_name(day: date) -> str | None:
    for name, first, last, _ in SALE_WINDOWS:
        if first <= day <= last:
            return name
    return None


def simulate_puppy(rng: np.random.Generator) -> list[Order]:
    """A starter kit, then food every few weeks while the puppy grows; many switch to the subscription, many drift away."""
    while True:  # puppies arrive all year, most in spring and summer
        start = day_between(rng, date(2025, 1, 5), date(2026, 10, 25))
        if rng.random() < PUPPY_MONTH_WEIGHT[start.month] / 1.5:
            break
    food = "cat food" if rng.random() < 0.2 else "dog food"
    orders: list[Order] = [(start, pick_weighted(rng, {695.0: 30, 895.0: 50, 1295.0: 20}), "starter kit")]
    if rng.random() < 0.15:  # bought the kit, then food elsewhere
        return orders
    stop = min(start + timedelta(days=30 + int(rng.exponential(220))), LAST_DAY)
    switch = start + timedelta(days=int(rng.integers(45, 121))) if rng.random() < 0.45 else None
    plan = pick(rng, [449.0, 549.0, 649.0])
    day = start + timedelta(days=int(rng.integers(18, 31)))
    while day <= stop:
        if switch is not None and day >= switch:
            orders.append((day, plan, "subscription"))
            day += timedelta(days=int(rng.integers(28, 32)))
        else:
            months = (day - start).days / 30.4
            bag = pick_weighted(rng, {299.0: max(0.2, 3 - months), 499.0: 2.0, 849.0: min(3.0, months / 2)})
            orders.append((day, bag, food))
            day += timedelta(days=int(rng.integers(21, 39)))
    early_end = min(start + timedelta(days=120), stop)
    for _ in range(int(rng.poisson(1.3))):
        orders.append((day_between(rng, start + timedelta(days=3), early_end),
                       pick(rng, [149.0, 199.0, 249.0, 349.0, 499.0, 599.0]), "accessories"))
    for _ in range(int(rng.poisson(0.2 * (stop - start).days / 30.4))):
        orders.append((day_between(rng, start, stop), pick(rng, [79.0, 99.0, 129.0, 179.0]), "treats"))
    return orders


def simulate_senior(rng: np.random.Generator, at_risk: bool, stockout_loss: bool) -> list[Order]:
    """The same vet-diet basket every 4–6 weeks; the February stock-out delays orders or ends the relationship."""
    if at_risk:
        start = day_between(rng, FIRST_DAY, date(2025, 9, 30))
        stop = LAST_DAY if stockout_loss else day_between(rng, date(2025, 10, 1), date(2026, 5, 31))
    else:
        start, stop = early_day(rng, FIRST_DAY, date(2026, 6, 30)), LAST_DAY
    basket = pick_weighted(rng, {649.0: 25, 749.0: 15, 1098.0: 15, 1249.0: 30, 1498.0: 15})
    interval = int(rng.integers(28, 44))
    orders: list[Order] = []
    day = start
    while day <= stop:
        if stockout_loss and day >= STOCKOUT[0]:
            break  # found the food sold out, bought it at the vet clinic and never came back
        if STOCKOUT[0] <= day <= STOCKOUT[1]:
            day = STOCKOUT[1] + timedelta(days=int(rng.integers(1, 7)))
            continue
        orders.append((day, basket, "vet diet"))
        day += timedelta(days=interval + int(rng.integers(-3, 4)))
    last = orders[-1][0]
    for _ in range(int(rng.poisson(0.12 * (last - start).days / 30.4))):
        orders.append((day_between(rng, start, last), pick(rng, [89.0, 129.0, 179.0]), "treats"))
    return orders


def simulate_budget(rng: np.random.Generator) -> list[Order]:
    """Few, large multi-bag orders, almost all in campaign windows; many one-time buyers."""
    n_orders = 1 if rng.random() < 0.38 else 2 + int(rng.poisson(1.8))
    weights = np.array([w for *_, w in SALE_WINDOWS])
    orders: list[Order] = []
    for _ in range(n_orders):
        if rng.random() < 0.85:
            _, first, last, _ = SALE_WINDOWS[int(rng.choice(len(SALE_WINDOWS), p=weights / weights.sum()))]
            day, discount = day_between(rng, first, last), 0.8
        else:
            day, discount = day_between(rng, FIRST_DAY, LAST_DAY), 1.0
        items = [pick_weighted(rng, BUDGET_ITEMS) for _ in range(int(rng.integers(2, 5)))]
        category = "dog food" if any(c == "dog food" for c, _ in items) else "cat food"
        orders.append((day, money(sum(price for _, price in items) * discount), category))
    return orders


def simulate_natural(rng: np.random.Generator, at_risk: bool) -> list[Order]:
    """A monthly premium-food subscription; no pause button, so holidays show up as cancelled months."""
    if at_risk:
        start = day_between(rng, FIRST_DAY, date(2025, 8, 31))
        stop = day_between(rng, RECIPE_CHANGE + timedelta(days=7), date(2026, 4, 30))
    else:
        start, stop = early_day(rng, FIRST_DAY, date(2026, 7, 31)), LAST_DAY
    plan = pick_weighted(rng, {699.0: 30, 849.0: 45, 999.0: 25})
    skipped: set[tuple[int, int]] = set()
    if rng.random() < 0.4:
        for year in (2025, 2026):
            if rng.random() < 0.6:
                skipped.add((year, 7))
                if rng.random() < 0.5:
                    skipped.add((year, 8))
    orders: list[Order] = []
    year, month, anchor = start.year, start.month, min(start.day, 26)
    while True:
        day = date(year, month, int(anchor + rng.integers(0, 3)))
        if day > stop:
            break
        if day >= start and (year, month) not in skipped:
            price = plan if day < PRICE_RISES[0] else NATURAL_PRICES[plan][0 if day < PRICE_RISES[1] else 1]
            orders.append((day, price, "subscription"))
        year, month = add_months(year, month)
    if not orders:
        orders.append((start, plan, "subscription"))
    last = max(o[0] for o in orders)
    for _ in range(int(rng.poisson(0.25 * (last - start).days / 30.4))):
        category = "treats" if rng.random() < 0.6 else "accessories"
        orders.append((day_between(rng, start, last), pick(rng, [129.0, 159.0, 249.0, 399.0]), category))
    return orders


def simulate_b2b(rng: np.random.Generator, at_risk: bool) -> list[Order]:
    """Bulk food on a fixed rhythm with near-constant amounts, plus grooming supplies."""
    if at_risk:
        start = day_between(rng, FIRST_DAY, date(2025, 6, 30))
        stop = day_between(rng, date(2025, 10, 1), date(2026, 3, 31))
    else:
        start, stop = early_day(rng, FIRST_DAY, date(2026, 6, 30)), LAST_DAY
    base = float(np.clip(np.exp(rng.normal(np.log(6500), 0.45)), 2500, 22000))
    step, size = (14, 0.5) if rng.random() < 0.55 else (28, 1.0)
    food = "dog food" if rng.random() < 0.9 else "cat food"
    orders: list[Order] = []
    day = start
    while day <= stop:
        orders.append((day, money(base * size * rng.uniform(0.94, 1.06)), food))
        day += timedelta(days=step + int(rng.integers(-1, 2)))
    last = orders[-1][0]
    for _ in range(int(rng.poisson(0.35 * (last - start).days / 30.4))):
        orders.append((day_between(rng, start, last), pick(rng, [1290.0, 1890.0, 2450.0, 3200.0]), "grooming supplies"))
    return orders


def build_customers() -> pd.DataFrame:
    rng = rng_for("customers")
    segments = np.repeat(SEGMENTS, [CUSTOMERS_PER_SEGMENT[s] for s in SEGMENTS])
    segments = segments[rng.permutation(len(segments))]
    customers = pd.DataFrame({"customer_id": [f"K{i:04d}" for i in range(1, len(segments) + 1)],
                              "segment": segments})
    customers["planted_at_risk"] = False
    customers["stockout_loss"] = False
    for segment, count in AT_RISK_PER_SEGMENT.items():
        ids = customers.index[customers["segment"] == segment]
        chosen = rng.choice(ids, size=count, replace=False)
        customers.loc[chosen, "planted_at_risk"] = True
        if segment == "senior":
            customers.loc[chosen[:STOCKOUT_LOSSES], "stockout_loss"] = True
    return customers


def build_orders(customers: pd.DataFrame) -> pd.DataFrame:
    rng = rng_for("orders")
    rows = []
    for customer in customers.itertuples():
        if customer.segment == "puppy":
            orders = simulate_puppy(rng)
        elif customer.segment == "senior":
            orders = simulate_senior(rng, customer.planted_at_risk, customer.stockout_loss)
        elif customer.segment == "budget":
            orders = simulate_budget(rng)
        elif customer.segment == "natural":
            orders = simulate_natural(rng, customer.planted_at_risk)
        else:
            orders = simulate_b2b(rng, customer.planted_at_risk)
        rows += [(customer.customer_id, day, amount, category) for day, amount, category in orders
                 if FIRST_DAY <= day <= LAST_DAY]
    orders = pd.DataFrame(rows, columns=["customer_id", "order_date", "amount_sek", "product_category"])
    orders = orders.sort_values(["order_date", "customer_id", "amount_sek", "product_category"], kind="mergesort")
    orders.insert(0, "order_id", [f"HH-{200001 + i}" for i in range(len(orders))])
    return orders.reset_index(drop=True)


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def write_orders(orders: pd.DataFrame, path: Path) -> None:
    out = orders.copy()
    out["order_date"] = out["order_date"].map(date.isoformat)
    out["amount_sek"] = out["amount_sek"].map(lambda v: f"{v:.2f}")
    write_csv(out, path)


# --------------------------------------------------------------------------------------------
# Survey: questions and the closed-answer profile of each segment
# --------------------------------------------------------------------------------------------

Q_AGE = "What is your age?"
Q_GENDER = "What is your gender?"
Q_COUNTRY = "Which country do you live in?"
Q_HOUSEHOLD = "Which best describes your household?"
Q_OCCUPATION = "Which best describes your current occupation?"
Q_INCOME = "What is your household's approximate annual income before tax (SEK)?"
Q_PETS = "Which animals do you buy for? (select all that apply)"
Q_STAGE = "What life stage is the pet you mostly buy for?"
Q_HEARD = "Where did you first hear about Hyggehund?"
Q_FOLLOW = "Where do you follow us or get advice about pet care? (select all that apply)"
Q_FREQUENCY = "How often do you order from Hyggehund?"
Q_DRIVER = "What matters most to you when choosing where to buy pet food and supplies?"
Q_BARRIER = "What is the main thing that stops you from buying more from Hyggehund?"
Q_CONTACT = "How do you prefer to contact our customer service?"
Q_SATISFACTION = "Overall, how satisfied are you with Hyggehund? (1 = very dissatisfied, 5 = very satisfied)"
Q_DELIVERY = "How satisfied are you with our delivery, its speed and reliability? (1 = very dissatisfied, 5 = very satisfied)"
Q_NPS = ("How likely are you to recommend Hyggehund to a friend or colleague? "
         "(0 = not at all likely, 10 = extremely likely)")
Q_LIKE = "What do you like most about Hyggehund?"
Q_ANNOY = "Has anything gone wrong with an order, or is there anything that annoys you about Hyggehund?"
Q_CHANGE = "If you could change or add one thing at Hyggehund, what would it be?"
Q_ELSE = "Is there anything else you would like to tell us about you and your pets?"
FREE_TEXT_QUESTIONS = {"like": Q_LIKE, "annoy": Q_ANNOY, "change": Q_CHANGE, "else": Q_ELSE}
EMPTY_SHARE = {"like": 0.14, "annoy": 0.2, "change": 0.28, "else": 0.75}
# Google Forms keeps the form's order: the two first free-text questions follow satisfaction.
QUESTION_ORDER = (Q_AGE, Q_GENDER, Q_COUNTRY, Q_HOUSEHOLD, Q_OCCUPATION, Q_INCOME, Q_PETS, Q_STAGE, Q_HEARD,
                  Q_FOLLOW, Q_FREQUENCY, Q_DRIVER, Q_BARRIER, Q_CONTACT, Q_SATISFACTION, Q_LIKE, Q_ANNOY,
                  Q_DELIVERY, Q_NPS, Q_CHANGE, Q_ELSE)
CLOSED_QUESTIONS = tuple(q for q in QUESTION_ORDER if q not in FREE_TEXT_QUESTIONS.values())
COLUMNS = ("Timestamp", "Respondent ID", "Customer ID", *QUESTION_ORDER)

AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
COUNTRY_SHARES = {"Sweden": 31, "Germany": 26, "Netherlands": 24, "Norway": 12, "Finland": 7}
LANGUAGE_BY_COUNTRY = {  # the language a respondent writes free text in
    "Sweden": {"sv": 74, "en": 22, "ru": 4},
    "Germany": {"de": 80, "en": 16, "ru": 4},
    "Netherlands": {"nl": 76, "en": 24},
    "Norway": {"no": 75, "en": 20, "ru": 5},
    "Finland": {"sv": 35, "en": 35, "ru": 30},
}
HOUSEHOLD = ("Living alone", "Couple without children", "Family with children at home",
             "Couple, children moved out", "Shared housing / other")
OCCUPATION = ("Student", "Employee (office or service)", "Specialist or professional (IT/health/engineering/finance)",
              "Manager or executive", "Skilled trade / manual work",
              "Self-employed in the pet trade (grooming/kennel/daycare)", "Self-employed (other)", "Retired",
              "Parental leave / not working")
INCOME = ("Under SEK 300,000", "SEK 300,000–499,999", "SEK 500,000–799,999", "SEK 800,000–1,199,999",
          "SEK 1,200,000 or more", "Prefer not to say")
PETS = ("One dog", "Two or more dogs", "One cat", "Two or more cats", "Other small pets",
        "Animals in my care at work (salon/kennel/daycare)")
PETS_NONE = "No pets at the moment"
STAGE = ("Puppy or kitten (under 1 year)", "Young adult (1–3 years)", "Adult (4–7 years)", "Senior (8–11 years)",
         "Very senior (12 years or older)", "Many animals of all ages (business)")
HEARD = ("Instagram or TikTok", "Facebook", "Price comparison site (Prisjakt/PriceRunner/idealo)", "Google search",
         "My vet or vet clinic", "Breeder recommended it", "Friend or family", "Trade fair or industry network",
         "Podcast or blog about pet nutrition")
FOLLOW = ("Instagram", "TikTok", "Facebook", "YouTube", "Hyggehund newsletter", "Breed clubs and forums",
          "Pet nutrition podcasts", "LinkedIn")
FOLLOW_NONE = "I don't follow any channels"
FREQUENCY = ("Every 2–3 weeks", "About once a month (e.g. food subscription)", "Every 1–2 months",
             "Mostly during campaigns and sales", "A few times a year", "This was my first order")
DRIVER = ("Low prices and multi-buy discounts", "Advice and guidance I can trust", "Reliable supply of vet-diet food",
          "Natural ingredients and sustainability", "Invoice, bulk prices and fixed delivery days", "Fast delivery")
BARRIER = ("Shipping cost for heavy orders", "Products out of stock", "Delivery takes too long",
           "Not sure which product is right for my pet", "Unclear ingredient and origin information",
           "No invoice payment / business account", "Prices are too high", "Nothing, I buy what I need")
CONTACT = ("Chat on the website", "E-mail", "Phone", "Instagram or Facebook messages", "A personal account manager",
           "I never contact customer service")


def _weights(options: Sequence[str], **by_index: float) -> dict[str, float]:
    """Weights over all options (unlisted ones get 0), given by option index as ``o0``, ``o1``…"""
    return {option: by_index.get(f"o{i}", 0.0) for i, option in enumerate(options)}


# Each segment's answer weights. A 5 % uniform share is mixed into every single-choice categorical
# answer so segments overlap like real respondents do. Multi-select questions give per-option
# probabilities.
PROFILES: dict[str, dict] = {
    "puppy": {
        Q_AGE: _weights(AGE_BANDS, o0=15, o1=55, o2=20, o3=7, o4=3),
        Q_GENDER: {"Female": 66, "Male": 30, "Non-binary": 2, "Prefer not to say": 2},
        Q_HOUSEHOLD: _weights(HOUSEHOLD, o0=25, o1=45, o2=20, o4=10),
        Q_OCCUPATION: _weights(OCCUPATION, o0=12, o1=40, o2=30, o3=6, o4=6, o8=6),
        Q_INCOME: _weights(INCOME, o0=18, o1=40, o2=30, o3=8, o5=4),
        Q_PETS: {"One dog": 0.75, "One cat": 0.22, "Two or more dogs": 0.03, "Two or more cats": 0.05,
                 "Other small pets": 0.05},
        Q_STAGE: _weights(STAGE, o0=80, o1=18, o2=2),
        Q_HEARD: _weights(HEARD, o0=50, o3=8, o4=2, o5=32, o6=8),
        Q_FOLLOW: {"Instagram": 0.85, "TikTok": 0.7, "YouTube": 0.3, "Facebook": 0.15, "Hyggehund newsletter": 0.35,
                   "Breed clubs and forums": 0.25, "Pet nutrition podcasts": 0.1, "LinkedIn": 0.02},
        Q_FREQUENCY: _weights(FREQUENCY, o0=50, o1=15, o2=10, o3=3, o4=2, o5=20),
        Q_DRIVER: _weights(DRIVER, o0=8, o1=65, o3=15, o5=12),
        Q_BARRIER: _weights(BARRIER, o1=5, o2=15, o3=55, o6=15, o7=10),
        Q_CONTACT: _weights(CONTACT, o0=55, o1=8, o2=2, o3=35),
        Q_SATISFACTION: {2: 6, 3: 24, 4: 45, 5: 25},
        Q_DELIVERY: {2: 10, 3: 30, 4: 40, 5: 20},
        Q_NPS: (7.8, 1.5),
    },
    "senior": {
        Q_AGE: _weights(AGE_BANDS, o3=15, o4=40, o5=45),
        Q_GENDER: {"Female": 70, "Male": 28, "Non-binary": 0, "Prefer not to say": 2},
        Q_HOUSEHOLD: _weights(HOUSEHOLD, o0=35, o1=10, o2=5, o3=50),
        Q_OCCUPATION: _weights(OCCUPATION, o1=20, o2=10, o3=8, o6=7, o7=55),
        Q_INCOME: _weights(INCOME, o0=25, o1=40, o2=25, o3=5, o5=5),
        Q_PETS: {"One dog": 0.6, "One cat": 0.45, "Two or more dogs": 0.08, "Two or more cats": 0.1,
                 "Other small pets": 0.02},
        Q_STAGE: _weights(STAGE, o2=5, o3=40, o4=55),
        Q_HEARD: _weights(HEARD, o1=5, o3=25, o4=55, o6=15),
        Q_FOLLOW: {"Hyggehund newsletter": 0.65, "Facebook": 0.6, "Instagram": 0.1, "YouTube": 0.05, "TikTok": 0.0,
                   "Breed clubs and forums": 0.15, "Pet nutrition podcasts": 0.02, "LinkedIn": 0.02},
        Q_FREQUENCY: _weights(FREQUENCY, o0=10, o1=25, o2=55, o4=10),
        Q_DRIVER: _weights(DRIVER, o0=5, o1=15, o2=65, o5=15),
        Q_BARRIER: _weights(BARRIER, o1=60, o2=20, o6=5, o7=15),
        Q_CONTACT: _weights(CONTACT, o0=8, o1=25, o2=65, o3=2),
        Q_SATISFACTION: {2: 8, 3: 20, 4: 42, 5: 30},
        Q_DELIVERY: {1: 8, 2: 20, 3: 32, 4: 30, 5: 10},
        Q_NPS: (7.6, 1.8),
    },
    "budget": {
        Q_AGE: _weights(AGE_BANDS, o0=5, o1=20, o2=50, o3=25),
        Q_GENDER: {"Female": 60, "Male": 38, "Non-binary": 1, "Prefer not to say": 1},
        Q_HOUSEHOLD: _weights(HOUSEHOLD, o0=10, o1=15, o2=70, o4=5),
        Q_OCCUPATION: _weights(OCCUPATION, o0=5, o1=45, o2=10, o4=25, o6=5, o8=10),
        Q_INCOME: _weights(INCOME, o0=20, o1=50, o2=25, o3=3, o5=2),
        Q_PETS: {"Two or more dogs": 0.55, "Two or more cats": 0.6, "One dog": 0.35, "One cat": 0.3,
                 "Other small pets": 0.35},
        Q_STAGE: _weights(STAGE, o0=5, o1=30, o2=55, o3=10),
        Q_HEARD: _weights(HEARD, o1=35, o2=45, o3=8, o6=12),
        Q_FOLLOW: {"Facebook": 0.75, "Hyggehund newsletter": 0.55, "Instagram": 0.4, "TikTok": 0.2, "YouTube": 0.1,
                   "Breed clubs and forums": 0.05, "Pet nutrition podcasts": 0.0, "LinkedIn": 0.02},
        Q_FREQUENCY: _weights(FREQUENCY, o2=15, o3=65, o4=15, o5=5),
        Q_DRIVER: _weights(DRIVER, o0=75, o1=5, o3=5, o5=15),
        Q_BARRIER: _weights(BARRIER, o0=65, o2=5, o6=25, o7=5),
        Q_CONTACT: _weights(CONTACT, o0=45, o1=35, o2=5, o3=15),
        Q_SATISFACTION: {1: 4, 2: 12, 3: 40, 4: 34, 5: 10},
        Q_DELIVERY: {1: 10, 2: 25, 3: 35, 4: 25, 5: 5},
        Q_NPS: (6.2, 1.9),
    },
    "natural": {
        Q_AGE: _weights(AGE_BANDS, o1=35, o2=45, o3=15, o4=5),
        Q_GENDER: {"Female": 72, "Male": 25, "Non-binary": 2, "Prefer not to say": 1},
        Q_HOUSEHOLD: _weights(HOUSEHOLD, o0=20, o1=50, o2=25, o4=5),
        Q_OCCUPATION: _weights(OCCUPATION, o1=10, o2=55, o3=25, o6=10),
        Q_INCOME: _weights(INCOME, o1=5, o2=35, o3=40, o4=18, o5=2),
        Q_PETS: {"One dog": 0.65, "One cat": 0.35, "Two or more dogs": 0.15, "Two or more cats": 0.1,
                 "Other small pets": 0.03},
        Q_STAGE: _weights(STAGE, o1=35, o2=55, o3=10),
        Q_HEARD: _weights(HEARD, o0=20, o3=15, o6=15, o8=50),
        Q_FOLLOW: {"Instagram": 0.6, "Pet nutrition podcasts": 0.7, "Hyggehund newsletter": 0.6, "YouTube": 0.3,
                   "TikTok": 0.05, "Facebook": 0.15, "Breed clubs and forums": 0.2, "LinkedIn": 0.1},
        Q_FREQUENCY: _weights(FREQUENCY, o0=3, o1=85, o2=10, o5=2),
        Q_DRIVER: _weights(DRIVER, o0=5, o1=10, o3=80, o5=5),
        Q_BARRIER: _weights(BARRIER, o1=10, o4=45, o6=25, o7=20),
        Q_CONTACT: _weights(CONTACT, o0=25, o1=60, o2=5, o3=10),
        Q_SATISFACTION: {2: 8, 3: 20, 4: 40, 5: 32},
        Q_DELIVERY: {2: 8, 3: 25, 4: 45, 5: 22},
        Q_NPS: (8.2, 1.4),
    },
    "b2b": {
        Q_AGE: _weights(AGE_BANDS, o1=25, o2=40, o3=25, o4=10),
        Q_GENDER: {"Female": 80, "Male": 18, "Non-binary": 0, "Prefer not to say": 2},
        Q_HOUSEHOLD: _weights(HOUSEHOLD, o0=20, o1=35, o2=40, o3=5),
        Q_OCCUPATION: _weights(OCCUPATION, o1=5, o3=10, o5=85),
        Q_INCOME: _weights(INCOME, o1=25, o2=40, o3=20, o5=15),
        Q_PETS: {"Animals in my care at work (salon/kennel/daycare)": 0.95, "Two or more dogs": 0.6, "One dog": 0.3,
                 "One cat": 0.1, "Two or more cats": 0.05},
        Q_STAGE: _weights(STAGE, o1=5, o2=10, o5=85),
        Q_HEARD: _weights(HEARD, o1=10, o3=15, o6=20, o7=55),
        Q_FOLLOW: {"Facebook": 0.6, "Instagram": 0.5, "Hyggehund newsletter": 0.5, "LinkedIn": 0.45,
                   "Breed clubs and forums": 0.3, "TikTok": 0.05, "YouTube": 0.05, "Pet nutrition podcasts": 0.05},
        Q_FREQUENCY: _weights(FREQUENCY, o0=60, o1=30, o2=10),
        Q_DRIVER: _weights(DRIVER, o0=10, o4=75, o5=15),
        Q_BARRIER: _weights(BARRIER, o1=10, o2=15, o5=65, o7=10),
        Q_CONTACT: _weights(CONTACT, o1=25, o2=35, o4=40),
        Q_SATISFACTION: {2: 10, 3: 35, 4: 40, 5: 15},
        Q_DELIVERY: {2: 10, 3: 35, 4: 40, 5: 15},
        Q_NPS: (7.0, 1.6),
    },
}

# Which planted themes each segment's free text expresses, and how often.
THEME_WEIGHTS: dict[str, dict[str, dict[str, float]]] = {
    "puppy": {"complaint": {"unclear_ingredients": 4, "slow_delivery": 2, "torn_bag": 1.5, "heavy_shipping": 0.5},
              "wish": {"unclear_ingredients": 4, "slow_delivery": 1.5, "pause_subscription": 1}},
    "senior": {"complaint": {"vetdiet_stockout": 5, "slow_delivery": 3, "torn_bag": 1, "unclear_ingredients": 1},
               "wish": {"vetdiet_stockout": 5, "slow_delivery": 2, "pause_subscription": 0.5}},
    "budget": {"complaint": {"heavy_shipping": 5, "torn_bag": 3, "slow_delivery": 2},
               "wish": {"heavy_shipping": 6, "torn_bag": 1.5, "slow_delivery": 1}},
    "natural": {"complaint": {"refused_recipe": 3.5, "unclear_ingredients": 3, "pause_subscription": 3, "torn_bag": 1},
                "wish": {"pause_subscription": 4.5, "unclear_ingredients": 3, "refused_recipe": 1.5}},
    "b2b": {"complaint": {"invoice_payment": 6, "slow_delivery": 2, "torn_bag": 2, "heavy_shipping": 1},
            "wish": {"invoice_payment": 6, "slow_delivery": 1, "torn_bag": 1}},
}
PRAISE_CHANCE = {  # probability that a "what do you like" answer contains the praise theme
    "puppy": {"helpful_advice": 0.5},
    "senior": {"helpful_advice": 0.35, "never_run_out": 0.2},
    "budget": {},
    "natural": {"never_run_out": 0.35},
    "b2b": {"never_run_out": 0.3},
}
# Paraphrases that only fit some segments (index into the parallel lists of every language):
# the puppy-food allergen complaint is for puppy owners, the kidney-diet call for senior carers…
FRAGMENT_FIT: dict[tuple[str, str], dict[str, tuple[int, ...]]] = {
    ("unclear_ingredients", "complaint"): {"puppy": (0, 1), "senior": (0, 2), "natural": (0, 2)},
    ("helpful_advice", "praise"): {"puppy": (0, 2), "senior": (1,)},
    ("never_run_out", "praise"): {"b2b": (1, 2)},
}


class _Slots(dict):
    """format_map mapping that draws a fresh value for each {slot} it is asked for."""

    def __init__(self, language: str, rng: np.random.Generator):
        super().__init__()
        self.language, self.rng = language, rng

    def __missing__(self, key: str) -> str:
        values = T.SLOT_VALUES[self.language].get(key) or T.SLOT_VALUES["*"][key]
        return pick(self.rng, values)


def theme_fragment(rng: np.random.Generator, theme: str, language: str, form: str, segment: str,
                   slots: _Slots) -> str:
    texts = T.THEME_TEXT[theme][language]
    pool = texts.get(form) or [text for f in ("complaint", "wish", "praise") for text in texts.get(f, [])]
    fit = FRAGMENT_FIT.get((theme, form), {}).get(segment)
    if fit:
        pool = [pool[i] for i in fit if i < len(pool)] or pool
    return pick(rng, pool).format_map(slots)


def compose_answer(rng: np.random.Generator, segment: str, key: str, language: str) -> tuple[str, list[str]]:
    """One free-text answer and the planted themes it expresses."""
    slots = _Slots(language, rng)
    if key != "else" and rng.random() < 0.06:
        return pick(rng, T.SHORT_ANSWERS[language][key]), []
    plain = T.SEGMENT_TEXT[language][segment]
    parts: list[tuple[str, str | None]] = []
    if key == "like":
        for theme, chance in PRAISE_CHANCE[segment].items():
            if rng.random() < chance:
                parts.append((theme_fragment(rng, theme, language, "praise", segment, slots), theme))
        count = int(rng.choice([1, 2], p=[0.5, 0.5])) if not parts else int(rng.integers(0, 2))
        pool = plain["like"]
        for i in rng.choice(len(pool), size=min(count, len(pool)), replace=False):
            parts.append((pool[int(i)].format_map(slots), None))
    elif key in ("annoy", "change"):
        form = "complaint" if key == "annoy" else "wish"
        weights = THEME_WEIGHTS[segment][form]
        if rng.random() < 0.8:
            first = pick_weighted(rng, weights)
            parts.append((theme_fragment(rng, first, language, form, segment, slots), first))
            if rng.random() < 0.2:
                second = pick_weighted(rng, {t: w for t, w in weights.items() if t != first})
                parts.append((theme_fragment(rng, second, language, form, segment, slots), second))
        if not parts or rng.random() < 0.35:
            parts.append((pick(rng, plain[key]).format_map(slots), None))
    elif rng.random() < 0.3:  # "anything else": now and then a wish, mostly a closing remark
        theme = pick_weighted(rng, THEME_WEIGHTS[segment]["wish"])
        parts.append((theme_fragment(rng, theme, language, "wish", segment, slots), theme))
    else:
        parts.append((pick(rng, T.CLOSING_REMARKS[language]).format_map(slots), None))
    if len(parts) > 1:
        parts = [parts[int(i)] for i in rng.permutation(len(parts))]
    if key != "else" and rng.random() < 0.08:
        parts.insert(0, (pick(rng, T.OPENERS[language]), None))
    if key != "else" and rng.random() < 0.22:
        parts.append((pick(rng, T.TAILS[language][key]), None))
    text = " ".join(part for part, _ in parts)
    if language == "en" and rng.random() < 0.05:
        text = text.lower()
    if rng.random() < 0.1 and text.endswith("."):
        text = text[:-1]
    return text, list(dict.fromkeys(theme for _, theme in parts if theme))


# --------------------------------------------------------------------------------------------
# Survey: respondents
# --------------------------------------------------------------------------------------------

# Interviewees who also answered the survey: their row gets the interview's facts.
SURVEY_PERSONAS = {
    "best_b2b": {Q_COUNTRY: "Sweden", "language": "sv", Q_AGE: "35-44", Q_GENDER: "Female",
                 Q_OCCUPATION: OCCUPATION[5], Q_PETS: PETS[5], Q_STAGE: STAGE[5], Q_HEARD: HEARD[7],
                 Q_BARRIER: BARRIER[5], Q_SATISFACTION: 4, Q_NPS: 9},
    "best_senior": {Q_COUNTRY: "Germany", "language": "de", Q_AGE: "65+", Q_GENDER: "Female",
                    Q_HOUSEHOLD: "Living alone", Q_OCCUPATION: "Retired", Q_PETS: "One dog", Q_STAGE: STAGE[4],
                    Q_HEARD: HEARD[4], Q_BARRIER: BARRIER[1], Q_CONTACT: "Phone", Q_SATISFACTION: 5, Q_NPS: 9},
    "best_natural": {Q_COUNTRY: "Netherlands", "language": "nl", Q_AGE: "35-44", Q_GENDER: "Female",
                     Q_HOUSEHOLD: "Couple without children", Q_OCCUPATION: OCCUPATION[2], Q_PETS: "One dog",
                     Q_STAGE: STAGE[2], Q_HEARD: HEARD[8], Q_FREQUENCY: FREQUENCY[1], Q_SATISFACTION: 5, Q_NPS: 9},
    "worst_natural": {Q_COUNTRY: "Sweden", "language": "en", Q_AGE: "25-34", Q_GENDER: "Female",
                      Q_HOUSEHOLD: "Couple without children", Q_OCCUPATION: OCCUPATION[2], Q_PETS: "Two or more dogs",
                      Q_STAGE: STAGE[2], Q_HEARD: HEARD[8], Q_FREQUENCY: FREQUENCY[1], Q_BARRIER: BARRIER[4],
                      Q_SATISFACTION: 2, Q_NPS: 3},
}


@dataclass(frozen=True)
class PlantedPii:
    respondent_id: str
    column: str
    kind: str
    value: str
    text: str
    themes: tuple[str, ...]


@dataclass
class Survey:
    frame: pd.DataFrame
    respondents: pd.DataFrame  # respondent_id, segment, language, country, customer_id
    answer_themes: dict[tuple[str, str], list[str]]  # (respondent id, question) → themes
    pii: list[PlantedPii] = field(default_factory=list)
    persona_rows: dict[str, str] = field(default_factory=dict)  # interview key → respondent id


def survey_timestamps(rng: np.random.Generator, count: int) -> list[datetime]:
    """Invite sent Tue 6 Oct 2026, reminder a week later; answers mostly in the evening."""
    hours = np.arange(7, 24)
    hour_weights = np.array([2, 4, 5, 5, 4, 5, 6, 4, 4, 4, 5, 7, 9, 10, 9, 6, 3], dtype=float)
    stamps = []
    for _ in range(count):
        day = min(int(rng.exponential(3.5)), 19) if rng.random() < 0.72 else 7 + min(int(rng.exponential(2.5)), 12)
        hour = int(rng.choice(hours, p=hour_weights / hour_weights.sum()))
        stamps.append(datetime(2026, 10, 6) + timedelta(days=day, hours=hour, minutes=int(rng.integers(60)),
                                                        seconds=int(rng.integers(60))))
    return sorted(stamps)


def closed_answer(rng: np.random.Generator, segment: str, question: str):
    spec = PROFILES[segment][question]
    if question == Q_NPS:
        mean, spread = spec
        return int(np.clip(round(rng.normal(mean, spread)), 0, 10))
    if question in (Q_SATISFACTION, Q_DELIVERY):
        return int(pick_weighted(rng, spec))
    if question in (Q_PETS, Q_FOLLOW):
        options, none = (PETS, PETS_NONE) if question == Q_PETS else (FOLLOW, FOLLOW_NONE)
        chosen = [option for option in options if rng.random() < spec.get(option, 0.0)]
        return ", ".join(chosen) if chosen else none
    return pick_weighted(rng, spec, noise=0.05)


def build_survey(customers: pd.DataFrame, orders: pd.DataFrame, interviewees: dict[str, str]) -> Survey:
    rng, text_rng = rng_for("survey"), rng_for("survey_free_text")  # text edits must not reshuffle closed answers
    segments = np.repeat(SEGMENTS, [RESPONDENTS_PER_SEGMENT[s] for s in SEGMENTS])
    segments = segments[rng.permutation(len(segments))]
    stamps = survey_timestamps(rng, len(segments))
    linked = set(rng.choice(len(segments), size=round(len(segments) * LINKED_SHARE), replace=False).tolist())
    first_order = orders.groupby("customer_id")["order_date"].min()
    interviewed = set(interviewees.values())
    pools = {s: [cid for cid in rng.permutation(customers.loc[customers["segment"] == s, "customer_id"].to_numpy())
                 if cid not in interviewed] for s in SEGMENTS}

    rows, respondents, themes = [], [], {}
    for index, (segment, stamp) in enumerate(zip(segments, stamps, strict=True)):
        respondent_id = f"R{index + 1:04d}"
        customer_id = ""
        if index in linked:
            pool = pools[segment]
            position = next(i for i, cid in enumerate(pool) if first_order[cid] < stamp.date())
            customer_id = str(pool.pop(position))
        country = pick_weighted(rng, COUNTRY_SHARES)
        language = pick_weighted(rng, LANGUAGE_BY_COUNTRY[country])
        row = {"Timestamp": stamp.strftime("%Y-%m-%d %H:%M:%S"), "Respondent ID": respondent_id,
               "Customer ID": customer_id}
        for question in QUESTION_ORDER:
            if question == Q_COUNTRY:
                row[question] = country
            elif question in CLOSED_QUESTIONS:
                row[question] = closed_answer(rng, segment, question)
        for key, question in FREE_TEXT_QUESTIONS.items():
            empty = text_rng.random() < EMPTY_SHARE[key]
            text, found = ("", []) if empty else compose_answer(text_rng, segment, key, language)
            row[question] = text
            themes[(respondent_id, question)] = found
        rows.append(row)
        respondents.append({"respondent_id": respondent_id, "segment": segment, "language": language,
                            "country": country, "customer_id": customer_id})
    survey = Survey(pd.DataFrame(rows, columns=list(COLUMNS)), pd.DataFrame(respondents), themes)
    plant_personas(survey, interviewees, text_rng)
    plant_pii(survey)
    check_survey(survey)
    return survey


def plant_personas(survey: Survey, interviewees: dict[str, str], rng: np.random.Generator) -> None:
    """Some interviewees answered the survey too: give a linked respondent of their segment their id and facts."""
    frame, people = survey.frame, survey.respondents
    taken: set[int] = set()
    for key, persona in SURVEY_PERSONAS.items():
        segment = T.INTERVIEWS[key]["segment"]
        row = next(i for i in people.index if people.loc[i, "segment"] == segment and i not in taken
                   and people.loc[i, "customer_id"] != "")
        taken.add(row)
        respondent_id = people.loc[row, "respondent_id"]
        frame.loc[row, "Customer ID"] = people.loc[row, "customer_id"] = interviewees[key]
        language = persona["language"]
        people.loc[row, "language"], people.loc[row, "country"] = language, persona[Q_COUNTRY]
        for question, value in persona.items():
            if question != "language":
                frame.loc[row, question] = value
        for key_, question in FREE_TEXT_QUESTIONS.items():
            text, found = ("", []) if key_ == "else" else compose_answer(rng, segment, key_, language)
            frame.loc[row, question] = text
            survey.answer_themes[(respondent_id, question)] = found
        survey.persona_rows[key] = respondent_id


def plant_pii(survey: Survey) -> None:
    """Answers with personal data, written the way people write it, for the ingest's redaction to catch."""
    plans = [
        ("e-mail (obfuscated with (at))", PII_EMAIL, "senior", "sv", Q_ELSE, (),
         f"Jag ställer gärna upp på en intervju om njurdieter och äldre katter. Mejla mig på {PII_EMAIL}."),
        ("phone number (Swedish mobile)", PII_PHONE, "b2b", "sv", Q_ELSE, ("invoice_payment",),
         f"Vi behöver kunna betala mot faktura till salongen. Ring mig gärna på {PII_PHONE} så berättar jag hur vi gör med andra leverantörer."),
        ("street address (German)", PII_ADDRESS, "budget", "de", Q_ANNOY, ("torn_bag",),
         f"Der 15-kg-Sack kam aufgerissen an, und der Bote hat das Paket beim Nachbarn abgegeben. Bitte liefert künftig an {PII_ADDRESS} und nicht mehr an die alte Adresse aus meinem Konto."),
    ]
    people = survey.respondents
    persona_ids = set(survey.persona_rows.values())
    for kind, value, segment, language, column, themes, text in plans:
        row = next(i for i in people.index if people.loc[i, "segment"] == segment
                   and people.loc[i, "language"] == language and people.loc[i, "respondent_id"] not in persona_ids)
        respondent_id = people.loc[row, "respondent_id"]
        survey.frame.loc[row, column] = text
        survey.answer_themes[(respondent_id, column)] = list(themes)
        survey.pii.append(PlantedPii(respondent_id, column, kind, value, text, themes))


def free_text_records(survey: Survey) -> list[dict]:
    """One record per non-empty free-text answer: where it is, its language and its planted themes."""
    records = []
    positions = {question: COLUMNS.index(question) + 1 for question in FREE_TEXT_QUESTIONS.values()}
    languages = dict(zip(survey.respondents["respondent_id"], survey.respondents["language"], strict=True))
    for row in survey.frame.itertuples(index=False):
        respondent_id = row[1]
        for question, position in positions.items():
            if not row[position - 1]:
                continue
            records.append({"respondent_id": respondent_id, "column": question, "column_position": position,
                            "evidence_id": f"{SURVEY_FILE}#{respondent_id}:q{position}",
                            "language": languages[respondent_id],
                            "themes": survey.answer_themes[(respondent_id, question)], "text": row[position - 1]})
    return records


def check_survey(survey: Survey) -> None:
    """Fail loudly if the draw misses what the evaluation relies on (change weights or seed)."""
    records = free_text_records(survey)
    shares = Counter(r["language"] for r in records)
    low = [lang for lang in ("sv", "de", "nl", "en") if shares[lang] / len(records) < 0.15]
    if low:
        raise RuntimeError(f"free-text languages below 15 %: {low} ({dict(shares)})")
    for theme in T.THEMES:
        languages = {r["language"] for r in records if theme in r["themes"]}
        if len(languages) < 3:
            raise RuntimeError(f"theme {theme} appears in only {sorted(languages)}")


# --------------------------------------------------------------------------------------------
# Analytics. Age, gender and purchases by country follow the survey; USERS by country do not:
# since the idealo / Google Shopping campaign started on 3 Aug 2026, German visitors are ~42 % of
# users but buy like before — the planted disagreement. Conversions and revenue are ~90 % of the
# shop's own orders (consent loss).
# --------------------------------------------------------------------------------------------

GA_PERIOD = (date(2026, 8, 1), date(2026, 10, 31))
GA_TRACKED_SHARE = 0.9
GA_GERMANY_USER_SHARE = 0.42
DEVICES = ("mobile", "desktop", "tablet")
DEVICE_BY_AGE = {
    "18-24": (0.84, 0.12, 0.04), "25-34": (0.70, 0.26, 0.04), "35-44": (0.58, 0.36, 0.06),
    "45-54": (0.47, 0.44, 0.09), "55-64": (0.36, 0.46, 0.18), "65+": (0.28, 0.45, 0.27),
}
DEVICE_CONVERSION_FACTOR = {"mobile": 0.75, "desktop": 1.5, "tablet": 1.1}
AOV_BY_AGE = {"18-24": 650.0, "25-34": 760.0, "35-44": 1150.0, "45-54": 1350.0, "55-64": 1050.0, "65+": 980.0}
CHANNELS = (  # channel, share of users, conversion rate, relative order value
    ("Organic Search", 0.25, 0.020, 1.10),
    ("Paid Shopping (idealo, Google Shopping)", 0.22, 0.004, 0.80),
    ("Paid Search", 0.12, 0.016, 1.00),
    ("Organic Social", 0.13, 0.006, 0.60),
    ("Direct", 0.11, 0.028, 1.50),
    ("Email", 0.10, 0.040, 1.00),
    ("Referral", 0.07, 0.018, 1.20),
)


def survey_shares(survey: pd.DataFrame, question: str, order: Sequence[str]) -> pd.Series:
    return survey[question].value_counts(normalize=True).reindex(list(order), fill_value=0.0)


def orders_between(orders: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    return orders[(orders["order_date"] >= first) & (orders["order_date"] <= last)]


def build_ga_audience(survey: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    rng = rng_for("ga_audience")
    period = orders_between(orders, *GA_PERIOD)
    tracked_conversions = round(len(period) * GA_TRACKED_SHARE)
    tracked_revenue = period["amount_sek"].sum() * GA_TRACKED_SHARE
    total_users = 46_000 + int(rng.integers(0, 3_000))

    age = survey_shares(survey, Q_AGE, AGE_BANDS)
    gender = survey_shares(survey, Q_GENDER, ("Female", "Male"))
    gender = gender / gender.sum()
    countries = survey_shares(survey, Q_COUNTRY, list(COUNTRY_SHARES))
    user_country = countries * (1 - GA_GERMANY_USER_SHARE) / (1 - countries["Germany"])
    user_country["Germany"] = GA_GERMANY_USER_SHARE
    user_country = user_country * np.exp(rng.normal(0, 0.03, len(user_country)))
    users_by_country = rng.multinomial(total_users, (user_country / user_country.sum()).to_numpy())
    conversion_country = countries * np.exp(rng.normal(0, 0.03, len(countries)))
    conversions_by_country = rng.multinomial(tracked_conversions,
                                             (conversion_country / conversion_country.sum()).to_numpy())

    cells = [(a, g.lower(), d) for a in AGE_BANDS for g in gender.index for d in DEVICES]
    rows = []
    for country, users_total, conversions_total in zip(countries.index, users_by_country, conversions_by_country,
                                                       strict=True):
        probs = np.array([age[a] * gender[g.title()] * DEVICE_BY_AGE[a][DEVICES.index(d)] for a, g, d in cells])
        probs = probs * np.exp(rng.normal(0, 0.12, len(cells)))
        users = rng.multinomial(users_total, probs / probs.sum())
        weights = users * np.array([DEVICE_CONVERSION_FACTOR[d] for _, _, d in cells])
        conversions = rng.multinomial(conversions_total, weights / weights.sum())
        for (a, g, d), n_users, n_conv in zip(cells, users, conversions, strict=True):
            if n_users == 0:
                continue
            n_conv = min(int(n_conv), int(n_users))
            rows.append({"Age": a, "Gender": g, "Country": country, "Device category": d, "Users": int(n_users),
                         "Sessions": int(round(n_users * rng.uniform(1.2, 1.8))), "Conversions": n_conv,
                         "Revenue (SEK)": n_conv * AOV_BY_AGE[a] * float(np.exp(rng.normal(0, 0.12)))})
    audience = pd.DataFrame(rows)
    audience["Revenue (SEK)"] = (audience["Revenue (SEK)"] * tracked_revenue / audience["Revenue (SEK)"].sum()).round(2)
    return audience


def write_ga_audience(audience: pd.DataFrame, path: Path) -> None:
    out = audience.copy()
    out["Revenue (SEK)"] = out["Revenue (SEK)"].map(lambda v: f"{v:.2f}")
    write_csv(out, path)


TICKET_REASONS = (  # reason, share, planted theme it corresponds to (truth only)
    ("Delivery late or tracking not updating", 0.19, "slow_delivery"),
    ("Pause, skip or cancel the food subscription", 0.14, "pause_subscription"),
    ("Bag or parcel damaged on arrival", 0.12, "torn_bag"),
    ("Ingredients and allergens", 0.12, "unclear_ingredients"),
    ("Shipping cost and heavy-parcel surcharge", 0.10, "heavy_shipping"),
    ("Feeding advice (portions, puppies, diets)", 0.10, None),
    ("Vet-diet availability", 0.06, "vetdiet_stockout"),
    ("Pet refuses the food / recipe questions", 0.05, "refused_recipe"),
    ("Invoice payment and business accounts", 0.05, "invoice_payment"),
    ("Other", 0.07, None),
)
TICKET_CHANNELS = {"chat": 0.46, "e-mail": 0.31, "phone": 0.15, "social media": 0.08}
TICKET_LANGUAGES = {"sv": 0.36, "de": 0.24, "nl": 0.17, "en": 0.13, "no": 0.08, "ru": 0.02}


def build_tickets(orders: pd.DataFrame) -> dict:
    rng = rng_for("support_tickets")
    october = orders_between(orders, date(2026, 10, 1), date(2026, 10, 31))
    total = int(round(len(october) * 0.45 + 40 + rng.integers(0, 10)))
    counts = rng.multinomial(total, np.array([share for _, share, _ in TICKET_REASONS]) / sum(
        share for _, share, _ in TICKET_REASONS))
    reasons = []
    for (reason, _, _), count in zip(TICKET_REASONS, counts, strict=True):
        languages = rng.multinomial(int(count), np.array(list(TICKET_LANGUAGES.values())))
        reasons.append({"reason": reason, "tickets": int(count), "share": round(float(count / total), 3),
                        "median_first_reply_hours": round(float(rng.uniform(2.5, 30.0)), 1),
                        "languages": {lang: int(n) for lang, n in zip(TICKET_LANGUAGES, languages, strict=True) if n}})
    channels = rng.multinomial(total, np.array(list(TICKET_CHANNELS.values())))
    return {
        "report": "Customer service tickets by contact reason",
        "period": {"from": "2026-10-01", "to": "2026-10-31"},
        "source": "Zendesk export, tags set by the support team",
        "total_tickets": total,
        "orders_in_period": len(october),
        "by_reason": reasons,
        "by_channel": [{"channel": name, "tickets": int(n)} for name, n in zip(TICKET_CHANNELS, channels, strict=True)],
    }


def build_channels(orders: pd.DataFrame, audience: pd.DataFrame) -> list[dict]:
    rng = rng_for("channels")
    october = orders_between(orders, date(2026, 10, 1), date(2026, 10, 31))
    users_total = round(audience["Users"].sum() / 3 * 1.04)
    conversions_total = len(october) * GA_TRACKED_SHARE
    revenue_total = october["amount_sek"].sum() * GA_TRACKED_SHARE
    users = np.array([round(users_total * share * float(np.exp(rng.normal(0, 0.05)))) for _, share, _, _ in CHANNELS])
    raw_conversions = users * np.array([rate for _, _, rate, _ in CHANNELS])
    conversions = np.round(raw_conversions * conversions_total / raw_conversions.sum())
    raw_revenue = conversions * np.array([value for *_, value in CHANNELS])
    revenue = raw_revenue * revenue_total / raw_revenue.sum()
    return [{"channel": name, "users": int(u), "conversions": int(c), "revenue": round(float(r), 2)}
            for (name, *_), u, c, r in zip(CHANNELS, users, conversions, revenue, strict=True)]


def sek(value: float, language: str = "sv", decimals: int = 0) -> str:
    """Amounts as people write them: "12 345 kr" (sv/no/ru), "12.345" (de/nl), "12,345" (en)."""
    text = f"{value:,.{decimals}f}"
    if language in ("sv", "no", "ru"):
        return text.replace(",", " ").replace(".", ",")
    if language in ("de", "nl"):
        return text.replace(",", "§").replace(".", ",").replace("§", ".")
    return text


def pct_sv(value: float, decimals: int = 0) -> str:
    return f"{value * 100:.{decimals}f}".replace(".", ",") + " %"


def change_sv(new: float, old: float) -> str:
    return f"{(new - old) / old * 100:+.0f}".replace("-", "−") + " %"


def build_monthly_summary(orders: pd.DataFrame, audience: pd.DataFrame, channels: list[dict], tickets: dict) -> str:
    """October 2026 report in Swedish (the team's working language)."""
    october = orders_between(orders, date(2026, 10, 1), date(2026, 10, 31))
    september = orders_between(orders, date(2026, 9, 1), date(2026, 9, 30))
    first_order = orders.groupby("customer_id")["order_date"].min()
    new_customers = int(first_order.map(lambda d: (d.year, d.month) == (2026, 10)).sum())
    subscribers = october.loc[october["product_category"] == "subscription", "customer_id"].nunique()
    category_names = {"dog food": "Hundfoder", "cat food": "Kattfoder", "vet diet": "Veterinärfoder",
                      "subscription": "Foderprenumeration", "treats": "Godis och tugg", "accessories": "Tillbehör",
                      "starter kit": "Valpstartpaket", "cat litter": "Kattsand", "grooming supplies": "Salongsmaterial"}

    def kpi(label: str, new: float, old: float, decimals: int = 0, unit: str = "") -> str:
        return f"| {label} | {sek(new, decimals=decimals)}{unit} | {sek(old, decimals=decimals)}{unit} | {change_sv(new, old)} |"

    category_rows = [f"| {category_names[c]} | {len(g)} | {sek(g['amount_sek'].sum())} kr | {sek(g['amount_sek'].mean())} kr |"
                     for c, g in october.groupby("product_category")]
    by_country = audience.groupby("Country")[["Users", "Conversions"]].sum().reindex(list(COUNTRY_SHARES))
    country_rows = [f"| {c} | {pct_sv(r.Users / by_country['Users'].sum())} | {pct_sv(r.Conversions / by_country['Conversions'].sum())} | "
                    f"{pct_sv(r.Conversions / r.Users, 2)} |" for c, r in by_country.iterrows()]
    channel_rows = [f"| {c['channel']} | {sek(c['users'])} | {pct_sv(c['conversions'] / c['users'], 2)} | {sek(c['revenue'])} kr |"
                    for c in channels]
    top_reasons = sorted(tickets["by_reason"], key=lambda r: -r["tickets"])[:5]
    ticket_rows = [f"| {r['reason']} | {r['tickets']} | {sek(r['median_first_reply_hours'], decimals=1)} h |" for r in top_reasons]
    germany = by_country.loc["Germany"]
    users, conversions = sum(c["users"] for c in channels), sum(c["conversions"] for c in channels)
    return "\n".join([
        "---",
        "kind: analytics",
        "period: 2026-10",
        "source: GA4 (hyggehund.se/.de/.nl/.no) + orderexport från butiksplattformen",
        "author: E-handelsteamet",
        "language: sv",
        "---",
        "",
        "# Månadsrapport oktober 2026",
        "",
        f"Oktober blev en lugn månad utan kampanj: {len(october)} ordrar och {sek(october['amount_sek'].sum())} kr i omsättning "
        f"({change_sv(october['amount_sek'].sum(), september['amount_sek'].sum())} mot september, då höstkampanjen låg). "
        f"Ordrar över 2 000 kr, nästan alla från företagskunder (salonger, pensionat, hunddagis), stod för {pct_sv(october.loc[october['amount_sek'] >= 2000, 'amount_sek'].sum() / october['amount_sek'].sum())} av omsättningen. "
        f"GA4 registrerade {sek(users)} användare och {conversions} köp; skillnaden mot orderdatan är de cirka tio procent av köparna som nekar analyscookies.",
        "",
        "## Nyckeltal (orderdata)",
        "",
        "| Nyckeltal | Oktober | September | Förändring |",
        "|---|---|---|---|",
        kpi("Ordrar", len(october), len(september)),
        kpi("Omsättning (SEK)", october["amount_sek"].sum(), september["amount_sek"].sum(), unit=" kr"),
        kpi("Snittorder (SEK)", october["amount_sek"].mean(), september["amount_sek"].mean(), unit=" kr"),
        kpi("Kunder som handlade", october["customer_id"].nunique(), september["customer_id"].nunique()),
        "",
        f"Nya kunder i oktober: {new_customers}. Aktiva prenumeranter (minst en prenumerationsorder i oktober): {subscribers}.",
        "",
        "## Ordrar per kategori (oktober)",
        "",
        "| Kategori | Ordrar | Omsättning | Snittorder |",
        "|---|---|---|---|",
        *category_rows,
        "",
        "## Trafikkällor (GA4, oktober)",
        "",
        "| Kanal | Användare | Konvertering | Intäkt |",
        "|---|---|---|---|",
        *channel_rows,
        "",
        "## Användare och köp per land (GA4, augusti–oktober)",
        "",
        "| Land | Andel användare | Andel köp | Konverteringsgrad |",
        "|---|---|---|---|",
        *country_rows,
        "",
        f"Tyskland står för {pct_sv(germany['Users'] / by_country['Users'].sum())} av användarna men bara "
        f"{pct_sv(germany['Conversions'] / by_country['Conversions'].sum())} av köpen. Det är idealo- och Google Shopping-kampanjen "
        "som startade den 3 augusti: besökarna jämför priser, ser tilläggsavgiften för tunga paket och priserna i kronor, och lämnar. "
        "Kundenkäten i oktober gick till kunder och nyhetsbrevsprenumeranter, så där är Tyskland inte alls lika stort.",
        "",
        "## Kundtjänst (oktober)",
        "",
        f"{tickets['total_tickets']} ärenden totalt (se support_tickets_2026-10.json). De fem vanligaste orsakerna:",
        "",
        "| Orsak | Ärenden | Median första svar |",
        "|---|---|---|",
        *ticket_rows,
        "",
        "## Lager och sortiment",
        "",
        "- VetLine Renal och VetLine Gastro var slut i lager 9 februari–6 mars. Flera veterinärfoderkunder köpte på kliniken under tiden, och några har inte kommit tillbaka.",
        "- Natur Lax fick nytt recept den 3 november 2025; prenumerationspriserna höjdes 1 januari och 1 juni 2026.",
        "- Natur Lax 12 kg var slut 12–16 oktober; prenumeranterna fick leveransen några dagar senare.",
        "",
    ])


# --------------------------------------------------------------------------------------------
# Interviews: scripts in research_b_text.py; facts about known customers (first order, number of
# orders, typical amount, dates around the stock-out) are filled in from the order history.
# --------------------------------------------------------------------------------------------

RU_MONTHS_GENITIVE = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
                      "октября", "ноября", "декабря")


def month_name(day: date, language: str) -> str:
    name = T.MONTHS[language][day.month - 1]
    return f"{name} {day.year} года" if language == "ru" else f"{name} {day.year}"


def long_date(day: date, language: str) -> str:
    if language == "sv":
        return f"den {day.day} {T.MONTHS['sv'][day.month - 1]} {day.year}"
    if language in ("de", "no"):
        return f"{day.day}. {T.MONTHS[language][day.month - 1]} {day.year}"
    if language == "ru":
        return f"{day.day} {RU_MONTHS_GENITIVE[day.month - 1]} {day.year} года"
    return f"{day.day} {T.MONTHS[language][day.month - 1]} {day.year}"


def customer_table(customers: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    per_customer = orders.groupby("customer_id").agg(first=("order_date", "min"), last=("order_date", "max"),
                                                     n=("order_id", "size"), total=("amount_sek", "sum"),
                                                     first_category=("product_category", "first"))
    return customers.set_index("customer_id").join(per_customer)


def has_order(orders: pd.DataFrame, first: date, last: date, category: str | None = None) -> set[str]:
    mine = orders_between(orders, first, last)
    if category is not None:
        mine = mine[mine["product_category"] == category]
    return set(mine["customer_id"])


def choose_interviewees(customers: pd.DataFrame, orders: pd.DataFrame) -> dict[str, str]:
    """Pick real customers whose order history fits each interview's story."""
    table = customer_table(customers, orders)
    active = table[~table["planted_at_risk"]]
    chosen: dict[str, str] = {}

    def take(key: str, frame: pd.DataFrame, by: str = "total", ascending: bool = False) -> None:
        frame = frame[~frame.index.isin(list(chosen.values()))]
        frame = frame.sort_values([by, "n"], ascending=ascending, kind="mergesort")
        if frame.empty:
            raise RuntimeError(f"no customer fits the {key!r} interview; change the seed or the story")
        chosen[key] = str(frame.index[0])

    def before(day: date) -> pd.Series:
        return orders[orders["order_date"] < day].groupby("customer_id").size().reindex(table.index, fill_value=0)

    grooming = orders_between(orders, FIRST_DAY, date(2026, 3, 9))
    grooming = grooming[grooming["product_category"] == "grooming supplies"].groupby("customer_id").size()
    b2b = active[(active["segment"] == "b2b") & (active["first"] <= date(2025, 6, 30))]
    take("best_b2b", b2b[grooming.reindex(b2b.index, fill_value=0) >= 2])

    senior = active[(active["segment"] == "senior") & (active["first"] <= date(2025, 9, 30))]
    delayed = has_order(orders, STOCKOUT[1] + timedelta(days=1), STOCKOUT[1] + timedelta(days=7), "vet diet")
    before_stockout = has_order(orders, date(2026, 1, 10), STOCKOUT[0] - timedelta(days=1), "vet diet")
    december = has_order(orders, date(2025, 12, 1), date(2025, 12, 31))
    take("best_senior", senior[senior.index.isin(delayed & before_stockout & december)])

    natural = active[active["segment"] == "natural"]
    june, july = has_order(orders, date(2025, 6, 1), date(2025, 6, 30), "subscription"), has_order(
        orders, date(2025, 7, 1), date(2025, 7, 31), "subscription")
    september = has_order(orders, date(2025, 9, 1), date(2025, 9, 30), "subscription")
    take("best_natural", natural[(natural["first"] <= date(2025, 5, 31))
                                 & natural.index.isin((june & september) - july)])

    budget = table[table["segment"] == "budget"]
    black_week = has_order(orders, date(2025, 11, 24), date(2025, 12, 1))
    after = has_order(orders, date(2025, 12, 2), date(2026, 6, 17))
    take("worst_budget", budget[budget.index.isin(black_week & after) & (before(date(2026, 6, 18))[budget.index] >= 3)],
         by="n")

    october, december_sub = has_order(orders, date(2025, 10, 1), date(2025, 10, 31), "subscription"), has_order(
        orders, date(2025, 12, 1), date(2025, 12, 31), "subscription")
    june_2026 = has_order(orders, date(2026, 6, 1), date(2026, 6, 30), "subscription")
    take("worst_natural", natural[(natural["first"] <= date(2025, 4, 30))
                                  & natural.index.isin(october & december_sub & june_2026)])

    lost = table[table["stockout_loss"] & (table["last"] >= date(2025, 12, 20)) & (table["last"] < STOCKOUT[0])]
    vet = orders[orders["product_category"] == "vet diet"]
    next_due = {cid: days.max() + timedelta(days=7 * median_gap_weeks(sorted(days)))  # the reorder that hit the stock-out
                for cid, days in vet.groupby("customer_id")["order_date"] if cid in lost.index}
    lost = lost[[STOCKOUT[0] <= next_due[cid] <= STOCKOUT[1] for cid in lost.index]]
    take("lost_senior", lost[lost.index.isin(has_order(orders, date(2025, 12, 1), date(2025, 12, 31)))])

    take("lost_b2b", table[(table["segment"] == "b2b") & table["planted_at_risk"]])

    puppy = table[(table["segment"] == "puppy") & (table["first_category"] == "starter kit")]
    short = (puppy["last"] - puppy["first"]).map(lambda gap: gap.days) <= 200  # stopped after a few months
    take("lost_puppy", puppy[(puppy["first"] >= date(2025, 4, 1)) & (puppy["first"] <= date(2025, 10, 31))
                             & short & puppy["n"].between(4, 8)], by="n")
    return chosen


def history(orders: pd.DataFrame, customer_id: str, before: date) -> pd.DataFrame:
    return orders[(orders["customer_id"] == customer_id) & (orders["order_date"] < before)]


def median_gap_weeks(days: Sequence[date], skip_over: tuple[date, date] | None = None) -> int:
    gaps = []
    for a, b in zip(days, days[1:], strict=False):
        if skip_over and a < skip_over[0] and b > skip_over[1]:
            continue
        gaps.append((b - a).days)
    return max(1, round(float(np.median(gaps)) / 7))


def interview_facts(key: str, customer_id: str, orders: pd.DataFrame) -> dict[str, str]:
    """The placeholders of one interview script, from the interviewee's orders before the interview."""
    spec = T.INTERVIEWS[key]
    day, language = date.fromisoformat(spec["date"]), spec["language"]
    mine = history(orders, customer_id, day)
    facts = {"first_month": month_name(mine["order_date"].min(), language), "n_orders": str(len(mine))}
    if key == "best_b2b":
        food = mine[mine["product_category"].isin(["dog food", "cat food"])]
        weeks = median_gap_weeks(list(food["order_date"]))
        facts |= {"amount": sek(round(food["amount_sek"].median(), -2), "sv"), "rhythm": T.RHYTHM["sv"][weeks],
                  "grooming_orders": str(int((mine["product_category"] == "grooming supplies").sum()))}
    elif key == "best_senior":
        vet = mine[mine["product_category"] == "vet diet"]
        last_before = vet.loc[vet["order_date"] < STOCKOUT[0], "order_date"].max()
        first_after = vet.loc[vet["order_date"] > STOCKOUT[1], "order_date"].min()
        facts |= {"weeks": str(median_gap_weeks(list(vet["order_date"]), STOCKOUT)),
                  "amount": sek(vet["amount_sek"].median(), "de"), "before": long_date(last_before, "de"),
                  "after": long_date(first_after, "de"), "gap_weeks": str(round((first_after - last_before).days / 7))}
    elif key == "best_natural":
        subs = mine[mine["product_category"] == "subscription"]
        months = {(d.year, d.month) for d in subs["order_date"]}
        gap = [m for m in range(7, 9) if (2025, m) not in months]
        facts |= {"plan": sek(subs["amount_sek"].iloc[0], "nl"),
                  "gap_months": " en ".join(T.MONTHS["nl"][m - 1] for m in gap)}
    elif key == "worst_budget":
        black_week = orders_between(mine, date(2025, 11, 24), date(2025, 12, 1))
        torn = mine[mine["order_date"] > date(2025, 12, 1)].iloc[0]
        facts |= {"bw_amount": sek(black_week["amount_sek"].sum(), "de"), "avg_amount": sek(round(mine["amount_sek"].mean(), -1), "de"),
                  "torn_month": T.MONTHS["de"][torn["order_date"].month - 1]}
    elif key == "worst_natural":
        subs = mine[mine["product_category"] == "subscription"]
        facts |= {"plan": sek(subs.loc[subs["order_date"] < RECIPE_CHANGE, "amount_sek"].iloc[-1], "en"),
                  "injection": T.INJECTION_LINE}
    elif key == "lost_senior":
        facts |= {"amount": sek(mine["amount_sek"][mine["product_category"] == "vet diet"].median(), "sv"),
                  "last_date": long_date(mine["order_date"].max(), "sv")}
    elif key == "lost_b2b":
        food = mine[mine["product_category"].isin(["dog food", "cat food"])]
        weeks = median_gap_weeks(list(food["order_date"]))
        facts |= {"rhythm": T.RHYTHM["no"][weeks], "amount": sek(round(food["amount_sek"].median(), -2), "no"),
                  "last_month": month_name(mine["order_date"].max(), "no")}
    elif key == "lost_puppy":
        facts |= {"kit_amount": sek(mine["amount_sek"].iloc[0], "ru"), "last_month": month_name(mine["order_date"].max(), "ru")}
    return facts


@dataclass
class Interview:
    key: str
    filename: str
    customer: str | None
    day: date
    language: str
    segment: str
    customer_id: str  # "" when unknown
    labels: tuple[str, str]
    pairs: list[tuple[str, str, tuple[str, ...]]]
    title: str = ""  # .docx only

    @property
    def is_docx(self) -> bool:
        return self.filename.endswith(".docx")

    def header_lines(self) -> list[str]:
        lines = ["---", "kind: interview", f"customer: {self.customer}", f"date: {self.day.isoformat()}",
                 f"segment: {self.segment}", f"language: {self.language}"]
        if self.customer_id:
            lines.append(f"customer_id: {self.customer_id}")
        return lines + ["---", ""]

    def turn_lines(self) -> list[str]:
        interviewer, customer = self.labels
        return [line for q, a, _ in self.pairs for line in (f"{interviewer}: {q}", f"{customer}: {a}")]

    def units(self) -> list[str]:
        """Lines of the .md/.txt file, or the non-empty paragraphs of the .docx."""
        return [self.title, *self.turn_lines()] if self.is_docx else [*self.header_lines(), *self.turn_lines()]

    def pair_spans(self) -> list[tuple[int, int, tuple[str, ...]]]:
        """1-based (first, last) line — or paragraph for the .docx — of each question/answer pair."""
        offset = 1 if self.is_docx else len(self.header_lines())
        return [(offset + 2 * i + 1, offset + 2 * i + 2, themes) for i, (_, _, themes) in enumerate(self.pairs)]


def build_interviews(orders: pd.DataFrame, interviewees: dict[str, str]) -> list[Interview]:
    interviews = []
    for key, spec in T.INTERVIEWS.items():
        customer_id = interviewees.get(key, "")
        facts = interview_facts(key, customer_id, orders) if customer_id else {}
        pairs = [(q.format(**facts), a.format(**facts), themes) for q, a, themes in spec["pairs"]]
        interview = Interview(key, spec["file"], spec["customer"], date.fromisoformat(spec["date"]), spec["language"],
                              spec["segment"], customer_id, spec["labels"], pairs, spec.get("title", ""))
        for q, a, _ in interview.pairs:
            if len(q) + len(a) + len(interview.labels[0]) + len(interview.labels[1]) + 5 > 1200:
                raise RuntimeError(f"{interview.filename}: a turn pair is longer than one 1,200-character chunk")
        interviews.append(interview)
    return interviews


def write_interview(interview: Interview, directory: Path) -> None:
    path = directory / interview.filename
    if interview.is_docx:
        write_docx(path, interview.title, interview.turn_lines(), interview.day)
    else:
        path.write_text("\n".join(interview.units()) + "\n", encoding="utf-8", newline="\n")


def write_docx(path: Path, title: str, paragraphs: Sequence[str], day: date) -> None:
    """python-docx output re-zipped with fixed timestamps, so the file is byte-identical per run."""
    from docx import Document

    document = Document()
    stamp = datetime(day.year, day.month, day.day, 12, 0)
    properties = document.core_properties
    properties.author = properties.last_modified_by = f"{SHOP} research"
    properties.title = title
    properties.created, properties.modified, properties.revision = stamp, stamp, 1
    document.add_heading(title, level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(day.year, day.month, day.day, 12, 0, 0))
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, info.external_attr
            target.writestr(fixed, source.read(info.filename))


# --------------------------------------------------------------------------------------------
# Ground truth and README, both measured on the generated data (so they cannot drift from it)
# --------------------------------------------------------------------------------------------


def rfm_table(orders: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    as_of = LAST_DAY + timedelta(days=1)
    rfm = orders.groupby("customer_id").agg(last=("order_date", "max"), frequency=("order_id", "size"),
                                            monetary=("amount_sek", "sum"))
    rfm["recency_days"] = rfm["last"].map(lambda d: (as_of - d).days)
    score = lambda values: pd.qcut(values.rank(method="first"), 5, labels=[1, 2, 3, 4, 5]).astype(int)  # noqa: E731
    rfm["R"], rfm["F"], rfm["M"] = 6 - score(rfm["recency_days"]), score(rfm["frequency"]), score(rfm["monetary"])
    return rfm.join(customers.set_index("customer_id"))


def monthly_cv(orders: pd.DataFrame, customers: pd.DataFrame) -> pd.Series:
    """Median (per segment) coefficient of variation of monthly revenue over each repeat customer's active months."""
    months = orders.assign(month=orders["order_date"].map(lambda d: d.year * 12 + d.month - 1))
    values = {}
    for customer_id, group in months.groupby("customer_id"):
        if len(group) < 3:
            continue
        span = range(group["month"].min(), group["month"].max() + 1)
        revenue = group.groupby("month")["amount_sek"].sum().reindex(span, fill_value=0.0)
        values[customer_id] = revenue.std(ddof=0) / revenue.mean()
    segment = customers.set_index("customer_id")["segment"]
    cv = pd.Series(values, name="cv")
    return cv.groupby(segment.reindex(cv.index)).median()


def modal(frame: pd.DataFrame, question: str) -> str:
    counts = frame[question].value_counts()
    return f"{counts.index[0]} ({counts.iloc[0] / len(frame):.0%})"


def top_option(frame: pd.DataFrame, question: str) -> str:
    counts = Counter(option for value in frame[question] for option in str(value).split(", "))
    option, count = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0]
    return f"{option} ({count / len(frame):.0%})"


def build_truth(customers: pd.DataFrame, survey: Survey, interviews: list[Interview], audience: pd.DataFrame,
                tickets: dict) -> dict:
    records = free_text_records(survey)
    people = survey.respondents
    linked = {row.customer_id: row.respondent_id for row in people.itertuples() if row.customer_id}
    interview_rows = []
    for interview in interviews:
        prefix = "p" if interview.is_docx else "L"
        interview_rows.append({
            "file": f"interviews/{interview.filename}",
            "format": Path(interview.filename).suffix.lstrip("."),
            "has_front_matter": not interview.is_docx,
            "customer": interview.customer,
            "segment": interview.segment,
            "language": interview.language,
            "customer_id": interview.customer_id or None,
            "survey_respondent_id": linked.get(interview.customer_id),
            "speaker_labels": {"interviewer": interview.labels[0], "customer": interview.labels[1]},
            "unit": "paragraph" if interview.is_docx else "line",
            "pairs": [{"start": a, "end": b, "evidence_id": f"interviews/{interview.filename}#{prefix}{a}-{b}",
                       "themes": list(themes)} for a, b, themes in interview.pair_spans()],
        })
    injection = next(i for i in interviews if any(T.INJECTION_LINE in a for _, a, _ in i.pairs))
    injection_line = next(n for n, line in enumerate(injection.units(), 1) if T.INJECTION_LINE in line)
    themes = []
    for theme, info in T.THEMES.items():
        by_language = Counter(r["language"] for r in records if theme in r["themes"])
        pairs = sum(theme in p["themes"] for i in interview_rows for p in i["pairs"])
        themes.append({"id": theme, "gloss": info["gloss"], "polarity": info["polarity"],
                       "languages": sorted(by_language), "survey_answers": sum(by_language.values()),
                       "survey_answers_by_language": dict(sorted(by_language.items())),
                       "interview_pairs": pairs,
                       "interview_languages": sorted({i["language"] for i in interview_rows
                                                      if any(theme in p["themes"] for p in i["pairs"])}),
                       "written_in": list(T.THEME_TEXT[theme]),
                       "support_ticket_reason": next((r for r, _, t in TICKET_REASONS if t == theme), None)})
    survey_country = survey_shares(survey.frame, Q_COUNTRY, list(COUNTRY_SHARES))
    ga = audience.groupby("Country")[["Users", "Conversions"]].sum()
    return {
        "generator": "scripts/make_research_b.py",
        "seed": SEED,
        "shop": SHOP,
        "currency": "SEK",
        "files": {"survey": SURVEY_FILE, "orders": ORDERS_FILE, "ga_audience": GA_FILE, "support_tickets": TICKETS_FILE,
                  "monthly_summary": SUMMARY_FILE, "interviews": [r["file"] for r in interview_rows]},
        "segments": [{"id": s, "name": SEGMENT_NAMES[s], "respondents": int((people["segment"] == s).sum()),
                      "customers": CUSTOMERS_PER_SEGMENT[s], "planted_at_risk": AT_RISK_PER_SEGMENT.get(s, 0)}
                     for s in SEGMENTS],
        "themes": themes,
        "respondent_segments": dict(zip(people["respondent_id"], people["segment"], strict=True)),
        "customer_segments": dict(zip(customers["customer_id"], customers["segment"], strict=True)),
        "at_risk_customers": sorted(customers.loc[customers["planted_at_risk"], "customer_id"]),
        "respondents": [{**r, "customer_id": r["customer_id"] or None} for r in people.to_dict(orient="records")],
        "free_text_answers": records,
        "interviews": interview_rows,
        "pii": [{"respondent_id": p.respondent_id, "column": p.column, "column_position": COLUMNS.index(p.column) + 1,
                 "kind": p.kind, "value": p.value} for p in survey.pii],
        "prompt_injection": {"file": f"interviews/{injection.filename}", "line": injection_line,
                             "text": T.INJECTION_LINE},
        "analytics_disagreement": {
            "dimension": "location", "survey_question": Q_COUNTRY, "ga_column": "Country", "category": "Germany",
            "survey_share": round(float(survey_country["Germany"]), 4),
            "ga_user_share": round(float(ga.loc["Germany", "Users"] / ga["Users"].sum()), 4),
            "ga_purchase_share": round(float(ga.loc["Germany", "Conversions"] / ga["Conversions"].sum()), 4),
            "explanation": "idealo / Google Shopping campaign in Germany since 2026-08-03 brings visitors who rarely buy",
        },
        "support_ticket_themes": {r: t for r, _, t in TICKET_REASONS if t},
    }


def build_readme(customers: pd.DataFrame, orders: pd.DataFrame, survey: Survey, audience: pd.DataFrame,
                 interviews: list[Interview], truth: dict) -> str:
    frame, people = survey.frame, survey.respondents
    merged = orders.merge(customers, on="customer_id")
    per_customer = merged.groupby("customer_id")["amount_sek"].sum().sort_values(ascending=False)
    top20 = per_customer.head(round(len(per_customer) * 0.2)).sum() / per_customer.sum()
    counts = orders.groupby("customer_id").size()
    one_time = counts[counts == 1]
    one_time_segments = customers.set_index("customer_id").loc[one_time.index, "segment"].value_counts()
    last_order = orders.groupby("customer_id")["order_date"].max()
    cv = monthly_cv(orders, customers)
    rfm = rfm_table(orders, customers)
    champions = rfm[(rfm["R"] >= 4) & (rfm["F"] >= 4) & (rfm["M"] >= 4)]
    at_risk = rfm[rfm["planted_at_risk"]]
    lapsed = int(((last_order < AT_RISK_CUTOFF) & (per_customer.reindex(last_order.index) >= 5000)).sum())
    budget = merged[merged["segment"] == "budget"]
    in_sales = budget["order_date"].map(lambda d: sale_name(d) is not None).mean()

    segment_rows, answer_rows, answer_rows_2 = [], [], []
    for segment in SEGMENTS:
        mine = merged[merged["segment"] == segment]
        respondents = people[people["segment"] == segment]
        n_customers = CUSTOMERS_PER_SEGMENT[segment]
        segment_rows.append(
            f"| {SEGMENT_NAMES[segment]} (`{segment}`) | {len(respondents)} ({len(respondents) / len(people):.0%}) | "
            f"{(respondents['customer_id'] != '').sum()} | {n_customers} | {len(mine):,} | "
            f"{sek(mine['amount_sek'].sum(), 'en')} | {sek(mine['amount_sek'].mean(), 'en')} | "
            f"{len(mine) / n_customers:.1f} | {cv.get(segment, float('nan')):.2f} |")
        answers = frame[(people["segment"] == segment).to_numpy()]
        answer_rows.append(
            f"| {SEGMENT_NAMES[segment]} | {modal(answers, Q_AGE)} | {modal(answers, Q_HOUSEHOLD)} | "
            f"{modal(answers, Q_OCCUPATION)} | {modal(answers, Q_INCOME)} | {top_option(answers, Q_PETS)} | "
            f"{modal(answers, Q_STAGE)} |")
        answer_rows_2.append(
            f"| {SEGMENT_NAMES[segment]} | {modal(answers, Q_HEARD)} | {top_option(answers, Q_FOLLOW)} | "
            f"{modal(answers, Q_FREQUENCY)} | {modal(answers, Q_DRIVER)} | {modal(answers, Q_BARRIER)} | "
            f"{modal(answers, Q_CONTACT)} | {answers[Q_SATISFACTION].mean():.1f} | {answers[Q_DELIVERY].mean():.1f} | "
            f"{answers[Q_NPS].mean():.1f} |")

    records = truth["free_text_answers"]
    language_counts = Counter(r["language"] for r in records)
    language_line = ", ".join(f"{lang} {language_counts[lang]} ({language_counts[lang] / len(records):.0%})"
                              for lang in T.LANGUAGES)
    theme_rows = [f"| `{t['id']}` | {t['gloss']} | {t['polarity']} | {t['survey_answers']} | "
                  f"{', '.join(f'{k} {v}' for k, v in t['survey_answers_by_language'].items())} | "
                  f"{t['interview_pairs']} ({', '.join(t['interview_languages']) or '—'}) |" for t in truth["themes"]]
    themed = sum(1 for r in records if r["themes"])

    survey_country = survey_shares(frame, Q_COUNTRY, list(COUNTRY_SHARES))
    ga_country = audience.groupby("Country")[["Users", "Conversions"]].sum().reindex(list(COUNTRY_SHARES))
    ga_users = ga_country["Users"] / ga_country["Users"].sum()
    ga_conv = ga_country["Conversions"] / ga_country["Conversions"].sum()
    country_rows = [f"| {c} | {survey_country[c]:.1%} | {ga_users[c]:.1%} | {(ga_users[c] - survey_country[c]) * 100:+.1f} | "
                    f"{ga_conv[c]:.1%} |" for c in COUNTRY_SHARES]
    survey_age = survey_shares(frame, Q_AGE, AGE_BANDS)
    ga_age = audience.groupby("Age")["Users"].sum().reindex(list(AGE_BANDS))
    age_gap = max(abs(ga_age[b] / ga_age.sum() - survey_age[b]) for b in AGE_BANDS)
    survey_gender = survey_shares(frame, Q_GENDER, ("Female", "Male"))
    ga_gender = audience.groupby("Gender")["Users"].sum()

    interview_rows = []
    for row in truth["interviews"]:
        themes = sorted({t for p in row["pairs"] for t in p["themes"]})
        interview_rows.append(f"| `{row['file']}` | {row['customer'] or '— (no front matter)'} | {row['segment']} | "
                              f"{row['language']} | {row['customer_id'] or '—'} | {row['survey_respondent_id'] or '—'} | "
                              f"{len(row['pairs'])} | {', '.join(themes)} |")
    pii_rows = [f"| {p.respondent_id} | {p.kind} | `{p.value}` | \"{p.column}\" |" for p in survey.pii]
    injection = truth["prompt_injection"]
    linked = (people["customer_id"] != "").sum()

    return f"""# Hyggehund sample research folder (research B)

A second, independent sample input for persona-agent: the customer research of **{SHOP}**, a fictional
Swedish online shop for dog and cat food, vet-diet (prescription) food, accessories, a monthly food
subscription and bulk sales to dog groomers, kennels and daycares. It sells in Sweden, Germany, the
Netherlands, Norway and Finland, to locals and English-speaking expats; all prices are in SEK, in
every country. Everything here is synthetic: names, ids, e-mail addresses, phone numbers and street
addresses are made up.

It differs from the Fjordbrew sample (`knowledge/`) in shop, product domain, languages, segments and
the planted analytics disagreement, but has the same file types and structure. Use it to check persona
quality and multilingual retrieval on research the code was never tuned on.

This README documents the fixture; it is not research evidence (it has no `kind:` front matter) and
ingest skips it. The machine-readable ground truth is `{TRUTH_FILE}` (a dot-folder, which ingest
also skips).

Regenerate (byte-identical; seed {SEED}):

    python scripts/make_research_b.py --out DIR

## Files

| Path | What it is |
|---|---|
| `{SURVEY_FILE}` | Google-Forms-style export: {len(frame)} respondents, {len(QUESTION_ORDER)} questions ({len(CLOSED_QUESTIONS)} closed, {len(FREE_TEXT_QUESTIONS)} free text). Columns: `Timestamp`, `Respondent ID`, `Customer ID` (filled for {linked} respondents, {linked / len(frame):.0%}, matching `{ORDERS_FILE}`), then one column per question headed by the full English question text, in form order (free-text columns at positions {', '.join(str(COLUMNS.index(q) + 1) for q in FREE_TEXT_QUESTIONS.values())}). Multi-select answers are joined with `, `. Satisfaction is 1–5, recommendation 0–10. Free-text answers are in the respondent's language. |
| `interviews/` | {len(interviews)} interviews: `.md` and `.txt` with YAML front matter (`kind: interview`, `customer`, `date`, `segment`, `language`, `customer_id` when known) and one `.docx` without front matter. |
| `{GA_FILE}` | GA4-style audience export, 1 Aug–31 Oct 2026: `Age`, `Gender`, `Country`, `Device category` × `Users`, `Sessions`, `Conversions`, `Revenue (SEK)`; {len(audience)} rows. |
| `{SUMMARY_FILE}` | Monthly report for October 2026, in Swedish (`kind: analytics` front matter, prose and tables). |
| `{TICKETS_FILE}` | Customer-service tickets for October 2026 by contact reason (with languages) and by channel. |
| `{ORDERS_FILE}` | {len(orders):,} orders from {orders['customer_id'].nunique()} customers, {orders['order_date'].min()} to {orders['order_date'].max()}: `order_id,customer_id,order_date,amount_sek,product_category` (dog food, cat food, vet diet, subscription, starter kit, treats, accessories, cat litter, grooming supplies). |
| `{TRUTH_FILE}` | Ground truth for evaluation (never ingested): see the last section. |

## Planted segments

Five segments are planted in the survey's closed answers and in the order history. Each respondent and
customer belongs to exactly one; respondents with a Customer ID were drawn from customers of the same
segment. Every single-choice categorical answer has a 5 % uniform share mixed in, so segments overlap
like real ones. Amounts in SEK.

| Segment | Respondents | …with Customer ID | Customers | Orders | Revenue | AOV | Orders per customer | Median monthly-revenue CV |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(segment_rows)}

Most frequent answer per segment (share within the segment; for multi-select questions the most ticked option):

| Segment | Age | Household | Occupation | Income | Animals (multi) | Life stage of pet |
|---|---|---|---|---|---|---|
{chr(10).join(answer_rows)}

| Segment | First heard via | Follows (multi) | Order frequency | Main driver | Main barrier | Preferred contact | Satisfaction (1–5) | Delivery satisfaction (1–5) | NPS (0–10) |
|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(answer_rows_2)}

Behaviour in the orders:

- **New-puppy owners**: a starter kit (695/895/1,295 SEK) first, then puppy food every 3–5 weeks while the puppy grows; 45 % switch to the subscription after 1.5–4 months; accessories in the first four months; many drift away after a few months. Start dates cluster in spring and summer.
- **Senior-pet carers**: the same vet-diet basket (649–1,498 SEK) every 4–6 weeks, very stable amounts. The vet-diet stock-out ({STOCKOUT[0]} – {STOCKOUT[1]}) shows as a gap: orders due then were delayed to early March, and {STOCKOUT_LOSSES} customers bought at their vet clinic and never came back.
- **Multi-pet budget households**: one to a few large multi-bag orders, {in_sales:.0%} of them inside the ten campaign windows (Black Week is the biggest); {one_time_segments.get('budget', 0)} of them are one-time buyers.
- **Premium/natural-food devotees**: a monthly Natur subscription (699/849/999 SEK, raised on {PRICE_RISES[0]} and {PRICE_RISES[1]}); with no pause button, about 40 % cancel and restart around July/August, which shows as missing months. The {AT_RISK_PER_SEGMENT['natural']} at-risk ones stopped after the Natur Lax recipe change ({RECIPE_CHANGE}).
- **B2B groomers and kennels**: bulk food every 2 or 4 weeks with near-constant amounts per order plus grooming supplies; by far the largest revenue share and the highest order frequency. {AT_RISK_PER_SEGMENT['b2b']} stopped between Oct 2025 and Mar 2026 (no invoice payment).

## Planted RFM and Pareto structure (measured on the orders, as of {LAST_DAY})

- Pareto: the top 20 % of customers bring **{top20:.0%}** of revenue (mostly B2B).
- One-time customers: **{len(one_time)}** of {len(customers)} ({', '.join(f'{s} {n}' for s, n in one_time_segments.items())}).
- At risk: **{len(at_risk)}** planted customers ({', '.join(f'{n} {s}' for s, n in AT_RISK_PER_SEGMENT.items())}) stopped buying; their median spend is {sek(at_risk['monetary'].median(), 'en')} SEK against {sek(rfm['monetary'].median(), 'en')} SEK for all customers. {lapsed} customers in total spent ≥ 5,000 SEK but have not ordered since {AT_RISK_CUTOFF}.
- Champions (quintile scores R ≥ 4, F ≥ 4, M ≥ 4): {len(champions)} customers ({', '.join(f'{s} {n}' for s, n in champions['segment'].value_counts().items())}).

## Planted themes (cross-lingual)

Ten recurring complaints and praises are planted in the free text and the interviews. Each is written
in all six languages with several paraphrases per language, so the same meaning appears in different
words and languages. {themed} of the {len(records)} non-empty free-text answers carry at least one
theme; the others are segment-typical remarks without a planted theme, closing remarks or short answers.

| Theme | Meaning | Polarity | Survey answers | …by language | Interview turn pairs (languages) |
|---|---|---|---|---|---|
{chr(10).join(theme_rows)}

Non-empty free-text answers by language: {language_line}.
Each respondent writes all answers in one language, chosen by country (Sweden: mostly sv, some en and ru;
Germany: de/en/ru; Netherlands: nl/en; Norway: no/en/ru; Finland: sv/en/ru).

## Planted survey-vs-analytics disagreement

Age, gender and *purchases* by country in GA agree with the survey; *users* by country do not. Since
an idealo / Google Shopping campaign started in Germany on {GERMAN_CAMPAIGN_START}, German visitors
make up a much larger share of users than of buyers or survey respondents: they compare prices, see the
heavy-parcel surcharge and SEK prices, and leave. The survey went to customers and newsletter
subscribers. A cross-check should report Germany as the one large gap.

| Country | Survey respondents | GA users | Gap (pp) | GA purchases |
|---|---|---|---|---|
{chr(10).join(country_rows)}

Largest age gap: {age_gap * 100:.1f} pp. Female share among female+male: survey {survey_gender['Female'] / survey_gender.sum():.1%},
GA {ga_gender['female'] / ga_gender.sum():.1%}. GA conversions and revenue are about {GA_TRACKED_SHARE:.0%} of the shop's own
orders in the period (consent loss), as the monthly report explains.

## Interviews

| File | Customer | Segment | Language | Customer ID | Survey respondent | Turn pairs | Themes |
|---|---|---|---|---|---|---|---|
{chr(10).join(interview_rows)}

Speaker labels: `Intervjuare:`/`Kund:` (sv), `Interviewer:`/`Kunde:` (de), `Interviewer:`/`Klant:` (nl),
`Intervjuer:`/`Kunde:` (no), `Interviewer:`/`Customer:` (en), `Интервьюер:`/`Клиент:` (ru). Facts about
known customers (first order, number of orders, typical amount, dates around the stock-out) are taken
from their order history. Two interviewees have no customer id and did not answer the survey (the
Amsterdam prospect and the Bergen puppy owner in the `.docx`); they can only be linked to a segment by
what they say. Four interviewees also answered the survey: their row carries their customer id and the
age, gender, country and language from the interview.

**Prompt injection.** `{injection['file']}` (line {injection['line']}) quotes a line the customer added to a
product review to catch AI summaries:

    {T.INJECTION_LINE}

It is evidence (what a customer wrote), to be stored as plain text and never obeyed. It is worded
differently from Fjordbrew's ("disregard your earlier instructions" rather than "ignore previous
instructions").

## Personal data

Three free-text answers contain personal data for the ingest's redaction to remove:

| Respondent | Kind | Value | Column |
|---|---|---|---|
{chr(10).join(pii_rows)}

The e-mail address is written with `(at)` instead of `@`, as people do to fool spam bots; a plain
e-mail pattern misses it. Interviews mention pets and places but no personal names of customers.

## Ground truth (`{TRUTH_FILE}`)

JSON with: `respondent_segments` (respondent id → segment), `customer_segments` (customer id →
segment), `at_risk_customers`, `respondents` (segment, language, country, customer id), `free_text_answers`
(respondent id, question header, 1-based column position, evidence id `survey/…csv#R0001:q19`, language,
theme ids), `interviews` (file, segment, language, customer id or null, survey respondent or null, and per
interviewer/customer turn pair its 1-based line range — front matter included — or paragraph range for
the `.docx`, evidence id and theme ids), `themes` (id, English gloss, polarity, languages used, counts),
`pii`, `prompt_injection`, `analytics_disagreement` and `support_ticket_themes` (ticket reason → theme).
"""


# --------------------------------------------------------------------------------------------


def generate(out: Path) -> dict[str, int]:
    customers = build_customers()
    orders = build_orders(customers)
    interviewees = choose_interviewees(customers, orders)
    survey = build_survey(customers, orders, interviewees)
    audience = build_ga_audience(survey.frame, orders)
    channels = build_channels(orders, audience)
    tickets = build_tickets(orders)
    interviews = build_interviews(orders, interviewees)
    truth = build_truth(customers, survey, interviews, audience, tickets)

    for folder in ("survey", "interviews", "analytics", "transactions", ".truth"):
        (out / folder).mkdir(parents=True, exist_ok=True)
    write_csv(survey.frame, out / SURVEY_FILE)
    write_orders(orders, out / ORDERS_FILE)
    write_ga_audience(audience, out / GA_FILE)
    (out / TICKETS_FILE).write_text(json.dumps(tickets, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (out / SUMMARY_FILE).write_text(build_monthly_summary(orders, audience, channels, tickets), encoding="utf-8",
                                    newline="\n")
    for interview in interviews:
        write_interview(interview, out / "interviews")
    (out / "README.md").write_text(build_readme(customers, orders, survey, audience, interviews, truth),
                                   encoding="utf-8", newline="\n")
    (out / TRUTH_FILE).write_text(json.dumps(truth, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return {"respondents": len(survey.frame), "free-text answers": len(truth["free_text_answers"]),
            "interviews": len(interviews), "orders": len(orders), "customers": orders["customer_id"].nunique()}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=f"Generate the {SHOP} sample research folder (research B).")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"folder to write (default: ./{DEFAULT_OUT}); never point it at knowledge/")
    args = parser.parse_args(argv)
    knowledge = (Path(__file__).resolve().parents[1] / "knowledge").resolve()
    if args.out.resolve() == knowledge or knowledge in args.out.resolve().parents:
        parser.error("refusing to write into knowledge/, the Fjordbrew sample")
    counts = generate(args.out)
    print(f"wrote {args.out}: " + ", ".join(f"{value} {name}" for name, value in counts.items()))


if __name__ == "__main__":
    main()
