"""The words the assistant understands, in one place: one module per kind.

- :mod:`vocabulary.places`: the county's districts, their towns and villages, and misspellings;
- :mod:`vocabulary.needs`: the SEND need groups and the words families and service records use;
- :mod:`vocabulary.audiences`: who the assistant speaks to, and the words for them;
- :mod:`vocabulary.ages`: number words, school stages and the school-year to age rule;
- :mod:`vocabulary.english`: the one list of ordinary English words (from spacy-lookups-data);
- :mod:`vocabulary.fuzzy`: the one comparison that decides a word is a misspelling of another.

Every package that reads a family's words (knowledge_base, privacy, language, actions, ingestion)
imports them from here, and Rasa's lookup tables and synonyms (bot/data/nlu/vocabulary.yml) are
generated from them (:mod:`vocabulary.rasa`, ``python -m signposting vocabulary generate``).
This package imports no other package of the project, so every layer may import it.
"""
