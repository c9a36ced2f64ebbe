"""Surveys, transactions and analytics tables: detection, ids, metadata and frames."""

from __future__ import annotations

from pathlib import Path

import pytest

from persona_agent.core.errors import SourceError
from persona_agent.research.sources import read_source

GOOGLE_FORMS = "\n".join([
    "Timestamp,How old are you?,How satisfied are you with shipping? (1-5),"
    "Why did you choose us over other shops?,Which channels do you use?,What is your name?",
    '2024-03-01 10:00,35-44,4,"Fast delivery and fair prices, plus good reviews on Trustpilot",'
    "App; Newsletter,Anna Berg",
    "2024-03-01 11:00,25-34,2,Leveringen tok altfor lang tid og kundeservice svarte aldri på e-post.,"
    "App,Ola Hansen",
    "2024-03-02 09:30,35-44,5,,Newsletter; Instagram,",
    '2024-03-02 12:00,45-54,3,"Anna Berg anbefalte dere, og prisene var gode sammenlignet med andre",'
    "App,Anna Berg",
    "",
])


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.encode(encoding))
    return path


def test_google_forms_survey_answers_carry_question_and_closed_answers(tmp_path: Path) -> None:
    document = read_source(write(tmp_path, "survey.csv", GOOGLE_FORMS), tmp_path)

    assert document.kind == "survey"
    assert document.free_text_columns == ["Why did you choose us over other shops?"]
    assert document.respondent_column is None  # no id column: ids use the data row number
    answers = [c for c in document.chunks if not c.metadata.get("summary")]
    assert [c.evidence_id for c in answers] == ["survey.csv#r1:q4", "survey.csv#r2:q4", "survey.csv#r4:q4"]
    first = answers[0]
    assert first.text == "Fast delivery and fair prices, plus good reviews on Trustpilot"
    assert first.metadata["question"] == "Why did you choose us over other shops?"
    assert first.metadata["question_index"] == 4 and first.metadata["row"] == 1
    assert first.metadata["respondent_id"] == "1"
    assert first.metadata["submitted_at"] == "2024-03-01 10:00"
    keys = document.answer_keys
    assert first.metadata[keys["How old are you?"]] == "35-44"  # a metadata filter, not a guess
    assert first.metadata[keys["How satisfied are you with shipping? (1-5)"]] == 4
    assert keys["How old are you?"] == "a:how-old-are-you"
    assert first.metadata["language"] == "en" and answers[1].metadata["language"] == "no"
    # the name column is PII: not a question, not metadata, not in the table
    assert "What is your name?" not in keys and "What is your name?" not in document.table.columns
    assert not any("Ola Hansen" in str(v) for c in document.chunks for v in c.metadata.values())


def test_survey_table_holds_closed_answers_indexed_by_respondent(tmp_path: Path) -> None:
    table = read_source(write(tmp_path, "survey.csv", GOOGLE_FORMS), tmp_path).table
    assert table is not None
    assert list(table.columns) == ["How old are you?", "How satisfied are you with shipping? (1-5)",
                                   "Which channels do you use?"]
    assert list(table.index) == ["1", "2", "3", "4"] and table.index.name == "respondent_id"
    assert table.loc["2", "How satisfied are you with shipping? (1-5)"] == 2
    assert (table["How old are you?"] == "35-44").sum() == 2


def test_one_summary_chunk_per_question_with_distribution(tmp_path: Path) -> None:
    document = read_source(write(tmp_path, "survey.csv", GOOGLE_FORMS), tmp_path)
    summaries = {c.evidence_id: c for c in document.chunks if c.metadata.get("summary")}
    assert list(summaries) == ["survey.csv#q2", "survey.csv#q3", "survey.csv#q4", "survey.csv#q5"]
    age = summaries["survey.csv#q2"].text
    assert "How old are you?" in age and "- 35-44: 2 (50%)" in age
    assert "mean 3.50" in summaries["survey.csv#q3"].text
    channels = summaries["survey.csv#q5"].text
    assert "several answers allowed" in channels and "- App: 3 (75%)" in channels
    assert summaries["survey.csv#q4"].metadata["question_type"] == "free_text"
    assert summaries["survey.csv#q4"].metadata["answers"] == 3


