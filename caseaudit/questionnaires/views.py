"""The template builder: list, build, reorder, preview and version audit templates."""
