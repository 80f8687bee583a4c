"""The character-level entity recogniser: a BiLSTM-CRF over characters and character bigrams.

`data` reads the training corpora into `Example`s, `model` holds the network, `train` fits it and
`predictor` loads the saved files and tags texts in batches.
"""
