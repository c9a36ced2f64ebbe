"""research — discover and read a research folder (text, tables, language, redaction) into documents
with provenance, and ingest them into the store. Imports engine and core.
"""
