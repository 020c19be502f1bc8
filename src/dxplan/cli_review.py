"""``dxplan diff``, ``fmt`` and ``schema`` (registered on the main app)."""
