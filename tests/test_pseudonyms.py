"""Evidence ids carry no personal data (issue 11): a respondent or customer id that is an e-mail, a
phone number, a national id or a name becomes a stable pseudonym, the same in every file of the
folder, so the survey still joins its transactions; plain ids ("R057", "C0033") stay as they are.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from persona_agent.core import privacy
from persona_agent.research.sources import read_source
from tests.conftest import KNOWLEDGE

EMAIL = re.compile(r"(?:customer|respondent)\.\w+@example\.com", re.IGNORECASE)  # the ids planted below
KEY = b"a test key"


@pytest.mark.parametrize("plain", ["R057", "C0033", "a8f3k2", "1042", "FB-100233", "114227303335", "anonymous"])
def test_plain_ids_stay(plain: str) -> None:
    assert privacy.pseudonym(plain, KEY) == plain


@pytest.mark.parametrize(
    ("one", "same"),
    [("kari@example.no", " Kari@Example.NO "), ("+47 912 34 567", "91234567"), ("Kari Nordmann", "kari  nordmann"),
     ("11037543332", "110375 43332"), ("kari(at)example.no", "kari(at)example.no")],
)
def test_personal_ids_get_one_stable_pseudonym_per_person(one: str, same: str) -> None:
    pseudonym = privacy.pseudonym(one, KEY)
    assert re.fullmatch(r"P[0-9a-f]{8}", pseudonym)
    assert privacy.pseudonym(same, KEY) == pseudonym
    assert privacy.pseudonym(one, b"another key") != pseudonym  # nobody without the key can test a guess


def test_the_key_is_made_once_per_home_and_kept_private(tmp_path: Path) -> None:
    key = privacy.pseudonym_key(tmp_path / "home")
    assert privacy.pseudonym_key(tmp_path / "home") == key and len(key) == 64
    assert (tmp_path / "home" / privacy.KEY_FILE).stat().st_mode & 0o077 == 0


def _with_email_ids(folder: Path) -> None:
    """The sample's survey and transactions, with every customer id turned into an e-mail address (the
    survey's in another case) and the survey's respondent ids too."""
    for relative, column, upper in (("survey/customer_survey_2026-09.csv", "Customer ID", True),
                                    ("transactions/orders_2025-2026.csv", "customer_id", False)):
        rows = list(csv.DictReader(io.StringIO((KNOWLEDGE / relative).read_text(encoding="utf-8"))))
        for row in rows:
            if row[column]:
                email = f"customer.{row[column].lower()}@example.com"
                row[column] = email.upper() if upper else email
            if "Respondent ID" in row:
                row["Respondent ID"] = f"respondent.{row['Respondent ID'].lower()}@example.com"
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)


def test_email_id_columns_leave_no_email_anywhere_and_the_survey_still_joins_transactions(
        isolated: Path, settings, hash_embedder) -> None:
    from persona_agent.analysis.analyze import analyze_folder
    from persona_agent.engine.store import open_store
    from persona_agent.research.ingest import ingest_folder

    folder = isolated / "research"
    _with_email_ids(folder)
    key = privacy.pseudonym_key(settings.home)
    store = open_store(settings, hash_embedder)
    ingest_folder(folder, store, pseudonym_key=key)
    run = analyze_folder(folder, store, settings.home / "analysis", pseudonym_key=key)

    stored = store.get(list(store.metadata_where()))
    assert len(stored) > 100
    for evidence in stored:
        assert not EMAIL.search(evidence.evidence_id), evidence.evidence_id
        assert not EMAIL.search(evidence.text), evidence.evidence_id
        assert not EMAIL.search(json.dumps(evidence.metadata)), evidence.evidence_id
    assert any(re.search(r"#P[0-9a-f]{8}:q\d+$", e.evidence_id) for e in stored)
    written = " ".join(p.read_text(encoding="utf-8") for p in (settings.home / "analysis").rglob("*")
                       if p.suffix in (".json", ".md", ".csv"))
    assert not EMAIL.search(written)
    # segments name their respondents by the ids the survey chunks carry (persona planning joins on them)
    answered = {str(meta["respondent_id"]) for meta in store.metadata_where({"kind": "survey"}).values()
                if "respondent_id" in meta}
    members = {rid for meta in store.metadata_where({"source": "analysis"}).values()
               for rid in str(meta.get("free_text_respondent_ids") or "").split(",") if rid}
    assert members and members <= answered and all(re.fullmatch(r"P[0-9a-f]{8}", m) for m in members)
    value = run.result.value
    assert value is not None and value.joinable
    assert value.respondents_with_customer_id == 144 and value.matched == 144  # as with the plain ids


def test_plain_sample_ids_are_unchanged(isolated: Path) -> None:
    document = read_source(KNOWLEDGE / "survey" / "customer_survey_2026-09.csv", KNOWLEDGE, pseudonym_key=KEY)
    ids = {c.evidence_id.split("#")[1].split(":")[0] for c in document.chunks if ":q" in c.evidence_id}
    assert "R002" in ids and not any(i.startswith("P") for i in ids)
    assert "C0170" in set(document.table["Customer ID"].dropna())


def test_interview_front_matter_ids_are_pseudonymised(tmp_path: Path) -> None:
    path = tmp_path / "call.md"
    path.write_text("---\nkind: interview\nrespondent_id: kari@example.no\ncustomer_id: +47 912 34 567\n"
                    "segment: Gift Buyer\nemail: kari@example.no\n---\n\nInterviewer: Hei!\nKunde: Hei.\n",
                    encoding="utf-8")
    document = read_source(path, tmp_path, pseudonym_key=KEY)
    metadata = json.dumps([c.metadata for c in document.chunks]) + " ".join(c.evidence_id for c in document.chunks)
    assert "kari@example.no" not in metadata and "912 34 567" not in metadata
    first = document.chunks[0].metadata
    assert first["respondent_id"] == privacy.pseudonym("kari@example.no", KEY)
    assert first["customer_id"] == privacy.pseudonym("+4791234567", KEY)
    assert first["segment"] == "Gift Buyer"  # a label, not a person


def test_a_new_key_rereads_every_file(isolated: Path, settings, hash_embedder) -> None:
    from persona_agent.engine.store import open_store
    from persona_agent.research.ingest import ingest_folder

    folder = isolated / "research"
    shutil.copytree(KNOWLEDGE / "survey", folder / "survey")
    store = open_store(settings, hash_embedder)
    ingest_folder(folder, store, pseudonym_key=b"one")
    assert ingest_folder(folder, store, pseudonym_key=b"one").files_unchanged == 1
    assert ingest_folder(folder, store, pseudonym_key=b"two").files_replaced == 1
