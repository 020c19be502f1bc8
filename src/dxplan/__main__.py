"""``python -m dxplan``: the dxplan command."""

from dxplan.cli import main

main()
