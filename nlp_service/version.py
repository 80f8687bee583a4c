"""The version of the extraction pipeline; stored with every extraction so older ones can be re-run."""

PIPELINE_VERSION = "0.1.0"