def test_respondent_id_column_makes_ids_independent_of_row_order(tmp_path: Path) -> None:
    header = "Respondent ID,Age,What would make you buy more often?\n"
    rows = ["057,35-44,Raskere levering og bedre oppfølging etter kjøpet",
            "058,25-34,Flere betalingsmåter som Vipps og Klarna i kassen"]
    first = read_source(write(tmp_path, "a.csv", header + "\n".join(rows)), tmp_path)
    swapped = read_source(write(tmp_path, "b.csv", header + "\n".join(reversed(rows))), tmp_path)
    by_id = {c.evidence_id.split("#")[1]: c.text for c in first.chunks}
    assert by_id["R057:q3"].startswith("Raskere levering")
    assert by_id["q2"] == "Survey question 2: Age\nClosed question: 2 answers, 0 blank.\n" \
        "- 25-34: 1 (50%)\n- 35-44: 1 (50%)"
    swapped_by_id = {c.evidence_id.split("#")[1]: c.text for c in swapped.chunks}
    answers = {k: v for k, v in by_id.items() if ":" in k}
    assert answers == {k: v for k, v in swapped_by_id.items() if ":" in k}
    assert by_id["q2"] == swapped_by_id["q2"]
    assert first.respondent_column == "Respondent ID"
    assert list(first.table.index) == ["057", "058"]


def test_redaction_uses_the_survey_name_column_for_that_respondent(tmp_path: Path) -> None:
    document = read_source(write(tmp_path, "survey.csv", GOOGLE_FORMS), tmp_path, redact=True)
    texts = [c.text for c in document.chunks]
    assert "{{NAME}} anbefalte dere, og prisene var gode sammenlignet med andre" in texts
    assert not any("Anna" in text for text in texts)


def test_surveymonkey_second_header_row_is_merged(tmp_path: Path) -> None:
    export = (
        "Respondent ID,Collector ID,Which do you own?,,What would you improve?\n"
        ",,Sofa,Chair,Open-Ended Response\n"
        "114,9,Sofa,,Bedre kundeservice og raskere svar på henvendelser\n"
        "115,9,,Chair,Billigere frakt til Nord-Norge og flere hentesteder\n"
    )
    document = read_source(write(tmp_path, "sm.csv", export), tmp_path)
    assert document.kind == "survey"
    assert "Which do you own? — Sofa" in document.table.columns
    assert document.free_text_columns == ["What would you improve?"]
    assert [c.evidence_id for c in document.chunks][:2] == ["sm.csv#R114:q5", "sm.csv#R115:q5"]


def test_typeform_hash_column_is_the_respondent_id(tmp_path: Path) -> None:
    export = ("#,Hvorfor kjøpte du hos oss?,Alder\n"
              "a8f3k2,Fordi de hadde sofaen jeg ville ha på lager,35-44\n"
              "b9x1q7,Anbefalt av en venn som handler her ofte,25-34\n")
    document = read_source(write(tmp_path, "tf.csv", export), tmp_path)
    assert document.chunks[0].evidence_id == "tf.csv#a8f3k2:q2"  # ids starting with a letter stay


def test_semicolon_and_tsv_exports(tmp_path: Path) -> None:
    semicolon = GOOGLE_FORMS.replace(",", ";").replace('"Fast delivery and fair prices; plus', '"x')
    document = read_source(write(tmp_path, "s.csv", semicolon), tmp_path)
    assert document.kind == "survey" and len(document.table.columns) >= 3
    tsv = "Respondent\tWhat did you think about delivery?\n1\tVeldig treg, tok nesten tre uker\n"
    assert read_source(write(tmp_path, "t.tsv", tsv), tmp_path).chunks[0].evidence_id == "t.tsv#R1:q2"


def test_transactions_are_detected_and_summarised(tmp_path: Path) -> None:
    orders = ("ordrenr;kundenr;dato;beløp;produkt\n"
              "1001;C1;31.01.2024;1 299,00;Sofa\n1002;C2;01.02.2024;499,50;Lampe\n"
              "1003;C1;15.02.2024;899,00;Stol\n")
    document = read_source(write(tmp_path, "orders.csv", orders), tmp_path)
    assert document.kind == "transactions"
    assert document.column_roles == {"customer_id": "kundenr", "date": "dato", "amount": "beløp",
                                     "order_id": "ordrenr", "product": "produkt"}
    assert document.customer_id_column == "kundenr"
    (summary,) = document.chunks
    assert summary.evidence_id == "orders.csv#summary"
    assert "3 orders from 2 customers, 2024-01-31 to 2024-02-15" in summary.text
    assert summary.metadata["revenue"] == 2697.5
    assert len(document.table) == 3 and list(document.table.columns)[0] == "ordrenr"


