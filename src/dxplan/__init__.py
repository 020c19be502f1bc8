"""dxplan: municipal DX plans as YAML in git — lint, status counts, scoring, review diffs and reports."""

__version__ = "0.1.0"
