"""The claim-argument model: a ranker over candidate object and predicate spans of a quantity.

`candidates` builds the candidates (the rule proposals plus nearby phrases and verbs), `features`
hashes their features, `model` holds the scorer, `chooser` plugs it into the claims component,
`train` builds the training data and trains it (see scripts/train_args.py).
"""

from nlp_service.resources import MODELS_DIR

MODEL_FILE = MODELS_DIR / "args" / "args.pt"
REBUILD_COMMAND = ".venv/bin/python scripts/train_args.py scripts/configs/args.json"