def test_forcing_transactions_on_a_table_without_the_columns_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, "survey.csv", GOOGLE_FORMS)
    with pytest.raises(SourceError, match="survey.csv: no amount, customer_id, date column"):
        read_source(path, tmp_path, kind="transactions")


def test_ga_audience_export_gives_one_chunk_per_dimension(tmp_path: Path) -> None:
    export = "\n".join([
        "# ----------------------------------------", "# All Web Site Data", "# Audience Overview",
        "# 20240101-20240131", "# ----------------------------------------", "",
        "Age,Gender,Users,Sessions,Bounce Rate,Avg. Session Duration",
        '18-24,female,"1,234",2000,45.5%,00:01:20', "18-24,male,766,1000,40.5%,00:01:00",
        '25-34,female,"2,345",3000,40.1%,00:02:00', "", "# ----------------------------------------",
        "Day Index,Users", "01.01.2024,100", "",
    ])
    document = read_source(write(tmp_path, "audience.csv", export), tmp_path)

    assert document.kind == "analytics"
    ids = [c.evidence_id for c in document.chunks]
    assert ids == ["audience.csv#summary", "audience.csv#dim:age", "audience.csv#dim:gender"]
    summary = document.chunks[0].text
    assert "Audience Overview" in summary and "20240101-20240131" in summary
    assert "Totals: Users 4,345; Sessions 6,000" in summary
    age = document.chunks[1].text.split("\n")
    assert age[0] == "Age: 2 values, by Users"
    # sums for counts (with share of the first), means for rates and durations
    assert age[1] == ("- 25-34: Users 2,345 (54%); Sessions 3,000; Bounce Rate 40.10; "
                      "Avg. Session Duration 120")
    assert age[2] == ("- 18-24: Users 2,000 (46%); Sessions 3,000; Bounce Rate 43 (mean); "
                      "Avg. Session Duration 70 (mean)")
    assert document.chunks[1].metadata["dimension"] == "Age"
    assert list(document.table["Age"]) == ["18-24", "18-24", "25-34"]
    assert any("another one starts at line 12" in w for w in document.warnings)


def test_transactions_with_currency_in_the_amount_header(tmp_path: Path) -> None:
    orders = ("order_id,customer_id,order_date,amount_eur,product_category\n"
              "FB-1,C1,2025-04-01,27.80,beans\nFB-2,C1,2025-05-01,12.20,gear\n")
    document = read_source(write(tmp_path, "orders.csv", orders), tmp_path)
    assert document.kind == "transactions"
    assert document.column_roles["amount"] == "amount_eur"
    assert document.column_roles["product"] == "product_category"
    assert "Revenue 40.00 EUR" in document.chunks[0].text


def test_xlsx_with_several_sheets_reads_each_and_warns_about_empty_ones(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    responses = workbook.active
    responses.title = "Responses"
    responses.append(["Respondent ID", "Hvor gammel er du?", "Hva kan vi gjøre bedre?"])
    responses.append([1, "35-44", "Raskere levering, og svar på e-post samme dag"])
    responses.append([2, "25-34", "Tydeligere størrelsesguide på produktsidene"])
    workbook.create_sheet("Empty")
    orders = workbook.create_sheet("Orders")
    orders.append(["customer_id", "date", "amount"])
    orders.append(["C1", "2024-01-03", 100.5])
    orders.append(["C2", "2024-02-03", 80])
    workbook.save(tmp_path / "research.xlsx")

    document = read_source(tmp_path / "research.xlsx", tmp_path)
    assert [sheet.path for sheet in document.sheets] == ["research.xlsx!Responses", "research.xlsx!Orders"]
    assert [sheet.kind for sheet in document.sheets] == ["survey", "transactions"]
    assert document.kind == "survey" and document.table is document.sheets[0].table
    ids = [c.evidence_id for c in document.chunks]
    assert "research.xlsx!Responses#R1:q3" in ids and "research.xlsx!Orders#summary" in ids
    assert {c.kind for c in document.chunks} == {"survey", "transactions"}
    assert all(c.source == "research.xlsx" for c in document.chunks)
    assert "sheet 'Empty' is empty" in document.warnings
    assert [part.kind for part in document.tables()] == ["survey", "transactions"]
    assert document.sheets[1].table["amount"].tolist() == ["100.5", "80"]


def test_a_table_forced_to_interview_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="kind interview does not fit a table"):
        read_source(write(tmp_path, "survey.csv", GOOGLE_FORMS), tmp_path, kind="interview")


