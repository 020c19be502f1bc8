"""``python -m dxplan``: the dxplan command."""

from .cli import main

main()
