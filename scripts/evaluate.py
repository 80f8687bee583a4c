"""Score claim extraction on a gold directory: `scripts/evaluate.py GOLD_DIR [--pred-dir DIR] [--quiet]`.

The same command as `nlp-service evaluate`; see nlp_service/cli/evaluate_cmd.py.
"""

from __future__ import annotations

import sys

from nlp_service.cli import main

if __name__ == "__main__":
    sys.argv = ["nlp-service", "evaluate", *sys.argv[1:]]
    main()