def test_short_answers_take_the_files_language_but_clearly_danish_ones_stay_danish(tmp_path: Path) -> None:
    answers = [
        "Leveringen tok altfor lang tid, og ingen svarte på e-posten min.",
        "Jeg kjøper vanligvis gjennom appen fordi det går raskere.",
        "Nettsiden er litt treg på mobil, ellers veldig fornøyd.",
        "Ja",
        "Jeg synes, at leveringen tog alt for lang tid, og ingen svarede mig.",
    ]
    text = "Respondent ID,Hva kan vi gjøre bedre?\n" + "".join(
        f'{n},"{answer}"\n' for n, answer in enumerate(answers, 1))
    document = read_source(write(tmp_path, "s.csv", text), tmp_path)
    languages = {c.evidence_id: c.metadata["language"] for c in document.chunks}
    assert languages == {"s.csv#R1:q2": "no", "s.csv#R2:q2": "no", "s.csv#R3:q2": "no",
                         "s.csv#R4:q2": "no", "s.csv#R5:q2": "da", "s.csv#q2": "no"}


def test_not_knowing_in_russian_stays_russian(tmp_path: Path) -> None:
    # "Не знаю." is the same in Russian and Ukrainian; lingua leans Ukrainian
    answers = ["Доставка стала слишком медленной, а поддержка не отвечала неделями.",
               "Хороший кофе, но упаковка часто приходит помятой.", "Не знаю."]
    text = "Respondent ID,Что можно улучшить?\n" + "".join(
        f'{n},"{answer}"\n' for n, answer in enumerate(answers, 1))
    document = read_source(write(tmp_path, "ru.csv", text), tmp_path)
    assert {c.metadata["language"] for c in document.chunks} == {"ru"}


def test_a_very_long_survey_answer_is_split_into_numbered_parts(tmp_path: Path) -> None:
    answer = "Leveringen tok altfor lang tid, og ingen svarte på e-post eller telefon. " * 40
    text = f'Respondent ID,Hva kan vi gjøre bedre?\n1,"{answer}"\n2,Raskere levering til Nord-Norge\n'
    document = read_source(write(tmp_path, "long.csv", text), tmp_path)
    parts = [c for c in document.chunks if c.evidence_id.startswith("long.csv#R1:q2")]
    assert [c.evidence_id for c in parts] == [f"long.csv#R1:q2:{n}" for n in range(1, len(parts) + 1)]
    assert len(parts) >= 3 and all(len(c.text) <= 1200 for c in parts)
    assert " ".join(c.text for c in parts) == answer.strip()


def test_dimension_chunks_stay_small_when_a_dimension_has_many_values(tmp_path: Path) -> None:
    rows = "".join(f"Landing page number {n} with a long title,{1000 - n},{2000 - n}\n" for n in range(80))
    document = read_source(write(tmp_path, "pages.csv", "Page title,Views,Sessions\n" + rows), tmp_path)
    (pages,) = [c for c in document.chunks if c.evidence_id == "pages.csv#dim:page-title"]
    assert len(pages.text) <= 1200
    top = pages.text.splitlines()[1]
    assert top.startswith("- Landing page number 0 with a long title: Views 1,000 (1%)")
    assert pages.text.endswith("more values (all rows are in the table)")
    assert len(document.table) == 80


def test_2500_identical_headers_are_numbered_in_linear_time(tmp_path: Path) -> None:
    """A 15 KB CSV whose 2,500 headers are all "Q" took 36 s to read (numbering was cubic); now < 2 s."""
    from persona_agent.research.tables import _unique_headers, _unique_slugs

    header = ",".join(["Q"] * 2500)
    document = read_source(write(tmp_path, "wide.csv", f"{header}\n{','.join(['a'] * 2500)}\n"), tmp_path)
    assert document.table is not None
    assert _unique_headers(["Q"] * 2500) == ["Q", *(f"Q ({n})" for n in range(2, 2501))]
    # a literal "Q (2)" that came first is skipped, not duplicated; numbering goes on from there
    assert _unique_headers(["Q", "Q (2)", "Q", " Q ", "", ""]) == ["Q", "Q (2)", "Q (3)", "Q (4)", "column 5",
                                                                   "column 6"]
    assert list(_unique_slugs(["Q?", "Q!", "q-2", "Q."], prefix="a:").values()) == ["a:q", "a:q-2", "a:q-2-2",
                                                                                      "a:q-3"]
