"""``dxplan report`` (registered on the main app). See issue: reports."""
