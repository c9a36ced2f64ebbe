"""engine — adapters to the outside libraries: chat models and structured output (llm, structured,
models), embeddings, the Chroma store (the only chromadb importer), the LLM cache, prompt files and
language detection. Imports only core; never a stage.
"""
