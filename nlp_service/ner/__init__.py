"""The character-level entity recogniser: a BiLSTM-CRF over characters and character bigrams.

`data` reads the training corpora into `Example`s and `augment` adds copies with names swapped,
`gazetteer` marks the names a dictionary knows and `segmentation` where words begin and end (input
features), `model` holds the network, `train` fits it, `tagger` saves, loads and tags texts in
batches, `lexicon` and `combine` are the rules and how their spans meet the model's, `chains` the
gold's conventions applied last (chained places cut, listed people added).
"""
