"""The character-level entity recogniser: a BiLSTM-CRF over characters and character bigrams.

`data` reads the training corpora into `Example`s, `gazetteer` marks the names a dictionary knows
(an input feature), `model` holds the network, `train` fits it, `tagger` saves, loads and tags texts
in batches, `lexicon` and `combine` are the rules and how their spans meet the model's.
"""
