"""engine — adapters to the outside libraries: chat models and structured output (llm, structured,
models), the retry policy for provider calls, embeddings, the Chroma store (the only chromadb importer)
and the PERSONA_HOME lock, the reply cache, prompt files, language detection and a headless Chromium
for PDFs. Imports only core; never a stage.
"""
